"""Posting a payment in one transaction, reversing one, and cashier shifts.

The payment, its allocations, the bills' paid amounts and states, the account balance, the
contact record and the audit entry commit together or not at all. The idempotency key made
when the payment dialog opens means Enter pressed twice posts once. Receipt numbers come from
the station's gap-free sequence, locked until commit.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, column, func, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app.db.engine import Database
from app.db.together import execute_together
from app.kernel.context import Actor
from app.kernel.errors import ConflictError, NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.ids import new_id
from app.kernel.localtime import local_today, to_local, to_utc
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import from_fen, parse_amount, to_fen
from app.kernel.payment_methods import METHOD_CODES as METHODS  # the one list of payment methods
from app.kernel.text import check_text
from app.models import Account, BalanceEntry, Bill, Payment, PaymentAllocation, Shift, utcnow
from app.services import audit, balance, numbering, settings
from app.services.billing.bills import owed_in, owed_in_many
from app.services.customers import contact_write
from app.services.payments import tail
from app.services.payments.allocation import allocate
from app.services.reports import summaries
from app.services.reports.payment_writes import payment_writes

# 100, 50, 20, 10, 5, 1, 0.5, 0.1 yuan and the fen coins 0.05, 0.02, 0.01 (still legal tender: a drawer of ¥620.41 is counted exactly)
DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1)


def reversal_reason(text: str) -> str:
    """The reason a reversal needs (two characters at least), or a field error."""
    why = (text or "").strip()
    if len(why) < 2:
        raise ValidationError.single("reason", QT_TRANSLATE_NOOP("messages", "Give the reason."))
    check_text(why, "reason", multiline=True)
    return why


def _open_shift(s: Session, actor: Actor) -> Shift | None:
    return s.scalar(select(Shift).where(Shift.clerk_id == actor.clerk_id, Shift.status == "open"))


def open_shift(db: Database, actor: Actor, float_text: str = "0") -> uuid.UUID:
    float_amount = parse_amount(float_text, "float", allow_zero=True)
    with db.write() as s:
        if _open_shift(s, actor):
            raise UserError(QT_TRANSLATE_NOOP("messages", "Your shift is already open."))
        shift = Shift(station_id=actor.station_id, clerk_id=actor.clerk_id, float_fen=to_fen(float_amount))
        s.add(shift)
        s.flush()
        audit.record(s, actor, "open", "shift", shift.id, after={"float": float_amount})
        return shift.id


def current_shift(db: Database, actor: Actor):
    with db.read() as s:
        shift = _open_shift(s, actor)
        return (shift.id, shift.opened_at) if shift else None


@lru_cache(maxsize=1)
def _set_receipt_no():
    """The payment's receipt number and verification code, set once the number is taken; built once."""
    payments = Payment.__table__
    return (
        update(payments)
        .where(payments.c.id == bindparam("p_id"))
        .values(receipt_no=bindparam("p_receipt_no"), verification=bindparam("p_verification"))
    )


@lru_cache(maxsize=1)
def _account_and_shift():
    """The account, locked until commit, with the clerk's open shift beside it (one round trip)."""
    shift = select(Shift.id).where(Shift.clerk_id == bindparam("s_clerk"), Shift.status == "open").limit(1).scalar_subquery()
    return select(Account, shift.label("shift_id")).where(Account.id == bindparam("s_account")).with_for_update(of=Account)


_MAX_TOGETHER = 8  # allocations sent in the payment's one round trip; a payment spread over more bills sends them apart


@lru_cache(maxsize=1)
def _insert_payment():
    """The payment row with binds pay_* (execute_together wants distinct names)."""
    payments = Payment.__table__
    return insert(payments).values({c.name: bindparam(f"pay_{c.name}") for c in payments.columns})


@lru_cache(maxsize=_MAX_TOGETHER)
def _insert_allocation(i: int):
    """The payment's i-th allocation row with binds al{i}_*."""
    table = PaymentAllocation.__table__
    return insert(table).values({c.name: bindparam(f"al{i}_{c.name}") for c in table.columns})


def _full(table, row: dict) -> dict:
    """`row` with every other column of `table` at its default, as an INSERT would fill it (a CTE's
    insert must name every column: defaults made at compile time would clash between the CTEs)."""
    out = dict(row)
    for c in table.columns:
        if c.name not in out:
            d = c.default
            out[c.name] = None if d is None else d.arg(None) if d.is_callable else d.arg
    return out


def verification_code(receipt_no: str, amount_fen: int, at: datetime, account_no: str) -> str:
    return hashlib.sha256(f"{receipt_no}|{amount_fen}|{at.isoformat()}|{account_no}".encode()).hexdigest()[:8].upper()


@dataclass
class Posted:
    payment_id: uuid.UUID
    receipt_no: str
    amount_fen: int
    change_fen: int
    balance_after_fen: int
    allocations: list
    duplicate: bool = False  # the same key was posted before: nothing new was recorded


def _write_together(
    s: Session, actor: Actor, account: Account, owing, allocations, deposits, payment_row, allocation_rows, bill_principals
):
    """Everything a payment writes before its receipt number with statements built once
    (docs/PAYMENTS.md, "Round trips"). PostgreSQL: in ONE round trip (app.db.together.execute_together):
    the summaries' deltas (the collections row; the collected rows under the route's lock), the
    allocations, the payment, the deposit's ledger entry and the account's balance, and last the
    bills' paid amounts and states by id and version. SQLite (in-process: no round trip to save, but
    an ORM flush costs a millisecond): the payment, its allocations, the entry and the balance, the
    bills one by one, then the summaries (summaries.add_payment). A bill's row count tells whether it
    changed since it was read (then nothing is kept: StaleDataError, as the ORM's own flush raises).
    The bills are plain rows (bills.owed_in(plain=True)); the loaded account is given the balance
    written, as a flush would leave it."""
    at = payment_row["created_at"]
    pg = s.get_bind().dialect.name == "postgresql"
    money = [
        (_insert_payment(), {f"pay_{k}": v for k, v in _full(Payment.__table__, payment_row).items()}),
        *(
            (_insert_allocation(i), {f"al{i}_{k}": v for k, v in _full(PaymentAllocation.__table__, row).items()})
            for i, row in enumerate(allocation_rows)
        ),
    ]
    # The report summaries' deltas: in the round trip on PostgreSQL, after the bills on SQLite.
    summary = dict(
        at=at,
        station_id=actor.station_id,
        clerk_id=actor.clerk_id,
        method=payment_row["method"],
        amount_fen=payment_row["amount_fen"],
        account=account,
        bill_principals=bill_principals,
    )
    if pg:  # the statements' order in the one round trip (the payment row is last of these, as it always was)
        writes = [*payment_writes(s, **summary), *money[1:], money[0]]
    else:  # one after the other: the payment row before the rows that refer to it (foreign keys)
        writes = money
    new_balance = account.balance_fen
    if deposits:  # one at most (the caller's condition): the money beyond what is owed goes to the balance
        (deposit,) = deposits
        if deposit.to_balance_fen < 0:
            raise ValueError("a prepaid balance never goes below zero")
        new_balance += deposit.to_balance_fen
        entry = dict(
            account_id=account.id,
            kind="deposit",
            amount_fen=deposit.to_balance_fen,
            balance_after_fen=new_balance,
            bill_id=None,
            payment_id=payment_row["id"],
            clerk_id=actor.clerk_id,
        )
        writes.append((_insert_entry(), {f"be_{k}": v for k, v in _full(BalanceEntry.__table__, entry).items()}))
        writes.append((_set_balance(), {"ac_id": account.id, "ac_version": account.version, "ac_balance": new_balance}))
    paid: dict[uuid.UUID, list[int]] = {}
    for a in allocations:
        if a.bill_id:
            sums = paid.setdefault(a.bill_id, [0, 0])
            sums[0] += a.principal_fen
            sums[1] += a.late_fee_fen
    settled = []
    for bill_id, (principal, fee) in paid.items():
        bill = owing.bills[bill_id]
        new_paid, new_fee = bill.paid_fen + principal, bill.late_fee_paid_fen + fee
        settled.append((bill, new_paid, new_fee, balance.bill_status(bill.amount_fen, new_paid, new_fee)))
    if settled and pg:
        writes.append(
            (
                _pay_bills(),
                {
                    "b_ids": [b.id for b, *_ in settled],
                    "b_versions": [b.version for b, *_ in settled],
                    "b_paid": [p for _b, p, _f, _st in settled],
                    "b_fee": [f for _b, _p, f, _st in settled],
                    "b_status": [st for *_, st in settled],
                },
            )
        )
    if pg:
        matched = execute_together(s, *writes).rowcount  # the bills' statement is the last one
    else:
        execute_together(s, *writes)
        matched = sum(
            s.execute(
                _settle_bills(), {"b_id": bill.id, "b_version": bill.version, "b_paid": new_paid, "b_fee_paid": new_fee, "b_status": status}
            ).rowcount
            for bill, new_paid, new_fee, status in settled
        )
        summaries.add_payment(s, reversal=False, **summary)
    if settled and matched != len(settled):
        raise StaleDataError(f"UPDATE statement on table 'bills' expected to update {len(settled)} row(s); {matched} were matched.")
    if deposits:
        set_committed_value(account, "balance_fen", new_balance)
        set_committed_value(account, "version", account.version + 1)


@lru_cache(maxsize=1)
def _insert_entry():
    """A deposit's ledger entry with binds be_*."""
    table = BalanceEntry.__table__
    return insert(table).values({c.name: bindparam(f"be_{c.name}") for c in table.columns})


@lru_cache(maxsize=1)
def _set_balance():
    """The account's balance and version (the row is locked by this transaction since it was read)."""
    accounts = Account.__table__
    return (
        update(accounts)
        .where(accounts.c.id == bindparam("ac_id"), accounts.c.version == bindparam("ac_version"))
        .values(balance_fen=bindparam("ac_balance"), version=accounts.c.version + 1)
    )


@lru_cache(maxsize=1)
def _pay_bills():
    """Bills' paid amounts and states by id and the version they were read at (PostgreSQL: the rows
    as arrays, one statement for any number of bills); the version moves on, as the ORM's would."""
    bills = Bill.__table__
    rows = (
        sql_text(
            "SELECT * FROM unnest(CAST(:b_ids AS uuid[]), CAST(:b_versions AS integer[]), CAST(:b_paid AS bigint[]),"
            " CAST(:b_fee AS bigint[]), CAST(:b_status AS varchar[])) AS r(id, version, paid, fee, status)"
        )
        .columns(column("id"), column("version"), column("paid"), column("fee"), column("status"))
        .subquery("v")
    )
    return (
        update(bills)
        .where(bills.c.id == rows.c.id, bills.c.version == rows.c.version)
        .values(paid_fen=rows.c.paid, late_fee_paid_fen=rows.c.fee, status=rows.c.status, version=bills.c.version + 1)
    )


def _post_in(
    s: Session,
    actor: Actor,
    account_id: uuid.UUID,
    amount_fen: int,
    method: str,
    idempotency_key: str,
    tendered_fen: int,
    reference: str,
    today: date,
    shift_id: uuid.UUID | None = None,
) -> Posted:
    """One payment inside the caller's unit of work (post_payment: one per transaction; post_payments:
    a later payment of an account its batch already paid, with the shift it read)."""
    # (A payment posted with this key before is found by the key's unique index when the row is
    # written: see post_payment.)
    account = None
    if shift_id is None:
        # The clerk's open shift and the account, locked, in one round trip.
        row = s.execute(_account_and_shift(), {"s_clerk": actor.clerk_id, "s_account": account_id}).first()
        if row is not None:
            account, shift_id = row
        else:
            shift_id = s.scalar(select(Shift.id).where(Shift.clerk_id == actor.clerk_id, Shift.status == "open"))
    else:
        account = s.scalar(select(Account).where(Account.id == account_id).with_for_update())
    if shift_id is None:
        raise UserError(QT_TRANSLATE_NOOP("messages", "Open your shift before taking payments."))
    # The account row lock serialises payments to one account across counters (PostgreSQL);
    # what is owed is read after it, so two counters never pay the same bill twice.
    if account is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This account no longer exists."))
    if account.status == "closed":
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "Account {account_no} is closed; it cannot take payments."), account_no=account.account_no
        )
    owing = owed_in(s, account, today, plain=True)  # plain rows: the built statements write the bills (_write_together)
    allocations = allocate(amount_fen, owing.items)
    deposits = [a for a in allocations if not a.bill_id]
    together = len(allocations) <= _MAX_TOGETHER and len(deposits) <= 1
    if not together:  # spread over more bills than the built statements take: the ORM settles them, read as objects
        owing = owed_in(s, account, today)
        allocations = allocate(amount_fen, owing.items)
    at = utcnow()
    payment_id = new_id()
    change_fen = tendered_fen - amount_fen if method == "cash" else 0
    # Written first under a placeholder number that never leaves this transaction; the receipt
    # number is taken last, because the station's sequence row stays locked from then until the
    # commit, and the fewer statements run under it, the more counters can post at once.
    payment_row = _payment_row(
        payment_id, actor, shift_id, account, allocations, at, idempotency_key, method, amount_fen, tendered_fen, change_fen, reference
    )
    allocation_rows = _allocation_rows(payment_id, allocations)
    bill_principals = [(owing.bills[a.bill_id].period, a.principal_fen) for a in allocations if a.bill_id]
    if together:
        _write_together(s, actor, account, owing, allocations, deposits, payment_row, allocation_rows, bill_principals)
    else:
        s.execute(insert(Payment.__table__).values(**payment_row))  # plain Core on the hot path: no ORM bulk machinery
        s.execute(insert(PaymentAllocation.__table__), allocation_rows)
        for a in allocations:
            if a.bill_id:
                balance.settle_bill(owing.bills[a.bill_id], a.late_fee_fen, a.principal_fen)
            else:
                balance.move(s, account, "deposit", a.to_balance_fen, actor, payment_id=payment_id)
        s.flush()
        # The reports' summaries: after the money rows, before the receipt number's lock (two upserts).
        summaries.add_payment(
            s,
            at=at,
            station_id=actor.station_id,
            clerk_id=actor.clerk_id,
            method=method,
            amount_fen=amount_fen,
            reversal=False,
            account=account,
            bill_principals=bill_principals,
        )
    after = {
        "account_no": account.account_no,
        "amount": from_fen(amount_fen),
        "method": method,
        "allocations": [a.__dict__ for a in allocations],
    }
    head = None
    if tail.usable(s):
        # PostgreSQL: the number, the audit head and everything that needs them in ONE statement.
        number, receipt_no = tail.take(
            s,
            actor,
            year=today.year,
            prefix=numbering.format_number(actor.station_code, today.year, 0, "R").removesuffix("000000"),
            payment_id=payment_id,
            amount_fen=amount_fen,
            amount_text=str(from_fen(amount_fen)),
            paid_at=at,
            account_no=account.account_no,
            account_id=account.id,
            customer_id=account.customer_id,
            after=after,
        )
        if receipt_no is not None:
            return Posted(payment_id, receipt_no, amount_fen, change_fen, account.balance_fen, allocations)
        head = audit.lock_head(s, actor.station_id)  # the station's first entry: its head row is made now
    else:
        number, head = numbering.next_value(s, actor.station_id, "receipt", today.year, lock_audit_head=True)
    receipt_no = numbering.format_number(actor.station_code, today.year, number, "R")
    # The number onto the payment, the contact record and the audit entry: one round trip on PostgreSQL.
    audit.record(
        s,
        actor,
        "post",
        "payment",
        payment_id,
        after={"receipt_no": receipt_no, **after},
        with_writes=(
            (
                _set_receipt_no(),
                {
                    "p_id": payment_id,
                    "p_receipt_no": receipt_no,
                    "p_verification": verification_code(receipt_no, amount_fen, at, account.account_no),
                },
            ),
            contact_write(
                actor,
                account.customer_id,
                "counter",
                "payment",
                f"{receipt_no} {from_fen(amount_fen)}",
                account_id=account.id,
                ref_id=payment_id,
            ),
        ),
        head=head,
    )
    return Posted(payment_id, receipt_no, amount_fen, change_fen, account.balance_fen, allocations)


def _payment_row(
    payment_id, actor: Actor, shift_id, account, allocations, at, idempotency_key, method, amount_fen, tendered_fen, change_fen, reference
) -> dict:
    """A payment's row, written first under a placeholder number that never leaves its transaction."""
    return dict(
        id=payment_id,
        receipt_no=f"~{payment_id.hex[-29:]}",  # the key's random end (its start is the time)
        idempotency_key=idempotency_key,
        kind="payment",
        station_id=actor.station_id,
        shift_id=shift_id,
        clerk_id=actor.clerk_id,
        account_id=account.id,
        method=method,
        amount_fen=amount_fen,
        tendered_fen=tendered_fen,
        change_fen=change_fen,
        reference=(reference or "").strip()[:80],
        balance_after_fen=account.balance_fen + sum(a.to_balance_fen for a in allocations),
        created_at=at,
    )


def _allocation_rows(payment_id, allocations) -> list[dict]:
    return [
        dict(
            id=new_id(),
            payment_id=payment_id,
            bill_id=a.bill_id,
            late_fee_fen=a.late_fee_fen,
            principal_fen=a.principal_fen,
            to_balance_fen=a.to_balance_fen,
            quantity=a.quantity,
        )
        for a in allocations
    ]


def post_payment(
    db: Database,
    actor: Actor,
    account_id: uuid.UUID,
    amount_text: str,
    method: str,
    idempotency_key: str,
    tendered_text: str = "",
    reference: str = "",
    today: date | None = None,
) -> Posted:
    amount = parse_amount(amount_text)
    if method not in METHODS:
        raise ValidationError.single("method", QT_TRANSLATE_NOOP("messages", "Choose how the customer pays."))
    tendered_fen = 0
    if method == "cash":
        tendered = parse_amount(tendered_text or amount_text, "tendered")
        if tendered < amount:
            raise ValidationError.single("tendered", QT_TRANSLATE_NOOP("messages", "The cash tendered is less than the amount."))
        tendered_fen = to_fen(tendered)
    elif not (reference or "").strip():
        raise ValidationError.single("reference", QT_TRANSLATE_NOOP("messages", "Enter the terminal or transaction reference."))
    if not idempotency_key:
        raise ValueError("idempotency key required")
    today = today or local_today()
    try:
        with db.write() as s:
            return _post_in(s, actor, account_id, to_fen(amount), method, idempotency_key, tendered_fen, reference, today)
    except IntegrityError:
        # Enter pressed twice, a double click, a retry: the key is unique, so the second posting
        # stops at the payment row and is rolled back whole; the first one is the answer.
        with db.read() as s:
            done = s.execute(
                select(Payment.id, Payment.receipt_no, Payment.amount_fen, Payment.change_fen, Payment.balance_after_fen).where(
                    Payment.idempotency_key == idempotency_key
                )
            ).first()
        if done is None:
            raise
        return Posted(*done, [], duplicate=True)


@dataclass
class BatchPayment:
    """One payment of a batch (post_payments): a non-cash amount with its key and reference."""

    account_id: uuid.UUID
    amount_text: str
    idempotency_key: str
    reference: str


def post_payments(db: Database, actor: Actor, items: list[BatchPayment], method: str, today: date | None = None) -> list[Posted]:
    """Non-cash payments that arrive together (a bank's collection return) posted in ONE unit of work:
    all of them or none. Each is posted exactly as post_payment posts it (allocations, summaries, its
    own gap-free receipt number, audit entry); a key posted before is answered as a duplicate and not
    posted again, so a batch run twice posts nothing twice. Callers keep batches to a few hundred: the
    station's receipt sequence stays locked until the commit."""
    if method not in METHODS or method == "cash":
        raise ValidationError.single("method", QT_TRANSLATE_NOOP("messages", "Choose how the customer pays."))
    checked = []
    for item in items:
        amount = parse_amount(item.amount_text)
        if not (item.reference or "").strip():
            raise ValidationError.single("reference", QT_TRANSLATE_NOOP("messages", "Enter the terminal or transaction reference."))
        if not item.idempotency_key:
            raise ValueError("idempotency key required")
        checked.append((item, to_fen(amount)))
    today = today or local_today()
    with db.write() as s:
        keys = [item.idempotency_key for item, _ in checked]
        done = {}
        for i in range(0, len(keys), 500):
            for key, *row in s.execute(
                select(
                    Payment.idempotency_key,
                    Payment.id,
                    Payment.receipt_no,
                    Payment.amount_fen,
                    Payment.change_fen,
                    Payment.balance_after_fen,
                ).where(Payment.idempotency_key.in_(keys[i : i + 500]))
            ):
                done[key] = row
        shift_id = s.scalar(select(Shift.id).where(Shift.clerk_id == actor.clerk_id, Shift.status == "open"))
        if shift_id is None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "Open your shift before taking payments."))
        # The accounts locked and what they owe read in bulk, in the order of their keys (as one by one)
        ids = sorted({item.account_id for item, _ in checked if item.idempotency_key not in done})
        accounts: dict[uuid.UUID, Account] = {}
        for i in range(0, len(ids), 500):
            for a in s.scalars(select(Account).where(Account.id.in_(ids[i : i + 500])).order_by(Account.id).with_for_update()):
                accounts[a.id] = a
        owings = owed_in_many(s, list(accounts.values()), today)
        # Each account's first payment of the batch is posted set-based (_post_set); a second payment
        # of an account in the same batch is posted after them, one by one, seeing the first.
        first: list[tuple[BatchPayment, int]] = []
        later: list[tuple[BatchPayment, int]] = []
        seen: set[uuid.UUID] = set()
        for item, amount_fen in checked:
            if item.idempotency_key in done:
                continue
            (later if item.account_id in seen else first).append((item, amount_fen))
            seen.add(item.account_id)
        posted = _post_set(s, actor, first, method, today, shift_id, accounts, owings)
        for item, amount_fen in later:
            posted[item.idempotency_key] = _post_in(
                s, actor, item.account_id, amount_fen, method, item.idempotency_key, 0, item.reference, today, shift_id=shift_id
            )
        return [
            Posted(*done[item.idempotency_key], [], duplicate=True) if item.idempotency_key in done else posted[item.idempotency_key]
            for item, _ in checked
        ]


@lru_cache(maxsize=1)
def _settle_bills():
    """A bill's paid amounts and state by id and version (the version moves on, as the ORM's would)."""
    bills = Bill.__table__
    return (
        update(bills)
        .where(bills.c.id == bindparam("b_id"), bills.c.version == bindparam("b_version"))
        .values(
            paid_fen=bindparam("b_paid"),
            late_fee_paid_fen=bindparam("b_fee_paid"),
            status=bindparam("b_status"),
            version=bills.c.version + 1,
        )
    )


def _post_set(
    s: Session,
    actor: Actor,
    items: list[tuple[BatchPayment, int]],
    method: str,
    today: date,
    shift_id: uuid.UUID,
    accounts: dict[uuid.UUID, Account],
    owings: dict,
) -> dict[str, Posted]:
    """Payments of distinct accounts posted as _post_in posts each, with one statement per kind of
    row instead of one per payment: the payments and their allocations inserted together, the bills
    settled and flushed together, then (under the receipt sequence's and the audit head's locks) the
    numbers taken in order, set onto the payments, the contact records and the audit entries written
    in one go. Returns Posted by idempotency key."""
    if not items:
        return {}
    at = utcnow()
    payment_rows, allocation_rows, tails = [], [], []
    for item, amount_fen in items:
        account = accounts.get(item.account_id)
        if account is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This account no longer exists."))
        if account.status == "closed":
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "Account {account_no} is closed; it cannot take payments."), account_no=account.account_no
            )
        owing = owings[account.id]
        allocations = allocate(amount_fen, owing.items)
        payment_id = new_id()
        payment_rows.append(
            _payment_row(
                payment_id, actor, shift_id, account, allocations, at, item.idempotency_key, method, amount_fen, 0, 0, item.reference
            )
        )
        allocation_rows.extend(_allocation_rows(payment_id, allocations))
        tails.append((item, amount_fen, account, owing, allocations, payment_id))
    s.execute(insert(Payment.__table__), payment_rows)
    if allocation_rows:
        s.execute(insert(PaymentAllocation.__table__), allocation_rows)
    # The bills settled as balance.settle_bill settles each, written in one executemany that keeps the
    # bills' version check (a bill changed since it was read fails the whole batch), then expired so
    # that anything reading them later in this unit of work reads them again.
    bill_rows, settled, periods = [], [], {}
    for _item, _amount, account, owing, allocations, payment_id in tails:
        for a in allocations:
            if a.bill_id:
                bill = owing.bills[a.bill_id]
                periods[bill.id] = bill.period  # read before the bill is expired below
                paid, fee_paid = bill.paid_fen + a.principal_fen, bill.late_fee_paid_fen + a.late_fee_fen
                bill_rows.append(
                    {
                        "b_id": bill.id,
                        "b_version": bill.version,
                        "b_paid": paid,
                        "b_fee_paid": fee_paid,
                        "b_status": balance.bill_status(bill.amount_fen, paid, fee_paid),
                    }
                )
                settled.append(bill)
            else:
                balance.move(s, account, "deposit", a.to_balance_fen, actor, payment_id=payment_id)
    s.flush()
    if bill_rows:
        done = s.execute(_settle_bills(), bill_rows).rowcount
        if s.get_bind().dialect.supports_sane_multi_rowcount and done != len(bill_rows):
            raise ConflictError(
                QT_TRANSLATE_NOOP("messages", "Someone else changed a bill of this batch first; nothing was posted. Try again.")
            )
        for bill in settled:
            s.expire(bill)
    summaries.add_payments(
        s,
        at=at,
        station_id=actor.station_id,
        clerk_id=actor.clerk_id,
        method=method,
        payments=[
            (amount_fen, account, [(periods[a.bill_id], a.principal_fen) for a in allocations if a.bill_id])
            for _item, amount_fen, account, _owing, allocations, _pid in tails
        ],
    )
    numbers = numbering.next_values(s, actor.station_id, "receipt", today.year, len(tails))
    head = audit.lock_head(s, actor.station_id)
    receipt_params, contact_params, entries, out = [], [], [], {}
    contact_stmt = None
    for number, (item, amount_fen, account, _owing, allocations, payment_id) in zip(numbers, tails):
        receipt_no = numbering.format_number(actor.station_code, today.year, number, "R")
        receipt_params.append(
            {
                "p_id": payment_id,
                "p_receipt_no": receipt_no,
                "p_verification": verification_code(receipt_no, amount_fen, at, account.account_no),
            }
        )
        contact_stmt, params = contact_write(
            actor,
            account.customer_id,
            "counter",
            "payment",
            f"{receipt_no} {from_fen(amount_fen)}",
            account_id=account.id,
            ref_id=payment_id,
        )
        contact_params.append(params)
        entries.append(
            (
                "post",
                "payment",
                payment_id,
                None,
                {
                    "receipt_no": receipt_no,
                    "account_no": account.account_no,
                    "amount": from_fen(amount_fen),
                    "method": method,
                    "allocations": [a.__dict__ for a in allocations],
                },
            )
        )
        out[item.idempotency_key] = Posted(payment_id, receipt_no, amount_fen, 0, account.balance_fen, allocations)
    if len(entries) == 1:  # one entry goes in one round trip with its writes (app.db.together): plain parameters
        writes = ((_set_receipt_no(), receipt_params[0]), (contact_stmt, contact_params[0]))
    else:
        writes = ((_set_receipt_no(), receipt_params), (contact_stmt, contact_params))
    audit.record_many(s, actor, entries, with_writes=writes, head=head)
    return out


def reverse_payment(
    db: Database, approver: Actor, clerk: Actor, payment_id: uuid.UUID, reason: str, idempotency_key: str, today: date | None = None
) -> Posted:
    """冲正: a supervisor (`approver`) reverses a payment with a reason; a new negative payment undoes
    its allocations (bills reopen, the balance goes back). A reversal cannot be reversed."""
    if not approver.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can approve a reversal."))
    why = reversal_reason(reason)
    today = today or local_today()
    with db.write() as s:
        done = s.scalar(select(Payment).where(Payment.idempotency_key == idempotency_key))
        if done is not None:
            return Posted(done.id, done.receipt_no, done.amount_fen, 0, done.balance_after_fen, [], duplicate=True)
        original = s.scalar(select(Payment).where(Payment.id == payment_id).with_for_update())
        if original is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This payment no longer exists."))
        if original.kind == "reversal":
            raise UserError(QT_TRANSLATE_NOOP("messages", "A reversal cannot be reversed."))
        if original.reversed_by_id is not None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "Payment {receipt_no} is already reversed."), receipt_no=original.receipt_no)
        if settings.get(s, "payments.reverse_same_day_only") and to_local(original.created_at).date() != today:
            raise UserError(QT_TRANSLATE_NOOP("messages", "Only payments of today can be reversed (a company setting)."))
        shift = _open_shift(s, clerk)
        if shift is None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "Open your shift before reversing a payment."))
        account = s.scalar(select(Account).where(Account.id == original.account_id).with_for_update())
        allocations = s.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == original.id)).all()
        back_to_balance = sum(a.to_balance_fen for a in allocations)
        if account.balance_fen < back_to_balance:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "The prepaid balance from this payment has already been used; it cannot be reversed.")
            )
        year = today.year
        receipt_no = numbering.format_number(clerk.station_code, year, numbering.next_value(s, clerk.station_id, "receipt", year), "R")
        at = utcnow()
        reversal = Payment(
            receipt_no=receipt_no,
            idempotency_key=idempotency_key,
            kind="reversal",
            station_id=clerk.station_id,
            shift_id=shift.id,
            clerk_id=clerk.clerk_id,
            account_id=account.id,
            method=original.method,
            amount_fen=-original.amount_fen,
            reversal_of_id=original.id,
            approved_by=approver.clerk_id,
            reason=why[:500],
            created_at=at,
        )
        s.add(reversal)
        s.flush()
        for a in allocations:
            s.add(
                PaymentAllocation(
                    payment_id=reversal.id,
                    bill_id=a.bill_id,
                    late_fee_fen=-a.late_fee_fen,
                    principal_fen=-a.principal_fen,
                    to_balance_fen=-a.to_balance_fen,
                    quantity=-a.quantity,
                )
            )
            if a.bill_id:
                balance.settle_bill(s.get(Bill, a.bill_id), -a.late_fee_fen, -a.principal_fen)
        if back_to_balance:
            balance.move(s, account, "reversal", -back_to_balance, clerk, payment_id=reversal.id)
        _settle_again_at_centre(s, account, [a.bill_id for a in allocations if a.bill_id])
        summaries.add_payment(
            s,
            at=at,
            station_id=clerk.station_id,
            clerk_id=clerk.clerk_id,
            method=original.method,
            amount_fen=reversal.amount_fen,
            reversal=True,
            account=account,
            bill_principals=[
                (bill.period, -a.principal_fen)
                for a in allocations
                if a.bill_id
                for bill in [s.get(Bill, a.bill_id)]
                if bill.status != "void"
            ],
        )
        original.reversed_by_id = reversal.id
        reversal.balance_after_fen = account.balance_fen
        reversal.verification = verification_code(receipt_no, reversal.amount_fen, at, account.account_no)
        audit.record(
            s,
            clerk,
            "reverse",
            "payment",
            original.id,
            after={"reversal": receipt_no, "of": original.receipt_no, "approved_by": str(approver.clerk_id), "reason": why},
        )
        return Posted(reversal.id, receipt_no, reversal.amount_fen, 0, account.balance_fen, [])


def _settle_again_at_centre(s: Session, account: Account, bill_ids: list) -> None:
    """At the centre: a bill paid twice while apart, one of the payments now reversed, is settled
    again from the deposit its surplus went to (docs/SYNC.md; app.services.sync.surplus)."""
    from app.models import SyncIdentity

    if not bill_ids or s.scalar(select(SyncIdentity.role).where(SyncIdentity.id == 1)) != "centre":
        return
    from app.services.sync import surplus

    for bill in (s.get(Bill, bid) for bid in bill_ids):
        if bill.status != "void" and bill.paid_fen < bill.amount_fen:
            fen = surplus.settle_again(s, bill, bill.amount_fen - bill.paid_fen)
            if fen:
                balance.settle_bill(bill, 0, fen)
                account.balance_fen -= fen
                summaries.add_collected(s, account, utcnow(), [(bill.period, fen)])  # the new deduction, collected


@dataclass
class CloseResult:
    expected: dict[str, int]  # method -> fen (cash includes the float)
    counted: dict[str, int]
    difference: dict[str, int]


def close_shift(db: Database, actor: Actor, cash_pieces: dict[int, int], other_counted: dict[str, str], note: str = "") -> CloseResult:
    """Blind count: the count goes in first; the expected totals come back only with the result."""
    for denom, pieces in cash_pieces.items():
        if denom not in DENOMINATIONS_FEN or int(pieces) < 0:
            raise ValidationError.single(f"cash_{denom}", QT_TRANSLATE_NOOP("messages", "Enter a number of pieces, zero or more."))
    counted = {"cash": sum(d * int(n) for d, n in cash_pieces.items())}
    for method, text in other_counted.items():
        if method not in METHODS or method == "cash":
            raise ValidationError.single(method, QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
        counted[method] = to_fen(parse_amount(text, method, allow_zero=True))
    with db.write() as s:
        shift = _open_shift(s, actor)
        if shift is None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "You have no open shift."))
        totals = dict(
            s.execute(
                select(Payment.method, func.sum(Payment.amount_fen)).where(Payment.shift_id == shift.id).group_by(Payment.method)
            ).all()
        )
        expected = {m: int(totals.get(m, 0) or 0) for m in METHODS}
        expected["cash"] += shift.float_fen
        for m in METHODS:
            counted.setdefault(m, expected[m] if m != "cash" else 0)
        difference = {m: counted[m] - expected[m] for m in METHODS}
        shift.status = "closed"
        shift.closed_at = utcnow()
        shift.counted = json.dumps({"cash_pieces": {str(k): int(v) for k, v in cash_pieces.items()}, "totals": counted})
        shift.expected = json.dumps(expected)
        shift.difference_fen = difference["cash"]
        shift.note = (note or "").strip()[:1000]
        audit.record(s, actor, "close", "shift", shift.id, after={"expected": expected, "counted": counted, "difference": difference})
        return CloseResult(expected, counted, difference)


def sign_off(db: Database, supervisor: Actor, shift_id: uuid.UUID, note: str = "") -> None:
    """The supervisor accepts the closed shift; `note` says why a difference is accepted (kept with the
    sign-off, audited, printed on the shift and day reports)."""
    why = (note or "").strip()[:1000]
    if not supervisor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can sign off a shift."))
    with db.write() as s:
        shift = s.get(Shift, shift_id)
        if shift is None or shift.status != "closed":
            raise UserError(QT_TRANSLATE_NOOP("messages", "Only a closed shift can be signed off."))
        if shift.clerk_id == supervisor.clerk_id:
            raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "A supervisor's own shift is signed off by another supervisor."))
        shift.status = "signed_off"
        shift.signed_off_by = supervisor.clerk_id
        shift.signed_off_at = utcnow()
        shift.sign_off_note = why
        audit.record(s, supervisor, "sign_off", "shift", shift.id, after={"difference": shift.difference_fen, "note": why})


@lru_cache(maxsize=1)
def _receipt_head():
    """A payment with everything its receipt prints beside it (account, customer, hall, clerk, the
    reversed payment's number): one statement, built once."""
    from sqlalchemy.orm import aliased

    from app.models import Clerk, Customer, Station

    original = aliased(Payment)
    return (
        select(
            Payment.id,
            Payment.kind,
            Payment.account_id,
            Payment.receipt_no,
            Payment.created_at,
            Payment.amount_fen,
            Payment.method,
            Payment.tendered_fen,
            Payment.change_fen,
            Payment.balance_after_fen,
            Payment.verification,
            Payment.reference,
            Account.account_no,
            Account.service,
            Customer.name.label("customer_name"),
            Station.name.label("station_name"),
            Station.code.label("station_code"),
            Clerk.name.label("clerk_name"),
            Clerk.staff_no,
            original.receipt_no.label("original_no"),
        )
        .join(Account, Account.id == Payment.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .join(Station, Station.id == Payment.station_id)
        .join(Clerk, Clerk.id == Payment.clerk_id)
        .outerjoin(original, original.id == Payment.reversal_of_id)
        .where(Payment.id == bindparam("p_id"))
    )


@lru_cache(maxsize=1)
def _receipt_lines():
    """A payment's allocations with the period and readings of the bill each paid (none for the
    balance): one statement, built once."""
    return (
        select(
            PaymentAllocation.bill_id,
            PaymentAllocation.quantity,
            PaymentAllocation.late_fee_fen,
            PaymentAllocation.principal_fen,
            PaymentAllocation.to_balance_fen,
            Bill.period,
            Bill.readings,
        )
        .outerjoin(Bill, Bill.id == PaymentAllocation.bill_id)
        .where(PaymentAllocation.payment_id == bindparam("p_id"))
    )


def receipt_document(db: Database, payment_id: uuid.UUID, tr=None):
    """The plain data of a printed receipt (app.printing.payments.receipt.ReceiptDocument): three
    statements, read right after a payment while the clerk waits for the paper (docs/PAYMENTS.md)."""
    from app.kernel.masking import mask_name
    from app.printing.payments.receipt import PaidBill, ReceiptDocument

    with db.read() as s:
        p = s.execute(_receipt_head(), {"p_id": payment_id}).first()
        if p is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This payment no longer exists."))
        paid, to_balance = [], 0
        unit = "m3" if p.service == "water" else "kWh"
        for a in s.execute(_receipt_lines(), {"p_id": payment_id}):
            if a.bill_id is None:
                to_balance += a.to_balance_fen
                continue
            shown = json.loads(a.readings or "[]")
            text = "; ".join(
                f"{r['previous'].rstrip('0').rstrip('.')}→{r['current'].rstrip('0').rstrip('.')} ×{r['multiplier'].rstrip('0').rstrip('.')}"
                for r in shown
            )
            paid.append(PaidBill(a.period, text, a.quantity, unit, from_fen(a.late_fee_fen), from_fen(a.principal_fen)))
        paid.sort(key=lambda b: b.period)  # oldest first, as allocation pays them
        return ReceiptDocument(
            p.station_name,
            p.station_code,
            p.clerk_name,
            p.receipt_no,
            to_local(p.created_at),
            p.account_no,
            mask_name(p.customer_name),
            paid,
            from_fen(to_balance),
            from_fen(p.amount_fen),
            p.method,
            from_fen(p.tendered_fen),
            from_fen(p.change_fen),
            from_fen(p.balance_after_fen),
            p.verification,
            p.original_no or "",
            0,
            p.staff_no,
            p.reference or "",
            from_fen(_still_owed(s, p.kind, p.account_id, p.created_at)),
        )


@lru_cache(maxsize=1)
def _owed_after():
    """Per bill of an account issued by a moment and not void: its charge less the principal paid on
    it by then (payments, reversals) and deducted from the prepaid balance by then; one statement."""
    paid = (
        select(func.coalesce(func.sum(PaymentAllocation.principal_fen), 0))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.bill_id == Bill.id, Payment.created_at <= bindparam("o_at"))
        .scalar_subquery()
    )
    deducted = (
        select(func.coalesce(func.sum(BalanceEntry.principal_fen), 0))
        .where(BalanceEntry.bill_id == Bill.id, BalanceEntry.created_at <= bindparam("o_at"))
        .scalar_subquery()
    )
    return select(Bill.amount_fen - paid - deducted).where(
        Bill.account_id == bindparam("o_account"), Bill.status != "void", Bill.issued_at <= bindparam("o_at")
    )


def _still_owed(s, kind: str, account_id: uuid.UUID, at: datetime) -> int:
    """What the account's bills still lacked right after a payment (fen): the charges of its bills issued by
    then less everything paid on them by then (this and earlier payments and reversals, prepaid deductions).
    Late fees, which grow by the day, are not in it. A reprint says the same as the first paper."""
    if kind != "payment":
        return 0
    return sum(max(0, int(left)) for left in s.scalars(_owed_after(), {"o_account": account_id, "o_at": at}))


def day_report(db: Database, actor: Actor, day: date):
    """All shifts of the actor's station opened on `day` (station-local), with expected and counted totals.
    A supervisor's report: a clerk sees only their own shift (queries.shift_report)."""
    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can see the day report of all shifts."))
    from app.models import Clerk, Station
    from app.printing.payments.reports import DayReport, ShiftLine

    start = to_utc(datetime.combine(day, datetime.min.time()))
    with db.read() as s:
        station = s.get(Station, actor.station_id)
        shifts = s.scalars(
            select(Shift)
            .where(Shift.station_id == actor.station_id, Shift.opened_at >= start, Shift.opened_at < start + timedelta(days=1))
            .order_by(Shift.opened_at)
        ).all()
        lines = []
        for sh in shifts:
            clerk = s.get(Clerk, sh.clerk_id)
            signer = s.get(Clerk, sh.signed_off_by) if sh.signed_off_by else None
            counts = dict(s.execute(select(Payment.kind, func.count()).where(Payment.shift_id == sh.id).group_by(Payment.kind)).all())
            if sh.expected:
                expected = json.loads(sh.expected)
                counted = json.loads(sh.counted)["totals"]
            else:  # still open: what has been taken so far
                totals = dict(
                    s.execute(
                        select(Payment.method, func.sum(Payment.amount_fen)).where(Payment.shift_id == sh.id).group_by(Payment.method)
                    ).all()
                )
                expected = {m: int(totals.get(m, 0) or 0) for m in METHODS}
                expected["cash"] += sh.float_fen
                counted = {}
            lines.append(
                ShiftLine(
                    clerk.name,
                    to_local(sh.opened_at),
                    to_local(sh.closed_at) if sh.closed_at else None,
                    sh.status,
                    expected,
                    counted,
                    counts.get("payment", 0),
                    counts.get("reversal", 0),
                    sh.note,
                    signer.name if signer else "",
                    sign_off_note=sh.sign_off_note or "",
                )
            )
        return DayReport(station.name, day, lines)


def check_verification(db: Database, receipt_no: str, code: str) -> bool:
    """Is `code` the verification code printed on receipt `receipt_no`?"""
    with db.read() as s:
        p = s.scalar(select(Payment).where(Payment.receipt_no == receipt_no.strip().upper()))
        return p is not None and p.verification == code.strip().upper()
