"""Handling subcommands: deadline (what the program would promise), escalate (overdue to supervisors)."""

from __future__ import annotations

from datetime import datetime

from app.cli import CliError, open_database, print_json


def register(sub) -> None:
    p = sub.add_parser("deadline", help="the deadline a matter registered at a time would get")
    p.add_argument("--type", required=True)
    p.add_argument("--severity", default="general", choices=["general", "important", "major", "special"])
    p.add_argument("--from", dest="start", required=True, metavar='"YYYY-MM-DD HH:MM"')
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline)

    p = sub.add_parser("escalate", help="flag overdue open matters for the supervisors' queue")
    p.set_defaults(func=cmd_escalate)


def cmd_deadline(args) -> int:
    from app.services.handling import deadlines

    try:
        start = datetime.strptime(args.start.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise CliError(f"--from: “{args.start}” is not a time YYYY-MM-DD HH:MM") from None
    d = deadlines.compute(args.type, start, args.severity)
    warning = (f"the working-day calendar of {', '.join(map(str, d.unknown_years))} is not known: Monday to Friday were counted"
               if d.unknown_years else "")
    if args.json:
        print_json({"type": args.type, "severity": args.severity, "from": start.strftime("%Y-%m-%d %H:%M"), "rule": d.rule,
                    "deadline": d.at.strftime("%Y-%m-%d %H:%M:%S"),
                    "contact_by": d.contact_by.strftime("%Y-%m-%d %H:%M:%S") if d.contact_by else None,
                    "unknown_calendar_years": list(d.unknown_years), "warning": warning or None})
    else:
        print(f"{d.at:%Y-%m-%d %H:%M} ({d.rule})" + (f"; contact by {d.contact_by:%Y-%m-%d %H:%M}" if d.contact_by else ""))
        if warning:
            print(f"warning: {warning}")
    return 0


def cmd_escalate(args) -> int:
    from app.services.handling import matters

    db = open_database(args)
    print(f"escalated {matters.escalate_overdue(db)} overdue matters")
    return 0
