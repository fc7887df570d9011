"""Customer notices sent from the window (docs/INTERFACES.md, "Customer notices"): the sender that
posts what waits on a thread of its own, and the status-bar item that runs it every
`notices.send_minutes` at a store that sends (the centre, or a hall with the SMS gateway set).

The clerk's thread never waits for the gateway: the posting runs on a Python thread and its outcome
comes back through a queued signal. Whatever happens there (the gateway down, not set, an error) is
caught, logged and only shown in the status bar."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.views.elided_label import ElidedLabel

log = logging.getLogger("counterdesk.notices.worker")

FIRST_MS = 60_000  # the first round, a minute after the window opens
SUMMARY = QT_TRANSLATE_NOOP("NoticesSender", "%1 sent, %2 to retry later, %3 failed, %4 cancelled")
FAILED = QT_TRANSLATE_NOOP("NoticesSender", "Sending the text messages failed; they are tried again later.")


def _t(text: str) -> str:
    return QCoreApplication.translate("NoticesSender", text)


@dataclass
class SendOutcome:
    ok: bool  # the round ran (even if some messages failed)
    state: str  # "ready" | "no_gateway" | "station" | "error"
    text: str  # what happened, translated
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    waiting_at_station: int = -1


def send_round(db, actor) -> SendOutcome:
    """One round of sending (run on the sender's thread): every due notice posted, each outcome kept."""
    from app.services.interfaces import notices

    try:
        state = notices.sender_state(db)
        if state == "no_gateway":
            return SendOutcome(False, state, error_text(UserError(notices.NO_GATEWAY)))
        result = notices.send_waiting(db, actor)
    except UserError as err:
        log.warning("sending the notices: %s", err.text())
        return SendOutcome(False, "error", error_text(err))
    except Exception:  # noqa: BLE001  (the counter goes on whatever happens here; the log has the details)
        log.exception("sending the notices failed")
        return SendOutcome(False, "error", _t(FAILED))
    if result.waiting_at_station >= 0:
        text = error_text(UserError(notices.AT_STATION, count=result.waiting_at_station))
        return SendOutcome(True, "station", text, waiting_at_station=result.waiting_at_station)
    counts = {st: result.count(st) for st in ("sent", "retrying", "failed", "cancelled")}
    if counts["retrying"] or counts["failed"]:
        reasons = sorted({r.reason for r in result.rows if r.status in ("retrying", "failed") and r.reason})
        log.warning(
            "notices: %s sent, %s to retry, %s failed: %s", counts["sent"], counts["retrying"], counts["failed"], "; ".join(reasons)
        )
    text = (
        _t(SUMMARY)
        .replace("%1", str(counts["sent"]))
        .replace("%2", str(counts["retrying"]))
        .replace("%3", str(counts["failed"]))
        .replace("%4", str(counts["cancelled"]))
    )
    return SendOutcome(True, "ready", text, **counts)


class _Relay(QObject):
    done = Signal(object)


class NoticeSender(QObject):
    """Runs send_round on a thread of its own; `finished(SendOutcome)` arrives on the window's thread."""

    finished = Signal(object)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self._thread: threading.Thread | None = None
        self._relay = _Relay()
        self._relay.done.connect(self._done)

    def start(self) -> bool:
        """Begin a round; False when one is already under way."""
        if self.busy:
            return False
        self.busy = True
        db, actor, relay = self.ctx.db, self.ctx.actor, self._relay
        self._thread = threading.Thread(target=lambda: relay.done.emit(send_round(db, actor)), name="notices-send", daemon=True)
        self._thread.start()
        return True

    def wait(self, seconds: float) -> None:
        if self._thread is not None:
            self._thread.join(seconds)

    def _done(self, outcome: SendOutcome) -> None:
        self.busy = False
        self.finished.emit(outcome)


class NoticesStatusLabel(ElidedLabel):
    """The status bar's text-message item: at a store that sends, a round every
    `notices.send_minutes`; its last outcome is shown here (a warning when messages failed or the
    gateway did not answer). At a station, or while no gateway is set, it stays empty."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__("", parent)
        self.ctx = ctx
        self.setObjectName("statusNotices")
        self.last: SendOutcome | None = None
        self.rounds = 0
        self._stopped = False
        self.sender_ = NoticeSender(ctx, self)
        self.sender_.finished.connect(self._finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.send_now)
        self.hide()
        self.active = self._sends_here()
        if self.active:
            if parent is not None and parent.window() is not None:
                parent.window().installEventFilter(self)
            self._timer.start(FIRST_MS)

    def _sends_here(self) -> bool:
        from app.services.interfaces import notices

        if self.ctx.actor is None:
            return False
        try:
            return notices.sender_state(self.ctx.db) != "station"
        except UserError:
            return False

    @property
    def busy(self) -> bool:
        return self.sender_.busy

    def interval_ms(self) -> int:
        from app.services import settings

        try:
            with self.ctx.db.read() as s:
                return max(1, int(settings.get(s, "notices.send_minutes") or 5)) * 60_000
        except Exception:  # noqa: BLE001  (the database is away: try again in five minutes)
            return 5 * 60_000

    def refresh(self) -> None:
        """Called by the window with its other status items; the text follows the last round."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def stop(self) -> None:
        """No more rounds (the window closes); one under way finishes on its own thread."""
        self._stopped = True
        self._timer.stop()
        self.sender_.wait(0.1)

    def send_now(self) -> None:
        if self._stopped:
            return
        self.sender_.start()

    def _finished(self, outcome: SendOutcome) -> None:
        self.last = outcome
        self.rounds += 1
        if outcome.state == "no_gateway":
            self.hide()  # nothing to say until an administrator sets the gateway
        else:
            if outcome.state == "error":
                self.setText(self.tr("SMS: sending failed"))
            elif outcome.failed or outcome.retrying:
                self.setText(
                    self.tr("SMS: %1 sent, %2 not sent")
                    .replace("%1", str(outcome.sent))
                    .replace("%2", str(outcome.failed + outcome.retrying))
                )
            elif outcome.sent or outcome.cancelled:
                self.setText(self.tr("SMS: %1 sent").replace("%1", str(outcome.sent)))
            else:
                self.setText(self.tr("SMS: none waiting"))
            self.setToolTip(outcome.text)
            bad = outcome.state == "error" or outcome.failed or outcome.retrying
            self.setProperty("level", "warn" if bad else "")
            self.style().unpolish(self)
            self.style().polish(self)
            self.show()
        if not self._stopped:
            self._timer.start(self.interval_ms())
