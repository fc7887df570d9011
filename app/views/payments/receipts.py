"""Printing a receipt on this counter's printer (Tools > Receipt printer…), through the document protocol
(app.views.pdf_preview.output_document): made on its paper with the copy number from the database,
sent, and counted as printed only once it is out. The payment is committed before this runs, so a
printer failure loses nothing: the clerk is told why, and the receipt stays in the unprinted queue."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from app.i18n import error_text
from app.kernel.errors import UserError
from app.services.payments import printer_settings
from app.services.payments.printer_settings import ReceiptPrinter
from app.views.pdf_preview import output_document, pdf_page_size, print_on_system_printer, run_off_ui  # noqa: F401  (used by the printer dialog)

log = logging.getLogger(__name__)
CTX = "Receipts"


def counter_printer(window=None) -> ReceiptPrinter:
    """This counter's settings; on a damaged file the clerk is told and receipts are shown on screen."""
    try:
        return printer_settings.load()
    except UserError as err:
        QMessageBox.warning(window, QCoreApplication.translate("Receipts", "Receipt printer"), error_text(err))
        return ReceiptPrinter()


def not_printed(window, reason: str) -> None:
    QMessageBox.warning(
        window,
        QCoreApplication.translate("Receipts", "Receipt not printed"),
        QCoreApplication.translate(
            "Receipts",
            "The receipt was not printed: %1. The payment is saved; reprint it from Unprinted receipts once the printer is ready.",
        ).replace("%1", reason),
    )


def print_receipt(ctx, window, payment_id, preview: bool | None = None) -> bool:
    """Print the receipt where this counter prints (preview=True: on screen, as a reprint from the register).
    True when it went out (or was shown); False when it is still waiting in the unprinted queue."""
    config = counter_printer(window)
    target = "preview" if preview else config.target
    return output_document(
        ctx,
        window,
        "receipt",
        payment_id,
        target,
        config.layout_paper,
        config.device,
        config.mode,
        shown_counts=True,
        not_printed=not_printed,
    )
