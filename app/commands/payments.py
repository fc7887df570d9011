"""Payments subcommands: shift open/close, pay, reverse, receipt verify/print, day report."""

from __future__ import annotations

import re
import uuid
from datetime import date

from app.commands.common import NOT_A_DATE, CliError, add_actor_options, authenticate, open_database, output_path, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.payment_methods import COUNTER_METHOD_CODES


def register(sub) -> None:
    p = sub.add_parser("pay", help="take a payment for an account (the clerk's shift must be open)")
    add_actor_options(p)
    p.add_argument("--account", required=True, metavar="NO")
    p.add_argument("--amount", required=True)
    p.add_argument("--method", default="cash", choices=list(COUNTER_METHOD_CODES))
    p.add_argument("--tendered", default="")
    p.add_argument("--reference", default="")
    p.add_argument("--receipt", metavar="FILE.pdf", help="write the receipt PDF here (it is archived anyway)")
    p.add_argument("--force", action="store_true", help="replace the --receipt file if it exists")
    p.add_argument(
        "--key",
        metavar="KEY",
        help="a key of this payment (letters, digits . _ : -, at most 60): run again with the same key, "
        "it is posted once and the first result is printed",
    )
    p.add_argument(
        "--paper",
        type=str.lower,
        choices=["80mm", "58mm", "a5"],
        default=None,
        help="receipt paper (default: this counter's, set in Tools > Receipt printer…)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pay)

    p = sub.add_parser("shift", help="open a shift, or report the day's shifts")
    ssub = p.add_subparsers(dest="shift_command", required=True)
    o = ssub.add_parser("open")
    add_actor_options(o)
    o.add_argument("--float", dest="float_amount", default="0")
    o.set_defaults(func=cmd_shift_open)
    r = ssub.add_parser("report", help="the station's day report of all shifts as PDF; with --shift-of, one clerk's shift report")
    add_actor_options(r, role="clerk (a supervisor for the day report or another clerk's shift)")
    r.add_argument("--day", default=None, metavar="YYYY-MM-DD")
    r.add_argument(
        "--shift-of",
        default=None,
        metavar="LOGIN",
        help="the report of this clerk's newest shift (expected, counted, cash by denomination, receipts, sign-off); archived",
    )
    r.add_argument("--out", required=True, metavar="FILE.pdf")
    r.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    r.set_defaults(func=cmd_day_report)

    p = sub.add_parser("receipt", help="check a receipt's verification code")
    rsub = p.add_subparsers(dest="receipt_command", required=True)
    v = rsub.add_parser("verify")
    v.add_argument("receipt_no")
    v.add_argument("code")
    v.set_defaults(func=cmd_receipt_verify)


_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,60}$")
BAD_KEY = QT_TRANSLATE_NOOP("cli", "--key: “{key}” should be 1 to 60 letters, digits, dots, underscores, colons or dashes")
KEY_USED = QT_TRANSLATE_NOOP(
    "cli", "--key {key} was used for payment {receipt} ({amount} to account {account}); give a new key for another payment"
)
REPEATED = QT_TRANSLATE_NOOP("cli", "payment {receipt} was posted before with --key {key}; nothing new was recorded")
SAVED_NOT_PRINTED = QT_TRANSLATE_NOOP(
    "cli",
    "payment {receipt} is saved; its receipt could not be made ({why}); it waits in the unprinted receipts (Counter > Unprinted receipts)",
)


def _result(db, posted) -> dict:
    """What the command prints about a committed payment, read back from the store (the same for a repeat)."""
    from sqlalchemy import select

    from app.kernel.money import from_fen
    from app.models import Payment

    out = {
        "receipt_no": posted.receipt_no,
        "amount": str(from_fen(posted.amount_fen)),
        "change": str(from_fen(posted.change_fen)),
        "balance_after": str(from_fen(posted.balance_after_fen)),
        "verification": "",
    }
    try:
        with db.read() as s:
            row = s.execute(
                select(Payment.receipt_no, Payment.amount_fen, Payment.change_fen, Payment.balance_after_fen, Payment.verification).where(
                    Payment.id == posted.payment_id
                )
            ).first()
        if row is not None:
            out.update(
                receipt_no=row[0],
                amount=str(from_fen(row[1])),
                change=str(from_fen(row[2])),
                balance_after=str(from_fen(row[3])),
                verification=row[4] or "",
            )
    except Exception:  # noqa: BLE001  (saved is saved: the figures posting returned are printed)
        pass
    return out


def _posted_with_key(db, key: str):
    from sqlalchemy import select

    from app.models import Account, Payment
    from app.services.payments.posting import Posted

    with db.read() as s:
        row = s.execute(
            select(Payment.id, Payment.receipt_no, Payment.amount_fen, Payment.change_fen, Payment.balance_after_fen, Account.account_no)
            .join(Account, Account.id == Payment.account_id)
            .where(Payment.idempotency_key == key)
        ).first()
    if row is None:
        return None, None
    return Posted(*row[:5], [], duplicate=True), row[5]


def _print_receipt(db, actor, posted, paper: str, receipt_file, args) -> str | None:
    """Prepare (archive), write and count the receipt of a committed payment; the problem in words, or None."""
    from app.i18n import error_text
    from app.kernel.errors import UserError
    from app.kernel.outfile import staged, write_error
    from app.services import documents
    from app.services.payments import printer_settings

    try:
        # The document protocol: prepared (archived) with its copy number, delivered as PDF, then counted.
        job = documents.prepare(db, actor, "receipt", posted.payment_id, printer_settings.LAYOUT_PAPER[paper])
        if receipt_file is not None:
            with staged(receipt_file, args.force, args.receipt, "receipt") as tmp:
                documents.deliver(job, documents.Delivery("pdf", file=tmp))
        else:
            documents.deliver(job, documents.Delivery("pdf"))
        documents.mark_printed(db, actor, job)  # the PDF is out: archived (and written to FILE.pdf)
        return None
    except UserError as err:
        return error_text(err)
    except OSError as exc:  # the archive's disk full, no permission ...
        return error_text(write_error(exc, str(getattr(exc, "filename", "") or args.receipt or "archive")))
    except Exception as exc:  # noqa: BLE001  (the payment is committed: never a traceback that reads as "failed")
        return f"{type(exc).__name__}: {exc}"[:300]


def cmd_pay(args) -> int:
    import sys

    from sqlalchemy import select

    from app.kernel.money import from_fen, parse_amount
    from app.kernel.text import ascii_digits
    from app.models import Account
    from app.services.payments import posting, printer_settings, queries

    key = None
    if args.key is not None:
        if not _KEY.match(args.key):
            raise CliError(BAD_KEY, key=args.key[:80])
        key = f"cli:{args.key}"
    # This counter's paper unless --paper says otherwise; read before any money moves.
    paper = args.paper or printer_settings.load().paper
    db = open_database(args)
    actor = authenticate(db, args)
    account_no = ascii_digits(args.account).strip()
    repeated, first_account = _posted_with_key(db, key) if key else (None, None)
    if repeated is not None:
        amount = parse_amount(args.amount)
        if first_account != account_no or from_fen(repeated.amount_fen) != amount:
            raise CliError(
                KEY_USED, key=args.key, receipt=repeated.receipt_no, amount=str(from_fen(repeated.amount_fen)), account=first_account
            )
    # The receipt's file is checked before any money moves: a wrong path refuses the payment, not the receipt.
    receipt_file = output_path(args.receipt, args.force, db, field="receipt") if args.receipt and repeated is None else None
    if repeated is None:
        with db.read() as s:
            account_id = s.scalar(select(Account.id).where(Account.account_no == account_no))
        if account_id is None:
            raise CliError(QT_TRANSLATE_NOOP("cli", "no account {account}"), account=args.account)
        posted = posting.post_payment(
            db, actor, account_id, args.amount, args.method, key or uuid.uuid4().hex, args.tendered, args.reference
        )
    else:
        posted = repeated
    # From here on the payment is committed: whatever happens to its receipt, it is reported as saved.
    problem = None
    if posted.duplicate:
        print(CliError(REPEATED, receipt=posted.receipt_no, key=args.key or "").text(), file=sys.stderr)
        try:
            unprinted = queries.next_print(db, posted.payment_id) == 0
        except Exception:  # noqa: BLE001
            unprinted = False
        if unprinted:  # the first run stopped before its receipt went out: it goes out now, once
            from app.i18n import error_text
            from app.kernel.errors import UserError

            try:
                receipt_file = output_path(args.receipt, args.force, db, field="receipt") if args.receipt else None
                problem = _print_receipt(db, actor, posted, paper, receipt_file, args)
            except UserError as err:
                problem = error_text(err)
    else:
        problem = _print_receipt(db, actor, posted, paper, receipt_file, args)
    result = _result(db, posted)
    if args.json:
        print_json({**result, **({"receipt_problem": problem} if problem else {})})
    else:
        print(f"{result['receipt_no']} {result['amount']} change {result['change']} verification {result['verification']}")
    if problem:
        print("counterdesk: " + CliError(SAVED_NOT_PRINTED, receipt=posted.receipt_no, why=problem).text(), file=sys.stderr)
    return 0


def cmd_shift_open(args) -> int:
    from app.services.payments import posting

    db = open_database(args)
    posting.open_shift(db, authenticate(db, args), args.float_amount)
    print("shift open")
    return 0


def cmd_day_report(args) -> int:
    from app.kernel.localtime import local_today
    from app.kernel.outfile import staged
    from app.services import documents
    from app.services.validation import plausible_day

    if args.shift_of:
        return cmd_shift_report(args)
    try:
        day = date.fromisoformat(args.day.strip()) if args.day else local_today()
    except ValueError:
        raise CliError(NOT_A_DATE, name="day", text=args.day) from None
    plausible_day(day, "day")
    db = open_database(args)
    out = output_path(args.out, args.force, db, field="out")
    actor = authenticate(db, args)
    job = documents.prepare(db, actor, "day", day)  # archived, with its copy number
    with staged(out, args.force, args.out, "out") as tmp:
        documents.deliver(job, documents.Delivery("pdf", file=tmp))
    documents.mark_printed(db, actor, job)
    print(f"{len(job.doc.shifts)} shifts written to {args.out}")
    return 0


def cmd_shift_report(args) -> int:
    from app.kernel.outfile import staged
    from app.services import documents
    from app.services.payments import queries

    db = open_database(args)
    out = output_path(args.out, args.force, db, field="out")
    actor = authenticate(db, args)
    # The copy number is the database's print count of this report (shared by every counter), not this machine's files.
    job = documents.prepare(db, actor, "shift", queries.newest_shift_of(db, actor, args.shift_of))
    with staged(out, args.force, args.out, "out") as tmp:
        documents.deliver(job, documents.Delivery("pdf", file=tmp))
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
