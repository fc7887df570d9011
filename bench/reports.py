"""Reports at scale: every report for a month and for a year, the ageing account list to .xlsx, and a
route's arrears reminders.

The store: demo customers (about 100,000 accounts), twelve months of readings and bills for every
account (the last month not yet due), payments with their allocations for 92 % of the earlier bills
spread over 20 clerks' daily shifts, 20,000 matters, and one route of 2,000 accounts. The rows are
written in bulk (what is timed is reading them). Beside each figure the bench measures the limit it
competes with in the same run: one raw aggregate over the same rows with the same index, one xlsx
written raw by XlsxWriter with the same cells and the workbook's own XML zipped alone, one reminder
page rendered alone on each core.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from bench.common import machine, peak_rss_mb

MONTH_FLOOR_S = 1.0
YEAR_FLOOR_S = 3.0
XLSX_FLOOR_S = 10.0
RSS_FLOOR_MB = 400.0
DUNNING_FLOOR_PAGES = 150.0
ROUTE = "BENCH-2000"
PG_ADMIN = os.environ.get("COUNTERDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def add_arguments(p) -> None:
    p.add_argument("--accounts", type=int, default=100_000)
    p.add_argument("--matters", type=int, default=20_000)
    p.add_argument("--route-accounts", type=int, default=2_000)
    p.add_argument("--postgresql", action="store_true", help="build and time the store on a PostgreSQL database instead of SQLite")
    p.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for the next run")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument(
        "--only",
        default="",
        metavar="NAME[,NAME]",
        help="time only these reports (e.g. readings), without the ageing workbook and the reminders",
    )
    p.add_argument("--json", action="store_true")


def _periods(last: str, n: int = 12) -> list[str]:
    y, m = int(last[:4]), int(last[5:])
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _month_bounds(period: str) -> tuple[date, date]:
    y, m = int(period[:4]), int(period[5:])
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return start, end


def _build(db, accounts_wanted: int, matters: int, route_accounts: int, periods: list[str]) -> None:
    """Fill an empty store (see the module's text)."""
    from sqlalchemy import select, update

    from app.models import Account, Meter
    from app.services import demo
    from app.services.reports import summaries
    from bench.handling import _add_clerks, _bulk_matters

    t0 = time.perf_counter()
    admin = demo.fill_new_store(db, max(1, int(accounts_wanted / 1.08)))
    actors = _add_clerks(db, admin, 20)
    rng = random.Random(17)
    with db.read() as s:
        accounts = s.execute(select(Account.id, Account.account_no).order_by(Account.account_no)).all()
        meters = {a: (m, regs) for m, a, regs in s.execute(select(Meter.id, Meter.account_id, Meter.registers))}
    with db.engine.begin() as conn:
        picked = [a for a, _ in rng.sample(accounts, min(route_accounts, len(accounts)))]
        for i in range(0, len(picked), 500):
            conn.execute(update(Account).where(Account.id.in_(picked[i : i + 500])).values(reading_route=ROUTE))
    station = admin.station_id
    shifts: dict[tuple, uuid.UUID] = {}
    shift_rows: list = []
    receipt = 0
    sqlite = db.is_sqlite

    def q(value):  # a Quantity (thousandths)
        return int(value * 1000)

    def ts(value):  # DateTime as SQLAlchemy keeps it on SQLite
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    def d(value):
        return value.isoformat() if sqlite else value

    def copy(conn, table: str, columns: tuple, values: list) -> None:
        if not values:
            return
        names = ", ".join(columns)
        if sqlite:
            conn.exec_driver_sql(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
                [tuple(v.hex if isinstance(v, uuid.UUID) else v for v in r) for r in values],
            )
        else:
            with conn.connection.dbapi_connection.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as cp:
                for r in values:
                    cp.write_row(r)

    def shift_of(clerk, day: date) -> uuid.UUID:
        key = (clerk.clerk_id, day)
        if key not in shifts:
            shifts[key] = sid = uuid.uuid4()
            start = datetime.combine(day, datetime.min.time())
            shift_rows.append(
                (
                    sid,
                    station,
                    clerk.clerk_id,
                    ts(start + timedelta(minutes=30)),
                    0,
                    "signed_off",
                    ts(start + timedelta(hours=9)),
                    "{}",
                    "{}",
                    0,
                    "",
                )
            )
        return shifts[key]

    last = periods[-1]
    for offset in range(0, len(accounts), 5000):
        readings, bills, lines, payments, allocations = [], [], [], [], []
        for account_id, account_no in accounts[offset : offset + 5000]:
            meter = meters.get(account_id)
            if meter is None:
                continue
            meter_id, registers = meter
            register = "total" if registers == "total" else registers.split(",")[0]
            value = rng.randrange(0, 5000)
            earlier: list[int] = []
            for period in periods:
                start, end = _month_bounds(period)
                usage = rng.randrange(40, 420) if rng.random() > 0.002 else rng.choice((0, 2000))  # a few anomalies
                last6 = earlier[-6:]
                usual = round(sum(last6) * 1000 / len(last6)) if last6 else None
                earlier.append(usage)
                readings.append(
                    (
                        uuid.uuid4(),
                        meter_id,
                        register,
                        period,
                        d(end),
                        value * 1000,
                        (value + usage) * 1000,
                        False,
                        usage * 1000,
                        usual,
                        "read",
                        ts(datetime.combine(end, datetime.min.time())),
                        station,
                    )
                )
                value += usage
                amount = int((Decimal(usage) * Decimal("53.8")).to_integral_value())
                bill_id = uuid.uuid4()
                due = end + timedelta(days=20) if period != last else date.today() + timedelta(days=15)
                paid = period != last and rng.random() < 0.92
                bills.append(
                    (
                        bill_id,
                        f"B-BENCH-{account_no}-{period}",
                        account_id,
                        period,
                        d(start),
                        d(end),
                        ts(datetime.combine(end, datetime.min.time())),
                        d(due),
                        "ZJ-RES-Y",
                        usage * 1000,
                        amount,
                        amount if paid else 0,
                        0,
                        False,
                        "",
                        "paid" if paid else "unpaid",
                        "",
                        0,
                        "[]",
                        0,
                        1,
                        station,
                    )
                )
                lines.append((uuid.uuid4(), bill_id, 1, "tier1", usage * 1000, 538000, amount, "", station))
                if paid:
                    clerk = actors[rng.randrange(len(actors))]
                    day = due - timedelta(days=rng.randrange(0, 18))
                    receipt += 1
                    pid = uuid.uuid4()
                    at = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randrange(1, 9))
                    payments.append(
                        (
                            pid,
                            f"R-BENCH-{receipt:09d}",
                            pid.hex,
                            "payment",
                            station,
                            shift_of(clerk, day),
                            clerk.clerk_id,
                            account_id,
                            rng.choice(("cash", "cash", "qr", "card")),
                            amount,
                            0,
                            0,
                            "",
                            0,
                            "",
                            ts(at),
                            0,
                            "",
                        )
                    )
                    allocations.append((uuid.uuid4(), pid, bill_id, 0, amount, 0, usage * 1000, station))
        with db.engine.begin() as conn:
            copy(
                conn,
                "shifts",
                (
                    "id",
                    "station_id",
                    "clerk_id",
                    "opened_at",
                    "float_fen",
                    "status",
                    "closed_at",
                    "counted",
                    "expected",
                    "difference_fen",
                    "note",
                ),
                shift_rows,
            )
            shift_rows.clear()
            copy(
                conn,
                "readings",
                (
                    "id",
                    "meter_id",
                    "register",
                    "period",
                    "read_on",
                    "previous_reading",
                    "current_reading",
                    "rolled_over",
                    "usage",
                    "usual",
                    "source",
                    "created_at",
                    "station_id",
                ),
                readings,
            )
            copy(
                conn,
                "bills",
                (
                    "id",
                    "bill_no",
                    "account_id",
                    "period",
                    "period_start",
                    "period_end",
                    "issued_at",
                    "due_date",
                    "tariff_code",
                    "usage",
                    "amount_fen",
                    "paid_fen",
                    "late_fee_paid_fen",
                    "late_fee_waived",
                    "late_fee_waive_reason",
                    "status",
                    "void_reason",
                    "print_count",
                    "readings",
                    "ytd_before",
                    "version",
                    "station_id",
                ),
                bills,
            )
            copy(
                conn, "bill_lines", ("id", "bill_id", "seq", "item", "quantity", "unit_price", "amount_fen", "detail", "station_id"), lines
            )
            copy(
                conn,
                "payments",
                (
                    "id",
                    "receipt_no",
                    "idempotency_key",
                    "kind",
                    "station_id",
                    "shift_id",
                    "clerk_id",
                    "account_id",
                    "method",
                    "amount_fen",
                    "tendered_fen",
                    "change_fen",
                    "reference",
                    "balance_after_fen",
                    "reason",
                    "created_at",
                    "print_count",
                    "verification",
                ),
                payments,
            )
            copy(
                conn,
                "payment_allocations",
                ("id", "payment_id", "bill_id", "late_fee_fen", "principal_fen", "to_balance_fen", "quantity", "station_id"),
                allocations,
            )
        print(f"  {min(offset + 5000, len(accounts)):,} accounts written ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    _bulk_matters(db, actors, matters, rng)
    with db.write() as s:  # the rows went in bulk, around the writers that keep the report summaries
        summaries.rebuild(s)
    if db.is_sqlite:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    print(f"built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def _time(fn, runs: int) -> tuple[float, float]:
    """(median, max) seconds of `runs` calls."""
    seconds = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t)
    return statistics.median(seconds), max(seconds)


def _raw_limit(db, name: str, start: date, end: date, periods: list[str]) -> float:
    """One raw aggregate over the rows the report reads, through the same index, in seconds (median of 3)."""
    from sqlalchemy import text

    from app.kernel.localtime import to_utc

    lo, hi = to_utc(datetime.combine(start, datetime.min.time())), to_utc(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    marks = ", ".join(f"'{p}'" for p in periods)
    sql = {
        "collections": (
            "SELECT clerk_id, method, count(*), sum(amount_fen) FROM payments WHERE created_at >= :lo AND created_at < :hi "
            "GROUP BY clerk_id, method"
        ),
        "readings": f"SELECT count(*), sum(usage) FROM readings WHERE period IN ({marks})",
        "requests": "SELECT type, count(*) FROM matters WHERE registered_at >= :lo AND registered_at < :hi GROUP BY type",
        "ageing": "SELECT count(*), sum(amount_fen - paid_fen) FROM bills WHERE status IN ('unpaid', 'partly_paid')",
    }.get(name, f"SELECT count(*), sum(amount_fen) FROM bills WHERE period IN ({marks})")
    with db.engine.connect() as conn:
        return _time(lambda: conn.execute(text(sql), {"lo": lo, "hi": hi}).all(), 3)[0]


def _xlsx_child(url: str, out: str, conn) -> None:
    """In a fresh process: the ageing report of every account and its workbook; sends back the seconds and peak RSS."""
    from app.db.engine import Database
    from app.printing.labels import ts_translator
    from app.services import auth, reports
    from app.services.reports.output import export_xlsx

    db = Database(url)
    actor = auth.get_actor(db, "bench00")
    today = date.today()
    t = time.perf_counter()
    report = reports.run(db, actor, "ageing", reports.Filters(today - timedelta(days=30), today))
    t_report = time.perf_counter() - t
    accounts = len(report.details["accounts"].rows)  # the list is made when first read
    t_list = time.perf_counter() - t
    export_xlsx(db, actor, report, out, ts_translator("zh_CN"), "基准测试")
    seconds = time.perf_counter() - t
    conn.send(
        {
            "accounts": accounts,
            "report_s": t_report,
            "list_s": t_list - t_report,
            "write_s": seconds - t_list,
            "total_s": seconds,
            "peak_rss_mb": peak_rss_mb(),  # VmHWM: ru_maxrss would carry the parent's peak across exec
        }
    )


def _raw_zip(workbook: str, out: str) -> float:
    """The same workbook's XML parts, already made, zipped alone at the writer's compression: what any
    writer of these cells pays for the file itself (the floor of the report's own sheet writer)."""
    import zipfile

    from app.printing.reports.xlsx import COMPRESSION

    with zipfile.ZipFile(workbook) as src:
        parts = [(name, src.read(name)) for name in src.namelist()]
    t = time.perf_counter()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book:
        for name, data in parts:
            book.writestr(name, data)
    return time.perf_counter() - t


def _raw_xlsx(rows: int, out: str) -> float:
    """XlsxWriter's fastest path (constant memory, one write_row per row, no formats) for cells like the
    ageing list's: six texts (account, name, phone, route, bucket, due date) and three numbers."""
    import xlsxwriter

    t = time.perf_counter()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = book.add_worksheet()
    for r in range(rows):
        ws.write_row(r, 0, [f"33{r:08d}", "张*丰", "138****5678", "D01001", "1–30 天", "2026-10-20", 2, r * 0.5, r * 0.01])
    book.close()
    return time.perf_counter() - t


def _page_rate(doc, workers: int) -> float:
    """Pages per second of one reminder page rendered alone, times the cores: the printing limit."""
    from dataclasses import replace

    from app.printing.labels import ts_translator
    from app.printing.reports.dunning import _render_pages

    one = replace(doc, reminders=doc.reminders[:1])
    tr = ts_translator("zh_CN")
    _render_pages(one, tr)
    n, t = 30, time.perf_counter()
    for _ in range(n):
        _render_pages(one, tr)
    return n / (time.perf_counter() - t) * workers


def run(args) -> int:
    from sqlalchemy import create_engine, func, select, text

    from app.commands.common import open_database
    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.models import Bill
    from app.paths import data_dir, sqlite_url
    from app.printing.labels import ts_translator
    from app.services import auth, documents, reports
    from app.services.reports.dunning import DunningRequest

    only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in only if n not in reports.NAMES]
    if unknown:
        print(f"--only: no report named {', '.join(unknown)} (the reports: {', '.join(reports.NAMES)})", file=sys.stderr)
        return 2
    today = date.today()
    this_month = f"{today.year:04d}-{today.month:02d}"
    periods = _periods(this_month)
    admin_engine = name = None
    if args.postgresql:
        name = f"counterdesk_bench_reports_{args.accounts}"
        admin_engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        db = Database(url)
        upgrade(db.engine, data_dir())
    else:
        url = args.db or sqlite_url(data_dir() / f"bench-reports-{args.accounts}.sqlite")
        args.db = url
        db = open_database(args, fill_demo=False)
    try:
        with db.read() as s:
            built = s.scalar(select(func.count()).select_from(Bill).where(Bill.period == periods[0]))
        if not built:
            _build(db, args.accounts, args.matters, args.route_accounts, periods)
        actor = auth.get_actor(db, "bench00")
        result = {"machine": machine(), "database": "postgresql" if args.postgresql else "sqlite", "reports": {}}
        month = _month_bounds(periods[-2])  # the last month whose bills are due
        year = (_month_bounds(periods[0])[0], _month_bounds(periods[-1])[1])
        ok = True
        for name_ in only or reports.NAMES:
            row = {}
            for span, (start, end), floor in (("month", month, MONTH_FLOOR_S), ("year", year, YEAR_FLOOR_S)):
                filters = reports.Filters(start, end)
                median, worst = _time(lambda: reports.run(db, actor, name_, filters), args.runs)
                span_periods = [p for p in periods if start <= _month_bounds(p)[0] <= end]
                limit = _raw_limit(db, name_, start, end, span_periods)
                row[span] = {
                    "median_s": round(median, 3),
                    "max_s": round(worst, 3),
                    "raw_s": round(limit, 4),
                    "ratio": round(median / limit, 1) if limit else None,
                    "floor_s": floor,
                    "met": worst <= floor,
                }
                ok &= worst <= floor
            result["reports"][name_] = row
        if only:  # the reports alone
            result["met"] = ok
            return _print(result, workers=0, args=args)
        # the ageing account list of every account to .xlsx, in a fresh process (its peak RSS alone)
        out = data_dir() / "bench-reports-ageing.xlsx"
        parent, child = multiprocessing.Pipe()
        proc = multiprocessing.get_context("spawn").Process(target=_xlsx_child, args=(url, str(out), child))
        proc.start()
        xl = parent.recv()
        proc.join()
        raw = _raw_xlsx(xl["accounts"], str(data_dir() / "bench-reports-raw.xlsx"))
        raw_zip = _raw_zip(str(out), str(data_dir() / "bench-reports-raw.zip"))
        xl.update(
            raw_xlsx_s=round(raw, 2),
            ratio=round(xl["total_s"] / raw, 1),
            raw_zip_s=round(raw_zip, 2),
            write_ratio_to_zip=round(xl["write_s"] / raw_zip, 1),
            floor_s=XLSX_FLOOR_S,
            rss_floor_mb=RSS_FLOOR_MB,
            met=xl["total_s"] <= XLSX_FLOOR_S and xl["peak_rss_mb"] < RSS_FLOOR_MB,
        )
        result["ageing_xlsx"] = {k: round(v, 2) if isinstance(v, float) else v for k, v in xl.items()}
        ok &= xl["met"]
        # a route's reminders: the PDF of the 2,000-account route, rendered on every core
        request = DunningRequest(actor, route=ROUTE, as_of=today + timedelta(days=40))
        t = time.perf_counter()
        doc = documents.kind_of("dunning").load(db, actor, request, ts_translator("zh_CN"))
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        pdf = documents.kind_of("dunning").render(doc, "A5", ts_translator("zh_CN"))
        render_s = time.perf_counter() - t
        workers = max(1, min(4, os.cpu_count() or 1))
        limit = _page_rate(doc, workers)
        pages = len(doc.reminders)
        rate = pages / render_s
        result["dunning"] = {
            "pages": pages,
            "load_s": round(load_s, 2),
            "render_s": round(render_s, 2),
            "pages_per_s": round(rate),
            "limit_pages_per_s": round(limit),
            "ratio": round(rate / limit, 2),
            "kib_per_page": round(len(pdf) / pages / 1024, 1),
            "floor_pages_per_s": DUNNING_FLOOR_PAGES,
            "met": rate >= DUNNING_FLOOR_PAGES,
        }
        ok &= rate >= DUNNING_FLOOR_PAGES
        result["met"] = ok
    finally:
        db.dispose()
        if admin_engine is not None and not args.keep:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return _print(result, workers, args)


def _print(result: dict, workers: int, args) -> int:
    """The run's figures as text or JSON; the exit status (0: every floor met)."""
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['machine']}; {result['database']}")
        print(f"{'report':<16} {'span':<6} {'median s':>9} {'max s':>7} {'raw s':>8} {'ratio':>7} {'floor s':>8}")
        for name_, row in result["reports"].items():
            for span, r in row.items():
                print(
                    f"{name_:<16} {span:<6} {r['median_s']:>9.3f} {r['max_s']:>7.3f} {r['raw_s']:>8.4f} {r['ratio'] or 0:>7.1f} "
                    f"{r['floor_s']:>8.1f} {'' if r['met'] else 'MISSED'}"
                )
        if "ageing_xlsx" in result:
            x = result["ageing_xlsx"]
            print(
                f"ageing list of {x['accounts']:,} accounts to .xlsx: {x['total_s']} s (report {x['report_s']} s, list {x['list_s']} s, "
                f"workbook {x['write_s']} s), raw XlsxWriter of the same cells {x['raw_xlsx_s']} s, ratio {x['ratio']}; "
                f"raw zip of the same XML {x['raw_zip_s']} s, workbook / zip {x['write_ratio_to_zip']}; peak RSS {x['peak_rss_mb']} MB (floors {XLSX_FLOOR_S} s, {RSS_FLOOR_MB} MB) {'' if x['met'] else 'MISSED'}"
            )
        if "dunning" in result:
            d = result["dunning"]
            print(
                f"reminders for {d['pages']:,} accounts: {d['pages_per_s']} pages/s (limit {d['limit_pages_per_s']} = one page x "
                f"{workers} cores, ratio {d['ratio']}), load {d['load_s']} s (floor {DUNNING_FLOOR_PAGES:.0f}/s) {'' if d['met'] else 'MISSED'}"
            )
    return 0 if result["met"] else 1
