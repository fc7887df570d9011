"""Entering a reading route's meter readings with the keyboard: one row per meter register, Enter moves on."""

from __future__ import annotations

from datetime import date


from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.i18n import error_text
from app.services.billing import readings
from app.services.billing.readings import NeedsConfirmation
from app.services.errors import UserError

COLS = ("Account no.", "Name", "Address", "Meter no.", "Register", "Previous", "Current", "Usage", "Note")
CUR = 6


class RouteModel(QAbstractTableModel):
    def __init__(self, rows, parent=None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.notes: dict[int, str] = {}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ReadingsScreen.column_title(section)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.rows[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            def q(d):
                return "" if d is None else format(d.normalize(), "f")
            return [r.account_no, r.account_name, r.address, r.meter_no, ReadingsScreen.register_name(r.register),
                    q(r.previous), q(r.current), q(r.usage), self.notes.get(index.row(), "")][c]
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def refresh_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLS) - 1))


class ReadingsScreen(QDialog):
    """Pick a route and period; type each reading in the box under the table and press Enter."""

    def __init__(self, ctx, parent=None, route: str = "", period: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("readingsScreen")
        self.setWindowTitle(self.tr("Meter readings by route"))
        self.resize(1200, 680)
        box = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Reading route:")))
        self.route = QComboBox()
        self.route.setObjectName("routeCombo")
        self.route.setEditable(True)
        self.route.addItems(readings.routes(ctx.db))
        if route:
            self.route.setCurrentText(route)
        top.addWidget(self.route)
        top.addWidget(QLabel(self.tr("Period (YYYY-MM):")))
        self.period = QLineEdit(period or date.today().strftime("%Y-%m"))
        self.period.setObjectName("periodField")
        self.period.setMaximumWidth(110)
        top.addWidget(self.period)
        load = QPushButton(self.tr("Load route"))
        load.setObjectName("loadRouteButton")
        load.clicked.connect(self.load)
        top.addWidget(load)
        top.addStretch(1)
        self.progress = QLabel()
        self.progress.setObjectName("routeProgress")
        top.addWidget(self.progress)
        box.addLayout(top)
        self.table = QTableView()
        self.table.setObjectName("routeTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        box.addWidget(self.table, 1)
        entry = QHBoxLayout()
        self.current_label = QLabel()
        self.current_label.setObjectName("currentRowLabel")
        entry.addWidget(self.current_label, 1)
        entry.addWidget(QLabel(self.tr("Current reading:")))
        self.entry = QLineEdit()
        self.entry.setObjectName("readingEntry")
        self.entry.setMaximumWidth(160)
        self.entry.returnPressed.connect(self.save_current)
        entry.addWidget(self.entry)
        self.message = QLabel()
        self.message.setObjectName("readingMessage")
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        box.addLayout(entry)
        box.addWidget(self.message)
        self.model: RouteModel | None = None
        if route:
            self.load()

    @staticmethod
    def column_title(section: int) -> str:
        from PySide6.QtCore import QCoreApplication

        titles = [QCoreApplication.translate("ReadingsScreen", "Account no."), QCoreApplication.translate("ReadingsScreen", "Name"),
                  QCoreApplication.translate("ReadingsScreen", "Address"), QCoreApplication.translate("ReadingsScreen", "Meter no."),
                  QCoreApplication.translate("ReadingsScreen", "Register"), QCoreApplication.translate("ReadingsScreen", "Previous"),
                  QCoreApplication.translate("ReadingsScreen", "Current"), QCoreApplication.translate("ReadingsScreen", "Usage"),
                  QCoreApplication.translate("ReadingsScreen", "Note")]
        return titles[section]

    @staticmethod
    def register_name(register: str) -> str:
        from PySide6.QtCore import QCoreApplication

        names = {"total": QCoreApplication.translate("ReadingsScreen", "Total"), "peak": QCoreApplication.translate("ReadingsScreen", "Peak"),
                 "flat": QCoreApplication.translate("ReadingsScreen", "Flat"), "valley": QCoreApplication.translate("ReadingsScreen", "Valley"),
                 "sharp": QCoreApplication.translate("ReadingsScreen", "Sharp peak")}
        return names.get(register, register)

    def load(self) -> None:
        try:
            rows = readings.list_route(self.ctx.db, self.route.currentText().strip(), self.period.text().strip())
        except UserError as err:
            self.message.setText(error_text(err))
            return
        self.model = RouteModel(rows, self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        self.message.clear()
        first = next((i for i, r in enumerate(rows) if r.current is None), 0)
        if rows:
            self.table.selectRow(first)
            self._show_row(first)
        self._count()
        self.entry.setFocus()

    def _count(self) -> None:
        done = sum(1 for r in self.model.rows if r.current is not None)
        self.progress.setText(self.tr("%1 of %2 entered").replace("%1", str(done)).replace("%2", str(len(self.model.rows))))

    def _show_row(self, row: int) -> None:
        if not self.model or not (0 <= row < len(self.model.rows)):
            return
        r = self.model.rows[row]
        first = self.tr(" (first reading of a new meter)") if r.first_reading else ""
        self.current_label.setText(f"{r.account_no} {r.account_name}  {r.meter_no} {self.register_name(r.register)}  "
                                   + self.tr("previous %1").replace("%1", format(r.previous.normalize(), "f")) + first)
        self.entry.setText("" if r.current is None else format(r.current.normalize(), "f"))
        self.entry.setReadOnly(r.current is not None)
        self.entry.selectAll()

    def current_row(self) -> int:
        return self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0

    def save_current(self) -> None:
        if not self.model or not self.model.rows:
            return
        row = self.current_row()
        r = self.model.rows[row]
        if r.current is None:
            if not self._save(row, r):
                return
        nxt = row + 1
        if nxt < len(self.model.rows):
            self.table.selectRow(nxt)
            self._show_row(nxt)
        self.entry.setFocus()

    def _save(self, row: int, r, rolled_over=False, confirm_high=False) -> bool:
        try:
            result = readings.record_reading(self.ctx.db, self.ctx.actor, r.meter_id, r.register, self.period.text().strip(),
                                             self.entry.text(), rolled_over=rolled_over, confirm_high=confirm_high)
        except NeedsConfirmation as ask:
            if self.confirm(ask):
                return self._save(row, r, rolled_over or ask.kind == "rollover", confirm_high or ask.kind == "high_usage")
            self.message.setText(error_text(ask))
            self.entry.selectAll()
            return False
        except UserError as err:
            self.message.setText(error_text(err))
            self.entry.selectAll()
            return False
        r.current, r.usage = result.current, result.usage
        self.model.notes[row] = self.tr("rolled over") if result.rolled_over else ""
        self.model.refresh_row(row)
        self.message.clear()
        self._count()
        return True

    def confirm(self, ask: NeedsConfirmation) -> bool:
        """Ask the clerk; tests replace this to answer."""
        answer = QMessageBox.question(self, self.tr("Check the reading"), error_text(ask) + "\n\n" + self.tr("Save it as it is?"))
        return answer == QMessageBox.StandardButton.Yes


