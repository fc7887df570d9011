"""Issuing a route's bills off the UI thread, with progress and cancel."""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout

from app.i18n import error_text
from app.services.billing import bills, readings
from app.services.errors import UserError


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
            result = bills.issue_route(self.ctx.db, self.ctx.actor, self.route, self.period,
                                       progress=lambda d, t: self.progressed.emit(d, t), cancelled=self.stop.is_set)
        except UserError as err:
            self.failed.emit(err)
            return
        self.finished.emit(result)


class IssueBillsDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("issueBillsDialog")
        self.setWindowTitle(self.tr("Issue bills for a route"))
        self.resize(560, 420)
        box = QVBoxLayout(self)
        form = QFormLayout()
        self.route = QComboBox()
        self.route.setObjectName("routeCombo")
        self.route.setEditable(True)
        self.route.addItems(readings.routes(ctx.db))
        form.addRow(self.tr("Reading route"), self.route)
        self.period = QLineEdit(date.today().strftime("%Y-%m"))
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
        box.addWidget(self.cancel_button)
        self.result = None
        self.thread: QThread | None = None

    def start(self) -> None:
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.report.clear()
        self.thread = QThread(self)
        self.worker = _Worker(self.ctx, self.route.currentText().strip(), self.period.text().strip())
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(lambda d, t: (self.bar.setMaximum(t), self.bar.setValue(d)))
        self.worker.finished.connect(self._done)
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

    def _failed(self, err) -> None:
        self._stop_thread()
        self.report.setPlainText(error_text(err))

    def _done(self, result) -> None:
        self._stop_thread()
        self.result = result
        lines = [self.tr("Issued %1 bills, total %2.").replace("%1", str(len(result.issued))).replace("%2", str(result.total))]
        if result.cancelled:
            lines.append(self.tr("Cancelled: the bills issued so far are kept."))
        if result.failed:
            lines.append(self.tr("Not issued (%1):").replace("%1", str(len(result.failed))))
            lines += [f"  {f.account_no}: {error_text(f.error) if f.error else f.reason}" for f in result.failed]
        self.report.setPlainText("\n".join(lines))
        self.ctx.data_changed.emit("billing")


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
        self.label.setText(self.tr("Imported: %1\nAlready there: %2").replace("%1", ", ".join(result.added) or "—").replace("%2", ", ".join(result.unchanged) or "—"))
