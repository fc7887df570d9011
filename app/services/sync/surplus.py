"""A bill paid twice while apart, and one of the two payments reversed later (docs/SYNC.md, Two
stations paying the same bill while apart).

At the centre the part paid after the bill was settled went to the prepaid balance as a deposit
naming the bill (core._credit_surplus). When one of the two payments is reversed afterwards, its
allocation is taken back and the bill's sums fall below its amount although the other payment's
money still sits in that deposit. The centre then settles the bill again from it: a new `deduction`
entry naming the bill and the payment the deposit named (so the two entries pair up), never more
than that deposit still holds, what the bill lacks, or the balance. Nothing is edited; the
deduction reaches the account's station with the next answer like the deposit did. The
supervisors' case is closed as `reversed` when the whole deposit went back, and the centre's
audit chain records the settlement.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.kernel.ids import new_id
from app.models import BalanceEntry, Payment, PaymentAllocation, SyncConflict, SyncIdentity, utcnow
from app.services import audit


def settle_again(s: Session, bill, need_fen: int) -> int:
    """Settle `bill` (a row with id, account_id, bill_no) again from its double-payment deposit, up to
    `need_fen` of principal; returns the fen settled (0 when it has no such deposit left)."""
    if need_fen <= 0:
        return 0
    be = BalanceEntry
    deposited, deposit_payment = 0, None
    for payment_id, principal in s.execute(
        select(be.payment_id, be.principal_fen).where(be.bill_id == bill.id, be.kind == "deposit").order_by(be.created_at)
    ):
        deposited -= principal
        deposit_payment = payment_id
    if deposited <= 0:
        return 0
    # What went back from the deposits before: the deductions that name a payment (a deduction made
    # at issuing or at the counter names none).
    back = s.scalar(
        select(func.coalesce(func.sum(be.principal_fen), 0)).where(
            be.bill_id == bill.id, be.kind == "deduction", be.payment_id.is_not(None)
        )
    )
    balance = s.scalar(select(func.coalesce(func.sum(be.amount_fen), 0)).where(be.account_id == bill.account_id))
    fen = min(need_fen, deposited - int(back or 0), int(balance or 0))
    if fen <= 0:
        return 0
    s.execute(
        insert(be.__table__).values(
            id=new_id(),
            account_id=bill.account_id,
            kind="deduction",
            amount_fen=-fen,
            balance_after_fen=int(balance) - fen,
            bill_id=bill.id,
            payment_id=deposit_payment,
            late_fee_fen=0,
            principal_fen=fen,
            clerk_id=None,
            created_at=utcnow(),
        )
    )
    whole = deposited - int(back or 0) == fen
    cases = list(
        s.scalars(
            select(SyncConflict.no).where(
                SyncConflict.kind == "double_payment", SyncConflict.entity == "bills", SyncConflict.entity_id == str(bill.id)
            )
        )
    )
    if whole and cases:
        s.execute(
            update(SyncConflict)
            .where(SyncConflict.no.in_(cases), SyncConflict.status == "open")
            .values(status="resolved", resolution="reversed", resolved_at=utcnow())
        )
    reversals = list(
        s.scalars(
            select(Payment.receipt_no)
            .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
            .where(PaymentAllocation.bill_id == bill.id, Payment.kind == "reversal")
            .order_by(Payment.created_at)
        )
    )
    centre = s.scalar(select(SyncIdentity.station_id).where(SyncIdentity.id == 1))
    audit.record_many(
        s,
        None,
        [
            (
                "settle_again",
                "bill",
                bill.id,
                None,
                {
                    "bill_no": bill.bill_no,
                    "from_deposit_of": str(deposit_payment),
                    "fen": fen,
                    "reversals": reversals,
                    "case_closed": cases if whole else [],
                },
            )
        ],
        station_id=centre,
    )
    return fen
