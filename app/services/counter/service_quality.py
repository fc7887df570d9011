"""Service quality at the counter: the customer's satisfaction ratings and the queue tickets' times.

Ratings (服务评价): after a payment or a registered matter the customer display asks the customer to
rate the service. The rating is kept with the contact record of that service (the payment and the
matter registration each write one, with the service's id as ref_id) and with the clerk who served;
a pad that times out stores `not_rated`, so "asked but not answered" is told apart from "never asked".
The share satisfied counts very satisfied and satisfied among the ratings given (not_rated excluded).

Queue tickets (叫号): numbers are per kind (the leading letter: A payments, B applications and
matters, as the hall's ticket machine prints them) and restart every day. A counter calls the next
number either from the ticket machine's file (the oldest ticket of the counter's kinds no counter has
called yet; the file gives the issue time) or as the clerk types it (with the time printed on the
ticket if given). A ticket is served until the same counter calls the next one or ends the service.
Wait = called - issued, service = served until - called.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, UserError, ValidationError
from app.kernel.ids import new_id
from app.kernel.localtime import local_now, to_local, to_utc
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Clerk, ContactRecord, utcnow
from app.models.counter import QueueTicket, ServiceRating
from app.services import audit

RATINGS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
NOT_RATED = "not_rated"
SATISFIED = ("very_satisfied", "satisfied")

# ------------------------------------------------------------------ ratings


@dataclass
class Satisfaction:
    """Counts of one group of ratings: by rating, with the not-rated ones apart."""

    counts: dict[str, int] = field(default_factory=lambda: {r: 0 for r in RATINGS})
    not_rated: int = 0

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        return sum(self.counts[r] for r in SATISFIED)

    @property
    def share_satisfied(self) -> Decimal | None:
        """Satisfied ones among the ratings given, as a percentage with one decimal; None with no rating."""
        if not self.rated:
            return None
        return (Decimal(100 * self.satisfied) / Decimal(self.rated)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def add(self, rating: str, n: int = 1) -> None:
        if rating == NOT_RATED:
            self.not_rated += n
        elif rating in self.counts:
            self.counts[rating] += n


@dataclass
class ClerkSatisfaction:
    clerk_id: uuid.UUID
    clerk_name: str
    staff_no: str
    satisfaction: Satisfaction


@dataclass
class SatisfactionReport:
    start: date
    end: date  # inclusive
    total: Satisfaction
    by_clerk: list[ClerkSatisfaction]
    by_kind: dict[str, Satisfaction]  # the contact record's kind: payment, application, complaint, inquiry, ...


def _day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC bounds of the station's local days start .. end (inclusive)."""
    return to_utc(datetime.combine(start, time())), to_utc(datetime.combine(end + timedelta(days=1), time()))


def rate(db: Database, actor: Actor, ref_id: uuid.UUID, rating: str, counter: str = "", at: datetime | None = None) -> uuid.UUID:
    """Keep the customer's rating of the service `ref_id` (a payment's or matter's id) with its contact
    record and the clerk who served; `not_rated` when the pad timed out. One rating per contact.
    `at` (UTC) is now unless given (the demo store rates services of earlier days)."""
    if rating not in RATINGS and rating != NOT_RATED:
        raise ValidationError.single("rating", QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."))
    with db.write() as s:
        contact = s.execute(
            select(ContactRecord.id, ContactRecord.clerk_id, ContactRecord.kind)
            .where(ContactRecord.ref_id == ref_id)
            .order_by(ContactRecord.at)
            .limit(1)
        ).first()
        if contact is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "There is no contact record of this service to rate."))
        if s.execute(select(ServiceRating.id).where(ServiceRating.contact_id == contact.id)).first() is not None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "This service has been rated already."))
        rating_id = new_id()
        clerk_id = contact.clerk_id or actor.clerk_id
        s.add(
            ServiceRating(
                id=rating_id,
                contact_id=contact.id,
                station_id=actor.station_id,
                clerk_id=clerk_id,
                rating=rating,
                at=at or utcnow(),
                counter=counter[:60],
            )
        )
        audit.record(
            s,
            actor,
            "rate",
            "contact",
            contact.id,
            after={"rating": rating, "clerk_id": clerk_id, "kind": contact.kind, "counter": counter[:60]},
        )
        return rating_id


def rating_of(db: Database, ref_id: uuid.UUID) -> str | None:
    """The rating kept for the service `ref_id`, or None if it was not asked (yet)."""
    with db.read() as s:
        return s.execute(
            select(ServiceRating.rating)
            .join(ContactRecord, ContactRecord.id == ServiceRating.contact_id)
            .where(ContactRecord.ref_id == ref_id)
        ).scalar()


def clerk_day(db: Database, clerk_id: uuid.UUID, day: date | None = None) -> Satisfaction:
    """One clerk's ratings of one station day (today by default): the status bar's figure."""
    day = day or local_now().date()
    lo, hi = _day_range(day, day)
    result = Satisfaction()
    with db.read() as s:
        for rating, n in s.execute(
            select(ServiceRating.rating, func.count())
            .where(ServiceRating.clerk_id == clerk_id, ServiceRating.at >= lo, ServiceRating.at < hi)
            .group_by(ServiceRating.rating)
        ):
            result.add(rating, n)
    return result


def satisfaction_report(db: Database, start: date, end: date, station_id: uuid.UUID | None = None) -> SatisfactionReport:
    """Satisfaction by clerk and by kind of business over the station days start .. end (inclusive)."""
    if end < start:
        raise ValidationError.single("end", QT_TRANSLATE_NOOP("messages", "The end date is before the start date."))
    lo, hi = _day_range(start, end)
    total = Satisfaction()
    clerks: dict[uuid.UUID, ClerkSatisfaction] = {}
    kinds: dict[str, Satisfaction] = {}
    query = (
        select(ServiceRating.clerk_id, Clerk.name, Clerk.staff_no, ContactRecord.kind, ServiceRating.rating, func.count())
        .join(ContactRecord, ContactRecord.id == ServiceRating.contact_id)
        .join(Clerk, Clerk.id == ServiceRating.clerk_id)
        .where(ServiceRating.at >= lo, ServiceRating.at < hi)
        .group_by(ServiceRating.clerk_id, Clerk.name, Clerk.staff_no, ContactRecord.kind, ServiceRating.rating)
    )
    if station_id is not None:
        query = query.where(ServiceRating.station_id == station_id)
    with db.read() as s:
        for clerk_id, name, staff_no, kind, rating, n in s.execute(query):
            total.add(rating, n)
            clerks.setdefault(clerk_id, ClerkSatisfaction(clerk_id, name, staff_no, Satisfaction())).satisfaction.add(rating, n)
            kinds.setdefault(kind, Satisfaction()).add(rating, n)
    return SatisfactionReport(start, end, total, sorted(clerks.values(), key=lambda c: c.staff_no), dict(sorted(kinds.items())))


# ------------------------------------------------------------------ queue tickets

TICKET = re.compile(r"^([A-Z]{1,2})-?(\d{1,4})$")


@dataclass(frozen=True)
class MachineTicket:
    ticket_no: str
    kind: str
    issued_at: datetime  # station-local


@dataclass(frozen=True)
class Called:
    ticket_no: str
    kind: str
    counter: str
    called_at: datetime  # station-local
    issued_at: datetime | None  # station-local; None when typed without its time
    source: str

    @property
    def waited(self) -> timedelta | None:
        return self.called_at - self.issued_at if self.issued_at else None


@dataclass
class TicketTimes:
    """Average wait and service of one group of tickets (None where no ticket of the group has that time)."""

    kind: str
    clerk_id: uuid.UUID | None
    clerk_name: str
    staff_no: str
    tickets: int = 0
    waited: int = 0  # tickets with an issue time
    served: int = 0  # tickets whose service has ended
    wait_total: timedelta = timedelta()
    service_total: timedelta = timedelta()

    @property
    def average_wait(self) -> timedelta | None:
        return self.wait_total / self.waited if self.waited else None

    @property
    def average_service(self) -> timedelta | None:
        return self.service_total / self.served if self.served else None


def parse_ticket(text: str) -> tuple[str, str]:
    """'a12', 'A-12', 'A012' -> ('A012', 'A'); numbers have at least three digits, as ticket machines print them."""
    m = TICKET.match((text or "").strip().upper().replace(" ", ""))
    if not m:
        raise ValidationError.single("ticket", QT_TRANSLATE_NOOP("messages", "A ticket number is a letter and digits, e.g. A012."))
    return f"{m.group(1)}{int(m.group(2)):03d}", m.group(1)


def read_machine_file(path: Path, day: date) -> list[MachineTicket]:
    """The tickets the machine issued on `day`, oldest first. One ticket a line, `A012,2026-11-29 09:31:05`
    (station-local time); lines of other days, blank lines, '#' comments and a header are passed over.
    A line the machine garbled is passed over too: it must not stop the queue."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("messages", "The ticket machine's file {path} cannot be read ({reason})."),
            path=str(path),
            reason=getattr(exc, "strerror", None) or type(exc).__name__,
        ) from None
    found: dict[str, MachineTicket] = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 2 or line.lstrip().startswith("#"):
            continue
        try:
            no, kind = parse_ticket(parts[0])
            issued = datetime.fromisoformat(parts[1].replace("T", " "))
        except (UserError, ValueError):
            continue
        if issued.date() == day and no not in found:
            found[no] = MachineTicket(no, kind, issued.replace(tzinfo=None, microsecond=0))
    return sorted(found.values(), key=lambda t: (t.issued_at, t.ticket_no))


def _close_open(s, actor: Actor, counter: str, now: datetime) -> list[str]:
    """End the service of this counter's tickets still open today; the numbers closed."""
    today = to_local(now).date()
    rows = s.execute(
        select(QueueTicket.id, QueueTicket.ticket_no).where(
            QueueTicket.station_id == actor.station_id,
            QueueTicket.counter == counter,
            QueueTicket.served_until.is_(None),
            QueueTicket.day == today,
        )
    ).all()
    if rows:
        s.execute(update(QueueTicket).where(QueueTicket.id.in_([r.id for r in rows])).values(served_until=now))
    return [r.ticket_no for r in rows]


def call_next(
    db: Database,
    actor: Actor,
    counter: str,
    kinds: str = "AB",
    machine_path: Path | None = None,
    typed: str = "",
    issued_at: datetime | None = None,
    now: datetime | None = None,
) -> Called:
    """Call a ticket at `counter`: the number typed (with the issue time the clerk read off the ticket,
    station-local, if any), or else the oldest ticket of the counter's kinds in the machine's file that
    no counter has called today. The counter's previous ticket is served until now."""
    now = now or utcnow()  # UTC
    day = to_local(now).date()
    machine = {t.ticket_no: t for t in read_machine_file(machine_path, day)} if machine_path else {}
    counter = (counter or "")[:60]
    for _attempt in range(5):  # another counter may take the same ticket at the same moment
        with db.read() as s:
            called = {
                no: (at, c)
                for no, at, c in s.execute(
                    select(QueueTicket.ticket_no, QueueTicket.called_at, QueueTicket.counter).where(
                        QueueTicket.station_id == actor.station_id, QueueTicket.day == day
                    )
                )
            }
        if typed:
            no, kind = parse_ticket(typed)
            if no in called:
                at, by = called[no]
                raise ValidationError.single(
                    "ticket",
                    QT_TRANSLATE_NOOP("messages", "Ticket {ticket} was called at {time} by counter {counter}."),
                    ticket=no,
                    time=to_local(at).strftime("%H:%M"),
                    counter=by,
                )
            issued = machine[no].issued_at if no in machine else issued_at
            if issued is not None and to_utc(issued) > now:
                raise ValidationError.single("issued_at", QT_TRANSLATE_NOOP("messages", "The ticket's time is later than now."))
            source = "machine" if no in machine else "typed"
        else:
            waiting = [t for t in machine.values() if t.kind in kinds and t.ticket_no not in called]
            if not waiting:
                raise UserError(
                    QT_TRANSLATE_NOOP("messages", "No one is waiting: every ticket of {kinds} from the ticket machine has been called."),
                    kinds=", ".join(kinds),
                )
            first = waiting[0]
            no, kind, issued, source = first.ticket_no, first.kind, first.issued_at, "machine"
        try:
            with db.write() as s:
                closed = _close_open(s, actor, counter, now)
                s.add(
                    QueueTicket(
                        station_id=actor.station_id,
                        day=day,
                        ticket_no=no,
                        kind=kind,
                        issued_at=to_utc(issued) if issued else None,
                        called_at=now,
                        counter=counter,
                        clerk_id=actor.clerk_id,
                        source=source,
                    )
                )
                s.flush()
                audit.record(
                    s,
                    actor,
                    "call",
                    "queue_ticket",
                    no,
                    after={"counter": counter, "kind": kind, "source": source, "issued_at": issued, "closed": closed},
                )
        except IntegrityError:
            continue  # taken by another counter first: read again (a typed number is then said to be called)
        return Called(no, kind, counter, to_local(now), issued, source)
    raise UserError(QT_TRANSLATE_NOOP("messages", "Other counters called the waiting tickets at the same moment; call again."))


def finish_current(db: Database, actor: Actor, counter: str, now: datetime | None = None) -> list[str]:
    """End the service of this counter's open ticket (the clerk is done, or leaves the counter)."""
    now = now or utcnow()
    with db.write() as s:
        closed = _close_open(s, actor, counter, now)
        if closed:
            audit.record(s, actor, "finish", "queue_ticket", ",".join(closed), after={"counter": counter})
    return closed


def current_ticket(db: Database, actor: Actor, counter: str) -> str | None:
    """The ticket this counter is serving now (called today, service not ended), or None."""
    today = local_now().date()
    with db.read() as s:
        return s.execute(
            select(QueueTicket.ticket_no)
            .where(
                QueueTicket.station_id == actor.station_id,
                QueueTicket.counter == counter,
                QueueTicket.served_until.is_(None),
                QueueTicket.day == today,
            )
            .order_by(QueueTicket.called_at.desc())
            .limit(1)
        ).scalar()


def suggested_number(db: Database, actor: Actor, kind: str) -> str:
    """The number after the highest of `kind` called today at this station (A001 when none), for typing."""
    today = local_now().date()
    with db.read() as s:
        numbers = (
            s.execute(
                select(QueueTicket.ticket_no).where(
                    QueueTicket.station_id == actor.station_id, QueueTicket.day == today, QueueTicket.kind == kind
                )
            )
            .scalars()
            .all()
        )
    highest = max((int(n[len(kind) :]) for n in numbers if n[len(kind) :].isdigit()), default=0)
    return f"{kind}{highest + 1:03d}"


def ticket_times(db: Database, start: date, end: date, station_id: uuid.UUID | None = None) -> list[TicketTimes]:
    """Average wait and service time per kind and clerk over the station days start .. end (inclusive),
    sorted by kind and staff number; then one row per kind for all clerks (clerk_id None)."""
    if end < start:
        raise ValidationError.single("end", QT_TRANSLATE_NOOP("messages", "The end date is before the start date."))
    query = (
        select(
            QueueTicket.kind,
            QueueTicket.clerk_id,
            Clerk.name,
            Clerk.staff_no,
            QueueTicket.issued_at,
            QueueTicket.called_at,
            QueueTicket.served_until,
        )
        .join(Clerk, Clerk.id == QueueTicket.clerk_id)
        .where(and_(QueueTicket.day >= start, QueueTicket.day <= end))
    )
    if station_id is not None:
        query = query.where(QueueTicket.station_id == station_id)
    groups: dict[tuple, TicketTimes] = {}
    with db.read() as s:
        rows = s.execute(query).all()
    for kind, clerk_id, name, staff_no, issued, called, until in rows:
        for key, make in (
            ((kind, clerk_id), lambda: TicketTimes(kind, clerk_id, name, staff_no)),
            ((kind, None), lambda: TicketTimes(kind, None, "", "")),
        ):
            g = groups.get(key) or groups.setdefault(key, make())
            g.tickets += 1
            if issued is not None and called >= issued:
                g.waited += 1
                g.wait_total += called - issued
            if until is not None and until >= called:
                g.served += 1
                g.service_total += until - called
    return sorted(groups.values(), key=lambda g: (g.kind, g.clerk_id is None, g.staff_no))
