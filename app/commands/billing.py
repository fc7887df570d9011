"""Billing subcommands: quote (price calculator), late-fee, tariffs import/list, bill (issue a route or account)."""

from __future__ import annotations

import sys
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.commands.common import NOT_A_DATE, NOT_A_NUMBER, CliError, add_actor_options, authenticate, open_database, output_path, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a CJK character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


LABEL_CONTEXT = "printing"
TOTAL = QT_TRANSLATE_NOOP("printing", "Total")


def register(sub) -> None:
    p = sub.add_parser("quote", help="price a usage with a tariff (电费试算)")
    p.add_argument("--tariff-file", required=True, metavar="FILE")
    p.add_argument("--tariff", required=True, metavar="CODE")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--usage", metavar="Q")
    g.add_argument("--registers", metavar="peak=Q1,valley=Q2")
    p.add_argument("--ytd", default="0", metavar="Q", help="usage already billed in the tier period")
    p.add_argument("--date", help="the day whose tariff version applies (default today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quote)

    p = sub.add_parser("late-fee", help="the late fee of an unpaid amount")
    p.add_argument("--amount", required=True)
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--paid", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--category", required=True, choices=["residential", "other"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_late_fee)

    p = sub.add_parser("tariffs", help="import or list tariffs")
    tsub = p.add_subparsers(dest="tariffs_command", required=True)
    i = tsub.add_parser("import", help="import a tariff file (refused whole if any part is wrong)")
    i.add_argument("file")
    add_actor_options(i, required=False, role="administrator (required)")
    i.set_defaults(func=cmd_tariffs_import)
    ls = tsub.add_parser("list", help="list imported tariffs")
    ls.set_defaults(func=cmd_tariffs_list)

    p = sub.add_parser("bill", help="issue the bills of a route or an account for a period")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--route", metavar="R")
    g.add_argument("--account", metavar="NO")
    p.add_argument("--period", required=True, metavar="YYYY-MM")
    add_actor_options(p, role="clerk")
    p.add_argument(
        "--print",
        dest="print_to",
        metavar="FILE.pdf",
        help="also print the period's bills of the route (or the account's bill, issued now or before) into one PDF "
        "(volumes FILE-v001.pdf ... above 5,000 bills); archived and counted, reprints marked 重打",
    )
    p.add_argument("--paper", choices=["A4", "A5"], default="A5")
    p.add_argument("--force", action="store_true", help="replace the --print file (and its volumes) if they exist")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bill)

    p = sub.add_parser("reading", help="meter readings")
    rsub = p.add_subparsers(dest="reading_command", required=True)
    c = rsub.add_parser(
        "correct", help="correct a meter register's newest reading (refused while a bill stands on it: void the bill first)"
    )
    c.add_argument("--meter", required=True, metavar="METER_NO")
    c.add_argument("--register", default="total", choices=["total", "peak", "flat", "valley", "sharp"])
    c.add_argument("--period", required=True, metavar="YYYY-MM")
    c.add_argument("--value", required=True, metavar="READING", help="the correct reading")
    c.add_argument("--reason", required=True)
    add_actor_options(c, role="clerk")
    c.add_argument("--rolled-over", action="store_true", help="the meter rolled over (the reading is below the previous one)")
    c.add_argument("--confirm-high", action="store_true", help="save a usage far above the meter's average")
    c.add_argument("--date", help="the day the meter was read, if that was wrong too (YYYY-MM-DD)")
    c.add_argument("--source", choices=["read", "estimated", "customer"], help="how the reading was taken, if that was wrong too")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reading_correct)


def _decimal(text: str, name: str) -> Decimal:
    """A quantity typed on the command line: plain digits (of any script) and a point, no exponent, at
    most app.kernel.text.MAX_QUANTITY; the decimals and the sign are the pricing's to judge."""
    from app.kernel.errors import ValidationError
    from app.kernel.text import MAX_QUANTITY, TOO_LARGE, parse_plain_decimal

    try:
        return parse_plain_decimal(text, name, places=28, maximum=MAX_QUANTITY, allow_negative=True)
    except ValidationError as err:
        if err.message == TOO_LARGE:
            raise
        raise CliError(NOT_A_NUMBER, name=name, text=(text or "")[:40]) from None


def _date(text: str, name: str) -> date:
    from app.kernel.text import ascii_digits

    try:
        return date.fromisoformat(ascii_digits(text).strip())
    except ValueError:
        raise CliError(NOT_A_DATE, name=name, text=text) from None


def _registers(text: str) -> dict[str, Decimal]:
    out = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise CliError(QT_TRANSLATE_NOOP("cli", "--registers: “{part}” should be NAME=QUANTITY, e.g. peak=120"), part=part)
        out[name.strip()] = _decimal(value, "registers")
    return out


def _q(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")


def _money(d: Decimal) -> str:
    """An amount as the issue's JSON wants it: always 2 places ("0.00", "114.60")."""
    return format(Decimal(d).quantize(Decimal("0.01")), "f")


def cmd_quote(args) -> int:
    from app.i18n import tr as translate
    from app.services.billing.pricing import item_label, price
    from app.services.billing.tariffs import TariffBook

    book = TariffBook.from_files(args.tariff_file)
    from app.kernel.localtime import local_today

    day = _date(args.date, "date") if args.date else local_today()
    tariff = book.in_force(args.tariff, day)
    usage = _decimal(args.usage, "usage") if args.usage is not None else None
    registers = _registers(args.registers) if args.registers else None
    quote = price(tariff, usage=usage, registers=registers, ytd=_decimal(args.ytd, "ytd"))
    if args.json:
        print_json(
            {
                "tariff": tariff.code,
                "lines": [
                    {"item": ln.item, "quantity": _q(ln.quantity), "unit_price": _q(ln.unit_price), "amount": _money(ln.amount)}
                    for ln in quote.lines
                ],
                "total": _money(quote.total),
            }
        )
    else:
        print(f"{tariff.code} {tariff.name}")
        for ln in quote.lines:
            print(
                f"  {_pad(item_label(ln, translate), 16)} {_q(ln.quantity):>12} {tariff.unit} x {_q(ln.unit_price):>8} = {_money(ln.amount):>10}"
            )
        print(f"  {_pad(translate(LABEL_CONTEXT, TOTAL), 16)} {_money(quote.total):>{37 + len(tariff.unit)}}")
    return 0


def cmd_late_fee(args) -> int:
    from app.kernel.money import parse_amount
    from app.services.billing.late_fee import late_fee

    amount = parse_amount(args.amount)
    fee = late_fee(amount, _date(args.due, "due"), _date(args.paid, "paid"), args.category)
    if args.json:
        print_json({"amount": _money(amount), "due": args.due, "paid": args.paid, "category": args.category, "late_fee": _money(fee)})
    else:
        print(_money(fee))
    return 0


def cmd_tariffs_import(args) -> int:
    from app.kernel.errors import PermissionDenied
    from app.services.billing import tariffs

    if not args.as_login:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP("messages", "Only an administrator can import tariffs: add --as LOGIN with an administrator's login.")
        )
    db = open_database(args)
    result = tariffs.import_file(db, authenticate(db, args), args.file)
    for label in result.added:
        print(f"imported {label}")
    for label in result.unchanged:
        print(f"unchanged {label}")
    return 0


def cmd_tariffs_list(args) -> int:
    from app.services.billing import tariffs

    db = open_database(args)
    tariffs.ensure_default_tariffs(db)  # listing is a first use of the store like any other
    book = tariffs.load_book(db)
    for code in book.codes():
        for t in book.by_code[code]:
            print(f"{t.code:<14} {t.effective_from} ~ {str(t.effective_to or ''):<10} {t.service:<11} {t.name}")
    return 0


def _reason(f) -> str:
    """Why a bill was not issued, in the chosen language (--lang / COUNTERDESK_LANG)."""
    from app.i18n import error_text

    return error_text(f.error) if f.error else f.reason


def _volume_names(target: Path) -> list[Path]:
    """Files a print to `target` may also write: its volumes NAME-v001.pdf … and parts NAME.part0001.pdf."""
    import glob

    stem, suffix = glob.escape(target.stem), glob.escape(target.suffix)
    return sorted(
        set(target.parent.glob(f"{stem}-v[0-9][0-9][0-9]{suffix}")) | set(target.parent.glob(f"{stem}.part[0-9][0-9][0-9][0-9]{suffix}"))
    )


def cmd_bill(args) -> int:
    from app import i18n
    from app.services.billing import bills

    db = open_database(args)
    target = None
    if args.print_to:  # checked before anything is issued: one rule for every output file
        target = output_path(args.print_to, args.force, db, field="print")
        for other in _volume_names(target):
            output_path(str(other), args.force, db, field="print")
    actor = authenticate(db, args)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    if args.route:
        result = bills.issue_route(db, actor, args.route, args.period, progress=progress)
    else:
        result = bills.issue_accounts(db, actor, [args.account], args.period, progress=progress)
    if tty:
        print(file=sys.stderr)
    printed = None
    if args.print_to:
        # The route's bills of the period, or the account's bill of the period, whether issued just now or
        # before (a bill printed before is marked 重打 with its count).
        ids = (
            bills.bills_of_period(db, args.period, route=args.route)
            if args.route
            else bills.bills_of_period(db, args.period, account_no=args.account)
        )
        if ids:
            total = len(ids)
            printed = _print_staged(
                target,
                args,
                lambda out: bills.print_bills(
                    db,
                    actor,
                    ids,
                    out,
                    paper=args.paper,
                    label=f"{args.route or args.account}-{args.period}",
                    progress=lambda n: progress(n, total),
                    tr=i18n.tr,
                ),
            )
            if tty:
                print(file=sys.stderr)
    if args.json:
        print_json(
            {
                "issued": len(result.issued),
                "failed": [{"account_no": f.account_no, "reason": _reason(f)} for f in result.failed],
                "total": _money(result.total),
                "printed": printed.count if printed else (0 if args.print_to else None),
                "reprints": printed.reprints if printed else 0,
                "files": [str(f) for f in printed.files] if printed else [],
                "archived": [str(f) for f in printed.archived] if printed else [],
            }
        )
    else:
        print(f"issued {len(result.issued)} bills, total {_money(result.total)}; {len(result.failed)} not issued")
        for f in result.failed:
            print(f"  {f.account_no}: {_reason(f)}")
        if args.print_to and printed is None:
            print(
                f"no bill of {args.route and 'route ' + args.route or 'account ' + args.account} for {args.period} exists, "
                f"so nothing was printed and {args.print_to} was not written"
            )
        elif printed is not None:
            again = f" ({printed.reprints} of them printed before, marked as reprints)" if printed.reprints else ""
            print(
                f"printed {printed.count} bills{again} into {', '.join(str(f) for f in printed.files)}; "
                f"archived as {', '.join(str(f) for f in printed.archived)}"
            )
    return 0 if not result.failed else 1


def _print_staged(target: Path, args, print_into):
    """Print into a hidden folder beside `target`, then move each finished file onto its name (an existing
    one only with --force). On any failure, or when this process is killed (the printing workers remove it
    as they end with it: app.kernel.process), the folder goes and no half-written file is left."""
    import shutil
    import tempfile

    from app.kernel import process
    from app.kernel.outfile import PARTIAL_MARK, move_into_place, write_error

    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{PARTIAL_MARK}", dir=target.parent))
    try:
        with process.removed_if_killed(staging):
            printed = print_into(staging / target.name)
        final = []
        for f in printed.files:
            dest = target.with_name(Path(f).name)
            if dest != target:
                output_path(str(dest), args.force, None, field="print")
            try:
                move_into_place(Path(f), dest, args.force, str(dest), "print")
            except OSError as exc:
                raise write_error(exc, str(dest), "print") from exc
            final.append(dest)
        printed.files = final
        return printed
    except OSError as exc:
        raise write_error(exc, args.print_to, "print") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def cmd_reading_correct(args) -> int:
    from app.i18n import error_text
    from app.services.billing import readings

    db = open_database(args)
    actor = authenticate(db, args)
    meter_id = readings.meter_by_no(db, args.meter)
    try:
        r = readings.correct_reading(
            db,
            actor,
            meter_id,
            args.register,
            args.period,
            args.value,
            args.reason,
            rolled_over=args.rolled_over,
            confirm_high=args.confirm_high,
            read_on=_date(args.date, "date") if args.date else None,
            source=args.source,
            approver=actor if actor.is_supervisor and args.rolled_over else None,
        )
    except readings.NeedsConfirmation as ask:
        flag = {"rollover": "--rolled-over", "rollover_supervisor": "--rolled-over --as SUPERVISOR"}.get(ask.kind, "--confirm-high")
        raise CliError(
            QT_TRANSLATE_NOOP("cli", "{reason} (nothing was saved; if it is right, run again with {flag})"),
            reason=error_text(ask),
            flag=flag,
        ) from None
    if args.json:
        print_json(
            {
                "meter": args.meter,
                "register": args.register,
                "period": args.period,
                "previous": _q(r.previous),
                "current": _q(r.current),
                "usage": _q(r.usage),
                "rolled_over": r.rolled_over,
            }
        )
    else:
        print(f"corrected meter {args.meter} {args.register} {args.period}: {_q(r.previous)} -> {_q(r.current)}, usage {_q(r.usage)}")
    return 0
