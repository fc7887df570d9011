"""The prepaid balance (预存) of an account as a ledger: every movement is an entry.

Money goes in when a payment is larger than what is owed (deposit) and comes out when a bill
is settled from it (deduction). A deduction names the bill and the kWh or m3 its charges paid
for, so the customer sees what the money bought, never money alone (docs/DOMAIN.md). Reversing a
payment takes its deposit back out (reversal); voiding a bill that was settled from the
balance gives the deduction back (refund). Entries are never edited; the entries of an account
add up to Account.balance_fen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from app.db.bulk import insert_rows, pooled_id
from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.localtime import to_local
from app.kernel.money import from_fen
from app.models import Account, BalanceEntry, Bill, Payment, utcnow
from app.services import audit
from app.services.payments.allocation import allocate

KINDS = ("opening", "deposit", "deduction", "reversal", "refund")


def bill_status(amount_fen: int, paid_fen: int, late_fee_paid_fen: int) -> str:
    """A bill's payment state from what has been paid on it."""
    if paid_fen <= 0 and late_fee_paid_fen <= 0:
        return "unpaid"
    return "paid" if paid_fen >= amount_fen else "partly_paid"


def settle_bill(bill: Bill, late_fee_fen: int, principal_fen: int) -> None:
    """Add money paid to a bill (negative to take it back) and set its payment state."""
    bill.paid_fen += principal_fen
    bill.late_fee_paid_fen += late_fee_fen
    bill.status = bill_status(bill.amount_fen, bill.paid_fen, bill.late_fee_paid_fen)


def move(
    session: Session,
    account: Account,
    kind: str,
    amount_fen: int,
    actor: Actor | None = None,
    *,
    bill_id: uuid.UUID | None = None,
    payment_id: uuid.UUID | None = None,
    late_fee_fen: int = 0,
    principal_fen: int = 0,
    quantity: Decimal = Decimal(0),
) -> BalanceEntry:
    """Change the balance by `amount_fen` and write the entry; the caller holds the account row."""
    if kind not in KINDS:
        raise ValueError(f"unknown balance movement {kind!r}")
    if account.balance_fen + amount_fen < 0:
        raise ValueError("a prepaid balance never goes below zero")
    account.balance_fen += amount_fen
    entry = BalanceEntry(
        account_id=account.id,
        kind=kind,
        amount_fen=amount_fen,
        balance_after_fen=account.balance_fen,
        bill_id=bill_id,
        payment_id=payment_id,
        late_fee_fen=late_fee_fen,
        principal_fen=principal_fen,
        quantity=quantity,
        clerk_id=actor.clerk_id if actor else None,
    )
    session.add(entry)
    return entry


@lru_cache(maxsize=1)
def _bulk_statements():
    """The batch's bill and balance updates, built once (executemany with bind parameters); they move
    the rows' version like the ORM does, so an edit started before still sees the change."""
    bills, accounts = Bill.__table__, Account.__table__
    pay_bill = (
        update(bills)
        .where(bills.c.id == bindparam("b_id"))
        .values(
            paid_fen=bindparam("b_paid"), late_fee_paid_fen=bindparam("b_fee"), status=bindparam("b_status"), version=bills.c.version + 1
        )
    )
    set_balance = (
        update(accounts)
        .where(accounts.c.id == bindparam("a_id"))
        .values(balance_fen=bindparam("a_balance"), version=accounts.c.version + 1)
    )
    return pay_bill, set_balance


@dataclass
class Settlement:
    """What settling accounts from their balances writes (plan_settlement), before it is written:
    the bills' new payment state (b_id, b_paid, b_fee, b_status), the accounts' new balances (a_id,
    a_balance), the ledger's deduction entries and one audit item per account."""

    bill_rows: list
    account_rows: list
    entries: list
    items: list


def plan_settlement(actor: Actor | None, owings: list[tuple[Account, object]], collected: list | None = None) -> Settlement:
    """settle_from_balance's allocation, writing nothing (each account pays what it owes, oldest first,
    late fee before charges, as far as its balance goes). With `collected`, appends (service, route,
    usage category, bill period, charges fen, when) of every deduction that paid charges."""
    bill_rows, account_rows, entries, items = [], [], [], []
    now, clerk_id = utcnow(), actor.clerk_id if actor else None
    for account, owing in owings:
        if account.balance_fen <= 0 or not owing.items:
            continue
        left, paid = account.balance_fen, []
        for a in allocate(account.balance_fen, owing.items):
            if a.bill_id is None:  # what is left over simply stays in the balance
                continue
            bill = owing.bills[a.bill_id]
            principal, fee = bill.paid_fen + a.principal_fen, bill.late_fee_paid_fen + a.late_fee_fen
            bill_rows.append({"b_id": bill.id, "b_paid": principal, "b_fee": fee, "b_status": bill_status(bill.amount_fen, principal, fee)})
            left -= a.late_fee_fen + a.principal_fen
            entries.append(
                dict(
                    id=pooled_id(),
                    account_id=account.id,
                    kind="deduction",
                    amount_fen=-(a.late_fee_fen + a.principal_fen),
                    balance_after_fen=left,
                    bill_id=bill.id,
                    payment_id=None,
                    late_fee_fen=a.late_fee_fen,
                    principal_fen=a.principal_fen,
                    quantity=a.quantity,
                    clerk_id=clerk_id,
                    created_at=now,
                )
            )
            if collected is not None and a.principal_fen:
                collected.append((account.service, account.reading_route, account.usage_category, bill.period, a.principal_fen, now))
            paid.append(
                {"bill_id": bill.id, "late_fee": from_fen(a.late_fee_fen), "charges": from_fen(a.principal_fen), "quantity": a.quantity}
            )
        if paid:
            account_rows.append({"a_id": account.id, "a_balance": left})
            items.append(
                (
                    "deduct",
                    "account",
                    account.id,
                    None,
                    {"account_no": account.account_no, "balance_after": from_fen(left), "deductions": paid},
                )
            )
    return Settlement(bill_rows, account_rows, entries, items)


# The updates settling makes on SQLite with the driver (a UUID stored as its hex), when there is
# nothing to note for a sync outbox.
PAY_BILL_SQLITE = "UPDATE bills SET paid_fen = ?, late_fee_paid_fen = ?, status = ?, version = version + 1 WHERE id = ?"
SET_BALANCE_SQLITE = "UPDATE accounts SET balance_fen = ?, version = version + 1 WHERE id = ?"


def settle_from_balance(session: Session, actor: Actor, owings: list[tuple[Account, object]], collected: list | None = None) -> int:
    """Each account pays what it owes (app.services.billing.bills.Owing: oldest first, late fee before
    charges) out of its balance as far as it goes; the caller holds the accounts' rows. For issuing,
    where many accounts settle at once: the bills, balances and ledger entries are written in bulk
    and one audit entry per account goes in under one lock of the audit head. Returns the number of
    deductions. With `collected`, appends (service, route, usage category, bill period, charges fen,
    when) of every deduction that paid charges, for the report summaries' deltas."""
    plan = plan_settlement(actor, owings, collected)
    if not plan.items:
        return 0
    sync = session.info.get("sync")
    if session.get_bind().dialect.name == "sqlite" and (sync is None or sync.get("suspended")):
        # Nothing to note for the outbox: the same updates with the driver.
        session.flush()
        conn = session.connection()
        conn.exec_driver_sql(PAY_BILL_SQLITE, [(r["b_paid"], r["b_fee"], r["b_status"], r["b_id"].hex) for r in plan.bill_rows])
        conn.exec_driver_sql(SET_BALANCE_SQLITE, [(r["a_balance"], r["a_id"].hex) for r in plan.account_rows])
    else:  # core statements: a store that syncs notes the updated rows for its outbox (app.db.outbox)
        pay_bill, set_balance = _bulk_statements()
        session.execute(pay_bill, plan.bill_rows)
        session.execute(set_balance, plan.account_rows)
    insert_rows(session, BalanceEntry.__table__, plan.entries)  # stored form, one executemany (app.db.bulk)
    for account, owing in owings:  # the loaded objects no longer say what the database does (plain rows need nothing)
        for obj in (account, *owing.bills.values()):
            if isinstance(obj, (Account, Bill)):
                session.expire(obj)
    audit.record_many(session, actor, plan.items)
    return len(plan.entries)


def deducted_for_bills(session: Session, bill_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int, Decimal]]:
    """Per bill: (late fee fen, charges fen, quantity) paid from the balance now (refunds netted); one query."""
    if not bill_ids:
        return {}
    rows = session.execute(
        select(
            BalanceEntry.bill_id, func.sum(BalanceEntry.late_fee_fen), func.sum(BalanceEntry.principal_fen), func.sum(BalanceEntry.quantity)
        )
        .where(BalanceEntry.bill_id.in_(bill_ids), BalanceEntry.kind.in_(("deduction", "refund")))
        .group_by(BalanceEntry.bill_id)
    )
    return {bid: (int(fee), int(principal), qty if isinstance(qty, Decimal) else Decimal(qty)) for bid, fee, principal, qty in rows}


def deducted_from_balance(session: Session, bill_id: uuid.UUID) -> tuple[int, int, Decimal]:
    """(late fee fen, charges fen, quantity) of one bill paid from the balance now (refunds netted)."""
    return deducted_for_bills(session, [bill_id]).get(bill_id, (0, 0, Decimal(0)))


def refund_deductions(session: Session, actor: Actor, account: Account, bill: Bill) -> int:
    """Give back to the balance what was deducted for `bill` (it is being voided); returns the fen."""
    fee, principal, qty = deducted_from_balance(session, bill.id)
    if fee + principal <= 0:
        return 0
    settle_bill(bill, -fee, -principal)
    # A refund carries the negated parts of the deductions, so summing both kinds nets to zero.
    move(session, account, "refund", fee + principal, actor, bill_id=bill.id, late_fee_fen=-fee, principal_fen=-principal, quantity=-qty)
    return fee + principal


@dataclass
class LedgerRow:
    at: datetime  # station-local
    account_no: str
    kind: str
    amount_fen: int
    balance_after_fen: int
    quantity: Decimal
    unit: str
    period: str  # of the bill a deduction or refund is for
    reference: str  # bill number or receipt number


def ledger(db: Database, customer_id: uuid.UUID, limit: int = 30) -> list[LedgerRow]:
    """The latest balance movements of all the customer's accounts, newest first."""
    with db.read() as s:
        rows = s.execute(
            select(BalanceEntry, Account.account_no, Account.service, Bill.period, Bill.bill_no, Payment.receipt_no)
            .join(Account, Account.id == BalanceEntry.account_id)
            .outerjoin(Bill, Bill.id == BalanceEntry.bill_id)
            .outerjoin(Payment, Payment.id == BalanceEntry.payment_id)
            .where(Account.customer_id == customer_id)
            .order_by(BalanceEntry.created_at.desc())
            .limit(limit)
        ).all()
        return [
            LedgerRow(
                to_local(e.created_at),
                account_no,
                e.kind,
                e.amount_fen,
                e.balance_after_fen,
                e.quantity,
                "m3" if service == "water" else "kWh",
                period or "",
                bill_no or receipt_no or "",
            )
            for e, account_no, service, period, bill_no, receipt_no in rows
        ]
