"""An existing store with its own history joins the centre (docs/SYNC.md, Joining an existing
store): request at the store, acceptance at the centre, the answer imported at the store; its whole
history (customers, payments, bills, its audit chain from the first entry) reaches the centre with
its next bundle, and from then on it works as any station. Numbers the centre has already and a
changed request are refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.kernel.errors import UserError
from app.kernel.localtime import local_today
from app.models import AuditEntry, Bill, Clerk, Customer, Payment
from app.services import audit, auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.sync import core, manage

PASS = "join-passphrase"


def _store(tmp_path, name: str, code: str, login: str) -> tuple[Database, object]:
    db = Database(f"sqlite:///{tmp_path / name}")
    upgrade(db.engine)
    admin = auth.initialize(db, auth.StationInput(code, f"站{code}", "示范供电公司", "", ""), login, "站长", "admin1234")
    tariffs.ensure_default_tariffs(db, admin)
    return db, admin


def test_an_existing_store_joins_and_its_history_reaches_the_centre(pg_db, tmp_path):
    centre = pg_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)

    # A store that has worked alone: customers, a month read and billed, payments.
    store, admin = _store(tmp_path, "store.sqlite", "3801", "admin")
    period = (local_today().replace(day=1) - date.resolution).strftime("%Y-%m")
    accounts = []
    for j in range(3):
        cid = cs.create_customer(store, admin, cs.CustomerInput(name=f"王{j}", phone=f"1370000000{j}"))
        aid = cs.create_account(store, admin, cid, cs.AccountInput(supply_address=f"北岭村{j}号", tariff_code="ZJ-RES-Y"))
        mid = cs.create_meter(store, admin, aid, cs.MeterInput(meter_no=f"M3801{j:04d}", initial_reading="1000"))
        readings.record_reading(store, admin, mid, "total", period, str(1100 + 10 * j))
        accounts.append(aid)
    with store.read() as s:
        nos = list(s.scalars(select(Customer.id)))
    assert len(nos) == 3
    from app.models import Account

    with store.read() as s:
        account_nos = list(s.scalars(select(Account.account_no)))
    bills.issue_accounts(store, admin, account_nos, period)
    posting.open_shift(store, admin, "0")
    for aid in accounts[:2]:
        posting.post_payment(store, admin, aid, "30", "cash", f"before-{aid}", "30")
    with store.read() as s:
        history = {p.id: p.amount_fen for p in s.scalars(select(Payment))}
        entries = s.scalar(select(func.count()).select_from(AuditEntry))

    # Every store's first administrator has staff number 0001, as the centre's has: refused, named.
    manage.join_request(store, admin, tmp_path / "join.req")
    with pytest.raises(UserError) as err:
        manage.accept_join(centre, cadmin, (tmp_path / "join.req").read_bytes(), "join.req", tmp_path / "x.join", PASS)
    assert "0001 (admin)" in err.value.text() and "counterdesk clerk renumber admin" in err.value.text()
    # The store's administrator gives the clash another number, as the refusal says (audited; a
    # number the store has already is refused).
    auth.create_clerk(store, admin, "li", "李", "clerk1234", "clerk", "3801-0002")
    with pytest.raises(UserError) as err:
        auth.renumber_clerk(store, admin, "admin", "3801-0002")
    assert err.value.field == "staff_no" and "3801-0002" in err.value.text()
    assert auth.renumber_clerk(store, admin, "admin", "3801-0001") == "0001"
    with store.read() as s:
        assert s.scalar(select(Clerk.staff_no).where(Clerk.login == "admin")) == "3801-0001"
        renumbered = s.scalars(select(AuditEntry).where(AuditEntry.action == "renumber")).one()
        assert "0001" in renumbered.before and "3801-0001" in renumbered.after
    manage.join_request(store, admin, tmp_path / "join.req")  # a new request replaces the first
    request = (tmp_path / "join.req").read_bytes()
    # A changed request, and one whose login the centre has already, are refused.
    with pytest.raises(UserError) as err:
        manage.accept_join(centre, cadmin, request.replace(b"3801", b"3802", 1), "join.req", tmp_path / "x.join", PASS)
    assert "not a request" in err.value.text()
    other, other_admin = _store(tmp_path, "other.sqlite", "3901", "cadmin")
    manage.join_request(other, other_admin, tmp_path / "other.req")
    with pytest.raises(UserError) as err:
        manage.accept_join(centre, cadmin, (tmp_path / "other.req").read_bytes(), "other.req", tmp_path / "o.join", PASS)
    assert "cadmin" in err.value.text()
    other.dispose()
    # Until the answer comes the store records nothing, and cannot export.
    posting.post_payment(store, admin, accounts[2], "12", "cash", "while-asking", "12")
    with pytest.raises(UserError):
        core.export_up(store, tmp_path / "early.cdsync")

    accepted = manage.accept_join(centre, cadmin, request, "join.req", tmp_path / "answer.join", PASS)
    assert accepted.status == "exported"
    with pytest.raises(UserError):
        manage.set_up_station(store, (tmp_path / "answer.join").read_bytes(), "wrong-passphrase")
    joined = manage.set_up_station(store, (tmp_path / "answer.join").read_bytes(), PASS)
    assert joined.units >= 1 and joined.rows > entries
    assert manage.status(store).waiting == joined.units

    up = core.export_up(store, tmp_path / "history.cdsync")
    result = core.import_file(centre, tmp_path / "history.cdsync")
    assert result.status == "applied"
    with store.read() as s:
        history = {p.id: p.amount_fen for p in s.scalars(select(Payment))}
        station_id = admin.station_id
    with centre.read() as s:
        there = {p.id: p.amount_fen for p in s.scalars(select(Payment).where(Payment.station_id == station_id))}
        assert there == history and len(there) == 3
        assert s.scalar(select(func.count()).select_from(Customer).where(Customer.station_id == station_id)) == 3
        assert s.scalar(select(func.count()).select_from(Bill).where(Bill.account_id.in_(accounts))) == 3
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.station_id == station_id)) >= entries
        assert audit.verify(s).ok  # the station's chain from its first entry, as it was written
    assert up.units == joined.units
    core.export_down(centre, "3801", tmp_path / "ack.cdsync")
    core.import_file(store, tmp_path / "ack.cdsync")
    assert manage.status(store).waiting == 0

    # From now on a station like any other: a bank payment at the centre for its account comes down,
    # its new payments go up.
    posting.open_shift(centre, cadmin, "0")
    bank = posting.post_payment(centre, cadmin, accounts[2], "5", "transfer", "bank-3801", reference="B1")
    posting.post_payment(store, admin, accounts[0], "7", "cash", "after-join", "7")
    core.export_up(store, tmp_path / "next.cdsync")
    assert core.import_file(centre, tmp_path / "next.cdsync").status == "applied"
    core.export_down(centre, "3801", tmp_path / "down.cdsync")
    core.import_file(store, tmp_path / "down.cdsync")
    with store.read() as s:
        assert s.get(Payment, bank.payment_id) is not None
        balance_here = {b.bill_no: (b.paid_fen, b.status) for b in s.scalars(select(Bill).where(Bill.account_id.in_(accounts)))}
    with centre.read() as s:
        balance_there = {b.bill_no: (b.paid_fen, b.status) for b in s.scalars(select(Bill).where(Bill.account_id.in_(accounts)))}
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.account_id.in_(accounts))) == 5
    assert balance_here == balance_there
    store.dispose()
