"""A process killed while posting leaves each payment whole or absent: allocations add up, bills and
balances match their allocations, receipt numbers have no gaps, the audit chain verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date

from sqlalchemy import func, select

from app.models import Account, Bill, Payment, PaymentAllocation
from app.services import audit, auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting

POSTER = textwrap.dedent("""
    import sys, uuid, random
    from app.db.engine import Database
    from app.services import auth
    from app.services.payments import posting
    db = Database(sys.argv[1])
    actor = auth.get_actor(db, "zhangli")
    account_id = uuid.UUID(sys.argv[2])
    rng = random.Random()
    print("ready", flush=True)
    while True:
        posting.post_payment(db, actor, account_id, str(rng.randrange(1, 40)), "cash", uuid.uuid4().hex, "100")
""")


def test_killed_poster_leaves_whole_payments_or_none(sqlite_db, tmp_path):
    db = sqlite_db
    admin = auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    auth.create_clerk(db, admin, "zhangli", "张丽", "clerk123", "clerk", "1001")
    clerk = auth.get_actor(db, "zhangli")
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="0"))
    for i, period in enumerate(["2026-07", "2026-08", "2026-09", "2026-10"], start=1):
        readings.record_reading(db, clerk, mid, "total", period, str(i * 900), confirm_high=True)
        bills.issue_accounts(db, clerk, ["3301000001"], period, today=date(2026, 11, 1))
    posting.open_shift(db, clerk, "0")
    for kill_after in (0.6, 1.1, 1.7):
        with subprocess.Popen(
            [sys.executable, "-c", POSTER, db.url, str(aid)], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
        ) as proc:  # the with closes its pipe
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(kill_after)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    with db.read() as s:
        payments = s.scalars(select(Payment)).all()
        assert len(payments) > 3
        for p in payments:
            total = s.scalar(
                select(func.sum(PaymentAllocation.late_fee_fen + PaymentAllocation.principal_fen + PaymentAllocation.to_balance_fen)).where(
                    PaymentAllocation.payment_id == p.id
                )
            )
            assert total == p.amount_fen, p.receipt_no
        for b in s.scalars(select(Bill)):
            paid = s.scalar(select(func.coalesce(func.sum(PaymentAllocation.principal_fen), 0)).where(PaymentAllocation.bill_id == b.id))
            fees = s.scalar(select(func.coalesce(func.sum(PaymentAllocation.late_fee_fen), 0)).where(PaymentAllocation.bill_id == b.id))
            assert (b.paid_fen, b.late_fee_paid_fen) == (paid, fees)
        balance = s.scalar(select(func.coalesce(func.sum(PaymentAllocation.to_balance_fen), 0)))
        assert s.get(Account, aid).balance_fen == balance
        numbers = sorted(int(p.receipt_no.rsplit("-", 1)[1]) for p in payments)
        assert numbers == list(range(1, len(numbers) + 1))
        assert audit.verify(s).ok
