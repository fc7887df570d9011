"""Billing at scale: bills computed and stored per second, bill PDF pages per second on both cores, peak RSS.

The machine's own limits, measured in the same run: raw executemany inserts of the same rows (every
row issuing wrote: the period's bills and bill lines, the audit entries and prepaid balance entries,
read back after issuing and written into a scratch SQLite file with the same tables and indexes;
the ratio to the bills and lines alone is printed too, without a floor; and, also without a floor, the same
rows into a copy of the store as it was before issuing, where each insert finds its place among the
store's earlier bills as issuing's inserts do), and one core's bill-page rate (SAMPLE_BILLS
bills spread evenly over the printed ones, rendered in this process into one PDF) times the cores the route is printed on. Floors:
issuing at or above ISSUE_RATIO_FLOOR of the raw insert rate and FLOOR_BILLS_PER_S; printing at or
above PRINT_RATIO_FLOOR of the per-core rate times the cores and FLOOR_PAGES_PER_S. Beside them,
without a floor: the route's pages per CPU-second (loading in this process, the workers, qpdf) against
one core's, which says what the printing itself costs when other processes share the machine.

The store: without --db, every run starts from the same copy of the bench's base store (the demo
customers and tariffs; built once and kept) and times its first month, or, with --history K, the
month after K untimed ones. With --db the store is the caller's, and each run bills its next month.
"""

from __future__ import annotations

import gc
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from bench.common import Figure, finish, machine, peak_rss_mb, reset_peak_rss

FLOOR_BILLS_PER_S = 2000
FLOOR_PAGES_PER_S = 150
FLOOR_RSS_MB = 400
ISSUE_RATIO_FLOOR = 1 / 3
PRINT_RATIO_FLOOR = 0.8
SAMPLE_BILLS = 200  # rendered in one process for one core's page rate, before and after the route


def add_arguments(p) -> None:
    p.add_argument("--accounts", type=int, default=100_000)
    p.add_argument("--period", default="2026-10")
    p.add_argument(
        "--history",
        type=int,
        default=0,
        help="months billed (untimed) before the timed one, in the bench's own store (default 0: the store's first month)",
    )
    p.add_argument("--print", dest="print_bills", type=int, default=None, help="bills to print (default: all issued)")
    p.add_argument("--json", action="store_true")


def _add_months(period: str, n: int) -> str:
    """The period `n` months after `period` (before it for a negative `n`)."""
    months = int(period[:4]) * 12 + int(period[5:]) - 1 + n
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def _build(accounts: int, url: str) -> None:
    """The demo store at `url` with about `accounts` accounts, filled by the program's own demo command."""
    t = time.perf_counter()
    customers = max(1, int(accounts / 1.08))
    subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", url, "demo", "--customers", str(customers)], check=True, stdout=subprocess.DEVNULL
    )
    print(f"built store with ~{accounts:,} accounts in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def _fresh_store(args) -> Path:
    """The bench's own SQLite store, the same at the start of every run: a copy of its base (the
    demo customers and tariffs, no readings or bills; built on first use and kept beside it), so a
    run's figures do not depend on how many runs came before it (each used to add a month of bills,
    and issuing into a store slows as its earlier bills grow: docs/BENCHMARKS.md)."""
    import shutil
    import sqlite3

    from app.paths import data_dir, sqlite_url

    base = data_dir() / f"bench-billing-{args.accounts}-base.sqlite"
    work = data_dir() / f"bench-billing-{args.accounts}.sqlite"
    if not base.exists():
        building = base.with_name(base.name + ".building")
        building.unlink(missing_ok=True)
        _build(args.accounts, sqlite_url(building))
        conn = sqlite3.connect(building)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself, so a file copy is whole
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        building.rename(base)
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, work)
    return work


def _earlier_months(db, actor, period: str, months: int) -> str:
    """Bill `months` months before `period` (readings, issuing; not timed) and return `period`: the
    store then holds the earlier bills a utility's store holds (--history)."""
    from app.services.billing import bills

    with db.read() as s:
        from sqlalchemy import select

        from app.models import Account

        nos = list(s.scalars(select(Account.account_no)))
    for back in range(months, 0, -1):
        month = _add_months(period, -back)
        t = time.perf_counter()
        _readings(db, month)
        bills.issue_accounts(db, actor, nos, month, today=date(int(month[:4]), int(month[5:]), 28))
        print(f"billed {month} (history, not timed) in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return period


def _readings(db, period: str, seed: int = 3) -> int:
    """One reading per meter register for the period, bulk-inserted (the bench times billing, not typing)."""
    from sqlalchemy import select

    from app.models import Meter

    rng = random.Random(seed)
    rows = []
    with db.read() as s:
        meters = s.execute(select(Meter.id, Meter.registers, Meter.multiplier, Meter.initial_reading)).all()
    for mid, regs, mult, initial in meters:
        for reg in regs.split(","):
            raw = rng.randrange(40, 600) if reg in ("total", "peak", "flat") else rng.randrange(20, 300)
            prev = int(initial)
            rows.append(
                (
                    uuid.uuid4().hex if db.is_sqlite else uuid.uuid4(),
                    mid.hex if db.is_sqlite else mid,
                    reg,
                    period,
                    date(int(period[:4]), int(period[5:]), 25),
                    prev * 1000,
                    (prev + raw) * 1000,
                    False,
                    int(raw * mult * 1000),
                    "read",
                    None,
                    date.today(),
                )
            )
    cols = "id, meter_id, register, period, read_on, previous_reading, current_reading, rolled_over, usage, source, clerk_id, created_at"
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(f"INSERT INTO readings ({cols}) VALUES ({', '.join('?' * 12)})", rows)
        else:
            raw_conn = conn.connection.dbapi_connection
            with raw_conn.cursor() as cur, cur.copy(f"COPY readings ({cols}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
    return len(rows)


def _prepay(db, every: int = 5) -> int:
    """Give one account in `every` a prepaid balance (with its opening entry in the ledger), so the
    bench also times bills settled from a balance as they are issued."""
    from sqlalchemy import insert, select, update

    from app.models import Account, BalanceEntry, utcnow

    with db.write() as s:
        ids = s.scalars(select(Account.id).where(Account.balance_fen == 0).order_by(Account.account_no)).all()[::every]
        now = utcnow()
        for offset in range(0, len(ids), 5000):
            chunk = ids[offset : offset + 5000]
            s.execute(update(Account).where(Account.id.in_(chunk)).values(balance_fen=Account.balance_fen + 5000))
            s.execute(
                insert(BalanceEntry.__table__),
                [
                    dict(
                        id=uuid.uuid4(),
                        account_id=i,
                        kind="opening",
                        amount_fen=5000,
                        balance_after_fen=5000,
                        late_fee_fen=0,
                        principal_fen=0,
                        quantity=0,
                        created_at=now,
                    )
                    for i in chunk
                ],
            )
    return len(ids)


def _rowids(db) -> dict[str, int]:
    """The last rowid of the tables issuing appends to besides bills and lines (SQLite hands out
    rowids in insertion order): what a run adds has larger ones."""
    if not db.is_sqlite:
        return {}
    with db.engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT coalesce(max(rowid), 0) FROM {t}").scalar() for t in ("audit_log", "balance_entries")}


def _copy_store(db, folder: Path) -> Path | None:
    """A copy of the SQLite store as it is now (sqlite3's online backup), for _raw_into_store."""
    if not db.is_sqlite:
        return None
    import sqlite3

    path = folder / "store.sqlite"
    source, target = sqlite3.connect(db.engine.url.database), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path


def _raw_insert_rate(db, period: str, folder: Path, since: dict[str, int], before: Path | None = None) -> dict | None:
    """Bills per second of a raw executemany of every row issuing the period wrote, as stored, into a
    scratch SQLite file with the same tables and indexes, one transaction, synchronous=FULL, WAL: the
    bills and their lines, and the audit entries and prepaid balance entries written since `since`
    (the rowids before issuing). Also, into a second scratch file, the rate of the bills and lines
    alone (the limit before issue 18's all-rows limit). The rows are read in chunks (not timed), so
    the main process's memory stays as it was."""
    if not db.is_sqlite:
        return None
    wheres = {
        "bills": ("period = ?", (period,)),
        "bill_lines": ("bill_id IN (SELECT id FROM bills WHERE period = ?)", (period,)),
        "audit_log": ("rowid > ?", (since["audit_log"],)),
        "balance_entries": ("rowid > ?", (since["balance_entries"],)),
    }
    alone, _ = _raw_copy(db, folder, wheres, ("bills", "bill_lines"))
    every, counts = _raw_copy(db, folder, wheres, ("bills", "bill_lines", "audit_log", "balance_entries"))
    bills = counts["bills"]
    store = _raw_into_store(db, before, wheres) if before is not None else None
    return {
        "into_store_seconds": round(store, 3) if store else None,
        "into_store_bills_per_second": bills / store if store else None,
        "bills": bills,
        "lines": counts["bill_lines"],
        "audit_entries": counts["audit_log"],
        "balance_entries": counts["balance_entries"],
        "seconds": round(every, 3),
        "bills_per_second": bills / every if every else 0,
        "bills_and_lines_seconds": round(alone, 3),
        "bills_and_lines_per_second": bills / alone if alone else 0,
    }


def _raw_target(path: Path):
    """A driver connection for a raw limit's inserts: WAL, synchronous=FULL and the page cache issuing
    has (bills.ISSUE_CACHE_KIB), so neither side is favoured; BEGIN and COMMIT are the caller's."""
    import sqlite3

    from app.services.billing.bills import ISSUE_CACHE_KIB

    target = sqlite3.connect(path, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=FULL")
    target.execute(f"PRAGMA cache_size=-{ISSUE_CACHE_KIB}")
    return target


def _raw_copy(db, folder: Path, wheres: dict, names: tuple[str, ...]) -> tuple[float, dict[str, int]]:
    """Seconds of inserting the tables' selected rows with sqlite3's executemany into a new scratch
    file (BEGIN, the executemany calls and COMMIT timed; reading them not), and the rows per table.
    The scratch connection is _raw_target's."""

    from sqlalchemy import create_engine

    from app.models import Base

    tables = [Base.metadata.tables[n] for n in names]
    path = folder / f"bench-raw-{uuid.uuid4().hex[:6]}.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    for table in tables:
        table.create(engine)  # with its indexes
    engine.dispose()
    target = _raw_target(path)
    counts: dict[str, int] = {}
    try:
        t = time.perf_counter()
        target.execute("BEGIN IMMEDIATE")
        seconds = time.perf_counter() - t
        with db.engine.connect() as conn:
            source = conn.connection.dbapi_connection.cursor()
            for table in tables:
                cols = [c.name for c in table.columns]
                where, params = wheres[table.name]
                source.execute(f"SELECT {', '.join(cols)} FROM {table.name} WHERE {where}", params)
                insert = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                counts[table.name] = 0
                while rows := source.fetchmany(20_000):
                    t = time.perf_counter()
                    target.executemany(insert, rows)
                    seconds += time.perf_counter() - t
                    counts[table.name] += len(rows)
            source.close()
        t = time.perf_counter()
        target.execute("COMMIT")
        seconds += time.perf_counter() - t
    finally:
        target.close()
        for suffix in ("", "-wal", "-shm"):
            (folder / (path.name + suffix)).unlink(missing_ok=True)
    return seconds, counts


def _raw_into_store(db, copy: Path, wheres: dict) -> float:
    """Seconds of inserting every row issuing wrote (the tables and rows of _raw_insert_rate) with
    sqlite3's executemany into a scratch copy of `copy`, the store as it was before issuing: the same
    indexes holding the same rows, so each insert finds its place among the store's earlier bills as
    issuing's did. In units of bills.BATCH bills (each table's rows in the same share), one
    transaction each, as issuing commits; the same pragmas and page cache. Each unit's rows are read
    before its clock starts (a unit at a time, so the process's memory stays near what it was); the
    scratch copy is removed, `copy` kept (a second measurement starts from it again)."""
    import shutil

    from app.services.billing.bills import BATCH

    names = ("bills", "bill_lines", "audit_log", "balance_entries")
    work = copy.with_name(copy.stem + "-work.sqlite")
    shutil.copyfile(copy, work)
    try:
        with db.engine.connect() as conn:
            source = conn.connection.dbapi_connection.cursor()
            plan = {}
            for name in names:
                where, params = wheres[name]
                cols = [r[1] for r in source.execute(f"PRAGMA table_info({name})").fetchall()]
                count = source.execute(f"SELECT count(*) FROM {name} WHERE {where}", params).fetchone()[0]
                select = f"SELECT {', '.join(cols)} FROM {name} WHERE {where} ORDER BY rowid LIMIT ? OFFSET ?"
                insert = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                plan[name] = (select, params, insert, count)
            bills = plan["bills"][3]
            target = _raw_target(work)
            try:
                for name in names:  # the pages issuing's reads would have brought in, read
                    target.execute(f"SELECT count(*) FROM {name}").fetchone()
                seconds = 0.0
                for first in range(0, bills, BATCH):
                    unit = []
                    for select, params, insert, count in plan.values():
                        a, b = first * count // bills, min(count, (first + BATCH) * count // bills)
                        if b > a:
                            unit.append((insert, source.execute(select, (*params, b - a, a)).fetchall()))
                    t = time.perf_counter()
                    target.execute("BEGIN IMMEDIATE")
                    for insert, rows in unit:
                        target.executemany(insert, rows)
                    target.execute("COMMIT")
                    seconds += time.perf_counter() - t
                return seconds
            finally:
                target.close()
                source.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)


def _limits(first: dict | None, second: dict | None) -> dict | None:
    """The raw-insert limits measured right after issuing and again after printing, as one: each
    rate the mean of the two (as one core's page rate is the mean of before and after the route),
    so the limit reflects the machine's state around the issuing it is set against, not one moment
    of a host whose speed drifts by a third within minutes."""
    if first is None or second is None:
        return first or second
    out = dict(first)
    for key in ("bills_per_second", "bills_and_lines_per_second", "into_store_bills_per_second"):
        if first.get(key) and second.get(key):
            out[key] = (first[key] + second[key]) / 2
            out[key + "_each"] = (round(first[key]), round(second[key]))
    for key in ("seconds", "bills_and_lines_seconds", "into_store_seconds"):
        out[key] = (first.get(key), second.get(key))  # each measurement's, not one of them as if it were both
    return out


def _cpu_seconds(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _page_rate_per_core(docs: list, paper: str = "A5") -> tuple[float, float]:
    """Bill pages per second rendered in this one process (one core), `docs` into one PDF;
    and the same pages per CPU-second (what the other processes on the machine leave out)."""
    from app.printing.billing.bill_pdf import render_many

    render_many(docs[:5], paper)  # fonts loaded, as in a warm worker
    # This process's own objects (a month just issued) set aside from garbage collection while it
    # renders, as a printing worker sets aside what it inherited (app.printing.parallel): the limit is
    # a core rendering at its best, not one walking a large heap on every full collection.
    gc.freeze()
    try:
        t, cpu = time.perf_counter(), _cpu_seconds(resource.RUSAGE_SELF)
        render_many(docs, paper)
        return len(docs) / (time.perf_counter() - t), len(docs) / (_cpu_seconds(resource.RUSAGE_SELF) - cpu)
    finally:
        gc.unfreeze()


def run(args) -> int:
    from app.commands.common import open_database
    from app.paths import data_dir, sqlite_url
    from app.services import auth, demo
    from app.services.billing import bills, tariffs

    fixed = not args.db
    if fixed:
        args.db = sqlite_url(_fresh_store(args))
    db = open_database(args)
    if demo.count_customers(db) == 0:
        _build(args.accounts, args.db)
    tariffs.ensure_default_tariffs(db)
    actor = auth.first_admin(db)
    if fixed:
        period = _earlier_months(db, actor, args.period, args.history)
    else:
        # A store of one's own (--db) keeps what earlier runs billed: take the first month from
        # --period on that has no bills yet, so every run times real issuing.
        period = args.period
        while bills.bills_of_period(db, period):
            period = _add_months(period, 1)
    args.period = period
    n = _readings(db, period)
    print(f"{n:,} readings for {period}", file=sys.stderr)
    print(f"{_prepay(db):,} accounts with a prepaid balance (their bills are settled from it as issued)", file=sys.stderr)
    nos = []
    from sqlalchemy import select

    from app.models import Account

    with db.read() as s:
        nos = list(s.scalars(select(Account.account_no).order_by(Account.reading_route, Account.route_order).limit(args.accounts)))
    since = _rowids(db)
    # The store as issuing finds it, for the same-store limit, in a folder removed at the end of the
    # run or, if the run fails before that, when this process exits.
    kept = tempfile.TemporaryDirectory(dir=data_dir(), prefix="bench-raw-store-")
    before = _copy_store(db, Path(kept.name))
    t = time.perf_counter()
    result = bills.issue_accounts(db, actor, nos, args.period, today=date(2026, 11, 5))
    issue_s = time.perf_counter() - t
    issued = len(result.issued)
    rss_issue = peak_rss_mb()
    raw_first = _raw_insert_rate(db, args.period, data_dir(), since, before)  # right after issuing
    reset_peak_rss()  # the main process's peak below is the printing's, not this limit's
    ids = bills.bills_of_period(db, args.period)
    if args.print_bills:
        ids = ids[: args.print_bills]
    from app.printing.billing.bill_pdf import render_route
    from app.printing.parallel import cores as print_cores

    cores = print_cores()  # render_route's workers: one per core
    # The per-core limit renders bills spread evenly over the printed ones: a route's bills differ
    # (the last accounts in route order are the non-residential ones, with several registers and
    # lines: a fifth more work a page than the first), and the route prints them all.
    step = max(1, len(ids) // SAMPLE_BILLS)
    sample = list(bills.route_documents(db, ids[::step][:SAMPLE_BILLS], today=date(2026, 11, 5)))
    rate_before, cpu_rate_before = _page_rate_per_core(sample)
    with tempfile.TemporaryDirectory(dir=data_dir()) as tmp:
        out = Path(tmp) / "route.pdf"
        t = time.perf_counter()
        cpu = _cpu_seconds(resource.RUSAGE_SELF) + _cpu_seconds(resource.RUSAGE_CHILDREN)
        output = render_route(ids, out, paper="A5", load=bills.route_loader(db, today=date(2026, 11, 5)))  # as print_bills prints
        pages = output.count
        print_s = time.perf_counter() - t
        print_cpu = _cpu_seconds(resource.RUSAGE_SELF) + _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu  # loading, workers, qpdf
        size = sum(p.stat().st_size for p in output.files)
        volumes = len(output.files)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # workers and qpdf
    rss_main = max(rss_issue, peak_rss_mb())  # before the limits below are measured
    # One core's page rate, before and after the route (the mean), so the machine's state while the
    # route printed is reflected in the limit too.
    rate_after, cpu_rate_after = _page_rate_per_core(sample)
    per_core = (rate_before + rate_after) / 2
    per_cpu_second = (cpu_rate_before + cpu_rate_after) / 2
    raw = _limits(raw_first, _raw_insert_rate(db, args.period, data_dir(), since, before))  # and after printing
    kept.cleanup()
    report = {
        "machine": machine(),
        "database": db.describe,
        "accounts": len(nos),
        "issued": issued,
        "failed": len(result.failed),
        "issue_seconds": round(issue_s, 2),
        "bills_per_second": round(issued / issue_s) if issued else 0,
        "printed_bills": pages,
        "print_seconds": round(print_s, 2),
        "pages_per_second": round(pages / print_s) if pages else 0,
        "pdf_mb": round(size / 1e6, 1),
        "pdf_files": volumes,
        "peak_rss_mb_main": round(rss_main),
        "peak_rss_mb_worker": round(children),
        "rss_after_issue_mb": round(rss_issue),
    }
    report["raw_insert"] = raw
    report["pages_per_second_one_core"] = round(per_core)
    report["print_cores"] = cores
    report["print_cpu_seconds"] = round(print_cpu, 2)
    report["pages_per_cpu_second"] = round(pages / print_cpu) if print_cpu else 0
    report["pages_per_cpu_second_one_core"] = round(per_cpu_second)
    figures = [
        *(
            Figure(
                "billing",
                f"bills issued per second ({issued:,} bills){against}",
                issued / issue_s if issued else 0,
                "/s",
                raw[key] if raw else None,
                limit,
                lower=False,
                ratio_floor=floor if raw else None,
                absolute=absolute,
            )
            for against, key, limit, floor, absolute in (
                (
                    "",
                    "bills_per_second",
                    "raw executemany of every row issuing wrote (bills, lines, audit and balance entries)",
                    ISSUE_RATIO_FLOOR,
                    FLOOR_BILLS_PER_S,
                ),
                (
                    ", against the bills and lines alone",
                    "bills_and_lines_per_second",
                    "raw executemany of the same bills and lines only",
                    None,
                    None,
                ),
                (
                    ", against the same rows into the store as it was",
                    "into_store_bills_per_second",
                    "raw executemany of every row issuing wrote into a copy of the store before issuing",
                    None,
                    None,
                ),
            )
        ),
        Figure(
            "billing",
            f"bill PDF pages per second ({pages:,} pages, {cores} cores)",
            pages / print_s if pages else 0,
            "pages/s",
            per_core * cores,
            f"one core's page rate × {cores}",
            lower=False,
            ratio_floor=PRINT_RATIO_FLOOR,
            absolute=FLOOR_PAGES_PER_S,
        ),
        Figure(
            "billing",
            "bill PDF pages per CPU-second of the route (loading, workers, qpdf)",
            report["pages_per_cpu_second"],
            "pages/s",
            per_cpu_second,
            "one core's pages per CPU-second",
            lower=False,
        ),
        Figure("billing", "peak RSS, main process", report["peak_rss_mb_main"], "MB", absolute=FLOOR_RSS_MB),
        Figure("billing", "peak RSS, largest worker or qpdf", report["peak_rss_mb_worker"], "MB", absolute=FLOOR_RSS_MB),
    ]
    if not args.json:
        print(f"{report['machine']}\n{report['database']}")
        print(f"issued {issued:,} bills ({len(result.failed)} not issued) in {issue_s:.1f} s: {report['bills_per_second']:,} bills/s")
        print(
            f"printed {pages:,} A5 bills into {volumes} PDF file(s) ({report['pdf_mb']} MB) in {print_s:.1f} s: {report['pages_per_second']:,} pages/s"
        )
        print(f"peak RSS: main {report['peak_rss_mb_main']} MB, largest worker {report['peak_rss_mb_worker']} MB")
        if raw:

            def each(key: str) -> str:
                """A limit's rate, and the two it is the mean of (after issuing / after printing)."""
                pair = raw.get(key + "_each")
                return f"{raw[key]:,.0f} bills/s" + (f", the mean of {pair[0]:,} and {pair[1]:,}" if pair else "")

            print(
                f"raw executemany of the same {raw['bills']:,} bills, {raw['lines']:,} lines, {raw['audit_entries']:,} audit entries"
                f" and {raw['balance_entries']:,} balance entries: {each('bills_per_second')};"
                f" the bills and lines alone {each('bills_and_lines_per_second')};"
                f" every row into a copy of the store as it was {each('into_store_bills_per_second')}"
            )
        print(f"one core renders {per_core:.0f} bill pages/s ({per_cpu_second:.0f} per CPU-second)")
        print(f"the route took {print_cpu:.1f} CPU-seconds in all: {report['pages_per_cpu_second']:,} pages per CPU-second")
    return finish(args, figures, report)
