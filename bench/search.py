"""Search latency per key kind at scale (p50/p95/max, peak RSS); builds or reuses the demo store."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time

from sqlalchemy import func, select

from bench.common import default_store, machine, peak_rss_mb, percentiles

FLOOR_P95_MS = 16.0
FLOOR_RSS_MB = 400.0


def add_arguments(p) -> None:
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--queries", type=int, default=300, help="queries per key kind")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", action="store_true")


def _samples(db, n: int, seed: int) -> dict[str, list[str]]:
    """Realistic queries per key kind, drawn from rows of the store."""
    from types import SimpleNamespace

    from app.models import Meter, SearchEntry

    rng = random.Random(seed)
    cols = ("account_id", "account_no", "name", "name_pinyin", "name_initials", "phone", "id_number", "address")
    with db.read() as s:
        top = s.scalar(select(func.max(SearchEntry.id)))
        ids = [rng.randrange(1, top + 1) for _ in range(n * 3)]
        rows = [
            SimpleNamespace(**dict(zip(cols, r)))
            for r in s.execute(select(*(getattr(SearchEntry, c) for c in cols)).where(SearchEntry.id.in_(ids))).all()
        ]
        persons = [r for r in rows if r.name_initials]
        meters = s.scalars(select(Meter.meter_no).where(Meter.account_id.in_([r.account_id for r in rows[:n]]))).all()
    rng.shuffle(rows)
    kinds = {
        "account_no": [r.account_no for r in rows[:n]],
        "name": [r.name for r in persons[:n]],
        "initials": [r.name_initials for r in persons[:n]],
        "full_pinyin": [r.name_pinyin for r in persons[:n]],
        "phone": [r.phone.replace("-", "") for r in rows[:n]],
        "phone_tail4": [r.phone[-4:] for r in rows[:n]],
        "id_tail4": [r.id_number[-4:] for r in persons[:n]],
        "meter_no": list(meters[:n]),
        "address_fragment": [],
    }
    for r in rows[:n]:
        a = r.address
        start = rng.randrange(0, max(1, len(a) - 4))
        kinds["address_fragment"].append(a[start : start + rng.choice([3, 4, 5])])
    return kinds


def run(args) -> int:
    from app.commands.common import open_database
    from app.services import demo, search

    if not args.db:
        from app.paths import sqlite_url

        args.db = sqlite_url(default_store(args.customers))
    db = open_database(args)
    have = demo.count_customers(db)
    if have == 0:
        # Built by a separate `counterdesk demo` process, so its memory does not count here.
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "--db", args.db, "demo", "--customers", str(args.customers)], check=True)
        print(f"built demo store: {args.customers:,} customers in {time.perf_counter() - started:.1f} s")
        have = demo.count_customers(db)
    elif have != args.customers:
        print(f"note: the store has {have:,} customers, not {args.customers:,}")
    queries = _samples(db, args.queries, args.seed)
    for q in queries["name"][:20]:
        search.search(db, q)  # warm the page cache once, as a working counter's would be
    report = {"machine": machine(), "database": db.describe, "customers": have or args.customers, "kinds": {}}
    ok = True
    for kind, qs in queries.items():
        times = []
        hits = 0
        for q in qs:
            t = time.perf_counter()
            results = search.search(db, q)
            times.append((time.perf_counter() - t) * 1000)
            hits += bool(results)
        stats = percentiles(times)
        stats["found"] = f"{hits}/{len(qs)}"
        report["kinds"][kind] = stats
        ok &= stats["p95"] <= FLOOR_P95_MS
    report["peak_rss_mb"] = peak_rss_mb()
    ok &= report["peak_rss_mb"] < FLOOR_RSS_MB
    report["floors"] = {"p95_ms": FLOOR_P95_MS, "rss_mb": FLOOR_RSS_MB, "met": ok}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['machine']}\n{report['database']}: {report['customers']:,} customers")
        print(f"{'key kind':<18}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'found':>10}")
        for kind, st in report["kinds"].items():
            print(f"{kind:<18}{st['n']:>5}{st['p50']:>9.2f}{st['p95']:>9.2f}{st['max']:>9.2f}{st['found']:>10}")
        print(
            f"peak RSS {report['peak_rss_mb']:.0f} MB; floors p95 <= {FLOOR_P95_MS} ms, RSS < {FLOOR_RSS_MB} MB: {'met' if ok else 'NOT met'}"
        )
    return 0 if ok else 1
