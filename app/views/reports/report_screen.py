"""Reports (supervisors and administrators): pick a report and its filters, read the chart and the
table behind it, export the workbook or print the PDF; from the ageing report, print arrears
reminders for a route. Every figure comes from app.services.reports.run, the same as the command line."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.localtime import local_today
from app.printing.reports import cell_text
from app.services import reports
from app.services.reports import CONTEXT, NAMES, Filters
from app.services.reports.finance import BUCKET_KEYS, ageing_day
from app.services.reports.output import TOTAL, chart_kind, chart_of, chart_value_text, export_xlsx, hall_name, value_text

NUMERIC = ("money", "quantity", "count", "percent")


def _t(text: str) -> str:
    return QApplication.translate(CONTEXT, text)


class ReportModel(QAbstractTableModel):
    """One report table (the main one or a detail) with its totals as the last, bold row."""

    def __init__(self, columns, rows: list[dict], totals: dict | None, parent=None) -> None:
        super().__init__(parent)
        self.columns, self.rows, self.totals = columns, rows, totals or {}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows) + (1 if self.totals else 0)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _t(self.columns[section].title)
        return None

    def _is_total(self, row: int) -> bool:
        return row == len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        col = self.columns[index.column()]
        total = self._is_total(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if total:
                if col.key in self.totals:
                    return cell_text(self.totals[col.key], col.kind)
                return _t(TOTAL) if index.column() == 0 else ""
            value = self.rows[index.row()].get(col.key)
            words = value_text(col.key, value, QApplication.translate) if col.kind == "text" else None
            return words if words is not None else cell_text(value, col.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.UserRole and not total:
            return self.rows[index.row()]
        return None


class BarChart(QWidget):
    """Bars with their labels under them and their values over them (where they fit); negative values
    go below the axis. Percentages are drawn against 100 %, so a rate of 3 % looks like one."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.labels: list[str] = []
        self.values: list[float] = []
        self.title = ""
        self.kind = ""  # the values' Column.kind
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_data(self, title: str, labels: list[str], values: list[float], kind: str = "") -> None:
        self.title, self.labels, self.values, self.kind = title, labels[:40], values[:40], kind
        self.update()

    def value_text(self, value: float) -> str:
        return chart_value_text(value, self.kind)

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = p.fontMetrics()
        p.drawText(6, fm.ascent() + 4, self.title)
        if not self.values:
            p.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, QApplication.translate("ReportScreen", "Nothing to show for this period.")
            )
            return
        step = (self.width() - 16) / len(self.values)
        widest = max(fm.horizontalAdvance(label) for label in self.labels)
        slanted = widest > step * 0.95  # labels that do not fit under their bar are written at a slant
        if slanted:  # the last one leans out to the right of its bar: leave it room inside the widget
            step = (self.width() - 16 - int(min(widest, 90) * 0.72)) / len(self.values)
        label_room = int(min(widest, 90) * 0.75) + fm.height() if slanted else fm.height() + 4
        top, bottom, left, right = 2 * fm.height() + 10, self.height() - label_room - 4, 8, self.width() - 8
        high, low = max(100.0 if self.kind == "percent" else 0.0, *self.values), min(0.0, *self.values)
        span = (high - low) or 1.0
        zero = top + (bottom - top) * high / span
        p.setPen(QPen(self.palette().text().color()))
        p.drawLine(left, int(zero), right, int(zero))
        for i, (label, value) in enumerate(zip(self.labels, self.values)):
            x = left + i * step + step * 0.15
            h = (bottom - top) * abs(value) / span
            rect = QRectF(x, zero - h if value >= 0 else zero, step * 0.7, h)
            p.fillRect(rect, QBrush(QColor("#2F6FA8") if value >= 0 else QColor("#B00000")))
            text = self.value_text(value)
            if fm.horizontalAdvance(text) <= step * 0.98:  # over a bar (under a negative one)
                y = rect.top() - fm.height() - 1 if value >= 0 else rect.bottom() + 1
                p.drawText(QRectF(left + i * step, y, step, fm.height()), Qt.AlignmentFlag.AlignHCenter, text)
            if slanted:
                p.save()
                p.translate(left + i * step + step / 2, bottom + 4)
                p.rotate(45)
                p.drawText(0, fm.ascent() // 2, fm.elidedText(label, Qt.TextElideMode.ElideRight, 90))
                p.restore()
            else:
                p.drawText(QRectF(left + i * step, bottom + 2, step, fm.height()), Qt.AlignmentFlag.AlignHCenter, label)


class ReportScreen(QDialog):
    def __init__(self, ctx, parent=None, name: str = "collections") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report = None
        self.setObjectName("reportScreen")
        self.setWindowTitle(self.tr("Reports"))
        self.resize(1200, 680)
        self.setMinimumSize(900, 520)

        self.kind = QComboBox(objectName="reportName")
        for key, title in NAMES.items():
            self.kind.addItem(_t(title), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(name)))
        today = local_today()
        first, last = reports.opening_period(name, today)
        self.start = QDateEdit(
            QDate(first.year, first.month, first.day), objectName="reportFrom", calendarPopup=True, displayFormat="yyyy-MM-dd"
        )
        self.end = QDateEdit(QDate(last.year, last.month, last.day), objectName="reportTo", calendarPopup=True, displayFormat="yyyy-MM-dd")
        # The collection rate's cut-off: what was collected by the end of this day (default today).
        self.cutoff = QDateEdit(
            QDate(today.year, today.month, today.day), objectName="reportCutoff", calendarPopup=True, displayFormat="yyyy-MM-dd"
        )
        self.cutoff_label = QLabel(self.tr("Collected by"))
        self.station = QLineEdit(objectName="reportStation", placeholderText=self.tr("all"))
        self.route = QLineEdit(objectName="reportRoute", placeholderText=self.tr("all"))
        self.clerk = QLineEdit(objectName="reportClerk", placeholderText=self.tr("all"))
        self.service = QComboBox(objectName="reportService")
        for value, text in (("", self.tr("all")), ("electricity", self.tr("Electricity")), ("water", self.tr("Water"))):
            self.service.addItem(text, value)
        self.run_button = QPushButton(self.tr("Show (Enter)"), objectName="reportRun", default=True)
        self.run_button.clicked.connect(self.run)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("Report"), self.kind),
            (self.tr("From"), self.start),
            (self.tr("To"), self.end),
            (self.cutoff_label, self.cutoff),
            (self.tr("Station"), self.station),
            (self.tr("Route"), self.route),
            (self.tr("Clerk"), self.clerk),
            (self.tr("Service"), self.service),
        ):
            filters.addWidget(label if isinstance(label, QLabel) else QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.run_button)
        self.error = QLabel(objectName="reportError")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()

        self.chart = BarChart(self)
        self.table = QTableView(objectName="reportTable")
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._drill_down)
        self.part = QComboBox(objectName="reportPart")
        self.part.currentIndexChanged.connect(self._show_part)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.setSizes([200, 420])

        self.export_button = QPushButton(self.tr("Excel…"), objectName="reportExport", enabled=False)
        self.export_button.clicked.connect(self.export)
        self.print_button = QPushButton(self.tr("Print…"), objectName="reportPrint", enabled=False)
        self.print_button.clicked.connect(self.print_report)
        self.dunning_button = QPushButton(self.tr("Print reminders for the route…"), objectName="reportDunning", enabled=False)
        self.dunning_button.clicked.connect(self.print_reminders)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Table")))
        buttons.addWidget(self.part, 1)
        for b in (self.dunning_button, self.export_button, self.print_button, close):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(lambda *_: self.run())
        self._show_cutoff()
        self.kind.currentIndexChanged.connect(self._show_cutoff)

    # ------------------------------------------------------------------ running

    def _show_cutoff(self, *_args) -> None:
        rate = self.kind.currentData() == "collection-rate"
        self.cutoff.setVisible(rate)
        self.cutoff_label.setVisible(rate)

    def filters(self) -> Filters:
        def day(w: QDateEdit) -> date:
            d = w.date()
            return date(d.year(), d.month(), d.day())

        return Filters(
            day(self.start),
            day(self.end),
            self.station.text().strip(),
            self.route.text().strip(),
            self.clerk.text().strip(),
            self.service.currentData() or "",
            day(self.cutoff) if self.kind.currentData() == "collection-rate" else None,
        )

    def run(self) -> bool:
        self.error.hide()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.report = reports.run(self.ctx.db, self.ctx.actor, self.kind.currentData(), self.filters())
        except UserError as err:
            self.report = None
            self.error.setText(error_text(err))
            self.error.show()
            {"end": self.end, "service": self.service}.get(err.field, self.start).setFocus()
            self._show_nothing()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.part.blockSignals(True)
        self.part.clear()
        self.part.addItem(_t(self.report.title), "")
        for key, table in self.report.details.items():
            self.part.addItem(_t(table.title), key)
        self.part.blockSignals(False)
        self._show_part()
        self.chart.show_data(*chart_of(self.report, QApplication.translate), kind=chart_kind(self.report))
        for b in (self.export_button, self.print_button):
            b.setEnabled(True)
        self.dunning_button.setEnabled(self.report.name == "ageing" and bool(self.report.rows))
        return True

    def _show_nothing(self) -> None:
        self.table.setModel(ReportModel([], [], None, self))
        self.chart.show_data("", [], [])
        for b in (self.export_button, self.print_button, self.dunning_button):
            b.setEnabled(False)

    def _show_part(self) -> None:
        if self.report is None:
            return
        key = self.part.currentData()
        if key:
            t = self.report.details[key]
            model = ReportModel(t.columns, t.rows, t.totals, self)
        else:
            model = ReportModel(self.report.columns, self.report.rows, self.report.totals, self)
        self.table.setModel(model)

    def _drill_down(self, index) -> None:
        """Ageing: a bucket's cell opens the accounts behind it (of that route, or of every route in the
        totals row) in a list of their own; elsewhere a route's row opens the accounts behind it, the
        list made for that route alone (the report itself never builds the list of every account)."""
        if self.report is None or self.report.name != "ageing" or self.part.currentData():
            return
        row = index.data(Qt.ItemDataRole.UserRole)
        key = self.report.columns[index.column()].key
        if key in BUCKET_KEYS:
            self.open_bucket(key, row["route"] if row else None)
            return
        route = (row or {}).get("route")
        if not route:
            return
        self.route.setText(route)
        if self.run():
            self.part.setCurrentIndex(max(0, self.part.findData("accounts")))

    def open_bucket(self, bucket: str, route: str | None) -> "ArrearsListDialog | None":
        """The accounts of one bucket (of one route of the table, or of the report's scope when
        `route` is None) in their own window, with its workbook and reminders."""
        if self.report is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            listing = reports.arrears_list(self.ctx.db, self.ctx.actor, self.report.filters, bucket, route)
        except UserError as err:
            QMessageBox.warning(self, self.tr("Accounts in arrears"), error_text(err))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        dialog = ArrearsListDialog(self.ctx, listing, bucket, route, self)
        dialog.show()
        return dialog

    def selected_row(self) -> dict | None:
        index = self.table.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    # ------------------------------------------------------------------ output

    def export(self) -> None:
        if self.report is None:
            return
        suggested = f"{self.report.name}-{self.report.filters.start:%Y%m%d}-{self.report.filters.end:%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report as Excel"), suggested, self.tr("Excel workbook (*.xlsx)"))
        if not path:
            return
        try:
            export_xlsx(self.ctx.db, self.ctx.actor, self.report, path, QApplication.translate, hall_name(self.ctx.db, self.ctx.actor))
        except (UserError, OSError) as exc:
            text = error_text(exc) if isinstance(exc, UserError) else exc.strerror or str(exc)
            QMessageBox.warning(self, self.tr("Not saved"), self.tr("The workbook was not saved: %1").replace("%1", text))
            return
        QMessageBox.information(self, self.tr("Saved"), self.tr("The report was saved to %1.").replace("%1", path))

    def print_report(self) -> None:
        from app.services.reports.output import ReportRequest
        from app.views.pdf_preview import output_document

        if self.report is not None:
            output_document(self.ctx, self, "report", ReportRequest(self.report.name, self.report.filters), "preview")

    def print_reminders(self) -> None:
        from app.services.reports.dunning import DunningRequest
        from app.views.pdf_preview import output_document

        row = self.selected_row() if self.part.currentData() == "" else None
        route = (row or {}).get("route") or self.route.text().strip()
        if not route:
            QMessageBox.information(self, self.tr("Arrears reminders"), self.tr("Choose a route in the table first."))
            return
        request = DunningRequest(self.ctx.actor, route=route, as_of=ageing_day(self.report.filters))
        if output_document(self.ctx, self, "dunning", request, "preview"):
            self.ctx.data_changed.emit("customers")  # the reminders are contact records


class ArrearsListDialog(QDialog):
    """The accounts behind one bucket of the ageing report (names and phones masked), with the list's
    totals, its workbook, and the reminders of the accounts listed."""

    def __init__(self, ctx, listing, bucket: str, route: str | None, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.listing, self.bucket, self.route = ctx, listing, bucket, route
        self.setObjectName("arrearsList")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        f = listing.filters
        scope = route if route is not None else f.route
        where = (value_text("route", scope, QApplication.translate) or scope) if route is not None or scope else self.tr("every route")
        self.setWindowTitle(
            self.tr("Accounts in arrears: %1, %2").replace("%1", where).replace("%2", value_text("bucket", bucket, QApplication.translate))
        )
        self.resize(900, 520)
        self.summary = QLabel(
            self.tr("%1 accounts on %2").replace("%1", str(len(listing.rows))).replace("%2", ageing_day(f).isoformat()),
            objectName="arrearsListSummary",
        )
        self.table = QTableView(objectName="arrearsListTable")
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setModel(ReportModel(listing.columns, listing.rows, listing.totals, self))
        self.export_button = QPushButton(self.tr("Excel…"), objectName="arrearsListExport", enabled=bool(listing.rows))
        self.export_button.clicked.connect(self.export)
        # reminders name a route (or every route): the accounts without a route are not one
        self.dunning_button = QPushButton(
            self.tr("Print reminders for these accounts…"), objectName="arrearsListDunning", enabled=bool(listing.rows) and route != ""
        )
        self.dunning_button.clicked.connect(self.print_reminders)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.dunning_button, self.export_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def export_to(self, path: str):
        return export_xlsx(self.ctx.db, self.ctx.actor, self.listing, path, QApplication.translate, hall_name(self.ctx.db, self.ctx.actor))

    def export(self) -> None:
        f = self.listing.filters
        suggested = f"arrears-{self.route or f.route or 'all'}-{self.bucket}-{ageing_day(f):%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the list as Excel"), suggested, self.tr("Excel workbook (*.xlsx)"))
        if not path:
            return
        try:
            self.export_to(path)
        except (UserError, OSError) as exc:
            text = error_text(exc) if isinstance(exc, UserError) else exc.strerror or str(exc)
            QMessageBox.warning(self, self.tr("Not saved"), self.tr("The workbook was not saved: %1").replace("%1", text))
            return
        QMessageBox.information(self, self.tr("Saved"), self.tr("The list was saved to %1.").replace("%1", path))

    def reminders_request(self):
        from app.services.reports.dunning import DunningRequest

        f = self.listing.filters
        return DunningRequest(
            self.ctx.actor,
            route=self.route if self.route is not None else f.route,
            as_of=ageing_day(f),
            bucket=self.bucket,
            service=f.service,
            station=f.station,
        )

    def print_reminders(self) -> bool:
        from app.views.pdf_preview import output_document

        if output_document(self.ctx, self, "dunning", self.reminders_request(), "preview"):
            self.ctx.data_changed.emit("customers")  # the reminders are contact records
            return True
        return False


class DunningDialog(QDialog):
    """Arrears reminders for one account (any clerk) or a route (supervisors), late fees counted to a day."""

    def __init__(self, ctx, parent=None, account_no: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dunningDialog")
        self.setWindowTitle(self.tr("Arrears reminders"))
        self.account = QLineEdit(account_no, objectName="dunningAccount", placeholderText=self.tr("account number"))
        self.route = QLineEdit(objectName="dunningRoute", placeholderText=self.tr("or a whole route (supervisors)"))
        today = local_today()
        self.as_of = QDateEdit(
            QDate(today.year, today.month, today.day), objectName="dunningAsOf", calendarPopup=True, displayFormat="yyyy-MM-dd"
        )
        self.error = QLabel(objectName="dunningError")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        ok = QPushButton(self.tr("Print…"), objectName="dunningPrint", default=True)
        ok.clicked.connect(self.print_now)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for label, widget in (
            (self.tr("Account"), self.account),
            (self.tr("Route"), self.route),
            (self.tr("Late fee counted to"), self.as_of),
        ):
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(ok)
        row.addWidget(cancel)
        layout.addLayout(row)

    def request(self):
        from app.services.reports.dunning import DunningRequest

        d = self.as_of.date()
        return DunningRequest(
            self.ctx.actor,
            route=self.route.text().strip(),
            account_no=self.account.text().strip(),
            as_of=date(d.year(), d.month(), d.day()),
        )

    def print_now(self) -> bool:
        from app.views.pdf_preview import output_document

        request = self.request()

        def refused(err: UserError) -> None:  # a mistake is said here, at the field it concerns
            self.error.setText(error_text(err))
            self.error.show()
            (self.route if request.route else self.account).setFocus()

        if output_document(self.ctx, self, "dunning", request, "preview", refused=refused):
            self.ctx.data_changed.emit("customers")  # the reminders are contact records
            self.accept()
            return True
        return False
