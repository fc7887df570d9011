"""Rows written by app.db.bulk.insert_rows (issuing's bills, lines, audit entries and balance entries)
are stored byte for byte as SQLAlchemy's core insert stores the same values: the same text, integers
and NULLs of the same types on SQLite (typeof and quote of every column), the same values on
PostgreSQL (the row as text). Each table's rows go in once by each path inside a savepoint that is
rolled back, and the stored rows are compared."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert

from app.db.bulk import insert_rows
from app.kernel.ids import new_ids
from app.models import AuditEntry, BalanceEntry, Bill, BillLine
from app.models.sync import WRITING_STATION
from app.services import customers as cs


def _stored(session, table, ids) -> list:
    conn = session.connection()
    cols = [c.name for c in table.columns]
    if conn.dialect.name == "sqlite":
        select = ", ".join(f'typeof("{c}"), quote("{c}")' for c in cols)
        keys = [i.hex for i in ids]
        sql = f"SELECT {select} FROM {table.name} WHERE id IN ({', '.join('?' * len(keys))}) ORDER BY id"
    else:
        keys = ids
        sql = f"SELECT t::text FROM {table.name} t WHERE id IN ({', '.join(['%s'] * len(keys))}) ORDER BY id"
    return [tuple(r) for r in conn.exec_driver_sql(sql, tuple(keys)).fetchall()]


def _both_ways(session, table, rows) -> tuple[list, list]:
    ids = [r["id"] for r in rows]
    out = []
    for write in (lambda: insert_rows(session, table, rows), lambda: session.execute(insert(table), rows)):
        savepoint = session.begin_nested()
        write()
        out.append(_stored(session, table, ids))
        savepoint.rollback()
    return out[0], out[1]


def test_bulk_rows_are_stored_as_core_inserts_store_them(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="存储"))
    account_id = cs.create_account(
        db,
        clerk,
        cid,
        cs.AccountInput(account_no="3301990001", supply_address="幸福路1号", tariff_code="ZJ-RES-Y", reading_route="R1"),
    )
    bill_ids = new_ids(2)
    bills = [
        dict(
            id=bill_ids[0],
            bill_no="B330199000120261001",
            account_id=account_id,
            period="2026-10",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            issued_at=datetime(2026, 11, 5, 1, 2, 3, 456789),
            due_date=date(2026, 11, 20),
            tariff_code="ZJ-RES-Y",
            usage=Decimal("2545.125"),
            amount_fen=136918,
            paid_fen=0,
            late_fee_paid_fen=0,
            late_fee_waived=False,
            late_fee_waive_reason="",
            status="unpaid",
            void_reason="",
            voided_at=None,
            replaces_bill_id=None,
            print_count=0,
            clerk_id=clerk.clerk_id,
            readings='[{"meter_no": "33019900001", "register": "total", "previous": "1000.000", "rolled_over": false}]',
            ytd_before=Decimal("0"),
            version=1,
        ),
        dict(
            id=bill_ids[1],
            bill_no="B330199000120261002",
            account_id=account_id,
            period="2026-10",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            issued_at=datetime(2026, 11, 5, 1, 2, 3),  # no microseconds: still written with six places
            due_date=date(2026, 11, 20),
            tariff_code="ZJ-RES-Y",
            usage=Decimal("12.50"),
            amount_fen=0,
            paid_fen=0,
            late_fee_paid_fen=0,
            late_fee_waived=True,
            late_fee_waive_reason="减免",
            status="void",
            void_reason="读数错误",
            voided_at=datetime(2026, 11, 6, 8, 0, 0, 1),
            replaces_bill_id=bill_ids[0],
            print_count=2,
            clerk_id=None,
            readings="[]",
            ytd_before=Decimal("2760.000"),
            version=3,
        ),
    ]
    lines = [
        dict(
            id=uuid.uuid4(),
            bill_id=bill_ids[0],
            seq=i + 1,
            item=item,
            quantity=q,
            unit_price=p,
            amount_fen=fen,
            detail='{"kind": "tier", "tier": 1, "register": null}',
        )
        for i, (item, q, p, fen) in enumerate(
            [("tier1", Decimal("2545.125"), Decimal("0.538"), 136928), ("free", Decimal("15"), Decimal("-0.5380"), -807)]
        )
    ]
    entries = [
        dict(
            id=uuid.uuid4(),
            account_id=account_id,
            kind="deduction",
            amount_fen=-1234,
            balance_after_fen=0,
            bill_id=bill_ids[0],
            payment_id=None,
            late_fee_fen=12,
            principal_fen=1222,
            quantity=Decimal("22.714"),
            clerk_id=clerk.clerk_id,
            created_at=datetime(2026, 11, 5, 1, 2, 3, 999999),
        )
    ]
    audit_rows = [
        {
            "id": uuid.uuid4(),
            "seq": 7,
            "at": datetime(2026, 11, 5, 1, 2, 3, 5),
            "station_id": clerk.station_id,
            "clerk_id": clerk.clerk_id,
            "action": "issue",
            "entity": "bill",
            "entity_id": str(bill_ids[0]),
            "before": "",
            "after": '{"amount":"1369.18","bill_no":"B330199000120261001"}',
            "prev_hash": "0" * 64,
            "hash": "f" * 64,
            "station_in_hash": True,
        }
    ]
    with db.write() as s:
        fast, core = _both_ways(s, Bill.__table__, bills)
        assert fast == core and len(fast) == 2
        token = WRITING_STATION.set(uuid.uuid4())  # a store that syncs: station_id is the writing station's
        try:
            fast, core = _both_ways(s, Bill.__table__, bills)
        finally:
            WRITING_STATION.reset(token)
        assert fast == core and len(fast) == 2
        s.execute(insert(Bill.__table__), bills)  # the lines and entries point to them
        for table, rows in ((BillLine.__table__, lines), (BalanceEntry.__table__, entries), (AuditEntry.__table__, audit_rows)):
            fast, core = _both_ways(s, table, rows)
            assert fast == core and len(fast) == len(rows), table.name
        s.rollback()


def test_a_quantity_that_would_round_is_refused(db, clerk):
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="存储"))
    account_id = cs.create_account(
        db,
        clerk,
        cid,
        cs.AccountInput(account_no="3301990002", supply_address="幸福路2号", tariff_code="ZJ-RES-Y", reading_route="R1"),
    )
    row = dict(
        id=uuid.uuid4(),
        account_id=account_id,
        kind="deduction",
        amount_fen=-1,
        balance_after_fen=0,
        bill_id=None,
        payment_id=None,
        late_fee_fen=0,
        principal_fen=1,
        quantity=Decimal("0.0001"),
        clerk_id=None,
        created_at=datetime(2026, 11, 5),
    )
    with pytest.raises(ValueError, match="more than 3 decimals"):
        with db.write() as s:
            insert_rows(s, BalanceEntry.__table__, [row])


@pytest.mark.parametrize("workers", [False, True])
def test_a_batch_reads_accounts_meters_and_readings_as_the_orm_does(db, clerk, monkeypatch, workers):
    """issue_accounts reads its accounts, meters and readings with the driver on SQLite (_read_sqlite):
    an account with its own tier year, a larger household and a rolled-over reading is billed by the
    batch exactly as issue_in bills its twin — also by issuing's worker processes (their keys read
    as hex text; the own tier year's usage asked for by key)."""
    from sqlalchemy import select, update

    from app.models import Account
    from app.services.billing import bills, issuing, readings, tariffs

    if workers:
        if not db.is_sqlite:
            pytest.skip("issuing's workers are SQLite's")
        monkeypatch.setattr(issuing, "PIPELINE_MIN", 1)
        monkeypatch.setattr(issuing, "PART", 1)
        parts = []
        monkeypatch.setattr(issuing, "_write_part", lambda s, actor, part, _w=issuing._write_part: parts.append(1) or _w(s, actor, part))

    tariffs.ensure_default_tariffs(db)
    twins = []
    for n in (1, 2):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"孪生{n}"))
        aid = cs.create_account(
            db,
            clerk,
            cid,
            cs.AccountInput(
                account_no=f"330199100{n}", supply_address="幸福路3号", tariff_code="ZJ-RES-Y", reading_route=f"T{n}", tier_bound_extra="50"
            ),
        )
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"M99{n}", digits="6", initial_reading="997000"))
        with db.write() as s:
            s.execute(update(Account).where(Account.id == aid).values(tier_year_start=date(2026, 3, 15)))
        readings.record_reading(db, clerk, mid, "total", "2026-08", "999950", confirm_high=True)
        readings.record_reading(db, clerk, mid, "total", "2026-09", "30", rolled_over=True, confirm_high=True)
        twins.append(f"330199100{n}")
    batch = bills.issue_accounts(db, clerk, twins, "2026-08", today=date(2026, 9, 5))
    assert len(batch.issued) == 2
    book = tariffs.load_book(db)
    with db.write() as s:
        account = s.scalar(select(Account).where(Account.account_no == twins[0]))
        one = bills.issue_in(s, clerk, book, account, "2026-09", date(2026, 10, 5))
    batch = bills.issue_accounts(db, clerk, twins[1:], "2026-09", today=date(2026, 10, 5))
    assert len(batch.issued) == 1 and not batch.failed

    def seen(bill_id):
        with db.read() as s:
            b = s.get(Bill, bill_id)
            lines = [(ln.seq, ln.item, ln.quantity, ln.unit_price, ln.amount_fen, ln.detail) for ln in b.lines]
            return (b.usage, b.ytd_before, b.amount_fen, b.due_date, b.readings.replace("M992", "M991"), lines)

    reference = seen(one.id)
    assert '"rolled_over": true' in reference[4] and reference[1] == Decimal("2950")  # the case is there
    assert seen(batch.bill_ids[0]) == reference
    if workers:
        assert len(parts) == 3  # both batches' accounts came from the workers


def test_settling_reads_open_bills_as_the_orm_does(db, clerk):
    """settle_prepaid reads the open bills with the driver on SQLite (_open_owings_sqlite): for accounts
    with several overdue bills (one partly paid, one with its late fee waived, one an agriculture account)
    it gives, bill by bill, the same allocation items and bill values as the ORM reader."""
    from sqlalchemy import select, update

    from app.models import Account
    from app.services.billing import bills, readings, tariffs

    if not db.is_sqlite:
        pytest.skip("the driver reader is SQLite's; PostgreSQL settles with the ORM reader")
    tariffs.ensure_default_tariffs(db)
    nos = []
    for n, (tariff, category) in enumerate((("ZJ-RES-Y", "residential"), ("ZJ-AGR", "agriculture"), ("ZJ-RES-Y", "residential"))):
        cid = cs.create_customer(db, clerk, cs.CustomerInput(name=f"欠费{n}"))
        no = f"33019920{n:02d}"
        aid = cs.create_account(
            db, clerk, cid, cs.AccountInput(account_no=no, supply_address="幸福路5号", tariff_code=tariff, reading_route="S")
        )
        if category != "residential":
            with db.write() as s:
                s.execute(update(Account).where(Account.id == aid).values(usage_category=category))
        mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no=f"M88{n}", digits="6", initial_reading="1000"))
        for k, period in enumerate(("2026-05", "2026-06", "2026-07")):
            readings.record_reading(db, clerk, mid, "total", period, str(1000 + 137 * (k + 1) * (n + 1)), confirm_high=True)
        nos.append(no)
    for period, issued_on in (("2026-05", date(2026, 6, 5)), ("2026-06", date(2026, 7, 5)), ("2026-07", date(2026, 8, 5))):
        assert len(bills.issue_accounts(db, clerk, nos, period, today=issued_on).issued) == 3
    with db.write() as s:  # one bill partly paid, one with its late fee waived (as stored by the services)
        first, second = s.scalars(select(Bill).join(Account).where(Account.account_no == nos[0]).order_by(Bill.period)).all()[:2]
        first.paid_fen, first.late_fee_paid_fen, first.status = first.amount_fen // 3, 5, "partly_paid"
        second.late_fee_waived = True
    today = date(2026, 11, 20)
    with db.read() as s:
        accounts = s.execute(select(*bills._ISSUE_COLUMNS).where(Account.account_no.in_(nos)).order_by(Account.id)).all()
        settled: set = set()
        fast = bills._open_owings_sqlite(s, accounts, today, settled)
        slow = bills._open_bills_of(s, accounts, today, plain=True)
        for a in accounts:
            reference = bills._owing(slow[a.id])
            items = list(fast[a.id].items)
            assert len(items) == 3 and items == reference.items
            assert any(i.late_fee_fen for i in items)  # overdue: the late fees are there
            for bid, b in reference.bills.items():
                assert tuple(fast[a.id].bills[bid]) == tuple(getattr(b, c) for c in bills._OpenBill._fields)
        assert settled == {("S", p) for p in ("2026-05", "2026-06", "2026-07")}
