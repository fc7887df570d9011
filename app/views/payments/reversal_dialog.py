"""冲正 in one dialog: the payment being reversed, the reason and, when the clerk is not a supervisor,
the approving supervisor's log-in, each error shown at its field; the reversal receipt prints after."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import AuthError, PermissionDenied, UserError, ValidationError
from app.kernel.money import format_yuan
from app.kernel.payment_methods import method_name
from app.services import auth
from app.views.forms import FieldForm


class ReversalDialog(QDialog):
    """`payment` is a PaymentRow (app.services.payments.queries); `posted` holds the reversal after OK."""

    def __init__(self, ctx, payment, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.payment = payment
        self.posted = None
        self.key = uuid.uuid4().hex  # OK pressed twice reverses once
        self.setObjectName("reversalDialog")
        self.setWindowTitle(self.tr("Reverse payment %1").replace("%1", payment.receipt_no))
        self.setMinimumWidth(460)
        box = QVBoxLayout(self)
        summary = QLabel(
            self.tr("Receipt %1 of %2, account %3: %4 by %5.")
            .replace("%1", payment.receipt_no)
            .replace("%2", payment.at.strftime("%Y-%m-%d %H:%M"))
            .replace("%3", payment.account_no)
            .replace("%4", format_yuan(payment.amount_fen))
            .replace("%5", method_name(payment.method, QCoreApplication.translate))
        )
        summary.setObjectName("reversalSummary")
        summary.setWordWrap(True)
        box.addWidget(summary)
        box.addWidget(
            QLabel(
                self.tr("The payment stays in the register; a reversal receipt with its own number undoes it and its bills are owed again.")
            )
        )
        self.form = FieldForm(self)
        self.reason = self.form.line("reason", self.tr("Reason"), max_len=500)
        self.needs_supervisor = not ctx.actor.is_supervisor
        if self.needs_supervisor:
            self.login = self.form.line("supervisor_login", self.tr("Supervisor login"), max_len=40)
            self.password = self.form.line("supervisor_password", self.tr("Supervisor password"), max_len=100)
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reverse"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("reverseOk")
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.reason.setFocus()

    def confirm(self) -> None:
        from app.services.payments import posting

        if self.posted is not None:
            return
        self.form.clear_errors()
        approver = self.ctx.actor
        try:
            posting.reversal_reason(self.reason.text())  # the service's rule, checked before the password
            if self.needs_supervisor:
                try:
                    approver = auth.verify_supervisor(self.ctx.db, self.login.text(), self.password.text())
                except (AuthError, PermissionDenied) as err:
                    raise ValidationError({"supervisor_password": err}) from err
            self.posted = posting.reverse_payment(self.ctx.db, approver, self.ctx.actor, self.payment.id, self.reason.text(), self.key)
        except ValidationError as err:
            self.form.show_errors(err.errors)
            self.adjustSize()  # room for the error lines, so no field is squashed
            return
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not reversed"), error_text(err))
            return
        self.accept()
