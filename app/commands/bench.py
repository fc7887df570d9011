"""`counterdesk bench AREA`: runs a benchmark from bench/<area>.py (add_arguments(parser), run(args));
`counterdesk bench all` runs every one in turn and prints one table (bench/all.py)."""

from __future__ import annotations

import importlib
import importlib.util

AREAS = ["search", "startup", "billing", "payments", "handling", "sync", "reports", "interfaces"]


def register(sub) -> None:
    p = sub.add_parser("bench", help="benchmarks at realistic scale")
    bsub = p.add_subparsers(dest="bench_area", required=True, metavar="AREA")
    for area in AREAS:
        name = f"bench.{area}"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        bp = bsub.add_parser(area, help=(module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else area)
        module.add_arguments(bp)
        bp.set_defaults(func=module.run)
    if importlib.util.find_spec("bench.all") is not None:
        module = importlib.import_module("bench.all")
        bp = bsub.add_parser("all", help="every benchmark in turn, one table of result, limit, ratio and floor")
        module.add_arguments(bp)
        bp.set_defaults(func=module.run)
