"""Bank mandates (代扣协议) on the customer screen: the customer's mandates with the bank account number
masked, a form to add one and one to end the selected one (docs/INTERFACES.md, "Bank collection")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.localtime import local_today
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.interfaces import bank_collection as bc
from app.views.forms import FieldForm
from app.views.tables import Column, model_table

CTX = "MandatesPanel"
HEADERS = (
    QT_TRANSLATE_NOOP("MandatesPanel", "Account no."),
    QT_TRANSLATE_NOOP("MandatesPanel", "Bank"),
    QT_TRANSLATE_NOOP("MandatesPanel", "Bank account"),
    QT_TRANSLATE_NOOP("MandatesPanel", "Holder"),
    QT_TRANSLATE_NOOP("MandatesPanel", "From"),
    QT_TRANSLATE_NOOP("MandatesPanel", "Until"),
)
ADD = QT_TRANSLATE_NOOP("MandatesPanel", "Add mandate…")
END = QT_TRANSLATE_NOOP("MandatesPanel", "End mandate…")


class MandatesPanel(QWidget):
    """load(customer_id) shows the customer's mandates; Add mandate… opens the form."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        t = QCoreApplication.translate
        self.table = model_table(
            "mandatesTable",
            [
                Column(t(CTX, HEADERS[0]), lambda r: r.account_no),
                Column(t(CTX, HEADERS[1]), lambda r: r.bank_name),
                Column(t(CTX, HEADERS[2]), lambda r: r.bank_account_masked),
                Column(t(CTX, HEADERS[3]), lambda r: r.holder),
                Column(t(CTX, HEADERS[4]), lambda r: r.start_date.isoformat()),
                Column(t(CTX, HEADERS[5]), lambda r: r.end_date.isoformat() if r.end_date else ""),
            ],
            elastic=(1, 3),
            keep=(0, 2, 4, 5),
        )
        self.table.setMinimumHeight(70)
        box.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        self.end_button = QPushButton(t(CTX, END))
        self.end_button.setObjectName("endMandateButton")
        self.end_button.setEnabled(False)
        self.end_button.clicked.connect(self.end)
        row.addWidget(self.end_button)
        self.table.selectionModel().currentChanged.connect(self._selection_changed)
        self.add_button = QPushButton(t(CTX, ADD))
        self.add_button.setObjectName("addMandateButton")
        self.add_button.clicked.connect(self.add)
        row.addWidget(self.add_button)
        box.addLayout(row)

    def load(self, customer_id) -> None:
        self.customer_id = customer_id
        self.add_button.setEnabled(customer_id is not None)
        self.table.set_rows(bc.customer_mandates(self.ctx.db, customer_id) if customer_id else [])
        self._selection_changed()

    def _selection_changed(self, *_args) -> None:
        row = self.table.selected()
        self.end_button.setEnabled(row is not None and row.end_date is None)

    def end(self) -> None:
        """End the selected mandate (in force) on a day the clerk types."""
        row = self.table.selected()
        if row is None or row.end_date is not None:
            return
        if EndMandateDialog(self.ctx, row, self).exec() == QDialog.DialogCode.Accepted:
            self.ctx.data_changed.emit("customers")
            self.load(self.customer_id)

    def add(self) -> None:
        if self.customer_id is None:
            return
        if MandateDialog(self.ctx, self.customer_id, self).exec() == QDialog.DialogCode.Accepted:
            self.ctx.data_changed.emit("customers")


class MandateDialog(QDialog):
    """A new mandate for one of the customer's accounts; each error shows under its field (FieldForm)."""

    def __init__(self, ctx, customer_id, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self.setObjectName("mandateDialog")
        self.setWindowTitle(self.tr("Bank mandate"))
        box = QVBoxLayout(self)
        f = self.form = FieldForm(self)
        accounts = [(account_id, f"{no}  {address}") for account_id, no, address in bc.mandate_accounts(ctx.db, customer_id)]
        self.account = f.combo("account", self.tr("Account"), accounts)
        self.bank = f.combo("bank", self.tr("Bank"), [(code, f"{name} ({code})") for code, name in bc.bank_choices()])
        self.bank_account = f.line("bank_account", self.tr("Bank account number"), max_len=40)
        self.holder = f.line("holder", self.tr("Account holder"), max_len=100)
        self.start = f.line("start_date", self.tr("Collect from (YYYY-MM-DD)"), local_today().isoformat(), max_len=10)
        box.addWidget(f)
        self.message = QLabel()  # what is not about one field (a refusal of the whole mandate)
        self.message.setObjectName("mandateMessage")
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.bank_account.setFocus()

    def save(self) -> None:
        data = bc.MandateInput(
            self.account.currentData(), self.bank.currentData() or "", self.bank_account.text(), self.holder.text(), self.start.text()
        )
        self.message.clear()
        try:
            bc.add_mandate(self.ctx.db, self.ctx.actor, self.customer_id, data)
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                self.message.setText(error_text(next(iter(err.errors.values()))))
            return
        except UserError as err:
            self.form.clear_errors()
            self.message.setText(error_text(err))
            return
        self.accept()


class EndMandateDialog(QDialog):
    """The day a mandate ends (today by default); the error shows under the field."""

    def __init__(self, ctx, row, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.setObjectName("endMandateDialog")
        self.setWindowTitle(self.tr("End bank mandate"))
        box = QVBoxLayout(self)
        box.addWidget(
            QLabel(
                self.tr("Account %1, %2 %3")
                .replace("%1", row.account_no)
                .replace("%2", row.bank_name)
                .replace("%3", row.bank_account_masked)
            )
        )
        f = self.form = FieldForm(self)
        self.end_date = f.line("end_date", self.tr("Last day collected (YYYY-MM-DD)"), local_today().isoformat(), max_len=10)
        box.addWidget(f)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.end_date.setFocus()

    def save(self) -> None:
        try:
            bc.end_mandate(self.ctx.db, self.ctx.actor, self.row.id, self.end_date.text())
        except UserError as err:  # every refusal here is about the end date (bad, too early, ended already)
            self.form.show_errors(err.errors if isinstance(err, ValidationError) else {"end_date": err})
            return
        self.accept()
