"""Demo readings and bills, so a demo store's bill panels and arrears are not empty (never on a real store)."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from app.db.engine import Database
from app.models import Account, Meter
from app.kernel.context import Actor
from app.kernel.localtime import local_today


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
        meters = s.execute(select(Meter.id, Meter.registers, Meter.multiplier, Meter.initial_reading, Meter.digits)
                           .join(Account, Account.id == Meter.account_id).where(Account.status != "closed")).all()
    rows = []
    for mid, regs, mult, initial, digits in meters:
        for reg in regs.split(","):
            value = int(initial)
            base = rng.randrange(60, 450) if reg in ("total", "peak", "flat") else rng.randrange(20, 220)
            for period in periods:
                raw = max(0, int(base * rng.uniform(0.7, 1.3)))
                top = 10 ** digits
                current = (value + raw) % top
                rolled = value + raw >= top
                rows.append((uuid.uuid4(), mid, reg, period, date(int(period[:4]), int(period[5:]), 25), value * 1000, current * 1000,
                             rolled, int(raw * mult * 1000), "read", None, local_today()))
                value = current
    cols = "id, meter_id, register, period, read_on, previous_reading, current_reading, rolled_over, usage, source, clerk_id, created_at"
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(f"INSERT INTO readings ({cols}) VALUES ({', '.join('?' * 12)})",
                                 [(r[0].hex, r[1].hex, *r[2:]) for r in rows])
        else:
            with conn.connection.dbapi_connection.cursor() as cur, cur.copy(f"COPY readings ({cols}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
    return len(rows)


def fill(db: Database, rng: random.Random, actor: Actor) -> None:
    """Three months of readings and the last month's bills, issued a few days ago."""
    from app.services.billing import bills, tariffs

    tariffs.ensure_default_tariffs(db, actor)
    today = local_today()
    periods = previous_periods(today, 3)
    bulk_readings(db, periods, rng)
    with db.read() as s:
        nos = list(s.scalars(select(Account.account_no).where(Account.status != "closed").order_by(Account.account_no)))
    bills.issue_accounts(db, actor, nos, periods[-1], today=today - timedelta(days=5))
