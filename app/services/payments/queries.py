"""Reading payments: a customer's recent payments, the unprinted queue, printing marks, the register."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied
from app.kernel.localtime import local_today, to_local, to_utc
from app.kernel.masking import mask_name
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Account, Clerk, Customer, Payment, Shift, Station, utcnow
from app.services import documents, numbering


@dataclass
class PaymentRow:
    id: uuid.UUID
    receipt_no: str
    at: datetime  # local
    account_no: str
    customer_name: str
    kind: str
    method: str
    amount_fen: int
    reversed: bool
    printed: bool
    print_count: int = 0


def _rows(s, stmt) -> list[PaymentRow]:
    q = (
        stmt.add_columns(Account.account_no, Customer.name)
        .join(Account, Account.id == Payment.account_id)
        .join(Customer, Customer.id == Account.customer_id)
    )
    found = s.execute(q).all()
    counts = documents.copies_in(s, "receipt", [p.receipt_no for p, _no, _name in found])
    return [
        PaymentRow(
            p.id,
            p.receipt_no,
            to_local(p.created_at),
            no,
            name,
            p.kind,
            p.method,
            p.amount_fen,
            p.reversed_by_id is not None,
            p.printed_at is not None,
            counts.get(p.receipt_no, 0),
        )
        for p, no, name in found
    ]


def customer_payments(db: Database, customer_id, limit: int = 20) -> list[PaymentRow]:
    with db.read() as s:
        return _rows(s, select(Payment).where(Account.customer_id == customer_id).order_by(Payment.created_at.desc()).limit(limit))


def unprinted(db: Database, actor: Actor) -> list[PaymentRow]:
    """Receipts committed but never printed (the program stopped, or the printer failed)."""
    with db.read() as s:
        return _rows(
            s, select(Payment).where(Payment.station_id == actor.station_id, Payment.printed_at.is_(None)).order_by(Payment.created_at)
        )


def register(db: Database, actor: Actor, text: str = "", limit: int = 200) -> list[PaymentRow]:
    """The station's receipt register (收据登记簿), newest first, reversed and reversal receipts
    included (the numbers have no gaps). `text` filters: a receipt number (R-3301-2026-000042), its
    sequence alone (42, this year or last), an account number, or a station-local date YYYY-MM-DD.
    Customer names come back masked (张*丰): this is a screen list.

    Every path runs on an index: the newest receipts are read backwards on the unique receipt-number
    index (the station's numbers rise with time), an account through its (account, time) index, a
    date through the shifts open that day and the payments' shift index."""
    t = (text or "").strip()
    with db.read() as s:
        stmt = select(Payment).where(Payment.station_id == actor.station_id)
        if t:
            day = _date_of(t)
            if day is not None:
                start = to_utc(datetime.combine(day, datetime.min.time()))  # station-local midnight
                end = start + timedelta(days=1)
                shifts = select(Shift.id).where(
                    Shift.station_id == actor.station_id, Shift.opened_at < end, (Shift.closed_at.is_(None)) | (Shift.closed_at >= start)
                )
                stmt = stmt.where(Payment.shift_id.in_(shifts), Payment.created_at >= start, Payment.created_at < end)
            else:
                found = []
                u = t.upper().replace(" ", "")
                if u.startswith("R-"):
                    found.append(Payment.receipt_no == u)
                elif u.isdigit() and len(u) <= 6 and int(u) > 0:
                    year = local_today().year
                    found.append(
                        Payment.receipt_no.in_([numbering.format_number(actor.station_code, y, int(u), "R") for y in (year, year - 1)])
                    )
                account_id = s.scalar(select(Account.id).where(Account.account_no == t))
                if account_id is not None:
                    found.append(Payment.account_id == account_id)
                if not found:
                    return []
                stmt = stmt.where(or_(*found))
        rows = _rows(s, stmt.order_by(Payment.receipt_no.desc()).limit(limit))
    for r in rows:
        r.customer_name = mask_name(r.customer_name)
    return rows


def _date_of(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return None
    try:
        y, m, d = (int(x) for x in text.split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def _receipt_no(db: Database, payment_id) -> str:
    with db.read() as s:
        number = s.scalar(select(Payment.receipt_no).where(Payment.id == payment_id))
    if number is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This payment no longer exists."))
    return number


def next_print(db: Database, payment_id) -> int:
    """The reprint number the next print will show (0 = the first print), without counting anything:
    read from document_prints, shared by every counter (app.services.documents)."""
    return documents.copies(db, "receipt", _receipt_no(db, payment_id))


def mark_printed(db: Database, actor: Actor, payment_id) -> int:
    """Count a print of the receipt that went out by other means; returns the reprint number its paper showed.
    (Printing itself goes through app.services.documents: prepare, deliver, mark printed.)"""
    number = _receipt_no(db, payment_id)
    copy = documents.copies(db, "receipt", number)
    documents.count_print(db, actor, "receipt", number, payment_id, copy)
    return copy


def open_shift_of(db: Database, actor: Actor):
    with db.read() as s:
        return s.scalar(select(Shift.opened_at).where(Shift.clerk_id == actor.clerk_id, Shift.status == "open"))


@dataclass
class ShiftRow:
    """A shift as the supervisor reviews it: expected and counted per method (fen), the cash count."""

    id: uuid.UUID
    clerk_name: str
    staff_no: str
    opened: datetime  # local
    closed: datetime | None
    status: str  # open | closed | signed_off
    float_fen: int
    expected: dict[str, int]
    counted: dict[str, int]
    cash_pieces: dict[int, int]  # denomination (fen) -> pieces
    note: str = ""
    signed_off_by: str = ""
    signed_off_at: datetime | None = None
    payments: int = 0
    reversals: int = 0
    clerk_id: uuid.UUID | None = None  # who worked the shift (a supervisor's own shift is signed off by another)
    sign_off_note: str = ""  # the supervisor's reason for accepting a difference

    @property
    def difference(self) -> dict[str, int]:
        return {m: self.counted.get(m, 0) - e for m, e in self.expected.items()}


def _local(at: datetime | None) -> datetime | None:
    return to_local(at) if at is not None else None


def _figures(s, shift: Shift) -> tuple[dict[str, int], dict[str, int], dict[int, int]]:
    """Expected, counted and the cash count of a closed shift; for an open one what was taken so far."""
    from app.services.payments.posting import DENOMINATIONS_FEN, METHODS

    if shift.expected:
        expected = {m: int(v) for m, v in json.loads(shift.expected).items()}
        stored = json.loads(shift.counted or "{}")
        counted = {m: int(v) for m, v in stored.get("totals", {}).items()}
        given = {int(k): int(v) for k, v in stored.get("cash_pieces", {}).items()}
        pieces = {d: given.get(d, 0) for d in DENOMINATIONS_FEN} | given
        return expected, counted, pieces
    totals = dict(
        s.execute(select(Payment.method, func.sum(Payment.amount_fen)).where(Payment.shift_id == shift.id).group_by(Payment.method)).all()
    )
    expected = {m: int(totals.get(m, 0) or 0) for m in METHODS}
    expected["cash"] += shift.float_fen
    return expected, {}, {}


def shifts_for_review(db: Database, actor: Actor, signed_within_days: int = 0) -> list[ShiftRow]:
    """The station's closed shifts waiting for a supervisor's sign-off, oldest first; with
    `signed_within_days`, then the shifts signed off in those days, newest first.
    (The shifts table holds a few rows per clerk and day; the payments are counted on their shift index.)"""
    signer = aliased(Clerk)
    with db.read() as s:
        base = (
            select(Shift, Clerk.name, Clerk.staff_no, signer.name)
            .join(Clerk, Clerk.id == Shift.clerk_id)
            .outerjoin(signer, signer.id == Shift.signed_off_by)
            .where(Shift.station_id == actor.station_id)
        )
        found = s.execute(base.where(Shift.status == "closed").order_by(Shift.closed_at)).all()
        if signed_within_days > 0:
            since = utcnow() - timedelta(days=signed_within_days)
            found += s.execute(
                base.where(Shift.status == "signed_off", Shift.signed_off_at >= since).order_by(Shift.signed_off_at.desc())
            ).all()
        counts: dict = {}
        ids = [sh.id for sh, *_ in found]
        if ids:
            for shift_id, kind, n in s.execute(
                select(Payment.shift_id, Payment.kind, func.count())
                .where(Payment.shift_id.in_(ids))
                .group_by(Payment.shift_id, Payment.kind)
            ).all():
                counts[(shift_id, kind)] = n
        rows = []
        for sh, name, staff_no, signer_name in found:
            expected, counted, pieces = _figures(s, sh)
            rows.append(
                ShiftRow(
                    sh.id,
                    name,
                    staff_no,
                    _local(sh.opened_at),
                    _local(sh.closed_at),
                    sh.status,
                    sh.float_fen,
                    expected,
                    counted,
                    pieces,
                    sh.note or "",
                    signer_name or "",
                    _local(sh.signed_off_at),
                    counts.get((sh.id, "payment"), 0),
                    counts.get((sh.id, "reversal"), 0),
                    sh.clerk_id,
                    sh.sign_off_note or "",
                )
            )
        return rows


def _may_see_shift_of(actor: Actor, clerk_id) -> None:
    """A clerk sees their own shift report; another clerk's needs a supervisor (the window and the command line alike)."""
    if clerk_id != actor.clerk_id and not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can see another clerk's shift report."))


def newest_shift_of(db: Database, actor: Actor, login: str) -> uuid.UUID:
    """The newest shift (open or closed) of the clerk with this login, at the actor's station."""
    with db.read() as s:
        clerk = s.scalar(select(Clerk).where(Clerk.login == (login or "").strip()))
        if clerk is None or clerk.station_id != actor.station_id:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No clerk has the login name “{login}”."), login=login)
        _may_see_shift_of(actor, clerk.id)
        shift_id = s.scalar(select(Shift.id).where(Shift.clerk_id == clerk.id).order_by(Shift.opened_at.desc()).limit(1))
        if shift_id is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "{name} has had no shift yet."), name=clerk.name)
        return shift_id


def shift_report(db: Database, actor: Actor, shift_id: uuid.UUID):
    """The plain data of a printed shift report (app.printing.payments.reports.ShiftReport)."""
    from app.printing.payments.reports import ReversalLine, ShiftReport

    original = aliased(Payment)
    with db.read() as s:
        shift = s.get(Shift, shift_id)
        if shift is None or shift.station_id != actor.station_id:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This shift does not exist at this station."))
        _may_see_shift_of(actor, shift.clerk_id)
        station = s.get(Station, shift.station_id)
        clerk = s.get(Clerk, shift.clerk_id)
        signer = s.get(Clerk, shift.signed_off_by) if shift.signed_off_by else None
        expected, counted, pieces = _figures(s, shift)
        kinds = {
            kind: (n, int(total or 0), first or "", last or "")
            for kind, n, total, first, last in s.execute(
                select(Payment.kind, func.count(), func.sum(Payment.amount_fen), func.min(Payment.receipt_no), func.max(Payment.receipt_no))
                .where(Payment.shift_id == shift.id)
                .group_by(Payment.kind)
            ).all()
        }
        reversals = [
            ReversalLine(no, of or "", amount, reason or "")
            for no, of, amount, reason in s.execute(
                select(Payment.receipt_no, original.receipt_no, Payment.amount_fen, Payment.reason)
                .outerjoin(original, original.id == Payment.reversal_of_id)
                .where(Payment.shift_id == shift.id, Payment.kind == "reversal")
                .order_by(Payment.receipt_no)
            ).all()
        ]
        paid = kinds.get("payment", (0, 0, "", ""))
        back = kinds.get("reversal", (0, 0, "", ""))
        return ShiftReport(
            station.name,
            station.code,
            clerk.name,
            clerk.staff_no,
            _local(shift.opened_at),
            _local(shift.closed_at),
            shift.status,
            shift.float_fen,
            expected,
            counted,
            pieces,
            paid[0],
            paid[1],
            paid[2],
            paid[3],
            back[0],
            back[1],
            reversals,
            shift.note or "",
            signer.name if signer else "",
            _local(shift.signed_off_at),
            _local(utcnow()),
            sign_off_note=shift.sign_off_note or "",
        )


def find_payment(db: Database, receipt_no: str):
    with db.read() as s:
        return s.scalar(select(Payment.id).where(Payment.receipt_no == receipt_no))


def _resolve_receipt(session, text: str):
    from app.services import search

    if not text.upper().startswith("R-"):
        return None
    account_id = session.scalar(select(Payment.account_id).where(Payment.receipt_no == text.upper()))
    return search.result_for_account(session, account_id, "receipt") if account_id else None


def _register_resolver() -> None:
    from app.services import search

    search.register_number_resolver(_resolve_receipt)


_register_resolver()
