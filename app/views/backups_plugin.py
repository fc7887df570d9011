"""Backups in the main window (docs/OPERATIONS.md, "Backups"): the status bar's backup item, which also
starts the day's backup in the background, and Tools > Backups… (an administrator chooses the folder).

The copy is made by `counterdesk backup --auto` in a process of its own, so the clerk's window never
waits for it (the online backup and the check of a large store take a while) and the copy is finished
even when the clerk closes the window. Only a local SQLite store is backed up so; the demo store and
the hall's server (backed up on the server) show no item.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services import backups
from app.views.elided_label import ElidedLabel
from app.views.forms import FieldForm
from app.views.plugins import MenuAction, StatusItem

log = logging.getLogger(__name__)
CTX = "BackupsPlugin"
CHECK_EVERY_MS = 60 * 60 * 1000  # is today's copy there? (a window left open overnight makes the next day's)
FIRST_CHECK_MS = 20 * 1000  # after start-up, not during it

_running: list[subprocess.Popen] = []  # kept here, not on the window: a copy outlives a log-out


def backup_command(db_url: str) -> list[str]:
    """`counterdesk backup --auto` for this store, in this program (frozen or not)."""
    program = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app.cli"]
    return [*program, "--db", db_url, "backup", "--auto"]


class BackupStatus(ElidedLabel):
    """The last good backup, or a warning (no folder, folder missing, none yet, older than two days)."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__("", parent)
        self.ctx = ctx
        self.enabled = bool(getattr(ctx.db, "is_sqlite", False)) and not getattr(ctx, "demo", False)
        self.process: subprocess.Popen | None = None
        self.setVisible(self.enabled)
        self._poll = QTimer(self)
        self._poll.setInterval(1000)
        self._poll.timeout.connect(self._check_process)
        if self.enabled:
            self._timer = QTimer(self)
            self._timer.setInterval(CHECK_EVERY_MS)
            self._timer.timeout.connect(self.run_if_due)
            self._timer.start()
            delay = int(os.environ.get("COUNTERDESK_BACKUP_DELAY_MS", FIRST_CHECK_MS))
            self._first = QTimer(self)  # a child: gone with the label, never fired at a closed window
            self._first.setSingleShot(True)
            self._first.timeout.connect(self.run_if_due)
            if delay >= 0:
                self._first.start(delay)
        self.refresh()

    @property
    def running(self) -> bool:
        return self.process is not None

    def refresh(self) -> None:
        if not self.enabled:
            return
        if self.running:
            self._show(self.tr("Backing up…"), self.tr("Today's copy of the store is being made and checked."), "")
            return
        st = backups.status(backups.configured_folder(), date.today())
        hint = self.tr("An administrator chooses the folder under Tools > Backups….")
        if st.state == "no_folder":
            self._show(self.tr("NO BACKUP FOLDER"), self.tr("No folder is chosen for the daily backups.") + " " + hint, "danger")
        elif st.state == "missing":
            self._show(
                self.tr("BACKUP FOLDER MISSING"),
                self.tr("The backup folder %1 is not there: plug the disk or USB stick in.").replace("%1", st.folder),
                "danger",
            )
        elif st.state == "never":
            self._show(self.tr("NO BACKUP YET"), self.tr("No checked copy is in %1 yet.").replace("%1", st.folder), "danger")
        elif st.state == "old":
            self._show(
                self.tr("LAST BACKUP %1").replace("%1", st.last_good.isoformat()),
                self.tr("The last checked copy in %1 is more than two days old.").replace("%1", st.folder),
                "danger",
            )
        else:
            self._show(
                self.tr("Backup %1").replace("%1", st.last_good.isoformat()),
                self.tr("The last checked copy is in %1.").replace("%1", st.folder),
                "",
            )

    def _show(self, text: str, tip: str, level: str) -> None:
        self.setText(text)
        self.setToolTip(tip)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)

    def run_if_due(self, again: bool = False) -> bool:
        """Start `counterdesk backup --auto` when the folder is there and today's good copy is not."""
        if not self.enabled or self.running:
            return False
        folder = backups.configured_folder()
        if not folder or not Path(folder).is_dir():
            self.refresh()
            return False
        if not again and backups.status(folder, date.today()).last_good == date.today():
            self.refresh()
            return False
        command = backup_command(self.ctx.db.url) + (["--again"] if again else [])
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # Windows: no console window pops up
            )
        except OSError as exc:
            log.error("backup could not be started: %s", exc)
            return False
        _running.append(self.process)
        log.info("backup started in the background (pid %s)", self.process.pid)
        self._poll.start()
        self.refresh()
        return True

    def _check_process(self) -> None:
        proc = self.process
        if proc is None or proc.poll() is None:
            return
        self._poll.stop()
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if proc in _running:
            _running.remove(proc)
        if proc.returncode != 0:
            log.error("background backup ended with %s: %s", proc.returncode, err.strip()[:1000])
        self.process = None
        self.refresh()


class BackupsDialog(QDialog):
    """Tools > Backups…: the folder of this machine's daily copies, the copies there, and Back up now."""

    def __init__(self, ctx, status: BackupStatus | None, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status = status
        self.setObjectName("backupsDialog")
        self.setWindowTitle(self.tr("Backups"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        box = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Every day CounterDesk copies the store to this folder while the counter works and checks the copy "
                "(its audit log must verify). 7 daily and 4 weekly copies are kept. Choose a second disk or a USB stick: "
                "a copy on the same disk is lost with it."
            )
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.form = FieldForm(self)
        self.folder = self.form.line("folder", self.tr("Backup folder"), backups.configured_folder(), 500)
        box.addWidget(self.form)
        row = QHBoxLayout()
        choose = QPushButton(self.tr("Choose the folder…"))
        choose.setObjectName("chooseFolderButton")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row.addWidget(choose)
        self.now_button = QPushButton(self.tr("Back up now"))
        self.now_button.setObjectName("backUpNowButton")
        self.now_button.setAutoDefault(False)
        self.now_button.clicked.connect(self.back_up_now)
        row.addWidget(self.now_button)
        row.addStretch(1)
        box.addLayout(row)
        self.copies = QLabel()
        self.copies.setObjectName("backupCopies")
        self.copies.setWordWrap(True)
        box.addWidget(self.copies)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self._list()

    def _list(self) -> None:
        folder = backups.configured_folder()
        found = backups.copies(Path(folder)) if folder else []
        lines = [
            f"{c.day.isoformat()}  " + (self.tr("checked") if c.ok else self.tr("FAILED its check"))
            for c in found[: backups.KEEP_DAILY + 4]
        ]
        self.copies.setText(
            self.tr("Copies in the folder:") + "\n" + "\n".join(lines) if lines else self.tr("No copies in the folder yet.")
        )

    def _choose(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"), self.folder.text())
        if name:
            self.folder.setText(name)

    def save(self) -> bool:
        from app import paths

        try:
            backups.choose_folder(self.ctx.db, self.ctx.actor, self.folder.text(), paths.data_dir())
        except ValidationError as err:
            self.form.show_errors(err.errors)
            return False
        except UserError as err:
            self.message.setText(error_text(err))
            return False
        if self.status is not None:
            self.status.refresh()
            self.status.run_if_due()
        self.accept()
        return True

    def back_up_now(self) -> None:
        if self.status is None or not self.status.enabled:
            self.message.setText(self.tr("This store is not a file on this computer; its backups are made on the server."))
            return
        if self.status.run_if_due(again=True):
            self.message.setText(self.tr("The copy is being made in the background; the status bar shows when it is done."))
        else:
            self.message.setText(self.tr("Save a backup folder that is there first."))


def _status_item(ctx, parent):
    return BackupStatus(ctx, parent)


def _open_backups(ctx, window) -> None:
    status = window.findChild(BackupStatus, "statusBackup")
    BackupsDialog(ctx, status, window).exec()


def contribute(registry) -> None:
    registry.add_status_item(StatusItem("statusBackup", _status_item, order=90))
    registry.add_menu_action(MenuAction("tools", QT_TRANSLATE_NOOP(CTX, "Backups…"), CTX, "actionBackups", _open_backups, roles=("admin",)))
