"""Demo readings and bills, so a demo store's bill panels and arrears are not empty (never on a real store).

The small demo store (the one `--demo` fills) shows every state a clerk meets: paid and unpaid bills,
overdue ones with late fees (arrears), prepaid balances and bills settled from them, larger households
and low-income free quotas, a meter that rolled over, and this month's readings half entered on one
route. The extras cost one extra billing batch of a few hundred accounts and a few dozen readings.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import bindparam, insert, select, update

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.ids import new_id
from app.kernel.localtime import local_today
from app.models import Account, BalanceEntry, Meter, Reading, ReadingSummary
from app.services.billing.readings import AVERAGE_PERIODS
from app.services.reports import summaries

ARREARS_SHARE = 0.06  # accounts that did not pay last-but-one month's bill: overdue, with late fees
PREPAID_SHARE = 0.15  # accounts with a prepaid balance brought in: their bills are settled from it


def previous_periods(today: date, n: int) -> list[str]:
    """The n complete months before today's month, oldest first."""
    out = []
    y, m = today.year, today.month
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(f"{y:04d}-{m:02d}")
    return out[::-1]


def bulk_readings(db: Database, periods: list[str], rng: random.Random) -> int:
    """Chained readings (each period starts where the last ended) for every meter register, bulk-inserted."""
    with db.read() as s:
        meters = s.execute(
            select(Meter.id, Meter.registers, Meter.multiplier, Meter.initial_reading, Meter.digits)
            .join(Account, Account.id == Meter.account_id)
            .where(Account.status != "closed")
        ).all()
    rows = []
    for mid, regs, mult, initial, digits in meters:
        for reg in regs.split(","):
            value = int(initial)
            base = rng.randrange(60, 450) if reg in ("total", "peak", "flat") else rng.randrange(20, 220)
            earlier: list[int] = []  # usages before, in thousandths: the reading's `usual` as record_reading keeps it
            for period in periods:
                raw = max(0, int(base * rng.uniform(0.7, 1.3)))
                top = 10**digits
                current = (value + raw) % top
                rolled = value + raw >= top
                usage = int(raw * mult * 1000)
                last = earlier[-AVERAGE_PERIODS:]
                usual = int((Decimal(sum(last)) / len(last)).to_integral_value(ROUND_HALF_UP)) if last else None
                rows.append(
                    (
                        new_id(),
                        mid,
                        reg,
                        period,
                        date(int(period[:4]), int(period[5:]), 25),
                        value * 1000,
                        current * 1000,
                        rolled,
                        usage,
                        usual,
                        "read",
                        None,
                        local_today(),
                    )
                )
                earlier.append(usage)
                value = current
    cols = "id, meter_id, register, period, read_on, previous_reading, current_reading, rolled_over, usage, usual, source, clerk_id, created_at"
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(
                f"INSERT INTO readings ({cols}) VALUES ({', '.join('?' * 13)})", [(r[0].hex, r[1].hex, *r[2:]) for r in rows]
            )
        else:
            with conn.connection.dbapi_connection.cursor() as cur, cur.copy(f"COPY readings ({cols}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
        summaries.rebuild(conn, (ReadingSummary,))
    return len(rows)


def fill(db: Database, rng: random.Random, actor: Actor) -> None:
    """Three months of readings; the last month's bills issued a few days ago (settled from prepaid
    balances where there are some) and, for the accounts in arrears, the month before's, overdue; this
    month's readings entered for the first half of one route."""
    from app.services.billing import bills, tariffs

    tariffs.ensure_default_tariffs(db, actor)
    today = local_today()
    periods = previous_periods(today, 3)
    with db.read() as s:
        accounts = s.execute(
            select(Account.id, Account.account_no, Account.service).where(Account.status != "closed").order_by(Account.account_no)
        ).all()
    nos = [no for _, no, _ in accounts]
    picked = list(accounts)
    rng.shuffle(picked)
    in_arrears = picked[: max(2, int(len(picked) * ARREARS_SHARE))]
    prepaid = picked[len(in_arrears) : len(in_arrears) + max(2, int(len(picked) * PREPAID_SHARE))]
    household_rules(db, rng, [aid for aid, _, service in picked[-40:] if service == "electricity"])
    meters_near_the_top(db, [aid for aid, _, _ in picked[len(in_arrears) + len(prepaid) :][:3]])
    bulk_readings(db, periods, rng)
    opening_balances(db, actor, rng, [aid for aid, _, _ in prepaid])
    # the month before last, for the accounts in arrears only: issued 40 days ago, due 25 days ago, unpaid
    # The window fills the demo store in its own process (which has threads): worker processes, for
    # a store large enough to want them, start from a clean process (issuing.py).
    bills.issue_accounts(
        db, actor, sorted(no for _, no, _ in in_arrears), periods[-2], today=today - timedelta(days=40), mp_context="forkserver"
    )
    bills.issue_accounts(db, actor, nos, periods[-1], today=today - timedelta(days=5), mp_context="forkserver")
    this_months_readings(db, rng, actor, f"{today:%Y-%m}", periods[-1])


def household_rules(db: Database, rng: random.Random, account_ids: list[uuid.UUID]) -> None:
    """A few larger households (tier bounds raised) and low-income households (a free quota)."""
    with db.write() as s:
        for i, aid in enumerate(account_ids[:12]):
            if i % 2:
                s.execute(
                    update(Account).where(Account.id == aid).values(tier_bound_extra=Decimal(rng.choice((100, 150))), household_size=6)
                )
            else:
                s.execute(update(Account).where(Account.id == aid).values(free_quota=Decimal(10)))


def meters_near_the_top(db: Database, account_ids: list[uuid.UUID]) -> None:
    """Meters installed just below the top of their dial, so their readings roll over in the demo months."""
    with db.write() as s:
        for meter_id, digits in s.execute(select(Meter.id, Meter.digits).where(Meter.account_id.in_(account_ids))).all():
            s.execute(update(Meter).where(Meter.id == meter_id).values(initial_reading=Decimal(10**digits - 120)))


def opening_balances(db: Database, actor: Actor, rng: random.Random, account_ids: list[uuid.UUID]) -> None:
    """Prepaid balances brought in (the ledger's "opening" entries), some enough for several bills, some for
    part of one; issuing then settles bills from them as it does on a real store."""
    from app.services import audit

    amounts = [(aid, rng.choice((5000, 10000, 20000, 30000, 50000, 80000))) for aid in account_ids]
    total = sum(fen for _, fen in amounts)
    with db.write() as s:  # new demo accounts: their balance is 0 until now
        t = Account.__table__
        s.execute(
            t.update().where(t.c.id == bindparam("aid")).values(balance_fen=bindparam("fen"), version=t.c.version + 1),
            [{"aid": aid, "fen": fen} for aid, fen in amounts],
        )
        s.execute(
            insert(BalanceEntry),
            [
                {
                    "id": new_id(),
                    "account_id": aid,
                    "kind": "opening",
                    "amount_fen": fen,
                    "balance_after_fen": fen,
                    "late_fee_fen": 0,
                    "principal_fen": 0,
                    "quantity": Decimal(0),
                    "clerk_id": actor.clerk_id,
                }
                for aid, fen in amounts
            ],
        )
        audit.record(s, actor, "demo_opening_balances", "station", actor.station_id, after={"accounts": len(account_ids), "fen": total})


def this_months_readings(db: Database, rng: random.Random, actor: Actor, period: str, last: str) -> int:
    """The current month's readings for the first meters of the first electricity route (half of it at most,
    30 at most), through the service
    (the readings screen shows the route half done; these accounts can be billed for this month)."""
    from app.services.billing import readings

    with db.read() as s:
        route = s.scalar(
            select(Account.reading_route)
            .where(Account.service == "electricity", Account.reading_route != "")
            .order_by(Account.reading_route)
            .limit(1)
        )
        rows = s.execute(
            select(Reading.meter_id, Reading.register, Reading.current_reading, Reading.usage, Meter.digits)
            .join(Meter, Meter.id == Reading.meter_id)
            .join(Account, Account.id == Meter.account_id)
            .where(Account.reading_route == route, Reading.period == last)
            .order_by(Account.route_order, Account.account_no, Meter.meter_no, Reading.register)
        ).all()
    done = 0
    for meter_id, register, current, usage, digits in rows[: min(len(rows) // 2, 30)]:
        value = (int(current) + max(1, int(usage * Decimal(rng.uniform(0.8, 1.2))))) % 10**digits
        readings.record_reading(
            db, actor, meter_id, register, period, str(value), read_on=local_today(), rolled_over=value < current, confirm_high=True
        )
        done += 1
    return done
