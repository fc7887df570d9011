"""Cold start: process start to a usable main window with the search field focused (repeated runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.common import default_store, machine, percentiles

FLOOR_S = 1.5


def add_arguments(p) -> None:
    p.add_argument("--customers", type=int, default=1_000_000, help="which bench store to start on (see bench search)")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--login", default="zhangli:clerk123", help="LOGIN:PASSWORD of a clerk in that store")
    p.add_argument("--drop-caches", action="store_true", help="drop the OS page cache before each run (root, Linux)")
    p.add_argument("--json", action="store_true")


def run(args) -> int:
    from app.paths import sqlite_url

    url = args.db or sqlite_url(default_store(args.customers))
    env = dict(os.environ, COUNTERDESK_EXIT_WHEN_READY="1", COUNTERDESK_AUTOLOGIN=args.login)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times, focus = [], []
    for _ in range(args.runs):
        if args.drop_caches:
            subprocess.run(["sync"], check=False)
            try:
                with open("/proc/sys/vm/drop_caches", "w") as f:
                    f.write("3\n")
            except OSError:
                pass
        out = subprocess.run([sys.executable, "-m", "app.cli", "--db", url], env=env, capture_output=True, text=True, timeout=120)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("ready ")), None)
        if line is None:
            print(out.stdout[-2000:], out.stderr[-2000:], file=sys.stderr)
            return 2
        parts = line.split()
        times.append(float(parts[1]) * 1000)
        focus.append(parts[2] == "focus=search")
    stats = percentiles(times)
    ok = stats["p95"] <= FLOOR_S * 1000 and all(focus)
    report = {
        "machine": machine(),
        "database": url,
        "runs": len(times),
        "ms": stats,
        "search_focused": all(focus),
        "drop_caches": args.drop_caches,
        "floor_s": FLOOR_S,
        "met": ok,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['machine']}\n{url}")
        print(
            f"cold start over {len(times)} runs{' (page cache dropped)' if args.drop_caches else ''}: "
            f"p50 {stats['p50']:.0f} ms, p95 {stats['p95']:.0f} ms, max {stats['max']:.0f} ms; "
            f"search field focused: {'yes' if all(focus) else 'NO'}; floor {FLOOR_S} s: {'met' if ok else 'NOT met'}"
        )
    return 0 if ok else 1
