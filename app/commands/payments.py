"""Payments subcommands: shift open/close, pay, reverse, receipt verify/print, day report."""

from __future__ import annotations

import uuid
from datetime import date

from app.commands.common import NOT_A_DATE, CliError, open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.payment_methods import METHOD_CODES


def register(sub) -> None:
    p = sub.add_parser("pay", help="take a payment for an account (the clerk's shift must be open)")
    p.add_argument("--as", dest="as_login", required=True)
    p.add_argument("--account", required=True, metavar="NO")
    p.add_argument("--amount", required=True)
    p.add_argument("--method", default="cash", choices=list(METHOD_CODES))
    p.add_argument("--tendered", default="")
    p.add_argument("--reference", default="")
    p.add_argument("--receipt", metavar="FILE.pdf", help="write the receipt PDF here (it is archived anyway)")
    p.add_argument("--paper", type=str.lower, choices=["80mm", "58mm", "a5"], default=None,
                   help="receipt paper (default: this counter's, set in Tools > Receipt printer…)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pay)

    p = sub.add_parser("shift", help="open a shift, or report the day's shifts")
    ssub = p.add_subparsers(dest="shift_command", required=True)
    o = ssub.add_parser("open")
    o.add_argument("--as", dest="as_login", required=True)
    o.add_argument("--float", dest="float_amount", default="0")
    o.set_defaults(func=cmd_shift_open)
    r = ssub.add_parser("report", help="the station's day report of all shifts as PDF; with --shift-of, one clerk's shift report")
    r.add_argument("--as", dest="as_login", required=True)
    r.add_argument("--day", default=None, metavar="YYYY-MM-DD")
    r.add_argument("--shift-of", default=None, metavar="LOGIN",
                   help="the report of this clerk's newest shift (expected, counted, cash by denomination, receipts, sign-off); archived")
    r.add_argument("--out", required=True, metavar="FILE.pdf")
    r.set_defaults(func=cmd_day_report)

    p = sub.add_parser("receipt", help="check a receipt's verification code")
    rsub = p.add_subparsers(dest="receipt_command", required=True)
    v = rsub.add_parser("verify")
    v.add_argument("receipt_no")
    v.add_argument("code")
    v.set_defaults(func=cmd_receipt_verify)


def _actor(db, login):
    from app.services import auth

    return auth.get_actor(db, login)


def cmd_pay(args) -> int:
    from sqlalchemy import select

    from app.models import Account
    from app.services import documents
    from app.services.payments import posting, printer_settings

    # This counter's paper unless --paper says otherwise; read before any money moves.
    paper = args.paper or printer_settings.load().paper
    db = open_database(args)
    actor = _actor(db, args.as_login)
    with db.read() as s:
        account_id = s.scalar(select(Account.id).where(Account.account_no == args.account))
    if account_id is None:
        raise CliError(QT_TRANSLATE_NOOP("cli", "no account {account}"), account=args.account)
    posted = posting.post_payment(db, actor, account_id, args.amount, args.method, uuid.uuid4().hex, args.tendered, args.reference)
    # The document protocol: prepared (archived) with its copy number, delivered as PDF, then counted.
    job = documents.prepare(db, actor, "receipt", posted.payment_id, printer_settings.LAYOUT_PAPER[paper])
    doc = job.doc
    try:
        documents.deliver(job, documents.Delivery("pdf", file=args.receipt))
    except OSError as exc:
        raise CliError(QT_TRANSLATE_NOOP("cli", "payment {receipt} is saved, but its receipt cannot be written to {file} ({why}); it stays in the unprinted queue, archived as {archived}"),
                       receipt=posted.receipt_no, file=args.receipt, why=exc.strerror, archived=job.archived) from None
    documents.mark_printed(db, actor, job)  # the PDF is out: archived (and written to FILE.pdf)
    if args.json:
        print_json({"receipt_no": posted.receipt_no, "amount": str(doc.total), "change": str(doc.change),
                    "balance_after": str(doc.balance_after), "verification": doc.verification})
    else:
        print(f"{posted.receipt_no} {doc.total} change {doc.change} verification {doc.verification}")
    return 0


def cmd_shift_open(args) -> int:
    from app.services.payments import posting

    db = open_database(args)
    posting.open_shift(db, _actor(db, args.as_login), args.float_amount)
    print("shift open")
    return 0


def cmd_day_report(args) -> int:
    from app.kernel.localtime import local_today
    from app.services import documents

    if args.shift_of:
        return cmd_shift_report(args)
    db = open_database(args)
    try:
        day = date.fromisoformat(args.day) if args.day else local_today()
    except ValueError:
        raise CliError(NOT_A_DATE, name="day", text=args.day) from None
    actor = _actor(db, args.as_login)
    job = documents.prepare(db, actor, "day", day)  # archived, with its copy number
    documents.deliver(job, documents.Delivery("pdf", file=args.out))
    documents.mark_printed(db, actor, job)
    print(f"{len(job.doc.shifts)} shifts written to {args.out}")
    return 0


def cmd_shift_report(args) -> int:
    from app.services import documents
    from app.services.payments import queries

    db = open_database(args)
    actor = _actor(db, args.as_login)
    # The copy number is the database's print count of this report (shared by every counter), not this machine's files.
    job = documents.prepare(db, actor, "shift", queries.newest_shift_of(db, actor, args.shift_of))
    documents.deliver(job, documents.Delivery("pdf", file=args.out))
    documents.mark_printed(db, actor, job)
    doc, path = job.doc, job.archived
    print(f"shift of {doc.clerk} opened {doc.opened:%Y-%m-%d %H:%M} ({doc.status}) written to {args.out}, archived as {path}")
    return 0


def cmd_receipt_verify(args) -> int:
    from app.services.payments import posting

    db = open_database(args)
    ok = posting.check_verification(db, args.receipt_no, args.code)
    print("genuine" if ok else "NOT a receipt of this store with that code")
    return 0 if ok else 1
