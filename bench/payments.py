"""Payments: confirm -> committed payment + receipt PDF (p50/p95, SQLite), and payments/s with 4 counters on PostgreSQL.

The machine's own limits, measured in the same run: one CJK receipt page rendered by ReportLab (the
same receipt, as the program renders it) and one synchronous SQLite commit (a raw sqlite3 insert and
COMMIT on a WAL file with synchronous=FULL, as the program opens its store). The SQLite p95 must be
at most RATIO_FLOOR times their sum, and at most FLOOR_P95_MS. On PostgreSQL, the time of every
statement is taken in each counter's process (SQLAlchemy's cursor events) and the slowest kinds are
printed with their share of a payment: where the time goes when 200 payments/s are not reached.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import sys
import time
import uuid

from bench.common import Figure, finish, machine, percentiles

FLOOR_P95_MS = 50.0
FLOOR_PER_S = 200.0
RATIO_FLOOR = 2.0
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
    from sqlalchemy import event

    from app.db.engine import Database
    from app.services import auth
    from app.services.payments import posting

    db = Database(url)
    actor = auth.get_actor(db, login)
    rng = random.Random(seed)
    posting.current_shift(db, actor)  # connect and warm up before the clock starts
    per_statement: dict[str, list] = {}  # first words of the statement -> [count, seconds]

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_t"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        dt = time.perf_counter() - conn.info.pop("bench_t", time.perf_counter())
        key = " ".join(statement.split())[:90]
        entry = per_statement.setdefault(key, [0, 0.0])
        entry[0] += 1
        entry[1] += dt

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    ready.release()
    go.wait()
    t = time.perf_counter()
    for _ in range(n):
        posting.post_payment(db, actor, rng.choice(accounts), str(rng.randrange(5, 300)), "qr", uuid.uuid4().hex, reference="QR")
    wall = time.perf_counter() - t
    # A synchronous commit's own time on this server, taken apart on the same connection afterwards:
    # one small insert and COMMIT, 50 times (the table is made by run()).
    event.remove(db.engine, "before_cursor_execute", before)
    event.remove(db.engine, "after_cursor_execute", after)
    raw = db.engine.raw_connection()
    commit_s = []
    try:
        cur = raw.cursor()
        for _ in range(50):
            cur.execute("INSERT INTO bench_commit (x) VALUES (1)")
            t0 = time.perf_counter()
            raw.commit()
            commit_s.append(time.perf_counter() - t0)
        cur.close()
    finally:
        raw.close()
    out.put({"wall": wall, "payments": n, "statements": per_statement, "commit_ms": percentiles([c * 1000 for c in commit_s])})
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
    limits = _SqliteLimits(path.parent)
    for i in range(args.payments * (2 if sync == "both" else 1)):
        on = sync == "on" or (sync == "both" and i % 2 == 0)
        if station is not None:
            db.sync_station = station if on else None
        t = time.perf_counter()
        p = posting.post_payment(db, actor, rng.choice(accounts), str(rng.randrange(5, 300)), "cash", uuid.uuid4().hex, "500")
        doc = posting.receipt_document(db, p.payment_id)
        render_receipt(doc, "80mm")
        (times if (on or sync == "off") else times_off).append((time.perf_counter() - t) * 1000)
        limits.measure(doc)  # interleaved: a busy moment of the machine weighs on both alike
    report["sqlite_confirm_to_receipt_ms"] = percentiles(times)
    report["receipt_page_ms"], report["sqlite_commit_ms"] = limits.close()
    report["sync"] = sync
    if sync == "both":
        report["sqlite_confirm_to_receipt_ms_sync_off"] = percentiles(times_off)
    db.dispose()
    path.unlink(missing_ok=True)
    limit = report["receipt_page_ms"]["p95"] + report["sqlite_commit_ms"]["p95"]
    figures = [
        Figure(
            "payments",
            f"SQLite, confirm to committed payment + receipt PDF, p95{' (syncing station)' if sync == 'on' else ''}",
            report["sqlite_confirm_to_receipt_ms"]["p95"],
            "ms",
            limit,
            "one receipt page + one synchronous commit, p95",
            ratio_floor=RATIO_FLOOR,
            absolute=FLOOR_P95_MS,
        )
    ]
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
            with pg.engine.begin() as conn:
                conn.execute(text("CREATE TABLE bench_commit (x integer)"))
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
            results = [out.get() for _ in procs]
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
                **_where_the_time_goes(results),
            }
            pgr = report["postgresql"]
            complete = missing == 0 and duplicates == 0 and total == 4 * args.per_counter
            commit_limit = 4 * 1000 / pgr["commit_ms"]["p50"] if pgr["commit_ms"]["p50"] else None
            figures.append(
                Figure(
                    "payments",
                    "PostgreSQL, 4 counters, payments/s" + ("" if complete else " (receipt numbers NOT complete)"),
                    total / wall,
                    "/s",
                    commit_limit,
                    "4 counters × one synchronous commit each",
                    lower=False,
                    absolute=FLOOR_PER_S if complete else float("inf"),
                )
            )
            pg.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    if not args.json:
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
            print(
                f"  per payment: {pgr['statements_per_payment']} statements taking {pgr['statement_ms_per_payment']} ms, "
                f"{pgr['other_ms_per_payment']} ms besides them (Python, COMMIT, waiting for the CPU); "
                f"one synchronous COMMIT alone: p50 {pgr['commit_ms']['p50']:.2f} ms"
            )
            for st in pgr["slowest_statements"]:
                print(
                    f"  {st['ms_per_payment']:>6.2f} ms/payment  {st['count_per_payment']:>4.1f}×  {st['mean_ms']:>6.2f} ms each  {st['sql']}"
                )
        r, c = report["receipt_page_ms"], report["sqlite_commit_ms"]
        print(
            f"limits: one receipt page p50 {r['p50']:.1f} / p95 {r['p95']:.1f} ms; one synchronous SQLite commit p50 {c['p50']:.2f} / p95 {c['p95']:.2f} ms"
        )
    return finish(args, figures, report)


class _SqliteLimits:
    """One receipt page rendered (the receipt just posted, again) and one synchronous commit on a
    scratch SQLite file opened as the program opens its store (WAL, synchronous=FULL), each timed
    after every payment; close() gives p50/p95 of each."""

    def __init__(self, folder) -> None:
        import sqlite3

        self.path = folder / f"bench-commit-{uuid.uuid4().hex[:6]}.sqlite"
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        self.pages: list[float] = []
        self.commits: list[float] = []

    def measure(self, doc) -> None:
        from app.printing.payments.receipt import render_receipt

        t = time.perf_counter()
        render_receipt(doc, "80mm")
        self.pages.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (v) VALUES (?)", (doc.receipt_no,))
        self.conn.execute("COMMIT")
        self.commits.append((time.perf_counter() - t) * 1000)

    def close(self) -> tuple[dict, dict]:
        self.conn.close()
        for suffix in ("", "-wal", "-shm"):
            (self.path.parent / (self.path.name + suffix)).unlink(missing_ok=True)
        return percentiles(self.pages), percentiles(self.commits)


def _where_the_time_goes(results: list[dict]) -> dict:
    """The counters' statement timings added up: per payment, and the slowest kinds of statement."""
    payments = sum(r["payments"] for r in results)
    merged: dict[str, list] = {}
    for r in results:
        for sql, (count, seconds) in r["statements"].items():
            entry = merged.setdefault(sql, [0, 0.0])
            entry[0] += count
            entry[1] += seconds
    statement_s = sum(v[1] for v in merged.values())
    wall_per_payment_ms = sum(r["wall"] for r in results) / payments * 1000  # each counter's own time per payment
    commit = sorted((r["commit_ms"] for r in results), key=lambda c: c["p50"])[len(results) // 2]
    slowest = sorted(merged.items(), key=lambda kv: -kv[1][1])[:8]
    return {
        "statements_per_payment": round(sum(v[0] for v in merged.values()) / payments, 1),
        "statement_ms_per_payment": round(statement_s / payments * 1000, 2),
        "other_ms_per_payment": round(wall_per_payment_ms - statement_s / payments * 1000, 2),
        "commit_ms": commit,
        "slowest_statements": [
            {
                "sql": sql,
                "count_per_payment": round(count / payments, 2),
                "mean_ms": round(seconds / count * 1000, 3),
                "ms_per_payment": round(seconds / payments * 1000, 3),
            }
            for sql, (count, seconds) in slowest
        ],
    }
