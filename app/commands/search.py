"""Subcommands: `find` (customer search for scripts) and `demo` (deterministic demo data)."""

from __future__ import annotations

import sys
import time

from app.commands.common import open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP


def register(sub) -> None:
    p = sub.add_parser("find", help="find customers by account no, name, pinyin, phone, ID tail, meter no or address")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_find)

    p = sub.add_parser("demo", help="fill an empty store with deterministic demo customers")
    p.add_argument("--customers", type=int, default=3000, metavar="N")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)


def cmd_find(args) -> int:
    from app.services import search

    db = open_database(args)
    results = search.search(db, args.query, limit=max(1, min(args.limit, 1000)))
    if args.json:
        print_json(
            [{"account_no": r.account_no, "name": r.name, "phone": r.phone_masked, "address": r.address, "match": r.match} for r in results]
        )
    else:
        for r in results:
            print(f"{r.account_no or '-':<11} {r.name:<12} {r.phone_masked:<14} {r.address}")
    return 0


def cmd_demo(args) -> int:
    from app.commands.common import CliError
    from app.services import demo

    if args.customers < 1 or args.customers > 5_000_000:
        raise CliError(QT_TRANSLATE_NOOP("cli", "--customers takes a number from 1 to 5,000,000"))
    db = open_database(args, fill_demo=False)  # `--demo demo --customers N` builds the demo store itself
    started = time.perf_counter()

    def progress(done: int) -> None:
        if sys.stderr.isatty() or done == args.customers or done % 100_000 == 0:
            print(f"\r{done:,} / {args.customers:,} customers", end="", file=sys.stderr, flush=True)

    demo.fill_new_store(db, args.customers, args.seed, progress=progress)
    print(file=sys.stderr)
    print(f"{args.customers:,} demo customers in {time.perf_counter() - started:.1f} s at {db.describe}")
    return 0
