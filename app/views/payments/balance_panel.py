"""The prepaid balance on the customer screen: each movement, and for a deduction the bill and the kWh or m3 it paid for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.views.tables import Column, model_table

CTX = "BalancePanel"
KIND_LABELS = {
    "opening": QT_TRANSLATE_NOOP("BalancePanel", "Balance brought in"),
    "deposit": QT_TRANSLATE_NOOP("BalancePanel", "Prepaid"),
    "deduction": QT_TRANSLATE_NOOP("BalancePanel", "Paid bill %1"),
    "reversal": QT_TRANSLATE_NOOP("BalancePanel", "Prepayment reversed"),
    "refund": QT_TRANSLATE_NOOP("BalancePanel", "Back from void bill %1"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("BalancePanel", "Time"),
    QT_TRANSLATE_NOOP("BalancePanel", "Account no."),
    QT_TRANSLATE_NOOP("BalancePanel", "Movement"),
    QT_TRANSLATE_NOOP("BalancePanel", "Quantity"),
    QT_TRANSLATE_NOOP("BalancePanel", "Amount"),
    QT_TRANSLATE_NOOP("BalancePanel", "Balance"),
    QT_TRANSLATE_NOOP("BalancePanel", "Receipt / bill"),
)


def movement_text(row) -> str:
    return QCoreApplication.translate(CTX, KIND_LABELS.get(row.kind, row.kind)).replace("%1", row.period)


def quantity_text(row) -> str:
    if not row.quantity:
        return ""
    return f"{format(abs(row.quantity).normalize(), 'f')} {row.unit}"


class BalancePanel(QWidget):
    """load(customer_id) fills the table from app.services.balance.ledger."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        # Time, quantities and money keep their width; the receipt or bill number gives way first.
        t = QCoreApplication.translate
        self.table = model_table(
            "balanceTable",
            [
                Column(t(CTX, HEADERS[0]), lambda row: row.at.strftime("%m-%d %H:%M")),
                Column(t(CTX, HEADERS[1]), lambda row: row.account_no),
                Column(t(CTX, HEADERS[2]), movement_text),
                Column(t(CTX, HEADERS[3]), quantity_text, right=True),
                Column(t(CTX, HEADERS[4]), lambda row: format_yuan(row.amount_fen), right=True),
                Column(t(CTX, HEADERS[5]), lambda row: format_yuan(row.balance_after_fen), right=True),
                Column(t(CTX, HEADERS[6]), lambda row: row.reference),
            ],
            elastic=(6,),
            keep=(0, 3, 4, 5),
        )
        self.table.setMinimumHeight(90)
        box.addWidget(self.table)

    def load(self, customer_id) -> None:
        from app.services import balance

        self.table.set_rows(balance.ledger(self.ctx.db, customer_id) if customer_id else [])
