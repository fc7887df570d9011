"""Sync over the network: many stations push a day's work each, at once, to the centre's service.

`counterdesk bench sync --network` (docs/SYNC.md). A PostgreSQL centre with --stations stations of
--accounts accounts each, every station provisioned to a SQLite store that works one day offline
(every meter read, --payments payments, a contact every fifth payment; and, as the station program
does every minute while the centre does not answer, one try of the exchange with the link down).
Then the service runs as its own process (`counterdesk sync serve --processes`,
--service-processes worker processes) on 127.0.0.1 and every station exchanges with it at the same
moment from a thread of its own (in the bench's process, or spread over --station-processes
processes: real stations are separate computers, but here their CPU shares the same cores): uplink
exported, signed request, the bundle checked and kept at the centre, the answer exported and
applied at the station; the service applies the kept bundles right after (docs/SYNC.md, "Received,
then applied"), and end to end runs until the last row is applied. Floors: every exchange completed
with 0 errors, at or above 2,000 changed rows per second end to end, p95 of one station's exchange at or under 2 s, the
service's peak RSS (its main and worker processes added up) under 400 MB. The limit beside it: the same bundles applied directly at a copy of
the centre (no HTTP, no signing of requests, no answers), one after the other in one process.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.common import machine, percentiles

FLOOR_ROWS_S = 2000.0
FLOOR_P95_S = 2.0
FLOOR_RSS_MB = 400.0
PG_ADMIN = os.environ.get("COUNTERDESK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSPHRASE = "bench-passphrase"


def add_arguments(p) -> None:
    p.add_argument("--stations", type=int, default=50, help="stations pushing at once (--network)")
    p.add_argument("--station-accounts", type=int, default=20, help="accounts of each station's area (--network)")
    p.add_argument("--day-payments", type=int, default=40, help="payments of each station's day (--network)")
    p.add_argument("--workers", type=int, default=4, help="the service's database threads (--network)")
    p.add_argument(
        "--service-processes", type=int, default=2, help="the service's worker processes, `sync serve --processes` (--network; 1: threads)"
    )
    p.add_argument(
        "--station-processes",
        type=int,
        default=1,
        help="processes the stations push from (--network; 1: every station a thread of the bench's own process)",
    )


def _service_rss_mb(pid: int) -> float:
    """Peak RSS of the service: its main process and its worker processes, added up."""
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(x) for x in children.read_text().split()] if children.exists() else []
    for p in [pid, *kids]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def _push_group(codes: list, folder: str, url: str, start, out) -> None:
    """In a process of its own (--station-processes): these stations push at once, each from a
    thread; (times, rows, results, errors, CPU seconds of the burst) go back through `out`."""
    from app.db.engine import Database
    from app.services.sync import client

    dbs = [Database(f"sqlite:///{Path(folder) / f'{code}.sqlite'}") for code in codes]
    _offline_tries(dbs)
    times, rows, results, errors = [], [], [], []
    barrier = threading.Barrier(len(dbs) + 1)

    def push(code, db) -> None:
        barrier.wait()
        try:
            done = client.exchange(db, url, timeout=300)
            times.append(done.seconds)
            rows.append(done.rows)
            results.append(done.result)
        except Exception as exc:  # noqa: BLE001  (counted: the floor is 0 errors)
            errors.append(f"{code}: {exc}")

    threads = [threading.Thread(target=push, args=(code, db)) for code, db in zip(codes, dbs)]
    for th in threads:
        th.start()
    start.wait()
    cpu = time.process_time()
    barrier.wait()
    for th in threads:
        th.join()
    cpu = time.process_time() - cpu
    for db in dbs:
        db.dispose()
    out.put((times, rows, results, errors, cpu))


def _offline_tries(dbs: list) -> None:
    """Each station tries once while the link is down, as the station program does every minute
    while the centre does not answer: its uplink is built and the request fails (nothing sent, nothing
    stamped). The burst that follows is the link coming back after a day offline."""
    from app.services.sync import client

    dead = f"http://127.0.0.1:{_free_port()}"
    for db in dbs:
        try:
            client.exchange(db, dead, timeout=5)
        except client.LinkDown:
            continue
        raise RuntimeError("an exchange with nobody listening did not fail")


def _cpu_seconds(pids) -> float:
    """User + system CPU seconds used so far by these processes (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for t in Path(f"/proc/{pid}/task").iterdir() for x in (t / "children").read_text().split()]
    except OSError:
        return []


def _cpu_split(service_pid: int) -> dict:
    """CPU seconds so far of the stations (this process's), the service's main
    process, its worker processes and PostgreSQL's processes: where a burst's time goes."""
    workers = _children(service_pid)
    stations = [os.getpid()]  # the station processes of --station-processes count their own
    pg = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip().startswith("postgres"):
                pg.append(int(comm.parent.name))
        except OSError:
            pass
    return {
        "stations": _cpu_seconds(stations),
        "service_main": _cpu_seconds([service_pid]),
        "service_workers": _cpu_seconds(workers),
        "postgresql": _cpu_seconds(pg),
    }


def _wait_healthy(url: str, proc, seconds: float = 60.0) -> None:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service stopped at start (exit {proc.returncode})")
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the service did not become healthy")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args) -> int:
    from sqlalchemy import create_engine, func, select, text

    from app.db.engine import Database
    from app.db.migrate import upgrade
    from app.kernel.errors import UserError
    from app.kernel.localtime import local_today
    from app.models import Account, Clerk, Customer, Meter, Payment, Station, SyncOutbox, SyncPeer
    from app.services import audit, auth, demo
    from app.services import customers as cs
    from app.services.billing import demo_data, readings
    from app.services.payments import posting
    from app.services.sync import client, core, manage

    n_stations = args.stations
    base = PG_ADMIN.rsplit("/", 1)[0]
    name = f"counterdesk_bench_net_{uuid.uuid4().hex[:8]}"
    copy_name = name + "_direct"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    tmp = Path(tempfile.mkdtemp(prefix="bench-net-"))
    stations: list[dict] = []
    proc = None
    out: dict = {
        "machine": machine(),
        "stations": n_stations,
        "service_processes": max(1, args.service_processes),
        "station_processes": max(1, args.station_processes),
    }
    try:
        # ---- the centre and its stations
        t_setup = time.perf_counter()
        centre = Database(f"{base}/{name}")
        upgrade(centre.engine)
        demo_admin = demo.fill_new_store(centre, n_stations * args.station_accounts)
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
        with centre.read() as s:
            customers = list(s.scalars(select(Customer.id).order_by(Customer.id)))
        per = max(1, len(customers) // n_stations)
        for i in range(n_stations):
            code = f"{4000 + i}"
            with centre.write() as s:
                st = Station(code=code, name=f"站{i}")
                s.add(st)
                s.flush()
                sid = st.id
            manage.assign_area(centre, cadmin, code, customers[i * per : (i + 1) * per])
            auth.create_clerk(centre, cadmin, f"net{i}", f"收费员{i}", "clerk12345", "clerk", f"7{i:03d}", station_id=sid)
            manage.provision(centre, cadmin, code, "", tmp / f"{code}.prov", PASSPHRASE)
            db = Database(f"sqlite:///{tmp / f'{code}.sqlite'}")
            upgrade(db.engine)
            manage.set_up_station(db, (tmp / f"{code}.prov").read_bytes(), PASSPHRASE)
            stations.append({"code": code, "db": db, "clerk": auth.get_actor(db, f"net{i}")})
        # ---- a day offline at each station
        rng = random.Random(14)
        period = local_today().strftime("%Y-%m")
        for st in stations:
            db, clerk = st["db"], st["clerk"]
            posting.open_shift(db, clerk, "0")
            with db.read() as s:
                meters = list(s.scalars(select(Meter.id).where(Meter.registers == "total", Meter.status == "active")))
                accounts = list(s.execute(select(Account.id, Account.customer_id).where(Account.status != "closed")))
            for mid in meters:
                try:
                    readings.record_reading(db, clerk, mid, "total", period, str(rng.randrange(100, 900) + 99000), confirm_high=True)
                except UserError:
                    pass
            for k in range(args.day_payments):
                a = rng.choice(accounts)
                try:
                    posting.post_payment(db, clerk, a.id, str(rng.randrange(20, 400)), "cash", f"{st['code']}-d{k}", "400")
                except UserError:
                    pass
                if k % 5 == 0:
                    cs.record_contact(db, clerk, a.customer_id, "counter", "inquiry", "问询电费", account_id=a.id)
            with db.read() as s:
                st["rows"] = int(s.scalar(select(func.coalesce(func.sum(SyncOutbox.rows), 0))))
                st["units"] = int(s.scalar(select(func.count()).select_from(SyncOutbox)))
            core.export_up(db, tmp / f"{st['code']}.up")
        out["setup_s"] = round(time.perf_counter() - t_setup, 1)
        out["rows_waiting"] = sum(st["rows"] for st in stations)
        out["units_waiting"] = sum(st["units"] for st in stations)

        # ---- the limit: the same bundles applied directly at a copy of the centre, no HTTP
        centre.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"'))
        direct = Database(f"{base}/{copy_name}")
        t = time.perf_counter()
        direct_rows = 0
        for st in stations:
            direct_rows += core.import_bytes(direct, (tmp / f"{st['code']}.up").read_bytes(), f"{st['code']}.up").rows
        direct_s = time.perf_counter() - t
        direct.dispose()
        out["direct_rows"] = direct_rows
        out["direct_s"] = round(direct_s, 2)
        out["direct_rows_per_s"] = round(direct_rows / direct_s) if direct_s else None

        # ---- the service in its own process, every station at once
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = tmp / "service.log"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))",
                "--db",
                f"{base}/{name}",
                "sync",
                "serve",
                "--listen",
                f"127.0.0.1:{port}",
                "--log",
                str(log),
                "--workers",
                str(args.workers),
                "--processes",
                str(max(1, args.service_processes)),
                "--burst",
                "20",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait_healthy(url, proc)
        out["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        times, errors, results = [], [], []
        groups = max(1, args.station_processes)
        cpu_before = _cpu_split(proc.pid)
        group_cpu = 0.0  # the station processes' own (--station-processes)
        if groups == 1:
            _offline_tries([st["db"] for st in stations])
            barrier = threading.Barrier(len(stations) + 1)

            def push(st) -> None:
                barrier.wait()
                try:
                    done = client.exchange(st["db"], url, timeout=300)
                    times.append(done.seconds)
                    results.append((done.rows, done.result))
                except Exception as exc:  # noqa: BLE001  (counted: the floor is 0 errors)
                    errors.append(f"{st['code']}: {exc}")

            threads = [threading.Thread(target=push, args=(st,)) for st in stations]
            for th in threads:
                th.start()
            barrier.wait()
            t = time.perf_counter()
            for th in threads:
                th.join()
            wall = time.perf_counter() - t
        else:
            # Real stations are separate computers: here they push from `groups` processes (each
            # station a thread in one of them), all started at the same moment. Their CPU is still
            # this machine's.
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")
            start, answers = ctx.Barrier(groups + 1), ctx.Queue()
            codes = [st["code"] for st in stations]
            kids = [ctx.Process(target=_push_group, args=(codes[i::groups], str(tmp), url, start, answers)) for i in range(groups)]
            for k in kids:
                k.start()
            start.wait()
            t = time.perf_counter()
            for _ in kids:
                g_times, g_rows, g_results, g_errors, g_cpu = answers.get()
                group_cpu += g_cpu
                times += g_times
                results += list(zip(g_rows, g_results))
                errors += g_errors
            wall = time.perf_counter() - t
            for k in kids:
                k.join(60)
        # The service answers once it has kept a station's bundle, and applies it right after
        # (docs/SYNC.md, "Received, then applied"): end to end runs until the last row is applied.
        answered = time.perf_counter() - t
        cpu_after = _cpu_split(proc.pid)
        cpu_after["stations"] += group_cpu
        out["burst_cpu_s"] = {k: round(cpu_after[k] - cpu_before[k], 2) for k in cpu_after}
        from app.services.sync import server

        watch = Database(f"{base}/{name}")
        drained = server.wait_applied(watch, 600)
        wall = time.perf_counter() - t
        watch.dispose()
        if not drained:
            errors.append("the service did not apply everything it received within 600 s")
        rss = _service_rss_mb(proc.pid)
        proc.terminate()
        proc.wait(30)
        proc = None
        sent_rows = sum(rows for rows, _result in results)
        p = percentiles([x * 1000 for x in times])
        out.update(
            errors=len(errors),
            error_examples=errors[:3],
            exchanges=len(results),
            applied=sum(1 for _rows, result in results if result in ("received", "applied")),
            rows_sent=sent_rows,
            answered_s=round(answered, 2),
            wall_s=round(wall, 2),
            rows_per_s=round(sent_rows / wall) if wall else None,
            exchange_p50_s=round(p["p50"] / 1000, 2),
            exchange_p95_s=round(p["p95"] / 1000, 2),
            exchange_max_s=round(p["max"] / 1000, 2),
            service_peak_rss_mb=round(rss, 1),
        )
        out["network_to_direct_ratio"] = round(out["rows_per_s"] / out["direct_rows_per_s"], 2) if out["direct_rows_per_s"] else None
        # ---- everything arrived once
        centre = Database(f"{base}/{name}")
        with centre.read() as s:
            at_centre = dict(s.execute(select(Station.code, SyncPeer.in_seq).join(SyncPeer, SyncPeer.station_id == Station.id)).all())
            out["centre_payments"] = s.scalar(select(func.count()).select_from(Payment))
            out["audit_ok"] = audit.verify(s).ok
        waiting, applied_ok = 0, True
        for st in stations:
            with st["db"].read() as s:
                waiting += s.scalar(select(func.count()).select_from(SyncOutbox))
                mine = s.scalar(select(SyncPeer.out_seq))
            applied_ok = applied_ok and at_centre.get(st["code"]) == mine
        out["all_applied"] = applied_ok and waiting == 0
        out["units_still_waiting_at_stations"] = waiting
        centre.dispose()
    finally:
        if proc is not None:
            proc.kill()
            proc.wait(10)
        for st in stations:
            st["db"].dispose()
        with admin.connect() as conn:
            for n in (name, copy_name):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)  # the stations' stores and bundles
    _report(out, args)
    return 0 if out.get("errors") == 0 and out.get("all_applied") else 1


def _report(out: dict, args) -> None:
    if getattr(args, "json", False):
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return

    def met(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(f"machine: {out['machine']}")
    print(
        f"{out['stations']} stations at once, {out['units_waiting']} units / {out['rows_waiting']} changed rows waiting "
        f"(set up in {out['setup_s']} s); the service with {out['service_processes']} worker process(es), "
        f"the stations pushing from {out['station_processes']} process(es); load average {out.get('load', '?')}"
    )
    print(f"errors: {out['errors']} (floor 0: {met(out['errors'] == 0)}) {out['error_examples'] or ''}")
    print(f"all applied once, every outbox drained, audit chains verified: {out['all_applied'] and out['audit_ok']}")
    print(
        f"end to end (until the last row is applied; every station answered after {out['answered_s']} s): "
        f"{out['rows_sent']} rows in {out['wall_s']} s = {out['rows_per_s']} rows/s "
        f"(floor {FLOOR_ROWS_S:.0f}: {met((out['rows_per_s'] or 0) >= FLOOR_ROWS_S)}); "
        f"limit beside it, the same bundles applied directly without HTTP: {out['direct_rows_per_s']} rows/s "
        f"(ratio {out['network_to_direct_ratio']})"
    )
    print(
        f"one station's exchange (its bundle kept at the centre, the answer applied at the station): p50 {out['exchange_p50_s']} s, p95 {out['exchange_p95_s']} s, max {out['exchange_max_s']} s "
        f"(floor p95 {FLOOR_P95_S} s: {met(bool(out['exchanges']) and out['exchange_p95_s'] <= FLOOR_P95_S)})"
    )
    cpu = out.get("burst_cpu_s") or {}
    if cpu:
        print(
            f"CPU seconds until every station was answered ({os.cpu_count()} cores x "
            f"{out['answered_s']} s = {(os.cpu_count() or 1) * out['answered_s']:.2f}): stations {cpu['stations']}, service main process "
            f"{cpu['service_main']}, its worker processes {cpu['service_workers']}, PostgreSQL {cpu['postgresql']}"
        )
    print(f"service peak RSS {out['service_peak_rss_mb']} MB (floor {FLOOR_RSS_MB:.0f}: {met(out['service_peak_rss_mb'] < FLOOR_RSS_MB)})")
