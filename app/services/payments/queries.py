"""Reading payments: a customer's recent payments, the unprinted queue, printing marks, the register."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.db.engine import Database
from app.models import Account, Customer, Payment, Shift, utcnow
from app.services import audit
from app.services.context import Actor
from app.services.errors import NotFound
from app.services.messages import QT_TRANSLATE_NOOP


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


def _rows(s, stmt) -> list[PaymentRow]:
    q = stmt.add_columns(Account.account_no, Customer.name).join(Account, Account.id == Payment.account_id).join(Customer, Customer.id == Account.customer_id)
    return [PaymentRow(p.id, p.receipt_no, p.created_at + timedelta(hours=8), no, name, p.kind, p.method, p.amount_fen,
                       p.reversed_by_id is not None, p.printed_at is not None) for p, no, name in s.execute(q).all()]


def customer_payments(db: Database, customer_id, limit: int = 20) -> list[PaymentRow]:
    with db.read() as s:
        return _rows(s, select(Payment).where(Account.customer_id == customer_id).order_by(Payment.created_at.desc()).limit(limit))


def unprinted(db: Database, actor: Actor) -> list[PaymentRow]:
    """Receipts committed but never printed (the program stopped, or the printer failed)."""
    with db.read() as s:
        return _rows(s, select(Payment).where(Payment.station_id == actor.station_id, Payment.printed_at.is_(None)).order_by(Payment.created_at))


def register(db: Database, actor: Actor, text: str = "", limit: int = 200) -> list[PaymentRow]:
    """The receipt register of the station, newest first; text filters by receipt or account number."""
    with db.read() as s:
        stmt = select(Payment).where(Payment.station_id == actor.station_id)
        t = (text or "").strip()
        if t:
            stmt = stmt.where((Payment.receipt_no == t) | (Account.account_no == t))
        return _rows(s, stmt.order_by(Payment.created_at.desc()).limit(limit))


def next_print(db: Database, payment_id) -> int:
    """The reprint number the next print will show (0 = the first print), without counting anything:
    the paper is made with it, and mark_printed counts it once the paper is out."""
    with db.read() as s:
        count = s.scalar(select(Payment.print_count).where(Payment.id == payment_id))
        if count is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This payment no longer exists."))
        return count


def mark_printed(db: Database, actor: Actor, payment_id) -> int:
    """Count a print; returns the reprint number the paper must show (0 = the first print)."""
    with db.write() as s:
        p = s.get(Payment, payment_id)
        if p is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This payment no longer exists."))
        reprint = p.print_count
        p.print_count += 1
        if p.printed_at is None:
            p.printed_at = utcnow()
        audit.record(s, actor, "print" if reprint == 0 else "reprint", "payment", p.id, after={"receipt_no": p.receipt_no, "reprint": reprint})
        return reprint


def open_shift_of(db: Database, actor: Actor):
    with db.read() as s:
        return s.scalar(select(Shift.opened_at).where(Shift.clerk_id == actor.clerk_id, Shift.status == "open"))


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
