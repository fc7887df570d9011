"""One way to print any document: prepare, deliver, mark printed.

Every printed document (receipt, bill, route volume, work-order receipt, shift report, day report,
outage notice) goes out in the same three steps, from the window and from the command line:

1. `prepare(db, actor, kind, ref, paper, tr)` loads the document, reads which copy this print is
   from the database (`document_prints`, shared by every counter: 0 = the first print, N = the
   paper says 重打 (N)), renders the PDF with that mark and archives it
   (archive/<kind>/<year>/<number>[-reprint-N].pdf). Nothing is counted yet.
2. `deliver(prepared, delivery)` sends it where it goes: the ESC/POS receipt printer or a PDF
   file (here, without Qt), or the preview and the system printer (the window's
   `app.views.pdf_preview.output_document`, which hands the other two back to this function).
   A failure raises (PrinterProblem, OSError) and nothing is counted.
3. `mark_printed(db, actor, prepared)` counts the print and writes the audit entry in one unit
   of work, only once the paper is out, the file written or the preview shown.

`print_document` runs the three for callers without a window. A route's bills are printed in
volumes (app.services.billing.bills.print_bills): each volume is prepared with the bills' copy
numbers (`copies_of`), written, and then counted with `mark_printed_many`.

A new kind of document is one `Kind` entry in KINDS: how to load it, its number, its papers and
how to render it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import select, update

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import UserError
from app.kernel.ids import short_id
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import DocumentPrint, utcnow
from app.printing.labels import Translate, ts_translator
from app.services import audit

TARGETS = ("preview", "system", "escpos", "pdf")


@dataclass(frozen=True)
class Kind:
    name: str  # the kind in document_prints and the archive folder
    entity: str  # the audit entity its prints are recorded under
    papers: tuple[str, ...]  # layout papers it can be printed on; the first is the default
    load: Callable[[Database, Actor | None, Any, Translate], Any]  # -> the plain document dataclass
    number: Callable[[Any, Any, Actor | None], str]  # (doc, ref, actor) -> its number
    render: Callable[[Any, str, Translate], bytes]  # (doc, paper, tr) -> PDF
    title: str = ""  # marked for translation in the 'printing' context: "Receipt %1"
    archive_year: Callable[[Any], int | None] = lambda doc: None
    archive_name: Callable[[Any, str], str] = lambda doc, number: number
    escpos: Callable | None = None  # (printer, doc, paper, mode, tr, pdf): the roll printer's own layout
    after_print: Callable | None = None  # (session, ref): the kind's own state once printed


@dataclass(frozen=True)
class Delivery:
    """Where a prepared document goes: preview | system | escpos | pdf (the archived PDF, and `file` when given)."""

    target: str = "preview"
    device: str = ""  # escpos: /dev/usb/lp0 or tcp://HOST:PORT
    mode: str = "text"  # escpos: text (GB18030) | raster
    file: str | Path | None = None  # pdf: also written here

    @classmethod
    def of(cls, config, file: str | Path | None = None) -> "Delivery":
        """From this counter's receipt printer settings (app.services.payments.printer_settings.ReceiptPrinter)."""
        return cls(config.target, config.device, config.mode, file)


@dataclass
class Prepared:
    kind: str
    ref: Any
    number: str
    entity_id: str
    copy: int  # 0: the first print; N: the paper says 重打 (N)
    doc: Any
    pdf: bytes
    paper: str
    title: str
    archived: Path | None = None
    delivered: str = ""  # the target it went out on, once delivered
    extra: dict = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.number}.pdf"


# --------------------------------------------------------------------------- counting


def copies(db: Database, kind: str, number: str) -> int:
    """How many times this document went out (the next print's reprint number)."""
    with db.read() as s:
        return s.scalar(select(DocumentPrint.copies).where(DocumentPrint.kind == kind, DocumentPrint.number == number)) or 0


def copies_in(session, kind: str, numbers: Iterable[str]) -> dict[str, int]:
    """The print counts of many documents of one kind, read in the caller's session (absent: 0)."""
    numbers = list(numbers)
    found: dict[str, int] = {}
    for offset in range(0, len(numbers), 500):
        part = numbers[offset : offset + 500]
        found.update(
            session.execute(
                select(DocumentPrint.number, DocumentPrint.copies).where(DocumentPrint.kind == kind, DocumentPrint.number.in_(part))
            ).all()
        )
    return found


def copies_of(db: Database, kind: str, numbers: Iterable[str]) -> dict[str, int]:
    with db.read() as s:
        return copies_in(s, kind, numbers)


def _upsert(session):
    """INSERT … ON CONFLICT (kind, number) DO UPDATE copies = copies + 1, on SQLite and PostgreSQL alike."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = DocumentPrint.__table__
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.number], set_={"copies": table.c.copies + 1, "last_at": stmt.excluded.last_at}
    )


def _count(session, kind: str, numbers: list[str]) -> None:
    now = utcnow()
    session.execute(_upsert(session), [{"kind": kind, "number": n, "copies": 1, "first_at": now, "last_at": now} for n in numbers])


def mark_printed(db: Database, actor: Actor, prepared: Prepared) -> int:
    """Count the print now that it is out, with its audit entry (archived first if it was not yet);
    returns how many times it went out."""
    keep(prepared)
    return count_print(
        db,
        actor,
        prepared.kind,
        prepared.number,
        prepared.ref,
        prepared.copy,
        prepared.delivered or "pdf",
        prepared.archived.name if prepared.archived else "",
    )


def count_print(
    db: Database, actor: Actor, kind: str, number: str, ref, copy: int | None = None, delivered: str = "", archived: str = ""
) -> int:
    """Count one print of document `number` of `kind` (ref: its row id) and audit it in one unit of work.
    `copy` is the reprint number its paper showed (default: read now). Returns how many times it went out."""
    k = kind_of(kind)
    entity_id = str(ref) if isinstance(ref, uuid.UUID) else number
    with db.write() as s:
        if copy is None:
            copy = copies_in(s, kind, [number]).get(number, 0)
        _count(s, kind, [number])
        total = s.scalar(select(DocumentPrint.copies).where(DocumentPrint.kind == kind, DocumentPrint.number == number))
        if k.after_print is not None:
            k.after_print(s, ref)
        audit.record(
            s,
            actor,
            "print" if copy == 0 else "reprint",
            k.entity,
            entity_id,
            after={"document": kind, "number": number, "reprint": copy, "copies": total, "delivered": delivered, "archived": archived},
        )
        return total


def mark_printed_many(
    db: Database, actor: Actor, kind: str, printed: list[tuple[str, str, int]], archived: str = "", delivered: str = "pdf"
) -> None:
    """Count many documents of one kind that went out together (a route volume of bills): one bulk
    upsert, one audit entry each naming the reprint number on its paper and the archived volume.
    `printed` holds (number, entity id, reprint number on the paper)."""
    entity = KINDS[kind].entity
    with db.write() as s:
        for offset in range(0, len(printed), 500):
            _count(s, kind, [p[0] for p in printed[offset : offset + 500]])
        audit.record_many(
            s,
            actor,
            [
                (
                    "print" if copy == 0 else "reprint",
                    entity,
                    entity_id,
                    None,
                    {"document": kind, "number": number, "reprint": copy, "archived": archived, "delivered": delivered},
                )
                for number, entity_id, copy in printed
            ],
        )


# --------------------------------------------------------------------------- the three steps


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown document kind {name!r}; one of {', '.join(KINDS)}") from None


def prepare(
    db: Database, actor: Actor | None, kind: str, ref, paper: str | None = None, tr: Translate | None = None, archive: bool = True
) -> Prepared:
    """The document as it will go out, with the copy number it will carry, rendered and (unless archive=False:
    a look before printing, archived by `keep` once it goes out) archived."""
    k = kind_of(kind)
    tr = tr or ts_translator("zh_CN")
    paper = paper or k.papers[0]
    if paper not in k.papers:
        raise ValueError(f"{kind} is printed on {', '.join(k.papers)}, not {paper!r}")
    doc = k.load(db, actor, ref, tr)
    number = k.number(doc, ref, actor)
    copy = copies(db, kind, number)
    doc.reprint = copy
    pdf = k.render(doc, paper, tr)
    words = tr  # (named so: lupdate reads tr("…", …) as a source text)
    title = words("printing", k.title).replace("%1", number) if k.title else number
    entity_id = str(ref) if isinstance(ref, uuid.UUID) else number
    prepared = Prepared(kind, ref, number, entity_id, copy, doc, pdf, paper, title)
    if archive:
        keep(prepared)
    return prepared


def keep(prepared: Prepared) -> Path:
    """Archive the prepared PDF (archive/<kind>/<year>/<number>[-reprint-N].pdf), once."""
    from app.printing.archive import archive_pdf

    if prepared.archived is None:
        k = KINDS[prepared.kind]
        prepared.archived = archive_pdf(
            prepared.kind,
            k.archive_name(prepared.doc, prepared.number),
            prepared.pdf,
            reprint=prepared.copy,
            year=k.archive_year(prepared.doc),
        )
    return prepared.archived


def deliver(prepared: Prepared, delivery: Delivery, tr: Translate | None = None) -> None:
    """Send the prepared document on the targets that need no window: escpos (this counter's roll
    printer; device I/O only, so it may run off the window's thread) and pdf (the archived copy,
    and `delivery.file` when given). Raises PrinterProblem or OSError when it did not go out."""
    if delivery.target == "escpos":
        from app.printing.payments import output

        k = KINDS[prepared.kind]
        if k.escpos is None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "This document is not printed on the receipt printer."))
        output.send(delivery.device, lambda printer: k.escpos(printer, prepared.doc, prepared.paper, delivery.mode, tr, prepared.pdf))
    elif delivery.target == "pdf":
        if delivery.file:
            from app.kernel.outfile import write_bytes

            # through a temporary file beside it: a failure leaves no half PDF, and says why in words
            # (the caller checked the path with app.kernel.outfile.check_output)
            write_bytes(Path(delivery.file), prepared.pdf, force=True)
    else:
        raise ValueError(f"target {delivery.target!r} needs the window (app.views.pdf_preview.output_document)")
    prepared.delivered = delivery.target


def print_document(
    db: Database, actor: Actor, kind: str, ref, delivery: Delivery, paper: str | None = None, tr: Translate | None = None
) -> Prepared:
    """Prepare, deliver and mark printed, for callers without a window (escpos or pdf). A failed
    delivery raises and leaves the document uncounted."""
    prepared = prepare(db, actor, kind, ref, paper, tr)
    deliver(prepared, delivery, tr)
    mark_printed(db, actor, prepared)
    return prepared


# --------------------------------------------------------------------------- the kinds


def _receipt(db, actor, ref, tr):
    from app.services.payments import posting

    return posting.receipt_document(db, ref)


def _receipt_printed(session, payment_id) -> None:
    """A receipt leaves the unprinted queue on its first print."""
    from app.models import Payment

    session.execute(update(Payment).where(Payment.id == payment_id, Payment.printed_at.is_(None)).values(printed_at=utcnow()))


def _render_receipt(doc, paper, tr):
    from app.printing.payments.receipt import render_receipt

    return render_receipt(doc, paper, tr)


def _receipt_escpos(printer, doc, paper, mode, tr, pdf):
    from app.printing.payments.escpos_backend import send_receipt

    send_receipt(printer, doc, paper, mode, tr, pdf)


def _bill(db, actor, ref, tr):
    from app.services.billing import bills

    return bills.bill_document(db, ref, tr=tr)


def _render_bill(doc, paper, tr):
    from app.printing.billing.bill_pdf import render_bill

    return render_bill(doc, paper, tr=tr)


def _matter(db, actor, ref, tr):
    from app.services.handling import matters

    return matters.receipt_document(db, ref, tr)


def _render_matter(doc, paper, tr):
    from app.printing.handling.documents import render_receipt

    return render_receipt(doc, paper, tr)


def _shift(db, actor, ref, tr):
    from app.services.payments import queries

    doc = queries.shift_report(db, actor, ref)  # printed_at: now
    doc.audit_anchor = _audit_anchor(db, actor.station_id)
    return doc


def _audit_anchor(db, station_id) -> str:
    """The station's audit chain head, printed on shift and day reports (docs/SECURITY.md)."""
    from app.services import integrity

    with db.read() as s:
        return integrity.station_anchor(s, station_id)


def _render_shift(doc, paper, tr):
    from app.printing.payments.reports import render_shift_report

    return render_shift_report(doc, tr)


def _day(db, actor, ref, tr):
    from app.services.payments import posting

    day = ref if isinstance(ref, date) else date.fromisoformat(str(ref))
    doc = posting.day_report(db, actor, day)
    doc.station_code = actor.station_code
    doc.audit_anchor = _audit_anchor(db, actor.station_id)
    return doc


def _render_day(doc, paper, tr):
    from app.printing.payments.reports import render_day_report

    return render_day_report(doc, tr)


def _outage(db, actor, ref, tr):
    from app.models import Outage, Station
    from app.printing.handling.documents import OutageNotice
    from app.services.handling import outages

    view, accounts = outages.affected_accounts(db, ref)
    with db.read() as s:
        station_id = s.scalar(select(Outage.station_id).where(Outage.id == ref))
        station = s.get(Station, station_id) if station_id else None
        hall, phone = (station.name, station.hall_phone) if station else ((actor.station_name if actor else ""), "")
    doc = OutageNotice(
        hall,
        view.starts_at,
        view.ends_at,
        view.reason,
        view.routes,
        view.areas,
        [(a.account_no, a.name, a.address) for a in accounts],
        hall_phone=phone,
    )
    doc.outage_id = ref
    return doc


def _render_outage(doc, paper, tr):
    from app.printing.handling.documents import render_outage_notice

    return render_outage_notice(doc, tr=tr)


def _report(db, actor, ref, tr):
    from app.services.reports.output import load_document

    return load_document(db, actor, ref, tr)


def _render_report(doc, paper, tr):
    from app.printing.reports.pdf import render_report

    return render_report(doc, tr)


def _dunning(db, actor, ref, tr):
    from app.services.reports.dunning import build

    return build(db, ref, tr)


def _render_dunning(doc, paper, tr):
    from app.printing.reports.dunning import render_dunning

    return render_dunning(doc, tr)


def _dunning_sent(session, ref) -> None:
    from app.services.reports.dunning import record_sent

    record_sent(session, ref)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "receipt",
            "payment",
            ("80mm", "58mm", "A5"),
            _receipt,
            lambda doc, ref, actor: doc.receipt_no,
            _render_receipt,
            QT_TRANSLATE_NOOP("printing", "Receipt %1"),
            escpos=_receipt_escpos,
            after_print=_receipt_printed,
        ),
        Kind(
            "bill", "bill", ("A4", "A5"), _bill, lambda doc, ref, actor: doc.bill_no, _render_bill, QT_TRANSLATE_NOOP("printing", "Bill %1")
        ),
        Kind(
            "matter",
            "matter",
            ("A5", "80mm", "58mm"),
            _matter,
            lambda doc, ref, actor: doc.matter_no,
            _render_matter,
            QT_TRANSLATE_NOOP("printing", "Work-order receipt %1"),
        ),
        Kind(
            "shift",
            "shift",
            ("A4",),
            _shift,
            lambda doc, ref, actor: doc.number,
            _render_shift,
            QT_TRANSLATE_NOOP("printing", "Shift report %1"),
            archive_year=lambda doc: doc.opened.year,
        ),
        Kind(
            "day",
            "day_report",
            ("A4",),
            _day,
            lambda doc, ref, actor: f"{doc.station_code}-{doc.day.isoformat()}",
            _render_day,
            QT_TRANSLATE_NOOP("printing", "Day report %1"),
            archive_year=lambda doc: doc.day.year,
        ),
        Kind(
            "outage",
            "outage",
            ("A4",),
            _outage,
            lambda doc, ref, actor: str(ref),
            _render_outage,
            QT_TRANSLATE_NOOP("printing", "Planned outage notice"),
            archive_year=lambda doc: doc.starts_at.year,
            archive_name=lambda doc, number: f"{doc.starts_at:%Y%m%d%H%M}-{short_id(number)}",
        ),
        Kind(
            "report",
            "report",
            ("A4-landscape",),
            _report,
            lambda doc, ref, actor: ref.number,
            _render_report,
            QT_TRANSLATE_NOOP("printing", "Report %1"),
            archive_year=lambda doc: doc.generated.year,
        ),
        Kind(
            "dunning",
            "dunning",
            ("A5",),
            _dunning,
            lambda doc, ref, actor: ref.number,
            _render_dunning,
            QT_TRANSLATE_NOOP("printing", "Arrears reminders %1"),
            archive_year=lambda doc: doc.as_of.year,
            after_print=_dunning_sent,
        ),
    )
}
