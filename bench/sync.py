"""Sync: the outbox's cost on a payment, and a station-month exported and imported at a PostgreSQL centre.

Two parts. (1) SQLite, one store: payments timed with the outbox on and off, alternately (the
difference is the outbox's cost). (2) A PostgreSQL centre with a demo station of --accounts
accounts (readings and bills), provisioned to a SQLite station that works a month offline
(readings of every meter, the month's bills, payments, contacts); its bundle is exported (floor
5 s) and imported at the centre (floor 5,000 changed rows/s, audit chain verified on the way),
beside the machine's own limit: COPY of the same rows into bare tables.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import machine, peak_rss_mb, percentiles

FLOOR_P95_MS = 50.0
FLOOR_EXPORT_S = 5.0
FLOOR_IMPORT_ROWS_S = 5000.0
FLOOR_RSS_MB = 400.0
PG_ADMIN = os.environ.get("COUNTERDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def add_arguments(p) -> None:
    p.add_argument("--accounts", type=int, default=3000)
    p.add_argument("--payments", type=int, default=400, help="payments timed with and without the outbox")
    p.add_argument("--month-payments", type=int, default=1500, help="payments in the station's month")
    p.add_argument("--skip-centre", action="store_true", help="only the outbox's cost on a payment")
    p.add_argument("--json", action="store_true")
    p.add_argument("--network", action="store_true", help="many stations at once through the sync service (bench/sync_network.py)")
    p.add_argument("--simulate", action="store_true", help="the long seeded simulation (bench/sync_sim.py) instead")
    p.add_argument("--weeks", type=int, default=6, help="simulated weeks (--simulate)")
    p.add_argument("--sim-stations", type=int, default=20, help="stations (--simulate)")
    p.add_argument("--sim-accounts", type=int, default=3, help="accounts per station (--simulate)")
    p.add_argument("--seed", type=int, default=1313, help="the simulation's seed (--simulate)")
    from bench import sync_network

    sync_network.add_arguments(p)


def _station(folder: Path, accounts: int):
    from sqlalchemy import select

    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import Account
    from app.services import auth, demo
    from app.services.billing import demo_data
    from app.services.payments import posting

    db = Database(f"sqlite:///{folder / 'station.sqlite'}")
    upgrade(db.engine)
    admin = demo.fill_new_store(db, accounts)
    demo_data.fill(db, random.Random(5), admin)
    auth.create_clerk(db, admin, "benchclerk", "收费员", "clerk12345", "clerk", "9001")
    clerk = auth.get_actor(db, "benchclerk")
    posting.open_shift(db, clerk, "0")
    make_station(db, clerk.station_id)
    with db.read() as s:
        ids = list(s.scalars(select(Account.id).where(Account.status != "closed")))
    return db, clerk, ids


def make_station(db, station_id) -> uuid.UUID:
    """Make a store a syncing station (its identity and outbox position, a key pair of its own), as
    provisioning would, so that every unit of work is recorded in its outbox. Returns its station."""
    from app.models import SyncIdentity, SyncPeer
    from app.services.sync import keys

    private, public = keys.new_key_pair()
    with db.write() as s:
        s.add(
            SyncIdentity(
                id=1,
                role="station",
                centre_id=uuid.uuid4(),
                station_id=station_id,
                private_key=private,
                public_key=public,
                centre_public_key=public,
            )
        )
        s.add(SyncPeer(station_id=station_id, public_key=public))
    db.__dict__.pop("sync_station", None)
    db.__dict__.pop("sync_role", None)
    return station_id


def _pay(db, clerk, ids, n, rng, tag) -> list[float]:
    from app.services.payments import posting

    times = []
    for i in range(n):
        t = time.perf_counter()
        posting.post_payment(db, clerk, rng.choice(ids), str(rng.randrange(10, 300)), "cash", f"{tag}-{i}", "300")
        times.append((time.perf_counter() - t) * 1000)
    return times


def run(args) -> int:
    if getattr(args, "network", False):
        from bench import sync_network

        return sync_network.run(args)
    if getattr(args, "simulate", False):
        return _simulate(args)
    from sqlalchemy import func, insert, select

    from app.models import SyncOutbox
    from app.services.sync import core

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, clerk, ids = _station(folder, args.accounts)
        db.__dict__.pop("sync_station", None)
        from app.db import outbox as _outbox

        station_id = _outbox.station_of(db)  # read once; then switched without asking the store again
        on_ms, off_ms = [], []
        for i in range(2 * args.payments):  # alternately, so the machine's ups and downs fall on both
            use = i % 2 == 0
            if use:
                db.sync_station = station_id  # on
            else:
                db.sync_station = None  # off: the same store as a counter that does not sync
            (on_ms if use else off_ms).extend(_pay(db, clerk, ids, 1, rng, f"p{i}"))
        db.__dict__.pop("sync_station", None)
        on, off = percentiles(on_ms), percentiles(off_ms)
        with db.read() as s:
            units = s.scalar(select(func.count()).select_from(SyncOutbox))
            rows = s.scalar(select(func.sum(SyncOutbox.rows)))
        t = time.perf_counter()
        core.export_up(db, folder / "month.cdsync")
        export_s = time.perf_counter() - t
        size = (folder / "month.cdsync").stat().st_size
        # The machine's own limit for writing the same rows: raw executemany of the outbox payloads.
        with db.read() as s:
            payloads = [
                dict(station_id=uuid.uuid4(), seq=r.seq, at=r.at, rows=r.rows, hash=r.hash, payload=r.payload)
                for r in s.scalars(select(SyncOutbox))
            ]
        t = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(insert(SyncOutbox.__table__), payloads)
        raw_s = time.perf_counter() - t
        db.dispose()
    result = {
        "machine": machine(),
        "payment_p95_ms_without_outbox": off["p95"],
        "payment_p95_ms_with_outbox": on["p95"],
        "payment_p50_ms_without_outbox": off["p50"],
        "payment_p50_ms_with_outbox": on["p50"],
        "floor_p95_ms": FLOOR_P95_MS,
        "outbox_units": units,
        "outbox_rows": rows,
        "export_s": round(export_s, 3),
        "export_floor_s": FLOOR_EXPORT_S,
        "bundle_bytes": size,
        "raw_write_same_units_s": round(raw_s, 3),
        "export_to_raw_ratio": round(export_s / raw_s, 1) if raw_s else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if not args.skip_centre:
        result.update(_centre_month(args))
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"machine: {result['machine']}")
        print(
            f"payment p95: {on['p95']:.1f} ms with the outbox, {off['p95']:.1f} ms without (the machine's own, same store); "
            f"floor {FLOOR_P95_MS} ms: {'met' if on['p95'] <= FLOOR_P95_MS else 'MISSED'}"
        )
        print(
            f"export of {units} units ({rows} rows, {size} bytes): {export_s:.2f} s; raw executemany of the same units "
            f"{raw_s:.2f} s (ratio {result['export_to_raw_ratio']}); floor {FLOOR_EXPORT_S} s: "
            f"{'met' if export_s <= FLOOR_EXPORT_S else 'MISSED'}"
        )
        if "import_rows_per_s" in result:
            r = result
            print(
                f"station-month: {r['month_units']} units, {r['month_rows']} rows, bundle {r['month_bundle_bytes']} bytes; "
                f"export {r['month_export_s']} s (floor {FLOOR_EXPORT_S} s: {'met' if r['month_export_s'] <= FLOOR_EXPORT_S else 'MISSED'})"
            )
            print(
                f"import at the centre: {r['import_s']} s, {r['import_rows_per_s']} rows/s with the audit chain verified "
                f"(floor {FLOOR_IMPORT_ROWS_S:.0f}: {'met' if r['import_rows_per_s'] >= FLOOR_IMPORT_ROWS_S else 'MISSED'}); "
                f"the machine's own limit, COPY of the same rows into bare tables: {r['raw_copy_rows_per_s']} rows/s "
                f"(ratio {r['import_to_raw_ratio']})"
            )
            print(f"provisioning: {r['provision_rows']} rows, made in {r['provision_s']} s, set up at the station in {r['set_up_s']} s")
        print(
            f"peak RSS {result['peak_rss_mb']} MB (floor {FLOOR_RSS_MB:.0f}: {'met' if result['peak_rss_mb'] < FLOOR_RSS_MB else 'MISSED'})"
        )
    return 0


def _centre_month(args) -> dict:
    """Part (2): see the module's text."""
    import uuid as _uuid

    from sqlalchemy import create_engine, select, text

    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.kernel.errors import UserError
    from app.kernel.localtime import local_today
    from app.models import Account, Clerk, Meter, Station, SyncOutbox
    from app.models.base import Base
    from app.services import auth, demo
    from app.services import customers as cs
    from app.services.billing import bills, demo_data, readings
    from app.services.payments import posting
    from app.services.sync import bundle, core, manage

    name = f"counterdesk_bench_sync_{_uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    out: dict = {}
    tmp = Path(tempfile.mkdtemp())
    try:
        centre = Database(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
        upgrade(centre.engine)
        demo_admin = demo.fill_new_store(centre, args.accounts)  # the demo station and its customers
        demo_data.fill(centre, random.Random(5), demo_admin)
        with centre.write() as s:
            hq = Station(code="0000", name="中心")
            s.add(hq)
            s.flush()
            s.add(
                Clerk(
                    station_id=hq.id,
                    login="centreadmin",
                    name="中心管理员",
                    staff_no="C0001",
                    role="admin",
                    password_hash=auth.hash_password("centre12345"),
                )
            )
        cadmin = auth.get_actor(centre, "centreadmin")
        core.init_centre(centre, cadmin)
        code = demo_admin.station_code
        t = time.perf_counter()
        prov = manage.provision(centre, cadmin, code, "", tmp / "station.prov", "bench-passphrase")
        out["provision_s"] = round(time.perf_counter() - t, 2)
        out["provision_rows"] = prov.rows
        station = Database(f"sqlite:///{tmp / 'station.sqlite'}")
        upgrade(station.engine)
        t = time.perf_counter()
        manage.set_up_station(station, (tmp / "station.prov").read_bytes(), "bench-passphrase")
        out["set_up_s"] = round(time.perf_counter() - t, 2)
        clerk = (
            auth.get_actor(station, demo_admin and "zhangli") if _has(station, "zhangli") else auth.get_actor(station, demo_admin.staff_no)
        )
        posting.open_shift(station, clerk, "0")
        # A month offline: every meter read, the month's bills, payments, contacts.
        rng = random.Random(21)
        period = local_today().strftime("%Y-%m")
        with station.read() as s:
            meters = list(s.execute(select(Meter.id).where(Meter.registers == "total", Meter.status == "active")).scalars())
            accounts = list(s.execute(select(Account.id, Account.account_no, Account.customer_id).where(Account.status != "closed")))
        for mid in meters:
            try:
                readings.record_reading(station, clerk, mid, "total", period, str(rng.randrange(100, 900) + 99000), confirm_high=True)
            except UserError:
                pass
        try:
            bills.issue_accounts(station, clerk, [a.account_no for a in accounts], period)
        except UserError:
            pass
        for i in range(args.month_payments):
            a = rng.choice(accounts)
            try:
                posting.post_payment(station, clerk, a.id, str(rng.randrange(20, 400)), "cash", f"m{i}", "400")
            except UserError:
                pass
            if i % 5 == 0:
                cs.record_contact(station, clerk, a.customer_id, "counter", "inquiry", "问询电费", account_id=a.id)
        with station.read() as s:
            out["month_units"] = s.query(SyncOutbox).count()
            out["month_rows"] = int(sum(r for (r,) in s.execute(select(SyncOutbox.rows))))
        t = time.perf_counter()
        core.export_up(station, tmp / "month.cdsync")
        out["month_export_s"] = round(time.perf_counter() - t, 2)
        out["month_bundle_bytes"] = (tmp / "month.cdsync").stat().st_size
        station.dispose()
        data = (tmp / "month.cdsync").read_bytes()
        profile = None
        if os.environ.get("COUNTERDESK_BENCH_PROFILE"):
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        t = time.perf_counter()
        result = core.import_bytes(centre, data, "month.cdsync")
        dt = time.perf_counter() - t
        if profile is not None:
            import pstats

            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        out["import_s"] = round(dt, 2)
        out["import_rows"] = result.rows
        out["import_rows_per_s"] = round(result.rows / dt) if dt else None
        # The machine's own limit: COPY of the same rows into bare tables (no keys, no checks).
        _header, _line, _sig, raw = bundle.parse(data)
        units = bundle.body_of(raw)["units"]
        by_table: dict = {}
        for u in units:
            for c in json.loads(u["payload"])["changes"]:
                by_table.setdefault(c["t"], []).append(c["row"])
        raw_conn = centre.engine.raw_connection()
        try:
            cur = raw_conn.driver_connection.cursor()
            t = time.perf_counter()
            n = 0
            for table, rows in by_table.items():
                cols = [c.name for c in Base.metadata.tables[table].columns]
                scaled = _scaled(table)
                cur.execute(f'CREATE TEMP TABLE "raw_{table}" AS SELECT * FROM "{table}" WITH NO DATA')
                collist = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f'COPY "raw_{table}" ({collist}) FROM STDIN') as copy:
                    for r in rows:
                        copy.write_row([None if (c in scaled and isinstance(r.get(c), str)) else r.get(c) for c in cols])
                        n += 1
            raw_conn.commit()
            raw_s = time.perf_counter() - t
        finally:
            raw_conn.close()
        out["raw_copy_rows_per_s"] = round(n / raw_s) if raw_s else None
        out["import_to_raw_ratio"] = round(out["import_rows_per_s"] / out["raw_copy_rows_per_s"], 2) if out["raw_copy_rows_per_s"] else None
        from app.services import audit

        with centre.read() as s:
            out["audit_ok"] = audit.verify(s).ok
        centre.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return out


def _has(db, login: str) -> bool:
    from sqlalchemy import select

    from app.models import Clerk

    with db.read() as s:
        return s.scalar(select(Clerk.id).where(Clerk.login == login)) is not None


def _scaled(table: str) -> set:
    from sqlalchemy.types import TypeDecorator

    from app.models.base import Base

    return {c.name for c in Base.metadata.tables[table].columns if isinstance(c.type, TypeDecorator)}


def _simulate(args) -> int:
    """`--simulate`: bench/sync_sim.py over --weeks with --sim-stations SQLite stations and a
    PostgreSQL centre; prints the rules broken (none expected), the time, and beside the mean import
    of a bundle the limit it competes with: one synchronous commit at the centre."""
    import statistics

    from sqlalchemy import create_engine, text

    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.kernel.localtime import local_today
    from app.services.sync import core
    from bench import sync_sim

    days = 7 * args.weeks
    name = f"counterdesk_bench_sim_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    imports: list[float] = []
    real_import = core.import_bytes

    def timed_import(db, data, name_, actor=None):
        t = time.perf_counter()
        try:
            return real_import(db, data, name_, actor)
        finally:
            if db is centre:
                imports.append(time.perf_counter() - t)

    try:
        centre = Database(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
        upgrade(centre.engine)
        with tempfile.TemporaryDirectory() as tmp:
            start = sync_sim.start_for(days, local_today())
            t = time.perf_counter()
            world = sync_sim.build_world(centre, Path(tmp), args.sim_stations, args.seed, start, args.sim_accounts)
            setup_s = time.perf_counter() - t
            core.import_bytes = timed_import
            try:
                t = time.perf_counter()
                sync_sim.run_days(world, days, start)
                sync_sim.final_delivery(world)
                run_s = time.perf_counter() - t
                problems = sync_sim.check(world)
                unchanged, odd = sync_sim.reapply(world)
            finally:
                core.import_bytes = real_import
            sync_sim.dispose(world)
        # The limit: one synchronous commit of one small row at the centre.
        commits = []
        with centre.engine.connect() as conn:
            conn.execute(text("CREATE TEMP TABLE bench_commit (n integer)"))
            conn.commit()
            for i in range(50):
                t = time.perf_counter()
                conn.execute(text("INSERT INTO bench_commit VALUES (:n)"), {"n": i})
                conn.commit()
                commits.append(time.perf_counter() - t)
        centre.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    if not unchanged:
        problems.append("applying every bundle again changed the centre's tables")
    if odd:
        problems.append(f"bundles applied again answered {sorted(set(odd))} instead of 'applied before'")
    mean_import = statistics.fmean(imports) if imports else 0.0
    commit = statistics.median(commits)
    result = {
        "machine": machine(),
        "weeks": args.weeks,
        "stations": args.sim_stations,
        "accounts_per_station": args.sim_accounts,
        "seed": args.seed,
        "first_day": start.isoformat(),
        "set_up_s": round(setup_s, 1),
        "run_s": round(run_s, 1),
        "bundles_made": len(world.bundles),
        "copies_delivered": world.exchanges,
        "tampered_copies": world.tampered,
        "tampered_refused": world.tampered_refused,
        "concurrent_edits": len(world.edits),
        "months_billed": sorted(world.billed_periods),
        "imports_at_centre": len(imports),
        "mean_import_ms": round(mean_import * 1000, 1),
        "one_commit_ms": round(commit * 1000, 2),
        "import_to_commit_ratio": round(mean_import / commit, 1) if commit else None,
        "problems": problems,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        r = result
        print(f"machine: {r['machine']}")
        print(
            f"simulation: {r['stations']} stations x {r['accounts_per_station']} accounts, {r['weeks']} weeks from {r['first_day']} "
            f"(seed {r['seed']}): set up {r['set_up_s']} s, run {r['run_s']} s"
        )
        print(
            f"courier: {r['bundles_made']} bundles made, {r['copies_delivered']} copies delivered, {r['tampered_copies']} tampered "
            f"({r['tampered_refused']} refused); {r['concurrent_edits']} concurrent edits; months billed {r['months_billed']}"
        )
        print(
            f"import at the centre: {r['imports_at_centre']} imports, mean {r['mean_import_ms']} ms; the limit, one synchronous commit "
            f"at the centre: {r['one_commit_ms']} ms (ratio {r['import_to_commit_ratio']})"
        )
        print("rules: all hold" if not problems else "rules BROKEN:\n  " + "\n  ".join(problems))
        print(f"peak RSS {r['peak_rss_mb']} MB")
    return 0 if not problems else 1
