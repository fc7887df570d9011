"""Meter readings from files: import a handheld terminal's or an AMR export's file, see every row's
verdict, accept or correct the warned ones, post the accepted ones as readings of a route
(docs/INTERFACES.md, "Meter readings")."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.services.billing.readings import quantity_text
from app.services.interfaces import readings_import as ri
from app.views.billing.readings_screen import ReadingsScreen
from app.views.forms import FieldForm
from app.views.tables import Column, model_table

COLOURS = {"refused": QColor("#b00020"), "warned": QColor("#8a5a00"), "posted": QColor("#1b5e20")}


def _q(value) -> str:
    return quantity_text(value) if value is not None else ""


class ReadingsImportDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.import_id = None
        self.setObjectName("readingsImportDialog")
        self.setWindowTitle(self.tr("Import meter readings"))
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Source")))
        self.source = QComboBox()
        self.source.setObjectName("readingsSource")
        for name in ri.source_names():
            self.source.addItem(f"{ri.load_source(name).title} ({name})", name)
        self.source.setCurrentIndex(max(self.source.findData("plain"), 0))
        top.addWidget(self.source)
        top.addWidget(QLabel(self.tr("Period")))
        self.period = QLineEdit()
        self.period.setObjectName("readingsPeriod")
        self.period.setPlaceholderText(self.tr("from the file"))
        self.period.setMaximumWidth(110)
        top.addWidget(self.period)
        self.open_button = QPushButton(self.tr("Import file…"))
        self.open_button.setObjectName("readingsImportFile")
        top.addWidget(self.open_button)
        top.addWidget(QLabel(self.tr("Earlier imports")))
        self.earlier = QComboBox()
        self.earlier.setObjectName("readingsEarlier")
        self.earlier.setMinimumContentsLength(24)
        top.addWidget(self.earlier, 1)
        layout.addLayout(top)

        self.summary = QLabel()
        self.summary.setObjectName("readingsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Show")))
        self.show_only = QComboBox()
        self.show_only.setObjectName("readingsFilter")
        for code, label in (
            ("", self.tr("All rows")),
            ("warned", self.tr("Warned")),
            ("refused", self.tr("Refused")),
            ("accepted", self.tr("Accepted")),
            ("posted", self.tr("Posted")),
        ):
            self.show_only.addItem(label, code)
        filters.addWidget(self.show_only)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.verdicts = verdicts = {
            "accepted": self.tr("accepted"),
            "warned": self.tr("warned"),
            "refused": self.tr("refused"),
            "posted": self.tr("posted"),
        }
        self.table = model_table(
            "readingsRows",
            [
                Column(self.tr("Line"), lambda r: str(r.line), right=True),
                Column(self.tr("Meter no."), lambda r: r.meter_no),
                Column(self.tr("Register"), lambda r: ReadingsScreen.register_name(r.register)),  # translated as on the entry screen
                Column(self.tr("Reading"), lambda r: r.reading, right=True),
                Column(self.tr("Read on"), lambda r: r.read_on.isoformat() if r.read_on else ""),
                Column(self.tr("Route"), lambda r: r.route),
                Column(self.tr("Previous"), lambda r: _q(r.previous), right=True),
                Column(self.tr("Usage"), lambda r: _q(r.usage), right=True),
                Column(self.tr("Usual"), lambda r: _q(r.usual), right=True),
                Column(self.tr("Verdict"), lambda r: verdicts.get(r.verdict, r.verdict), colour=lambda r: COLOURS.get(r.verdict)),
                Column(self.tr("Reason"), lambda r: r.reason_text(self._translate)),
            ],
            elastic=(10,),
            keep=(0, 3, 4, 6, 7, 8, 9),
        )
        layout.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.accept_button = QPushButton(self.tr("Accept warning"))
        self.accept_button.setObjectName("readingsAccept")
        actions.addWidget(self.accept_button)
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.correct_button.setObjectName("readingsCorrect")
        actions.addWidget(self.correct_button)
        actions.addStretch(1)
        actions.addWidget(QLabel(self.tr("Post for route")))
        self.route = QComboBox()
        self.route.setObjectName("readingsRoute")
        actions.addWidget(self.route)
        self.post_button = QPushButton(self.tr("Post accepted readings"))
        self.post_button.setObjectName("readingsPost")
        actions.addWidget(self.post_button)
        layout.addLayout(actions)

        self.message = QLabel()
        self.message.setObjectName("readingsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.open_button.clicked.connect(self.choose_file)
        self.earlier.activated.connect(self._earlier_chosen)
        self.show_only.currentIndexChanged.connect(lambda _i: self.refresh())
        self.accept_button.clicked.connect(self.accept_selected)
        self.correct_button.clicked.connect(self.correct_selected)
        self.post_button.clicked.connect(self.post)
        self._load_earlier()
        self.refresh()
        self.resize(1240, 640)

    @staticmethod
    def _translate(context: str, text: str) -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate(context, text)

    def _load_earlier(self) -> None:
        self.earlier.clear()
        self.earlier.addItem("", None)
        for imp in ri.recent_imports(self.ctx.db):
            c = imp.counts
            self.earlier.addItem(
                self.tr("%1 · %2 · warned %3, accepted %4")
                .replace("%1", imp.file_name)
                .replace("%2", imp.period)
                .replace("%3", str(c["warned"]))
                .replace("%4", str(c["accepted"])),
                str(imp.import_id),
            )

    def _earlier_chosen(self, index: int) -> None:
        import_id = self.earlier.itemData(index)
        if import_id:
            self.import_id = uuid.UUID(import_id)
            self.refresh()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Readings file"), "", self.tr("Readings files (*.csv *.xlsx *.txt);;All files (*)")
        )
        if name:
            self.import_file(name)

    def import_file(self, name: str) -> None:
        """Stage and check `name` (also what a test calls)."""
        period = self.period.text().strip() or None
        try:
            result = ri.stage_file(self.ctx.db, self.ctx.actor, name, source=self.source.currentData(), period=period)
        except UserError as err:
            self.message.setText(error_text(err))
            if err.field == "period":
                self.period.setFocus()
            return
        self.import_id = result.import_id
        self.message.setText(self.tr("This file was imported before: its rows are shown as they stand.") if result.again else "")
        self._load_earlier()
        self.earlier.setCurrentIndex(max(self.earlier.findData(str(result.import_id)), 0))
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        has = self.import_id is not None
        for w in (self.accept_button, self.correct_button, self.post_button, self.route, self.show_only):
            w.setEnabled(has)
        if not has:
            self.summary.setText(self.tr("Choose the source and import a file; every row is checked before anything is posted."))
            self.table.set_rows([])
            return
        result = ri.import_result(self.ctx.db, self.import_id)
        c = result.counts
        self.summary.setText(
            self.tr("%1, period %2: accepted %3, warned %4, refused %5, posted %6")
            .replace("%1", result.file_name)
            .replace("%2", result.period)
            .replace("%3", str(c["accepted"]))
            .replace("%4", str(c["warned"]))
            .replace("%5", str(c["refused"]))
            .replace("%6", str(c["posted"]))
        )
        wanted = self.show_only.currentData()
        rows = [r for r in result.rows if not wanted or r.verdict == wanted]
        self.table.set_rows(rows, key=lambda r: r.line)
        current = self.route.currentData()
        self.route.clear()
        self.route.addItem(self.tr("All routes"), None)
        for route in sorted({r.route for r in result.rows if r.verdict == "accepted"}):
            self.route.addItem(route or self.tr("(no route)"), route)
        index = self.route.findData(current)
        self.route.setCurrentIndex(max(index, 0))

    def _selected(self):
        row = self.table.selected()
        if row is None:
            self.message.setText(self.tr("Choose a row first."))
        return row

    def accept_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        try:
            ri.accept_row(self.ctx.db, self.ctx.actor, row.id)
        except UserError as err:
            self.message.setText(error_text(err))
            return
        self.message.setText("")
        self.refresh()

    def correct_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        dialog = CorrectRowDialog(row, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                verdict = ri.correct_row(self.ctx.db, self.ctx.actor, row.id, dialog.reading.text(), dialog.read_on.text())
            except UserError as err:
                dialog.show_error(err)
                continue
            self.message.setText(
                self.tr("Line %1 checked again: %2").replace("%1", str(row.line)).replace("%2", self.verdicts.get(verdict, verdict))
            )
            break
        self.refresh()

    def post(self) -> None:
        if self.import_id is None:
            return
        route = self.route.currentData()
        try:
            posted = ri.post_import(self.ctx.db, self.ctx.actor, self.import_id, route=route)
        except UserError as err:
            self.message.setText(error_text(err))
            return
        self.message.setText(self.tr("%1 readings posted.").replace("%1", str(posted)))
        self.ctx.data_changed.emit("billing")
        self.refresh()


class CorrectRowDialog(QDialog):
    """The right reading (and date) for one row; the service checks both when saved and each refusal
    shows under its field (FieldForm)."""

    def __init__(self, row, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("readingsCorrectDialog")
        self.setWindowTitle(self.tr("Correct line %1").replace("%1", str(row.line)))
        box = QVBoxLayout(self)
        about = QFormLayout()
        about.addRow(self.tr("Meter no."), QLabel(f"{row.meter_no} {row.register}"))
        about.addRow(self.tr("Reason"), QLabel(row.reason_text(ReadingsImportDialog._translate)))
        box.addLayout(about)
        f = self.form = FieldForm(self)
        self.reading = f.line("reading", self.tr("Reading"), row.reading, max_len=20)
        self.read_on = f.line("read_on", self.tr("Read on (YYYY-MM-DD)"), row.read_on.isoformat() if row.read_on else "", max_len=10)
        box.addWidget(f)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.reading.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reading.selectAll()

    def show_error(self, err: UserError) -> None:
        self.form.show_errors(err.errors if isinstance(err, ValidationError) else {err.field if err.field == "read_on" else "reading": err})
