"""First-run setup and log-in dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from app.kernel.errors import UserError
from app.views.forms import FieldForm

# app.services.auth (and with it SQLAlchemy and the models) is imported when first needed: the log-in
# window shows before the data layer is loaded (app.views.startup).


class LoginDialog(QDialog):
    """Log-in; in demo mode the demo log-ins are listed under the form.

    With `loading` (an app.views.startup.DataLayerLoader) the dialog shows before the store is open;
    `db` is taken from the loader when the clerk confirms (waiting for it if need be). When the loader
    finds the store cannot be opened or needs setting up, the dialog closes itself with `interrupted`
    set, and the caller takes over."""

    def __init__(self, db, demo_users=None, parent=None, loading=None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = None
        self.loading = loading
        self.interrupted = False
        self._waiting = False  # the clerk confirmed before the data layer was loaded
        if loading is not None:
            loading.done.connect(self._loaded)
            if loading.finished:  # finished before the connection was made
                QTimer.singleShot(0, self._loaded)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("CounterDesk — log in"))
        # Wide enough that a message under the password (wrong password, lock-out) takes two or three lines.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 30)
        box = QVBoxLayout(self)
        title = QLabel(self.tr("CounterDesk service counter"))
        title.setProperty("role", "title")
        box.addWidget(title)
        self.form = FieldForm(self)
        self.login = self.form.line("login", self.tr("Login name"), max_len=40)
        self.password = self.form.line("password", self.tr("Password"), max_len=100)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.form)
        if demo_users:
            lines = [self.tr("Demo store — log in as:")]
            from app.views.labels import label

            for login, password, role, name, _ in demo_users:
                lines.append(f"  {login} / {password}   {label('role', role)} {name}")
            hint = QLabel("\n".join(lines))
            hint.setObjectName("demoUsers")
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("loginButton")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.login_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login.setFocus()

    def _loaded(self) -> None:
        if self.loading.error is not None or self.loading.needs_setup:
            self.interrupted = True
            self.reject()
            return
        if self._waiting:  # the clerk confirmed already: log in now
            self._waiting = False
            self.login_button.setEnabled(True)
            self.unsetCursor()
            self.try_login()

    def try_login(self) -> None:
        if self.loading is not None:
            if not self.loading.finished:
                # The window stays alive (it repaints, Cancel works) until the loader's `done` arrives.
                self._waiting = True
                self.login_button.setEnabled(False)
                self.setCursor(Qt.CursorShape.WaitCursor)
                return
            if self.loading.error is not None or self.loading.needs_setup:
                self._loaded()
                return
            self.db = self.loading.db
        from app.services import auth

        try:
            self.actor = auth.login(self.db, self.login.text(), self.password.text())
        except UserError as err:
            self.form.show_errors({"password": err})
            self.password.selectAll()
            return
        self.accept()
