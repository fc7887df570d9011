"""Interfaces subcommands: `readings import` (handheld and AMR files) and `bank export` / `bank import`
(bank collection, 代扣). docs/INTERFACES.md."""

from __future__ import annotations

from app.commands.common import CliError, add_actor_options, authenticate, open_database, output_path, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP

IMPORTED = QT_TRANSLATE_NOOP(
    "cli", "{file} ({source}, period {period}): accepted {accepted}, warned {warned}, refused {refused}, posted {posted}"
)
AGAIN = QT_TRANSLATE_NOOP("cli", "{file} was already imported; nothing is staged twice")
POSTED_NOW = QT_TRANSLATE_NOOP("cli", "posted {count} readings now")
EXPORTED = QT_TRANSLATE_NOOP("cli", "{file}: {count} accounts, {total} yuan, bank {bank}, period {period}")
REEXPORTED = QT_TRANSLATE_NOOP("cli", "the collection file of {bank} for {period} was made before; written again as it was sent")
APPLIED = QT_TRANSLATE_NOOP(
    "cli",
    "{file}: bank {bank}, period {period}: {collected} collected ({collected_total} yuan) posted as payments {first} … {last}; {refused} refused ({refused_total} yuan)",
)
REFUSED_LINE = QT_TRANSLATE_NOOP("cli", "refused: {account_no} {holder} {amount} yuan: {reason}")
NO_BANK_PROFILE = QT_TRANSLATE_NOOP("cli", "--bank: no bank profile {bank} (known: {known})")


def _tr(text: str, context: str = "cli") -> str:
    from app.i18n import tr as translate  # (named so that lupdate does not read this call as a string to translate)

    return translate(context, text)


def register(sub) -> None:
    p = sub.add_parser("readings", help="meter readings from files (handheld terminals, AMR exports)")
    rsub = p.add_subparsers(dest="readings_command", required=True)
    i = rsub.add_parser("import", help="stage and check a readings file (CSV or .xlsx); --post posts the accepted rows")
    i.add_argument("file")
    i.add_argument("--source", default="plain", metavar="NAME", help="the column mapping (resources/interfaces/readings/NAME.toml)")
    i.add_argument("--period", metavar="YYYY-MM", help="the reading period (default: the month most rows were read in)")
    i.add_argument("--post", action="store_true", help="post the accepted rows as readings")
    i.add_argument("--json", action="store_true", help="print every row's verdict and reason")
    add_actor_options(i)
    i.set_defaults(func=cmd_readings_import)

    p = sub.add_parser("bank", help="bank collection (代扣): collection files out, return files in")
    bsub = p.add_subparsers(dest="bank_command", required=True)
    e = bsub.add_parser("export", help="write the collection file of what the accounts with a mandate owe")
    e.add_argument("--period", required=True, metavar="YYYY-MM")
    e.add_argument("--bank", required=True, metavar="CODE", help="the bank profile (resources/interfaces/banks/CODE.toml)")
    e.add_argument("--out", metavar="FILE", help="where to write it (default: the profile's file name in the current folder)")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    e.add_argument("--json", action="store_true")
    add_actor_options(e)
    e.set_defaults(func=cmd_bank_export)
    m = bsub.add_parser("import", help="apply a bank's return file: post the collected amounts, list the refused")
    m.add_argument("return_file")
    m.add_argument("--json", action="store_true")
    add_actor_options(m)
    m.set_defaults(func=cmd_bank_import)


def _row_json(r, translate) -> dict:
    return {
        "line": r.line,
        "meter_no": r.meter_no,
        "register": r.register,
        "reading": r.reading,
        "read_on": r.read_on.isoformat() if r.read_on else None,
        "route": r.route,
        "previous": str(r.previous) if r.previous is not None else None,
        "usage": str(r.usage) if r.usage is not None else None,
        "usual": str(r.usual) if r.usual is not None else None,
        "verdict": r.verdict,
        "reason": r.reason_text(translate),
    }


def cmd_readings_import(args) -> int:
    from app.i18n import tr as translate  # (named so that lupdate does not read it)
    from app.services.interfaces import readings_import as ri

    db = open_database(args)
    actor = authenticate(db, args)
    result = ri.stage_file(db, actor, args.file, source=args.source, period=args.period)
    if args.post:
        result.posted_now = ri.post_import(db, actor, result.import_id)
        result = _refresh(ri, db, result, result.again)
    if args.json:
        print_json(
            {
                "import_id": str(result.import_id),
                "file": result.file_name,
                "source": result.source,
                "period": result.period,
                "again": result.again,
                "posted_now": result.posted_now,
                "counts": result.counts,
                "rows": [_row_json(r, translate) for r in result.rows],
            }
        )
        return 0
    if result.again:
        print(_tr(AGAIN).format(file=result.file_name))
    print(_tr(IMPORTED).format(file=result.file_name, source=result.source, period=result.period, **result.counts))
    if args.post:
        print(_tr(POSTED_NOW).format(count=result.posted_now))
    return 0


def _refresh(ri, db, result, again):
    fresh = ri.import_result(db, result.import_id)
    fresh.again, fresh.posted_now, fresh.encoding = again, result.posted_now, result.encoding
    return fresh


def cmd_bank_export(args) -> int:
    from app.kernel.money import from_fen
    from app.services.interfaces import bank_collection as bc

    db = open_database(args)
    profile = _profile(bc, args.bank)
    target = output_path(args.out or profile.file_name(args.period), args.force, db, field="out")
    actor = authenticate(db, args)
    result = bc.export_collection(db, actor, profile.code, args.period, target)
    if args.json:
        print_json(
            {
                "file": str(target),
                "bank": profile.code,
                "period": args.period,
                "accounts": result.lines,
                "total": str(from_fen(result.total_fen)),
                "again": result.again,
            }
        )
        return 0
    if result.again:
        print(_tr(REEXPORTED).format(bank=profile.code, period=args.period))
    print(_tr(EXPORTED).format(file=target, count=result.lines, total=from_fen(result.total_fen), bank=profile.code, period=args.period))
    return 0


def _profile(bc, code: str):
    try:
        return bc.load_profile(code)
    except KeyError:
        raise CliError(NO_BANK_PROFILE, bank=code, known=", ".join(bc.profile_codes())) from None


def cmd_bank_import(args) -> int:
    from app.kernel.masking import mask_name
    from app.kernel.money import from_fen
    from app.services.interfaces import bank_collection as bc

    db = open_database(args)
    actor = authenticate(db, args)
    result = bc.apply_return(db, actor, args.return_file)
    if args.json:
        print_json(
            {
                "file": result.file_name,
                "bank": result.bank,
                "period": result.period,
                "collected": result.collected_count,
                "collected_total": str(from_fen(result.collected_fen)),
                "refused": result.refused_count,
                "refused_total": str(from_fen(result.refused_fen)),
                "receipts": [result.first_receipt, result.last_receipt],
                "refusals": [
                    {
                        "account_no": r.account_no,
                        "holder": mask_name(r.holder),
                        "amount": str(from_fen(r.amount_fen)),
                        "result": r.result,
                        "reason": _tr(r.reason, "messages"),
                    }
                    for r in result.refusals
                ],
            }
        )
        return 0
    print(
        _tr(APPLIED).format(
            file=result.file_name,
            bank=result.bank,
            period=result.period,
            collected=result.collected_count,
            collected_total=from_fen(result.collected_fen),
            first=result.first_receipt or "-",
            last=result.last_receipt or "-",
            refused=result.refused_count,
            refused_total=from_fen(result.refused_fen),
        )
    )
    for r in result.refusals:
        print(
            _tr(REFUSED_LINE).format(
                account_no=r.account_no, holder=mask_name(r.holder), amount=from_fen(r.amount_fen), reason=_tr(r.reason, "messages")
            )
        )
    return 0
