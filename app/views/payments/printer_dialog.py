"""Tools > Receipt printer…: where this counter's receipts go, on which paper, and a test page."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import UserError, ValidationError
from app.kernel.localtime import local_now
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.payments import printer_settings
from app.services.payments.printer_settings import LAYOUT_PAPER, ReceiptPrinter
from app.views.forms import FieldForm

log = logging.getLogger(__name__)
CTX = "ReceiptPrinterDialog"

TARGETS = [
    ("escpos", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "Thermal receipt printer (ESC/POS)")),
    ("system", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "This computer's default printer")),
    ("preview", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "Show on screen, print from there")),
    ("pdf", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "No printer: keep the PDF only")),
]
PAPERS = [
    ("80mm", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "80 mm roll")),
    ("58mm", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "58 mm roll")),
    ("a5", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "A5 sheet")),
]
MODES = [
    ("text", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "Text (fast; the printer needs its Chinese font)")),
    ("raster", QT_TRANSLATE_NOOP("ReceiptPrinterDialog", "Picture (slower; works on any printer)")),
]


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


class ReceiptPrinterDialog(QDialog):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("receiptPrinterDialog")
        self.setWindowTitle(self.tr("Receipt printer"))
        self.setMinimumWidth(620)
        problem = ""
        try:
            current = printer_settings.load()
        except UserError as err:
            current, problem = ReceiptPrinter(), error_text(err)
        box = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "These settings belong to this computer only; other counters keep their own. Receipts are archived as PDF whatever you choose."
            )
        )
        intro.setObjectName("printerIntro")
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.form = FieldForm(self)
        f = self.form
        self.target = f.combo("target", self.tr("Receipts go to"), [(v, _tr(t)) for v, t in TARGETS], current.target)
        self.paper = f.combo("paper", self.tr("Paper"), [(v, _tr(t)) for v, t in PAPERS], current.paper)
        self.device = f.line("device", self.tr("Printer device"), current.device, 200)
        self.device.setPlaceholderText("/dev/usb/lp0 · tcp://192.168.1.50:9100")
        self.device.setToolTip(
            self.tr(
                "A USB printer: its device, e.g. /dev/usb/lp0 (COM3 on Windows). A network printer: tcp://ADDRESS:PORT, usually port 9100."
            )
        )
        self.mode = f.combo("mode", self.tr("Send receipts as"), [(v, _tr(t)) for v, t in MODES], current.mode)
        box.addWidget(self.form)
        self.where = QLabel(self.tr("Saved in %1").replace("%1", str(printer_settings.settings_path())))
        self.where.setObjectName("printerSettingsFile")
        self.where.setWordWrap(True)
        box.addWidget(self.where)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Print a test page"))
        self.test_button.setObjectName("testPageButton")
        self.test_button.clicked.connect(self.print_test_page)
        row.addWidget(self.test_button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        row.addWidget(self.buttons)
        box.addLayout(row)
        self.target.currentIndexChanged.connect(self._enable)
        self._enable()
        self._say(problem, error=True)
        self.saved: ReceiptPrinter | None = None

    # ------------------------------------------------------------------ helpers
    def _enable(self) -> None:
        escpos = self.form.value("target") == "escpos"
        self.device.setEnabled(escpos)
        self.mode.setEnabled(escpos)
        self.form.layout_.labelForField(self.device.parentWidget()).setEnabled(escpos)
        self.form.layout_.labelForField(self.mode.parentWidget()).setEnabled(escpos)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "fieldError" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))
        self._fit()

    def _fit(self) -> None:
        """Grow to show a message or a field error instead of squeezing the fields."""
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _mark(self, errors: dict) -> None:
        self.form.show_errors(errors)
        self._fit()

    def entered(self) -> ReceiptPrinter:
        """The values on the form, checked; marks the bad fields and raises ValidationError."""
        self.form.clear_errors()
        self._say("")
        try:
            return printer_settings.validate(*(self.form.value(k) for k in ("target", "paper", "device", "mode")))
        except ValidationError as err:
            self._mark(err.errors)
            raise

    # ------------------------------------------------------------------ actions
    def save(self) -> None:
        try:
            config = self.entered()
        except ValidationError:
            return
        try:
            self.saved = printer_settings.save(self.ctx.db, self.ctx.actor, config)
        except ValidationError as err:
            self._mark(err.errors)
            return
        except UserError as err:
            self._say(error_text(err), error=True)
            return
        self.accept()

    def print_test_page(self) -> bool:
        """The test page with the values on the form (saved or not); the outcome is said in the dialog."""
        from app.printing.payments import output
        from app.views.payments.receipts import print_on_system_printer, run_off_ui

        try:
            config = self.entered()
        except ValidationError:
            return False
        page = output.SamplePage(self.ctx.actor.station_name, LAYOUT_PAPER[config.paper], config.device, config.mode, local_now())
        tr = QCoreApplication.translate
        if config.target == "escpos":
            try:
                run_off_ui(lambda: output.send(config.device, lambda printer: output.send_sample_page(printer, page, tr)), self)
            except UserError as err:
                self._mark({"device": err})
                self._say(self.tr("The test page was not printed: %1.").replace("%1", error_text(err)), error=True)
                return False
            except Exception:  # noqa: BLE001  (a fault in a printer library)
                log.exception("test page on %s", config.device)
                self._say(
                    self.tr("The test page was not printed: the printer at %1 reported an error.").replace("%1", config.device), error=True
                )
                return False
            self._say(
                self.tr("The test page was sent to %1. If it came out complete and the Chinese is readable, save.").replace(
                    "%1", config.device
                )
            )
            return True
        data = output.render_sample_page(page, tr)
        if config.target == "system":
            reason = print_on_system_printer(data, self)
            if reason:
                self._say(self.tr("The test page was not printed: %1.").replace("%1", reason), error=True)
                return False
            self._say(self.tr("The test page was sent to the default printer."))
            return True
        if config.target == "pdf":
            from app.printing.archive import archive_pdf

            try:
                path = archive_pdf("test", "printer-test-page", data)
            except OSError:
                self._say(self.tr("The test page could not be saved: the archive folder cannot be written."), error=True)
                return False
            self._say(self.tr("No printer: receipts are kept as PDF files like %1.").replace("%1", str(path)))
            return True
        from app.views.pdf_preview import PdfPreviewDialog

        PdfPreviewDialog(self.tr("Printer test page"), data, "printer-test-page.pdf", self).exec()
        return True


def open_receipt_printer(ctx, window) -> None:
    ReceiptPrinterDialog(ctx, window).exec()
