"""The prepaid balance on the customer screen: each movement, and for a deduction the bill and the kWh or m3 it paid for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.services.messages import QT_TRANSLATE_NOOP
from app.services.money import format_yuan

CTX = "BalancePanel"
KIND_LABELS = {
    "opening": QT_TRANSLATE_NOOP("BalancePanel", "Balance brought in"),
    "deposit": QT_TRANSLATE_NOOP("BalancePanel", "Prepaid"),
    "deduction": QT_TRANSLATE_NOOP("BalancePanel", "Paid bill %1"),
    "reversal": QT_TRANSLATE_NOOP("BalancePanel", "Prepayment reversed"),
    "refund": QT_TRANSLATE_NOOP("BalancePanel", "Back from void bill %1"),
}
HEADERS = (QT_TRANSLATE_NOOP("BalancePanel", "Time"), QT_TRANSLATE_NOOP("BalancePanel", "Account no."),
           QT_TRANSLATE_NOOP("BalancePanel", "Movement"), QT_TRANSLATE_NOOP("BalancePanel", "Quantity"),
           QT_TRANSLATE_NOOP("BalancePanel", "Amount"), QT_TRANSLATE_NOOP("BalancePanel", "Balance"),
           QT_TRANSLATE_NOOP("BalancePanel", "Receipt / bill"))
RIGHT = (3, 4, 5)


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
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("balanceTable")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate(CTX, h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        box.addWidget(self.table)

    def load(self, customer_id) -> None:
        from app.services import balance

        rows = balance.ledger(self.ctx.db, customer_id) if customer_id else []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row.at.strftime("%m-%d %H:%M"), row.account_no, movement_text(row), quantity_text(row),
                      format_yuan(row.amount_fen), format_yuan(row.balance_after_fen), row.reference]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in RIGHT:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
