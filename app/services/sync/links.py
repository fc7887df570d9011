"""The centre's side of network sync, apart from HTTP: who may talk to the service, the nonces of
signed requests, each station's link record, and the supervisors' overview of the stations
(docs/SYNC.md, Sync over the network)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Uuid, bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Station, SyncConflict, SyncHeld, SyncIdentity, SyncLink, SyncNonce, SyncPeer, utcnow
from app.services import audit
from app.services.sync.core import NOT_CENTRE, NOT_SET_UP, PARSED, identity, require


def _insert(s: Session):
    return _dialect_insert(s.get_bind().dialect.name)


def _dialect_insert(dialect: str):
    """The dialect's INSERT, with ON CONFLICT."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@dataclass
class Caller:
    """A station as the service sees it before reading the body."""

    station_id: uuid.UUID
    code: str
    public_key: str
    revoked: bool


@lru_cache(maxsize=1)
def _caller_query():
    """Everything the service needs of a caller before reading its body, in one statement: the store's
    role and own station, the station's key, whether its key was revoked, its code (built once)."""
    sid = bindparam("sid", type_=Uuid)
    return (
        select(SyncIdentity.role, SyncIdentity.station_id, SyncPeer.station_id, SyncPeer.public_key, SyncLink.revoked_at, Station.code)
        .select_from(SyncIdentity)
        .outerjoin(SyncPeer, SyncPeer.station_id == sid)
        .outerjoin(SyncLink, SyncLink.station_id == sid)
        .outerjoin(Station, Station.id == sid)
        .where(SyncIdentity.id == 1)
    )


def caller(db: Database, station_id: uuid.UUID) -> Caller | None:
    """The station a request claims to be, or None when the centre does not know it (or it is the
    centre's own station). One statement (the service asks it for every request)."""
    with db.read() as s:
        row = s.execute(_caller_query(), {"sid": station_id}).first()
    if row is None:
        raise UserError(NOT_SET_UP)
    role, centre_station, peer_id, public_key, revoked_at, code = row
    if role != "centre":
        raise UserError(NOT_CENTRE)
    if station_id == centre_station or peer_id is None:
        return None
    revoked = revoked_at is not None and not public_key
    if not public_key and not revoked:
        return None
    return Caller(station_id, code or str(station_id), public_key, revoked)


def use_nonce(db: Database, station_id: uuid.UUID, nonce: str) -> bool:
    """Remember a request's nonce; False when it was used before (a replay)."""
    with db.write() as s:
        return use_nonce_in(s, station_id, nonce)


def use_nonce_in(s: Session, station_id: uuid.UUID, nonce: str) -> bool:
    """use_nonce in the caller's unit of work: the nonce stays remembered only if it commits (a
    request that was not taken may come again). Of two at once, the second waits for the first's
    commit and is told it is a replay."""
    ins = _insert(s)
    table = SyncNonce.__table__
    stmt = ins(table).values(station_id=station_id, nonce=nonce, seen_at=utcnow()).on_conflict_do_nothing().returning(table.c.nonce)
    return s.execute(stmt).first() is not None


def forget_nonces(db: Database, older_than: timedelta) -> int:
    """Nonces of requests whose time can no longer be accepted anyway."""
    with db.write() as s:
        return s.execute(delete(SyncNonce).where(SyncNonce.seen_at < utcnow() - older_than)).rowcount


def _link(s: Session, station_id: uuid.UUID) -> SyncLink:
    ins = _insert(s)
    s.execute(
        ins(SyncLink.__table__)
        .values(station_id=station_id, reported_seq=0, exchanges=0, refusals=0, last_error="")
        .on_conflict_do_nothing()
    )
    return s.execute(select(SyncLink).where(SyncLink.station_id == station_id).with_for_update()).scalar_one()


def note_exchange(db: Database, station_id: uuid.UUID, reported_seq: int) -> None:
    with db.write() as s:
        note_exchange_in(s, station_id, reported_seq)


def note_exchange_in(s: Session, station_id: uuid.UUID, reported_seq: int) -> None:
    """The station's link record after an answered exchange, in the caller's unit of work (the
    service writes it with the answer's own stamp: one transaction, docs/SYNC.md). One statement."""
    s.execute(_note_exchange_statement(s.get_bind().dialect.name), {"sid": station_id, "seq": reported_seq, "now": utcnow()})


@lru_cache(maxsize=2)
def _note_exchange_statement(dialect: str):
    from sqlalchemy import case

    table = SyncLink.__table__
    ins = _dialect_insert(dialect)(table).values(
        station_id=bindparam("sid", type_=Uuid),
        reported_seq=bindparam("seq", type_=table.c.reported_seq.type),
        exchanges=1,
        refusals=0,
        last_error="",
        last_contact_at=bindparam("now", type_=table.c.last_contact_at.type),
        last_exchange_at=bindparam("now", type_=table.c.last_exchange_at.type),
    )
    new = ins.excluded
    return ins.on_conflict_do_update(
        index_elements=[table.c.station_id],
        set_={
            "last_contact_at": new.last_contact_at,
            "last_exchange_at": new.last_exchange_at,
            "reported_seq": case((new.reported_seq > table.c.reported_seq, new.reported_seq), else_=table.c.reported_seq),
            "exchanges": table.c.exchanges + 1,
        },
    )


def note_refusal(db: Database, station_id: uuid.UUID, reason: str) -> None:
    with db.write() as s:
        link = _link(s, station_id)
        now = utcnow()
        link.last_contact_at = link.last_error_at = now
        link.last_error = reason
        link.refusals = (link.refusals or 0) + 1


def revoke(db: Database, actor: Actor, code: str) -> None:
    """At the centre: the station's key no longer opens the service nor signs for the station (a
    stolen or lost computer). Provisioning the station again gives it a new key. Audited."""
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can do this."))
    with db.write() as s:
        require(s, "centre")
        station = s.scalar(select(Station).where(Station.code == code))
        peer = s.get(SyncPeer, station.id) if station else None
        if peer is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No station with code {code} takes part in sync."), code=code)
        old = peer.public_key
        peer.public_key = ""
        link = _link(s, station.id)
        link.revoked_at = utcnow()
        from app.services.sync import keys

        audit.record(s, actor, "revoke", "sync_key", station.id, before={"key_id": keys.key_id(old) if old else ""}, after={"code": code})


# ---------------------------------------------------------------- a station sends only its own rows


def foreign_row(station_id: uuid.UUID, body: dict) -> tuple[str, str] | None:
    """(table, id) of the first row in an uplink body that is not the station's to send, or None.

    Inserted rows are facts the station wrote: their `station_id` is the station's (or empty: the
    store's own); a station row inserted is the station itself. Of updates, a customer must stay in
    the station's area and a station row must be its own. Other updates (a bill voided, an account
    edited, a payment made elsewhere reversed here) touch rows of the station's area that others
    wrote, and are checked when applied (conflicts, derived state)."""
    me = str(station_id)
    for unit in body.get("units", []):
        try:
            changes = json.loads(unit["payload"])["changes"]
        except (KeyError, TypeError, ValueError):
            return ("unit", str(unit.get("seq") if isinstance(unit, dict) else "?"))
        unit[PARSED] = changes  # kept for the apply: each payload decoded once per request
        for c in changes:
            t, row, op = c.get("t"), c.get("row") or {}, c.get("op")
            if t == "stations":
                if row.get("id") != me:
                    return (t, str(row.get("id")))
            elif op == "i" or t == "customers":
                owner = row.get("station_id")
                if owner not in (None, me):
                    return (t, str(row.get("id")))
    return None


# ---------------------------------------------------------------- the supervisors' overview


@dataclass
class StationLink:
    code: str
    name: str
    last_exchange: datetime | None  # the last answer the centre gave it (network or a bundle imported)
    last_contact: datetime | None  # the last request, answered or refused
    silent: bool  # longer than the company setting without an exchange
    units_applied: int  # the station's units applied at the centre
    units_received: int  # units kept at the centre (received over the network), being applied
    units_waiting: int  # units the station said it has that the centre has neither applied nor kept
    held: int  # bundles kept after a gap
    quarantined: int  # bundles kept in quarantine
    quarantine_reason: str
    open_conflicts: int
    exchanges: int
    refusals: int
    last_error: str
    revoked: bool

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "last_exchange": self.last_exchange.isoformat() if self.last_exchange else None,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "silent": self.silent,
            "units_applied": self.units_applied,
            "units_received": self.units_received,
            "units_waiting": self.units_waiting,
            "held": self.held,
            "quarantined": self.quarantined,
            "quarantine_reason": self.quarantine_reason,
            "open_conflicts": self.open_conflicts,
            "exchanges": self.exchanges,
            "refusals": self.refusals,
            "last_error": self.last_error,
            "revoked": self.revoked,
        }


def overview(db: Database, now: datetime | None = None) -> list[StationLink]:
    """At the centre: every station that takes part in sync, those silent longer than the company
    setting `sync.max_days_without_sync` first (the longest silent first), then by code."""
    from app.services import settings

    now = now or utcnow()
    with db.read() as s:
        ident = require(s, "centre")
        days = int(settings.get(s, "sync.max_days_without_sync") or 7)
        held: dict[tuple, int] = {}
        received_to: dict[uuid.UUID, int] = {}  # the last unit of the station's bundles received, not yet applied
        for sid, kind, reason, n, last in s.execute(
            select(SyncHeld.station_id, SyncHeld.kind, SyncHeld.reason, func.count(), func.max(SyncHeld.last_seq)).group_by(
                SyncHeld.station_id, SyncHeld.kind, SyncHeld.reason
            )
        ):
            if kind == "pending" and reason == "received":
                received_to[sid] = last
            else:
                held[(sid, kind)] = held.get((sid, kind), 0) + n
        conflicts = dict(
            s.execute(
                select(SyncConflict.station_id, func.count()).where(SyncConflict.status == "open").group_by(SyncConflict.station_id)
            ).all()
        )
        rows = s.execute(
            select(Station.id, Station.code, Station.name, SyncPeer, SyncLink)
            .join(SyncPeer, SyncPeer.station_id == Station.id)
            .outerjoin(SyncLink, SyncLink.station_id == Station.id)
            .where(Station.id != ident.station_id)
        ).all()
        out = []
        for sid, code, name, peer, link in rows:
            last = max([t for t in (peer.last_import_at, link.last_exchange_at if link else None) if t] or [None])
            reported = link.reported_seq if link else 0
            applied = peer.in_seq or 0
            received = max(0, received_to.get(sid, 0) - applied)  # received bundles continue the applied chain
            out.append(
                StationLink(
                    code=code,
                    name=name,
                    last_exchange=last,
                    last_contact=link.last_contact_at if link else None,
                    silent=last is None or now - last > timedelta(days=days),
                    units_applied=applied,
                    units_received=received,
                    units_waiting=max(0, reported - applied - received),
                    held=held.get((sid, "pending"), 0),
                    quarantined=held.get((sid, "quarantine"), 0),
                    quarantine_reason=peer.quarantined or "",
                    open_conflicts=conflicts.get(sid, 0),
                    exchanges=link.exchanges if link else 0,
                    refusals=link.refusals if link else 0,
                    last_error=link.last_error if link else "",
                    revoked=bool(link and link.revoked_at and not peer.public_key),
                )
            )
    oldest = datetime.min
    out.sort(key=lambda r: (not r.silent, (r.last_exchange or oldest) if r.silent else oldest, r.code))
    return out


def is_centre(db: Database) -> bool:
    with db.read() as s:
        ident = identity(s)
        return ident is not None and ident.role == "centre"
