"""Demo payments and shifts (demo store only), so the receipt register, the shifts to sign off, the shift
and day reports and the customer's payments panel have something to show: a supervisor's shift signed off
with a note on its difference, a clerk's shift closed and waiting for sign-off (cash, card, QR and
transfer payments, part payments of arrears, a deposit to the prepaid balance, a reversal, one receipt
left unprinted), and the clerk's shift of today still open. About forty payments: a second or two."""

from __future__ import annotations

import random
import uuid
from decimal import ROUND_UP, Decimal

from sqlalchemy import select

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.localtime import local_today
from app.kernel.money import from_fen
from app.models import Account, Bill
from app.services import auth
from app.services.billing import bills
from app.services.payments import posting, queries


def _owing(db: Database, statuses=("unpaid",), limit: int = 60, overdue: bool | None = None) -> list[uuid.UUID]:
    """Accounts with an open bill, in account order (overdue ones, or ones not yet due, when asked)."""
    today = local_today()
    with db.read() as s:
        q = (
            select(Bill.account_id)
            .join(Account, Account.id == Bill.account_id)  # households: counter-sized amounts
            .where(Bill.status.in_(statuses), Account.usage_category == "residential")
        )
        if overdue is True:
            q = q.where(Bill.due_date < today)
        elif overdue is False:
            q = q.where(Bill.due_date >= today)
        return list(dict.fromkeys(s.scalars(q.order_by(Account.account_no).limit(limit * 3))))[:limit]


def _owed_fen(db: Database, account_id: uuid.UUID) -> int:
    return sum(item.total_fen for item in bills.account_arrears(db, account_id))


def _pay(db: Database, actor: Actor, account_id: uuid.UUID, amount_fen: int, method: str, rng: random.Random):
    amount = from_fen(amount_fen)
    tendered = ""
    reference = ""
    if method == "cash":  # the customer hands over round notes
        tendered = str((amount / 10).quantize(Decimal(1), rounding=ROUND_UP) * 10 if amount > 10 else Decimal(10))
    else:
        reference = f"{rng.randrange(10**11, 10**12)}"
    return posting.post_payment(db, actor, account_id, str(amount), method, uuid.uuid4().hex, tendered, reference)


def _close(db: Database, actor: Actor, shift_short_fen: int, note: str) -> None:
    """Close the actor's shift counting its cash exactly, less `shift_short_fen`, in notes and coins."""
    from app.services.payments.posting import DENOMINATIONS_FEN

    current = posting.current_shift(db, actor)
    row = queries.shift_report(db, actor, current[0])
    cash = row.expected["cash"] - shift_short_fen
    pieces = {}
    for fen in DENOMINATIONS_FEN:
        pieces[fen], cash = divmod(cash, fen)
    others = {m: str(from_fen(row.expected[m])) for m in ("card", "qr", "transfer")}
    posting.close_shift(db, actor, pieces, others, note)


def fill(db: Database, rng: random.Random, actor: Actor) -> None:
    clerk = actor
    supervisor = auth.get_actor(db, "wangqiang")
    admin = auth.get_actor(db, "admin")
    due = _owing(db, overdue=False, limit=40)
    late = _owing(db, overdue=True, limit=12)
    if not due:
        return
    # 1. the supervisor's own shift: a few payments, a 0.20 surplus, signed off by the administrator with a note
    posting.open_shift(db, supervisor, "300")
    for account_id in due[:5]:
        p = _pay(db, supervisor, account_id, _owed_fen(db, account_id), rng.choice(("cash", "cash", "qr")), rng)
        queries.mark_printed(db, supervisor, p.payment_id)
    _close(db, supervisor, -20, "多收0.2元")
    shift_id = queries.newest_shift_of(db, supervisor, "wangqiang")
    posting.sign_off(db, admin, shift_id, "顾客未取找零0.2元，已登记待退")
    # 2. the clerk's shift, closed and waiting for the supervisor: every method, part payments, a deposit, a reversal
    posting.open_shift(db, clerk, "500")
    paid = []
    for i, account_id in enumerate(due[5:25]):
        method = ("cash", "cash", "card", "qr", "cash", "transfer")[i % 6]
        paid.append(_pay(db, clerk, account_id, _owed_fen(db, account_id), method, rng))
    for account_id in late[:4]:  # arrears paid in part: the rest is still owed, late fee first
        owed = _owed_fen(db, account_id)
        paid.append(_pay(db, clerk, account_id, max(100, owed // 2), "cash", rng))
    for account_id in late[4:6]:  # arrears paid in full, with the late fee
        paid.append(_pay(db, clerk, account_id, _owed_fen(db, account_id), "cash", rng))
    extra = due[25]
    paid.append(_pay(db, clerk, extra, _owed_fen(db, extra) + 20000, "cash", rng))  # 200 yuan more: to the prepaid balance
    wrong = paid[3]
    reversal = posting.reverse_payment(db, supervisor, clerk, wrong.payment_id, "收错户，客户当场发现", uuid.uuid4().hex)
    for p in paid[:-1] + [reversal]:  # the last receipt waits in the unprinted queue (the printer ran out of paper)
        queries.mark_printed(db, clerk, p.payment_id)
    _close(db, clerk, 50, "少了5角，可能找零有误")
    # 3. today's shift of the clerk, still open
    posting.open_shift(db, clerk, "200")
    for account_id in due[26:29]:
        p = _pay(db, clerk, account_id, _owed_fen(db, account_id), "cash", rng)
        queries.mark_printed(db, clerk, p.payment_id)
