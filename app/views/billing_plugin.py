"""Billing on the main window: the bills panel, F8 print bill, readings, bill issuing, price calculator, tariffs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.plugins import CustomerPanel, FunctionKey, MenuAction

CTX = "BillingPlugin"


def _bills_panel(ctx, parent):
    from app.views.billing.bills_panel import BillsPanel

    return BillsPanel(ctx, parent)


def _print_bill(ctx, window):
    from app.views.billing.bills_panel import print_selected_bill

    print_selected_bill(ctx, window)


def _readings(ctx, window):
    from app.views.billing.readings_screen import ReadingsScreen

    ReadingsScreen(ctx, window).exec()
    ctx.data_changed.emit("billing")


def _issue(ctx, window):
    from app.views.billing.issue_dialog import IssueBillsDialog

    IssueBillsDialog(ctx, window).exec()


def _print_route(ctx, window):
    from app.views.billing.issue_dialog import IssueBillsDialog

    IssueBillsDialog(ctx, window, reprint=True).exec()


def _quote(ctx, window):
    from app.views.billing.quote_dialog import QuoteDialog

    QuoteDialog(ctx, window).exec()


def _import_tariffs(ctx, window):
    from app.views.billing.issue_dialog import TariffImportDialog

    TariffImportDialog(ctx, window).exec()


def arrears_warning(ctx, customer_id):
    """Arrears change what the clerk says first."""
    from app.kernel.money import format_yuan
    from app.services.billing import bills

    open_ = [b for b in bills.customer_bills(ctx.db, customer_id, limit=60) if b.overdue]
    if not open_:
        return []
    owed = sum(b.amount_fen - b.paid_fen + b.late_fee_fen for b in open_)
    oldest = min(b.period for b in open_)
    text = (
        QCoreApplication.translate("BillingPlugin", "Arrears %1 (with late fees), overdue since %2")
        .replace("%1", format_yuan(owed))
        .replace("%2", oldest)
    )
    return [("danger", text)]


def contribute(registry) -> None:
    registry.add_panel(
        CustomerPanel("billsPanel", QT_TRANSLATE_NOOP("BillingPlugin", "Bills"), CTX, _bills_panel, order=20, areas=("billing", "payments"))
    )
    registry.add_function_key(FunctionKey("F8", QT_TRANSLATE_NOOP("BillingPlugin", "Print bill"), CTX, "keyPrintBill", _print_bill))
    registry.add_function_key(
        FunctionKey("F10", QT_TRANSLATE_NOOP("BillingPlugin", "Price calculator"), CTX, "keyQuote", _quote, needs_customer=False)
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("BillingPlugin", "Meter readings by route…"), CTX, "actionReadings", _readings, "Ctrl+R")
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("BillingPlugin", "Issue bills for a route…"), CTX, "actionIssueBills", _issue)
    )
    registry.add_menu_action(
        MenuAction("counter", QT_TRANSLATE_NOOP("BillingPlugin", "Print a route's bills…"), CTX, "actionPrintRoute", _print_route)
    )
    registry.add_menu_action(MenuAction("tools", QT_TRANSLATE_NOOP("BillingPlugin", "Price calculator"), CTX, "actionQuote", _quote))
    registry.add_menu_action(
        MenuAction(
            "admin",
            QT_TRANSLATE_NOOP("BillingPlugin", "Import a tariff file…"),
            CTX,
            "actionImportTariffs",
            _import_tariffs,
            roles=("admin",),
        )
    )
    registry.add_warning_source(arrears_warning)
