"""Tools → Sync…: export a bundle to a folder (a USB stick) and import one, with progress and a
plain-words result; the supervisors' conflict queue; the status bar's sync item (docs/SYNC.md)."""

from __future__ import annotations

import errno
import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.localtime import to_local
from app.views.elided_label import ElidedLabel


class SyncStatusLabel(ElidedLabel):
    """The status bar's sync item: last exchange, changes waiting, and a warning when overdue."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__("", parent)
        self.ctx = ctx
        self.setObjectName("statusSync")
        self.refresh()

    def refresh(self) -> None:
        from app.services.sync import manage

        try:
            st = manage.status(self.ctx.db)
        except UserError:
            return
        if not st.role:
            self.setText(self.tr("Sync: not set up"))
            self.setToolTip(self.tr("This store does not sync with a centre."))
            level = ""
        else:
            when = to_local(st.last_exchange).strftime("%Y-%m-%d %H:%M") if st.last_exchange else self.tr("never")
            if st.role == "station":
                self.setText(self.tr("Sync: %1, %2 waiting").replace("%1", when).replace("%2", str(st.waiting)))
                tip = self.tr("Last exchange with the centre: %1. Units of work waiting for the centre's confirmation: %2.")
                tip = tip.replace("%1", when).replace("%2", str(st.waiting))
                if st.overdue:
                    self.setText(self.tr("NOT SYNCED for over %1 days").replace("%1", str(st.days_allowed)))
                    tip += " " + self.tr("Take a bundle to the centre (Tools → Sync…).")
            else:
                self.setText(self.tr("Centre: last import %1, %2 conflicts").replace("%1", when).replace("%2", str(st.open_conflicts)))
                tip = self.tr("This store is the centre.")
            self.setToolTip(tip)
            level = "danger" if st.overdue else ""
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)


log = logging.getLogger(__name__)  # sync problems reach the log for support (docs/OPERATIONS.md, "Logs")


class _Worker(QObject):
    done = Signal(str, bool)  # text, ok

    def __init__(self, job) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        from app.i18n import tr

        try:
            result = self.job()
            log.info("sync: %s", result.text())
            self.done.emit(result.text(tr), True)
        except UserError as err:
            log.warning("sync refused: %s", err.text())
            self.done.emit(error_text(err), False)
        except OSError as exc:
            log.warning("sync: the file could not be written or read: %s", exc)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                text = QCoreApplication.translate(
                    "SyncDialog", "The stick or disk is full: the bundle was not written and nothing was left there. Nothing was changed."
                )
                self.done.emit(text, False)
                return
            text = QCoreApplication.translate("SyncDialog", "The file could not be written or read (%1). Nothing was changed.")
            self.done.emit(text.replace("%1", exc.strerror or str(exc)), False)


class SyncDialog(QDialog):
    """Export to a folder, import from one; the work runs on a thread, a busy bar shows it."""

    finished_job = Signal(str, bool)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        from app.services.sync import manage

        self.ctx = ctx
        self.setObjectName("syncDialog")
        self.setWindowTitle(self.tr("Sync with the centre"))
        self.status = manage.status(ctx.db)
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        self.station_box = QComboBox()
        self.station_box.setObjectName("syncStation")
        if self.status.role == "centre":
            for code, name in manage.stations(ctx.db):
                self.station_box.addItem(f"{code} {name}", code)
            row.addWidget(QLabel(self.tr("Answer for station:")))
            row.addWidget(self.station_box)
        self.export_button = QPushButton(self.tr("Export to folder…"))
        self.export_button.setObjectName("syncExport")
        self.import_button = QPushButton(self.tr("Import from file…"))
        self.import_button.setObjectName("syncImport")
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.result = QLabel()
        self.result.setObjectName("syncResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.export_button.clicked.connect(self._choose_export)
        self.import_button.clicked.connect(self._choose_import)
        self._thread = None
        self._show_state()
        if not self.status.role:
            self.export_button.setEnabled(False)
            self.import_button.setEnabled(False)
        self.resize(560, 220)

    def _show_state(self) -> None:
        st = self.status
        if not st.role:
            self.state.setText(self.tr("This store does not sync with a centre yet."))
            return
        when = to_local(st.last_exchange).strftime("%Y-%m-%d %H:%M") if st.last_exchange else self.tr("never")
        if st.role == "station":
            self.state.setText(
                self.tr("Last exchange: %1. Units of work waiting for the centre: %2.").replace("%1", when).replace("%2", str(st.waiting))
            )
        else:
            self.state.setText(
                self.tr("This is the centre. Last import: %1. Open conflicts: %2.")
                .replace("%1", when)
                .replace("%2", str(st.open_conflicts))
            )

    def _choose_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder (the USB stick)"))
        if folder:
            self.export_to(Path(folder))

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the bundle"), "", self.tr("Sync bundles (*.cdsync)"))
        if name:
            self.import_from(Path(name))

    def export_to(self, folder: Path) -> None:
        from app.services.sync import core

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        if self.status.role == "centre":
            code = self.station_box.currentData()
            path = folder / f"centre-to-{code}-{stamp}.cdsync"
            self._run(lambda: core.export_down(self.ctx.db, code, path))
        else:
            path = folder / f"{self.ctx.actor.station_code}-{stamp}.cdsync"
            self._run(lambda: core.export_up(self.ctx.db, path))

    def import_from(self, path: Path) -> None:
        from app.services.sync import core

        self._run(lambda: core.import_file(self.ctx.db, path, self.ctx.actor))

    def _run(self, job) -> None:
        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy
        self.result.setText(self.tr("Working… do not remove the USB stick."))
        self._thread = QThread(self)
        self._worker = _Worker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.done.connect(self._done)
        self._thread.start()

    def _done(self, text: str, ok: bool) -> None:
        from app.services.sync import manage

        self._thread.quit()
        self._thread.wait()
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if ok else 0)
        self.result.setText(text)
        self.result.setProperty("level", "" if ok else "danger")
        self.export_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.status = manage.status(self.ctx.db)
        self._show_state()
        self.ctx.data_changed.emit("sync")
        self.finished_job.emit(text, ok)


def _shown(value: str) -> str:
    """A stored value (JSON) as the supervisor reads it."""
    import json

    try:
        v = json.loads(value)
    except ValueError:
        return value
    return "" if v is None else str(v)


class ConflictsDialog(QDialog):
    """The supervisors' queue: a customer-file field changed at a station and at the centre; one
    value is taken (audited). A bill paid twice while apart is listed to be looked at."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("syncConflicts")
        self.setWindowTitle(self.tr("Sync conflicts"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("No."), self.tr("Station"), self.tr("What"), self.tr("Station's value"), self.tr("Centre's value"), self.tr("Note")]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.take_station = QPushButton(self.tr("Keep the station's value"))
        self.take_station.setObjectName("takeStation")
        self.take_centre = QPushButton(self.tr("Keep the centre's value"))
        self.take_centre.setObjectName("takeCentre")
        self.seen = QPushButton(self.tr("Mark as seen"))
        self.seen.setObjectName("markSeen")
        for b in (self.take_station, self.take_centre, self.seen):
            row.addWidget(b)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.take_station.clicked.connect(lambda: self.decide("station"))
        self.take_centre.clicked.connect(lambda: self.decide("centre"))
        self.seen.clicked.connect(lambda: self.decide("seen"))
        self.load()
        self.resize(820, 360)

    def load(self) -> None:
        from app.services.sync import manage

        self.rows = manage.conflicts(self.ctx.db)
        self.table.setRowCount(len(self.rows))
        for i, c in enumerate(self.rows):
            what = f"{c.entity}.{c.field}" if c.kind == "field" else self.tr("Bill paid twice while apart")
            for j, v in enumerate([str(c.no), c.station_code, what, _shown(c.station_value), _shown(c.centre_value), c.detail]):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        if self.rows:
            self.table.selectRow(0)

    def decide(self, take: str) -> None:
        from app.services.sync import manage

        i = self.table.currentRow()
        if i < 0 or i >= len(self.rows):
            return
        c = self.rows[i]
        if c.kind != "field" and take != "seen":
            take = "seen"
        try:
            manage.resolve(self.ctx.db, self.ctx.actor, c.no, take)
            self.message.setText(self.tr("Conflict %1 decided.").replace("%1", str(c.no)))
        except UserError as err:
            self.message.setText(error_text(err))
        self.load()
