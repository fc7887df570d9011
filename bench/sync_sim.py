"""A seeded simulation of stations and the centre (docs/SYNC.md, Tests): SQLite stations working
offline and a PostgreSQL centre, exchanging bundles through a courier that loses, duplicates,
reorders, truncates and bit-flips them and replays old ones.

Used small by tests/test_sync_simulation.py (a seed and a size, quick in the suite) and long by
`counterdesk bench sync --simulate --weeks N --stations M` (several weeks, many stations). Every
simulated day each station takes payments; on the first day of a month it reads every meter and
bills the month before; every week one customer's phone is changed at the centre and at one station
on the same day (a concurrent edit), and on the first day a bill is paid at the centre (a bank
payment) and at its station while apart. `check` then lists every broken rule (an empty list: all
hold): every payment exactly once at the centre, each station's daily totals equal, receipt and bill
numbers gap-free per station, every concurrent edit exactly one conflict, the twice-paid bill paid
once with the surplus flagged, bills and balances (arrears) equal at station and centre, every
tampered copy refused and no good one, audit chains verified; `reapply` applies every bundle ever
made again and says whether the centre's tables changed.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

PASS = "provision-pass"


def start_for(days: int, today: date) -> date:
    """The first simulated day: the run ends by `today` (a station refuses later days) and has a
    month's first day near its middle, so even a short run bills a month."""
    first = today.replace(day=1)
    start = first - timedelta(days=days // 2)
    if start + timedelta(days=days - 1) > today:
        start = (first - timedelta(days=1)).replace(day=1) - timedelta(days=days // 2)
    return start


@dataclass
class World:
    centre: object
    admin: object
    stations: list[dict]
    folder: Path
    rng: random.Random
    bundles: list[bytes] = field(default_factory=list)  # every good bundle made (uplinks)
    tampered: int = 0
    tampered_refused: int = 0
    good_refused: list[str] = field(default_factory=list)
    edits: list[tuple] = field(default_factory=list)  # (customer id, field) changed on both sides
    contested: object = None
    first_period: str = ""
    exchanges: int = 0
    billed_periods: set = field(default_factory=set)


def centre_checksum(db) -> str:
    """A hash of every row of the centre's tables (not the peers' positions and held bundles)."""
    from sqlalchemy import select

    from app.models.base import Base

    h = hashlib.sha256()
    with db.read() as s:
        for t in Base.metadata.sorted_tables:
            if t.name in ("sync_peers", "sync_held", "sync_links", "sync_nonces"):
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


def build_world(centre, folder: Path, stations: int, seed: int, start: date, accounts_per_station: int = 2) -> World:
    """A centre (on `centre`, an empty store) with `stations` stations, each with its area of
    customers read and billed for the month before `start`, provisioned onto its own new SQLite
    store in `folder` with a clerk on shift."""
    from sqlalchemy import select

    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import Account, Station
    from app.services import auth
    from app.services import customers as cs
    from app.services.billing import bills, readings, tariffs
    from app.services.payments import posting
    from app.services.sync import core, manage

    folder = Path(folder)
    first_period = (start.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司", "", ""), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    tariffs.ensure_default_tariffs(centre, cadmin)
    made = []
    for i in range(stations):
        account_ids, customer_ids, meter_ids = [], [], []
        for j in range(accounts_per_station):
            cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name=f"客户{i}{j}", phone=f"138{i:04d}{j:04d}"))
            aid = cs.create_account(centre, cadmin, cid, cs.AccountInput(supply_address=f"{i}村{j}号", tariff_code="ZJ-RES-Y"))
            mid = cs.create_meter(centre, cadmin, aid, cs.MeterInput(meter_no=f"M99{i:04d}{j:04d}", initial_reading="1000"))
            readings.record_reading(centre, cadmin, mid, "total", first_period, str(1100 + 10 * j))
            customer_ids.append(cid)
            account_ids.append(aid)
            meter_ids.append(mid)
        made.append({"code": f"{3400 + i}", "accounts": account_ids, "customers": customer_ids, "meters": meter_ids})
    with centre.read() as s:
        all_nos = list(s.scalars(select(Account.account_no)))
    bills.issue_accounts(centre, cadmin, all_nos, first_period, today=start.replace(day=1))
    for i, st in enumerate(made):
        code = st["code"]
        with centre.write() as s:
            s.add(Station(code=code, name=f"站{i}"))
        manage.assign_area(centre, cadmin, code, st["customers"])
        with centre.read() as s:
            sid = s.scalar(select(Station.id).where(Station.code == code))
        auth.create_clerk(centre, cadmin, f"c{i}", f"收费员{i}", "clerk1234", "clerk", f"5{i:03d}", station_id=sid)
        manage.provision(centre, cadmin, code, f"站{i}", folder / f"p{i}.prov", PASS)
        db = Database(f"sqlite:///{folder / f'st{i}.sqlite'}")
        upgrade(db.engine)
        manage.set_up_station(db, (folder / f"p{i}.prov").read_bytes(), PASS)
        clerk = auth.login(db, f"c{i}", "clerk1234")
        posting.open_shift(db, clerk, "0")
        st.update(db=db, clerk=clerk, id=sid, readings={m: 1100 + 10 * j for j, m in enumerate(st["meters"])})
    posting.open_shift(centre, cadmin, "0")
    return World(centre, cadmin, made, folder, random.Random(seed), first_period=first_period)


def dispose(world: World) -> None:
    for st in world.stations:
        st["db"].dispose()


def _deliver(world: World, copies: list[tuple[bytes, bool]]) -> None:
    from app.services.sync import core
    from app.services.sync.bundle import SyncRefused

    for data, bad in copies:
        try:
            core.import_bytes(world.centre, data, "courier")
        except SyncRefused as err:
            if bad and err.reason in ("truncated", "damaged", "forged"):
                world.tampered_refused += 1
            elif not bad:
                world.good_refused.append(err.reason)
        else:
            if bad:
                world.good_refused.append("a tampered copy was applied")


def _edit_phone(db, actor, customer_id, phone: str) -> None:
    from app.services import customers as cs

    form = cs.load_customer_for_edit(db, actor, customer_id)
    form.phone = phone
    cs.update_customer(db, actor, customer_id, form)


def _month_end(world: World, st: dict, day: date) -> None:
    """The first day of a month: every meter of the station's area read and the month before billed."""
    from sqlalchemy import select

    from app.models import Account
    from app.services.billing import bills, readings

    period = (day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    for mid in st["meters"]:
        st["readings"][mid] += world.rng.randrange(20, 200)
        readings.record_reading(st["db"], st["clerk"], mid, "total", period, str(st["readings"][mid]), read_on=day)
    with st["db"].read() as s:
        nos = list(s.scalars(select(Account.account_no).where(Account.id.in_(st["accounts"]))))
    bills.issue_accounts(st["db"], st["clerk"], nos, period, today=day)
    world.billed_periods.add(period)


def run_days(world: World, days: int, start: date) -> None:
    """`days` simulated days: work at the stations, the courier's trips, the centre's answers."""
    from app.services.payments import posting
    from app.services.sync import core

    rng, centre, stations = world.rng, world.centre, world.stations
    in_transit: list[tuple[bytes, bool]] = []
    n = 0
    for d in range(days):
        today = start + timedelta(days=d)
        edit_today = None
        if d % 7 == 0:  # once a week the same field is changed at the centre and at a station on the same day
            week = d // 7
            st = stations[(week * 7 + 1) % len(stations)]
            customer = st["customers"][week % len(st["customers"])]
            if (customer, "phone") not in {e[:2] for e in world.edits}:
                _edit_phone(centre, world.admin, customer, f"1391111{week:04d}")
                edit_today = (st, customer, f"1392222{week:04d}")
                world.edits.append((customer, "phone", st["code"]))
        if d == 0:  # the same bill paid at the centre (a bank payment) and at its station while apart
            world.contested = stations[0]["accounts"][0]
            posting.post_payment(centre, world.admin, world.contested, "200", "transfer", "bank-1", reference="BANK1", today=today)
        for i, st in enumerate(stations):
            db, clerk = st["db"], st["clerk"]
            if today.day == 1:
                _month_end(world, st, today)
            for _op in range(rng.randrange(1, 4)):
                aid = rng.choice(st["accounts"])
                posting.post_payment(db, clerk, aid, str(rng.randrange(5, 90)), "cash", f"k{i}-{n}", "100", today=today)
                n += 1
            if d == 0 and i == 0:
                posting.post_payment(db, clerk, world.contested, "200", "cash", "contested", "200", today=today)
            if edit_today is not None and edit_today[0] is st:
                _edit_phone(db, clerk, edit_today[1], edit_today[2])
            if rng.random() < 0.15:
                continue  # no courier from this station today
            path = world.folder / f"up-{i}.cdsync"
            core.export_up(db, path)
            data = path.read_bytes()
            world.bundles.append(data)
            fate = rng.random()
            if fate < 0.2:
                continue  # lost on the way
            copies = [(data, False)] * (2 if fate > 0.85 else 1)
            if rng.random() < 0.25:
                copies.append((_tamper(data, rng, rng.choice(["truncate", "flip"])), True))
                world.tampered += 1
            in_transit.extend(copies)
        rng.shuffle(in_transit)
        if d > 0 and world.bundles:
            in_transit.append((rng.choice(world.bundles), False))  # an old one replayed
        _deliver(world, in_transit)
        world.exchanges += len(in_transit)
        in_transit = []
        for i, st in enumerate(stations):
            if rng.random() < 0.3:
                continue  # the answer was lost
            path = world.folder / f"down-{i}.cdsync"
            core.export_down(centre, st["code"], path)
            core.import_file(st["db"], path)


def final_delivery(world: World) -> None:
    """Everything delivered at last, twice round so every acknowledgement arrives."""
    from app.services.sync import core

    for _round in range(2):
        for i, st in enumerate(world.stations):
            path = world.folder / f"final-{i}.cdsync"
            core.export_up(st["db"], path)
            world.bundles.append(path.read_bytes())
            core.import_file(world.centre, path)
            down = world.folder / f"final-down-{i}.cdsync"
            core.export_down(world.centre, st["code"], down)
            core.import_file(st["db"], down)


def check(world: World) -> list[str]:
    """Every rule of docs/SYNC.md the simulation can see, after final delivery: the broken ones."""
    from sqlalchemy import func, select

    from app.models import Account, Bill, Payment, SyncConflict
    from app.services import audit
    from app.services.sync import manage

    problems: list[str] = []
    centre = world.centre
    if world.good_refused:
        problems.append(f"good bundles refused: {world.good_refused[:5]}")
    if world.tampered_refused != world.tampered:
        problems.append(f"tampered copies: {world.tampered}, refused: {world.tampered_refused}")
    with centre.read() as s:
        centre_payments = {(r.station_id, r.receipt_no): r for r in s.scalars(select(Payment))}
    for st in world.stations:
        code = st["code"]
        with st["db"].read() as s:
            mine = list(s.scalars(select(Payment).where(Payment.station_id == st["id"])))
            own_bills = list(s.scalars(select(Bill.bill_no).where(Bill.station_id == st["id"])))
        if manage.status(st["db"]).waiting:
            problems.append(f"station {code}: units still waiting for the centre")
        for p in mine:
            c = centre_payments.get((st["id"], p.receipt_no))
            if c is None or (c.amount_fen, c.created_at, c.id) != (p.amount_fen, p.created_at, p.id):
                problems.append(f"station {code}: payment {p.receipt_no} not at the centre as made")
        if len([k for k in centre_payments if k[0] == st["id"]]) != len(mine):
            problems.append(f"station {code}: the centre has another number of its payments")
        by_year = defaultdict(list)
        for p in mine:
            _r, _station, year, no = p.receipt_no.split("-")
            by_year[year].append(int(no))
        for year, nos in by_year.items():
            if sorted(nos) != list(range(1, len(nos) + 1)):
                problems.append(f"station {code}: receipt numbers of {year} not gap-free")
        issues = defaultdict(list)
        for no in own_bills:
            issues[no[:-2]].append(int(no[-2:]))
        for stem, nns in issues.items():
            if sorted(nns) != list(range(1, len(nns) + 1)):
                problems.append(f"station {code}: bill numbers of {stem} not gap-free")
        station_days, centre_days = defaultdict(int), defaultdict(int)
        for p in mine:
            station_days[p.created_at.date()] += p.amount_fen
        for (sid, _no), c in centre_payments.items():
            if sid == st["id"]:
                centre_days[c.created_at.date()] += c.amount_fen
        if station_days != centre_days:
            problems.append(f"station {code}: daily totals differ at the centre")

        def state(db):
            with db.read() as s:
                bills = {
                    (b.bill_no, b.paid_fen, b.late_fee_paid_fen, b.status)
                    for b in s.scalars(select(Bill).where(Bill.account_id.in_(st["accounts"])))
                }
                balances = dict(s.execute(select(Account.id, Account.balance_fen).where(Account.id.in_(st["accounts"]))).all())
            return bills, balances

        if state(st["db"]) != state(centre):
            problems.append(f"station {code}: bills or balances (arrears) differ from the centre's")
    with centre.read() as s:
        conflicts = s.scalars(select(SyncConflict)).all()
        fields = sorted((c.entity_id, c.field) for c in conflicts if c.kind == "field")
        want = sorted((str(customer), name) for customer, name, _code in world.edits)
        if fields != want:
            problems.append(f"conflicts {fields} for the concurrent edits {want}")
        doubles = [c for c in conflicts if c.kind == "double_payment"]
        if len(doubles) != 1:
            problems.append(f"{len(doubles)} double-payment cases (1 expected)")
        if world.contested is not None:
            bill = s.scalar(select(Bill).where(Bill.account_id == world.contested, Bill.period == world.first_period))
            if not (bill.status == "paid" and bill.paid_fen == bill.amount_fen):
                problems.append("the bill paid twice is not paid exactly once")
            if s.scalar(select(func.count()).select_from(Payment).where(Payment.account_id == world.contested)) < 2:
                problems.append("a payment of the bill paid twice is missing")
        verified = audit.verify(s)
        if not verified.ok:
            problems.append("an audit chain does not verify at the centre")
    return problems


def reapply(world: World) -> tuple[bool, list[str]]:
    """Apply every bundle ever made again: (the centre's tables unchanged, statuses other than duplicate)."""
    from app.services.sync import core
    from app.services.sync.bundle import SyncRefused

    before = centre_checksum(world.centre)
    odd = []
    for data in world.bundles:
        try:
            status = core.import_bytes(world.centre, data, "again").status
        except SyncRefused as err:
            status = err.reason
        if status != "duplicate":
            odd.append(status)
    return centre_checksum(world.centre) == before, odd
