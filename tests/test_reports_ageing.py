"""Arrears ageing without its account list: the route table priced with integer factors per due date
(LateFeePricer) must charge exactly what `late_fee_fen` and `late_fee` charge, and the list made on
demand must agree with the table."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from app.services import reports
from app.services.billing.late_fee import LateFeeRates, category_of, late_days, late_fee, late_fee_fen
from app.services.reports import LazyTable
from app.services.reports.finance import LateFeePricer, bucket_of, owed_accounts
from tests.test_reports import build_store

RATES = [
    LateFeeRates(),
    LateFeeRates(Decimal("0.0005"), Decimal("0.0015"), Decimal("0.0025"), Decimal("0.50")),
    LateFeeRates(Decimal("0.001"), Decimal("0.002"), Decimal("0.003"), Decimal("2.00"), enabled=False),
]


def test_pricer_charges_what_late_fee_charges():
    rng = random.Random(20261130)
    for rates in RATES:
        for as_of in (date(2026, 11, 20), date(2027, 1, 3), date(2028, 3, 1)):
            pricer = LateFeePricer(as_of, {"electricity": rates, "water": rates})
            for _ in range(4000):
                category = rng.choice(("residential", "commercial", "industrial", "agriculture"))
                service = rng.choice(("electricity", "water"))
                due = as_of - timedelta(days=rng.randrange(-40, 900))
                outstanding = rng.choice((1, 5, 99, 100, 101, rng.randrange(1, 10_000_000)))
                paid = rng.choice((0, 0, 0, 50, 100, rng.randrange(0, 20_000)))
                waived = rng.random() < 0.1
                table = pricer.table(service, category)
                f = table.get(due.isoformat()) or pricer.factors(table, service, category_of(category), due.isoformat())
                assert f[0] == due and f[1] == bucket_of((as_of - due).days)
                expected = 0
                if due < as_of and not waived:
                    full = late_fee_fen(outstanding, due, as_of, category_of(category), rates)
                    assert full == int(late_fee(Decimal(outstanding) / 100, due, as_of, category_of(category), rates) * 100)
                    expected = max(0, full - paid)
                assert pricer.fee(f, outstanding, paid, waived) == expected, (rates, as_of, category, due, outstanding, paid, waived)


def test_ageing_list_is_made_only_when_read_and_agrees_with_the_table(db, clerk, supervisor):
    build_store(db, clerk, supervisor)  # the hand-built store of the report tests
    filters = reports.Filters(date(2026, 11, 1), date(2026, 11, 20))
    r = reports.run(db, supervisor, "ageing", filters)
    listing = r.details["accounts"]
    assert isinstance(listing, LazyTable) and not listing.loaded
    assert r.totals["principal"] == 6140 + 2690 + 29590
    assert not listing.loaded  # the route table, its totals and the chart do not need the list
    rows = listing.rows
    assert listing.loaded and len(rows) == r.totals["accounts"] == 2
    assert listing.totals["principal"] == r.totals["principal"] and listing.totals["late_fee"] == r.totals["late_fee"]
    assert sum(a["principal"] for a in rows) == r.totals["principal"]
    for route in {a["route"] for a in rows}:
        row = next(x for x in r.rows if x["route"] == route)
        mine = [a for a in rows if a["route"] == route]
        assert row["accounts"] == len(mine) and row["late_fee"] == sum(a["late_fee"] for a in mine)
    assert owed_accounts(db, filters) == rows
    assert r.as_json()["accounts"][0]["account_no"] == rows[0]["account_no"]


def test_postgresql_prices_every_bill_as_late_fee_fen_does(pg_db):
    """The route table summed by PostgreSQL (`late_days_sql`, `late_fee_sql`) over random bills."""
    from sqlalchemy import BigInteger, Boolean, Date, column, select, values

    from app.services.reports.finance import late_days_sql, late_fee_sql

    rng = random.Random(7)
    for rates in RATES:
        for as_of in (date(2026, 11, 20), date(2027, 1, 3), date(2028, 3, 1)):
            bills = [
                (
                    as_of - timedelta(days=rng.randrange(-40, 900)),
                    rng.choice((1, 5, 99, 100, 101, rng.randrange(1, 10_000_000))),
                    rng.choice((0, 0, 50, 100, rng.randrange(0, 20_000))),
                    rng.random() < 0.1,
                )
                for _ in range(1500)
            ]
            v = values(column("due", Date), column("o", BigInteger), column("paid", BigInteger), column("waived", Boolean), name="v").data(
                bills
            )
            same, later = late_days_sql(v.c.due, as_of)
            stmt = select(
                late_fee_sql(v.c.o, same, later, v.c.paid, v.c.waived, rates, "residential"),
                late_fee_sql(v.c.o, same, later, v.c.paid, v.c.waived, rates, "other"),
            )
            with pg_db.read() as s:
                got = s.execute(stmt).all()
            for (due, o, paid, waived), (residential, other) in zip(bills, got):
                for kind, fee in (("residential", residential), ("other", other)):
                    expected = 0 if waived or due >= as_of else max(0, late_fee_fen(o, due, as_of, kind, rates) - paid)
                    assert int(fee) == expected, (rates, as_of, kind, due, o, paid, waived)


def test_sqlite_prices_every_bill_as_late_fee_fen_does(sqlite_db):
    """The late fee SQLite sums (`sqlite_fee_sql` in the CASE over the due dates, `_due_tree`) over random
    bills: each bill's fee equals `late_fee_fen` less what was paid, whatever the number of due dates."""
    from sqlalchemy import text

    from app.services.reports.finance import _due_tree, sqlite_fee_sql

    rng = random.Random(11)
    for rates in RATES[:2]:
        for as_of in (date(2026, 11, 20), date(2027, 1, 3), date(2028, 3, 1)):
            bills = [
                (
                    as_of - timedelta(days=rng.randrange(1, 900)),
                    rng.choice((1, 5, 99, 100, 101, rng.randrange(1, 10_000_000))),
                    rng.choice((0, 0, 50, 100, rng.randrange(0, 20_000))),
                    int(rng.random() < 0.1),
                )
                for _ in range(1500)
            ]
            past = sorted({due.isoformat() for due, *_ in bills})
            params = {f"d{i}": due for i, due in enumerate(past)}
            scale, residential, current, previous, _ = finance_scaled(rates)
            factors = []
            for due in past:
                same, later = late_days(date.fromisoformat(due), as_of)
                factors.append((residential * (same + later), current * same + previous * later))
            columns = [_due_tree(past, lambda i, k=k: sqlite_fee_sql("b.o", "b.paid", "b.waived", factors[i][k], rates)) for k in (0, 1)]
            rows = ", ".join(f"('{due.isoformat()}', {o}, {paid}, {waived})" for due, o, paid, waived in bills)
            sql = f"WITH b(due_date, o, paid, waived) AS (VALUES {rows}) SELECT {columns[0]}, {columns[1]} FROM b"
            with sqlite_db.read() as s:
                got = s.execute(text(sql), params).all()
            for (due, o, paid, waived), fees in zip(bills, got):
                for kind, fee in zip(("residential", "other"), fees):
                    expected = 0 if waived else max(0, late_fee_fen(o, due, as_of, kind, rates) - paid)
                    assert fee == expected, (rates, as_of, kind, due, o, paid, waived)


def finance_scaled(rates):
    from app.services.billing.late_fee import _scaled

    return _scaled(rates)


def test_ageing_summed_in_sql_equals_ageing_summed_here(db, clerk, supervisor):
    from app.models import Station
    from app.services import settings
    from app.services.reports import finance

    build_store(db, clerk, supervisor)
    with db.read() as s:
        station = s.query(Station.code).first()[0]
    for end in (date(2026, 11, 20), date(2027, 3, 1)):
        filters = reports.Filters(date(2026, 11, 1), end)
        a, b = finance.ageing(db, filters), finance.ageing(db, filters, in_sql=False)
        assert a.rows == b.rows and a.totals == b.totals and a.totals["late_fee"] > 0
        listing = a.details["accounts"]
        assert listing.totals["principal"] == a.totals["principal"] and listing.totals["late_fee"] == a.totals["late_fee"]
        for scoped in (
            reports.Filters(date(2026, 11, 1), end, route="R02"),
            reports.Filters(date(2026, 11, 1), end, service="electricity"),
            reports.Filters(date(2026, 11, 1), end, service="water"),
            reports.Filters(date(2026, 11, 1), end, station=station),
        ):
            a, b = finance.ageing(db, scoped), finance.ageing(db, scoped, in_sql=False)
            assert a.rows == b.rows and a.totals == b.totals, scoped
    # late fees on both services, then on none: the same figures both ways
    for water, electricity in ((True, True), (False, False)):
        with db.write() as s:
            settings.put(s, "late_fee.enabled.water", water)
            settings.put(s, "late_fee.enabled.electricity", electricity)
        filters = reports.Filters(date(2026, 11, 1), date(2027, 3, 1))
        a, b = finance.ageing(db, filters), finance.ageing(db, filters, in_sql=False)
        assert a.rows == b.rows and a.totals == b.totals and (a.totals["late_fee"] > 0) == electricity


def test_each_bucket_lists_the_accounts_behind_its_amount(db, clerk, supervisor):
    """The list of one bucket (of one route, or of every route) holds the accounts with a bill in it,
    their principal in it adds up to the bucket's amount, names and phones masked; a bucket that is
    not one is refused at its field, a clerk by role."""
    import pytest

    from app.kernel.errors import PermissionDenied, ValidationError

    build_store(db, clerk, supervisor)
    filters = reports.Filters(date(2026, 11, 1), date(2026, 11, 20))
    r = reports.run(db, supervisor, "ageing", filters)
    everyone = {a["account_no"]: a for a in owed_accounts(db, filters)}
    for key, *_ in finance_buckets():
        whole = reports.arrears_list(db, supervisor, filters, key)
        assert whole.totals["principal"] == r.totals[key] and whole.totals["accounts"] == len(whole.rows)
        for row in r.rows:
            cell = reports.arrears_list(db, supervisor, filters, key, row["route"])
            assert cell.totals["principal"] == row[key] == sum(a["principal"] for a in cell.rows)
            assert all(a["route"] == row["route"] and a["bucket"] == key for a in cell.rows)
            assert all(a["principal"] <= everyone[a["account_no"]]["principal"] for a in cell.rows)
    # on 2026-11-20: A (R01) owes 61.40 due 11-19 (1-30 days); B (R02) 26.90 due 10-20 (31-90) and 295.90 due 11-19
    late = reports.arrears_list(db, supervisor, filters, "31-90")
    assert [(a["account_no"], a["name"], a["phone"], a["principal"], a["oldest_due"]) for a in late.rows] == [
        ("3301000002", "李*", "138****5678", 2690, date(2026, 10, 20))
    ]
    recent = reports.arrears_list(db, supervisor, filters, "d1_30")
    assert {(a["account_no"], a["name"], a["principal"]) for a in recent.rows} == {
        ("3301000001", "张*丰", 6140),
        ("3301000002", "李*", 29590),
    }
    assert reports.arrears_list(db, supervisor, filters, "over-180").rows == []
    assert sum(reports.arrears_list(db, supervisor, filters, k).totals["late_fee"] for k, *_ in finance_buckets()) == r.totals["late_fee"]
    with pytest.raises(ValidationError) as err:
        reports.arrears_list(db, supervisor, filters, "32-90")
    assert err.value.field == "bucket"
    with pytest.raises(PermissionDenied):
        reports.arrears_list(db, clerk, filters, "31-90")


def finance_buckets():
    from app.services.reports.finance import BUCKETS

    return BUCKETS
