"""Supervisor approval: a supervisor acts directly; a clerk's action needs a supervisor's log-in typed in."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError
from app.services import auth
from app.views.forms import FieldForm


class SupervisorDialog(QDialog):
    def __init__(self, db, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = None
        self.setObjectName("supervisorDialog")
        self.setWindowTitle(self.tr("Supervisor approval"))
        box = QVBoxLayout(self)
        box.addWidget(QLabel(self.tr("This needs a supervisor. Supervisor, please log in:")))
        self.form = FieldForm(self)
        self.login = self.form.line("login", self.tr("Login name"), max_len=40)
        self.password = self.form.line("password", self.tr("Password"), max_len=100)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def check(self) -> None:
        try:
            self.actor = auth.verify_supervisor(self.db, self.login.text(), self.password.text())
        except UserError as err:
            self.form.show_errors({"password": err})
            return
        self.accept()


def with_supervisor(ctx, window, action: Callable, other_than=None) -> bool:
    """Run action(actor) as the logged-in supervisor, or as the supervisor who approves; True when done.
    `other_than` (a clerk id): that clerk cannot approve it, so a supervisor who is that clerk asks another."""
    actor = ctx.actor
    if not actor.is_supervisor or (other_than is not None and actor.clerk_id == other_than):
        dialog = SupervisorDialog(ctx.db, window)
        if not dialog.exec():
            return False
        actor = dialog.actor
    try:
        action(actor)
    except UserError as err:
        QMessageBox.warning(window, SupervisorDialog.tr("Not done"), error_text(err))
        return False
    return True
