"""Printing a receipt: counted, rendered (重打 from the second print), archived; a printer failure keeps
the payment and leaves the receipt in the unprinted queue."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from app.i18n import error_text
from app.printing.archive import archive_pdf
from app.printing.payments.receipt import render_receipt
from app.services.errors import UserError
from app.services.payments import posting, queries
from app.services.settings import get as setting

PAPER = "80mm"


def output_receipt(ctx, payment_id, paper: str = PAPER) -> bytes:
    doc = posting.receipt_document(ctx.db, payment_id)
    doc.reprint = queries.mark_printed(ctx.db, ctx.actor, payment_id)
    data = render_receipt(doc, paper, tr=QCoreApplication.translate)
    archive_pdf("receipt", doc.receipt_no, data, reprint=doc.reprint)
    return data


def print_receipt(ctx, window, payment_id, preview: bool | None = None) -> bool:
    """Prints at once on the system printer when the setting says so; otherwise shows it, ready to print."""
    from app.views.pdf_preview import PdfPreviewDialog, print_pdf

    try:
        with ctx.db.read() as s:
            target = setting(s, "printing.receipt_target") or "preview"
        data = output_receipt(ctx, payment_id)
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Not printed"), error_text(err))
        return False
    if target == "system" and not preview:
        from PySide6.QtPrintSupport import QPrinter

        try:
            print_pdf(data, window, QPrinter(QPrinter.PrinterMode.HighResolution))
        except OSError:
            QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Not printed"),
                                QCoreApplication.translate("Receipts", "The printer cannot be used. The payment is saved; reprint the receipt from the receipt register."))
            return False
        return True
    PdfPreviewDialog(QCoreApplication.translate("Receipts", "Receipt"), data, "receipt.pdf", window).exec()
    return True
