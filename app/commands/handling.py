"""Handling subcommands: deadline (what the program would promise), escalate (overdue to supervisors)."""

from __future__ import annotations

import sys
from datetime import datetime

from app.commands.common import open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.handling.kinds import SEVERITIES

C = "HandlingCommand"
BAD_FROM = QT_TRANSLATE_NOOP("messages", "--from: “{text}” is not a time YYYY-MM-DD HH:MM.")
SEVERITY_ONLY_COMPLAINTS = QT_TRANSLATE_NOOP(
    "messages", "--severity applies to complaints only; the time limit of “{type}” does not depend on it."
)
UNKNOWN_YEARS = QT_TRANSLATE_NOOP(
    "HandlingCommand", "The working-day calendar of %1 is not known: Monday to Friday were counted; the date may move."
)
DEADLINE_LINE = QT_TRANSLATE_NOOP("HandlingCommand", "Deadline %1 (%2)")
CONTACT_LINE = QT_TRANSLATE_NOOP("HandlingCommand", "; contact the customer by %1")
WARNING = QT_TRANSLATE_NOOP("HandlingCommand", "warning: %1")


def register(sub) -> None:
    p = sub.add_parser(
        "deadline",
        help="the deadline a matter registered at a time would get",
        description="The deadline from the time-limit file (the administrator's copy in the user data folder "
        "when there is one) on the working-day calendar.",
    )
    p.add_argument("--type", required=True, help="matter type, e.g. complaint, new_connection, fault")
    p.add_argument("--severity", default=None, choices=list(SEVERITIES), help="complaints only (default general)")
    p.add_argument(
        "--scope",
        default="",
        help="for a type whose limit has scopes: new_connection residential | lv_non_residential | "
        "hv_single | hv_dual; fault urban | rural | remote (default: the file's default_scope)",
    )
    p.add_argument("--from", dest="start", required=True, metavar='"YYYY-MM-DD HH:MM"')
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline)

    p = sub.add_parser("escalate", help="flag overdue open matters (and complaints not contacted in time) for the supervisors' queue")
    p.set_defaults(func=cmd_escalate)


def cmd_deadline(args) -> int:
    from app.i18n import error_text, tr
    from app.kernel.errors import UserError, ValidationError
    from app.services.handling import deadlines, kinds

    try:
        start = datetime.strptime(args.start.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise UserError(BAD_FROM, text=args.start) from None
    kind = kinds.find(args.type)
    graded = kind is not None and kind.severities  # a kind whose time limit depends on the severity (complaints)
    if args.severity is not None and not graded:
        raise UserError(SEVERITY_ONLY_COMPLAINTS, field="severity", type=args.type)
    severity = args.severity or "general"
    try:
        d = deadlines.compute(args.type, start, severity, scope=args.scope.strip())
    except ValidationError as err:
        if err.field != "registered_at":
            raise
        print(f"counterdesk: --from: {error_text(err)}", file=sys.stderr)
        return 2
    warning = tr(C, UNKNOWN_YEARS).replace("%1", ", ".join(map(str, d.unknown_years))) if d.unknown_years else ""
    if args.json:
        print_json(
            {
                "type": args.type,
                "severity": severity if graded else None,
                "scope": d.scope or None,
                "from": start.strftime("%Y-%m-%d %H:%M"),
                "rule": d.rule,
                "deadline": d.at.strftime("%Y-%m-%d %H:%M:%S"),
                "contact_by": d.contact_by.strftime("%Y-%m-%d %H:%M:%S") if d.contact_by else None,
                "unknown_calendar_years": list(d.unknown_years),
                "warning": warning or None,
            }
        )
    else:
        rule = deadlines.rule_label(d.count, d.unit, tr)
        if d.scope:
            rule += ", " + deadlines.scope_label(args.type, d.scope, tr)
        line = tr(C, DEADLINE_LINE).replace("%1", d.at.strftime("%Y-%m-%d %H:%M")).replace("%2", rule)
        if d.contact_by:
            line += tr(C, CONTACT_LINE).replace("%1", d.contact_by.strftime("%Y-%m-%d %H:%M"))
        print(line)
        if warning:
            print(tr(C, WARNING).replace("%1", warning))
    return 0


def cmd_escalate(args) -> int:
    from app.services.handling import matters

    db = open_database(args)
    print(f"escalated {matters.escalate_overdue(db)} overdue matters")
    return 0
