"""Reports on the main window: the Reports menu (supervisors and administrators), arrears reminders
for an account (any clerk) or a route, and the customer screen's note of the last reminder sent."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import MenuAction

CTX = "ReportsPlugin"
SUPERVISORS = ("supervisor", "admin")


def _screen(name: str):
    def open_screen(ctx, window):
        from app.views.reports.report_screen import ReportScreen

        screen = ReportScreen(ctx, window, name)
        screen.run()
        screen.exec()

    return open_screen


def _reminders(ctx, window):
    from app.services.reports.dunning import account_no_of
    from app.views.reports.report_screen import DunningDialog

    DunningDialog(ctx, window, account_no_of(ctx.db, getattr(ctx, "current_account_id", None))).exec()


def last_reminder_warning(ctx, customer_id):
    """When the last arrears reminder went out: the clerk knows the customer has been told."""
    from app.services.reports.dunning import last_reminder

    last = last_reminder(ctx.db, customer_id)
    if last is None:
        return []
    text = (
        QCoreApplication.translate("ReportsPlugin", "Last arrears reminder %1: %2")
        .replace("%1", last.at.strftime("%Y-%m-%d"))
        .replace("%2", last.summary)
    )
    return [("info", text)]


REPORT_ITEMS = (
    ("collections", QT_TRANSLATE_NOOP("ReportsPlugin", "Collections…"), "actionReportCollections"),
    ("collection-rate", QT_TRANSLATE_NOOP("ReportsPlugin", "Collection rate…"), "actionReportCollectionRate"),
    ("ageing", QT_TRANSLATE_NOOP("ReportsPlugin", "Arrears ageing…"), "actionReportAgeing"),
    ("sales", QT_TRANSLATE_NOOP("ReportsPlugin", "Sales by tariff…"), "actionReportSales"),
    ("readings", QT_TRANSLATE_NOOP("ReportsPlugin", "Readings…"), "actionReportReadings"),
    ("requests", QT_TRANSLATE_NOOP("ReportsPlugin", "Requests…"), "actionReportRequests"),
    ("service", QT_TRANSLATE_NOOP("ReportsPlugin", "Service ratings and queue…"), "actionReportService"),
)


def contribute(registry) -> None:
    for name, label, object_name in REPORT_ITEMS:
        registry.add_menu_action(MenuAction("reports", label, CTX, object_name, _screen(name), roles=SUPERVISORS))
    registry.add_menu_action(
        MenuAction("reports", QT_TRANSLATE_NOOP("ReportsPlugin", "Arrears reminders…"), CTX, "actionDunning", _reminders)
    )
    registry.add_warning_source(last_reminder_warning)
