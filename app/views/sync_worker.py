"""Sync over the network in the window (docs/SYNC.md): the station's background exchange with its
status-bar item, and the centre's screen of stations.

The exchange runs on a thread of its own, never on the clerk's: every `sync.exchange_minutes`
(company setting) while the centre answers, a minute after a failed try, and shortly after every
payment when online. Whatever happens to the exchange (the link down, a refusal, an error) is
caught there and only shown in the status bar: the counter's work is never disturbed."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.localtime import to_local
from app.views.elided_label import ElidedLabel

log = logging.getLogger("counterdesk.sync.worker")

RETRY_MS = 60_000  # after a failed try
AFTER_PAYMENT_MS = 1_500  # a payment's exchange waits this long (several payments in a row: one exchange)


@dataclass
class Outcome:
    online: bool  # the centre answered (even with a refusal)
    ok: bool  # the exchange was completed
    text: str  # what happened, translated
    down_rows: int = 0


class _Relay(QObject):
    """Carries an outcome from the exchange thread to the window's thread (a queued signal)."""

    done = Signal(object)


def _exchange(db) -> Outcome:
    from app.services.sync import client

    try:
        done = client.exchange(db, timeout=120)
        return Outcome(True, True, done.text(QCoreApplication.translate), done.down_rows)
    except client.LinkDown as err:
        return Outcome(False, False, error_text(err))
    except UserError as err:
        return Outcome(True, False, error_text(err))
    except Exception:  # noqa: BLE001  (the counter goes on whatever happens here; the log has the details)
        log.exception("background exchange failed")
        return Outcome(
            False, False, QCoreApplication.translate("SyncLink", "The exchange with the centre failed; it is tried again later.")
        )


class SyncLinkLabel(ElidedLabel):
    """The status bar's link item at a station with a centre address: online or offline, and the
    background exchange. Elsewhere (the centre, a store that does not sync) it stays empty and idle."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__("", parent)
        self.ctx = ctx
        self.setObjectName("statusSyncLink")
        self.online: bool | None = None
        self.busy = False
        self.last: Outcome | None = None
        self._relay = _Relay()
        self._relay.done.connect(self._finished)
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.exchange_now)
        self.active = self._configure()
        if self.active:
            ctx.data_changed.connect(self._data_changed)
            if parent is not None and parent.window() is not None:
                parent.window().installEventFilter(self)
            self._timer.start(2_000)
        else:
            self.hide()

    def _configure(self) -> bool:
        from app.services import settings
        from app.services.sync import client, manage

        try:
            if manage.status(self.ctx.db).role != "station":
                return False
            self.url = client.centre_url(self.ctx.db)
            with self.ctx.db.read() as s:
                self.interval_ms = int(settings.get(s, "sync.exchange_minutes") or 5) * 60_000
        except UserError:
            return False
        if not self.url:
            return False
        self.setText(self.tr("Centre: connecting…"))
        self.setToolTip(self.tr("Exchanges with the centre at %1 in the background.").replace("%1", self.url))
        return True

    def refresh(self) -> None:
        """Called by the window with its other status items; the text follows the last exchange."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def stop(self) -> None:
        """No more exchanges (the window closes); one under way finishes on its own thread."""
        self._stopped = True
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(0.1)

    def _data_changed(self, area: str) -> None:
        if area == "payments" and self.online and not self.busy and not self._stopped:
            self._timer.start(AFTER_PAYMENT_MS)

    def exchange_now(self) -> None:
        if self.busy or self._stopped:
            return
        self.busy = True
        db, relay = self.ctx.db, self._relay
        self._thread = threading.Thread(target=lambda: relay.done.emit(_exchange(db)), name="sync-exchange", daemon=True)
        self._thread.start()

    def _finished(self, outcome: Outcome) -> None:
        self.busy = False
        self.last, self.online = outcome, outcome.online
        if self.online:
            self.setText(self.tr("Centre: online"))
        else:
            self.setText(self.tr("Centre: OFFLINE"))
        self.setToolTip(outcome.text)
        self.setProperty("level", "" if outcome.ok else ("warn" if outcome.online else "danger"))
        self.style().unpolish(self)
        self.style().polish(self)
        window = self.window()
        status = getattr(window, "status_sync", None)
        if status is not None and hasattr(status, "refresh"):
            status.refresh()
        if outcome.down_rows:
            for area in ("customers", "billing"):
                self.ctx.data_changed.emit(area)
        if not self._stopped:
            self._timer.start(self.interval_ms if outcome.ok else min(RETRY_MS, self.interval_ms))


class StationsDialog(QDialog):
    """The centre's view of its stations: last exchange, units applied and waiting, bundles held and
    quarantined, open conflicts; stations silent longer than the company setting first, in red."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("syncStations")
        self.setWindowTitle(self.tr("Stations and their sync"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 10)
        self.table.setObjectName("stationTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Station"),
                self.tr("Name"),
                self.tr("Last exchange"),
                self.tr("Units applied"),
                self.tr("Received, being applied"),
                self.tr("Waiting"),
                self.tr("Held after a gap"),
                self.tr("Quarantined"),
                self.tr("Open conflicts"),
                self.tr("Note"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        self.message = QLabel()
        self.message.setObjectName("stationsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.reload = QPushButton(self.tr("Refresh"))
        self.reload.setObjectName("refreshStations")
        self.reload.clicked.connect(self.load)
        row.addWidget(self.reload)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load()
        self.resize(1000, 420)

    def load(self) -> None:
        from app.services.sync import links

        try:
            self.rows = links.overview(self.ctx.db)
        except UserError as err:
            self.rows = []
            self.message.setText(error_text(err))
        self.table.setRowCount(len(self.rows))
        red = QBrush(QColor("#b00020"))
        for i, r in enumerate(self.rows):
            when = to_local(r.last_exchange).strftime("%Y-%m-%d %H:%M") if r.last_exchange else self.tr("never")
            notes = []
            if r.silent:
                notes.append(self.tr("silent too long"))
            if r.quarantine_reason:
                notes.append(self.tr("quarantined: %1").replace("%1", r.quarantine_reason))
            if r.revoked:
                notes.append(self.tr("key revoked"))
            if r.last_error:
                notes.append(self.tr("last refusal: %1").replace("%1", r.last_error))
            values = [
                r.code,
                r.name,
                when,
                str(r.units_applied),
                str(r.units_received),
                str(r.units_waiting),
                str(r.held),
                str(r.quarantined),
                str(r.open_conflicts),
            ]
            for j, v in enumerate(values + ["; ".join(notes)]):
                item = QTableWidgetItem(v)
                if 3 <= j <= 8:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r.silent or r.quarantine_reason or r.revoked:
                    item.setForeground(red)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        if self.rows:
            silent = sum(1 for r in self.rows if r.silent)
            self.message.setText(
                self.tr("%1 stations, %2 silent longer than the company setting.")
                .replace("%1", str(len(self.rows)))
                .replace("%2", str(silent))
            )
