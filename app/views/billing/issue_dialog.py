"""Issuing a route's bills off the UI thread, with progress and cancel; then printing them (archived and counted).
A route's bills issued before are printed again from here too (Counter > Print a route's bills…), through the
same protocol: each bill shows its copy number from the database (重打 (N)), the volume is archived, and the
bills are counted only once the PDF is written."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import error_text
from app.kernel.errors import UserError
from app.kernel.localtime import local_today
from app.services.billing import bills, readings


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx, route: str, period: str) -> None:
        super().__init__()
        self.ctx, self.route, self.period = ctx, route, period
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            result = bills.issue_route(
                self.ctx.db,
                self.ctx.actor,
                self.route,
                self.period,
                progress=lambda d, t: self.progressed.emit(d, t),
                cancelled=self.stop.is_set,
                mp_context="forkserver",  # a long route is computed in a worker process, started clean
            )
        except UserError as err:
            self.failed.emit(err)
            return
        self.finished.emit(result)


class _PrintWorker(QObject):
    """Writes the bills into a PDF (volumes above 5,000), archived and counted as printed, off the UI thread."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx, bill_ids, path: str, paper: str, label: str) -> None:
        super().__init__()
        self.ctx, self.bill_ids, self.path, self.paper, self.label = ctx, bill_ids, path, paper, label
        self.stop = threading.Event()

    def run(self) -> None:
        total = len(self.bill_ids)
        try:
            result = bills.print_bills(
                self.ctx.db,
                self.ctx.actor,
                self.bill_ids,
                self.path,
                paper=self.paper,
                label=self.label,
                progress=lambda n: self.progressed.emit(n, total),
                cancelled=self.stop.is_set,
                mp_context="forkserver",
                tr=QCoreApplication.translate,  # the window's language, on the bills' paper too
            )  # no fork of a process with Qt's threads
        except (UserError, OSError) as err:  # OSError: the folder cannot be written; said, not a traceback
            self.failed.emit(err)
            return
        self.finished.emit(result)


class IssueBillsDialog(QDialog):
    def __init__(self, ctx, parent=None, reprint: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("issueBillsDialog")
        self.setWindowTitle(self.tr("Print a route's bills") if reprint else self.tr("Issue bills for a route"))
        self.resize(600, 460)
        box = QVBoxLayout(self)
        form = QFormLayout()
        self.route = QComboBox()
        self.route.setObjectName("routeCombo")
        self.route.setEditable(True)
        self.route.addItems(readings.routes(ctx.db))
        form.addRow(self.tr("Reading route"), self.route)
        self.period = QLineEdit(local_today().strftime("%Y-%m"))
        self.period.setObjectName("periodField")
        form.addRow(self.tr("Period (YYYY-MM)"), self.period)
        box.addLayout(form)
        self.bar = QProgressBar()
        self.bar.setObjectName("issueProgress")
        box.addWidget(self.bar)
        self.report = QPlainTextEdit()
        self.report.setObjectName("issueReport")
        self.report.setReadOnly(True)
        box.addWidget(self.report, 1)
        self.start_button = QPushButton(self.tr("Issue bills"))
        self.start_button.setObjectName("startIssueButton")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelIssueButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        box.addWidget(self.start_button)
        printing = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print these bills…"))
        self.print_button.setObjectName("printIssuedButton")
        self.print_button.setToolTip(
            self.tr("Write the bills just issued into one PDF (volumes of 5,000 bills), archived and counted as printed.")
        )
        self.print_button.clicked.connect(self.print_issued)
        self.print_button.setEnabled(False)
        printing.addWidget(self.print_button, 1)
        self.print_route_button = QPushButton(self.tr("Print the route's issued bills…"))
        self.print_route_button.setObjectName("printRouteButton")
        self.print_route_button.setToolTip(
            self.tr(
                "Print every bill of this route and period issued so far, now or before; bills printed before say 重打 with their count."
            )
        )
        self.print_route_button.clicked.connect(self.print_route)
        printing.addWidget(self.print_route_button, 1)
        printing.addWidget(QLabel(self.tr("Paper:")))
        self.paper = QComboBox()
        self.paper.setObjectName("paperCombo")
        self.paper.addItems(["A5", "A4"])
        printing.addWidget(self.paper)
        box.addLayout(printing)
        box.addWidget(self.cancel_button)
        self.result = None
        self.printed = None
        self.thread: QThread | None = None
        self.worker = None
        self._route = self._period = ""
        if reprint:
            self.print_route_button.setDefault(True)

    def start(self) -> None:
        self.start_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.print_route_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.report.clear()
        self.result = self.printed = None
        self._route, self._period = self.route.currentText().strip(), self.period.text().strip()
        self._run(_Worker(self.ctx, self._route, self._period), self._done)

    def _run(self, worker, done) -> None:
        self.thread = QThread(self)
        self.worker = worker
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(lambda d, t: (self.bar.setMaximum(t), self.bar.setValue(d)))
        self.worker.finished.connect(done)
        self.worker.failed.connect(self._failed)
        self.thread.start()

    def cancel(self) -> None:
        self.worker.stop.set()
        self.cancel_button.setEnabled(False)

    def _stop_thread(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.print_button.setEnabled(bool(self.result and self.result.bill_ids))
        self.print_route_button.setEnabled(True)

    def _failed(self, err) -> None:
        self._stop_thread()
        if isinstance(err, UserError):
            text = error_text(err)
        else:
            text = self.tr("The PDF cannot be written: %1").replace("%1", getattr(err, "strerror", None) or str(err))
        self.report.appendPlainText(text)

    def _done(self, result) -> None:
        self.result = result
        self._stop_thread()
        lines = [self.tr("Issued %1 bills, total %2.").replace("%1", str(len(result.issued))).replace("%2", str(result.total))]
        if result.cancelled:
            lines.append(self.tr("Cancelled: the bills issued so far are kept."))
        if result.failed:
            lines.append(self.tr("Not issued (%1):").replace("%1", str(len(result.failed))))
            lines += [f"  {f.account_no}: {error_text(f.error) if f.error else f.reason}" for f in result.failed]
        self.report.setPlainText("\n".join(lines))
        self.ctx.data_changed.emit("billing")

    def ask_path(self) -> str:
        """Where the PDF goes; tests replace this to answer."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        route = self._route or self.route.currentText().strip()
        period = self._period or self.period.text().strip()
        suggested = str(Path.home() / f"{route}-{period}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Print these bills into"), suggested, "PDF (*.pdf)")
        return path

    def print_issued(self) -> None:
        if not self.result or not self.result.bill_ids:
            return
        self._print(list(self.result.bill_ids))

    def print_route(self) -> None:
        """The route's bills of the period, issued now or before (the reprint the command line's bill --print makes)."""
        route, period = self.route.currentText().strip(), self.period.text().strip()
        ids = bills.bills_of_period(self.ctx.db, period, route=route) if route and period else []
        if not ids:
            self.report.appendPlainText(
                self.tr("No bill of route %1 for %2 has been issued, so there is nothing to print.")
                .replace("%1", route or "—")
                .replace("%2", period or "—")
            )
            return
        self._route, self._period = route, period
        self._print(ids)

    def _print(self, ids: list) -> None:
        path = self.ask_path()
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.start_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.print_route_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setValue(0)
        self.report.appendPlainText(self.tr("Printing %1 bills…").replace("%1", str(len(ids))))
        self._run(_PrintWorker(self.ctx, ids, path, self.paper.currentText(), f"{self._route}-{self._period}"), self._printed)

    def _printed(self, printed) -> None:
        self.printed = printed
        self._stop_thread()
        lines = [
            self.tr("Printed %1 bills into %2; the PDF is archived and the bills are counted as printed.")
            .replace("%1", str(printed.count))
            .replace("%2", ", ".join(str(f) for f in printed.files))
        ]
        if printed.reprints:
            lines.append(self.tr("%1 of them had been printed before and say 重打 with their count.").replace("%1", str(printed.reprints)))
        if printed.cancelled:
            lines.append(self.tr("Cancelled: only the bills in the file(s) above were printed."))
        self.report.appendPlainText("\n".join(lines))
        self.ctx.data_changed.emit("billing")

    def reject(self) -> None:  # Esc / close while working: stop first, keep what is done
        if self.thread is not None and self.thread.isRunning():
            self.worker.stop.set()
            self.thread.quit()
            self.thread.wait()
        super().reject()


class TariffImportDialog(QDialog):
    """Administrator: import a tariff file; a bad file is refused whole and says where."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QFileDialog

        self.ctx = ctx
        self.setObjectName("tariffImportDialog")
        self.setWindowTitle(self.tr("Import a tariff file"))
        box = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName("importResult")
        box.addWidget(self.label)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        box.addWidget(close)
        self.path, _ = QFileDialog.getOpenFileName(parent, self.tr("Tariff file"), "", "TOML (*.toml)")
        if self.path:
            self.run_import(self.path)

    def run_import(self, path: str) -> None:
        from app.services.billing import tariffs

        try:
            result = tariffs.import_file(self.ctx.db, self.ctx.actor, path)
        except UserError as err:
            self.label.setText(self.tr("Refused; nothing was imported.") + "\n" + error_text(err))
            return
        self.label.setText(
            self.tr("Imported: %1\nAlready there: %2")
            .replace("%1", ", ".join(result.added) or "—")
            .replace("%2", ", ".join(result.unchanged) or "—")
        )
