"""Provisioning a station, the status at the counter, and the supervisors' conflict queue."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update

from app.db import outbox
from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import (
    Account,
    AuditHead,
    BalanceEntry,
    BankMandate,
    Bill,
    BillLine,
    Clerk,
    Customer,
    Meter,
    NumberSequence,
    Payment,
    PaymentAllocation,
    Reading,
    Setting,
    Station,
    SyncConflict,
    SyncIdentity,
    SyncOutbox,
    SyncPeer,
    TariffRecord,
    utcnow,
)
from app.models.sync import GENESIS
from app.services import audit
from app.services.sync import files as sync_files
from app.services.sync import keys
from app.services.sync.core import Result, _with_references, apply_changes, identity, require, schema_revision

PROVISIONED = QT_TRANSLATE_NOOP(
    "messages",
    "Wrote the first bundle of station {station} to {name} ({rows} rows), protected by the passphrase. Carry it to the station and import it there.",
)
SET_UP = QT_TRANSLATE_NOOP("messages", "This store is now station {station}: {rows} rows from the centre; it works offline from now on.")
WRONG_PASSPHRASE = QT_TRANSLATE_NOOP("messages", "The passphrase is wrong, or the provisioning file was changed; nothing was set up.")
NOT_EMPTY = QT_TRANSLATE_NOOP("messages", "A station is set up only on an empty store; this one already has data.")
SHORT_PASSPHRASE = QT_TRANSLATE_NOOP("messages", "The passphrase needs at least 8 characters.")


def _rows(s, table, where=None) -> list[dict]:
    q = select(table.__table__)
    if where is not None:
        q = q.where(where)
    return [{"t": table.__tablename__, "op": "i", "row": {k: outbox.plain(v) for k, v in r.items()}} for r in s.execute(q).mappings()]


def provision(db: Database, actor: Actor, code: str, name: str, out: Path, passphrase: str) -> Result:
    """At the centre: register station `code` (made if new) with a new key pair, and write the
    station's first bundle, sealed with `passphrase`: master data, its clerks, its accounts with their
    bills, readings and payments, and its private key (which is kept nowhere else)."""
    if len(passphrase or "") < 8:
        raise UserError(SHORT_PASSPHRASE, field="passphrase")
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can do this."))
    out = Path(out)
    private, public = keys.new_key_pair()
    with db.write() as s:
        ident = require(s, "centre")
        station = s.scalar(select(Station).where(Station.code == code))
        if station is None:
            station = Station(code=code, name=name or code)
            s.add(station)
            s.flush()
        peer = s.get(SyncPeer, station.id)
        if peer is None:
            peer = SyncPeer(
                station_id=station.id,
                public_key=public,
                out_seq=0,
                out_hash=GENESIS,
                acked_seq=0,
                acked_hash=GENESIS,
                in_seq=0,
                in_hash=GENESIS,
                quarantined="",
            )
            s.add(peer)
        else:  # provisioned again (a new machine): the old key no longer signs for it
            peer.public_key = public
        s.flush()
        audit.record(s, actor, "provision", "station", station.id, after={"code": code, "key_id": keys.key_id(public)})
        station_id, centre_station = station.id, ident.station_id
    with db.read() as s:
        ident = identity(s)
        centre_peer = s.get(SyncPeer, centre_station)
        peer = s.get(SyncPeer, station_id)
        changes = _rows(s, Station) + _rows(s, TariffRecord) + _rows(s, Setting) + _rows(s, Clerk, Clerk.station_id == station_id)
        customer_ids = select(Customer.id).where(Customer.station_id == station_id)
        account_ids = select(Account.id).where(Account.customer_id.in_(customer_ids))
        bill_ids = select(Bill.id).where(Bill.account_id.in_(account_ids))
        payment_ids = select(Payment.id).where(Payment.account_id.in_(account_ids))
        changes += _rows(s, Customer, Customer.station_id == station_id) + _rows(s, Account, Account.id.in_(account_ids))
        changes += _rows(s, Meter, Meter.account_id.in_(account_ids))
        changes += _rows(s, BankMandate, BankMandate.account_id.in_(account_ids))
        changes += _rows(s, Reading, Reading.meter_id.in_(select(Meter.id).where(Meter.account_id.in_(account_ids))))
        changes += _rows(s, Bill, Bill.id.in_(bill_ids)) + _rows(s, BillLine, BillLine.bill_id.in_(bill_ids))
        pays = _rows(s, Payment, Payment.id.in_(payment_ids))
        changes += _with_references(s, pays, station_id)
        changes += _rows(s, PaymentAllocation, PaymentAllocation.payment_id.in_(payment_ids))
        changes += _rows(s, BalanceEntry, BalanceEntry.account_id.in_(account_ids))
        sequences = [
            {k: outbox.plain(v) for k, v in r.items() if k != "id"}
            for r in s.execute(select(NumberSequence.__table__).where(NumberSequence.station_id == station_id)).mappings()
        ]
        head = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.station_id == station_id)).first()
        doc = {
            "kind": "provision",
            "schema": schema_revision(),
            "centre_id": str(ident.centre_id),
            "station_id": str(station_id),
            "station_code": code,
            "private_key": private,
            "public_key": public,
            "centre_public_key": ident.public_key,
            "centre_log": centre_peer.out_seq if centre_peer else 0,
            "units_applied": peer.in_seq,
            "units_hash": peer.in_hash,
            "changes": changes,
            "number_sequences": sequences,
            "audit_head": list(head) if head else [0, GENESIS],
            "files": sync_files.collect(),
        }
    data = keys.seal(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), passphrase)
    del private, doc
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out)
    return Result("exported", PROVISIONED, {"station": code, "name": out.name, "rows": len(changes)}, rows=len(changes), path=str(out))


def set_up_station(db: Database, data: bytes, passphrase: str) -> Result:
    """On an empty store: become the station a provisioning file describes. On a store that asked to
    join (join_request): take the centre's answer and send the store's history up (join)."""
    plain = keys.unseal(data, passphrase)
    if plain is None:
        raise UserError(WRONG_PASSPHRASE, field="passphrase")
    doc = json.loads(plain.decode("utf-8"))
    if doc.get("kind") == "join":
        return join(db, doc)
    with db.write() as s:
        s.info["sync"] = None
        if identity(s) is not None or s.scalar(select(func.count()).select_from(Station)):
            raise UserError(NOT_EMPTY)
        station_id, centre_id = uuid.UUID(doc["station_id"]), uuid.UUID(doc["centre_id"])
        stats = apply_changes(s, doc["changes"], centre_id, at_centre=False)
        if doc["number_sequences"]:
            s.execute(insert(NumberSequence.__table__), [outbox.typed("number_sequences", r) for r in doc["number_sequences"]])
        seq, h = doc["audit_head"]
        s.execute(insert(AuditHead.__table__).values(station_id=station_id, seq=seq, hash=h))
        s.add(
            SyncIdentity(
                id=1,
                role="station",
                centre_id=centre_id,
                station_id=station_id,
                private_key=doc["private_key"],
                public_key=doc["public_key"],
                centre_public_key=doc["centre_public_key"],
            )
        )
        s.add(
            SyncPeer(
                station_id=station_id,
                public_key=doc["public_key"],
                out_seq=doc["units_applied"],
                out_hash=doc["units_hash"],
                acked_seq=doc["units_applied"],
                acked_hash=doc["units_hash"],
                in_seq=doc["centre_log"],
                in_hash=GENESIS,
                quarantined="",
                last_import_at=utcnow(),
            )
        )
    db.sync_station, db.sync_role = station_id, "station"
    sync_files.write(doc.get("files") or [])
    return Result("applied", SET_UP, {"station": doc["station_code"], "rows": stats["rows"]}, rows=stats["rows"])


# ---------------------------------------------------------------- status at the counter


@dataclass
class Status:
    role: str  # "" (not syncing) | station | centre
    last_exchange: datetime | None
    waiting: int  # units not yet confirmed by the centre (a station)
    overdue: bool  # a station not synced for longer than the company setting
    days_allowed: int
    open_conflicts: int = 0


def status(db: Database) -> Status:
    from app.services import settings

    with db.read() as s:
        ident = identity(s)
        if ident is None:
            return Status("", None, 0, False, 0)
        days = int(settings.get(s, "sync.max_days_without_sync") or 7)
        peer = s.get(SyncPeer, ident.station_id)
        conflicts = s.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.status == "open")) or 0
        if ident.role == "centre":
            return Status("centre", peer.last_import_at if peer else None, 0, False, days, conflicts)
        last = max([t for t in (peer.last_import_at, peer.last_export_at) if t] or [None]) if peer else None
        waiting = (peer.out_seq - peer.acked_seq) if peer else 0
        since = peer.last_import_at or (ident.created_at if ident else None)
        overdue = since is not None and utcnow() - since > timedelta(days=days)
        return Status("station", last, waiting, overdue, days, conflicts)


# ---------------------------------------------------------------- conflicts


@dataclass
class ConflictView:
    id: uuid.UUID
    no: int
    kind: str
    station_code: str
    entity: str
    entity_id: str
    field: str
    base_value: str
    station_value: str
    centre_value: str
    detail: str
    created_at: datetime
    status: str
    resolution: str


def conflicts(db: Database, include_resolved: bool = False) -> list[ConflictView]:
    with db.read() as s:
        q = select(SyncConflict, Station.code).outerjoin(Station, Station.id == SyncConflict.station_id).order_by(SyncConflict.no)
        if not include_resolved:
            q = q.where(SyncConflict.status == "open")
        return [
            ConflictView(
                c.id,
                c.no,
                c.kind,
                code or "",
                c.entity,
                c.entity_id,
                c.field,
                c.base_value,
                c.station_value,
                c.centre_value,
                c.detail,
                c.created_at,
                c.status,
                c.resolution,
            )
            for c, code in s.execute(q)
        ]


def resolve(db: Database, actor: Actor, no: int, take: str) -> None:
    """A supervisor decides a conflict: the station's value or the centre's stays (a flagged double
    payment is marked seen). Audited; the value taken reaches the station with the next answer."""
    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can decide a conflict."))
    if take not in ("station", "centre", "seen"):
        raise UserError(QT_TRANSLATE_NOOP("messages", "Choose the station's value or the centre's."), field="take")
    with db.write() as s:
        c = s.scalar(select(SyncConflict).where(SyncConflict.no == no).with_for_update())
        if c is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "There is no conflict number {no}."), no=no)
        if c.status != "open":
            raise UserError(QT_TRANSLATE_NOOP("messages", "Conflict {no} is already decided."), no=no)
        if c.kind == "field" and take == "station":
            from app.models.base import Base

            table = Base.metadata.tables[c.entity]
            value = outbox.typed(c.entity, {c.field: json.loads(c.station_value)})[c.field]
            s.execute(update(table).where(table.c.id == uuid.UUID(c.entity_id)).values({c.field: value}))
            if c.entity in ("customers", "accounts"):
                from app.services.customers import reindex_customer

                cid = (
                    uuid.UUID(c.entity_id)
                    if c.entity == "customers"
                    else s.scalar(select(Account.customer_id).where(Account.id == uuid.UUID(c.entity_id)))
                )
                reindex_customer(s, cid)
        c.status, c.resolution, c.resolved_by, c.resolved_at = "resolved", take, actor.clerk_id, utcnow()
        audit.record(
            s,
            actor,
            "resolve",
            "sync_conflict",
            c.id,
            before={"station": c.station_value, "centre": c.centre_value},
            after={"no": c.no, "entity": c.entity, "entity_id": c.entity_id, "field": c.field, "take": take},
        )


def assign_area(db: Database, actor: Actor, station_code: str, customer_ids: list[uuid.UUID]) -> int:
    """At the centre: customers (with their accounts) become the area of station `station_code`:
    the station receives them when provisioned, and every change made elsewhere to them after."""
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can do this."))
    with db.write() as s:
        require(s, "centre")
        station = s.scalar(select(Station).where(Station.code == station_code))
        if station is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No station has the code {code}."), code=station_code)
        n = 0
        for i in range(0, len(customer_ids), 500):
            n += s.execute(update(Customer).where(Customer.id.in_(customer_ids[i : i + 500])).values(station_id=station.id)).rowcount
        audit.record(s, actor, "assign_area", "station", station.id, after={"code": station_code, "customers": n})
        return n


def stations(db: Database) -> list[tuple[str, str]]:
    """At the centre: the stations that take part in sync, (code, name), by code."""
    with db.read() as s:
        ident = identity(s)
        own = ident.station_id if ident else None
        return [
            (code, name)
            for code, name in s.execute(
                select(Station.code, Station.name)
                .join(SyncPeer, SyncPeer.station_id == Station.id)
                .where(Station.id != own)
                .order_by(Station.code)
            )
        ]


def customers_of_routes(db: Database, routes: list[str]) -> list[uuid.UUID]:
    """The customers with an account on any of the reading routes."""
    with db.read() as s:
        return list(s.scalars(select(Account.customer_id).where(Account.reading_route.in_(routes)).distinct()))


def release(db: Database, actor: Actor, station_code: str) -> int:
    """At the centre, after a supervisor has looked at a quarantined station (and it has been
    provisioned again, or its bundles were found to be right): lift the quarantine; the bundles kept
    in quarantine are dropped. Audited. Returns how many were dropped."""
    from sqlalchemy import delete

    from app.models import SyncHeld

    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a supervisor can decide a conflict."))
    with db.write() as s:
        require(s, "centre")
        station = s.scalar(select(Station).where(Station.code == station_code))
        peer = s.get(SyncPeer, station.id) if station else None
        if peer is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No station has the code {code}."), code=station_code)
        reason = peer.quarantined
        peer.quarantined = ""
        dropped = s.execute(delete(SyncHeld).where(SyncHeld.station_id == station.id, SyncHeld.kind == "quarantine")).rowcount
        audit.record(s, actor, "release", "sync_quarantine", station.id, before={"reason": reason}, after={"dropped": dropped})
        return dropped


# ---------------------------------------------------------------- joining an existing store

JOIN_MAGIC = b"COUNTERDESK-JOIN-REQUEST 1\n"
JOIN_UNIT_ROWS = 5000  # rows per unit of the history a joining store sends up
ALREADY_SYNCING = QT_TRANSLATE_NOOP("messages", "This store already takes part in sync.")
REQUESTED = QT_TRANSLATE_NOOP(
    "messages",
    "Wrote the request of station {station} to join the centre to {name}. Carry it to the centre; import the answer here ({clerks} clerks, {accounts} accounts).",
)
NOT_A_REQUEST = QT_TRANSLATE_NOOP("messages", "{name} is not a request to join the centre, or it was changed after it was made.")
CODE_TAKEN = QT_TRANSLATE_NOOP(
    "messages", "The centre already has another station with the code {code}; give the joining station another code first."
)
NUMBERS_TAKEN = QT_TRANSLATE_NOOP(
    "messages",
    "Station {code} cannot join yet: these logins, staff, account or meter numbers are used at the centre by another station: {numbers}. Change them at the station and make a new request.",
)
STAFF_TAKEN = QT_TRANSLATE_NOOP(
    "messages",
    "Station {code} cannot join yet: these logins, staff, account or meter numbers are used at the centre by another station: {numbers}. Change them at the station (a staff number with: counterdesk clerk renumber {login} NEW_STAFF_NO --as ADMIN) and make a new request.",
)
ACCEPTED = QT_TRANSLATE_NOOP(
    "messages",
    "Station {station} may join: its answer is in {name}, protected by the passphrase. Import it at the station; its history then comes up with its next bundle.",
)
NOT_OUR_ANSWER = QT_TRANSLATE_NOOP(
    "messages", "This answer of the centre is for another store, or for an older request of this one; nothing was changed."
)
JOINED = QT_TRANSLATE_NOOP(
    "messages",
    "This store is now station {station} of the centre: {rows} rows of its history ({units} units) wait in its outbox for the next bundle.",
)


def _write_atomic(out: Path, data: bytes) -> None:
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def join_request(db: Database, actor: Actor, out: Path) -> Result:
    """At a store that already has data and does not sync yet: a key pair of its own (the private half
    never leaves the store) and a request to the centre naming the station, its public key, and its
    clerks' logins, account and meter numbers (the centre refuses numbers it has already). Until the
    answer is imported the store records nothing in an outbox: its whole history goes up at join."""
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can do this."))
    out = Path(out)
    private, public = keys.new_key_pair()
    with db.write() as s:
        ident = identity(s)
        if ident is not None and ident.role != "joining":
            raise UserError(ALREADY_SYNCING)
        station = s.get(Station, actor.station_id)
        if ident is not None:  # a new request replaces the one before (its answer no longer fits)
            ident.private_key, ident.public_key, ident.station_id = private, public, station.id
        else:
            s.add(
                SyncIdentity(
                    id=1,
                    role="joining",
                    centre_id=uuid.UUID(int=0),
                    station_id=station.id,
                    private_key=private,
                    public_key=public,
                    centre_public_key="",
                )
            )
        audit.record(s, actor, "join_request", "station", station.id, after={"code": station.code, "key_id": keys.key_id(public)})
        doc = {
            "kind": "join_request",
            "schema": schema_revision(),
            "station_id": str(station.id),
            "station_code": station.code,
            "station_name": station.name,
            "public_key": public,
            "clerks": [[login, staff] for login, staff in s.execute(select(Clerk.login, Clerk.staff_no))],
            "account_nos": list(s.scalars(select(Account.account_no))),
            "meter_nos": list(s.scalars(select(Meter.meter_no))),
        }
    line = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    _write_atomic(out, JOIN_MAGIC + line + b"\n" + keys.sign(private, line).encode() + b"\n")
    del private
    return Result(
        "exported",
        REQUESTED,
        {"station": doc["station_code"], "name": out.name, "clerks": len(doc["clerks"]), "accounts": len(doc["account_nos"])},
        path=str(out),
    )


def _read_request(data: bytes, name: str) -> dict:
    try:
        if not data.startswith(JOIN_MAGIC):
            raise ValueError
        line, signature = data[len(JOIN_MAGIC) :].rstrip(b"\n").split(b"\n", 1)
        doc = json.loads(line.decode("utf-8"))
        if doc.get("kind") != "join_request" or not keys.verifies(doc["public_key"], line, signature.decode("ascii")):
            raise ValueError
        uuid.UUID(doc["station_id"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise UserError(NOT_A_REQUEST, name=name) from None
    return doc


def accept_join(db: Database, actor: Actor, request: bytes, name: str, out: Path, passphrase: str) -> Result:
    """At the centre: take an existing store's request to join. The station is registered with its
    own id and public key (refused if its code or any of its logins, staff numbers, account or meter
    numbers is used at the centre by another station); the answer, sealed with `passphrase`, carries
    the centre's id and public key, the master data and where the station starts in the centre's log."""
    if len(passphrase or "") < 8:
        raise UserError(SHORT_PASSPHRASE, field="passphrase")
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can do this."))
    doc = _read_request(request, name)
    out = Path(out)
    station_id, code = uuid.UUID(doc["station_id"]), doc["station_code"]
    with db.write() as s:
        ident = require(s, "centre")
        other = s.scalar(select(Station).where(Station.code == code))
        if other is not None and other.id != station_id:
            raise UserError(CODE_TAKEN, code=code)
        taken, staff_of = [], {c[1]: c[0] for c in doc["clerks"]}
        for column, values, owner in (
            (Clerk.login, [c[0] for c in doc["clerks"]], Clerk.station_id),
            (Clerk.staff_no, [c[1] for c in doc["clerks"]], Clerk.station_id),
            (Account.account_no, doc["account_nos"], Account.station_id),
            (Meter.meter_no, doc["meter_nos"], Meter.station_id),
        ):
            used = []
            for i in range(0, len(values), 1000):
                used += s.scalars(select(column).where(column.in_(values[i : i + 1000]), (owner.is_(None)) | (owner != station_id))).all()
            # A staff number is named with the store's login that has it: the one to renumber.
            taken += [f"{v} ({staff_of[v]})" for v in sorted(used)] if column is Clerk.staff_no else sorted(used)
        if taken:
            numbers = ", ".join(taken[:10]) + (" …" if len(taken) > 10 else "")
            clash = next((staff_of[v] for v in staff_of if f"{v} ({staff_of[v]})" in taken), None)
            if clash is not None:
                raise UserError(STAFF_TAKEN, code=code, numbers=numbers, login=clash)
            raise UserError(NUMBERS_TAKEN, code=code, numbers=numbers)
        if other is None:
            s.add(Station(id=station_id, code=code, name=doc.get("station_name") or code))
            s.flush()
        peer = s.get(SyncPeer, station_id)
        if peer is None:
            s.add(
                SyncPeer(
                    station_id=station_id,
                    public_key=doc["public_key"],
                    out_seq=0,
                    out_hash=GENESIS,
                    acked_seq=0,
                    acked_hash=GENESIS,
                    in_seq=0,
                    in_hash=GENESIS,
                    quarantined="",
                )
            )
        else:
            peer.public_key = doc["public_key"]
        s.flush()
        audit.record(s, actor, "accept_join", "station", station_id, after={"code": code, "key_id": keys.key_id(doc["public_key"])})
        centre_station = ident.station_id
    with db.read() as s:
        ident = identity(s)
        centre_peer = s.get(SyncPeer, centre_station)
        from app.services.audit import KEY_SETTING

        # The store keeps its own audit HMAC key: its entries' masked numbers stay matchable there.
        changes = _rows(s, Station) + _rows(s, TariffRecord) + [c for c in _rows(s, Setting) if c["row"].get("key") != KEY_SETTING]
        answer = {
            "kind": "join",
            "schema": schema_revision(),
            "centre_id": str(ident.centre_id),
            "station_id": str(station_id),
            "station_code": code,
            "public_key": doc["public_key"],
            "centre_public_key": ident.public_key,
            "centre_log": centre_peer.out_seq if centre_peer else 0,
            "changes": changes,
            "files": sync_files.collect(),
        }
    _write_atomic(out, keys.seal(json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), passphrase))
    return Result("exported", ACCEPTED, {"station": code, "name": out.name}, rows=len(changes), path=str(out))


def join(db: Database, doc: dict) -> Result:
    """At the store that asked to join: take the centre's answer (master data; the store's own audit
    HMAC key stays) and, in the same transaction, put the store's whole history into its outbox in
    units of JOIN_UNIT_ROWS rows in foreign-key order (customers without an area become this station's),
    so that its next bundle carries everything to the centre, its audit chain from the first entry."""
    from app.models.base import Base
    from app.services.audit import KEY_SETTING

    with db.write() as s:
        s.info["sync"] = None  # what is written here is sent up below, as the history
        ident = identity(s)
        if ident is None or ident.role != "joining" or str(ident.station_id) != doc["station_id"] or ident.public_key != doc["public_key"]:
            raise UserError(NOT_OUR_ANSWER)
        me, centre_id = ident.station_id, uuid.UUID(doc["centre_id"])
        # The store's own settings and tariffs stay (rows it has are not replaced; the centre's later
        # changes come with its answers); tariffs it lacks are added.
        have = {(code, str(since)) for code, since in s.execute(select(TariffRecord.code, TariffRecord.effective_from))}
        changes = [
            c
            for c in doc["changes"]
            if not (c["t"] == "settings" and c["row"].get("key") == KEY_SETTING)
            and not (c["t"] == "tariffs" and (c["row"].get("code"), str(c["row"].get("effective_from"))) in have)
        ]
        apply_changes(s, changes, centre_id, at_centre=False)
        s.execute(update(Customer).where(Customer.station_id.is_(None)).values(station_id=me))
        ident.role, ident.centre_id, ident.centre_public_key = "station", centre_id, doc["centre_public_key"]
        s.add(
            SyncPeer(
                station_id=me,
                public_key=doc["public_key"],
                out_seq=0,
                out_hash=GENESIS,
                acked_seq=0,
                acked_hash=GENESIS,
                in_seq=doc["centre_log"],
                in_hash=GENESIS,
                quarantined="",
                last_import_at=utcnow(),
            )
        )
        s.flush()
        conn = s.connection()
        seq, prev, rows, batch = 0, GENESIS, 0, []

        def flush_unit() -> None:
            nonlocal seq, prev, batch
            if not batch:
                return
            seq += 1
            at = utcnow()
            payload = json.dumps(
                {"seq": seq, "at": at.isoformat(), "changes": batch}, ensure_ascii=False, separators=(",", ":"), sort_keys=True
            )
            prev = outbox.unit_hash(prev, payload)
            conn.execute(
                insert(SyncOutbox.__table__),
                [{"station_id": me, "seq": seq, "at": at, "rows": len(batch), "hash": prev, "payload": payload}],
            )
            batch = []

        skip = {"stations", "settings", "tariffs"}  # the centre has the station; settings and tariffs are the centre's
        for table in Base.metadata.sorted_tables:
            if table.name not in outbox.SYNCED or table.name in skip:
                continue
            pk = outbox.pk_name(table.name)
            order = table.c.seq if table.name == "audit_log" else table.c[pk]
            has_station = "station_id" in table.c and table.name != "customers"
            for r in conn.execute(select(table).order_by(order)).mappings().all():
                row = {k: outbox.plain(v) for k, v in r.items()}
                if has_station and row.get("station_id") is None:
                    row["station_id"] = str(me)
                batch.append({"t": table.name, "op": "i", "row": row})
                rows += 1
                if len(batch) >= JOIN_UNIT_ROWS:
                    flush_unit()
            flush_unit()
        s.execute(update(SyncPeer).where(SyncPeer.station_id == me).values(out_seq=seq, out_hash=prev))
    db.sync_station, db.sync_role = me, "station"
    sync_files.write(doc.get("files") or [])
    return Result("applied", JOINED, {"station": doc["station_code"], "rows": rows, "units": seq}, units=seq, rows=rows)
