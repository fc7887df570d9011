"""A committed payment's receipt on this counter's printer, through the document protocol
(app.services.documents: prepare, deliver, mark printed).

The payment is committed before anything here runs. A receipt is counted as printed (and leaves
`queries.unprinted()`) only once it reached the printer, or the clerk saw or saved it; when the
printer fails the receipt stays unprinted and the reason goes up as a PrinterProblem.
"""

from __future__ import annotations

from pathlib import Path

from app.db.engine import Database
from app.kernel.context import Actor
from app.printing.labels import Translate
from app.services import documents
from app.services.documents import Delivery, Prepared
from app.services.payments.printer_settings import ReceiptPrinter

PreparedReceipt = Prepared  # the name this module's callers knew


def prepare(db: Database, payment_id, config: ReceiptPrinter, tr: Translate | None = None, actor: Actor | None = None) -> Prepared:
    """The receipt on this counter's paper as it will be printed (REPRINT mark from the second print on), archived."""
    return documents.prepare(db, actor, "receipt", payment_id, config.layout_paper, tr)


def print_receipt(
    db: Database, actor: Actor, payment_id, config: ReceiptPrinter, tr: Translate | None = None, file: str | Path | None = None
) -> Prepared:
    """Print without a window, on the targets that need none (escpos; pdf: the archived copy and `file`).
    Raises PrinterProblem (or OSError for `file`) and leaves the receipt unprinted when it did not go out."""
    if config.target not in ("escpos", "pdf"):
        raise ValueError(f"target {config.target!r} needs the window")
    return documents.print_document(db, actor, "receipt", payment_id, Delivery.of(config, file), config.layout_paper, tr)
