"""Calling a ticket by its number, and this counter's customer display and queue settings."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.localtime import local_now
from app.kernel.messages import QT_TRANSLATE_NOOP


class CallTicketDialog(QDialog):
    """The clerk types the number on the customer's ticket (and the time printed on it, if any)."""

    def __init__(self, ctx, side, suggested: str, note: str = "", parent=None) -> None:
        from app.views.forms import FieldForm

        super().__init__(parent)
        self.ctx = ctx
        self.side = side
        self.called = None
        self.setObjectName("callTicketDialog")
        self.setWindowTitle(self.tr("Call a ticket (F12)"))
        self.setMinimumWidth(420)
        box = QVBoxLayout(self)
        if note:
            hint = QLabel(note)
            hint.setObjectName("callTicketNote")
            hint.setWordWrap(True)
            box.addWidget(hint)
        self.form = FieldForm(self)
        self.ticket = self.form.line("ticket", self.tr("Ticket number"), suggested, max_len=12)
        self.issued = self.form.line("issued_at", self.tr("Time on the ticket (HH:MM, may stay empty)"), "", max_len=8)
        box.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Call"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("callButton")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.ticket.setFocus()
        self.ticket.selectAll()

    def _issued(self) -> datetime | None:
        text = self.issued.text().strip()
        if not text:
            return None
        try:
            t = datetime.strptime(text.replace("：", ":"), "%H:%M")
        except ValueError:
            raise ValidationError.single(
                "issued_at", QT_TRANSLATE_NOOP("messages", "Give the time as HH:MM, e.g. 09:31, or leave it empty.")
            ) from None
        return datetime.combine(local_now().date(), t.time())

    def submit(self) -> None:
        try:
            self.called = self.side.call(typed=self.ticket.text(), issued_at=self._issued())
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                QMessageBox.warning(self, self.tr("Not called"), error_text(err))
            return
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not called"), error_text(err))
            return
        self.accept()


def screen_key(screens, i: int) -> str:
    """How counter.toml names screen i: its name, or NAME#N (N from 1) when several screens share the name."""
    name = screens[i].name()
    return name if sum(1 for s in screens if s.name() == name) == 1 else f"{name}#{i + 1}"


def find_screen(screens, key: str):
    """The screen counter.toml names, or None when it is not connected."""
    for i, s in enumerate(screens):
        if screen_key(screens, i) == key:
            return s
    return None


class CounterDisplayDialog(QDialog):
    """Tools > Customer display and queue…: which screen faces the customer, the pad's time, the queue."""

    def __init__(self, ctx, parent=None) -> None:
        from app.services.counter import settings as cset
        from app.views.forms import FieldForm

        super().__init__(parent)
        self.ctx = ctx
        self.saved = None
        self.setObjectName("counterDisplayDialog")
        self.setWindowTitle(self.tr("Customer display and queue"))
        self.setMinimumWidth(560)
        box = QVBoxLayout(self)
        problem = ""
        try:
            current = cset.load()
        except UserError as err:
            current, problem = cset.CounterDisplay(), error_text(err)
        screens = QGuiApplication.screens()
        intro = QLabel(
            self.tr(
                "Screens seen: %1. The customer display opens on the chosen screen when the computer has "
                "two or more; with one screen it does not open."
            ).replace("%1", str(len(screens)))
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        if problem:
            warn = QLabel(problem)
            warn.setWordWrap(True)
            warn.setProperty("role", "fieldError")
            box.addWidget(warn)
        f = self.form = FieldForm(self)
        primary = QGuiApplication.primaryScreen()
        choices = [("", self.tr("None (no customer display)"))]
        for i, s in enumerate(screens):
            g = s.geometry()
            mark = " " + self.tr("(main screen)") if s is primary else ""
            key = screen_key(screens, i)
            choices.append((key, f"{key} — {g.width()}×{g.height()}{mark}"))
        if current.screen and current.screen not in [c[0] for c in choices]:
            choices.append((current.screen, self.tr("%1 (not connected now)").replace("%1", current.screen)))
        f.combo("screen", self.tr("Screen facing the customer"), choices, current.screen)
        f.line("pad_timeout", self.tr("Satisfaction pad waits (seconds, 0 = no pad)"), str(current.pad_timeout), max_len=4)
        f.line("counter", self.tr("This counter's name on the display (e.g. 3)"), current.counter, max_len=20).setPlaceholderText(
            cset.machine()
        )
        f.line("kinds", self.tr("Ticket letters this counter calls (e.g. AB)"), current.kinds, max_len=8)
        f.line("machine_file", self.tr("Ticket machine file (empty = tickets.csv in the data folder)"), current.machine_file, max_len=400)
        box.addWidget(f)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def submit(self) -> None:
        from app.services.counter import settings as cset

        f = self.form
        try:
            self.saved = cset.save(
                self.ctx.db,
                self.ctx.actor,
                cset.CounterDisplay(
                    f.value("screen"), f.value("pad_timeout"), f.value("counter"), f.value("kinds"), f.value("machine_file")
                ),
            )
        except ValidationError as err:
            if not f.show_errors(err.errors):
                QMessageBox.warning(self, self.tr("Not saved"), error_text(err))
            return
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not saved"), error_text(err))
            return
        self.accept()
