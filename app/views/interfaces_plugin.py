"""Readings from files and bank collection on the main window: Counter → Import meter readings…,
and the Bank mandates panel on the customer screen."""

from __future__ import annotations

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import CustomerPanel, MenuAction

CTX = "InterfacesPlugin"


def _readings_import(ctx, window) -> None:
    from app.views.interfaces.readings_import_dialog import ReadingsImportDialog

    ReadingsImportDialog(ctx, window).exec()
    ctx.data_changed.emit("billing")


def _mandates_panel(ctx, parent):
    from app.views.interfaces.mandates_panel import MandatesPanel

    return MandatesPanel(ctx, parent)


def contribute(registry) -> None:
    registry.add_menu_action(
        MenuAction(
            "counter", QT_TRANSLATE_NOOP("InterfacesPlugin", "Import meter readings…"), CTX, "actionReadingsImport", _readings_import
        )
    )
    registry.add_panel(
        CustomerPanel(
            "mandatesPanel",
            QT_TRANSLATE_NOOP("InterfacesPlugin", "Bank mandates"),
            CTX,
            _mandates_panel,
            order=70,
            column="left",
            areas=("customers",),
        )
    )
