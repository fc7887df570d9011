"""A seeded simulation of stations and the centre (docs/SYNC.md): SQLite stations working offline,
a PostgreSQL centre, and a courier that loses, duplicates, reorders, truncates, bit-flips and
replays bundles. After final delivery: every payment once at the centre, daily totals equal, receipt
numbers gap-free, re-applying changes nothing, one conflict per concurrent edit, every tampered
bundle refused, arrears agree, audit chains hold; a station restored from an old backup is
quarantined."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.migrate import upgrade
from app.models import Account, Bill, Customer, Payment, Station, SyncConflict
from app.models.base import Base
from app.services import audit, auth
from app.services import customers as cs
from app.services.billing import bills, readings, tariffs
from app.services.payments import posting
from app.services.sync import core, manage
from app.services.sync.bundle import SyncRefused

STATIONS = 20
DAYS = 3
SEED = 1313
PASS = "provision-pass"


def _centre_checksum(db: Database) -> str:
    h = hashlib.sha256()
    with db.read() as s:
        for t in Base.metadata.sorted_tables:
            if t.name in ("sync_peers", "sync_held"):
                continue
            pk = list(t.primary_key.columns)
            for row in s.execute(select(t).order_by(*pk)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _tamper(data: bytes, rng: random.Random, how: str) -> bytes:
    if how == "truncate":
        return data[: rng.randrange(10, len(data) - 1)]
    b = bytearray(data)
    i = rng.randrange(30, len(b))
    b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _world(centre: Database, tmp_path: Path, count: int):
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)
    stations, all_nos = [], []
    for i in range(count):
        accounts, customers = [], []
        for j in range(2):
            cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name=f"客户{i}{j}", phone=f"1380000{i:02d}{j:02d}"))
            aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address=f"{i}村{j}号", tariff_code="ZJ-RES-Y"))
            mid = cs.create_meter(centre, cadmin, aid, cs.MeterInput(meter_no=f"M99{i:04d}{j:04d}", initial_reading="1000"))
            readings.record_reading(centre, cadmin, mid, "total", "2026-09", str(1100 + 10 * j))
            customers.append(cid)
            accounts.append(aid)
        stations.append({"code": f"{3400 + i}", "accounts": accounts, "customers": customers})
    with centre.read() as s:
        all_nos = list(s.scalars(select(Account.account_no)))
    bills.issue_accounts(centre, cadmin, all_nos, "2026-09", today=date(2026, 10, 5))
    for i, st in enumerate(stations):
        code = st["code"]
        with centre.write() as s:
            s.add(Station(code=code, name=f"站{i}"))
        manage.assign_area(centre, cadmin, code, st["customers"])
        with centre.read() as s:
            sid = s.scalar(select(Station.id).where(Station.code == code))
        auth.create_clerk(centre, cadmin, f"c{i}", f"收费员{i}", "clerk1234", "clerk", f"5{i:03d}", station_id=sid)
        manage.provision(centre, cadmin, code, f"站{i}", tmp_path / f"p{i}.prov", PASS)
        db = Database(f"sqlite:///{tmp_path / f'st{i}.sqlite'}")
        upgrade(db.engine)
        manage.set_up_station(db, (tmp_path / f"p{i}.prov").read_bytes(), PASS)
        clerk = auth.login(db, f"c{i}", "clerk1234")
        posting.open_shift(db, clerk, "0")
        st.update(db=db, clerk=clerk, id=sid)
    return centre, cadmin, stations


@pytest.fixture
def world(pg_db, tmp_path):
    made = _world(pg_db, tmp_path, STATIONS)
    yield made
    for st in made[2]:
        st["db"].dispose()


@pytest.fixture
def small_world(pg_db, tmp_path):
    made = _world(pg_db, tmp_path, 6)
    yield made
    for st in made[2]:
        st["db"].dispose()


def test_stations_and_centre_converge_through_a_bad_courier(world, tmp_path):
    centre, cadmin, stations = world
    rng = random.Random(SEED)
    posting.open_shift(centre, cadmin, "0")
    # The same bill paid at the centre (a bank payment) and at station 0 while apart.
    contested = stations[0]["accounts"][0]
    posting.post_payment(centre, cadmin, contested, "200", "transfer", "bank-1", reference="BANK1", today=date(2026, 10, 9))
    # The same field changed at the centre and at station 1 while apart: one conflict.
    edited = stations[1]["customers"][0]
    form = cs.load_customer_for_edit(centre, cadmin, edited)
    form.phone = "13911110000"
    cs.update_customer(centre, cadmin, edited, form)

    all_bundles, tampered, n = [], 0, 0
    in_transit = []
    for day in range(DAYS):
        for i, st in enumerate(stations):
            db, clerk = st["db"], st["clerk"]
            for _op in range(rng.randrange(1, 4)):
                aid = rng.choice(st["accounts"])
                posting.post_payment(db, clerk, aid, str(rng.randrange(5, 90)), "cash", f"k{i}-{n}", "100", today=date(2026, 10, 10 + day))
                n += 1
            if day == 0 and i == 0:
                posting.post_payment(db, clerk, contested, "200", "cash", "contested", "200", today=date(2026, 10, 10))
            if day == 0 and i == 1:
                form = cs.load_customer_for_edit(db, clerk, edited)
                form.phone = "13922220000"
                cs.update_customer(db, clerk, edited, form)
            if day == 1 and i == 2:
                form = cs.load_customer_for_edit(db, clerk, st["customers"][1])
                form.address = "新地址1号"
                cs.update_customer(db, clerk, st["customers"][1], form)
            path = tmp_path / f"up-{i}-{day}.cdsync"
            core.export_up(db, path)
            data = path.read_bytes()
            all_bundles.append(data)
            fate = rng.random()
            if fate < 0.2:
                continue  # lost
            copies = [data] * (2 if fate > 0.85 else 1)
            if rng.random() < 0.25:
                copies.append(_tamper(data, rng, rng.choice(["truncate", "flip"])))
            in_transit.extend(copies)
        rng.shuffle(in_transit)
        if day > 0 and all_bundles:
            in_transit.append(rng.choice(all_bundles))  # an old one replayed
        for data in in_transit:
            try:
                core.import_bytes(centre, data, "courier")
            except SyncRefused as err:
                assert err.reason in ("truncated", "damaged", "forged")
                tampered += 1
        in_transit = []
        for i, st in enumerate(stations):
            if rng.random() < 0.3:
                continue  # the answer was lost
            path = tmp_path / f"down-{i}-{day}.cdsync"
            core.export_down(centre, st["code"], path)
            core.import_file(st["db"], path)

    # Final delivery: everything, twice round so every acknowledgement arrives.
    for _round in range(2):
        for i, st in enumerate(stations):
            path = tmp_path / f"final-{i}-{_round}.cdsync"
            core.export_up(st["db"], path)
            all_bundles.append(path.read_bytes())
            core.import_file(centre, path)
            down = tmp_path / f"final-down-{i}-{_round}.cdsync"
            core.export_down(centre, st["code"], down)
            core.import_file(st["db"], down)
    assert tampered > 0

    with centre.read() as s:
        centre_payments = {(r.station_id, r.receipt_no): r for r in s.scalars(select(Payment))}
    for st in stations:
        with st["db"].read() as s:
            mine = list(s.scalars(select(Payment).where(Payment.station_id == st["id"])))
            waiting = manage.status(st["db"]).waiting
        assert waiting == 0
        # every payment exactly once, with the same amount and day
        for p in mine:
            c = centre_payments[(st["id"], p.receipt_no)]
            assert (c.amount_fen, c.created_at, c.id) == (p.amount_fen, p.created_at, p.id)
        assert len([k for k in centre_payments if k[0] == st["id"]]) == len(mine)
        nos = sorted(int(p.receipt_no.rsplit("-", 1)[1]) for p in mine)
        assert nos == list(range(1, len(nos) + 1))
        # daily totals at the centre equal the station's
        station_days, centre_days = defaultdict(int), defaultdict(int)
        for p in mine:
            station_days[p.created_at.date()] += p.amount_fen
        for (sid, _no), c in centre_payments.items():
            if sid == st["id"]:
                centre_days[c.created_at.date()] += c.amount_fen
        assert station_days == centre_days
        # arrears and balances agree
        with st["db"].read() as s:
            here = {
                (b.bill_no, b.paid_fen, b.late_fee_paid_fen, b.status)
                for b in s.scalars(select(Bill).where(Bill.account_id.in_(st["accounts"])))
            }
            bal_here = dict(s.execute(select(Account.id, Account.balance_fen).where(Account.id.in_(st["accounts"]))).all())
        with centre.read() as s:
            there = {
                (b.bill_no, b.paid_fen, b.late_fee_paid_fen, b.status)
                for b in s.scalars(select(Bill).where(Bill.account_id.in_(st["accounts"])))
            }
            bal_there = dict(s.execute(select(Account.id, Account.balance_fen).where(Account.id.in_(st["accounts"]))).all())
        assert here == there
        assert bal_here == bal_there

    with centre.read() as s:
        conflicts = s.scalars(select(SyncConflict)).all()
        assert [(c.kind, c.field) for c in conflicts if c.kind == "field"] == [("phone",)] or [
            (c.kind, c.field) for c in conflicts if c.kind == "field"
        ] == [("field", "phone")]
        doubles = [c for c in conflicts if c.kind == "double_payment"]
        assert len(doubles) == 1
        bill = s.scalar(select(Bill).where(Bill.account_id == contested))
        assert bill.status == "paid" and bill.paid_fen == bill.amount_fen
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.account_id == contested)) >= 2
        assert audit.verify(s).ok
        address = s.scalar(select(Customer.address).where(Customer.id == stations[2]["customers"][1]))
    assert address == "新地址1号"

    before = _centre_checksum(centre)
    for data in all_bundles:
        try:
            assert core.import_bytes(centre, data, "again").status == "duplicate"
        except SyncRefused:
            raise AssertionError("a good bundle was refused when applied again")
    assert _centre_checksum(centre) == before

    # A supervisor decides the conflict; the value taken reaches the station.
    conflict = manage.conflicts(centre)[0] if manage.conflicts(centre)[0].kind == "field" else manage.conflicts(centre)[1]
    manage.resolve(centre, cadmin, conflict.no, "station")
    core.export_down(centre, stations[1]["code"], tmp_path / "resolved.cdsync")
    core.import_file(stations[1]["db"], tmp_path / "resolved.cdsync")
    with stations[1]["db"].read() as s:
        assert s.scalar(select(Customer.phone).where(Customer.id == edited)) == "13922220000"


def _copy_store(src: Path, dst: Path) -> None:
    import sqlite3

    for extra in ("-wal", "-shm"):
        Path(str(dst) + extra).unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def test_restored_station_is_quarantined_and_other_keys_refused(small_world, tmp_path):
    centre, cadmin, stations = small_world
    st = stations[3]
    db, clerk = st["db"], st["clerk"]
    posting.post_payment(db, clerk, st["accounts"][0], "10", "cash", "a1", "10", today=date(2026, 10, 10))
    backup = tmp_path / "backup.sqlite"
    _copy_store(Path(db.engine.url.database), backup)
    posting.post_payment(db, clerk, st["accounts"][0], "11", "cash", "a2", "11", today=date(2026, 10, 10))
    core.export_up(db, tmp_path / "a.cdsync")
    assert core.import_file(centre, tmp_path / "a.cdsync").status == "applied"
    db.dispose()
    _copy_store(backup, Path(db.engine.url.database))
    restored = Database(f"sqlite:///{db.engine.url.database}")
    posting.post_payment(restored, clerk, st["accounts"][1], "12", "cash", "a3", "12", today=date(2026, 10, 11))
    core.export_up(restored, tmp_path / "b.cdsync")
    with pytest.raises(SyncRefused) as err:
        core.import_file(centre, tmp_path / "b.cdsync")
    assert err.value.reason == "quarantined"
    with pytest.raises(SyncRefused) as err:  # and later ones too, until a supervisor looks
        core.import_file(centre, tmp_path / "a.cdsync")
    assert err.value.reason == "quarantined"
    restored.dispose()
    assert manage.release(centre, cadmin, st["code"]) == 1  # a supervisor looked: lifted, audited
    assert core.import_file(centre, tmp_path / "a.cdsync").status == "duplicate"

    # Another station's bundle signed with station 4's key claims station 5: refused, named.
    other = stations[4]
    core.export_up(other["db"], tmp_path / "c.cdsync")
    raw = (tmp_path / "c.cdsync").read_bytes()
    forged = raw.replace(str(other["id"]).encode(), str(stations[5]["id"]).encode())
    with pytest.raises(SyncRefused) as err:
        core.import_bytes(centre, forged, "c.cdsync")
    assert err.value.reason in ("damaged", "other_key", "forged")
    # A downlink for station 4 imported at station 5: refused.
    core.export_down(centre, other["code"], tmp_path / "d.cdsync")
    with pytest.raises(SyncRefused) as err:
        core.import_file(stations[5]["db"], tmp_path / "d.cdsync")
    assert err.value.reason == "other_station"
