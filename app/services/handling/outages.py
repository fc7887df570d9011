"""Planned outages: registered by a supervisor for reading routes or transformer areas; customers of
those areas show a warning from registration until the outage ends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.db.engine import Database
from app.models import Account, Customer, Outage
from app.services import audit
from app.services.context import Actor
from app.services.errors import PermissionDenied, ValidationError
from app.services.handling.matters import local_now
from app.services.masking import mask_name
from app.services.messages import QT_TRANSLATE_NOOP


@dataclass
class OutageView:
    id: uuid.UUID
    routes: list[str]
    areas: list[str]
    starts_at: datetime
    ends_at: datetime
    reason: str


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]


def register_outage(db: Database, actor: Actor, routes: str, areas: str, starts_at: datetime, ends_at: datetime, reason: str) -> uuid.UUID:
    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can register a planned outage."))
    r, a = _split(routes), _split(areas)
    if not r and not a:
        raise ValidationError.single("routes", QT_TRANSLATE_NOOP("messages", "Name at least one reading route or transformer area."))
    if ends_at <= starts_at:
        raise ValidationError.single("ends_at", QT_TRANSLATE_NOOP("messages", "The outage must end after it starts."))
    why = (reason or "").strip()
    if not why:
        raise ValidationError.single("reason", QT_TRANSLATE_NOOP("messages", "Give the reason."))
    with db.write() as s:
        o = Outage(station_id=actor.station_id, routes=",".join(r), areas=",".join(a), starts_at=starts_at, ends_at=ends_at,
                   reason=why[:1000], registered_by=actor.clerk_id)
        s.add(o)
        s.flush()
        audit.record(s, actor, "register", "outage", o.id, after={"routes": r, "areas": a, "starts_at": starts_at, "ends_at": ends_at, "reason": why})
        return o.id


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
                out.append(OutageView(o.id, _split(o.routes), _split(o.areas), o.starts_at, o.ends_at, o.reason))
        return out


@dataclass
class AffectedAccount:
    account_no: str
    name: str  # masked
    address: str


def affected_accounts(db: Database, outage_id) -> tuple[OutageView, list[AffectedAccount]]:
    with db.read() as s:
        o = s.get(Outage, outage_id)
        routes, areas = _split(o.routes), _split(o.areas)
        conds = []
        if routes:
            conds.append(Account.reading_route.in_(routes))
        if areas:
            conds.append(Account.transformer_area.in_(areas))
        rows = s.execute(select(Account.account_no, Customer.name, Account.supply_address).join(Customer, Customer.id == Account.customer_id)
                         .where(or_(*conds), Account.status != "closed").order_by(Account.reading_route, Account.route_order)).all()
        view = OutageView(o.id, routes, areas, o.starts_at, o.ends_at, o.reason)
        return view, [AffectedAccount(no, mask_name(name), addr) for no, name, addr in rows]


def current_outages(db: Database, now_local: datetime | None = None) -> list[OutageView]:
    now = now_local or local_now()
    with db.read() as s:
        return [OutageView(o.id, _split(o.routes), _split(o.areas), o.starts_at, o.ends_at, o.reason)
                for o in s.scalars(select(Outage).where(Outage.ends_at >= now).order_by(Outage.starts_at))]
