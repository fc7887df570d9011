"""One payment on PostgreSQL in few round trips (docs/PAYMENTS.md, "Round trips"), with every rule kept:
gap-free receipt numbers, the audit chain, optimistic bill versions, balances and their ledger,
the reports' summaries and a syncing station's outbox."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm.exc import StaleDataError

from app.db import outbox
from app.db.engine import Database
from app.models import Account, BalanceEntry, Bill, Payment, Station, SyncOutbox
from app.models.base import Base
from app.services import audit, auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.reports import summaries
from app.services.sync import core, manage

TODAY = date(2026, 11, 20)


def _account_with_two_bills(db, clerk, account_no="3301000001"):
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(db, clerk, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(db, clerk, aid, cs.MeterInput(meter_no="3301990000001", initial_reading="1000"))
    readings.record_reading(db, clerk, mid, "total", "2026-09", "1100")
    bills.issue_accounts(db, clerk, [account_no], "2026-09", today=date(2026, 10, 5))
    readings.record_reading(db, clerk, mid, "total", "2026-10", "1300")
    bills.issue_accounts(db, clerk, [account_no], "2026-10", today=date(2026, 11, 4))
    return aid


def _statements(db):
    seen = []
    event.listen(db.engine, "before_cursor_execute", lambda conn, cur, st, params, ctx, many: seen.append(" ".join(st.split())))
    return seen


def test_a_payment_takes_five_round_trips_on_postgresql_and_everything_adds_up(db, clerk):
    aid = _account_with_two_bills(db, clerk)
    posting.open_shift(db, clerk, "0")
    seen = _statements(db)
    part = posting.post_payment(db, clerk, aid, "30", "qr", "k-part", reference="QR1", today=TODAY)  # part of the oldest bill
    if db.engine.dialect.name == "postgresql":
        assert len(seen) <= 5, (
            seen
        )  # account+shift, open bills, late-fee settings, the writes, the tail (number, head and all that needs them)
    rest = posting.post_payment(db, clerk, aid, "300", "cash", "k-rest", "300", today=TODAY)  # both bills and a deposit
    assert (part.receipt_no, rest.receipt_no) == ("R-3301-2026-000001", "R-3301-2026-000002")
    with db.read() as s:
        assert sorted(s.scalars(select(Bill.status))) == ["paid", "paid"]
        assert sorted(s.scalars(select(Bill.version))) == [2, 3]  # issued at 1, moved on once per payment that paid it
        balance = s.scalar(select(Account.balance_fen).where(Account.id == aid))
        entries = s.scalars(select(BalanceEntry.amount_fen).where(BalanceEntry.account_id == aid)).all()
        assert balance == rest.balance_after_fen == sum(entries) > 0
        paid = s.execute(select(Payment.receipt_no, Payment.verification, Payment.amount_fen, Payment.created_at)).all()
        for receipt_no, verification, amount_fen, at in paid:
            account_no = s.scalar(select(Account.account_no).where(Account.id == aid))
            assert verification == posting.verification_code(receipt_no, amount_fen, at, account_no)
        assert summaries.differences(s) == []
        assert audit.verify(s).ok
    assert bills.account_arrears(db, aid, TODAY) == []


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)  # SQLite's writers wait for each other's commit
def test_a_bill_changed_after_it_was_read_posts_nothing(db, clerk):
    """The bill is waived by another writer between the payment's read and its write: the bill's
    version no longer matches, the payment is refused whole and its receipt number is not used."""
    aid = _account_with_two_bills(db, clerk)
    posting.open_shift(db, clerk, "0")
    other = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")

    def meddle(conn, cursor, statement, parameters, context, executemany):
        if "INSERT INTO payments" in statement:
            with other.connect() as c:
                c.execute(text("UPDATE bills SET late_fee_waived = true, version = version + 1 WHERE account_id = :a"), {"a": aid})

    event.listen(db.engine, "before_cursor_execute", meddle)
    with pytest.raises(StaleDataError):
        posting.post_payment(db, clerk, aid, "30", "qr", "k1", reference="QR1", today=TODAY)
    event.remove(db.engine, "before_cursor_execute", meddle)
    other.dispose()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
        assert sorted(s.scalars(select(Bill.status))) == ["unpaid", "unpaid"]
        assert summaries.differences(s) == []
    p = posting.post_payment(db, clerk, aid, "30", "qr", "k2", reference="QR1", today=TODAY)
    assert p.receipt_no == "R-3301-2026-000001" and p.allocations[0].late_fee_fen == 0  # waived: no late fee now


def test_a_syncing_station_on_postgresql_records_each_payment_as_committed(sqlite_db, pg_db, tmp_path):
    centre, station = sqlite_db, pg_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰"))
    aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address="幸福路18号", tariff_code="ZJ-RES-Y"))
    mid = cs.create_meter(centre, cadmin, aid, cs.MeterInput(meter_no="M3801", initial_reading="1000"))
    with centre.write() as s:
        s.add(Station(code="3801", name="西山站"))
    manage.assign_area(centre, cadmin, "3801", [cid])
    with centre.read() as s:
        sid = s.scalar(select(Station.id).where(Station.code == "3801"))
    auth.create_clerk(centre, cadmin, "wu", "吴", "clerk1234", "supervisor", "8001", station_id=sid)
    manage.provision(centre, cadmin, "3801", "西山站", tmp_path / "p.prov", "passphrase")
    manage.set_up_station(station, (tmp_path / "p.prov").read_bytes(), "passphrase")
    station = Database(str(station.engine.url))  # opened again, as a station opens its store: it syncs
    clerk = auth.login(station, "wu", "clerk1234")
    readings.record_reading(station, clerk, mid, "total", "2026-09", "1100")
    with station.read() as s:
        account_no = s.scalar(select(func.min(Base.metadata.tables["accounts"].c.account_no)))
    bills.issue_accounts(station, clerk, [account_no], "2026-09", today=date(2026, 10, 5))
    posting.open_shift(station, clerk, "0")
    posting.post_payment(station, clerk, aid, "20", "qr", "k1", reference="QR1", today=date(2026, 10, 9))  # part of the bill
    posting.post_payment(station, clerk, aid, "200", "cash", "k2", "200", today=date(2026, 10, 9))  # the rest and a deposit
    with station.read() as s:
        units = s.execute(select(SyncOutbox.seq, SyncOutbox.payload).order_by(SyncOutbox.seq)).all()
        assert [u.seq for u in units] == list(range(1, len(units) + 1))
        sent = []
        for _seq, payload in units:
            for c in json.loads(payload)["changes"]:
                table = Base.metadata.tables[c["t"]]
                pk = outbox.pk_name(c["t"])
                now = s.execute(select(table).where(table.c[pk] == outbox.typed(c["t"], c["row"])[pk])).mappings().one()
                if c["t"] in ("payments", "payment_allocations", "contact_records", "audit_log", "balance_entries"):
                    assert dict(now) == outbox.typed(c["t"], c["row"]), c["t"]
                    sent.append(c["t"])
        receipts = [json.loads(p)["changes"] for _seq, p in units]
        numbers = sorted(c["row"]["receipt_no"] for changes in receipts for c in changes if c["t"] == "payments")
        assert numbers == ["R-3801-2026-000001", "R-3801-2026-000002"]
        assert s.scalar(select(func.count()).select_from(BalanceEntry)) == sent.count("balance_entries") == 1
        assert sent.count("payment_allocations") == s.scalar(text("SELECT count(*) FROM payment_allocations"))
        assert summaries.differences(s) == []
    station.dispose()


def test_four_counters_on_their_own_accounts_keep_numbers_and_the_chain_whole(db, clerk, supervisor):
    """Each counter pays its own account, so they meet only at the station's receipt number and audit
    head (taken, written and moved in one statement on PostgreSQL): the numbers are gap-free, every
    entry's hash holds and the summaries equal a recompute."""
    tariffs.ensure_default_tariffs(db)
    cid = cs.create_customer(db, clerk, cs.CustomerInput(name="李四"))
    accounts = [cs.create_account(db, clerk, cid, cs.AccountInput(supply_address=f"幸福路{i}号", tariff_code="ZJ-RES-Y")) for i in range(4)]
    posting.open_shift(db, clerk, "0")
    posting.open_shift(db, supervisor, "0")
    errors = []

    def counter(actor, k):
        for i in range(8):
            try:
                posting.post_payment(db, actor, accounts[k], f"{k + 1}.{i}1", "qr", f"c{k}-{i}", reference="QR", today=TODAY)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=counter, args=(a, k)) for k, a in enumerate((clerk, supervisor, clerk, supervisor))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.read() as s:
        rows = s.execute(
            select(Payment.receipt_no, Payment.verification, Payment.amount_fen, Payment.created_at, Account.account_no).join(
                Account, Account.id == Payment.account_id
            )
        ).all()
        assert sorted(int(r.receipt_no.rsplit("-", 1)[1]) for r in rows) == list(range(1, 33))
        for r in rows:
            assert r.verification == posting.verification_code(r.receipt_no, r.amount_fen, r.created_at, r.account_no)
        assert audit.verify(s).ok
        assert summaries.differences(s) == []
        assert sum(s.scalars(select(Account.balance_fen).where(Account.id.in_(accounts)))) == sum(r.amount_fen for r in rows)
