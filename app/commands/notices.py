"""`counterdesk notices …`: the outbox of text messages to customers (docs/INTERFACES.md, "Customer notices")."""

from __future__ import annotations

import uuid
from datetime import date

from app.commands.common import NOT_A_DATE, CliError, add_actor_options, authenticate, open_database, print_json
from app.kernel.ids import short_id
from app.kernel.messages import QT_TRANSLATE_NOOP

CONTEXT = "notices"
QUEUED = QT_TRANSLATE_NOOP("notices", "%1 queued; not queued: %2 refused messages, %3 without a mobile number, %4 queued before")
SENT_SUMMARY = QT_TRANSLATE_NOOP("notices", "%1 sent, %2 to retry later, %3 failed, %4 cancelled")
NOTHING_WAITS = QT_TRANSLATE_NOOP("notices", "No notice waits to be sent.")
REFUSES = QT_TRANSLATE_NOOP("notices", "%1 refuses text messages from now on; %2 waiting notices cancelled")
ACCEPTS = QT_TRANSLATE_NOOP("notices", "%1 accepts text messages again")
NO_ACCOUNT = QT_TRANSLATE_NOOP("cli", "there is no account {account}")
NOT_AN_ID = QT_TRANSLATE_NOOP("cli", "“{text}” is not an outage id; leave it out to notify every outage not ended yet")


def register(sub) -> None:
    p = sub.add_parser("notices", help="text messages to customers' phones: queue, send, list")
    nsub = p.add_subparsers(dest="notices_command", required=True)

    send = nsub.add_parser("send", help="send every notice that waits and print each one's status")
    add_actor_options(send)
    send.add_argument("--json", action="store_true", help="print every message's status as JSON")
    send.set_defaults(func=cmd_send)

    ls = nsub.add_parser("list", help="the newest notices and their status")
    ls.add_argument("--status", choices=["", "queued", "retrying", "sent", "failed", "cancelled"], default="")
    ls.add_argument("--limit", type=int, default=50)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    q = nsub.add_parser("queue", help="queue notices: arrears reminders, a planned outage, a receipt")
    qsub = q.add_subparsers(dest="queue_kind", required=True)
    arrears = qsub.add_parser("arrears", help="arrears reminders (and suspension notices) of a route or one account")
    who = arrears.add_mutually_exclusive_group(required=True)
    who.add_argument("--route")
    who.add_argument("--account", metavar="ACCOUNT_NO")
    arrears.add_argument("--as-of", metavar="YYYY-MM-DD", help="count late fees to this day (default today)")
    outage = qsub.add_parser("outage", help="a planned outage's notice to every affected account (no id: every outage not ended yet)")
    outage.add_argument("outage_id", metavar="OUTAGE_ID", nargs="?", default="")
    receipt = qsub.add_parser("receipt", help="a payment's receipt, at the customer's request")
    receipt.add_argument("receipt_no", metavar="RECEIPT_NO")
    for parser in (arrears, outage, receipt):
        add_actor_options(parser)
        parser.add_argument("--json", action="store_true")
        parser.set_defaults(func=cmd_queue)

    refuse = nsub.add_parser("refuse", help="the customer of an account refuses text messages (--undo: accepts them again)")
    refuse.add_argument("account", metavar="ACCOUNT_NO")
    refuse.add_argument("--undo", action="store_true")
    add_actor_options(refuse)
    refuse.set_defaults(func=cmd_refuse)


def _t(text: str) -> str:
    from app.i18n import tr

    return tr(CONTEXT, text)


def _fill(template: str, *values) -> str:
    out = _t(template)
    for i, v in enumerate(values, 1):
        out = out.replace(f"%{i}", str(v))
    return out


def _print_rows(rows) -> None:
    from app.services.interfaces.notices import KIND_LABELS, STATUS_LABELS

    for r in rows:
        when = r.sent_at or r.next_attempt_at
        extra = f"  {when:%Y-%m-%d %H:%M}" if when else ""
        reason = f"  {r.reason}" if r.reason else ""
        print(
            f"{short_id(r.id)}  {_t(STATUS_LABELS[r.status]):<10} {_t(KIND_LABELS[r.kind])}  {r.customer}  {r.phone}  ×{r.attempts}{extra}{reason}"
        )


def cmd_send(args) -> int:
    from app.i18n import error_text
    from app.kernel.errors import UserError
    from app.services.interfaces import notices

    db = open_database(args)
    try:
        actor = authenticate(db, args)
        result = notices.send_waiting(db, actor)
    finally:
        db.dispose()
    if result.waiting_at_station >= 0:
        text = error_text(UserError(notices.AT_STATION, count=result.waiting_at_station))
        if args.json:
            print_json({"sent": [], "waiting_at_station": result.waiting_at_station, "message": text})
        else:
            print(text)
        return 0
    if args.json:
        print_json({"sent": [r.as_json() for r in result.rows]})
        return 0
    if not result.rows:
        print(_t(NOTHING_WAITS))
        return 0
    _print_rows(result.rows)
    print(_fill(SENT_SUMMARY, result.count("sent"), result.count("retrying"), result.count("failed"), result.count("cancelled")))
    return 0


def cmd_list(args) -> int:
    from app.services.interfaces import notices

    db = open_database(args)
    try:
        rows = notices.notices(db, status=args.status, limit=max(1, min(args.limit, 10_000)))
    finally:
        db.dispose()
    if args.json:
        print_json([r.as_json() for r in rows])
    else:
        _print_rows(rows)
    return 0


def cmd_queue(args) -> int:
    from app.services.interfaces import notices

    db = open_database(args)
    try:
        actor = authenticate(db, args)
        if args.queue_kind == "arrears":
            as_of = None
            if args.as_of:
                try:
                    as_of = date.fromisoformat(args.as_of)
                except ValueError:
                    raise CliError(NOT_A_DATE, name="as-of", text=args.as_of) from None
            result = notices.queue_arrears(db, actor, route=args.route or "", account_no=args.account or "", as_of=as_of)
        elif args.queue_kind == "outage":
            if args.outage_id.strip():
                try:
                    ids = [uuid.UUID(args.outage_id.strip())]
                except ValueError:
                    raise CliError(NOT_AN_ID, text=args.outage_id) from None
            else:
                from app.services.handling import outages

                ids = [o.id for o in outages.current_outages(db)]
            result = notices.Queued()
            for outage_id in ids:
                result.add(notices.queue_outage(db, actor, outage_id))
        else:
            result = notices.queue_receipt(db, actor, args.receipt_no)
    finally:
        db.dispose()
    if args.json:
        print_json(result.as_json())
    else:
        print(_fill(QUEUED, result.queued, result.refused, result.no_mobile, result.already))
    return 0


def cmd_refuse(args) -> int:
    from sqlalchemy import select

    from app.kernel.masking import mask_name
    from app.models import Account, Customer
    from app.services.interfaces import notices

    db = open_database(args)
    try:
        actor = authenticate(db, args)
        with db.read() as s:
            row = s.execute(
                select(Customer.id, Customer.name)
                .join(Account, Account.customer_id == Customer.id)
                .where(Account.account_no == args.account.strip())
            ).first()
        if row is None:
            raise CliError(NO_ACCOUNT, account=args.account)
        cancelled = notices.set_refuses_messages(db, actor, row[0], not args.undo)
    finally:
        db.dispose()
    print(_fill(ACCEPTS, mask_name(row[1])) if args.undo else _fill(REFUSES, mask_name(row[1]), cancelled))
    return 0
