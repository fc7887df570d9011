"""Every benchmark in turn, at the issue's sizes (or --small), and one table of result, limit, ratio and floor.

Each benchmark measures the machine's own limit in the same run (bench/common.py, Figure). The
stores are built once in the data folder and reused: the 1,000,000-customer store is shared by
search, start-up and the customer screen; billing, payments, reports, sync and interfaces keep
their own. A benchmark added to `counterdesk bench` (app/commands/bench.py) and not listed in ORDER
runs too, at its own default sizes; list it here with its sizes.
Exit code 0 when every floor is met, 1 when one is missed, 2 when a benchmark could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pickle
import sys
import time
import traceback

from bench import common
from bench.common import Figure, figure_table, machine

ORDER = ["search", "startup", "handling", "payments", "billing", "reports", "sync", "sync-network", "interfaces"]
# Entries of ORDER that run another benchmark's module with options of their own.
MODULE = {"sync-network": "sync"}

# Options per benchmark at full size (the sizes), and with --small (a quick check that the
# whole run works, not figures to record). Bill printing prints the first 20,000 of the issued
# bills at full size: the rate, set against one page per core, needs no more.
FULL = {
    "search": ["--customers", "1000000", "--queries", "300"],
    "startup": ["--customers", "1000000", "--runs", "10"],
    "handling": ["--customers", "1000000", "--matters", "200000", "--samples", "300"],
    "payments": ["--customers", "3000", "--payments", "500", "--per-counter", "400"],
    "billing": ["--accounts", "100000", "--print", "20000"],
    "reports": ["--accounts", "100000", "--runs", "1"],
    "sync": [],
    "sync-network": ["--network"],
    "interfaces": [],
}
SMALL = {
    "search": ["--customers", "20000", "--queries", "100"],
    "startup": ["--customers", "20000", "--runs", "4"],
    "handling": ["--customers", "20000", "--matters", "5000", "--samples", "100"],
    "payments": ["--customers", "500", "--payments", "100", "--per-counter", "60"],
    "billing": ["--accounts", "5000", "--print", "1000"],
    "reports": ["--accounts", "5000", "--matters", "1000", "--route-accounts", "500", "--runs", "1"],
    "sync": ["--accounts", "500", "--payments", "100", "--month-payments", "300"],
    "sync-network": ["--network", "--stations", "8", "--station-accounts", "10", "--day-payments", "10"],
    "interfaces": ["--readings", "2000", "--accounts", "1000", "--raw", "300", "--notices", "200"],
}


def add_arguments(p) -> None:
    p.add_argument("--small", action="store_true", help="small stores: checks that every benchmark runs (figures not to record)")
    p.add_argument("--only", default="", help="comma-separated benchmarks to run (default: all of " + ", ".join(ORDER) + ")")
    p.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    p.add_argument("--json", action="store_true")


def _parse(area: str, module, extra: list[str], db: str | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=f"counterdesk bench {area}")
    module.add_arguments(p)
    args = p.parse_args(extra)
    args.db = db
    args.json = False
    return args


def _figures_from_json(area: str, out: str) -> list[Figure]:
    """Reports and sync print their figures as JSON; their limits are set beside each result."""
    start = out.find("{")
    data = json.loads(out[start:]) if start >= 0 else {}
    figs: list[Figure] = []
    if area == "reports":
        for name, row in data.get("reports", {}).items():
            for span, r in row.items():
                figs.append(
                    Figure(
                        "reports", f"{name}, {span}, slowest run", r["max_s"], "s", r.get("raw_s"), "raw aggregate", absolute=r["floor_s"]
                    )
                )
        x = data.get("ageing_xlsx")
        if x:
            figs.append(
                Figure("reports", "ageing list to .xlsx", x["total_s"], "s", x.get("raw_xlsx_s"), "XlsxWriter alone", absolute=x["floor_s"])
            )
            figs.append(Figure("reports", "ageing list to .xlsx, peak RSS", x["peak_rss_mb"], "MB", absolute=x["rss_floor_mb"]))
        d = data.get("dunning")
        if d:
            figs.append(
                Figure(
                    "reports",
                    "reminders, pages/s",
                    d["pages_per_s"],
                    "pages/s",
                    d.get("limit_pages_per_s"),
                    "one page × cores",
                    lower=False,
                    absolute=d["floor_pages_per_s"],
                )
            )
    elif area == "sync-network":
        figs.append(Figure("sync-network", "exchanges failed", data["errors"], "", absolute=0))
        figs.append(
            Figure(
                "sync-network",
                f"{data['stations']} stations at once, changed rows/s end to end",
                data["rows_per_s"] or 0,
                "rows/s",
                data.get("direct_rows_per_s"),
                "the same bundles applied directly",
                lower=False,
                absolute=2000,
            )
        )
        figs.append(Figure("sync-network", "one station's exchange, p95", data["exchange_p95_s"], "s", absolute=2.0))
        figs.append(Figure("sync-network", "service peak RSS", data["service_peak_rss_mb"], "MB", absolute=400))
        figs.append(
            Figure(
                "sync-network",
                "all applied once, chains verified (1 = yes)",
                int(bool(data["all_applied"] and data["audit_ok"])),
                "",
                lower=False,
                absolute=1,
            )
        )
    elif area == "sync":
        figs.append(
            Figure(
                "sync",
                "payment with outbox, p95",
                data["payment_p95_ms_with_outbox"],
                "ms",
                data.get("payment_p95_ms_without_outbox"),
                "payment without outbox, p95",
                absolute=data["floor_p95_ms"],
            )
        )
        figs.append(
            Figure(
                "sync",
                "export of the month",
                data["export_s"],
                "s",
                data.get("raw_write_same_units_s"),
                "raw insert",
                absolute=data["export_floor_s"],
            )
        )
        if data.get("import_rows_per_s") is not None:
            figs.append(
                Figure(
                    "sync",
                    "import at the centre, rows/s",
                    data["import_rows_per_s"],
                    "rows/s",
                    data.get("raw_copy_rows_per_s"),
                    "COPY into bare tables",
                    lower=False,
                    absolute=5000,
                )
            )
    return figs


def _one(area: str, module, bargs) -> tuple[int, list[Figure]]:
    """Run one benchmark; its exit code and figures."""
    before = len(common.collected())
    try:
        if area in ("reports", "sync", "sync-network"):
            bargs.json = True
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                code = module.run(bargs)
            return code, _figures_from_json(area, buf.getvalue())
        code = module.run(bargs)
        return code, common.collected()[before:]
    except Exception:  # noqa: BLE001  (one benchmark failing must not hide the others' figures)
        traceback.print_exc()
        return 2, []


def _isolated(work) -> tuple[int, list[Figure]]:
    """`work()` in a forked child where the system can fork, so each benchmark starts from this small
    process: its peak RSS is its own and nothing it leaves in memory weighs on the next one. The
    child sends its exit code and figures back through a pipe."""
    if not hasattr(os, "fork"):
        common.reset_peak_rss()
        return work()
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            result = work()
        except BaseException:  # noqa: BLE001  (reported to the parent as "could not run")
            traceback.print_exc()
            result = (2, [])
        sys.stdout.flush()
        sys.stderr.flush()
        with os.fdopen(write, "wb") as out:
            pickle.dump(result, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as src:
        data = src.read()
    os.waitpid(pid, 0)
    return pickle.loads(data) if data else (2, [])


def run(args) -> int:
    import importlib
    import importlib.util

    chosen = [a.strip() for a in args.only.split(",") if a.strip()] or ORDER
    skipped = {a.strip() for a in args.skip.split(",") if a.strip()}
    sizes = SMALL if args.small else FULL
    failed: list[str] = []
    timings: dict[str, float] = {}
    figures: list[Figure] = []
    print(machine(), flush=True)
    from app.commands.bench import AREAS

    # A benchmark added to `counterdesk bench` but not listed here runs with its own default sizes.
    areas = ORDER + [a for a in AREAS if a not in ORDER and importlib.util.find_spec(f"bench.{a}") is not None]
    for area in [a for a in areas if a in chosen or (not args.only and a not in ORDER)]:
        if area in skipped:
            continue
        module = importlib.import_module(f"bench.{MODULE.get(area, area)}")
        bargs = _parse(area, module, sizes.get(area, []), getattr(args, "db", None) if area in ("search", "startup", "handling") else None)
        print(f"\n=== bench {area} {' '.join(sizes.get(area, []))}", flush=True)
        t = time.perf_counter()
        code, found = _isolated(lambda: _one(area, module, bargs))
        figures.extend(found)
        timings[area] = time.perf_counter() - t
        if code == 2 or (code and not any(f.bench == area for f in figures)):
            failed.append(area)
        print(f"bench {area}: {timings[area]:.0f} s", flush=True)
    print()
    print(f"bench all ({'small' if args.small else 'full'} sizes) on {machine()}")
    if args.json:
        print(json.dumps({"machine": machine(), "figures": [f.as_dict() for f in figures], "failed": failed, "seconds": timings}, indent=2))
    else:
        print(figure_table(figures))
    missed = [f for f in figures if not f.met]
    total = sum(timings.values())
    print(
        f"\n{len(figures)} figures, {len(missed)} missed; {len(failed)} benchmark(s) could not run{': ' + ', '.join(failed) if failed else ''}; "
        f"{total / 60:.1f} min ({', '.join(f'{a} {s:.0f} s' for a, s in timings.items())})"
    )
    sys.stdout.flush()
    if failed:
        return 2
    return 1 if missed else 0
