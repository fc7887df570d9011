"""Payments: confirm -> committed payment + receipt PDF (p50/p95, SQLite), and payments/s with 4 counters on PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import sys
import time
import uuid

from bench.common import machine, percentiles

FLOOR_P95_MS = 50.0
FLOOR_PER_S = 200.0
PG_ADMIN = os.environ.get("COUNTERDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def add_arguments(p) -> None:
    p.add_argument("--customers", type=int, default=3000)
    p.add_argument("--payments", type=int, default=500, help="payments timed on SQLite")
    p.add_argument("--per-counter", type=int, default=400, help="payments per counter on PostgreSQL")
    p.add_argument(
        "--sync",
        choices=["off", "on", "both"],
        default="off",
        help="the SQLite store is a syncing station (every payment also written to its outbox): on, off, or both alternately",
    )
    p.add_argument("--json", action="store_true")


def _prepare(db, customers: int):
    """A store with demo customers, a month of bills, and 4 clerks with open shifts."""
    from sqlalchemy import select

    from app.models import Account
    from app.services import auth, demo
    from app.services.billing import demo_data
    from app.services.payments import posting

    admin = demo.fill_new_store(db, customers)
    demo_data.fill(db, random.Random(5), admin)
    clerks = []
    for i in range(4):
        login = f"counter{i}"
        auth.create_clerk(db, admin, login, f"柜台{i}", "counter123", "clerk", f"C{i:03d}")
        actor = auth.get_actor(db, login)
        posting.open_shift(db, actor, "500")
        clerks.append(login)
    with db.read() as s:
        accounts = [a for a in s.scalars(select(Account.id))]
    return clerks, accounts


def _counter(url: str, login: str, accounts: list, n: int, seed: int, out, ready, go) -> None:
    from app.db.engine import Database
    from app.services import auth
    from app.services.payments import posting

    db = Database(url)
    actor = auth.get_actor(db, login)
    rng = random.Random(seed)
    posting.current_shift(db, actor)  # connect and warm up before the clock starts
    ready.release()
    go.wait()
    t = time.perf_counter()
    for _ in range(n):
        posting.post_payment(db, actor, rng.choice(accounts), str(rng.randrange(5, 300)), "qr", uuid.uuid4().hex, reference="QR")
    out.put(time.perf_counter() - t)
    db.dispose()


def run(args) -> int:
    from sqlalchemy import create_engine, func, select, text

    from app.commands.common import open_database
    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import Payment
    from app.paths import data_dir, sqlite_url
    from app.printing.payments.receipt import render_receipt
    from app.services import auth
    from app.services.payments import posting

    report = {"machine": machine()}
    # --- one counter on SQLite: confirm -> committed + receipt PDF bytes
    path = data_dir() / f"bench-payments-{uuid.uuid4().hex[:6]}.sqlite"
    args.db = sqlite_url(path)
    db = open_database(args)
    clerks, accounts = _prepare(db, args.customers)
    actor = auth.get_actor(db, clerks[0])
    rng = random.Random(9)
    times, times_off = [], []
    sync = getattr(args, "sync", "off")
    station = None
    if sync != "off":  # a syncing station (docs/SYNC.md): "both" alternates on and off on the same store
        from bench.sync import make_station

        station = make_station(db, actor.station_id)
    for i in range(args.payments * (2 if sync == "both" else 1)):
        on = sync == "on" or (sync == "both" and i % 2 == 0)
        if station is not None:
            db.sync_station = station if on else None
        t = time.perf_counter()
        p = posting.post_payment(db, actor, rng.choice(accounts), str(rng.randrange(5, 300)), "cash", uuid.uuid4().hex, "500")
        render_receipt(posting.receipt_document(db, p.payment_id), "80mm")
        (times if (on or sync == "off") else times_off).append((time.perf_counter() - t) * 1000)
    report["sqlite_confirm_to_receipt_ms"] = percentiles(times)
    report["sync"] = sync
    if sync == "both":
        report["sqlite_confirm_to_receipt_ms_sync_off"] = percentiles(times_off)
    db.dispose()
    path.unlink(missing_ok=True)
    ok = report["sqlite_confirm_to_receipt_ms"]["p95"] <= FLOOR_P95_MS
    # --- four counters at once on a throwaway PostgreSQL database
    name = f"counterdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not reachable ({exc}); the 4-counter part is skipped", file=sys.stderr)
        report["postgresql"] = None
    else:
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        try:
            pg = Database(url)
            upgrade(pg.engine)
            clerks, accounts = _prepare(pg, args.customers)
            ctx = mp.get_context("spawn")
            out, ready, go = ctx.Queue(), ctx.Semaphore(0), ctx.Event()
            procs = [
                ctx.Process(target=_counter, args=(url, login, accounts, args.per_counter, i, out, ready, go))
                for i, login in enumerate(clerks)
            ]
            for p in procs:
                p.start()
            for _ in procs:
                ready.acquire()  # every counter is logged in and connected
            t = time.perf_counter()
            go.set()
            for p in procs:
                p.join()
            wall = time.perf_counter() - t
            with pg.read() as s:
                numbers = sorted(int(n.rsplit("-", 1)[1]) for n in s.scalars(select(Payment.receipt_no)))
                total = s.scalar(select(func.count()).select_from(Payment))
            expected = total
            missing = len(set(range(1, expected + 1)) - set(numbers))
            duplicates = len(numbers) - len(set(numbers))
            report["postgresql"] = {
                "counters": 4,
                "payments": total,
                "seconds": round(wall, 2),
                "per_second": round(total / wall),
                "missing_numbers": missing,
                "duplicate_numbers": duplicates,
            }
            ok &= total / wall >= FLOOR_PER_S and missing == 0 and duplicates == 0 and total == 4 * args.per_counter
            pg.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    report["floors"] = {"sqlite_p95_ms": FLOOR_P95_MS, "postgresql_per_second": FLOOR_PER_S, "met": ok}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        st = report["sqlite_confirm_to_receipt_ms"]
        print(report["machine"])
        print(f"SQLite, confirm to committed payment + receipt PDF over {st['n']} payments: p50 {st['p50']:.1f} ms, p95 {st['p95']:.1f} ms")
        if report["sync"] != "off":
            off = report.get("sqlite_confirm_to_receipt_ms_sync_off")
            print(
                "  the store syncs (every payment also written to the outbox)"
                + (f"; the same payments with sync off, alternately: p50 {off['p50']:.1f} ms, p95 {off['p95']:.1f} ms" if off else "")
            )
        if report["postgresql"]:
            pgr = report["postgresql"]
            print(
                f"PostgreSQL, 4 counters: {pgr['payments']} payments in {pgr['seconds']} s = {pgr['per_second']}/s; "
                f"missing receipt numbers {pgr['missing_numbers']}, duplicates {pgr['duplicate_numbers']}"
            )
        print(f"floors p95 <= {FLOOR_P95_MS} ms, >= {FLOOR_PER_S}/s, no gaps: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1
