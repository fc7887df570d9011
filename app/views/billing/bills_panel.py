"""The customer's bills on the customer screen, and printing a bill (F8)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.services.billing import bills
from app.views.tables import Column, model_table

STATUS = {
    "unpaid": QT_TRANSLATE_NOOP("BillsPanel", "Unpaid"),
    "partly_paid": QT_TRANSLATE_NOOP("BillsPanel", "Partly paid"),
    "paid": QT_TRANSLATE_NOOP("BillsPanel", "Paid"),
    "void": QT_TRANSLATE_NOOP("BillsPanel", "Void"),
}


class BillsPanel(QWidget):
    """The customer's bills (app.services.billing.bills.BillRow), newest first; overdue ones in dark red."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        # Money, usage and dates keep their width; the status, then the account number (shown above) give way.
        self.table = model_table(
            "billsTable",
            [
                Column(self.tr("Period"), lambda b: b.period),
                Column(self.tr("Account"), lambda b: b.account_no),
                Column(self.tr("Usage"), lambda b: format(b.usage.normalize(), "f"), right=True),
                Column(self.tr("Amount"), lambda b: format_yuan(b.amount_fen), right=True),
                Column(self.tr("Paid"), lambda b: format_yuan(b.paid_fen), right=True),
                Column(self.tr("Late fee"), lambda b: format_yuan(b.late_fee_fen) if b.late_fee_fen else "", right=True),
                Column(self.tr("Due"), lambda b: b.due_date.isoformat()),
                Column(self.tr("Status"), lambda b: QCoreApplication.translate("BillsPanel", STATUS.get(b.status, b.status))),
            ],
            elastic=(7,),
            keep=(0, 2, 3, 4, 5, 6),
            foreground=lambda b: QColor(Qt.GlobalColor.darkRed) if b.overdue else None,
        )
        self.table.setMinimumHeight(140)
        self.table.doubleClicked.connect(lambda _i: print_bill_of(self.ctx, self.window(), self))
        box.addWidget(self.table)
        row = QHBoxLayout()
        for name, text, fn in [
            ("voidBillButton", self.tr("Void…"), void_selected),
            ("reissueBillButton", self.tr("Issue again"), reissue_selected),
            ("waiveLateFeeButton", self.tr("Waive late fee…"), waive_selected),
        ]:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(lambda _c=False, f=fn: f(self.ctx, self.window(), self))
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)

    def load(self, customer_id) -> None:
        self.table.set_rows(
            bills.customer_bills(self.ctx.db, customer_id) if customer_id else [], key=lambda b: b.id, select_first=True
        )  # F8 prints the newest bill unless another is chosen

    @property
    def rows(self) -> list:
        return self.table.rows()

    def selected(self):
        """The bill on the current line, or the newest when none is current."""
        rows = self.table.rows()
        return self.table.selected() or (rows[0] if rows else None)


def bills_panel_of(window) -> BillsPanel | None:
    """The bills panel of the customer on the main window's screen (None without one)."""
    screen = getattr(window, "customer", None)
    return screen.panel("billsPanel") if screen is not None and hasattr(screen, "panel") else None


def print_bill(ctx, window, bill_id, paper: str = "A4") -> bool:
    """Preview the bill as it will print (重打 (N) from the second print on, the count read from the database);
    printing or saving it from there archives it and counts the print (app.services.documents)."""
    from app.views.pdf_preview import output_document

    return output_document(ctx, window, "bill", bill_id, "preview", paper, area="billing")


def _reason(window, title: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(window, title, QCoreApplication.translate("BillsPanel", "Reason:"))
    return text if ok else None


def _supervisor_action(ctx, window, action) -> None:
    """Runs a supervisor-only bill action; a clerk is asked for a supervisor's log-in in the same step."""
    from app.views.supervisor import with_supervisor

    with_supervisor(ctx, window, action)


def _approved_bill_action(ctx, window, panel, title: str, service_call) -> None:
    """Ask a reason, get a supervisor's approval, then run service_call(actor, bill_id, reason)."""
    bill = panel.selected() if panel is not None else None
    if bill is None:
        return
    reason = _reason(window, title.replace("%1", bill.bill_no))
    if reason is None:
        return
    _supervisor_action(ctx, window, lambda actor: service_call(ctx.db, actor, bill.id, reason))
    ctx.data_changed.emit("billing")


def void_selected(ctx, window, panel) -> None:
    _approved_bill_action(ctx, window, panel, QCoreApplication.translate("BillsPanel", "Void bill %1"), bills.void_bill)


def reissue_selected(ctx, window, panel) -> None:
    bill = panel.selected() if panel is not None else None
    if bill is None:
        return
    try:
        bills.reissue_bill(ctx.db, ctx.actor, bill.id)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("BillsPanel", "Not issued"), error_text(err))
    ctx.data_changed.emit("billing")


def waive_selected(ctx, window, panel) -> None:
    _approved_bill_action(ctx, window, panel, QCoreApplication.translate("BillsPanel", "Waive the late fee of %1"), bills.waive_late_fee)


def print_selected_bill(ctx, window) -> None:
    """F8: the bill selected in the bills panel of the customer on screen."""
    print_bill_of(ctx, window, bills_panel_of(window))


def print_bill_of(ctx, window, panel) -> None:
    bill = panel.selected() if panel is not None else None
    if bill is None:
        QMessageBox.information(
            window,
            QCoreApplication.translate("BillsPanel", "No bill"),
            QCoreApplication.translate("BillsPanel", "This customer has no bill to print."),
        )
        return
    print_bill(ctx, window, bill.id)
