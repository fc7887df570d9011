"""Planned outages: registered by a supervisor for reading routes or transformer areas; customers of
those areas show a warning from registration until the outage ends. The notice (listing the affected
accounts) can be printed at registration and again later; every print is archived and audited, and
from the second on it is marked as a reprint."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.localtime import local_now, to_local, to_utc
from app.kernel.masking import mask_name
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Account, Customer, Outage
from app.services import audit, settings

MAX_NAMES = 50  # routes + areas in one outage


@dataclass
class OutageView:
    id: uuid.UUID
    routes: list[str]
    areas: list[str]
    starts_at: datetime
    ends_at: datetime
    reason: str
    accounts: int = 0  # open accounts on its routes / areas (current_outages only)
    registered_at: datetime | None = None  # local
    short_notice: bool = False  # announced fewer days ahead than the pledge (current_outages only)

    @property
    def notice_days(self) -> int:
        """Calendar days between the registration (the notice) and the start: 7 is the pledge."""
        return (self.starts_at.date() - self.registered_at.date()).days if self.registered_at else 0

    def state(self, now: datetime) -> str:
        """coming | current | ended"""
        return "ended" if self.ends_at < now else ("current" if self.starts_at <= now else "coming")


def _split(text: str) -> list[str]:
    seen: list[str] = []
    for p in (text or "").replace("，", ",").replace("、", ",").replace(";", ",").replace("；", ",").split(","):
        p = p.strip()
        if p and p not in seen:
            seen.append(p)
    return seen


def _unknown(s, column, names: list[str]) -> list[str]:
    """Names no open account carries in `column`."""
    if not names:
        return []
    found = set(s.scalars(select(column).where(column.in_(names), Account.status != "closed").distinct()))
    return [n for n in names if n not in found]


def notice_days(db: Database) -> int:
    """How many days ahead a planned outage is announced (the pledge: 7; setting outages.notice_days)."""
    with db.read() as s:
        return int(settings.get(s, "outages.notice_days"))


def is_short_notice(starts_at: datetime, now: datetime, days: int) -> bool:
    """Announced today for a start fewer than `days` calendar days away (an urgent repair, a fault)."""
    return (starts_at.date() - now.date()).days < days


def register_outage(
    db: Database,
    actor: Actor,
    routes: str,
    areas: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    now_local: datetime | None = None,
    short_notice: bool = False,
) -> uuid.UUID:
    """Every route and area must carry open accounts (a mistyped one would warn nobody); the outage
    must end after it starts and not be over already; one that starts sooner than the pledged
    notice (outages.notice_days) is registered only as `short_notice`, said so by the supervisor.
    Times are station-local."""
    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can register a planned outage."))
    now = now_local or local_now()
    r, a = _split(routes), _split(areas)
    errors: dict[str, UserError] = {}
    if not r and not a:
        errors["routes"] = UserError(QT_TRANSLATE_NOOP("messages", "Name at least one reading route or transformer area."), field="routes")
    if len(r) + len(a) > MAX_NAMES:
        errors["routes"] = UserError(
            QT_TRANSLATE_NOOP("messages", "At most {count} routes and areas in one outage; register several."),
            field="routes",
            count=MAX_NAMES,
        )
    for field, names in (("routes", r), ("areas", a)):
        too_long = [n for n in names if len(n) > (20 if field == "routes" else 40)]
        if too_long and field not in errors:
            errors[field] = UserError(
                QT_TRANSLATE_NOOP("messages", "“{name}” is too long for a route or area name."), field=field, name=too_long[0]
            )
    if ends_at <= starts_at:
        errors["ends_at"] = UserError(QT_TRANSLATE_NOOP("messages", "The outage must end after it starts."), field="ends_at")
    elif ends_at <= now:
        errors["ends_at"] = UserError(
            QT_TRANSLATE_NOOP("messages", "This outage ended at {end}, before now; register only outages still to come or going on."),
            field="ends_at",
            end=ends_at.strftime("%Y-%m-%d %H:%M"),
        )
    why = (reason or "").strip()
    if not why:
        errors["reason"] = UserError(QT_TRANSLATE_NOOP("messages", "Give the reason."), field="reason")
    elif len(why) > 1000:
        errors["reason"] = UserError(
            QT_TRANSLATE_NOOP("messages", "At most {count} characters; this has {length}."), field="reason", count=1000, length=len(why)
        )
    with db.write() as s:
        days = int(settings.get(s, "outages.notice_days"))
        short = is_short_notice(starts_at, now, days)
        if short and not short_notice and "ends_at" not in errors:
            earliest = now.date() + timedelta(days=days)
            errors["starts_at"] = UserError(
                QT_TRANSLATE_NOOP(
                    "messages",
                    "A planned outage is announced {days} days ahead: it can start on {date} at the earliest. For an urgent outage, tick “Short notice”.",
                ),
                field="starts_at",
                days=days,
                date=earliest.strftime("%Y-%m-%d"),
            )
        if "routes" not in errors:
            unknown_routes = _unknown(s, Account.reading_route, r)
            if unknown_routes:
                errors["routes"] = UserError(
                    QT_TRANSLATE_NOOP("messages", "No account is on reading route “{name}”; check the name."),
                    field="routes",
                    name="、".join(unknown_routes),
                )
        if "areas" not in errors:
            unknown_areas = _unknown(s, Account.transformer_area, a)
            if unknown_areas:
                errors["areas"] = UserError(
                    QT_TRANSLATE_NOOP("messages", "No account is in transformer area “{name}”; check the name."),
                    field="areas",
                    name="、".join(unknown_areas),
                )
        if errors:
            order = ("routes", "areas", "starts_at", "ends_at", "reason")
            raise ValidationError({k: errors[k] for k in sorted(errors, key=order.index)})
        o = Outage(
            station_id=actor.station_id,
            routes=",".join(r),
            areas=",".join(a),
            starts_at=starts_at,
            ends_at=ends_at,
            reason=why,
            registered_by=actor.clerk_id,
            registered_at=to_utc(now),
        )
        s.add(o)
        s.flush()
        audit.record(
            s,
            actor,
            "register",
            "outage",
            o.id,
            after={"routes": r, "areas": a, "starts_at": starts_at, "ends_at": ends_at, "reason": why, "short_notice": short},
        )
        return o.id


def _view(o: Outage, accounts: int = 0) -> OutageView:
    return OutageView(o.id, _split(o.routes), _split(o.areas), o.starts_at, o.ends_at, o.reason, accounts, to_local(o.registered_at))


def outages_for_customer(db: Database, customer_id, now_local: datetime | None = None) -> list[OutageView]:
    """Outages not yet ended that touch any of the customer's accounts' routes or transformer areas."""
    now = now_local or local_now()
    with db.read() as s:
        accounts = s.execute(select(Account.reading_route, Account.transformer_area).where(Account.customer_id == customer_id)).all()
        if not accounts:
            return []
        routes = {r for r, _ in accounts if r}
        areas = {a for _, a in accounts if a}
        out = []
        for o in s.scalars(select(Outage).where(Outage.ends_at >= now)):
            if routes & set(_split(o.routes)) or areas & set(_split(o.areas)):
                out.append(_view(o))
        return out


def _account_filter(routes: list[str], areas: list[str]):
    conds = []
    if routes:
        conds.append(Account.reading_route.in_(routes))
    if areas:
        conds.append(Account.transformer_area.in_(areas))
    return or_(*conds) if conds else Account.id.is_(None)


@dataclass
class AffectedAccount:
    account_no: str
    name: str  # masked
    address: str


def _load(s, outage_id, lock: bool = False) -> Outage:
    o = s.get(Outage, outage_id, with_for_update=lock)
    if o is None:
        raise NotFound(QT_TRANSLATE_NOOP("messages", "This outage no longer exists."))
    return o


def affected_accounts(db: Database, outage_id) -> tuple[OutageView, list[AffectedAccount]]:
    with db.read() as s:
        o = _load(s, outage_id)
        view = _view(o)
        rows = s.execute(
            select(Account.account_no, Customer.name, Account.supply_address)
            .join(Customer, Customer.id == Account.customer_id)
            .where(_account_filter(view.routes, view.areas), Account.status != "closed")
            .order_by(Account.reading_route, Account.route_order, Account.account_no)
        ).all()
        return view, [AffectedAccount(no, mask_name(name), addr) for no, name, addr in rows]


def current_outages(db: Database, now_local: datetime | None = None, station_id=None) -> list[OutageView]:
    """Outages going on or still to come (not ended), soonest first, with how many open accounts each touches."""
    now = now_local or local_now()
    with db.read() as s:
        pledge = int(settings.get(s, "outages.notice_days"))
        stmt = select(Outage).where(Outage.ends_at >= now)
        if station_id is not None:
            stmt = stmt.where(Outage.station_id == station_id)
        out = []
        for o in s.scalars(stmt.order_by(Outage.starts_at, Outage.ends_at)):
            view = _view(o)
            view.short_notice = is_short_notice(view.starts_at, view.registered_at, pledge)
            view.accounts = (
                s.scalar(
                    select(func.count()).select_from(Account).where(_account_filter(view.routes, view.areas), Account.status != "closed")
                )
                or 0
            )
            out.append(view)
        return out


def print_notice(db: Database, actor: Actor, outage_id, tr=None) -> tuple[bytes, str]:
    """The notice as a PDF file goes out (A4, the affected accounts masked), archived as
    archive/outage/YEAR/YYYYMMDDHHMM-ID[-reprint-N].pdf, counted and audited through the document
    protocol (app.services.documents); any clerk may print it. From the second print on the paper
    says REPRINT (N); the count is shared by every counter."""
    from app.services import documents

    prepared = documents.print_document(db, actor, "outage", outage_id, documents.Delivery("pdf"), tr=tr)
    return prepared.pdf, str(prepared.archived)
