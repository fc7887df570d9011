"""Arrears reminders (催费): for one account or a whole route, the bills owed with their quantities and
the late fee to a day, and for an account whose oldest unpaid bill is more than
`dunning.suspension_after_days` past due, the advance notice of suspension `dunning.notice_days`
ahead (company settings; 30 and 7 by default).

Reminders go out through the one print protocol (app.services.documents, kind "dunning"): prepared,
delivered, and only once they are out counted, audited and written to each customer's contact
record (channel letter, kind dunning), which the customer screen shows as the last reminder.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import PermissionDenied, UserError
from app.kernel.localtime import local_today, to_local
from app.kernel.masking import mask_name
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import format_yuan
from app.models import Account, ContactRecord, Customer, Station
from app.printing.reports.dunning import DunningDocument, OwedBill, Reminder
from app.services import settings
from app.services.billing.bills import _open_bills_of

CONTACT_KIND = "dunning"
LABEL_CONTEXT = "printing"
SUMMARY = QT_TRANSLATE_NOOP("printing", "Arrears reminder sent: %1 owed, late fee counted to %2")
SUSPENSION = QT_TRANSLATE_NOOP("printing", "; advance notice of suspension from %1")


@dataclass(eq=False)
class DunningRequest:
    """What to remind: a route's accounts or one account, late fees counted to `as_of`. `actor` is who
    sends them (their contact records carry that clerk); `sent` is filled when the document is made."""

    actor: Actor
    route: str = ""
    account_no: str = ""
    as_of: date | None = None
    bucket: str = ""  # an ageing bucket: only the accounts with a bill in it on `as_of` (of `route`, or every route)
    service: str = ""  # with a bucket: only this service's accounts (the ageing list's filters)
    station: str = ""  # with a bucket: only this station's customers
    sent: list[tuple[uuid.UUID, uuid.UUID, str]] = field(default_factory=list)  # customer, account, summary

    @property
    def number(self) -> str:
        who = f"{self.route or 'all'}-{self.bucket}" if self.bucket else self.route or self.account_no
        return f"{who}-{(self.as_of or local_today()).isoformat()}"


def _bucket_accounts(db: Database, request: DunningRequest, as_of: date) -> list[str]:
    """The account numbers of the ageing list of the request's bucket (and route) on `as_of`."""
    from app.services.reports import Filters
    from app.services.reports.finance import bucket_key, owed_accounts

    if request.account_no:
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "A bucket's reminders are for a route or every route, not one account."), field="bucket"
        )
    bucket = bucket_key(request.bucket)
    return [
        a["account_no"]
        for a in owed_accounts(db, Filters(as_of, as_of, request.station, request.route, "", request.service), bucket, as_of)
    ]


def build(db: Database, request: DunningRequest, translate) -> DunningDocument:
    """The reminders of the request's accounts in arrears (bills past their due date on `as_of`), oldest
    bill first."""
    actor = request.actor
    if (request.route or request.bucket) and not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor prints the reminders of a whole route."))
    if not request.route and not request.account_no and not request.bucket:
        raise UserError(QT_TRANSLATE_NOOP("messages", "Name a route or an account."), field="route")
    as_of = request.as_of or local_today()
    listed = _bucket_accounts(db, request, as_of) if request.bucket else None
    what = f"{request.route} {request.bucket}".strip() if request.bucket else request.route or request.account_no
    nothing = QT_TRANSLATE_NOOP("messages", "Nothing is owed on {what} on {day}: no reminder to print.")
    if listed == []:
        raise UserError(nothing, field="bucket", what=what, day=as_of.isoformat())
    with db.read() as s:
        if listed is not None:  # the accounts of the bucket's list, in its order (route, then account)
            accounts = []
            for i in range(0, len(listed), 500):
                accounts += s.scalars(select(Account).where(Account.account_no.in_(listed[i : i + 500])))
            accounts.sort(key=lambda a: (a.reading_route, a.route_order, a.account_no))
        else:
            stmt = select(Account).order_by(Account.route_order, Account.account_no)
            if request.route:
                stmt = stmt.where(Account.reading_route == request.route)
            else:
                stmt = stmt.where(Account.account_no == request.account_no)
            accounts = list(s.scalars(stmt))
        if not accounts:
            raise UserError(QT_TRANSLATE_NOOP("messages", "No account {what}."), field="route", what=what)
        limit_days = int(settings.get(s, "dunning.suspension_after_days"))
        notice_days = int(settings.get(s, "dunning.notice_days"))
        station = s.get(Station, actor.station_id)
        company = (station.company_name if station else "") or str(settings.get(s, "company.name"))
        hotline = str(settings.get(s, "hall.phone") or "")
        open_bills = _open_bills_of(s, accounts, as_of)
        customers = {c.id: c for c in s.scalars(select(Customer).where(Customer.id.in_({a.customer_id for a in accounts})))}
    doc = DunningDocument(company, station.name if station else actor.station_name, station.address if station else "", hotline, as_of)
    request.sent = []
    for account in accounts:
        owed = [row for row in open_bills[account.id] if row[0].due_date < as_of]  # arrears: past their due date
        if not owed:
            continue
        bills = [OwedBill(b.period, b.due_date, b.usage, outstanding, fee) for b, outstanding, fee in owed]
        oldest = min(b.due for b in bills)
        suspension = as_of + timedelta(days=notice_days) if (as_of - oldest).days > limit_days else None
        reminder = Reminder(
            account.account_no,
            mask_name(account.account_name),
            account.supply_address,
            "m3" if account.service == "water" else "kWh",
            bills,
            suspension,
        )
        doc.reminders.append(reminder)
        summary = (
            translate(LABEL_CONTEXT, SUMMARY)
            .replace("%1", format_yuan(reminder.principal_fen + reminder.late_fee_fen))
            .replace("%2", as_of.isoformat())
        )
        if suspension:
            summary += translate(LABEL_CONTEXT, SUSPENSION).replace("%1", suspension.isoformat())
        customer = customers.get(account.customer_id)
        if customer is not None:
            request.sent.append((customer.id, account.id, summary))
    if not doc.reminders:
        raise UserError(
            nothing,
            field="route",
            what=what,
            day=as_of.isoformat(),
        )
    return doc


def record_sent(session, request: DunningRequest) -> None:
    """Each reminder that went out becomes a contact record on its customer's file (in the print's
    own unit of work)."""
    from app.services.customers import add_contact

    for customer_id, account_id, summary in request.sent:
        add_contact(session, request.actor, customer_id, "letter", CONTACT_KIND, summary, account_id=account_id)


@dataclass(frozen=True)
class LastReminder:
    at: datetime  # station-local
    summary: str


def last_reminder(db: Database, customer_id: uuid.UUID) -> LastReminder | None:
    with db.read() as s:
        row = s.execute(
            select(ContactRecord.at, ContactRecord.summary)
            .where(ContactRecord.customer_id == customer_id, ContactRecord.kind == CONTACT_KIND)
            .order_by(ContactRecord.at.desc())
            .limit(1)
        ).first()
    return LastReminder(to_local(row[0]), row[1]) if row else None


def account_no_of(db: Database, account_id: uuid.UUID | None) -> str:
    """The account number of the account on screen (for the reminder dialog), or ""."""
    if account_id is None:
        return ""
    with db.read() as s:
        return s.scalar(select(Account.account_no).where(Account.id == account_id)) or ""
