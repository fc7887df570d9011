"""Sync between stations and the centre (docs/SYNC.md): identity and keys, the peers' sequence
positions, the outbox of committed units of work, bundles held back, applied units, conflicts.

`writing_station()` is the default of every `station_id` column that says which station wrote a
row: the Database sets it for the duration of a unit of work (app.db.outbox)."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, new_id, utcnow

GENESIS = "0" * 64
WRITING_STATION: ContextVar[uuid.UUID | None] = ContextVar("writing_station", default=None)


def writing_station() -> uuid.UUID | None:
    """The station of the store being written (None on a store that does not sync)."""
    return WRITING_STATION.get()


class SyncIdentity(Base):
    """This store's place in the system (one row): a station or the centre, and its signing key."""

    __tablename__ = "sync_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(8))  # station | centre
    centre_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # this store's station (at the centre: the centre's own)
    private_key: Mapped[str] = mapped_column(Text)  # Ed25519 seed, base64; never leaves the store
    public_key: Mapped[str] = mapped_column(String(64))
    centre_public_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncPeer(Base):
    """Sequence positions per station. At a station: its own row (outbox, what the centre has
    acknowledged, the centre's log applied). At the centre: one row per station (its public key,
    its units applied, the centre log it has confirmed) and the centre's own row (the centre log)."""

    __tablename__ = "sync_peers"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64), default="")
    out_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    out_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    acked_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    acked_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    in_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    in_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    quarantined: Mapped[str] = mapped_column(Text, default="")
    last_export_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_import_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SyncOutbox(Base):
    """One committed unit of work: its changed rows as JSON, numbered per station without gaps,
    hash-chained (hash = sha256(previous hash + payload))."""

    __tablename__ = "sync_outbox"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)


class SyncApplied(Base):
    """At the centre: the hash of every unit applied from a station (a re-used number is found)."""

    __tablename__ = "sync_applied"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))


class SyncHeld(Base):
    """A bundle kept back: after a gap (waits for the missing units) or quarantined (a station that
    re-used sequence numbers with other content: a supervisor must look)."""

    __tablename__ = "sync_held"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(12))  # pending | quarantine
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    bundle: Mapped[bytes] = mapped_column(LargeBinary)


class SyncConflict(Base):
    """A customer-file field changed at a station and at the centre since they last met, or a case
    to look at (a bill paid twice while apart). Decided by a supervisor, audited."""

    __tablename__ = "sync_conflicts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    no: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # field | double_payment
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(40), default="")
    base_value: Mapped[str] = mapped_column(Text, default="")
    station_value: Mapped[str] = mapped_column(Text, default="")
    centre_value: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | resolved
    resolution: Mapped[str] = mapped_column(String(12), default="")  # station | centre | seen
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SyncLink(Base):
    """At the centre: what the sync service knows of each station's link (docs/SYNC.md, Sync over the
    network): the last request and the last completed exchange, the unit the station last said it
    has, counts, the last refusal, and whether its key was revoked."""

    __tablename__ = "sync_links"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_exchange_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reported_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    exchanges: Mapped[int] = mapped_column(Integer, default=0)
    refusals: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SyncNonce(Base):
    """At the centre: the nonce of every signed request still inside the clock-skew window; a request
    whose nonce is here already is a replay and is refused."""

    __tablename__ = "sync_nonces"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)


EVERYONE = uuid.UUID(int=0)  # SyncAudience.station_id of a unit every station needs (master data)


class SyncAudience(Base):
    """At the centre: which stations a unit of the centre's log is for (the downlink's audience
    index): the home stations of the accounts, customers and clerks it touches, and EVERYONE for
    master data. A station's answer reads only the units indexed under it or EVERYONE."""

    __tablename__ = "sync_audience"

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
