"""Printing a receipt on this counter's printer (Tools > Receipt printer…): made on its paper, archived,
sent, and counted as printed only once it is out. The payment is committed before this runs, so a
printer failure loses nothing: the clerk is told why, and the receipt stays in the unprinted queue."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.i18n import error_text
from app.kernel.errors import UserError
from app.services.payments import printer_settings, receipt_output
from app.services.payments.printer_settings import ReceiptPrinter

log = logging.getLogger(__name__)
CTX = "Receipts"


def counter_printer(window=None) -> ReceiptPrinter:
    """This counter's settings; on a damaged file the clerk is told and receipts are shown on screen."""
    try:
        return printer_settings.load()
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Receipt printer"), error_text(err))
        return ReceiptPrinter()


def run_off_ui(fn, window=None, note: str = ""):
    """Run `fn` (device I/O only, no database) on a helper thread; the window keeps painting and the
    clerk's keys wait until it is done. Returns fn's result or raises its exception."""
    box: dict = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001  (handed back to the caller's thread)
            box["error"] = exc

    status = _status_bar(window)
    if status is not None and note:
        status.showMessage(note)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    thread = threading.Thread(target=work, name="receipt-printer", daemon=True)
    try:
        thread.start()
        while thread.is_alive():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 30)
            thread.join(0.02)
    finally:
        QApplication.restoreOverrideCursor()
        if status is not None and note:
            status.clearMessage()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _status_bar(window):
    top = window.window() if window is not None else None
    return top.statusBar() if top is not None and hasattr(top, "statusBar") else None


def pdf_page_size(data: bytes):
    """The first page's size in points (a roll receipt is as long as its content)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].get_size()
    finally:
        document.close()


def print_on_system_printer(data: bytes, window=None) -> str:
    """Print at once on the system's default printer, on a page the size of the document.
    Returns "" when it went out, otherwise the reason in the clerk's words."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from app.views.pdf_preview import print_pdf

    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        return QCoreApplication.translate("Receipts", "this computer has no default printer (set one up in the system's printer settings, or choose another target under Tools > Receipt printer…)")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    width, height = pdf_page_size(data)
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    try:
        print_pdf(data, window, printer)
    except OSError:
        return QCoreApplication.translate("Receipts", "the printer %1 cannot be used; check that it is on and has paper").replace("%1", info.printerName())
    return ""


def not_printed(window, reason: str) -> None:
    QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Receipt not printed"),
                        QCoreApplication.translate("Receipts", "The receipt was not printed: %1. The payment is saved; reprint it from Unprinted receipts once the printer is ready.").replace("%1", reason))


def print_receipt(ctx, window, payment_id, preview: bool | None = None) -> bool:
    """Print the receipt where this counter prints (preview=True: show it on screen first).
    True when it went out (or was shown); False when it is still waiting in the unprinted queue."""
    config = counter_printer(window)
    target = "preview" if preview else config.target
    tr = QCoreApplication.translate
    try:
        job = receipt_output.prepare(ctx.db, payment_id, config, tr)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Not printed"), error_text(err))
        return False
    except OSError as exc:  # the archive folder cannot be written
        log.warning("receipt archive: %r", exc)
        not_printed(window, QCoreApplication.translate("Receipts", "the receipt archive cannot be written (is the disk full?)"))
        return False
    if target == "escpos":
        try:
            run_off_ui(lambda: receipt_output.send_escpos(job, config, tr), window,
                       QCoreApplication.translate("Receipts", "Printing receipt %1…").replace("%1", job.doc.receipt_no))
        except UserError as err:
            not_printed(window, error_text(err))
            return False
        except Exception:  # noqa: BLE001  (a fault in a printer library: the payment is safe, say so)
            log.exception("receipt %s on %s", job.doc.receipt_no, config.device)
            not_printed(window, QCoreApplication.translate("Receipts", "the printer at %1 reported an error").replace("%1", config.device))
            return False
    elif target == "system":
        reason = print_on_system_printer(job.pdf, window)
        if reason:
            not_printed(window, reason)
            return False
    elif target == "pdf":
        status = _status_bar(window)
        if status is not None:
            status.showMessage(QCoreApplication.translate("Receipts", "Receipt %1 saved as PDF: %2").replace("%1", job.doc.receipt_no).replace("%2", str(job.archived)), 30000)
    else:
        from app.views.pdf_preview import PdfPreviewDialog

        PdfPreviewDialog(QCoreApplication.translate("Receipts", "Receipt"), job.pdf, f"{job.doc.receipt_no}.pdf", window).exec()
    try:
        receipt_output.printed(ctx.db, ctx.actor, job)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Not printed"), error_text(err))
        return False
    return True
