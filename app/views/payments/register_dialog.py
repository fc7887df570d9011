"""The receipt register (收据登记簿): the station's receipts newest first, void ones included, found by
number, account or date, reprinted with F8 / Enter / double-click (counted, marked 重打, archived)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.printing.payments.methods import method_name
from app.services.payments import queries

CTX = "ReceiptRegister"
LIMIT = 200
HEADERS = (
    QT_TRANSLATE_NOOP("ReceiptRegister", "Receipt no."),
    QT_TRANSLATE_NOOP("ReceiptRegister", "Time"),
    QT_TRANSLATE_NOOP("ReceiptRegister", "Account"),
    QT_TRANSLATE_NOOP("ReceiptRegister", "Customer"),
    QT_TRANSLATE_NOOP("ReceiptRegister", "Method"),
    QT_TRANSLATE_NOOP("ReceiptRegister", "Amount"),
    QT_TRANSLATE_NOOP("ReceiptRegister", "State"),
    QT_TRANSLATE_NOOP("ReceiptRegister", "Prints"),
)
AMOUNT_COLUMN = 5
GREY = QColor("#666666")
RED = QColor("#b00020")


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def state_text(row: queries.PaymentRow) -> str:
    parts = []
    if row.kind == "reversal":
        parts.append(tr(QT_TRANSLATE_NOOP("ReceiptRegister", "reversal")))
    if row.reversed:
        parts.append(tr(QT_TRANSLATE_NOOP("ReceiptRegister", "reversed")))
    if not row.printed:
        parts.append(tr(QT_TRANSLATE_NOOP("ReceiptRegister", "unprinted")))
    return " · ".join(parts)


class ReceiptRegisterDialog(QDialog):
    """Type or scan to filter (as you type, or Enter); Enter or F8 on a row reprints it."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[queries.PaymentRow] = []
        self.setObjectName("receiptRegisterDialog")
        self.setWindowTitle(self.tr("Receipt register — %1").replace("%1", ctx.actor.station_name))
        self.resize(1180, 620)
        box = QVBoxLayout(self)

        top = QHBoxLayout()
        find = QLabel(self.tr("Find:"))
        top.addWidget(find)
        self.search = QLineEdit()
        self.search.setObjectName("registerSearch")
        self.search.setPlaceholderText(self.tr("Receipt no. or its last digits, account no., or a date 2026-03-15; scan a receipt"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(40)
        find.setBuddy(self.search)
        top.addWidget(self.search, 1)
        self.count = QLabel()
        self.count.setObjectName("registerCount")
        top.addWidget(self.count)
        box.addLayout(top)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("registerTable")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.reprint())
        self.table.installEventFilter(self)  # Enter on a row reprints it
        box.addWidget(self.table, 1)

        self.hint = QLabel()
        self.hint.setObjectName("registerHint")
        self.hint.setWordWrap(True)
        box.addWidget(self.hint)

        row = QHBoxLayout()
        self.reprint_button = QPushButton(self.tr("F8 Reprint"))
        self.reprint_button.setObjectName("registerReprintButton")
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.clicked.connect(self.reprint)
        close = QPushButton(self.tr("Close (Esc)"))
        close.setObjectName("registerCloseButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row.addWidget(self.reprint_button)
        row.addStretch(1)
        row.addWidget(close)
        box.addLayout(row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.search.installEventFilter(self)  # Down goes to the list
        self.refresh()
        self.search.setFocus()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            if obj is self.table and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.reprint()
                return True
            if obj is self.search and event.key() == Qt.Key.Key_Down and self.rows:
                self.table.setFocus()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:
        """F8 from any field of the dialog (the fields do not use it)."""
        if event.key() == Qt.Key.Key_F8 and self.reprint_button.isEnabled():
            self.reprint()
            return
        super().keyPressEvent(event)

    def refresh(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        self.rows = queries.register(self.ctx.db, self.ctx.actor, text, limit=LIMIT)
        self.table.setRowCount(len(self.rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, p in enumerate(self.rows):
            values = [
                p.receipt_no,
                p.at.strftime("%Y-%m-%d %H:%M"),
                p.account_no,
                p.customer_name,
                method_name(p.method, QCoreApplication.translate),
                format_yuan(p.amount_fen),
                state_text(p),
                str(p.print_count),
            ]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if c in (AMOUNT_COLUMN, 7):
                    item.setTextAlignment(right)
                if p.reversed:
                    item.setForeground(GREY)
                elif p.kind == "reversal" or (c == 6 and not p.printed):
                    item.setForeground(RED)
                self.table.setItem(r, c, item)
        if self.rows:
            self.table.selectRow(0)
        if not text:
            self.count.setText(self.tr("Newest %1 receipts").replace("%1", str(len(self.rows))))
        else:
            self.count.setText(self.tr("%1 found").replace("%1", str(len(self.rows))))
        if text and not self.rows:
            self.hint.setText(self.tr("No receipt of this station matches “%1”.").replace("%1", text))
        elif len(self.rows) >= LIMIT:
            self.hint.setText(
                self.tr("Only the newest %1 are listed; find older receipts by number, account or date.").replace("%1", str(LIMIT))
            )
        else:
            self.hint.setText(self.tr("Enter or F8 reprints the selected receipt; the reprint is marked and archived."))
        self.reprint_button.setEnabled(bool(self.rows))

    def _enter(self) -> None:
        """Enter in the search field (or a scanner's Enter): filter now and go to the first receipt."""
        self.refresh()
        if self.rows:
            self.table.setFocus()
            self.table.selectRow(0)

    def selected(self) -> queries.PaymentRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def reprint(self) -> None:
        from app.views.payments.receipts import print_receipt

        p = self.selected()
        if p is None:
            return
        current = self.table.currentRow()
        print_receipt(self.ctx, self, p.id, preview=True)
        self.refresh()
        if 0 <= current < len(self.rows):
            self.table.selectRow(current)
        self.table.setFocus()
