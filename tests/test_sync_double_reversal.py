"""A bill paid at a station and at the centre while apart, then one of the two payments reversed
(docs/SYNC.md, Two stations paying the same bill while apart): the bill ends paid from the other
payment, the surplus deposit goes back to it as a new deduction (nothing edited), the case is closed
as reversed, the centre's audit chain records it, and the station and the centre agree. One account
has the station's payment reversed at the station (it reaches the centre by bundle), the other the
centre's payment reversed at the centre's counter."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.kernel.localtime import local_today
from app.kernel.money import from_fen
from app.models import Account, AuditEntry, BalanceEntry, Bill, Meter, Station, SyncConflict
from app.services import audit, auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.sync import core, manage

PASS = "double-reversal"


def _state(db: Database, account_ids: list) -> dict:
    with db.read() as s:
        out = {}
        for aid in account_ids:
            bill = s.scalar(select(Bill).where(Bill.account_id == aid))
            out[aid] = (bill.paid_fen, bill.status, s.get(Account, aid).balance_fen)
        return out


def _ledger(db: Database, account_ids: list) -> list[tuple]:
    with db.read() as s:
        return sorted(
            (str(e.id), e.account_id == account_ids[0], e.kind, e.amount_fen, e.principal_fen, str(e.payment_id))
            for e in s.scalars(select(BalanceEntry).where(BalanceEntry.account_id.in_(account_ids)))
        )


def test_a_reversal_after_a_double_payment_settles_the_bill_from_the_deposit(pg_db, tmp_path):
    centre = pg_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)
    with centre.write() as s:
        s.add(Station(code="3601", name="站3601"))
    with centre.read() as s:
        sid = s.scalar(select(Station.id).where(Station.code == "3601"))
    period = (local_today().replace(day=1) - date.resolution).strftime("%Y-%m")
    accounts, customers = [], []
    for j in range(2):
        cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name=f"赵{j}"))
        aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address=f"南山村{j}号", tariff_code="ZJ-RES-Y"))
        mid = cs.create_meter(centre, cadmin, aid, cs.MeterInput(meter_no=f"M3601{j:04d}", initial_reading="1000"))
        readings.record_reading(centre, cadmin, mid, "total", period, "1100")
        accounts.append(aid)
        customers.append(cid)
    with centre.read() as s:
        bills.issue_accounts(centre, cadmin, list(s.scalars(select(Account.account_no).where(Account.id.in_(accounts)))), period)
        assert s.scalar(select(func.count()).select_from(Meter)) == 2
    manage.assign_area(centre, cadmin, "3601", customers)
    auth.create_clerk(centre, cadmin, "c3601", "收费员", "clerk1234", "clerk", "93601", station_id=sid)
    auth.create_clerk(centre, cadmin, "s3601", "值班长", "super1234", "supervisor", "93602", station_id=sid)
    manage.provision(centre, cadmin, "3601", "", tmp_path / "3601.prov", PASS)
    station = Database(f"sqlite:///{tmp_path / '3601.sqlite'}")
    upgrade(station.engine)
    manage.set_up_station(station, (tmp_path / "3601.prov").read_bytes(), PASS)
    clerk, supervisor = auth.login(station, "c3601", "clerk1234"), auth.login(station, "s3601", "super1234")
    posting.open_shift(station, clerk, "0")
    posting.open_shift(centre, cadmin, "0")
    with station.read() as s:
        amount = {aid: s.scalar(select(Bill.amount_fen).where(Bill.account_id == aid)) for aid in accounts}
    assert all(v > 0 for v in amount.values())

    # While apart both bills are paid in full at the station (cash) and then at the centre (bank).
    at_station = {
        aid: posting.post_payment(station, clerk, aid, str(from_fen(amount[aid])), "cash", f"s-{aid}").payment_id for aid in accounts
    }
    at_centre = {
        aid: posting.post_payment(centre, cadmin, aid, str(from_fen(amount[aid])), "transfer", f"c-{aid}", reference=f"B{i}").payment_id
        for i, aid in enumerate(accounts)
    }
    core.export_up(station, tmp_path / "up1.cdsync")
    assert core.import_file(centre, tmp_path / "up1.cdsync").status == "applied"
    # Paid once each, the centre's later payment to the prepaid balance, two cases flagged.
    assert _state(centre, accounts) == {aid: (amount[aid], "paid", amount[aid]) for aid in accounts}
    with centre.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.kind == "double_payment")) == 2
    core.export_down(centre, "3601", tmp_path / "down1.cdsync")
    core.import_file(station, tmp_path / "down1.cdsync")
    assert _state(station, accounts) == _state(centre, accounts)
    before = _ledger(centre, accounts)

    # Account 0: the station's payment reversed at the station. Until the centre answers, the bill is
    # open there with the deposit on the balance (the centre alone settles surplus).
    a, b = accounts
    posting.reverse_payment(station, supervisor, clerk, at_station[a], "收错户号", "rev-a")
    assert _state(station, [a]) == {a: (0, "unpaid", amount[a])}
    # Account 1: the centre's own payment reversed at the centre's counter: settled again at once.
    posting.reverse_payment(centre, cadmin, cadmin, at_centre[b], "银行退回", "rev-b")
    assert _state(centre, [b]) == {b: (amount[b], "paid", 0)}

    core.export_up(station, tmp_path / "up2.cdsync")
    assert core.import_file(centre, tmp_path / "up2.cdsync").status == "applied"
    want = {aid: (amount[aid], "paid", 0) for aid in accounts}
    assert _state(centre, accounts) == want
    # Money records only added: the deposits stand as they were, each met by a deduction naming
    # the same payment (the one the deposit named) and the bill.
    after = _ledger(centre, accounts)
    assert set(before) <= set(after)
    added = [e for e in after if e not in before]
    deposits = {e[1]: e for e in before if e[2] == "deposit"}
    assert sorted((e[1], e[2], e[3], e[4], e[5]) for e in added) == sorted(
        (first, "deduction", -amount[aid], amount[aid], deposits[first][5]) for first, aid in ((True, a), (False, b))
    )
    with centre.read() as s:
        cases = list(s.execute(select(SyncConflict.status, SyncConflict.resolution).where(SyncConflict.kind == "double_payment")))
        assert cases == [("resolved", "reversed")] * 2
        settled = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "settle_again")))
        assert len(settled) == 2 and all("reversals" in e.after for e in settled)
        assert audit.verify(s).ok

    # The same bundle again changes nothing; the answer brings the deductions and the reversal made at
    # the centre down, and the station agrees.
    assert core.import_file(centre, tmp_path / "up2.cdsync").status != "applied"
    assert _ledger(centre, accounts) == after
    core.export_down(centre, "3601", tmp_path / "down2.cdsync")
    core.import_file(station, tmp_path / "down2.cdsync")
    assert _state(station, accounts) == want
    assert _ledger(station, accounts) == after
    with station.read() as s:
        assert audit.verify(s).ok
    station.dispose()
