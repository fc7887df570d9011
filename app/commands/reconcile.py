"""`counterdesk reconcile …`: payment-channel statements matched to counter payments
(docs/INTERFACES.md, "Payment-channel statements")."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from app.commands.common import NOT_A_DATE, CliError, add_actor_options, authenticate, open_database, print_json
from app.kernel.ids import short_id
from app.kernel.messages import QT_TRANSLATE_NOOP

CONTEXT = "reconcile"
IMPORTED = QT_TRANSLATE_NOOP("reconcile", "%1 (%2, %3): %4 lines, %5 new, %6 matched, %7 without money taken")
DUPLICATE = QT_TRANSLATE_NOOP("reconcile", "%1 was imported before; nothing was added.")
RECONCILED = QT_TRANSLATE_NOOP("reconcile", "%1 %2 is reconciled: nothing is left.")
OPEN_LEFT = QT_TRANSLATE_NOOP("reconcile", "%1 %2 is not reconciled: %3 differences wait for a supervisor.")
RESOLVED = QT_TRANSLATE_NOOP("reconcile", "Resolved: %1")
NO_DIFFERENCES = QT_TRANSLATE_NOOP("reconcile", "No difference waits.")
NO_ITEM = QT_TRANSLATE_NOOP("cli", "no open difference has the id {text}")


def register(sub) -> None:
    p = sub.add_parser("reconcile", help="payment-channel statements: import, differences, resolve")
    rsub = p.add_subparsers(dest="reconcile_command", required=True)

    imp = rsub.add_parser("import", help="import a channel's daily statement (CSV) and match it to the counter's payments")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--channel", required=True, metavar="NAME", help="the channel profile (resources/interfaces/channels/NAME.toml)")
    add_actor_options(imp, role="supervisor")
    imp.add_argument("--json", action="store_true", help="print the result and the day's open differences as JSON")
    imp.set_defaults(func=cmd_import)

    ls = rsub.add_parser("list", help="the differences that wait (--all: resolved ones too)")
    ls.add_argument("--channel", default="")
    ls.add_argument("--day", metavar="YYYY-MM-DD")
    ls.add_argument("--all", action="store_true")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    res = rsub.add_parser("resolve", help="resolve one difference with a note (supervisors)")
    res.add_argument("item", metavar="ID", help="the difference's id, or its first 8 characters, as `reconcile list` shows it")
    res.add_argument("--note", required=True, help="what was done about it")
    add_actor_options(res, role="supervisor")
    res.set_defaults(func=cmd_resolve)


def _t(text: str) -> str:
    from app.i18n import tr

    return tr(CONTEXT, text)


def _fill(template: str, *values) -> str:
    out = _t(template)
    for i, v in enumerate(values, 1):
        out = out.replace(f"%{i}", str(v))
    return out


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:,.2f}"


def _print_differences(rows) -> None:
    from app.services.interfaces.statements import KIND_LABELS, STATUS_LABELS

    for d in rows:
        note = f"  {d.note}" if d.note else ""
        print(
            f"{short_id(d.id)}  {d.day}  {d.channel}  {_t(KIND_LABELS[d.kind])}  {d.reference or '-'}  {d.receipt_no or '-'}  "
            f"{_yuan(d.statement_fen)} / {_yuan(d.counter_fen)}  {_t(STATUS_LABELS[d.status])}{note}"
        )


def cmd_import(args) -> int:
    from app.services.interfaces import statements

    db = open_database(args)
    try:
        actor = authenticate(db, args)
        result = statements.import_statement(db, actor, args.file, args.channel)
    finally:
        db.dispose()
    if args.json:
        print_json(result.as_json())
        return 0
    if result.duplicate:
        print(_fill(DUPLICATE, result.file))
    else:
        print(_fill(IMPORTED, result.file, result.channel, result.day, result.lines, result.new_lines, result.matched, result.ignored))
    _print_differences(result.differences)
    if result.reconciled:
        print(_fill(RECONCILED, result.channel, result.day))
    else:
        print(_fill(OPEN_LEFT, result.channel, result.day, len(result.differences)))
    return 0


def cmd_list(args) -> int:
    from app.services.interfaces import statements

    day = None
    if args.day:
        try:
            day = date.fromisoformat(args.day)
        except ValueError:
            raise CliError(NOT_A_DATE, name="day", text=args.day) from None
    db = open_database(args)
    try:
        rows = statements.differences(db, args.channel, day, open_only=not args.all)
    finally:
        db.dispose()
    if args.json:
        print_json([d.as_json() for d in rows])
    elif rows:
        _print_differences(rows)
    else:
        print(_t(NO_DIFFERENCES))
    return 0


def cmd_resolve(args) -> int:
    from app.services.interfaces import statements

    db = open_database(args)
    try:
        actor = authenticate(db, args)
        text = args.item.strip().lower()
        try:
            item_id = uuid.UUID(text)
        except ValueError:
            found = [d.id for d in statements.differences(db) if len(text) >= 8 and d.id.hex.endswith(text)]
            if len(found) != 1:
                raise CliError(NO_ITEM, text=args.item) from None
            item_id = found[0]
        done = statements.resolve(db, actor, item_id, args.note)
    finally:
        db.dispose()
    print(_fill(RESOLVED, f"{short_id(done.id)} {done.day} {done.channel} {done.reference}"))
    return 0
