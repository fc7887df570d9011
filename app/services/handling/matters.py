"""Matters under first-contact responsibility (首问负责制): registration, the workflow, history, queues.

States: registered -> in_progress -> resolved -> replied -> called_back -> closed.
Every action has a `can_x(matter)` that returns None when allowed or the reason it is not,
and an `x(db, actor, matter_id, ...)` that checks it again inside the transaction. Every
action writes a history row (MatterEvent) and an audit entry. The owner never changes;
a transfer changes the assignee and department.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.localtime import local_now, to_local, to_utc
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Account, Clerk, Customer, Matter, MatterEvent, utcnow
from app.services import audit, numbering, settings
from app.services.customers import CHANNELS, ContactLink, ContactLinks, add_contact, register_contact_links
from app.services.handling import deadlines, kinds

# Matter kinds (types), their labels and rules: app.services.handling.kinds. Channels: app.services.customers.
SATISFACTION = ("satisfied", "fairly_satisfied", "unsatisfied")
OPEN_STATES = ("registered", "in_progress", "resolved", "replied", "called_back")
MAX_DESCRIPTION = 5000


def needs_call_back(m: Matter) -> bool:
    kind = kinds.find(m.type)
    return kind is not None and kind.call_back


# First contact (complaints: "contact the customer within 24 h"): the matter's contact_by is the time
# limit; it is met by a "contact" history row (Customer contacted…), or by a reply to the customer.
CONTACT_ACTIONS = ("contact", "reply", "answer_and_close")


def contact_pending_sql():
    """SQL: the matter has a first-contact time limit and no contact is recorded yet (with the open
    test, the condition of the partial index ix_matters_contact_pending)."""
    return and_(Matter.contact_by.is_not(None), Matter.contacted_at.is_(None))


# ------------------------------------------------------------------ the state machine


def can_start(m: Matter) -> str | None:
    return None if m.state == "registered" else QT_TRANSLATE_NOOP("messages", "Only a registered matter can be started.")


def can_resolve(m: Matter) -> str | None:
    return None if m.state == "in_progress" else QT_TRANSLATE_NOOP("messages", "Only a matter in progress can be marked resolved.")


def can_reply(m: Matter) -> str | None:
    return None if m.state == "resolved" else QT_TRANSLATE_NOOP("messages", "Reply to the customer after the matter is resolved.")


def can_call_back(m: Matter) -> str | None:
    return (
        None
        if m.state == "replied"
        else QT_TRANSLATE_NOOP("messages", "A call-back comes after the reply to the customer; this matter is not replied to yet.")
    )


def can_close(m: Matter) -> str | None:
    if m.state == "called_back":
        return None
    if m.state == "replied" and not needs_call_back(m):
        return None
    if m.state in ("registered", "in_progress", "resolved"):
        return QT_TRANSLATE_NOOP("messages", "A matter is closed only after the customer has had a reply.")
    if m.state == "replied":
        return QT_TRANSLATE_NOOP("messages", "A complaint is closed only after a call-back to the customer.")
    return QT_TRANSLATE_NOOP("messages", "This matter is already closed.")


def can_answer_and_close(m: Matter) -> str | None:
    kind = kinds.find(m.type)
    if kind is None or not kind.answer_at_once:
        return QT_TRANSLATE_NOOP("messages", "Only an inquiry can be answered and closed at once.")
    return (
        None if m.state in ("registered", "in_progress") else QT_TRANSLATE_NOOP("messages", "This inquiry is no longer open for an answer.")
    )


def can_transfer(m: Matter) -> str | None:
    return None if m.state in OPEN_STATES else QT_TRANSLATE_NOOP("messages", "A closed matter cannot be transferred.")


def can_remind(m: Matter) -> str | None:
    return None if m.state in OPEN_STATES else QT_TRANSLATE_NOOP("messages", "A closed matter needs no reminder.")


def can_contact(m: Matter, contacted: bool = False) -> str | None:
    if m.contact_by is None:
        return QT_TRANSLATE_NOOP("messages", "This matter has no first-contact time limit.")
    if m.state not in OPEN_STATES:
        return QT_TRANSLATE_NOOP("messages", "This matter is already closed.")
    if contacted:
        return QT_TRANSLATE_NOOP("messages", "The first contact with the customer is already recorded.")
    return None


ACTIONS = {
    "contact": can_contact,
    "start": can_start,
    "resolve": can_resolve,
    "reply": can_reply,
    "call_back": can_call_back,
    "close": can_close,
    "answer_and_close": can_answer_and_close,
    "transfer": can_transfer,
    "remind": can_remind,
}


def allowed_actions(m: Matter, contacted: bool = False) -> list[str]:
    return [name for name, check in ACTIONS.items() if (check(m, contacted) if name == "contact" else check(m)) is None]


# ------------------------------------------------------------------ helpers


def _text(field: str, value: str, required: bool, limit: int = MAX_DESCRIPTION) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError.single(field, QT_TRANSLATE_NOOP("messages", "This cannot be empty."))
    if len(text) > limit:
        raise ValidationError.single(
            field, QT_TRANSLATE_NOOP("messages", "At most {count} characters; this has {length}."), count=limit, length=len(text)
        )
    return text


def _event(s: Session, actor: Actor, m: Matter, action: str, before: str, note: str = "") -> None:
    at = utcnow()
    if action in CONTACT_ACTIONS and m.contacted_at is None:
        m.contacted_at = at  # the first contact's history row and the matter say the same time
    s.add(MatterEvent(matter_id=m.id, at=at, clerk_id=actor.clerk_id, action=action, from_state=before, to_state=m.state, note=note))
    audit.record(s, actor, action, "matter", m.id, before={"state": before}, after={"state": m.state, "note": note[:500]})


def _contact_kind(m: Matter) -> str:
    kind = kinds.find(m.type)
    return kind.contact_kind if kind else "other"


def _load(s: Session, matter_id: uuid.UUID) -> Matter:
    m = s.get(Matter, matter_id)
    if m is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This matter no longer exists."))
    return m


def _check(reason: str | None, m: Matter, action: str) -> None:
    if reason is not None:
        raise UserError(reason, state=m.state, action=action)


# ------------------------------------------------------------------ registration


@dataclass
class MatterInput:
    type: str
    description: str
    customer_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    channel: str = "counter"
    complaint_type: str = ""
    severity: str = "general"
    scope: str = ""  # the variant of the time limit (new connection, fault); "" = suggested by the account
    # a walk-in without an account: registered as a potential customer
    new_customer_name: str = ""
    new_customer_phone: str = ""


@dataclass
class Registered:
    matter_id: uuid.UUID
    matter_no: str
    deadline: datetime
    contact_by: datetime | None
    unknown_years: tuple[int, ...]
    repeat_count: int
    escalated: bool
    scope: str = ""


def suggested_scope(db: Database, matter_type: str, account_id=None) -> str:
    """The scope the account suggests for a type whose limit has scopes (residential or not, voltage
    level, an address in the country); the type's default without an account; "" for other types."""
    if not deadlines.scopes_of(matter_type):
        return ""
    if account_id is None:
        return deadlines.default_scope(matter_type)
    with db.read() as s:
        row = s.execute(
            select(Account.usage_category, Account.voltage_level, Account.supply_address).where(Account.id == account_id)
        ).first()
    return deadlines.default_scope(matter_type, *row) if row else deadlines.default_scope(matter_type)


def _scope(db: Database, data: MatterInput) -> str:
    return (data.scope or "").strip() or suggested_scope(db, data.type, data.account_id)


def repeat_count_in(s: Session, customer_id, account_id, complaint_type: str, since: datetime, matter_type: str = "complaint") -> int:
    """Earlier matters of the same kind and sub-kind by the same customer or on the same account since `since` (UTC)."""
    who = Matter.customer_id == customer_id
    if account_id is not None:
        who = or_(who, Matter.account_id == account_id)
    return (
        s.scalar(
            select(func.count())
            .select_from(Matter)
            .where(who, Matter.type == matter_type, Matter.complaint_type == complaint_type, Matter.registered_at >= since)
        )
        or 0
    )


def _severity(kind: kinds.MatterKind, data: MatterInput) -> str:
    return (data.severity or "general") if kind.severities else "general"


def preview(db: Database, data: MatterInput, registered_local: datetime | None = None) -> tuple[deadlines.Deadline, int]:
    """What registration would promise: the deadline and how many earlier same complaints there are."""
    kind = kinds.get(data.type)
    when = registered_local or local_now()
    d = deadlines.compute(data.type, when, _severity(kind, data), scope=_scope(db, data))
    repeats = 0
    if kind.repeats and data.customer_id:
        with db.read() as s:
            window = int(settings.get(s, "matters.repeat_window_days"))
            repeats = repeat_count_in(
                s, data.customer_id, data.account_id, data.complaint_type, utcnow() - timedelta(days=window), kind.name
            )
    return d, repeats


def register(db: Database, actor: Actor, data: MatterInput, registered_local: datetime | None = None) -> Registered:
    """Register a matter; the actor becomes its owner for good. Prints nothing: the caller prints the receipt."""
    kind = kinds.get(data.type)
    if data.channel not in CHANNELS:
        raise ValidationError.single("channel", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    complaint_type = data.complaint_type if kind.complaint_types else ""
    if kind.complaint_types and complaint_type not in kind.complaint_types:
        raise ValidationError.single("complaint_type", QT_TRANSLATE_NOOP("messages", "Choose the kind of complaint."))
    severity = _severity(kind, data)
    description = _text("description", data.description, True)
    when_local = registered_local or local_now()
    due = deadlines.compute(data.type, when_local, severity, scope=_scope(db, data))
    with db.write() as s:
        customer_id = data.customer_id
        if customer_id is None:
            from app.services.customers import CustomerInput, _clean_customer
            from app.services.pinyin import pinyin_keys

            values = _clean_customer(
                CustomerInput(name=data.new_customer_name, phone=data.new_customer_phone, relationship_status="potential")
            )
            full, initials = pinyin_keys(values["name"])
            customer = Customer(**values, name_pinyin=full, name_initials=initials, station_id=actor.station_id)
            s.add(customer)
            s.flush()
            from app.services.customers import reindex_customer

            reindex_customer(s, customer.id)
            audit.record(s, actor, "create", "customer", customer.id, after={"name": customer.name, "relationship_status": "potential"})
            customer_id = customer.id
        elif s.get(Customer, customer_id) is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This customer file no longer exists."))
        repeats = 0
        escalated = False
        if kind.repeats:
            window = int(settings.get(s, "matters.repeat_window_days"))
            repeats = repeat_count_in(
                s, customer_id, data.account_id, complaint_type, to_utc(when_local) - timedelta(days=window), kind.name
            )
            escalated = repeats >= 2  # the third within the window escalates at once
        year = when_local.year
        number = numbering.format_number(actor.station_code, year, numbering.next_value(s, actor.station_id, "matter", year), "W")
        m = Matter(
            matter_no=number,
            station_id=actor.station_id,
            customer_id=customer_id,
            account_id=data.account_id,
            type=data.type,
            complaint_type=complaint_type,
            severity=severity,
            channel=data.channel,
            description=description,
            state="registered",
            owner_id=actor.clerk_id,
            assignee_id=actor.clerk_id,
            department="",
            registered_at=to_utc(when_local),
            deadline_at=due.at,
            contact_by=due.contact_by,
            deadline_scope=due.scope or "",
            deadline_unknown_year=bool(due.unknown_years),
            repeat_count=repeats,
            escalated=escalated,
            escalated_reason="repeat" if escalated else "",
        )
        s.add(m)
        s.flush()
        # the rule, scope and repeat count as fields of the history row (the screen says them in the reader's language)
        s.add(
            MatterEvent(
                matter_id=m.id,
                clerk_id=actor.clerk_id,
                action="register",
                to_state="registered",
                rule_count=due.count,
                rule_unit=due.unit,
                scope=due.scope or "",
                repeat_count=repeats,
            )
        )
        add_contact(
            s, actor, customer_id, data.channel, kind.contact_kind, f"{number} {description[:200]}", account_id=data.account_id, ref_id=m.id
        )
        audit.record(
            s,
            actor,
            "register",
            "matter",
            m.id,
            after={
                "matter_no": number,
                "type": data.type,
                "scope": due.scope,
                "deadline": due.at,
                "repeat_count": repeats,
                "escalated": escalated,
            },
        )
        from app.services.interfaces import notices

        notices.matter_event(s, actor, m, "matter_registered")  # the customer's text message, in this unit of work
        return Registered(m.id, number, due.at, due.contact_by, due.unknown_years, repeats, escalated, due.scope)


# ------------------------------------------------------------------ actions


def _transition(db: Database, actor: Actor, matter_id, action: str, check, new_state: str, note: str = "", **changes) -> None:
    with db.write() as s:
        m = _load(s, matter_id)
        _check(check(m), m, action)
        before = m.state
        m.state = new_state
        for k, v in changes.items():
            setattr(m, k, v)
        if new_state == "closed":
            m.closed_at = utcnow()
        _event(s, actor, m, action, before, note)
        if action == "reply":
            _notify_reply(s, actor, m)


def start(db: Database, actor: Actor, matter_id) -> None:
    _transition(db, actor, matter_id, "start", can_start, "in_progress")


def resolve(db: Database, actor: Actor, matter_id, note: str) -> None:
    _transition(db, actor, matter_id, "resolve", can_resolve, "resolved", _text("note", note, True))


def reply(db: Database, actor: Actor, matter_id, text: str) -> None:
    body = _text("reply", text, True)
    _transition(db, actor, matter_id, "reply", can_reply, "replied", body, reply=body)


def _notify_reply(s: Session, actor: Actor, m: Matter) -> None:
    from app.services.interfaces import notices

    notices.matter_event(s, actor, m, "matter_replied")  # the customer's text message, in the reply's unit of work


def call_back(db: Database, actor: Actor, matter_id, satisfaction: str, note: str = "") -> str:
    """Record the call-back (回访); an unsatisfied customer reopens the matter. Returns the new state."""
    if satisfaction not in SATISFACTION:
        raise ValidationError.single("satisfaction", QT_TRANSLATE_NOOP("messages", "Choose how satisfied the customer is."))
    with db.write() as s:
        m = _load(s, matter_id)
        _check(can_call_back(m), m, "call_back")
        before = m.state
        m.satisfaction = satisfaction
        if satisfaction == "unsatisfied":
            m.state = "in_progress"
            m.reopened += 1
            _event(s, actor, m, "reopen", before, _text("note", note, False) or satisfaction)
        else:
            m.state = "called_back"
            _event(s, actor, m, "call_back", before, f"{satisfaction} {note}".strip())
        return m.state


def close(db: Database, actor: Actor, matter_id, note: str = "") -> None:
    _transition(db, actor, matter_id, "close", can_close, "closed", _text("note", note, False))


def answer_and_close(db: Database, actor: Actor, matter_id, answer: str) -> None:
    body = _text("reply", answer, True)
    _transition(db, actor, matter_id, "answer_and_close", can_answer_and_close, "closed", body, reply=body)


def transfer(db: Database, actor: Actor, matter_id, to_login: str, department: str, reason: str) -> None:
    """Hand the work to another clerk/department; the owner stays the same."""
    why = _text("reason", reason, True, 500)
    with db.write() as s:
        m = _load(s, matter_id)
        _check(can_transfer(m), m, "transfer")
        target = s.scalar(select(Clerk).where(Clerk.login == (to_login or "").strip(), Clerk.active.is_(True)))
        if target is None:
            raise ValidationError.single(
                "assignee", QT_TRANSLATE_NOOP("messages", "No clerk has the login name “{login}”."), login=to_login
            )
        m.assignee_id = target.id
        m.department = (department or target.department or "").strip()[:60]
        _event(s, actor, m, "transfer", m.state, f"{target.name} ({m.department}): {why}")


def record_contact(db: Database, actor: Actor, matter_id, note: str, channel: str = "phone") -> None:
    """The first contact with the customer (a complaint's 24-hour limit): a history row and a contact record."""
    text = _text("note", note, True, 1000)
    if channel not in CHANNELS:
        raise ValidationError.single("channel", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    with db.write() as s:
        m = _load(s, matter_id)
        _first_contact(s, actor, m, text)
        add_contact(s, actor, m.customer_id, channel, _contact_kind(m), f"{m.matter_no} {text[:200]}", account_id=m.account_id, ref_id=m.id)


def _first_contact(s: Session, actor: Actor, m: Matter, text: str) -> None:
    _check(can_contact(m, m.contacted_at is not None), m, "contact")
    _event(s, actor, m, "contact", m.state, text)


# F7 (record a contact) offers "this is the first contact of W-…" for the customer's matters still waiting for it;
# recording the contact that way settles the first contact in the same unit of work (app.services.customers).


def _pending_first_contacts(s: Session, customer_id) -> list[ContactLink]:
    rows = s.execute(
        select(Matter.id, Matter.matter_no, Matter.contact_by, Matter.type)
        .where(Matter.customer_id == customer_id, Matter.state != "closed", contact_pending_sql())
        .order_by(Matter.contact_by)
    ).all()
    return [ContactLink(mid, no, by, kinds.find(t).contact_kind if kinds.find(t) else "other") for mid, no, by, t in rows]


def _settle_first_contact(s: Session, actor: Actor, customer_id, link: ContactLink, channel: str, summary: str) -> None:
    m = _load(s, link.ref_id)
    if m.customer_id != customer_id:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This matter no longer exists."))
    _first_contact(s, actor, m, _text("summary", summary, True, 1000))


def pending_first_contacts(db: Database, customer_id) -> list[ContactLink]:
    with db.read() as s:
        return _pending_first_contacts(s, customer_id)


def remind(db: Database, actor: Actor, matter_id, note: str) -> None:
    with db.write() as s:
        m = _load(s, matter_id)
        _check(can_remind(m), m, "remind")
        _event(s, actor, m, "remind", m.state, _text("note", note, True, 1000))


def add_note(db: Database, actor: Actor, matter_id, note: str) -> None:
    with db.write() as s:
        m = _load(s, matter_id)
        _event(s, actor, m, "note", m.state, _text("note", note, True, 2000))


def escalate_overdue(db: Database, actor: Actor | None = None, now_local: datetime | None = None) -> int:
    """Flag open matters past their deadline for the supervisors' queue; returns how many were escalated."""
    now = now_local or local_now()
    with db.write() as s:
        late = Matter.deadline_at < now
        rows = s.execute(
            select(Matter, late).where(
                Matter.state != "closed", Matter.escalated.is_(False), or_(late, and_(contact_pending_sql(), Matter.contact_by < now))
            )
        ).all()
        rows = [(m, "overdue" if is_late else "contact_overdue") for m, is_late in rows]
        for m, why in rows:
            m.escalated = True
            m.escalated_reason = why
            s.add(
                MatterEvent(
                    matter_id=m.id,
                    clerk_id=actor.clerk_id if actor else None,
                    action="escalate",
                    from_state=m.state,
                    to_state=m.state,
                    note=why,
                )
            )
        rows = [m for m, _ in rows]
        if rows:
            audit.record(s, actor, "escalate", "matter", "", after={"overdue": [m.matter_no for m in rows]})
        return len(rows)


# ------------------------------------------------------------------ reading


@dataclass
class MatterRow:
    id: uuid.UUID
    matter_no: str
    type: str
    complaint_type: str
    severity: str
    state: str
    customer_name: str
    registered_at: datetime  # local
    deadline_at: datetime
    deadline_unknown_year: bool
    owner_name: str
    assignee_name: str
    department: str
    repeat_count: int
    escalated: bool
    description: str

    contact_by: datetime | None = None
    contact_pending: bool = False  # a first-contact limit with no contact recorded yet
    warn_hours: int = 24  # the company's matters.warn_before_hours when the row was read

    def timing(self, now: datetime) -> str:
        """on_time | due_soon | contact_due | contact_overdue | overdue | closed (the most urgent first), by the
        company's warning window (matters.warn_before_hours), the same rule as the due-soon and overdue queues."""
        if self.state == "closed":
            return "closed"
        if self.deadline_at < now:
            return "overdue"
        soon = now + timedelta(hours=self.warn_hours)
        if self.contact_pending and self.contact_by is not None:
            if self.contact_by < now:
                return "contact_overdue"
            if self.contact_by <= soon:
                return "contact_due"
        if self.deadline_at <= soon:
            return "due_soon"
        return "on_time"


def warn_hours(s: Session) -> int:
    """How long before a deadline (or a first-contact limit) a matter is due soon: the one source of the
    warning window for the queues, the customer screen's matter list and its warnings."""
    return int(settings.get(s, "matters.warn_before_hours"))


def _rows(s: Session, stmt, warn: int | None = None) -> list[MatterRow]:
    owner = Clerk.__table__.alias("owner")
    assignee = Clerk.__table__.alias("assignee")
    q = (
        stmt.add_columns(Customer.name, owner.c.name, assignee.c.name, contact_pending_sql())
        .join(Customer, Customer.id == Matter.customer_id)
        .join(owner, owner.c.id == Matter.owner_id)
        .join(assignee, assignee.c.id == Matter.assignee_id)
    )
    rows = s.execute(q).all()
    if warn is None:
        warn = warn_hours(s) if rows else 24
    return [
        MatterRow(
            m.id,
            m.matter_no,
            m.type,
            m.complaint_type,
            m.severity,
            m.state,
            cname,
            to_local(m.registered_at),
            m.deadline_at,
            m.deadline_unknown_year,
            oname,
            aname,
            m.department,
            m.repeat_count,
            m.escalated,
            m.description,
            m.contact_by,
            bool(pending) and m.state != "closed",
            warn,
        )
        for m, cname, oname, aname, pending in rows
    ]


def customer_matters(db: Database, customer_id, open_only: bool = True, limit: int = 50) -> list[MatterRow]:
    with db.read() as s:
        stmt = select(Matter).where(Matter.customer_id == customer_id)
        if open_only:
            stmt = stmt.where(Matter.state != "closed")
        return _rows(s, stmt.order_by(Matter.deadline_at).limit(limit))


QUEUES = ("mine", "assigned", "due_soon", "overdue", "hall")


def queues_for(actor: Actor) -> tuple[str, ...]:
    """The queues this person sees: the whole hall's only for supervisors and administrators."""
    return QUEUES if actor.is_supervisor else tuple(q for q in QUEUES if q != "hall")


def queue(db: Database, actor: Actor, name: str, limit: int = 50, offset: int = 0, now_local: datetime | None = None) -> list[MatterRow]:
    now = now_local or local_now()
    with db.read() as s:
        warn = warn_hours(s)
        parts = [clauses for _key, clauses in _queue_parts(actor, name, now, warn)]
        if len(parts) == 1:
            return _rows(s, select(Matter).where(*parts[0]).order_by(Matter.deadline_at).limit(limit).offset(offset), warn)
        # each part's first offset+limit rows in deadline order, merged: every query stays on its index
        rows = [r for part in parts for r in _rows(s, select(Matter).where(*part).order_by(Matter.deadline_at).limit(offset + limit), warn)]
        rows.sort(key=lambda r: r.deadline_at)
        return rows[offset : offset + limit]


def _queue_parts(actor: Actor, name: str, now: datetime, warn: int) -> list[tuple[str, tuple]]:
    """A queue's condition as disjoint parts, each (key, clauses): counted one by one, each part stays
    on an index (an OR with the first-contact test made PostgreSQL count the overdue queue in 140 ms
    instead of 5). Parts with the same key are the same condition in two queues."""
    open_ = Matter.state != "closed"  # the partial indexes' condition, so the planner uses them
    station = Matter.station_id == actor.station_id
    soon = now + timedelta(hours=warn)
    if name == "mine":
        return [("mine", (Matter.owner_id == actor.clerk_id, open_))]
    if name == "assigned":
        return [("assigned", (Matter.assignee_id == actor.clerk_id, open_))]
    # due soon / overdue: by the deadline, or by a first contact not yet made (complaints: within 24 h)
    # (a matter whose first contact is late is overdue, not due soon: the two queues never share a matter)
    late = ("late", (open_, station, Matter.deadline_at < now))
    if name == "due_soon":
        contact_not_late = or_(Matter.contact_by.is_(None), Matter.contact_by >= now, Matter.contacted_at.is_not(None))
        return [
            ("soon", (open_, station, Matter.deadline_at >= now, Matter.deadline_at <= soon, contact_not_late)),
            (
                "contact_soon",
                (open_, station, contact_pending_sql(), Matter.contact_by >= now, Matter.contact_by <= soon, Matter.deadline_at > soon),
            ),
        ]
    if name == "overdue":
        return [late, ("contact_late", (open_, station, contact_pending_sql(), Matter.contact_by < now, Matter.deadline_at >= now))]
    if name == "hall":
        if not actor.is_supervisor:
            raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "The hall's queue is for supervisors."))
        return [late, ("escalated", (open_, station, Matter.deadline_at >= now, Matter.escalated.is_(True)))]
    raise ValidationError.single("queue", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))


def queue_counts(db: Database, actor: Actor, now_local: datetime | None = None) -> dict[str, int]:
    now = now_local or local_now()
    counts = {}
    with db.read() as s:
        warn = warn_hours(s)
        counted: dict[str, int] = {}  # the overdue and hall queues share their "past the deadline" part: counted once
        for name in queues_for(actor):
            total = 0
            for key, part in _queue_parts(actor, name, now, warn):
                if key not in counted:
                    counted[key] = s.scalar(select(func.count()).select_from(Matter).where(*part)) or 0
                total += counted[key]
            counts[name] = total
    return counts


@dataclass
class EventRow:
    at: datetime
    clerk_name: str
    action: str
    from_state: str
    to_state: str
    note: str
    rule_count: int = 0  # "register" rows: the time limit (count and unit), its scope and the repeat count
    rule_unit: str = ""
    scope: str = ""
    repeat_count: int = 0


@dataclass
class MatterDetail:
    row: MatterRow
    account_no: str
    channel: str
    reply: str
    satisfaction: str
    contact_by: datetime | None
    owner_staff_no: str
    history: list[EventRow]
    allowed: list[str]
    scope: str = ""
    contacted: bool = False


def detail(db: Database, matter_id) -> MatterDetail:
    with db.read() as s:
        m = _load(s, matter_id)
        row = _rows(s, select(Matter).where(Matter.id == matter_id))[0]
        account_no = s.scalar(select(Account.account_no).where(Account.id == m.account_id)) if m.account_id else ""
        owner = s.get(Clerk, m.owner_id)
        events = s.execute(
            select(MatterEvent, Clerk.name)
            .outerjoin(Clerk, Clerk.id == MatterEvent.clerk_id)
            .where(MatterEvent.matter_id == matter_id)
            .order_by(MatterEvent.at)
        ).all()
        contacted = m.contacted_at is not None
        return MatterDetail(
            row,
            account_no or "",
            m.channel,
            m.reply,
            m.satisfaction,
            m.contact_by,
            owner.staff_no,
            [
                EventRow(
                    to_local(e.at),
                    name or "",
                    e.action,
                    e.from_state,
                    e.to_state,
                    e.note,
                    e.rule_count,
                    e.rule_unit,
                    e.scope,
                    e.repeat_count,
                )
                for e, name in events
            ],
            allowed_actions(m, contacted),
            m.deadline_scope,
            contacted,
        )


def find_matter(db: Database, matter_no: str) -> uuid.UUID | None:
    with db.read() as s:
        return s.scalar(select(Matter.id).where(Matter.matter_no == matter_no))


def _resolve_matter(session: Session, text: str):
    from app.services import search

    if not text.upper().startswith("W-"):
        return None
    customer_id = session.scalar(select(Matter.customer_id).where(Matter.matter_no == text.upper()))
    return search.result_for_customer(session, customer_id, "matter") if customer_id else None


def _register_resolver() -> None:
    from app.services import search

    search.register_number_resolver(_resolve_matter)
    register_contact_links(_FIRST_CONTACTS)


_FIRST_CONTACTS = ContactLinks(_pending_first_contacts, _settle_first_contact)


_register_resolver()


def type_label(m_type: str, complaint_type: str, severity: str, translate, scope: str = "") -> str:
    """The kind as the receipt names it: with a complaint's sub-kind and severity, or the time limit's scope."""
    label = kinds.word(m_type, translate)
    kind = kinds.find(m_type)
    if kind is not None and kind.severities:
        label += f"（{kinds.word(complaint_type, translate)}，{kinds.word(severity, translate)}）"
    elif scope:
        label += f"（{deadlines.scope_label(m_type, scope, translate)}）"
    return label


def _promise(matter_type: str) -> str:
    """What the receipt promises by the deadline, from the vocabulary (a fault report: the crew's arrival)."""
    kind = kinds.find(matter_type)
    return kind.promise if kind else kinds.PROMISE_ANSWER


def receipt_document(db: Database, matter_id, tr):
    """The plain data of the work-order receipt (app.printing.handling.documents.MatterReceipt); printing it
    goes through app.services.documents (kind "matter"), which sets its reprint number."""
    from app.kernel.masking import mask_name
    from app.models import Station
    from app.printing.handling.documents import MatterReceipt

    with db.read() as s:
        m = _load(s, matter_id)
        customer = s.get(Customer, m.customer_id)
        station = s.get(Station, m.station_id)
        owner = s.get(Clerk, m.owner_id)
        account_no = s.scalar(select(Account.account_no).where(Account.id == m.account_id)) if m.account_id else ""
        return MatterReceipt(
            station.name,
            station.hall_phone,
            m.matter_no,
            to_local(m.registered_at),
            mask_name(customer.name),
            account_no or "",
            type_label(m.type, m.complaint_type, m.severity, tr, m.deadline_scope),
            m.description,
            m.deadline_at,
            owner.name,
            owner.staff_no,
            m.contact_by,
            m.deadline_unknown_year,
            0,
            promise_label=_promise(m.type),
        )


def print_receipt(db: Database, actor: Actor, matter_id, paper: str = "A5", tr=None) -> tuple[bytes, str]:
    """The work-order receipt as a PDF file goes out (marked 重打 from the second print), through the
    document protocol: prepared and archived, then counted and audited; returns (pdf, archived path)."""
    from app.services import documents

    prepared = documents.print_document(db, actor, "matter", matter_id, documents.Delivery("pdf"), paper, tr)
    return prepared.pdf, str(prepared.archived)
