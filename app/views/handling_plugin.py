"""Handling on the main window: F6 register a matter, open matters panel, queues, outages, warnings."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import CustomerPanel, FunctionKey, MenuAction, StatusItem

CTX = "HandlingPlugin"


def _panel(ctx, parent):
    from app.views.handling.matter_views import MattersPanel

    return MattersPanel(ctx, parent)


def register_matter(ctx, window) -> None:
    from app.views.handling.register_dialog import RegisterMatterDialog, print_matter_receipt

    dialog = RegisterMatterDialog(ctx, window, ctx.current_customer_id, getattr(ctx, "current_account_id", None))
    if dialog.exec() and dialog.registered:
        print_matter_receipt(ctx, window, dialog.registered.matter_id)
        ctx.data_changed.emit("matters")
        window.focus_search()


def _queues(ctx, window) -> None:
    from app.views.handling.matter_views import QueuesWindow

    QueuesWindow(ctx, window).exec()
    ctx.data_changed.emit("matters")


def _outage(ctx, window) -> None:
    from app.views.handling.outage_dialog import OutageDialog, print_outage_notice

    dialog = OutageDialog(ctx, window)
    if dialog.exec() and dialog.outage_id:
        print_outage_notice(ctx, window, dialog.outage_id)
        ctx.data_changed.emit("matters")


def _outages(ctx, window) -> None:
    from app.views.handling.outage_dialog import OutagesWindow

    OutagesWindow(ctx, window).exec()
    ctx.data_changed.emit("matters")


def _checklist(ctx, window) -> None:
    from app.views.handling.outage_dialog import print_checklist

    print_checklist(ctx, window)


def _status(ctx, parent):
    from app.views.handling.matter_views import QueueStatus

    return QueueStatus(ctx, parent)


def warnings(ctx, customer_id) -> list[tuple[str, str]]:
    """Overdue matters, repeat complaints and planned outages change what the clerk says. Each matter's timing
    is the service's (MatterRow.timing, by the company's matters.warn_before_hours, as in the queues)."""
    from app.services.handling import matters as mt
    from app.services.handling import outages

    out = []
    now = mt.local_now()
    rows = mt.customer_matters(ctx.db, customer_id)
    overdue = [m for m in rows if m.timing(now) == "overdue"]
    if overdue:
        out.append(
            (
                "danger",
                QCoreApplication.translate("HandlingPlugin", "Overdue matter: %1").replace("%1", ", ".join(m.matter_no for m in overdue)),
            )
        )
    late_contact = [m for m in rows if m.timing(now) == "contact_overdue"]
    if late_contact:
        out.append(
            (
                "danger",
                QCoreApplication.translate("HandlingPlugin", "First contact overdue: %1").replace(
                    "%1", ", ".join(m.matter_no for m in late_contact)
                ),
            )
        )
    for m in (m for m in rows if m.timing(now) == "contact_due"):
        out.append(
            (
                "warn",
                QCoreApplication.translate("HandlingPlugin", "Contact the customer about %1 by %2")
                .replace("%1", m.matter_no)
                .replace("%2", m.contact_by.strftime("%m-%d %H:%M")),
            )
        )
    repeats = [m for m in rows if m.repeat_count]  # only kinds that count repeats (complaints) have one
    if repeats:
        out.append(
            (
                "danger",
                QCoreApplication.translate("HandlingPlugin", "Repeat complaint (%1 times)").replace(
                    "%1", str(max(m.repeat_count for m in repeats) + 1)
                ),
            )
        )
    for o in outages.outages_for_customer(ctx.db, customer_id, now):
        out.append(
            (
                "warn",
                QCoreApplication.translate("HandlingPlugin", "Planned outage %1 – %2: %3")
                .replace("%1", o.starts_at.strftime("%m-%d %H:%M"))
                .replace("%2", o.ends_at.strftime("%m-%d %H:%M"))
                .replace("%3", o.reason),
            )
        )
    return out


def warm_up(db, actor) -> None:
    """The status bar's queue counts, read once in the start-up loader's thread (app.views.startup)."""
    from app.services.handling import matters as mt

    mt.queue_counts(db, actor)


def contribute(registry) -> None:
    # the matters service registers the work-order scan resolver and F7's "first contact of W-…" offer when imported
    import app.services.handling.matters  # noqa: F401

    registry.add_function_key(
        FunctionKey("F6", QT_TRANSLATE_NOOP("HandlingPlugin", "New matter"), CTX, "keyNewMatter", register_matter, needs_customer=False)
    )
    registry.add_panel(
        CustomerPanel("mattersPanel", QT_TRANSLATE_NOOP("HandlingPlugin", "Open matters"), CTX, _panel, order=10, areas=("matters",))
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("HandlingPlugin", "Matter queues…"), CTX, "actionQueues", _queues, "Ctrl+Q")
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("HandlingPlugin", "Print a one-time notice…"), CTX, "actionChecklist", _checklist)
    )
    registry.add_menu_action(MenuAction("counter", QT_TRANSLATE_NOOP("HandlingPlugin", "Planned outages…"), CTX, "actionOutages", _outages))
    registry.add_menu_action(
        MenuAction(
            "counter",
            QT_TRANSLATE_NOOP("HandlingPlugin", "Register a planned outage…"),
            CTX,
            "actionOutage",
            _outage,
            roles=("supervisor", "admin"),
        )
    )
    registry.add_status_item(StatusItem("statusQueues", _status, order=50))
    registry.add_warning_source(warnings)
