"""Matters on screen: the customer's open matters panel, a matter's detail with its actions, the queues."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.services.handling import deadlines
from app.services.handling import matters as mt
from app.views.handling.labels import ACTIONS, MATTER_HEADERS, QUEUE_NAMES, REPEAT, STATES, TIMING, tr, type_name
from app.views.handling.register_dialog import print_matter_receipt, rule_text

COLOURS = {
    "overdue": QColor("#b00020"),
    "contact_overdue": QColor("#b00020"),
    "due_soon": QColor("#a15c00"),
    "contact_due": QColor("#a15c00"),
    "on_time": QColor("#1e6b2e"),
}


def matter_table(object_name: str) -> QTableWidget:
    t = QTableWidget(0, 7)
    t.setObjectName(object_name)
    t.setHorizontalHeaderLabels([QCoreApplication.translate("Matters", h) for h in MATTER_HEADERS])
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def fill_matters(table: QTableWidget, rows: list[mt.MatterRow]) -> None:
    now = mt.local_now()
    table.setRowCount(len(rows))
    for r, m in enumerate(rows):
        timing = m.timing(now)
        kind = type_name(m.type) + (f"·{type_name(m.complaint_type)}" if m.complaint_type else "")
        if m.repeat_count:
            kind += QCoreApplication.translate("Matters", REPEAT).replace("%1", str(m.repeat_count))
        values = [
            m.matter_no,
            kind,
            m.customer_name,
            tr(STATES, m.state),
            m.deadline_at.strftime("%m-%d %H:%M") + (" ?" if m.deadline_unknown_year else ""),
            tr(TIMING, timing),
            f"{m.assignee_name} {m.department}".strip(),
        ]
        for c, v in enumerate(values):
            item = QTableWidgetItem(v)
            if c == 5 and timing in COLOURS:
                item.setForeground(COLOURS[timing])
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            table.setItem(r, c, item)


class MattersPanel(QWidget):
    """The customer's open matters (mt.MatterRow objects in a model) with their deadlines; double-click opens one."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        from app.views.tables import Column, model_table

        self.ctx = ctx
        self._now = mt.local_now()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        h = [QCoreApplication.translate("Matters", x) for x in MATTER_HEADERS]
        # The customer column of the queues is left out: the customer is the one on screen.
        self.table = model_table(
            "openMattersTable",
            [
                Column(h[0], lambda m: m.matter_no),
                Column(h[1], _kind_text),
                Column(h[3], lambda m: tr(STATES, m.state)),
                Column(h[4], lambda m: m.deadline_at.strftime("%m-%d %H:%M") + (" ?" if m.deadline_unknown_year else "")),
                Column(h[5], lambda m: tr(TIMING, m.timing(self._now)), colour=lambda m: COLOURS.get(m.timing(self._now))),
                Column(h[6], lambda m: f"{m.assignee_name} {m.department}".strip()),
            ],
            elastic=(5, 1),
            keep=(0, 3),
        )
        self.table.setMinimumHeight(110)
        self.table.doubleClicked.connect(self.open_selected)
        box.addWidget(self.table)
        self.customer_id = None

    def load(self, customer_id) -> None:
        self.customer_id = customer_id
        self._now = mt.local_now()
        self.table.set_rows(mt.customer_matters(self.ctx.db, customer_id) if customer_id else [], key=lambda m: m.id)

    def open_selected(self) -> None:
        m = self.table.selected()
        if m is not None:
            MatterDialog(self.ctx, m.id, self.window()).exec()
            self.ctx.data_changed.emit("matters")


def _kind_text(m) -> str:
    kind = type_name(m.type) + (f"·{type_name(m.complaint_type)}" if m.complaint_type else "")
    if m.repeat_count:
        kind += QCoreApplication.translate("Matters", REPEAT).replace("%1", str(m.repeat_count))
    return kind


class MatterDialog(QDialog):
    """One matter: what was asked, the promise, the history, and the actions its state allows."""

    def __init__(self, ctx, matter_id, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.matter_id = matter_id
        self.setObjectName("matterDialog")
        self.resize(760, 560)
        box = QVBoxLayout(self)
        self.head = QLabel()
        self.head.setObjectName("matterHead")
        self.head.setWordWrap(True)
        self.head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.head)
        self.history = QTableWidget(0, 5)
        self.history.setObjectName("matterHistory")
        self.history.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Clerk"), self.tr("Action"), self.tr("State"), self.tr("Note")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        box.addWidget(self.history, 1)
        self.buttons = QHBoxLayout()
        box.addLayout(self.buttons)
        self.refresh()

    def refresh(self) -> None:
        d = mt.detail(self.ctx.db, self.matter_id)
        m = d.row
        self.setWindowTitle(m.matter_no)
        lines = [
            f"<b>{m.matter_no}</b>  {type_name(m.type)} {type_name(m.complaint_type) if m.complaint_type else ''}  "
            f"<b>{tr(STATES, m.state)}</b>",
            self.tr("Customer: %1  Account: %2").replace("%1", m.customer_name).replace("%2", d.account_no or "—"),
            self.tr("Owner (first contact): %1 (%2); assignee: %3 %4")
            .replace("%1", m.owner_name)
            .replace("%2", d.owner_staff_no)
            .replace("%3", m.assignee_name)
            .replace("%4", m.department),
            self.tr("Promised by %1").replace("%1", m.deadline_at.strftime("%Y-%m-%d %H:%M"))
            + f" — {tr(TIMING, m.timing(mt.local_now()))}"
            + (f" ({deadlines.scope_label(m.type, d.scope, QCoreApplication.translate)})" if d.scope else ""),
        ]
        if d.contact_by:
            lines.append(
                (self.tr("First contact by %1: done") if d.contacted else self.tr("First contact by %1: not yet recorded")).replace(
                    "%1", d.contact_by.strftime("%Y-%m-%d %H:%M")
                )
            )
        lines.append(self.tr("Request: %1").replace("%1", m.description[:500]))
        if d.reply:
            lines.append(self.tr("Reply: %1").replace("%1", d.reply[:300]))
        self.head.setText("<br>".join(lines))
        self.history.setRowCount(len(d.history))
        for r, e in enumerate(d.history):
            note = register_note(e, m.type) if e.action == "register" and e.rule_unit else e.note
            for c, v in enumerate([e.at.strftime("%Y-%m-%d %H:%M"), e.clerk_name, tr(ACTIONS, e.action), tr(STATES, e.to_state), note]):
                self.history.setItem(r, c, QTableWidgetItem(v))
        while self.buttons.count():
            w = self.buttons.takeAt(0).widget()
            if w:
                w.setParent(None)  # gone at once, not only after the event loop runs
                w.deleteLater()
        for action in d.allowed:
            b = QPushButton(tr(ACTIONS, action))
            b.setObjectName(f"action_{action}")
            b.clicked.connect(lambda _c=False, a=action: self.do(a))
            self.buttons.addWidget(b)
        p = QPushButton(self.tr("Print receipt"))
        p.setObjectName("printReceiptButton")
        p.clicked.connect(lambda: print_matter_receipt(self.ctx, self, self.matter_id))
        self.buttons.addStretch(1)
        self.buttons.addWidget(p)

    def ask(self, title: str, label: str) -> str | None:
        """Asks for a text; tests replace this."""
        text, ok = QInputDialog.getMultiLineText(self, title, label)
        return text if ok else None

    def do(self, action: str) -> None:
        db, actor, mid = self.ctx.db, self.ctx.actor, self.matter_id
        try:
            if action == "start":
                mt.start(db, actor, mid)
            elif action == "contact":
                text = self.ask(tr(ACTIONS, action), self.tr("What was said to the customer:"))
                if text is None:
                    return
                mt.record_contact(db, actor, mid, text)
            elif action == "close":
                mt.close(db, actor, mid)
            elif action == "call_back":
                items = [self.tr("Satisfied"), self.tr("Fairly satisfied"), self.tr("Unsatisfied")]
                choice = self.ask(self.tr("Call-back"), self.tr("Satisfied / fairly satisfied / unsatisfied (1-3):"))
                if choice is None:
                    return
                index = {"1": 0, "2": 1, "3": 2}.get(choice.strip()[:1], -1)
                if index < 0 and choice.strip() in items:
                    index = items.index(choice.strip())
                mt.call_back(db, actor, mid, mt.SATISFACTION[index] if index >= 0 else "", "")
            elif action == "transfer":
                target = self.ask(self.tr("Transfer"), self.tr("Login name of the clerk who takes the work:"))
                if target is None:
                    return
                reason = self.ask(self.tr("Transfer"), self.tr("Reason:"))
                if reason is None:
                    return
                mt.transfer(db, actor, mid, target.strip(), "", reason)
            else:
                text = self.ask(tr(ACTIONS, action), self.tr("Text:"))
                if text is None:
                    return
                {"resolve": mt.resolve, "reply": mt.reply, "answer_and_close": mt.answer_and_close, "remind": mt.remind}[action](
                    db, actor, mid, text
                )
        except UserError as err:
            QMessageBox.warning(self, self.tr("Not done"), error_text(err))
        self.refresh()


def register_note(e: mt.EventRow, matter_type: str) -> str:
    """The registration's time limit, scope and repeat count (fields of its history row) in the clerk's language."""
    text = rule_text(e.rule_count, e.rule_unit)
    if e.scope:
        text += f" ({deadlines.scope_label(matter_type, e.scope, QCoreApplication.translate)})"
    if e.repeat_count:
        text += QCoreApplication.translate("Matters", REPEAT).replace("%1", str(e.repeat_count))
    return text


class QueuesWindow(QDialog):
    """My matters, assigned to me, due soon, overdue, and (supervisors) the hall's queue."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("queuesWindow")
        self.setWindowTitle(self.tr("Matter queues"))
        self.resize(1000, 560)
        box = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("queueTabs")
        box.addWidget(self.tabs)
        self.tables = {}
        for name in mt.queues_for(ctx.actor):
            t = matter_table(f"queue_{name}")
            t.doubleClicked.connect(lambda _i, tb=t: self._open(tb))
            self.tables[name] = t
            self.tabs.addTab(t, "")
        self.refresh()

    def refresh(self) -> None:
        counts = mt.queue_counts(self.ctx.db, self.ctx.actor)
        for i, (name, table) in enumerate(self.tables.items()):
            fill_matters(table, mt.queue(self.ctx.db, self.ctx.actor, name))
            self.tabs.setTabText(i, f"{tr(QUEUE_NAMES, name)} ({counts.get(name, 0)})")

    def _open(self, table) -> None:
        item = table.item(table.currentRow(), 0)
        if item is not None:
            MatterDialog(self.ctx, item.data(Qt.ItemDataRole.UserRole), self).exec()
            self.refresh()


class _CountsRelay(QObject):
    """Carries the queue counts read in a thread to the GUI thread. One for the program, never deleted,
    so the thread never emits on a label that was closed meanwhile (Qt drops a closed label's
    connection)."""

    counted = Signal(object, int, object)  # (the label's token, its refresh number, the counts or None)


_relay: _CountsRelay | None = None


def _counts_relay() -> _CountsRelay:
    global _relay
    if _relay is None:
        _relay = _CountsRelay()  # made on the GUI thread, by the first QueueStatus
    return _relay


class QueueStatus(QLabel):
    """Status-bar counts of the clerk's queues. The first counts are read in a thread as the window is
    built (on a large store they take 50-80 ms, which the window's start after the log-in need not
    wait for: docs/ARCHITECTURE.md, Start-up) and shown when they arrive; refresh() reads at once."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._refreshes = 0
        self._token = object()
        # Until they arrive, "…" in place of each count: the status bar lays its items out when they are
        # added (QStatusBar re-lays them only when its height changes), so the label's width is taken now.
        self._show({k: "…" for k in mt.queues_for(ctx.actor)}, waiting=True)
        _counts_relay().counted.connect(self._arrived)
        self._count_in_background()

    def _count_in_background(self) -> None:
        import threading

        number, token, relay = self._refreshes, self._token, _counts_relay()
        db, actor = self.ctx.db, self.ctx.actor

        def work() -> None:
            try:
                counts = mt.queue_counts(db, actor)
            except Exception:  # noqa: BLE001  (UserError or a store gone: the next refresh reads again)
                counts = None
            relay.counted.emit(token, number, counts)

        threading.Thread(target=work, name="queue-counts", daemon=True).start()

    def _arrived(self, token, number: int, counts) -> None:
        if token is self._token and counts is not None and number == self._refreshes:  # no newer refresh came first
            self._show(counts)

    def refresh(self) -> None:
        self._refreshes += 1
        try:
            c = mt.queue_counts(self.ctx.db, self.ctx.actor)
        except UserError:
            return
        self._show(c)

    def _show(self, c: dict, waiting: bool = False) -> None:
        shown = [k for k in ("mine", "due_soon", "overdue", "hall") if k in c]
        self.setText(" · ".join(f"{tr(QUEUE_NAMES, k)} {c[k]}" for k in shown))
        self.setToolTip("\n".join(f"{tr(QUEUE_NAMES, k)}: {v}" for k, v in c.items()))
        self.setProperty("level", "danger" if c.get("overdue") and not waiting else "")
        self.style().unpolish(self)
        self.style().polish(self)
