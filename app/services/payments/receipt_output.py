"""A committed payment's receipt on its way out: made on this counter's paper, archived, sent, and only
then counted as printed.

The payment is committed before anything here runs. A receipt is marked printed (and its print
count advanced) only once it reached the printer, or the clerk saw or saved it; when the printer
fails the receipt stays in `queries.unprinted()` and the reason goes up as a PrinterProblem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db.engine import Database
from app.printing.archive import archive_pdf
from app.printing.labels import Translate
from app.printing.payments import output
from app.printing.payments.receipt import ReceiptDocument, render_receipt
from app.kernel.context import Actor
from app.services.payments import posting, queries
from app.services.payments.printer_settings import ReceiptPrinter


@dataclass
class PreparedReceipt:
    payment_id: object
    doc: ReceiptDocument
    pdf: bytes
    archived: Path
    paper: str  # layout paper name: "80mm", "58mm", "A5"


def prepare(db: Database, payment_id, config: ReceiptPrinter, tr: Translate | None = None) -> PreparedReceipt:
    """The receipt as it will be printed (REPRINT mark from the second print on), already archived."""
    doc = posting.receipt_document(db, payment_id)
    doc.reprint = queries.next_print(db, payment_id)
    pdf = render_receipt(doc, config.layout_paper, tr)
    path = archive_pdf("receipt", doc.receipt_no, pdf, reprint=doc.reprint)
    return PreparedReceipt(payment_id, doc, pdf, path, config.layout_paper)


def send_escpos(prepared: PreparedReceipt, config: ReceiptPrinter, tr: Translate | None = None) -> None:
    """Only the device I/O (no database): safe to run off the window's thread. Raises PrinterProblem."""
    output.send_receipt_to(config.device, prepared.doc, prepared.paper, config.mode, tr, prepared.pdf)


def printed(db: Database, actor: Actor, prepared: PreparedReceipt) -> int:
    """Count the print now that the paper is out (or the clerk saw or saved it)."""
    return queries.mark_printed(db, actor, prepared.payment_id)


def print_receipt(db: Database, actor: Actor, payment_id, config: ReceiptPrinter, tr: Translate | None = None) -> PreparedReceipt:
    """Print without a window, for the targets that need none (escpos, pdf). Raises PrinterProblem and
    leaves the receipt unprinted when the printer does not take it."""
    if config.target not in ("escpos", "pdf"):
        raise ValueError(f"target {config.target!r} needs the window")
    prepared = prepare(db, payment_id, config, tr)
    if config.target == "escpos":
        send_escpos(prepared, config, tr)
    printed(db, actor, prepared)
    return prepared
