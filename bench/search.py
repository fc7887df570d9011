"""Search latency per key kind at scale (p50/p95/max, peak RSS) beside a raw sqlite3 fetch of one 200-row page; builds or reuses the demo store.

The machine's own limit, measured in the same run on the same store: a raw sqlite3 fetch of one
200-row result page (the columns the list shows) by an indexed prefix (the pinyin index) and by an
FTS5 match (an address fragment). Every key kind's p95 must be at most RATIO_FLOOR times the
indexed-prefix fetch's p95, and at most FLOOR_P95_MS.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

from sqlalchemy import func, select

from bench.common import Figure, default_store, finish, machine, peak_rss_mb, percentiles, warm_store

FLOOR_P95_MS = 16.0
FLOOR_RSS_MB = 400.0
RATIO_FLOOR = 4.0
PAGE = 200
PAGE_COLUMNS = "id, customer_id, account_id, account_no, name, name_pinyin, phone, id_number, address, status"


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


class RawPage:
    """The limit: a raw DB-API fetch of one 200-row page of the shown columns, by an indexed prefix
    (name_pinyin range) and, on SQLite, by an FTS5 match (PostgreSQL: a trigram LIKE), on a
    connection of its own. `fetch(kind, i)` times the i-th query of that kind in milliseconds."""

    def __init__(self, db, queries: dict[str, list[str]]) -> None:
        prefixes = [q[:2] for q in queries["full_pinyin"] if len(q) >= 2]
        fragments = queries["address_fragment"]
        self.raw = db.engine.raw_connection()
        self.cur = self.raw.cursor()
        if db.is_sqlite:
            by_prefix = (
                f"SELECT {PAGE_COLUMNS} FROM search_index WHERE name_pinyin >= ? AND name_pinyin < ? ORDER BY name_pinyin LIMIT {PAGE}"
            )
            by_match = (
                f"SELECT {PAGE_COLUMNS} FROM search_index WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT {PAGE})"
            )
            prefix_args = [(p, p + "\U0010ffff") for p in prefixes]
            match_args = [('"' + f.replace('"', '""') + '"',) for f in fragments]
        else:
            by_prefix = f"SELECT {PAGE_COLUMNS} FROM search_index WHERE name_pinyin LIKE %s ORDER BY name_pinyin LIMIT {PAGE}"
            by_match = f"SELECT {PAGE_COLUMNS} FROM search_index WHERE address LIKE %s LIMIT {PAGE}"
            prefix_args = [(p + "%",) for p in prefixes]
            match_args = [("%" + f + "%",) for f in fragments]
        self.kinds = {"prefix": (by_prefix, prefix_args), "match": (by_match, match_args)}
        self.rows = {"prefix": 0, "match": 0}

    def fetch(self, kind: str, i: int) -> float:
        sql, args = self.kinds[kind]
        a = args[i % len(args)]
        t = time.perf_counter()
        self.cur.execute(sql, a)
        n = len(self.cur.fetchall())
        self.rows[kind] += n
        return (time.perf_counter() - t) * 1000

    def close(self) -> None:
        self.cur.close()
        self.raw.rollback()
        self.raw.close()


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
    print(f"store read into the page cache in {warm_store(args.db):.1f} s")
    raw = RawPage(db, queries)
    for i in range(30):  # warm the page cache, as a working counter's would be
        for qs in queries.values():
            search.search(db, qs[i % len(qs)])
        raw.fetch("prefix", i)
        raw.fetch("match", i)
    report = {"machine": machine(), "database": db.describe, "customers": have or args.customers, "kinds": {}}
    # Interleaved: the i-th query of every key kind, then the i-th raw page of each way, so a busy moment
    # of the machine weighs on the limit and on every key kind alike.
    times: dict[str, list[float]] = {kind: [] for kind in queries}
    raw_times: dict[str, list[float]] = {"prefix": [], "match": []}
    hits = dict.fromkeys(queries, 0)
    for i in range(max(len(qs) for qs in queries.values())):
        for kind, qs in queries.items():
            if i < len(qs):
                t = time.perf_counter()
                results = search.search(db, qs[i])
                times[kind].append((time.perf_counter() - t) * 1000)
                hits[kind] += bool(results)
        for way in raw_times:
            raw_times[way].append(raw.fetch(way, i))
    raw.close()
    for kind, qs in queries.items():
        stats = percentiles(times[kind])
        stats["found"] = f"{hits[kind]}/{len(qs)}"
        report["kinds"][kind] = stats
    report["raw_page_ms"] = {}
    for way, ts in raw_times.items():
        report["raw_page_ms"][way] = percentiles(ts)
        report["raw_page_ms"][way]["rows_per_fetch"] = round(raw.rows[way] / (len(ts) + 30))
    limit = report["raw_page_ms"]["prefix"]["p95"]
    figures = [
        Figure(
            "search",
            f"raw 200-row page by FTS5 match, p95 (rows {report['raw_page_ms']['match']['rows_per_fetch']})",
            report["raw_page_ms"]["match"]["p95"],
            "ms",
            limit,
            "raw page by indexed prefix, p95",
        ),
    ]
    for kind, stats in report["kinds"].items():
        figures.append(
            Figure(
                "search",
                f"{kind}, p95 at {have:,}",
                stats["p95"],
                "ms",
                limit,
                "raw page by indexed prefix, p95",
                ratio_floor=RATIO_FLOOR,
                absolute=FLOOR_P95_MS,
            )
        )
    report["peak_rss_mb"] = peak_rss_mb()
    figures.append(Figure("search", "peak RSS", report["peak_rss_mb"], "MB", absolute=FLOOR_RSS_MB))
    if not args.json:
        print(f"{report['machine']}\n{report['database']}: {report['customers']:,} customers")
        print(f"{'key kind':<18}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'found':>10}")
        for kind, st in report["kinds"].items():
            print(f"{kind:<18}{st['n']:>5}{st['p50']:>9.2f}{st['p95']:>9.2f}{st['max']:>9.2f}{st['found']:>10}")
        for name, st in report["raw_page_ms"].items():
            print(f"{'raw page ' + name:<18}{st['n']:>5}{st['p50']:>9.2f}{st['p95']:>9.2f}{st['max']:>9.2f}{st['rows_per_fetch']:>10}")
    return finish(args, figures, report)
