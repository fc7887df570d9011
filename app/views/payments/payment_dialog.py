"""F4: what is owed, the amount and method, a one-screen summary, then post and print — keyboard only."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.money import format_yuan, from_fen, parse_amount
from app.kernel.payment_methods import COUNTER_METHODS, method_name
from app.services.billing import bills
from app.services.payments import posting


class PaymentDialog(QDialog):
    def __init__(self, ctx, account, parent=None, customer_name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account  # AccountView
        self.customer_name = customer_name or account.account_name  # named in the confirmation
        self.key = uuid.uuid4().hex  # one key per dialog: Enter twice posts once
        self.posted: posting.Posted | None = None
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("Take payment (F4) — %1").replace("%1", account.account_no))
        self.resize(760, 560)
        box = QVBoxLayout(self)
        self.pages = QStackedWidget()
        box.addWidget(self.pages)

        entry = QWidget()
        ev = QVBoxLayout(entry)
        self.owed = bills.account_arrears(ctx.db, account.id)
        self.table = QTableWidget(len(self.owed), 5)
        self.table.setObjectName("owedTable")
        self.table.setHorizontalHeaderLabels([self.tr("Period"), self.tr("Usage"), self.tr("Charges"), self.tr("Late fee"), self.tr("Due")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, o in enumerate(self.owed):
            for c, v in enumerate(
                [
                    o.period,
                    format(o.usage.normalize(), "f"),
                    format_yuan(o.principal_fen),
                    format_yuan(o.late_fee_fen),
                    o.due_date.isoformat(),
                ]
            ):
                item = QTableWidgetItem(v)
                if c in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        ev.addWidget(self.table)
        total = sum(o.total_fen for o in self.owed)
        self.total_owed = QLabel(
            self.tr("Owed %1 · prepaid balance %2").replace("%1", format_yuan(total)).replace("%2", format_yuan(account.balance_fen))
        )
        self.total_owed.setObjectName("totalOwed")
        self.total_owed.setProperty("role", "title")
        ev.addWidget(self.total_owed)
        form = QFormLayout()
        self.amount = QLineEdit(f"{from_fen(total)}" if total else "")
        self.amount.setObjectName("amountField")
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        self.method = QComboBox()
        self.method.setObjectName("methodCombo")
        for number, m in enumerate(COUNTER_METHODS, 1):  # Alt+1…4 choose them in this order
            self.method.addItem(f"{number} {method_name(m.code, QCoreApplication.translate)}", m.code)
        form.addRow(self.tr("Method"), self.method)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tenderedField")
        form.addRow(self.tr("Cash tendered"), self.tendered)
        self.reference = QLineEdit()
        self.reference.setObjectName("referenceField")
        form.addRow(self.tr("Terminal / transaction ref."), self.reference)
        ev.addLayout(form)
        self.change = QLabel()
        self.change.setObjectName("changeLabel")
        self.change.setStyleSheet("font-size: 22pt; font-weight: bold; color: #0b3d91;")
        ev.addWidget(self.change)
        self.error = QLabel()
        self.error.setObjectName("paymentError")
        self.error.setProperty("role", "fieldError")
        ev.addWidget(self.error)
        self.pages.addWidget(entry)

        summary = QWidget()
        sv = QVBoxLayout(summary)
        self.summary = QLabel()
        self.summary.setObjectName("paymentSummary")
        self.summary.setStyleSheet("font-size: 15pt;")
        self.summary.setWordWrap(True)
        sv.addWidget(self.summary, 1)
        self.pages.addWidget(summary)

        row = QHBoxLayout()
        self.back = QPushButton(self.tr("Back"))
        self.back.setObjectName("backButton")
        self.back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.next = QPushButton(self.tr("Continue (Enter)"))
        self.next.setObjectName("confirmButton")
        self.next.setDefault(True)
        self.next.clicked.connect(self.advance)
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.next)
        box.addLayout(row)
        self.fields = {"amount": self.amount, "tendered": self.tendered, "method": self.method, "reference": self.reference}
        for w in (self.amount, self.tendered):
            w.textChanged.connect(self._live)
            w.returnPressed.connect(self.advance)
        self.reference.returnPressed.connect(self.advance)
        self.reference.textChanged.connect(self._live)
        self.method.currentIndexChanged.connect(self._live)
        self._live()
        self.amount.setFocus()
        self.amount.selectAll()
        from app.views.help import show_guide

        guide = QShortcut(QKeySequence(Qt.Key.Key_F1), self)
        guide.activated.connect(lambda: show_guide(self, "payment"))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        keys = {Qt.Key.Key_1 + i: i for i in range(len(COUNTER_METHODS))}
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and event.key() in keys:
            self.method.setCurrentIndex(keys[event.key()])
            return
        super().keyPressEvent(event)

    def _live(self) -> None:
        # An error is about what was typed: once the clerk changes it, the old message goes.
        self._clear_error()
        cash = self.method.currentData() == "cash"
        self.tendered.setEnabled(cash)
        self.reference.setEnabled(not cash)
        self.back.setEnabled(self.pages.currentIndex() == 1)
        self.change.clear()
        if cash:
            try:
                amount = parse_amount(self.amount.text())
                tendered = parse_amount(self.tendered.text() or self.amount.text(), "tendered")
                if tendered >= amount:
                    self.change.setText(self.tr("Change %1").replace("%1", format_yuan(tendered - amount)))
            except ValidationError:
                pass
        self.ctx.payment_progress.emit(self)  # the customer display mirrors the entry (app/views/counter)

    def advance(self) -> None:
        if self.pages.currentIndex() == 0:
            self._summary()
        else:
            self._post()

    def _clear_error(self) -> None:
        self.error.clear()
        for w in self.fields.values():
            if w.property("invalid"):
                w.setProperty("invalid", False)
                w.style().unpolish(w)
                w.style().polish(w)

    def show_error(self, text: str, field: str | None) -> None:
        """The message under the form, the field at fault marked and given the keyboard."""
        self.pages.setCurrentIndex(0)
        self.back.setEnabled(False)
        self._clear_error()
        self.error.setText(text)
        w = self.fields.get(field or "", self.amount)
        if not w.isEnabled():
            w = self.amount
        w.setProperty("invalid", True)
        w.style().unpolish(w)
        w.style().polish(w)
        w.setFocus()
        if isinstance(w, QLineEdit):
            w.selectAll()

    def _summary(self) -> None:
        self._clear_error()
        try:
            amount = parse_amount(self.amount.text())
            tendered = parse_amount(self.tendered.text() or self.amount.text(), "tendered") if self.method.currentData() == "cash" else None
        except ValidationError as err:
            self.show_error(error_text(err), err.field)
            return
        if tendered is not None and tendered < amount:
            self.show_error(self.tr("The cash tendered is less than the amount."), "tendered")
            return
        owed = sum(o.total_fen for o in self.owed)
        lines = [
            self.tr("Customer %1, account %2").replace("%1", self.customer_name).replace("%2", self.account.account_no),
            self.tr("Take %1 by %2")
            .replace("%1", format_yuan(amount))
            .replace("%2", method_name(self.method.currentData(), QCoreApplication.translate)),
        ]
        if tendered is not None:
            lines.append(
                self.tr("Tendered %1, change %2").replace("%1", format_yuan(tendered)).replace("%2", format_yuan(tendered - amount))
            )
        surplus = int(amount * 100) - owed
        if surplus > 0:
            lines.append(self.tr("%1 goes to the prepaid balance").replace("%1", format_yuan(surplus)))
        elif surplus < 0:
            lines.append(self.tr("%1 stays owed").replace("%1", format_yuan(-surplus)))
        lines.append(self.tr("Press Enter to confirm and print the receipt."))
        self.summary.setText("\n".join(lines))
        self.pages.setCurrentIndex(1)
        self.back.setEnabled(True)
        self.next.setFocus()

    def _post(self) -> None:
        self.next.setEnabled(False)  # a double click posts once (and the key makes it so anyway)
        try:
            self.posted = posting.post_payment(
                self.ctx.db,
                self.ctx.actor,
                self.account.id,
                self.amount.text(),
                self.method.currentData(),
                self.key,
                self.tendered.text(),
                self.reference.text(),
            )
        except UserError as err:
            self.next.setEnabled(True)
            self.show_error(error_text(err), err.field)
            return
        self.accept()
