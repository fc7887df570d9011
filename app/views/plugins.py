"""How each area adds function keys, customer-screen panels, menu entries and status-bar
items to the main window without editing it.

An area's view module (listed in PLUGIN_MODULES) defines `contribute(registry)` and calls
`registry.add_...`. The main window builds itself from the registry. Labels are English
source strings; the main window translates them with the given `context`, so mark them
with QT_TRANSLATE_NOOP(context, "...") in the contributing module for lupdate.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

PLUGIN_MODULES = [
    "app.views.billing_plugin",
    "app.views.payments_plugin",
    "app.views.handling_plugin",
    "app.views.counter_plugin",
    "app.views.reports_plugin",
    "app.views.sync_plugin",
    "app.views.reconcile_plugin",
    "app.views.interfaces_plugin",
    "app.views.sync_network_plugin",
    "app.views.backups_plugin",
    "app.views.notices_plugin",
]


@dataclass
class FunctionKey:
    key: str  # "F4"
    label: str  # English source text, e.g. "Take payment"
    context: str  # translation context of `label`
    object_name: str  # stable name for tests, e.g. "actionTakePayment"
    handler: Callable  # handler(ctx: AppContext, window) -> None
    needs_customer: bool = True  # disabled while no customer is open


AREAS = ("customers", "billing", "payments", "matters")  # what ctx.data_changed(area) names


@dataclass
class CustomerPanel:
    """A panel on the customer screen. factory(ctx, parent) -> QWidget with load(customer_id | None).

    The screen calls load() when a customer opens, and again when ctx.data_changed names one of
    `areas` while that customer is shown: a panel never refreshes itself by hand."""

    object_name: str
    title: str
    context: str
    factory: Callable
    order: int = 100  # lower comes first
    column: str = "right"  # "left" (under identity) or "right"
    areas: tuple[str, ...] = AREAS  # the changes this panel shows


@dataclass
class MenuAction:
    menu: str  # "counter" | "reports" | "admin" | "tools"
    label: str
    context: str
    object_name: str
    handler: Callable  # handler(ctx, window)
    shortcut: str = ""
    roles: tuple[str, ...] = ("clerk", "supervisor", "admin")


@dataclass
class StatusItem:
    """A status-bar widget. factory(ctx, parent) -> QWidget with refresh()."""

    object_name: str
    factory: Callable
    order: int = 100


@dataclass
class Registry:
    function_keys: list[FunctionKey] = field(default_factory=list)
    panels: list[CustomerPanel] = field(default_factory=list)
    menu_actions: list[MenuAction] = field(default_factory=list)
    status_items: list[StatusItem] = field(default_factory=list)
    # Warnings on the customer screen: fn(ctx, customer_id) -> list[(level, text)],
    # level "info" | "warn" | "danger", text already translated.
    warning_sources: list[Callable] = field(default_factory=list)
    # Scanned-number openers: fn(ctx, window, text) -> bool (True if it opened something).
    scan_handlers: list[Callable] = field(default_factory=list)

    def add_function_key(self, item: FunctionKey) -> None:
        self.function_keys.append(item)

    def add_panel(self, item: CustomerPanel) -> None:
        self.panels.append(item)

    def add_menu_action(self, item: MenuAction) -> None:
        self.menu_actions.append(item)

    def add_status_item(self, item: StatusItem) -> None:
        self.status_items.append(item)

    def add_warning_source(self, fn: Callable) -> None:
        self.warning_sources.append(fn)

    def add_scan_handler(self, fn: Callable) -> None:
        self.scan_handlers.append(fn)


def load_registry(modules: list[str] | None = None) -> Registry:
    """Collect every area's contributions; an area whose module does not exist yet is skipped."""
    registry = Registry()
    for name in PLUGIN_MODULES if modules is None else modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.contribute(registry)
    registry.panels.sort(key=lambda p: p.order)
    registry.status_items.sort(key=lambda s: s.order)
    return registry
