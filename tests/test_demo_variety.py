"""The small demo store (the one --demo fills) shows every state a newcomer should meet: overdue bills with
late fees, prepaid balances and bills settled from them, a meter that rolled over, this month's readings
half entered, payments of every kind, a shift waiting for sign-off, a signed one with the supervisor's note,
an open shift on the day report and a receipt left unprinted; and the audit chain stays intact."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.kernel.localtime import local_today
from app.models import Account, BalanceEntry, Bill, Payment, Reading
from app.services import auth, demo
from app.services.billing import bills, readings
from app.services.payments import posting, queries


def test_the_demo_store_has_data_for_every_screen_and_warning(sqlite_db):
    db = sqlite_db
    assert demo.ensure_demo_store(db, customers=400, seed=3)
    clerk = auth.get_actor(db, "zhangli")
    today = local_today()
    with db.read() as s:
        overdue = s.scalars(select(Bill.account_id).where(Bill.status == "unpaid", Bill.due_date < today)).all()
        prepaid = s.scalar(select(func.count()).select_from(Account).where(Account.balance_fen > 0))
        kinds = dict(s.execute(select(BalanceEntry.kind, func.count()).group_by(BalanceEntry.kind)).all())
        rolled = s.scalar(select(func.count()).select_from(Reading).where(Reading.rolled_over))
        rules = s.scalar(select(func.count()).select_from(Account).where((Account.free_quota > 0) | (Account.tier_bound_extra > 0)))
        methods = set(s.scalars(select(Payment.method)))
        kinds_paid = set(s.scalars(select(Payment.kind)))
        partly = s.scalar(select(func.count()).select_from(Bill).where(Bill.status == "partly_paid"))
        route = s.scalar(
            select(Account.reading_route)
            .where(Account.service == "electricity", Account.reading_route != "")
            .order_by(Account.reading_route)
            .limit(1)
        )
    # arrears with late fees (the customer screen's red warning)
    assert len(overdue) >= 10
    assert any(item.late_fee_fen > 0 for item in bills.account_arrears(db, overdue[0]))
    # prepaid balances brought in, bills settled from them, one deposit from an overpayment
    assert prepaid >= 20 and kinds.get("opening", 0) >= 20 and kinds.get("deduction", 0) >= 20 and kinds.get("deposit", 0) >= 1
    assert rolled >= 1 and rules >= 6 and partly >= 1
    # this month's readings: the first route is part done, so the readings screen shows both kinds of rows
    rows = readings.list_route(db, route, f"{today:%Y-%m}")
    entered = sum(1 for r in rows if r.current is not None)
    assert 0 < entered < len(rows)
    # payments of every method, a reversal; one receipt waits unprinted
    assert methods == {"cash", "card", "qr", "transfer"} and kinds_paid == {"payment", "reversal"}
    assert len(queries.unprinted(db, clerk)) == 1
    # shifts: one waits for sign-off, one was signed off with a note, the clerk's shift of today is open
    supervisor = auth.get_actor(db, "wangqiang")
    waiting = queries.shifts_for_review(db, supervisor)
    assert [(w.clerk_name, w.status) for w in waiting] == [("张丽", "closed")] and waiting[0].difference["cash"] == -50
    signed = [r for r in queries.shifts_for_review(db, supervisor, signed_within_days=1) if r.status == "signed_off"]
    assert signed and signed[0].sign_off_note
    day = posting.day_report(db, supervisor, today)
    assert sorted(s.status for s in day.shifts) == ["closed", "open", "signed_off"]
    assert posting.current_shift(db, clerk) is not None
    assert Decimal(0) < sum(c for _, c in day.closed_totals.values())
    from app.services import audit

    with db.read() as s:
        assert audit.verify(s).ok  # everything went through the services: the chain is whole
