"""Entering a reading route's meter readings with the keyboard: one row per meter register, Enter moves on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import AuthError, PermissionDenied, UserError
from app.kernel.localtime import local_today
from app.services import auth
from app.services.billing import readings
from app.services.billing.readings import NeedsConfirmation, quantity_text
from app.views.forms import FieldForm

COLS = ("Account no.", "Name", "Address", "Meter no.", "Register", "Previous", "Current", "Usage", "Read on", "Source", "Note")
CUR = 6
SOURCES = ("read", "estimated", "customer")


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
                return "" if d is None else quantity_text(d)

            return [
                r.account_no,
                r.account_name,
                r.address,
                r.meter_no,
                ReadingsScreen.register_name(r.register),
                q(r.previous),
                q(r.current),
                q(r.usage),
                r.read_on.isoformat() if r.read_on and r.current is not None else "",
                ReadingsScreen.source_name(r.source) if r.source and r.current is not None else "",
                self.note(index.row(), r),
            ][c]
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def note(self, row: int, r) -> str:
        if row in self.notes:
            return self.notes[row]
        if r.later_reading:
            return ReadingsScreen.later_note(r)
        return ReadingsScreen.rolled_note() if r.rolled_over else ""

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
        self.route.setMinimumContentsLength(8)  # a route code (D01001) shows whole
        self.route.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.route.addItems(readings.routes(ctx.db))
        if route:
            self.route.setCurrentText(route)
        top.addWidget(self.route)
        top.addWidget(QLabel(self.tr("Period (YYYY-MM):")))
        self.period = QLineEdit(period or local_today().strftime("%Y-%m"))
        self.period.setObjectName("periodField")
        self.period.setMaximumWidth(110)
        self.period.returnPressed.connect(self.load)
        top.addWidget(self.period)
        load = QPushButton(self.tr("Load route"))
        load.setObjectName("loadRouteButton")
        # Never the dialog's default button: Enter in the reading box saves a reading, it must not reload the route.
        load.setAutoDefault(False)
        load.setDefault(False)
        load.clicked.connect(self.load)
        top.addWidget(load)
        top.addSpacing(24)
        # Applied to every reading entered below (a correction keeps the date and source it had).
        top.addWidget(QLabel(self.tr("Read on:")))
        today = local_today()  # the station's day, not the machine's
        self.read_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.read_on.setObjectName("readDateField")
        self.read_on.setCalendarPopup(True)
        self.read_on.setDisplayFormat("yyyy-MM-dd")
        self.read_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.read_on.setToolTip(self.tr("The day the meters were read; applied to the readings entered below."))
        top.addWidget(self.read_on)
        top.addWidget(QLabel(self.tr("Source:")))
        self.source = QComboBox()
        self.source.setObjectName("sourceCombo")
        for code in SOURCES:
            self.source.addItem(self.source_name(code), code)
        self.source.setToolTip(self.tr("How the readings entered below were taken."))
        top.addWidget(self.source)
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

        titles = [
            QCoreApplication.translate("ReadingsScreen", "Account no."),
            QCoreApplication.translate("ReadingsScreen", "Name"),
            QCoreApplication.translate("ReadingsScreen", "Address"),
            QCoreApplication.translate("ReadingsScreen", "Meter no."),
            QCoreApplication.translate("ReadingsScreen", "Register"),
            QCoreApplication.translate("ReadingsScreen", "Previous"),
            QCoreApplication.translate("ReadingsScreen", "Current"),
            QCoreApplication.translate("ReadingsScreen", "Usage"),
            QCoreApplication.translate("ReadingsScreen", "Read on"),
            QCoreApplication.translate("ReadingsScreen", "Source"),
            QCoreApplication.translate("ReadingsScreen", "Note"),
        ]
        return titles[section]

    @staticmethod
    def source_name(source: str) -> str:
        from PySide6.QtCore import QCoreApplication

        names = {
            "read": QCoreApplication.translate("ReadingsScreen", "Read on site"),
            "estimated": QCoreApplication.translate("ReadingsScreen", "Estimated"),
            "customer": QCoreApplication.translate("ReadingsScreen", "Reported by the customer"),
        }
        return names.get(source, source)

    @staticmethod
    def later_note(r) -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("ReadingsScreen", "read up to %1: closed").replace("%1", r.latest_period or "")

    @staticmethod
    def rolled_note() -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("ReadingsScreen", "rolled over")

    @staticmethod
    def register_name(register: str) -> str:
        from PySide6.QtCore import QCoreApplication

        names = {
            "total": QCoreApplication.translate("ReadingsScreen", "Total"),
            "peak": QCoreApplication.translate("ReadingsScreen", "Peak"),
            "flat": QCoreApplication.translate("ReadingsScreen", "Flat"),
            "valley": QCoreApplication.translate("ReadingsScreen", "Valley"),
            "sharp": QCoreApplication.translate("ReadingsScreen", "Sharp peak"),
        }
        return names.get(register, register)

    def load(self) -> None:
        try:
            rows = readings.list_route(self.ctx.db, self.route.currentText().strip(), self.period.text().strip())
        except UserError as err:
            self.message.setText(error_text(err))
            return
        self.model = RouteModel(rows, self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the address gives way, so every column fits
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        self.message.clear()
        first = next((i for i, r in enumerate(rows) if r.enterable), 0)
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
        first = self.tr(" (first reading of a new meter)") if r.first_reading and r.current is None else ""
        text = (
            f"{r.account_no} {r.account_name}  {r.meter_no} {self.register_name(r.register)}  "
            + self.tr("previous %1").replace("%1", quantity_text(r.previous))
            + first
        )
        if r.later_reading:
            text += "  " + self.tr(
                "— this meter is read up to %1; a reading for an earlier period can be neither entered nor corrected."
            ).replace("%1", r.latest_period)
        elif r.current is not None and r.bill_no:
            text += "  " + self.tr("— billed (%1); to correct it a supervisor voids the bill first.").replace("%1", r.bill_no)
        elif r.current is not None:
            text += "  " + self.tr("— entered; type the right value and press Enter to correct it.")
        self.current_label.setText(text)
        self.entry.setText("" if r.current is None else format(r.current.normalize(), "f"))
        self.entry.setReadOnly(not (r.enterable or r.correctable))
        self.entry.selectAll()

    def current_row(self) -> int:
        return self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0

    def save_current(self) -> None:
        if not self.model or not self.model.rows:
            return
        row = self.current_row()
        r = self.model.rows[row]
        if r.enterable:
            if not self._save(row, r):
                return
        elif r.correctable and self._changed(r):
            if not self._correct(row, r):
                return
        # otherwise nothing can be typed here (or nothing changed): move on
        nxt = row + 1
        if nxt < len(self.model.rows):
            self.table.selectRow(nxt)
            self._show_row(nxt)
        self.entry.setFocus()

    def _changed(self, r) -> bool:
        try:
            return Decimal(self.entry.text().strip()) != r.current
        except InvalidOperation:
            return True  # the service says what is wrong with it

    def read_date(self) -> date:
        return self.read_on.date().toPython()

    def _save(self, row: int, r, rolled_over=False, confirm_high=False) -> bool:
        source = self.source.currentData()
        return self._run(
            row,
            r,
            lambda ro, ch, ap: readings.record_reading(
                self.ctx.db,
                self.ctx.actor,
                r.meter_id,
                r.register,
                self.period.text().strip(),
                self.entry.text(),
                read_on=self.read_date(),
                source=source,
                rolled_over=ro,
                confirm_high=ch,
                approver=ap,
            ),
            read_on=self.read_date(),
            source=source,
        )

    def _correct(self, row: int, r) -> bool:
        """A reading already saved for this period and typed again differently: correct it, with a reason."""
        try:
            readings.parse_reading(self.entry.text(), r.digits)  # say what is wrong before asking why
        except UserError as err:
            self.message.setText(error_text(err))
            self.entry.selectAll()
            return False
        reason = self.ask_reason(r)
        if reason is None:
            self.message.setText(self.tr("Not corrected: the reading stays %1.").replace("%1", format(r.current.normalize(), "f")))
            self.entry.setText(format(r.current.normalize(), "f"))
            self.entry.selectAll()
            return False
        ok = self._run(
            row,
            r,
            lambda ro, ch, ap: readings.correct_reading(
                self.ctx.db,
                self.ctx.actor,
                r.meter_id,
                r.register,
                self.period.text().strip(),
                self.entry.text(),
                reason,
                rolled_over=ro,
                confirm_high=ch,
                approver=ap,
            ),
        )
        if ok:
            self.model.notes[row] = self.tr("corrected")
            self.model.refresh_row(row)
        return ok

    def _run(self, row: int, r, call, read_on=None, source=None) -> bool:
        """Call the service, asking the roll-over / high-usage questions it raises (an implausible roll-over
        needs a supervisor's approval); update the row."""
        rolled_over = confirm_high = False
        approver = None
        while True:
            try:
                result = call(rolled_over, confirm_high, approver)
                break
            except NeedsConfirmation as ask:
                if ask.needs_supervisor:
                    approver = self.approve(ask)
                    if approver is not None:
                        rolled_over = True
                        continue
                elif self.confirm(ask):
                    rolled_over = rolled_over or ask.kind == "rollover"
                    confirm_high = confirm_high or ask.kind == "high_usage"
                    continue
                self.message.setText(error_text(ask))
                self.entry.selectAll()
                return False
            except UserError as err:
                self.message.setText(error_text(err))
                self.entry.selectAll()
                return False
        r.current, r.usage, r.rolled_over, r.previous = result.current, result.usage, result.rolled_over, result.previous
        r.latest_period = r.period  # the service took it: no later reading exists
        if read_on is not None:
            r.read_on, r.source = read_on, source
        self.model.notes.pop(row, None)
        self.model.refresh_row(row)
        self.message.clear()
        self._count()
        return True

    def confirm(self, ask: NeedsConfirmation) -> bool:
        """Ask the clerk; No is the default, so Enter typed on does not save a doubtful reading."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Check the reading"),
            error_text(ask) + "\n\n" + self.tr("Save it as it is?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("readingQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def approve(self, ask: NeedsConfirmation):
        """An implausible roll-over: the supervisor who accepts it (the clerk if a supervisor), or None."""
        dialog = RolloverApprovalDialog(self.ctx, error_text(ask), self)
        return dialog.approver if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_reason(self, r) -> str | None:
        """Why the saved reading is corrected; None when the clerk cancels. Tests replace this to answer."""
        text, ok = QInputDialog.getText(
            self,
            self.tr("Correct a reading"),
            self.tr("Meter %1: correct the reading %2 to %3. Reason:")
            .replace("%1", r.meter_no)
            .replace("%2", format(r.current.normalize(), "f"))
            .replace("%3", self.entry.text().strip()),
        )
        return text if ok else None


class RolloverApprovalDialog(QDialog):
    """The service's reason why a roll-over is implausible and, for a clerk, a supervisor's log-in in the same
    dialog (as for reversals). Cancel is the default: Enter alone never accepts it."""

    def __init__(self, ctx, text: str, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.approver = None
        self.setObjectName("rolloverApprovalDialog")
        self.setWindowTitle(self.tr("Implausible roll-over"))
        self.setMinimumWidth(480)
        box = QVBoxLayout(self)
        question = QLabel(text)
        question.setObjectName("rolloverQuestion")
        question.setWordWrap(True)
        box.addWidget(question)
        self.needs_login = not ctx.actor.is_supervisor
        self.form = FieldForm(self)
        if self.needs_login:
            box.addWidget(QLabel(self.tr("If the meter really rolled over, a supervisor logs in here to accept it.")))
            self.login = self.form.line("supervisor_login", self.tr("Supervisor login"), max_len=40)
            self.password = self.form.line("supervisor_password", self.tr("Supervisor password"), max_len=100)
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
        box.addWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Accept the roll-over"))
        ok.setObjectName("acceptRolloverButton")
        ok.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("No, re-enter the reading"))
        cancel.setObjectName("rejectRolloverButton")
        if self.needs_login:  # Enter goes from the login to the password, and there checks the log-in
            cancel.setAutoDefault(False)
            self.login.returnPressed.connect(self.password.setFocus)
            self.password.returnPressed.connect(self.check)
        else:
            cancel.setDefault(True)
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        (self.login if self.needs_login else cancel).setFocus()

    def check(self) -> None:
        self.form.clear_errors()
        if not self.needs_login:
            self.approver = self.ctx.actor
            self.accept()
            return
        try:
            self.approver = auth.verify_supervisor(self.ctx.db, self.login.text(), self.password.text())
        except (AuthError, PermissionDenied) as err:
            self.form.show_errors({"supervisor_password": err})
            self.adjustSize()
            return
        self.accept()
