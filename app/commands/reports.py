"""`counterdesk report NAME`: the supervisors' reports without a window."""

from __future__ import annotations

from datetime import date

from app.commands.common import NOT_A_DATE, CliError, add_actor_options, authenticate, open_database, output_path, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP

CONTEXT = "reports"
TOTAL = QT_TRANSLATE_NOOP("reports", "Total")
REMINDERS_PRINTED = QT_TRANSLATE_NOOP("reports", "%1 reminders written to %2")
AGEING_ONLY = QT_TRANSLATE_NOOP("cli", "--{name} is for the ageing report only")
RATE_ONLY = QT_TRANSLATE_NOOP("cli", "--cutoff is for the collection-rate report only")
AGEING_ONLY_PDF = QT_TRANSLATE_NOOP("cli", "--pdf prints the whole report; the account list goes to --xlsx or --json")
BUCKETS_HELP = "not-due, 1-30, 31-90, 91-180 or over-180 (or the key: not_due, d1_30, d31_90, d91_180, d180_plus)"


def register(sub) -> None:
    from app.services.reports import NAMES

    p = sub.add_parser("report", help="a supervisors' report: " + ", ".join(NAMES))
    p.add_argument("name", choices=list(NAMES))
    add_actor_options(p, role="supervisor")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--cutoff", metavar="YYYY-MM-DD", help="collection-rate: count what was collected up to the end of this day (default today)"
    )
    p.add_argument("--station", default="", metavar="CODE")
    p.add_argument("--route", default="")
    p.add_argument("--clerk", default="", metavar="LOGIN")
    p.add_argument("--service", default="", choices=["", "electricity", "water"])
    p.add_argument("--xlsx", metavar="FILE", help="also write the report as an Excel workbook")
    p.add_argument("--pdf", metavar="FILE", help="also print the report to a PDF file (archived and counted)")
    p.add_argument("--force", action="store_true", help="replace an existing --xlsx or --pdf file")
    p.add_argument("--json", action="store_true", help="print an object with rows and totals (amounts in yuan as decimal strings)")
    p.add_argument(
        "--accounts",
        action="store_true",
        help="ageing: the account list behind it instead (masked names and phones; of --route and --bucket if given)",
    )
    p.add_argument("--bucket", default="", metavar="BUCKET", help="ageing, with --accounts: the accounts of one bucket: " + BUCKETS_HELP)
    p.set_defaults(func=cmd_report)

    d = sub.add_parser("dunning", help="print arrears reminders (催费通知单) for a route or one account")
    who = d.add_mutually_exclusive_group()
    who.add_argument("--route")
    who.add_argument("--account", metavar="ACCOUNT_NO")
    add_actor_options(d)
    d.add_argument("--bucket", default="", metavar="BUCKET", help="only the accounts with a bill in this ageing bucket: " + BUCKETS_HELP)
    d.add_argument("--as-of", metavar="YYYY-MM-DD", help="count late fees to this day (default today)")
    d.add_argument("--out", required=True, metavar="FILE.pdf")
    d.add_argument("--force", action="store_true", help="replace an existing file")
    d.set_defaults(func=cmd_dunning)


def _day(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(NOT_A_DATE, name=name, text=text) from None


def cmd_report(args) -> int:
    from app.i18n import tr as translate
    from app.services import documents, reports
    from app.services.reports.output import ReportRequest, export_xlsx, hall_name

    cutoff = _day("cutoff", args.cutoff) if args.cutoff else None
    if cutoff and args.name != "collection-rate":
        raise CliError(RATE_ONLY)
    filters = reports.Filters(_day("from", args.start), _day("to", args.end), args.station, args.route, args.clerk, args.service, cutoff)
    listing = args.accounts or bool(args.bucket)
    if listing and args.name != "ageing":
        raise CliError(AGEING_ONLY, name="accounts" if args.accounts else "bucket")
    if listing and args.pdf:
        raise CliError(AGEING_ONLY_PDF)
    db = open_database(args)
    try:
        xlsx = output_path(args.xlsx, args.force, db, field="xlsx") if args.xlsx else None
        pdf = output_path(args.pdf, args.force, db, field="pdf") if args.pdf else None
        actor = authenticate(db, args)
        if listing:  # the account list behind the ageing report (of one bucket): a report of its own
            report = reports.arrears_list(db, actor, filters, args.bucket)
        else:
            report = reports.run(db, actor, args.name, filters)
        if xlsx:
            export_xlsx(db, actor, report, xlsx, translate, hall_name(db, actor))
        if pdf:
            documents.print_document(
                db, actor, "report", ReportRequest(args.name, filters), documents.Delivery("pdf", file=pdf), tr=translate
            )
    finally:
        db.dispose()
    if args.json:
        print_json(report.as_json())
    else:
        print_table(report)
    return 0


def cmd_dunning(args) -> int:
    from app.i18n import tr as translate
    from app.services import documents
    from app.services.reports.dunning import DunningRequest

    as_of = _day("as-of", args.as_of) if args.as_of else None
    db = open_database(args)
    try:
        out = output_path(args.out, args.force, db)
        actor = authenticate(db, args)
        request = DunningRequest(actor, route=args.route or "", account_no=args.account or "", as_of=as_of, bucket=args.bucket)
        prepared = documents.print_document(db, actor, "dunning", request, documents.Delivery("pdf", file=out), tr=translate)
    finally:
        db.dispose()
    print(translate(CONTEXT, REMINDERS_PRINTED).replace("%1", str(len(prepared.doc.reminders))).replace("%2", str(out)))
    return 0


def print_table(report) -> None:
    """The report as plain text columns, in the chosen language."""
    from app.i18n import tr as translate
    from app.kernel.money import from_fen

    def cell(value, kind):
        if value is None:
            return "—"
        if kind == "money":
            return f"{from_fen(value):,.2f}"
        return str(value)

    from app.services.reports.output import value_text

    titles = [translate(CONTEXT, c.title) for c in report.columns]
    lines = [
        [
            (value_text(c.key, row.get(c.key), translate) if c.kind == "text" else None) or cell(row.get(c.key), c.kind)
            for c in report.columns
        ]
        for row in report.rows
    ]
    total = [cell(report.totals.get(c.key), c.kind) if c.key in report.totals else "" for c in report.columns]
    total[0] = translate(CONTEXT, TOTAL)
    widths = [max(len(str(x)) for x in col) for col in zip(titles, *lines, total)]
    print(translate(CONTEXT, report.title), report.filters.start.isoformat(), "–", report.filters.end.isoformat())
    for line in (titles, *lines, total):
        print("  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(line, widths))))
