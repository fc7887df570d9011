"""Interfaces at scale: readings files staged and checked per second, bank return payments posted per second (gap-free receipts), peak RSS.

Readings: a CSV of one reading per meter register (50,000 by default, with unknown meters, high
usages and duplicates among them) is staged with every check (app.services.interfaces.readings_import),
beside the limit: a raw executemany of the same staged rows into the same table. Its accepted rows
are then posted as readings (post_import: every rule of record_reading, audit entries, readings
summaries), beside a raw executemany of the same readings into a scratch copy of the readings table.
Bank: a return file of 20,000 collected accounts (and a few refusals) is applied through the payment
service (app.services.interfaces.bank_collection), beside the limit: one raw payment row inserted and
committed at a time (the synchronous commit every payment pays). The receipts are checked gap-free.
Notices: customer notices queued for as many customers (--notices) are sent through a small local
SMS gateway (http.server on 127.0.0.1, in a thread) by app.services.interfaces.notices, beside the
limit: the same number of bare HTTP round trips (urllib POSTs of the same size) to that gateway.
Statements: the bank return's payments written as a channel's daily statement (CSV) are imported
and matched by app.services.interfaces.statements, beside a raw executemany of the same lines.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from bench.common import Figure, finish, machine, peak_rss_mb

FLOOR_ROWS_PER_S = 5000
FLOOR_PAYMENTS_PER_S = 300
FLOOR_RSS_MB = 400
HISTORY = ("2026-06", "2026-07", "2026-08")  # readings already in the store; bills of the last one
PERIOD = "2026-09"  # the period of the staged file


def add_arguments(p) -> None:
    p.add_argument("--readings", type=int, default=50_000, help="rows of the readings file")
    p.add_argument("--accounts", type=int, default=20_000, help="collected accounts of the bank return")
    p.add_argument("--raw", type=int, default=2000, help="raw insert+commit payments for the limit")
    p.add_argument("--notices", type=int, default=2000, help="customer notices sent to the local gateway")
    p.add_argument("--json", action="store_true")


def _store(args) -> Path:
    """A fresh copy of a demo store with enough meters (the template is built once and kept)."""
    from app.paths import data_dir

    customers = max(int(args.readings / 1.15), int(args.accounts * 1.1))
    template = data_dir() / f"bench-interfaces-template-{customers}.sqlite"
    if not template.exists():
        t = time.perf_counter()
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-m", "app.cli", "--db", f"sqlite:///{building}", "demo", "--customers", str(customers)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        building.rename(template)
        print(f"built template store of {customers:,} customers in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    work = data_dir() / f"bench-interfaces-{customers}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, work)
    return work


def _history(db, rng: random.Random) -> dict[tuple[str, str], int]:
    """Three months of readings for every meter register, bulk-inserted; returns the last reading of each."""
    from sqlalchemy import select

    from app.models import Account, Meter

    with db.read() as s:
        meters = s.execute(
            select(Meter.id, Meter.meter_no, Meter.registers, Meter.multiplier, Meter.initial_reading, Meter.digits)
            .join(Account, Account.id == Meter.account_id)
            .where(Meter.status == "active", Account.status != "closed")
        ).all()
    rows, last = [], {}
    for mid, no, regs, mult, initial, digits in meters:
        for reg in regs.split(","):
            value = int(initial)
            for period in HISTORY:
                use = rng.randrange(40, 400)
                if value + use >= 10**digits:
                    value = 0
                rows.append(
                    (
                        uuid.uuid4().hex,
                        mid.hex,
                        reg,
                        period,
                        date(int(period[:4]), int(period[5:]), 25),
                        value * 1000,
                        (value + use) * 1000,
                        False,
                        int(use * mult * 1000),
                        "read",
                        None,
                        date.today(),
                    )
                )
                value += use
            last[(no, reg)] = value
    cols = "id, meter_id, register, period, read_on, previous_reading, current_reading, rolled_over, usage, source, clerk_id, created_at"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"INSERT INTO readings ({cols}) VALUES ({', '.join('?' * 12)})", rows)
    return last


def _readings_file(path: Path, last: dict[tuple[str, str], int], n: int, rng: random.Random) -> int:
    keys = sorted(last)[:n]
    lines = ["meter_no,register,reading,read_on"]
    for i, (no, reg) in enumerate(keys):
        value = last[(no, reg)] + rng.randrange(40, 400)
        if i % 100 == 7:
            value = last[(no, reg)] + 5000  # far above the usual: warned
        if i % 100 == 13:
            no = f"X{no}"  # unknown meter: refused
        lines.append(f"{no},{'' if reg == 'total' else reg},{value},2026-09-{1 + i % 28:02d}")
        if i % 200 == 21:
            lines.append(lines[-1])  # duplicate: refused
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def _raw_rows_limit(db, import_id) -> float:
    """Rows/s of a raw executemany of the same staged rows into the same table (then removed)."""
    with db.engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(reading_import_rows)")]
        rows = conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM reading_import_rows WHERE import_id = ?", (import_id.hex,)).all()
    i_id, i_line = cols.index("id"), cols.index("line_no")
    copies = []
    for r in rows:
        r = list(r)
        r[i_id] = uuid.uuid4().hex
        r[i_line] += 10_000_000
        copies.append(tuple(r))
    with db.engine.connect() as conn:
        t = time.perf_counter()
        with conn.begin():
            conn.exec_driver_sql(f"INSERT INTO reading_import_rows ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", copies)
        seconds = time.perf_counter() - t
        with conn.begin():
            conn.exec_driver_sql("DELETE FROM reading_import_rows WHERE line_no >= 10000000")
    return len(copies) / seconds


def _raw_readings_limit(db, period: str) -> float:
    """Readings/s of a raw executemany of the period's posted readings (the same rows, new ids) into a
    scratch copy of the readings table."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_raw_readings")
        conn.exec_driver_sql("CREATE TABLE bench_raw_readings AS SELECT * FROM readings WHERE 0")
        conn.commit()
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(bench_raw_readings)")]
        rows = conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM readings WHERE period = ?", (period,)).all()
        conn.rollback()
        i_id = cols.index("id")
        copies = []
        for r in rows:
            r = list(r)
            r[i_id] = uuid.uuid4().hex
            copies.append(tuple(r))
        t = time.perf_counter()
        with conn.begin():
            conn.exec_driver_sql(f"INSERT INTO bench_raw_readings ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", copies)
        seconds = time.perf_counter() - t
        conn.exec_driver_sql("DROP TABLE bench_raw_readings")
        conn.commit()
    return len(copies) / seconds


def _bank_accounts(db, actor, n: int) -> list[str]:
    """n accounts billed for the last history month, each with an ICBC mandate (bulk-inserted)."""
    from sqlalchemy import insert, select

    from app.models import Account, BankMandate, Meter
    from app.services.billing import bills

    with db.read() as s:
        nos = list(
            s.scalars(
                select(Account.account_no)
                .where(
                    Account.status != "closed",
                    Account.tariff_code != "",
                    Account.id.in_(select(Meter.account_id).where(Meter.status == "active")),
                )
                .order_by(Account.account_no)
                .limit(n)
            )
        )
    t = time.perf_counter()
    result = bills.issue_accounts(db, actor, nos, HISTORY[-1], today=date(2026, 9, 5))
    print(f"{len(result.issued):,} bills issued in {time.perf_counter() - t:.0f} s ({len(result.failed)} failed)", file=sys.stderr)
    with db.write() as s:
        accounts = (
            s.execute(select(Account.id, Account.customer_id, Account.account_name).where(Account.account_no.in_(nos))).all()
            if len(nos) < 1000
            else []
        )
        if not accounts:
            for i in range(0, len(nos), 500):
                accounts.extend(
                    s.execute(
                        select(Account.id, Account.customer_id, Account.account_name).where(Account.account_no.in_(nos[i : i + 500]))
                    ).all()
                )
        s.execute(
            insert(BankMandate.__table__),
            [
                dict(
                    id=uuid.uuid4(),
                    station_id=actor.station_id,
                    customer_id=cid,
                    account_id=aid,
                    bank="ICBC",
                    bank_account=f"6222{k:014d}",
                    holder=(name or "")[:20],
                    start_date=date(2026, 1, 1),
                    end_date=None,
                    created_by=actor.clerk_id,
                    created_at=date.today(),
                )
                for k, (aid, cid, name) in enumerate(accounts)
            ],
        )
    return nos


def _raw_payment_limit(db, n: int) -> float:
    """Payments/s of one raw payment row inserted and committed at a time (scratch copy of the table)."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_raw_payments")
        conn.exec_driver_sql("CREATE TABLE bench_raw_payments AS SELECT * FROM payments WHERE 0")
        conn.commit()
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(bench_raw_payments)")]
        template = conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM payments LIMIT 1").first()
        sql = f"INSERT INTO bench_raw_payments ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        i_id = cols.index("id")
        t = time.perf_counter()
        for _ in range(n):
            row = list(template)
            row[i_id] = uuid.uuid4().hex
            conn.exec_driver_sql(sql, tuple(row))
            conn.commit()
        seconds = time.perf_counter() - t
        conn.exec_driver_sql("DROP TABLE bench_raw_payments")
        conn.commit()
    return n / seconds


def _gap_free(db, batch_id) -> tuple[int, int, int]:
    """(receipts, missing, duplicates) of the batch's payments' receipt numbers."""
    from sqlalchemy import select

    from app.models import BankBatchLine

    with db.read() as s:
        receipts = [
            r for r in s.scalars(select(BankBatchLine.receipt_no).where(BankBatchLine.batch_id == batch_id, BankBatchLine.receipt_no != ""))
        ]
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in receipts)
    if not numbers:
        return 0, 0, 0
    distinct = len(set(numbers))
    return len(numbers), (numbers[-1] - numbers[0] + 1) - distinct, len(numbers) - distinct


def _gateway():
    """A local SMS gateway answering every POST with ok (a thread of this process)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            raw = json.dumps({"ok": True, "message_id": str(len(body))}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/sms"


def _notices(db, actor, n: int) -> tuple[int, float, float]:
    """Queue `n` notices, send them to the local gateway: (sent, notices/s, raw round trips/s)."""
    import json
    import urllib.request

    from sqlalchemy import select

    from app.models import Customer
    from app.services import settings
    from app.services.interfaces import notices

    server, url = _gateway()
    try:
        for key, value in (
            ("notices.gateway_url", url),
            ("notices.gateway_account", "bench"),
            ("notices.gateway_key", "bench-key-0001"),
        ):
            settings.set_setting(db, actor, key, value)
        with db.write() as s:
            customers = list(s.scalars(select(Customer).where(Customer.phone.like("1%")).limit(n)))
            items: list = []
            for i, c in enumerate(customers):
                notices.enqueue(
                    s,
                    actor,
                    "receipt",
                    c,
                    f"bench-{i}",
                    {"account_no": "3301000001", "amount": "100.00", "receipt_no": f"R-{i}", "paid_at": "2026-09-30 10:00"},
                    audit_items=items,
                )
            s.flush()
            from app.services import audit

            audit.record_many(s, actor, items)
        t = time.perf_counter()
        result = notices.send_waiting(db, actor)
        send_s = time.perf_counter() - t
        sent = result.count("sent")
        body = json.dumps(
            {"account": "bench", "id": str(uuid.uuid4()), "phone": "13800000000", "text": "x" * 60}, ensure_ascii=False
        ).encode()
        t = time.perf_counter()
        for _ in range(len(customers)):
            request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        raw_s = time.perf_counter() - t
    finally:
        server.shutdown()
        server.server_close()
    return sent, sent / send_s if send_s else 0.0, len(customers) / raw_s if raw_s else 0.0


def _statement(db, actor, folder: Path) -> tuple[int, float, float]:
    """The bank return's payments (method bank, each with its reference) as a channel's daily
    statement, imported and matched: (lines, lines/s, raw executemany of the same lines/s)."""
    from sqlalchemy import select

    from app.kernel.localtime import to_local
    from app.models import Payment, StatementLine
    from app.paths import data_dir
    from app.services.interfaces import statements

    profile = data_dir() / "interfaces" / "channels" / "bench_bank.toml"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text(
        'label = "bench"\nmethod = "bank"\n[columns]\nreference = ["reference"]\namount = ["amount"]\npaid_at = ["paid_at"]\n'
        '[trailer]\nmarker = ["TOTAL"]\ncount = "paid_at"\n',
        encoding="utf-8",
    )
    with db.read() as s:
        rows = s.execute(
            select(Payment.reference, Payment.amount_fen, Payment.created_at).where(Payment.method == "bank", Payment.kind == "payment")
        ).all()
    by_day: dict = {}
    for ref, fen, at in rows:
        by_day.setdefault(to_local(at).date(), []).append((ref, fen, to_local(at)))
    day, lines = max(by_day.items(), key=lambda kv: len(kv[1]))
    path = folder / f"bench-bank-statement-{day}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("reference,paid_at,amount\n")
        for ref, fen, at in lines:
            f.write(f"{ref},{at:%Y-%m-%d %H:%M:%S},{fen // 100}.{fen % 100:02d}\n")
        f.write(f"TOTAL,{len(lines)},{sum(x[1] for x in lines) / 100:.2f}\n")
    t = time.perf_counter()
    result = statements.import_statement(db, actor, path, "bench_bank")
    import_s = time.perf_counter() - t
    profile.unlink()
    raw = [
        {
            "id": uuid.uuid4(),
            "statement_id": None,
            "channel": "bench-raw",
            "day": day,
            "line_no": i,
            "reference": ref,
            "amount_fen": fen,
            "paid_at": at,
            "payment_id": None,
        }
        for i, (ref, fen, at) in enumerate(lines)
    ]
    with db.engine.connect() as conn:
        statement_id = conn.execute(select(StatementLine.statement_id).limit(1)).scalar()
        for r in raw:
            r["statement_id"] = statement_id
        conn.rollback()
        trans = conn.begin()
        t = time.perf_counter()
        conn.execute(StatementLine.__table__.insert(), raw)
        raw_s = time.perf_counter() - t
        trans.rollback()
    return result.lines, result.lines / import_s, len(raw) / raw_s


def run(args) -> int:
    from app.commands.common import open_database
    from app.paths import data_dir
    from app.services import auth
    from app.services.billing import tariffs
    from app.services.interfaces import bank_collection as bc
    from app.services.interfaces import readings_import as ri

    rng = random.Random(17)
    store = _store(args)
    args.db = f"sqlite:///{store}"
    db = open_database(args)
    tariffs.ensure_default_tariffs(db)
    actor = auth.first_admin(db)
    t = time.perf_counter()
    last = _history(db, rng)
    print(f"{len(last):,} meter registers with three months of readings in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    work = data_dir() / "bench-interfaces-files"
    work.mkdir(exist_ok=True)
    readings_path = work / "readings.csv"
    rows = _readings_file(readings_path, last, args.readings, rng)

    t = time.perf_counter()
    staged = ri.stage_file(db, actor, readings_path, period=PERIOD, today=date(2026, 9, 30))
    stage_s = time.perf_counter() - t
    rss_stage = peak_rss_mb()
    raw_rows = _raw_rows_limit(db, staged.import_id)
    t = time.perf_counter()
    posted = ri.post_import(db, actor, staged.import_id)
    post_s = time.perf_counter() - t
    raw_readings = _raw_readings_limit(db, PERIOD)

    nos = _bank_accounts(db, actor, args.accounts)
    export_path = work / "ICBC_DK_202609.txt"
    t = time.perf_counter()
    exported = bc.export_collection(db, actor, "ICBC", PERIOD, export_path, force=True, today=date(2026, 9, 10))
    export_s = time.perf_counter() - t
    lines = bc.collection_lines(db, exported.batch_id)
    answers = [line | {"code": "1001" if i % 50 == 3 else "0000"} for i, line in enumerate(lines)]
    return_path = work / "ICBC_RET_202609.txt"
    return_path.write_bytes(bc.return_bytes(bc.load_profile("ICBC"), PERIOD, answers))
    t = time.perf_counter()
    applied = bc.apply_return(db, actor, return_path)
    apply_s = time.perf_counter() - t
    receipts, missing, duplicates = _gap_free(db, exported.batch_id)
    raw_payments = _raw_payment_limit(db, args.raw)
    sent, notices_per_s, round_trips_per_s = _notices(db, actor, args.notices) if args.notices else (0, 0.0, 0.0)
    statement_lines, statement_per_s, statement_raw = _statement(db, actor, work)
    rss = peak_rss_mb()
    db.dispose()

    figures = [
        Figure(
            "interfaces",
            f"readings staged+checked ({rows:,} rows)",
            rows / stage_s,
            "rows/s",
            raw_rows,
            "raw executemany of the same rows",
            lower=False,
            absolute=FLOOR_ROWS_PER_S,
        ),
        Figure(
            "interfaces",
            f"accepted readings posted ({posted:,}: every rule of the entry screen, audited, summaries kept)",
            posted / post_s,
            "readings/s",
            raw_readings,
            "raw executemany of the same readings",
            lower=False,
        ),
        Figure(
            "interfaces",
            f"bank return posted ({applied.collected_count:,} payments, receipts gap-free: {missing == 0 and duplicates == 0})",
            applied.collected_count / apply_s if (missing == 0 and duplicates == 0 and receipts == applied.collected_count) else 0,
            "payments/s",
            raw_payments,
            "raw payment insert+commit",
            lower=False,
            absolute=FLOOR_PAYMENTS_PER_S,
        ),
        Figure("interfaces", "peak RSS", rss, "MB", absolute=FLOOR_RSS_MB),
    ]
    figures.insert(
        3,
        Figure(
            "interfaces",
            f"channel statement read, checked and matched ({statement_lines:,} lines)",
            statement_per_s,
            "lines/s",
            statement_raw,
            "raw executemany of the same lines",
            lower=False,
        ),
    )
    if args.notices:
        figures.insert(
            2,
            Figure(
                "interfaces",
                f"customer notices sent to a local gateway ({sent:,})",
                notices_per_s,
                "notices/s",
                round_trips_per_s,
                "bare HTTP round trips to the same gateway",
                lower=False,
            ),
        )
    report = {
        "machine": machine(),
        "store": str(store),
        "readings": {
            "rows": rows,
            "seconds": round(stage_s, 2),
            "counts": staged.counts,
            "rss_mb": round(rss_stage, 1),
            "posted": posted,
            "post_seconds": round(post_s, 2),
        },
        "bank": {
            "accounts": len(nos),
            "exported": exported.lines,
            "export_seconds": round(export_s, 2),
            "collected": applied.collected_count,
            "refused": applied.refused_count,
            "apply_seconds": round(apply_s, 2),
            "receipts": receipts,
            "missing": missing,
            "duplicates": duplicates,
        },
    }
    if not args.json:
        print(
            f"readings: {staged.counts}; bank: {exported.lines:,} exported in {export_s:.1f} s, {applied.collected_count:,} posted in {apply_s:.1f} s, receipts {receipts:,} (missing {missing}, duplicates {duplicates})"
        )
    return finish(args, figures, report)
