"""Shifts to sign off: the station's closed shifts with expected and counted money per method, the cash
count and the clerk's note; a supervisor signs off (a clerk needs a supervisor's log-in); the shift
report (PDF) is previewed, printed and archived from here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.printing.payments.methods import method_name
from app.services.payments import posting, queries

CTX = "ShiftReview"
SIGNED_DAYS = 7
HEADERS = (
    QT_TRANSLATE_NOOP("ShiftReview", "Clerk"),
    QT_TRANSLATE_NOOP("ShiftReview", "Opened"),
    QT_TRANSLATE_NOOP("ShiftReview", "Closed"),
    QT_TRANSLATE_NOOP("ShiftReview", "Cash expected"),
    QT_TRANSLATE_NOOP("ShiftReview", "Cash counted"),
    QT_TRANSLATE_NOOP("ShiftReview", "Cash difference"),
    QT_TRANSLATE_NOOP("ShiftReview", "Other methods"),
    QT_TRANSLATE_NOOP("ShiftReview", "Receipts"),
    QT_TRANSLATE_NOOP("ShiftReview", "Signed off by"),
    QT_TRANSLATE_NOOP("ShiftReview", "Note"),
)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SHORT = RED = QColor("#b00020")
OVER = QColor("#a15c00")
GREY = QColor("#666666")


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _money_item(fen: int, difference: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(format_yuan(fen))
    item.setTextAlignment(RIGHT)
    if difference and fen:
        item.setForeground(SHORT if fen < 0 else OVER)
    return item


def _table(object_name: str, headers) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(object_name)
    t.setHorizontalHeaderLabels([tr(h) for h in headers])
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setTabKeyNavigation(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def show_shift_report(ctx, parent, shift_id) -> bool:
    """Preview the shift report (重打 (N) when it was printed before, counted in the database for every
    counter); printing or saving it archives it and counts the copy (app.services.documents)."""
    from app.views.pdf_preview import output_document

    return output_document(ctx, parent, "shift", shift_id, "preview")


class ShiftReviewDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[queries.ShiftRow] = []
        self.setObjectName("shiftReviewDialog")
        self.setWindowTitle(self.tr("Shifts to sign off — %1").replace("%1", ctx.actor.station_name))
        self.resize(1180, 660)
        box = QVBoxLayout(self)

        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("shiftSummary")
        top.addWidget(self.summary, 1)
        self.show_signed = QCheckBox(self.tr("Also show shifts signed off in the last %1 days").replace("%1", str(SIGNED_DAYS)))
        self.show_signed.setObjectName("showSignedOff")
        self.show_signed.toggled.connect(lambda _on: self.refresh())
        top.addWidget(self.show_signed)
        box.addLayout(top)

        self.table = _table("shiftsTable", HEADERS)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(lambda _i: self.report())
        box.addWidget(self.table, 1)

        detail = QHBoxLayout()
        group = QGroupBox(self.tr("Expected and counted"))
        g = QVBoxLayout(group)
        self.methods = _table(
            "shiftMethodsTable",
            (
                QT_TRANSLATE_NOOP("ShiftReview", "Method"),
                QT_TRANSLATE_NOOP("ShiftReview", "Expected"),
                QT_TRANSLATE_NOOP("ShiftReview", "Counted"),
                QT_TRANSLATE_NOOP("ShiftReview", "Difference"),
            ),
        )
        g.addWidget(self.methods)
        detail.addWidget(group, 3)
        group = QGroupBox(self.tr("Cash count"))
        g = QVBoxLayout(group)
        self.cash = _table(
            "shiftCashTable",
            (
                QT_TRANSLATE_NOOP("ShiftReview", "Denomination"),
                QT_TRANSLATE_NOOP("ShiftReview", "Pieces"),
                QT_TRANSLATE_NOOP("ShiftReview", "Amount"),
            ),
        )
        g.addWidget(self.cash)
        detail.addWidget(group, 2)
        group = QGroupBox(self.tr("Clerk's note"))
        g = QVBoxLayout(group)
        self.note = QLabel()
        self.note.setObjectName("shiftNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        g.addWidget(self.note, 1)
        detail.addWidget(group, 2)
        for t in (self.methods, self.cash):  # compact rows: the whole cash count shows without scrolling
            t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 6)
            rows = len(posting.DENOMINATIONS_FEN) + 2  # every denomination and the total, with room to spare
            t.setMinimumHeight(t.horizontalHeader().sizeHint().height() + rows * (t.fontMetrics().height() + 6))
        box.addLayout(detail, 0)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Supervisor's note:")))
        self.sign_note = QLineEdit()
        self.sign_note.setObjectName("signOffNote")
        self.sign_note.setMaxLength(1000)
        self.sign_note.setPlaceholderText(self.tr("why a difference is accepted (kept with the sign-off, printed on the reports)"))
        row.addWidget(self.sign_note, 1)
        self.sign_button = QPushButton(self.tr("Sign off…"))
        self.sign_button.setObjectName("signOffButton")
        self.sign_button.clicked.connect(self.sign_off)
        self.report_button = QPushButton(self.tr("F8 Shift report"))
        self.report_button.setObjectName("shiftReportButton")
        self.report_button.clicked.connect(self.report)
        close = QPushButton(self.tr("Close (Esc)"))
        close.setObjectName("shiftReviewCloseButton")
        close.clicked.connect(self.reject)
        for b in (self.sign_button, self.report_button, close):
            b.setAutoDefault(False)
        row.addWidget(self.sign_button)
        row.addWidget(self.report_button)
        row.addWidget(close)
        box.addLayout(row)
        self.refresh()
        self.table.setFocus()

    # ------------------------------------------------------------------ list
    def keyPressEvent(self, event) -> None:
        """F8 from any field of the dialog (the fields do not use it)."""
        if event.key() == Qt.Key.Key_F8 and self.report_button.isEnabled():
            self.report()
            return
        super().keyPressEvent(event)

    def refresh(self, select=None) -> None:
        self.rows = queries.shifts_for_review(self.ctx.db, self.ctx.actor, SIGNED_DAYS if self.show_signed.isChecked() else 0)
        waiting = sum(1 for r in self.rows if r.status == "closed")
        self.summary.setText(
            self.tr("%1 closed shifts wait for a supervisor's sign-off.").replace("%1", str(waiting))
            if waiting
            else self.tr("No shift waits for sign-off.")
        )
        self.table.setRowCount(len(self.rows))
        for r, s in enumerate(self.rows):
            diff = s.difference
            others = [f"{method_name(m, QCoreApplication.translate)} {format_yuan(d)}" for m, d in diff.items() if m != "cash" and d]
            receipts = self.tr("%1 paid, %2 reversed").replace("%1", str(s.payments)).replace("%2", str(s.reversals))
            items = [
                QTableWidgetItem(f"{s.clerk_name} ({s.staff_no})"),
                QTableWidgetItem(s.opened.strftime("%m-%d %H:%M")),
                QTableWidgetItem(s.closed.strftime("%m-%d %H:%M") if s.closed else ""),
                _money_item(s.expected.get("cash", 0)),
                _money_item(s.counted.get("cash", 0)),
                _money_item(diff.get("cash", 0), True),
                QTableWidgetItem(", ".join(others) if others else self.tr("all match")),
                QTableWidgetItem(receipts),
                QTableWidgetItem(s.signed_off_by if s.status == "signed_off" else self.tr("waiting")),
                QTableWidgetItem(s.note.replace("\n", " ")),
            ]
            items[9].setToolTip(s.note)
            if others:
                items[6].setForeground(RED)
            if s.status == "signed_off":
                for c in (0, 1, 2, 8):
                    items[c].setForeground(GREY)
            for c, item in enumerate(items):
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                self.table.setItem(r, c, item)
        index = next((i for i, s in enumerate(self.rows) if s.id == select), 0)
        if self.rows:
            self.table.selectRow(index)
        self._show_detail()

    def selected(self) -> queries.ShiftRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _show_detail(self) -> None:
        s = self.selected()
        self.sign_button.setEnabled(s is not None and s.status == "closed")
        self.sign_note.setEnabled(s is not None and s.status == "closed")
        self.sign_note.clear()
        self.report_button.setEnabled(s is not None)
        if s is None:
            self.methods.setRowCount(0)
            self.cash.setRowCount(0)
            self.note.setText("")
            return
        diff = s.difference
        self.methods.setRowCount(len(s.expected))
        for r, (m, e) in enumerate(s.expected.items()):
            for c, item in enumerate(
                [
                    QTableWidgetItem(method_name(m, QCoreApplication.translate)),
                    _money_item(e),
                    _money_item(s.counted.get(m, 0)),
                    _money_item(diff[m], True),
                ]
            ):
                self.methods.setItem(r, c, item)
        pieces = sorted(s.cash_pieces.items(), reverse=True)
        self.cash.setRowCount(len(pieces) + 1)
        for r, (fen, n) in enumerate(pieces):
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(RIGHT)
            for c, item in enumerate([_money_item(fen), count, _money_item(fen * n)]):
                self.cash.setItem(r, c, item)
        total = QTableWidgetItem(self.tr("Total"))
        for c, item in enumerate([total, QTableWidgetItem(""), _money_item(sum(f * n for f, n in pieces))]):
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.cash.setItem(len(pieces), c, item)
        lines = [s.note or self.tr("(no note)")]
        if s.status == "signed_off":
            lines.append(
                self.tr("Signed off by %1 at %2").replace("%1", s.signed_off_by).replace("%2", s.signed_off_at.strftime("%m-%d %H:%M"))
            )
            if s.sign_off_note:
                lines.append(self.tr("Supervisor's note: %1").replace("%1", s.sign_off_note))
        lines.append(self.tr("Opening float %1").replace("%1", format_yuan(s.float_fen)))
        self.note.setText("\n".join(lines))

    # --------------------------------------------------------------- actions
    def confirm(self, s: queries.ShiftRow) -> bool:
        """A supervisor at the counter confirms what is signed off; tests replace this."""
        text = (
            self.tr("Sign off the shift of %1 (%2 – %3)? Cash difference: %4.")
            .replace("%1", s.clerk_name)
            .replace("%2", s.opened.strftime("%m-%d %H:%M"))
            .replace("%3", s.closed.strftime("%H:%M") if s.closed else "")
            .replace("%4", format_yuan(s.difference.get("cash", 0)))
        )
        answer = QMessageBox.question(
            self, self.tr("Sign off"), text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        )
        return answer == QMessageBox.StandardButton.Yes

    def sign_off(self) -> None:
        from app.views.supervisor import with_supervisor

        s = self.selected()
        if s is None or s.status != "closed":
            return
        own = s.clerk_id == self.ctx.actor.clerk_id  # a supervisor's own shift: another supervisor logs in
        if self.ctx.actor.is_supervisor and not own and not self.confirm(s):
            return

        note = self.sign_note.text()

        def act(approver) -> None:
            posting.sign_off(self.ctx.db, approver, s.id, note)

        if not with_supervisor(self.ctx, self, act, other_than=s.clerk_id):
            return
        self.ctx.data_changed.emit("payments")
        self.refresh()
        show_shift_report(self.ctx, self, s.id)  # the signed report, ready to print for the file
        self.table.setFocus()

    def report(self) -> None:
        s = self.selected()
        if s is not None:
            show_shift_report(self.ctx, self, s.id)
            self.table.setFocus()
