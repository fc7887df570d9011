"""The outbox of customer notices in the window: Tools → Customer notices… (docs/INTERFACES.md).

Every message with its status, failed ones first (they wait for a clerk), filtered by status and
kind; send what waits now (on the sender's thread, never the clerk's), try a failed one again, cancel
one, queue a planned outage's notices (supervisors) or a receipt of the open customer. At a station
it says that the centre sends."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.money import format_yuan
from app.services.interfaces import notices
from app.views.interfaces.notices_worker import NoticeSender, SendOutcome
from app.views.tables import Column, model_table

DANGER = QColor("#b00020")
WARN = QColor("#8a5a00")
OK = QColor("#1b5e20")
GREY = QColor("#666666")
COLOURS = {"failed": DANGER, "retrying": WARN, "sent": OK, "cancelled": GREY}


def _n(text: str) -> str:
    return QCoreApplication.translate("notices", text)


def _reason(text: str) -> str:
    """A stored reason: the fixed ones have a translation, the gateway's own words are shown as they are."""
    return QCoreApplication.translate("messages", text) if text else ""


class NoticesDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("noticesDialog")
        self.setWindowTitle(self.tr("Customer notices"))
        self.state = notices.sender_state(ctx.db)
        layout = QVBoxLayout(self)

        self.where = QLabel()
        self.where.setObjectName("noticesWhere")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)

        top = QHBoxLayout()
        status_label = QLabel(self.tr("&Status"))
        top.addWidget(status_label)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("noticesStatus")
        self.status_filter.addItem(self.tr("All"), "")
        for st in notices.STATUS_ORDER:
            self.status_filter.addItem(_n(notices.STATUS_LABELS[st]), st)
        status_label.setBuddy(self.status_filter)
        top.addWidget(self.status_filter)
        kind_label = QLabel(self.tr("&Kind"))
        top.addWidget(kind_label)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("noticesKind")
        self.kind_filter.addItem(self.tr("All"), "")
        for kind in notices.KINDS:
            self.kind_filter.addItem(_n(notices.KIND_LABELS[kind]), kind)
        kind_label.setBuddy(self.kind_filter)
        top.addWidget(self.kind_filter)
        top.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("noticesRefresh")
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        self.table = model_table(
            "noticesTable",
            [
                Column(self.tr("Status"), lambda r: _n(notices.STATUS_LABELS[r.status]), colour=lambda r: COLOURS.get(r.status)),
                Column(self.tr("Kind"), lambda r: _n(notices.KIND_LABELS[r.kind])),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Mobile"), lambda r: r.phone),
                Column(self.tr("Attempts"), lambda r: str(r.attempts), right=True),
                Column(self.tr("Queued"), lambda r: r.created_at.strftime("%Y-%m-%d %H:%M")),
                Column(self.tr("Sent / next attempt"), self._when),
                Column(self.tr("Reason"), lambda r: _reason(r.reason)),
            ],
            elastic=(7,),
            keep=(0, 4, 5, 6),
        )
        layout.addWidget(self.table, 1)
        self.text = QLabel()
        self.text.setObjectName("noticesText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)

        actions = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Send waiting now (Ctrl+S)"))
        self.send_button.setObjectName("noticesSend")
        self.retry_button = QPushButton(self.tr("Try again (Ctrl+R)"))
        self.retry_button.setObjectName("noticesRetry")
        self.cancel_button = QPushButton(self.tr("Cancel notice (Ctrl+D)"))
        self.cancel_button.setObjectName("noticesCancel")
        for b in (self.send_button, self.retry_button, self.cancel_button):
            b.setAutoDefault(False)
            actions.addWidget(b)
        actions.addStretch(1)
        layout.addLayout(actions)

        queue = QHBoxLayout()
        outage_label = QLabel(self.tr("Planned &outage"))
        queue.addWidget(outage_label)
        self.outage = QComboBox()
        self.outage.setObjectName("noticesOutage")
        outage_label.setBuddy(self.outage)
        queue.addWidget(self.outage, 1)
        self.outage_button = QPushButton(self.tr("&Queue outage notices"))
        self.outage_button.setObjectName("noticesQueueOutage")
        queue.addWidget(self.outage_button)
        receipt_label = QLabel(self.tr("&Receipt of the open customer"))
        queue.addWidget(receipt_label)
        self.receipt = QComboBox()
        self.receipt.setObjectName("noticesReceipt")
        receipt_label.setBuddy(self.receipt)
        queue.addWidget(self.receipt, 1)
        self.receipt_button = QPushButton(self.tr("Queue r&eceipt notice"))
        self.receipt_button.setObjectName("noticesQueueReceipt")
        queue.addWidget(self.receipt_button)
        for b in (self.outage_button, self.receipt_button):
            b.setAutoDefault(False)
        layout.addLayout(queue)

        self.message = QLabel()
        self.message.setObjectName("noticesMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.sender_ = NoticeSender(ctx, self)
        self.sender_.finished.connect(self._sent)
        self.refresh_button.clicked.connect(self.load)
        self.send_button.clicked.connect(self.send_now)
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button.clicked.connect(self.cancel)
        self.outage_button.clicked.connect(self.queue_outage)
        self.receipt_button.clicked.connect(self.queue_receipt)
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_F5), self.load),
            (QKeySequence("Ctrl+S"), self.send_now),
            (QKeySequence("Ctrl+R"), self.retry),
            (QKeySequence("Ctrl+D"), self.cancel),
        ):
            QShortcut(keys, self, activated=slot)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.load())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.load())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_text())

        self._fill_choices()
        self._say_where()
        self.load()
        self.table.setFocus()
        self.resize(1240, 620)

    # ------------------------------------------------------------- filling

    def _when(self, r) -> str:
        when = r.sent_at or (r.next_attempt_at if r.status in notices.WAITING else None)
        return when.strftime("%Y-%m-%d %H:%M") if when else "—"

    def _say_where(self) -> None:
        station = self.state == "station"
        if station:
            text = error_text(UserError(notices.AT_STATION, count=self._waiting()))
        elif self.state == "no_gateway":
            text = error_text(UserError(notices.NO_GATEWAY))
        else:
            text = self.tr("Waiting notices are sent every few minutes in the background; failed ones are listed first.")
        self.where.setText(text)
        self.where.setProperty("level", "warn" if self.state != "ready" else "")
        for b in (self.send_button, self.retry_button, self.cancel_button):
            b.setEnabled(not station)
        self.send_button.setEnabled(self.state == "ready")

    def _waiting(self) -> int:
        return notices.waiting(self.ctx.db)

    def _fill_choices(self) -> None:
        from app.services.handling import outages

        actor = self.ctx.actor
        self.outage.clear()
        for o in outages.current_outages(self.ctx.db):
            where = "、".join(o.routes + o.areas)
            label = f"{o.starts_at:%Y-%m-%d %H:%M}–{o.ends_at:%H:%M} {where} {o.reason}"
            self.outage.addItem(label + " " + self.tr("(%1 accounts)").replace("%1", str(o.accounts)), o.id)
        supervisor = actor is not None and actor.is_supervisor
        self.outage.setEnabled(supervisor and self.outage.count() > 0)
        self.outage_button.setEnabled(supervisor and self.outage.count() > 0)
        if not supervisor:
            self.outage_button.setToolTip(self.tr("Only a supervisor sends the notices of a planned outage."))
        self.receipt.clear()
        customer_id = getattr(self.ctx, "current_customer_id", None)
        if customer_id is not None:
            for r in notices.receipts_of(self.ctx.db, customer_id):
                self.receipt.addItem(
                    f"{r.receipt_no}  {r.account_no}  {format_yuan(r.amount_fen)}  {r.paid_at:%Y-%m-%d %H:%M}", r.receipt_no
                )
        self.receipt.setEnabled(self.receipt.count() > 0)
        self.receipt_button.setEnabled(self.receipt.count() > 0)
        if customer_id is None:
            self.receipt.setPlaceholderText(self.tr("open a customer first"))
        elif self.receipt.count() == 0:
            self.receipt.setPlaceholderText(self.tr("no payment"))

    def load(self) -> None:
        rows = notices.outbox(self.ctx.db, status=self.status_filter.currentData() or "", kind=self.kind_filter.currentData() or "")
        self.table.set_rows(rows, key=lambda r: r.id, select_first=True)
        self._show_text()

    def _show_text(self) -> None:
        r = self.table.selected()
        self.text.setText(r.text if r is not None else "")

    def _say(self, text: str, bad: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("level", "danger" if bad else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # ------------------------------------------------------------- actions

    def send_now(self) -> None:
        if self.state != "ready":
            self._say(self.where.text(), bad=True)
            return
        if not self.sender_.start():
            return
        self.send_button.setEnabled(False)
        self._say(self.tr("Sending…"))

    def _sent(self, outcome: SendOutcome) -> None:
        self.send_button.setEnabled(self.state == "ready")
        self._say(outcome.text, bad=not outcome.ok or bool(outcome.failed))
        self.load()

    def _chosen(self):
        r = self.table.selected()
        if r is None:
            self._say(self.tr("Choose a notice in the list first."), bad=True)
        return r

    def retry(self) -> None:
        r = self._chosen()
        if r is None:
            return
        try:
            notices.retry(self.ctx.db, self.ctx.actor, r.id)
        except UserError as err:
            self._say(error_text(err), bad=True)
            return
        self._say(
            self.tr("Queued again: %1 to %2; it goes with the next sending.")
            .replace("%1", _n(notices.KIND_LABELS[r.kind]))
            .replace("%2", r.phone)
        )
        self.load()

    def cancel(self) -> None:
        r = self._chosen()
        if r is None:
            return
        try:
            notices.cancel(self.ctx.db, self.ctx.actor, r.id)
        except UserError as err:
            self._say(error_text(err), bad=True)
            return
        self._say(self.tr("Cancelled: %1 to %2.").replace("%1", _n(notices.KIND_LABELS[r.kind])).replace("%2", r.phone))
        self.load()

    def _queued(self, result) -> None:
        self._say(
            _n("%1 queued; not queued: %2 refused messages, %3 without a mobile number, %4 queued before")
            .replace("%1", str(result.queued))
            .replace("%2", str(result.refused))
            .replace("%3", str(result.no_mobile))
            .replace("%4", str(result.already))
        )
        self.load()

    def queue_outage(self) -> None:
        outage_id = self.outage.currentData()
        if outage_id is None:
            self._say(self.tr("Choose a planned outage first."), bad=True)
            return
        try:
            result = notices.queue_outage(self.ctx.db, self.ctx.actor, outage_id)
        except UserError as err:
            self._say(error_text(err), bad=True)
            return
        self._queued(result)

    def queue_receipt(self) -> None:
        number = self.receipt.currentData()
        if not number:
            self._say(self.tr("Open the customer and choose a receipt first."), bad=True)
            return
        try:
            result = notices.queue_receipt(self.ctx.db, self.ctx.actor, number)
        except UserError as err:
            self._say(error_text(err), bad=True)
            return
        self._queued(result)

    def done(self, result: int) -> None:
        self.sender_.wait(0.1)
        super().done(result)
