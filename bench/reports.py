"""Reports at scale: every report for a month and for a year, the ageing account list to .xlsx, and a
route's arrears reminders.

The store: demo customers (about 100,000 accounts), twelve months of readings and bills for every
account (the last month not yet due), payments with their allocations for 92 % of the earlier bills
spread over 20 clerks' daily shifts, 20,000 matters, and one route of 2,000 accounts. The rows are
written in bulk (what is timed is reading them). Beside each figure the bench measures the limit it
competes with in the same run: one raw aggregate over the same rows with the same index, one xlsx
written raw with the same cells, one reminder page rendered alone on each core.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from bench.common import machine

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
    end = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
    return start, end


def _build(db, accounts_wanted: int, matters: int, route_accounts: int, periods: list[str]) -> None:
    """Fill an empty store (see the module's text)."""
    from sqlalchemy import insert, select, update

    from app.models import Account, Bill, BillLine, Meter, Payment, PaymentAllocation, Reading, Shift
    from app.services import demo
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
            conn.execute(update(Account).where(Account.id.in_(picked[i:i + 500])).values(reading_route=ROUTE))
    station = admin.station_id
    shifts: dict[tuple, uuid.UUID] = {}
    counters = {"receipt": 0}

    def shift_of(conn, clerk, day: date) -> uuid.UUID:
        key = (clerk.clerk_id, day)
        if key not in shifts:
            shifts[key] = uuid.uuid4()
            conn.execute(insert(Shift), [dict(id=shifts[key], station_id=station, clerk_id=clerk.clerk_id,
                                              opened_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=0, minutes=30),
                                              status="signed_off", closed_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=9),
                                              counted="{}", expected="{}", difference_fen=0, float_fen=0)])
        return shifts[key]

    last = periods[-1]
    for offset in range(0, len(accounts), 5000):
        readings, bills, lines, payments, allocations = [], [], [], [], []
        with db.engine.begin() as conn:
            for account_id, account_no in accounts[offset:offset + 5000]:
                meter = meters.get(account_id)
                if meter is None:
                    continue
                meter_id, registers = meter
                register = "total" if registers == "total" else registers.split(",")[0]
                value = Decimal(rng.randrange(0, 5000))
                for period in periods:
                    start, end = _month_bounds(period)
                    usage = Decimal(rng.randrange(40, 420))
                    readings.append(dict(id=uuid.uuid4(), meter_id=meter_id, register=register, period=period, read_on=end,
                                         previous_reading=value, current_reading=value + usage, rolled_over=False, usage=usage,
                                         source="read", station_id=station))
                    value += usage
                    amount = int((usage * Decimal("53.8")).to_integral_value())
                    bill_id = uuid.uuid4()
                    due = end + timedelta(days=20) if period != last else date.today() + timedelta(days=15)
                    paid = period != last and rng.random() < 0.92
                    bills.append(dict(id=bill_id, bill_no=f"B-BENCH-{account_no}-{period}", account_id=account_id, period=period,
                                      period_start=start, period_end=end, issued_at=datetime.combine(end, datetime.min.time()),
                                      due_date=due, tariff_code="ZJ-RES-Y", usage=usage, amount_fen=amount,
                                      paid_fen=amount if paid else 0, status="paid" if paid else "unpaid", station_id=station))
                    lines.append(dict(id=uuid.uuid4(), bill_id=bill_id, seq=1, item="tier1", quantity=usage,
                                      unit_price=Decimal("0.538"), amount_fen=amount, station_id=station))
                    if paid:
                        clerk = actors[rng.randrange(len(actors))]
                        day = due - timedelta(days=rng.randrange(0, 18))
                        counters["receipt"] += 1
                        pid = uuid.uuid4()
                        payments.append(dict(id=pid, receipt_no=f"R-BENCH-{counters['receipt']:09d}", idempotency_key=pid.hex,
                                             kind="payment", station_id=station, shift_id=shift_of(conn, clerk, day),
                                             clerk_id=clerk.clerk_id, account_id=account_id, method=rng.choice(("cash", "cash", "qr", "card")),
                                             amount_fen=amount, created_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randrange(1, 9))))
                        allocations.append(dict(id=uuid.uuid4(), payment_id=pid, bill_id=bill_id, principal_fen=amount, late_fee_fen=0,
                                                to_balance_fen=0, quantity=usage, station_id=station))
            for model, rows in ((Reading, readings), (Bill, bills), (BillLine, lines), (Payment, payments),
                                (PaymentAllocation, allocations)):
                if rows:
                    conn.execute(insert(model), rows)
        print(f"  {min(offset + 5000, len(accounts)):,} accounts written ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    _bulk_matters(db, actors, matters, rng)
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
        "collections": ("SELECT clerk_id, method, count(*), sum(amount_fen) FROM payments WHERE created_at >= :lo AND created_at < :hi "
                        "GROUP BY clerk_id, method"),
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
    export_xlsx(db, actor, report, out, ts_translator("zh_CN"), "基准测试")
    seconds = time.perf_counter() - t
    conn.send({"accounts": len(report.details["accounts"].rows), "report_s": t_report, "total_s": seconds, "peak_rss_mb": _vm_hwm_mb()})


def _vm_hwm_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would carry the parent's peak across exec)."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _raw_xlsx(rows: int, columns: int, out: str) -> float:
    import xlsxwriter

    t = time.perf_counter()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = book.add_worksheet()
    for r in range(rows):
        for c in range(columns):
            ws.write_number(r, c, r * 0.5 + c) if c > 2 else ws.write_string(r, c, f"33{r:08d}")
    book.close()
    return time.perf_counter() - t


def _page_rate(doc, workers: int) -> float:
    """Pages per second of one reminder page rendered alone, times the cores: the printing limit."""
    from dataclasses import replace

    from app.printing.reports.dunning import _render_pages
    from app.printing.labels import ts_translator

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
        for name_ in reports.NAMES:
            row = {}
            for span, (start, end), floor in (("month", month, MONTH_FLOOR_S), ("year", year, YEAR_FLOOR_S)):
                filters = reports.Filters(start, end)
                median, worst = _time(lambda: reports.run(db, actor, name_, filters), args.runs)
                span_periods = [p for p in periods if start <= _month_bounds(p)[0] <= end]
                limit = _raw_limit(db, name_, start, end, span_periods)
                row[span] = {"median_s": round(median, 3), "max_s": round(worst, 3), "raw_s": round(limit, 4),
                             "ratio": round(median / limit, 1) if limit else None, "floor_s": floor, "met": worst <= floor}
                ok &= worst <= floor
            result["reports"][name_] = row
        # the ageing account list of every account to .xlsx, in a fresh process (its peak RSS alone)
        out = data_dir() / "bench-reports-ageing.xlsx"
        parent, child = multiprocessing.Pipe()
        proc = multiprocessing.get_context("spawn").Process(target=_xlsx_child, args=(url, str(out), child))
        proc.start()
        xl = parent.recv()
        proc.join()
        raw = _raw_xlsx(xl["accounts"], 9, str(data_dir() / "bench-reports-raw.xlsx"))
        xl.update(raw_xlsx_s=round(raw, 2), ratio=round(xl["total_s"] / raw, 1), floor_s=XLSX_FLOOR_S, rss_floor_mb=RSS_FLOOR_MB,
                  met=xl["total_s"] <= XLSX_FLOOR_S and xl["peak_rss_mb"] < RSS_FLOOR_MB)
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
        result["dunning"] = {"pages": pages, "load_s": round(load_s, 2), "render_s": round(render_s, 2), "pages_per_s": round(rate),
                             "limit_pages_per_s": round(limit), "ratio": round(rate / limit, 2), "kib_per_page": round(len(pdf) / pages / 1024, 1),
                             "floor_pages_per_s": DUNNING_FLOOR_PAGES, "met": rate >= DUNNING_FLOOR_PAGES}
        ok &= rate >= DUNNING_FLOOR_PAGES
        result["met"] = ok
    finally:
        db.dispose()
        if admin_engine is not None and not args.keep:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['machine']}; {result['database']}")
        print(f"{'report':<16} {'span':<6} {'median s':>9} {'max s':>7} {'raw s':>8} {'ratio':>7} {'floor s':>8}")
        for name_, row in result["reports"].items():
            for span, r in row.items():
                print(f"{name_:<16} {span:<6} {r['median_s']:>9.3f} {r['max_s']:>7.3f} {r['raw_s']:>8.4f} {r['ratio'] or 0:>7.1f} "
                      f"{r['floor_s']:>8.1f} {'' if r['met'] else 'MISSED'}")
        x = result["ageing_xlsx"]
        print(f"ageing list of {x['accounts']:,} accounts to .xlsx: {x['total_s']} s (report {x['report_s']} s), raw xlsx {x['raw_xlsx_s']} s, "
              f"ratio {x['ratio']}, peak RSS {x['peak_rss_mb']} MB (floors {XLSX_FLOOR_S} s, {RSS_FLOOR_MB} MB) {'' if x['met'] else 'MISSED'}")
        d = result["dunning"]
        print(f"reminders for {d['pages']:,} accounts: {d['pages_per_s']} pages/s (limit {d['limit_pages_per_s']} = one page x "
              f"{workers} cores, ratio {d['ratio']}), load {d['load_s']} s (floor {DUNNING_FLOOR_PAGES:.0f}/s) {'' if d['met'] else 'MISSED'}")
    return 0 if result["met"] else 1
