"""Stations and the centre: identity, export and import of bundles, applying changes.

The rules (docs/SYNC.md): a station's units of work travel up in bundles numbered by its outbox;
the centre applies them in order, whole or not at all, once; the centre's answer (the downlink)
carries the acknowledgement and what changed elsewhere that the station needs. Money facts are
inserted as they are and never merged; derived state (a bill's paid amount and status, an account's
balance) is recomputed from the facts where they meet; a customer-file field changed on both sides
becomes a conflict for a supervisor.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from sqlalchemy import LargeBinary, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import outbox
from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import UserError
from app.kernel.ids import new_id
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import (
    Account,
    BalanceEntry,
    Bill,
    Customer,
    Meter,
    Payment,
    PaymentAllocation,
    Station,
    SyncApplied,
    SyncAudience,
    SyncConflict,
    SyncHeld,
    SyncIdentity,
    SyncOutbox,
    SyncPeer,
    utcnow,
)
from app.models.base import Base
from app.models.sync import EVERYONE, GENESIS
from app.services import audit
from app.services.sync import bundle, keys, surplus
from app.services.sync.bundle import SyncRefused

CUSTOMER_FILE = ("customers", "accounts", "meters", "bank_mandates")
# What a station never receives from the centre: other stations' work that is not about its accounts.
# Customer notices go up (the centre sends them) and never come back down.
NOT_DOWN = frozenset({"audit_log", "matters", "matter_events", "outages", "contact_records", "customer_notices"})
# What the centre never takes from a station: company-wide master data set at the centre.
DOWN_ONLY = frozenset({"settings", "tariffs"})

NOT_SET_UP = QT_TRANSLATE_NOOP("messages", "This store does not take part in sync yet (no station or centre identity).")
NOT_CENTRE = QT_TRANSLATE_NOOP("messages", "Only the centre can do this.")
NOT_STATION = QT_TRANSLATE_NOOP("messages", "Only a station can do this.")
OTHER_CENTRE = QT_TRANSLATE_NOOP("messages", "Bundle {name} belongs to another centre; it was refused.")
OTHER_STATION = QT_TRANSLATE_NOOP("messages", "Bundle {name} is for station {station}, not for this station; it was refused.")
UNKNOWN_STATION = QT_TRANSLATE_NOOP("messages", "Bundle {name} comes from a station this centre does not know; it was refused.")
OTHER_KEY = QT_TRANSLATE_NOOP("messages", "Bundle {name} claims station {station} but was signed with the key of {other}; it was refused.")
NEWER_SCHEMA = QT_TRANSLATE_NOOP(
    "messages",
    "Bundle {name} was made by a newer CounterDesk (schema {theirs}, this one has {ours}); update this program first. Nothing was applied.",
)
WRONG_KIND = QT_TRANSLATE_NOOP("messages", "Bundle {name} is a {kind} bundle; it cannot be imported here.")
QUARANTINED = QT_TRANSLATE_NOOP("messages", "Station {station} is quarantined: {why} A supervisor must look at it; nothing was applied.")
REUSED = QT_TRANSLATE_NOOP(
    "messages", "unit {seq} arrived again with different content (a station restored from an old backup re-uses its numbers)."
)
DIVERGED = QT_TRANSLATE_NOOP("messages", "the bundle does not continue the history the centre has (unit {seq}).")
CHAIN_BROKEN = QT_TRANSLATE_NOOP("messages", "Bundle {name} is refused: unit {seq} does not match its hash.")
AUDIT_BROKEN = QT_TRANSLATE_NOOP(
    "messages", "Bundle {name} is refused: the audit chain of station {station} does not hold at entry {seq} ({why})."
)
ACK_MISMATCH = QT_TRANSLATE_NOOP(
    "messages", "Bundle {name} is refused: the centre acknowledges unit {seq} with other content than this station wrote."
)


# ---------------------------------------------------------------- identity


def identity(s: Session) -> SyncIdentity | None:
    return s.get(SyncIdentity, 1)


def require(s: Session, role: str | None = None) -> SyncIdentity:
    ident = identity(s)
    if ident is None:
        raise UserError(NOT_SET_UP)
    if role == "centre" and ident.role != "centre":
        raise UserError(NOT_CENTRE)
    if role == "station" and ident.role != "station":
        raise UserError(NOT_STATION)
    return ident


@lru_cache(maxsize=1)
def schema_revision() -> str:
    """This program's schema revision (its migration files do not change while it runs: read once,
    not at every bundle read or written)."""
    from app.db.migrate import head_from_files

    return head_from_files()


def _rev_number(rev: str) -> int:
    try:
        return int(str(rev).split("_", 1)[0])
    except ValueError:
        return 0


def init_centre(db: Database, actor: Actor) -> uuid.UUID:
    """Make this store the centre: its id, its key pair, the actor's station as the centre's own."""
    private, public = keys.new_key_pair()
    with db.write() as s:
        if identity(s) is not None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "This store already takes part in sync."))
        centre_id = uuid.uuid4()
        s.add(
            SyncIdentity(
                id=1,
                role="centre",
                centre_id=centre_id,
                station_id=actor.station_id,
                private_key=private,
                public_key=public,
                centre_public_key=public,
            )
        )
        s.add(SyncPeer(station_id=actor.station_id, public_key=public))
        audit.record(s, actor, "init_centre", "sync", centre_id, after={"key_id": keys.key_id(public)})
    db.sync_station, db.sync_role = actor.station_id, "centre"
    return centre_id


# ---------------------------------------------------------------- results


@dataclass
class Result:
    status: str  # exported | received | applied | duplicate | held | quarantined
    message: str  # a "messages" text with {parameters}
    params: dict = field(default_factory=dict)
    units: int = 0
    rows: int = 0
    conflicts: int = 0
    path: str = ""
    data: bytes = b""  # the bundle itself when exported without a file (the network)

    def text(self, translate=None) -> str:
        m = translate("messages", self.message) if translate else self.message
        return m.format(**self.params)


EXPORTED_UP = QT_TRANSLATE_NOOP(
    "messages", "Wrote {units} units of work ({rows} changed rows) to {name}; they stay here until the centre confirms them."
)
EXPORTED_DOWN = QT_TRANSLATE_NOOP(
    "messages",
    "Wrote the answer for station {station} to {name}: {units} units ({rows} rows) and the confirmation of its units up to {ack}.",
)
APPLIED = QT_TRANSLATE_NOOP("messages", "Applied {units} units ({rows} changed rows) from {name}; {conflicts} conflicts for a supervisor.")
DUPLICATE = QT_TRANSLATE_NOOP("messages", "Bundle {name} was applied before; nothing changed.")
RECEIVED = QT_TRANSLATE_NOOP(
    "messages", "The centre received {units} units ({rows} changed rows) from {name}; it applies them in the background."
)
HELD = QT_TRANSLATE_NOOP(
    "messages", "Bundle {name} starts at unit {first}, but units {missing} have not arrived: it is kept and applied when they come."
)
APPLIED_DOWN = QT_TRANSLATE_NOOP(
    "messages", "Applied {rows} changed rows from the centre; the centre confirmed this station's units up to {ack}."
)


# ---------------------------------------------------------------- reading and checking a bundle


def read_bundle(
    s: Session | None, data: bytes, name: str, ident: SyncIdentity | None = None, known: tuple | None = None, db: Database | None = None
) -> tuple[dict, dict]:
    """Parse, check and verify a bundle against this store's keys; refused whole with the reason.

    The service passes the store's identity it read once (`ident`) and the requesting station's
    `(station_id, public_key)` it has just checked (`known`): a bundle of that station is then
    verified without a query; any other is looked up as usual (in `s`, or a read of `db`)."""
    ident = ident if ident is not None else require(s)
    header, line, signature, raw = bundle.parse(data, name)
    if header.get("centre_id") != str(ident.centre_id):
        raise SyncRefused("other_centre", OTHER_CENTRE, name=name)
    theirs, ours = str(header.get("schema", "")), schema_revision()
    if _rev_number(theirs) > _rev_number(ours):
        raise SyncRefused("newer_schema", NEWER_SCHEMA, name=name, theirs=theirs, ours=ours)
    kind = header.get("kind")
    station = str(header.get("station_id", ""))
    if ident.role == "centre":
        if kind != "up":
            raise SyncRefused("wrong_kind", WRONG_KIND, name=name, kind=kind)
        if known is not None and station == str(known[0]) and known[1] and header.get("key_id") == keys.key_id(known[1]):
            public = known[1]
        elif s is None:
            with db.read() as s2:
                return read_bundle(s2, data, name, ident)
        else:
            try:
                peer = s.get(SyncPeer, uuid.UUID(station))
            except ValueError:
                peer = None
            if peer is None or not peer.public_key or peer.station_id == ident.station_id:
                raise SyncRefused("unknown_station", UNKNOWN_STATION, name=name)
            public = peer.public_key
            if header.get("key_id") != keys.key_id(public):
                other = _key_owner(s, header.get("key_id"))
                raise SyncRefused("other_key", OTHER_KEY, name=name, station=header.get("station_code", station), other=other or "?")
        code = header.get("station_code", station)
    else:
        if kind != "down":
            raise SyncRefused("wrong_kind", WRONG_KIND, name=name, kind=kind)
        if station != str(ident.station_id):
            raise SyncRefused("other_station", OTHER_STATION, name=name, station=header.get("station_code", station))
        public = ident.centre_public_key
        code = "centre"
    if not keys.verifies(public, line, signature):
        raise SyncRefused("forged", bundle.FORGED, name=name, station=code)
    return header, bundle.body_of(raw, name)


def _key_owner(s: Session, key_id: str | None) -> str | None:
    for station_id, public in s.execute(select(SyncPeer.station_id, SyncPeer.public_key)):
        if public and keys.key_id(public) == key_id:
            return s.scalar(select(Station.code).where(Station.id == station_id)) or str(station_id)
    return None


# ---------------------------------------------------------------- export


def _station_code(s: Session, station_id) -> str:
    return s.scalar(select(Station.code).where(Station.id == station_id)) or str(station_id)


def export_up(db: Database, out: Path | None, max_units: int | None = None, stamp: bool = True) -> Result:
    """A station: every unit since the centre's last acknowledgement (safe to repeat); with
    `max_units`, only the first that many (a part: the network sends a long outbox in parts).
    Without `out`, the bundle's bytes are in the result's `data` (no file written). Without `stamp`
    the export is not noted as the last one (the network notes it with the answer: import_answer).
    The result's params carry the positions read: `acked` (units the centre confirmed) and
    `written` (units in the outbox's numbering)."""
    with db.read() as s:
        ident = require(s, "station")
        peer = s.get(SyncPeer, ident.station_id) or SyncPeer(
            station_id=ident.station_id, out_seq=0, out_hash=GENESIS, acked_seq=0, acked_hash=GENESIS, in_seq=0
        )
        query = (
            select(SyncOutbox.seq, SyncOutbox.hash, SyncOutbox.payload)
            .where(SyncOutbox.station_id == ident.station_id, SyncOutbox.seq > (peer.acked_seq or 0))
            .order_by(SyncOutbox.seq)
        )
        units = [
            {"seq": seq, "hash": h, "payload": payload} for seq, h, payload in s.execute(query.limit(max_units) if max_units else query)
        ]
        part = bool(max_units) and bool(units) and units[-1]["seq"] < (peer.out_seq or 0)
        last_seq, last_hash = (units[-1]["seq"], units[-1]["hash"]) if part else (peer.out_seq or 0, peer.out_hash or GENESIS)
        rows = s.scalar(
            select(func.coalesce(func.sum(SyncOutbox.rows), 0)).where(
                SyncOutbox.station_id == ident.station_id, SyncOutbox.seq > (peer.acked_seq or 0), SyncOutbox.seq <= last_seq
            )
        )
        header = {
            "kind": "up",
            "centre_id": str(ident.centre_id),
            "station_id": str(ident.station_id),
            "station_code": _station_code(s, ident.station_id),
            "first_seq": (peer.acked_seq or 0) + 1,
            "last_seq": last_seq,
            "prev_hash": peer.acked_hash or GENESIS,
            "last_hash": last_hash,
            "schema": schema_revision(),
            "key_id": keys.key_id(ident.public_key),
            "down_applied": peer.in_seq or 0,
            "created_at": utcnow().isoformat(),
        }
        private = ident.private_key
        acked, written = peer.acked_seq or 0, peer.out_seq or 0
    data = bundle.encode(header, {"units": units}, private) if out is None else b""
    if out is not None:
        bundle.write(Path(out), header, {"units": units}, private)
    del private
    if stamp:
        _stamp(db, "last_export_at")
    name = Path(out).name if out is not None else ""
    return Result(
        "exported",
        EXPORTED_UP,
        {"units": len(units), "rows": int(rows), "name": name, "acked": acked, "written": written},
        len(units),
        int(rows),
        path=str(out or ""),
        data=data,
    )


def _stamp(db: Database, column: str, station_id=None) -> None:
    with db.write() as s:
        ident = require(s)
        sid = station_id or ident.station_id
        s.execute(update(SyncPeer).where(SyncPeer.station_id == sid).values({column: utcnow()}))


def _home_stations(s: Session, account_ids: set) -> dict:
    out = {}
    ids = [uuid.UUID(a) if isinstance(a, str) else a for a in account_ids]  # the bundles' ids are text
    for i in range(0, len(ids), 500):
        for aid, home in s.execute(
            select(Account.id, Customer.station_id)
            .join(Customer, Customer.id == Account.customer_id)
            .where(Account.id.in_(ids[i : i + 500]))
        ):
            out[str(aid)] = str(home) if home else ""
    return out


def _lookup(s: Session, column_key, column_val, ids: set) -> dict:
    out = {}
    ids = [uuid.UUID(i) for i in ids]
    for i in range(0, len(ids), 500):
        for k, v in s.execute(select(column_key, column_val).where(column_key.in_(ids[i : i + 500]))):
            out[str(k)] = str(v)
    return out


def downlink_changes(s: Session, station_id: uuid.UUID, centre_station: uuid.UUID, units: list[tuple[int, str]]) -> list[dict]:
    """The centre's units, each cut down to what `station_id` needs (docs/SYNC.md, Downlink)."""
    me = str(station_id)
    parsed = [(seq, json.loads(payload)["changes"]) for seq, payload in units]
    payment_acc, bill_acc, meter_acc = {}, {}, {}
    for _seq, changes in parsed:
        for c in changes:
            r = c["row"]
            if c["t"] == "payments":
                payment_acc[r["id"]] = r["account_id"]
            elif c["t"] == "bills":
                bill_acc[r["id"]] = r["account_id"]
            elif c["t"] == "meters":
                meter_acc[r["id"]] = r["account_id"]
    need_pay, need_bill, need_meter = set(), set(), set()
    for _seq, changes in parsed:
        for c in changes:
            r = c["row"]
            if c["t"] == "payment_allocations" and r["payment_id"] not in payment_acc:
                need_pay.add(r["payment_id"])
            if c["t"] == "bill_lines" and r["bill_id"] not in bill_acc:
                need_bill.add(r["bill_id"])
            if c["t"] == "readings" and r["meter_id"] not in meter_acc:
                need_meter.add(r["meter_id"])
    payment_acc.update(_lookup(s, Payment.id, Payment.account_id, need_pay))
    bill_acc.update(_lookup(s, Bill.id, Bill.account_id, need_bill))
    meter_acc.update(_lookup(s, Meter.id, Meter.account_id, need_meter))
    accounts = set(payment_acc.values()) | set(bill_acc.values()) | set(meter_acc.values())
    for _seq, changes in parsed:
        for c in changes:
            if c["t"] in ("accounts", "balance_entries", "bank_mandates"):
                accounts.add(c["row"]["id"] if c["t"] == "accounts" else c["row"]["account_id"])
    home = _home_stations(s, accounts)

    def account_of(t: str, r: dict) -> str | None:
        if t == "accounts":
            return r["id"]
        if t in ("payments", "bills", "balance_entries", "meters", "bank_mandates"):
            return r["account_id"]
        if t == "payment_allocations":
            return payment_acc.get(r["payment_id"])
        if t == "bill_lines":
            return bill_acc.get(r["bill_id"])
        if t == "readings":
            return meter_acc.get(r["meter_id"])
        return None

    out = []
    for seq, changes in parsed:
        kept = []
        for c in changes:
            t, r = c["t"], c["row"]
            if c.get("o") == me or t in NOT_DOWN:
                continue
            if t in ("stations", "tariffs", "settings"):
                kept.append(c)
            elif t == "clerks":
                if r.get("station_id") == me:
                    kept.append(c)
            elif t == "customers":
                if r.get("station_id") == me:
                    kept.append(c)
            elif t == "shifts":
                continue  # sent with the payments that need them (below)
            else:
                acc = account_of(t, r)
                if acc is not None and home.get(acc) == me:
                    kept.append(c)
        if kept:
            out.append({"seq": seq, "changes": _with_references(s, kept, station_id)})
    return out


def _with_references(s: Session, changes: list[dict], station_id: uuid.UUID) -> list[dict]:
    """Payments made elsewhere name a shift and a clerk of another station: those rows go along
    (the clerk without a password and inactive: a name on a receipt, never a log-in)."""
    from app.models import Clerk, Shift

    shifts, clerks = set(), set()
    for c in changes:
        if c["t"] == "payments":
            shifts.add(c["row"]["shift_id"])
            clerks.add(c["row"]["clerk_id"])
            if c["row"].get("approved_by"):
                clerks.add(c["row"]["approved_by"])
    extra = []
    if shifts:
        for row in s.execute(select(Shift.__table__).where(Shift.id.in_([uuid.UUID(x) for x in shifts]))).mappings():
            extra.append({"t": "shifts", "op": "i", "row": {k: outbox.plain(v) for k, v in row.items()}})
            clerks.add(str(row["clerk_id"]))
    if clerks:
        for row in s.execute(select(Clerk.__table__).where(Clerk.id.in_([uuid.UUID(x) for x in clerks]))).mappings():
            r = {k: outbox.plain(v) for k, v in row.items()}
            if row["station_id"] != station_id:
                r.update(password_hash="", active=False, failed_logins=0, locked_at=None)
            extra.append({"t": "clerks", "op": "i", "row": r})
    return extra + changes


def _down_bundle(s: Session, ident: SyncIdentity, station: Station, peer: SyncPeer) -> tuple[dict, dict, int, int]:
    """(header, body, units, rows) of the answer for `station`, read in `s`."""
    centre = s.get(SyncPeer, ident.station_id)
    last = centre.out_seq if centre else 0
    # The audience index: only the units of the centre's log meant for this station or for all.
    wanted = select(SyncAudience.seq).where(SyncAudience.station_id.in_([station.id, EVERYONE]), SyncAudience.seq > peer.acked_seq)
    raw_units = list(
        s.execute(
            select(SyncOutbox.seq, SyncOutbox.payload)
            .where(SyncOutbox.station_id == ident.station_id, SyncOutbox.seq.in_(wanted))
            .order_by(SyncOutbox.seq)
        )
    )
    units = downlink_changes(s, station.id, ident.station_id, raw_units)
    rows = sum(len(u["changes"]) for u in units)
    header = {
        "kind": "down",
        "centre_id": str(ident.centre_id),
        "station_id": str(station.id),
        "station_code": station.code,
        "first_seq": peer.acked_seq + 1,
        "last_seq": last,
        "ack_seq": peer.in_seq,
        "ack_hash": peer.in_hash,
        "schema": schema_revision(),
        "key_id": keys.key_id(ident.public_key),
        "created_at": utcnow().isoformat(),
    }
    from app.services.sync import files

    return header, {"units": units, "files": files.collect()}, len(units), rows


def _down_result(station: Station, header: dict, units: int, rows: int, out: Path | None, data: bytes) -> Result:
    return Result(
        "exported",
        EXPORTED_DOWN,
        {
            "station": station.code,
            "name": Path(out).name if out is not None else "",
            "units": units,
            "rows": rows,
            "ack": header["ack_seq"],
        },
        units,
        rows,
        path=str(out or ""),
        data=data,
    )


def export_down(db: Database, station_code: str, out: Path | None) -> Result:
    """The centre: the answer for one station (acknowledgement and what changed elsewhere); without
    `out`, its bytes are in the result's `data` (the network's answer: no file written)."""
    with db.read() as s:
        ident = require(s, "centre")
        station = s.scalar(select(Station).where(Station.code == station_code))
        peer = s.get(SyncPeer, station.id) if station else None
        if station is None or peer is None:
            raise UserError(QT_TRANSLATE_NOOP("messages", "No station with code {code} takes part in sync."), code=station_code)
        header, body, n_units, rows = _down_bundle(s, ident, station, peer)
        private = ident.private_key
    data = bundle.encode(header, body, private) if out is None else b""
    if out is not None:
        bundle.write(Path(out), header, body, private)
    _stamp(db, "last_export_at", station.id)
    return _down_result(station, header, n_units, rows, out, data)


def answer_in(s: Session, ident: SyncIdentity, station_id: uuid.UUID, received: tuple[int, str] | None = None) -> Result:
    """The centre's answer to a station over the network, read and stamped in the caller's unit of
    work `s` (the service writes the station's link record in the same one: one transaction where
    export_down takes two). `received`: (seq, hash) of the station's units the centre holds, applied
    or kept to be applied (receive_in), when that is further than what it has applied."""
    station = s.get(Station, station_id)
    peer = s.get(SyncPeer, station_id)
    if station is None or peer is None:
        raise UserError(QT_TRANSLATE_NOOP("messages", "No station with code {code} takes part in sync."), code=str(station_id))
    header, body, n_units, rows = _down_bundle(s, ident, station, peer)
    if received is not None and received[0] > header["ack_seq"]:
        header["ack_seq"], header["ack_hash"] = received
    data = bundle.encode(header, body, ident.private_key)
    peer.last_export_at = utcnow()
    return _down_result(station, header, n_units, rows, None, data)


# ---------------------------------------------------------------- import


def import_file(db: Database, path: Path, actor: Actor | None = None) -> Result:
    path = Path(path)
    data = path.read_bytes()
    return import_bytes(db, data, path.name, actor)


def import_bytes(db: Database, data: bytes, name: str, actor: Actor | None = None, held_id: uuid.UUID | None = None) -> Result:
    """A bundle file's bytes imported. `held_id`: the row of sync_held the bundle was kept in (after a
    gap, or received over the network), removed in the same transaction that applies it."""
    with db.read() as s:
        header, body = read_bundle(s, data, name)
        role = identity(s).role
    if role == "centre":
        return _import_up(db, header, body, data, name, actor, held_id)
    return _import_down(db, header, body, name, actor)


# An uplink unit's payload already decoded in this process (its "changes"), kept in the unit's dict
# under this key: never sent, never hashed (the hash covers the payload's text).
PARSED = "_parsed_changes"


def _check_units(header: dict, body: dict, name: str) -> list[dict]:
    """The units of an uplink bundle continue its stated chain, one after the other."""
    units = body.get("units", [])
    prev, seq = header["prev_hash"], header["first_seq"] - 1
    for u in units:
        if u["seq"] != seq + 1 or outbox.unit_hash(prev, u["payload"]) != u["hash"]:
            raise SyncRefused("damaged", CHAIN_BROKEN, name=name, seq=u.get("seq"))
        prev, seq = u["hash"], u["seq"]
    if seq != header["last_seq"] or (units and prev != header["last_hash"]):
        raise SyncRefused("damaged", CHAIN_BROKEN, name=name, seq=seq)
    return units


def _quarantine(db: Database, station_id: uuid.UUID, header: dict, data: bytes, reason: str, params: dict, code: str) -> None:
    text = reason.format(**params)
    with db.write() as s:
        s.add(
            SyncHeld(
                station_id=station_id,
                kind="quarantine",
                first_seq=header["first_seq"],
                last_seq=header["last_seq"],
                reason=text,
                bundle=data,
            )
        )
        s.execute(update(SyncPeer).where(SyncPeer.station_id == station_id).values(quarantined=text))
    raise SyncRefused("quarantined", QUARANTINED, station=code, why=text)


def _import_up(
    db: Database, header: dict, body: dict, data: bytes, name: str, actor: Actor | None, held_id: uuid.UUID | None = None
) -> Result:
    station_id = uuid.UUID(header["station_id"])
    code = header.get("station_code", "")
    units = _check_units(header, body, name)
    with db.read() as s:
        peer = s.get(SyncPeer, station_id)
        if peer.quarantined:
            raise SyncRefused("quarantined", QUARANTINED, station=code, why=peer.quarantined)
        applied_seq, applied_hash = peer.in_seq, peer.in_hash
        known = _applied_hashes(s, station_id, header["first_seq"], applied_seq)
    problem = _chain_problem(header, units, known, applied_seq, applied_hash)
    if problem is not None:
        _quarantine(db, station_id, header, data, problem[0], problem[1], code)
    if header["last_seq"] <= applied_seq:
        _confirm_downlink(db, station_id, header, held_id)
        return Result("duplicate", DUPLICATE, {"name": name})
    if header["first_seq"] > applied_seq + 1:
        with db.write() as s:
            held = s.scalar(
                select(SyncHeld.id).where(
                    SyncHeld.station_id == station_id,
                    SyncHeld.kind == "pending",
                    SyncHeld.first_seq == header["first_seq"],
                    SyncHeld.last_seq == header["last_seq"],
                )
            )
            if held is None:
                _keep(s, station_id, header, data, "gap")
        return _held(name, header, applied_seq)
    new_units = [u for u in units if u["seq"] > applied_seq]
    result, held_waiting = _apply_up(db, header, new_units, name, actor, held_id)
    if held_waiting:  # seen in the apply's own transaction: no read of its own when nothing is held
        apply_received(db, station_id, actor)
    return result


def _applied_hashes(s: Session, station_id: uuid.UUID, first: int, last: int) -> dict[int, str]:
    """seq -> hash of the station's units from `first` to `last` the centre has applied."""
    if first > last:
        return {}
    return dict(
        s.execute(
            select(SyncApplied.seq, SyncApplied.hash).where(
                SyncApplied.station_id == station_id, SyncApplied.seq >= first, SyncApplied.seq <= last
            )
        ).all()
    )


def _chain_problem(header: dict, units: list[dict], known: dict[int, str], end_seq: int, end_hash: str) -> tuple | None:
    """Whether an uplink bundle fits the chain the centre holds of its station (`known`: hashes of
    units it has; `end_seq`, `end_hash`: where the chain ends): a unit it has with other content (the
    station re-used numbers) or a bundle that starts right after the end from another hash (it
    diverged) gives (message, params) for a quarantine; None when it fits."""
    for u in units:
        if known.get(u["seq"]) not in (None, u["hash"]):
            return REUSED, {"seq": u["seq"]}
    if header["first_seq"] == end_seq + 1 and header["prev_hash"] != end_hash:
        return DIVERGED, {"seq": header["first_seq"]}
    return None


def _keep(s: Session, station_id: uuid.UUID, header: dict, data: bytes, reason: str) -> None:
    """An uplink bundle kept to be applied in its turn: after a gap, or received over the network."""
    s.add(
        SyncHeld(
            station_id=station_id, kind="pending", first_seq=header["first_seq"], last_seq=header["last_seq"], reason=reason, bundle=data
        )
    )


def _held(name: str, header: dict, have: int) -> Result:
    """The result for a bundle kept after a gap: the centre has units up to `have`."""
    missing = f"{have + 1}–{header['first_seq'] - 1}"
    return Result("held", HELD, {"name": name, "first": header["first_seq"], "missing": missing})


def _held_header(data: bytes) -> dict:
    """The header of a kept bundle (checked when it was received; its checksums again here)."""
    return bundle.parse(bytes(data))[0]


def receive_in(s: Session, header: dict, body: dict, data: bytes, name: str) -> tuple[Result | None, tuple[int, str], tuple | None]:
    """The network service's uplink: the bundle (already read: signature, station, its rows its own)
    checked against what the centre holds of the station and kept, to be applied right after the
    answer (apply_received). The station's units are safe at the centre once kept: the answer
    confirms them, and the station may drop them. Returns the result, (seq, hash) of the station's
    units the centre now holds, applied or kept (for the answer's confirmation), and a problem.

    The checks are those of an import (_import_up) against the chain the centre holds: applied units,
    then the kept bundles that continue them. Units form a hash chain, so a unit with the hash the
    centre holds at its number means every earlier unit matches too. docs/SYNC.md, "Received, then
    applied".

    In the caller's unit of work `s` (the service makes the answer in the same one). A station that
    re-used numbers or diverged: no result, and the problem (message, params) for `quarantine`,
    which the caller runs once `s` is rolled back."""
    station_id = uuid.UUID(header["station_id"])
    code = header.get("station_code", "")
    units = _check_units(header, body, name)
    result = None
    peer = s.execute(select(SyncPeer).where(SyncPeer.station_id == station_id).with_for_update()).scalar_one()
    if peer.quarantined:
        raise SyncRefused("quarantined", QUARANTINED, station=code, why=peer.quarantined)
    held_seq, held_hash = peer.in_seq, peer.in_hash
    kept = s.execute(
        select(SyncHeld.first_seq, SyncHeld.last_seq, SyncHeld.bundle)
        .where(SyncHeld.station_id == station_id, SyncHeld.kind == "pending", SyncHeld.last_seq > peer.in_seq)
        .order_by(SyncHeld.first_seq)
    ).all()
    for first, last, blob in kept:
        if first <= held_seq + 1 and last > held_seq:
            held_seq, held_hash = last, _held_header(blob)["last_hash"]
    known = _applied_hashes(s, station_id, header["first_seq"], peer.in_seq)
    if held_seq > peer.in_seq:
        known[held_seq] = held_hash
    problem = _chain_problem(header, units, known, held_seq, held_hash)
    if problem is None:
        down = int(header.get("down_applied") or 0)
        if down > peer.acked_seq:
            peer.acked_seq = down
        if header["last_seq"] <= held_seq:
            result = Result("duplicate", DUPLICATE, {"name": name})
        elif header["first_seq"] > held_seq + 1:
            if not any(first == header["first_seq"] and last == header["last_seq"] for first, last, _ in kept):
                _keep(s, station_id, header, data, "gap")
            result = _held(name, header, held_seq)
        else:
            _keep(s, station_id, header, data, "received")
            new = [u for u in units if u["seq"] > held_seq]
            rows = sum(len(u[PARSED]) if u.get(PARSED) is not None else len(json.loads(u["payload"])["changes"]) for u in new)
            result = Result("received", RECEIVED, {"name": name, "units": len(new), "rows": rows}, len(new), rows)
            held_seq, held_hash = header["last_seq"], header["last_hash"]
    if problem is not None:
        return None, (held_seq, held_hash), problem
    return result, (held_seq, held_hash), None


def quarantine(db: Database, header: dict, data: bytes, problem: tuple) -> None:
    """The bundle kept for a supervisor and its station quarantined (receive_in's problem); raises."""
    _quarantine(db, uuid.UUID(header["station_id"]), header, data, problem[0], problem[1], header.get("station_code", ""))


def apply_received(db: Database, station_id: uuid.UUID, actor: Actor | None = None) -> int:
    """The station's kept bundles whose turn has come, applied one after the other, each in one
    transaction with the removal of the row it was kept in (a crash in between applies it at the next
    try, once). Returns how many were taken."""
    taken = 0
    while True:
        with db.read() as s:
            applied = s.scalar(select(SyncPeer.in_seq).where(SyncPeer.station_id == station_id))
            held = s.execute(
                select(SyncHeld.id, SyncHeld.bundle)
                .where(SyncHeld.station_id == station_id, SyncHeld.kind == "pending", SyncHeld.first_seq <= applied + 1)
                .order_by(SyncHeld.first_seq)
                .limit(1)
            ).first()
        if held is None:
            return taken
        taken += 1
        try:
            import_bytes(db, bytes(held[1]), "received", actor, held_id=held[0])
        except SyncRefused:  # quarantined (kept as such, the station told at its next exchange) or refused
            with db.write() as s:
                s.execute(delete(SyncHeld).where(SyncHeld.id == held[0]))


def stations_to_apply(db: Database) -> list[uuid.UUID]:
    """Stations with kept bundles whose turn has come (the service applies them at its start)."""
    with db.read() as s:
        return list(
            s.scalars(
                select(SyncHeld.station_id)
                .join(SyncPeer, SyncPeer.station_id == SyncHeld.station_id)
                .where(SyncHeld.kind == "pending", SyncHeld.first_seq <= SyncPeer.in_seq + 1)
                .distinct()
            )
        )


def _confirm_downlink(db: Database, station_id: uuid.UUID, header: dict, held_id: uuid.UUID | None = None) -> None:
    down = int(header.get("down_applied") or 0)
    with db.write() as s:
        s.execute(update(SyncPeer).where(SyncPeer.station_id == station_id, SyncPeer.acked_seq < down).values(acked_seq=down))
        if held_id is not None:
            s.execute(delete(SyncHeld).where(SyncHeld.id == held_id))


def _apply_up(
    db: Database, header: dict, units: list[dict], name: str, actor: Actor | None, held_id: uuid.UUID | None = None
) -> tuple[Result, bool]:
    """The units applied in one unit of work (with the removal of the row the bundle was kept in);
    and whether bundles of the station are held after a gap."""
    station_id = uuid.UUID(header["station_id"])
    changes = []
    for u in units:
        parsed = u.get(PARSED)  # the network service checked the unit's rows already (links.foreign_row)
        changes.extend(parsed if parsed is not None else json.loads(u["payload"])["changes"])
    with db.write() as s:
        peer = s.execute(select(SyncPeer).where(SyncPeer.station_id == station_id).with_for_update()).scalar_one()
        if held_id is not None:
            s.execute(delete(SyncHeld).where(SyncHeld.id == held_id))
        if peer.in_seq >= units[-1]["seq"]:  # another import got there first
            return Result("duplicate", DUPLICATE, {"name": name}), False
        stats = apply_changes(s, changes, station_id, at_centre=True, name=name)
        applied = [{"station_id": station_id, "seq": u["seq"], "hash": u["hash"]} for u in units]
        if s.get_bind().dialect.name == "postgresql":
            _copy_insert(s, SyncApplied.__table__, 'station_id", "seq', applied)
        else:
            s.execute(insert(SyncApplied.__table__), applied)
        peer.in_seq, peer.in_hash = units[-1]["seq"], units[-1]["hash"]
        down = int(header.get("down_applied") or 0)
        if down > peer.acked_seq:
            peer.acked_seq = down
        peer.last_import_at = utcnow()
        audit.record(
            s,
            actor,
            "import",
            "sync_bundle",
            header["station_id"],
            after={
                "station": header.get("station_code"),
                "first": units[0]["seq"],
                "last": units[-1]["seq"],
                "rows": stats["rows"],
                "conflicts": stats["conflicts"],
            },
        )
        held_waiting = s.scalar(_held_waiting_query(), {"station": station_id}) is not None
    result = Result(
        "applied",
        APPLIED,
        {"units": len(units), "rows": stats["rows"], "conflicts": stats["conflicts"], "name": name},
        len(units),
        stats["rows"],
        stats["conflicts"],
    )
    return result, held_waiting


@lru_cache(maxsize=1)
def _held_waiting_query():
    return select(SyncHeld.id).where(SyncHeld.station_id == bindparam("station"), SyncHeld.kind == "pending").limit(1)


def _import_down(db: Database, header: dict, body: dict, name: str, actor: Actor | None) -> Result:
    with db.write() as s:
        s.info["sync"] = None  # what the centre sends is not sent back
        rows, ack = _import_down_in(s, require(s, "station"), header, body, name)
    from app.services.sync import files

    files.write(body.get("files") or [])  # the centre's calendar and time-limit files, after the rows
    return Result("applied", APPLIED_DOWN, {"rows": rows, "ack": ack}, rows=rows)


def import_answer(db: Database, data: bytes, name: str) -> Result:
    """A station: the centre's answer to its network exchange, checked and applied in one unit of
    work, which also stamps the export (the uplink reached the centre: the status bar's last
    exchange; a request that fails stamps nothing). docs/SYNC.md, The station's side."""
    with db.write() as s:
        s.info["sync"] = None  # what the centre sends is not sent back
        ident = require(s, "station")
        header, body = read_bundle(s, data, name, ident)
        rows, ack = _import_down_in(s, ident, header, body, name, exported=True)
    from app.services.sync import files

    files.write(body.get("files") or [])  # the centre's calendar and time-limit files, after the rows
    return Result("applied", APPLIED_DOWN, {"rows": rows, "ack": ack}, rows=rows)


def _import_down_in(s: Session, ident: SyncIdentity, header: dict, body: dict, name: str, exported: bool = False) -> tuple[int, int]:
    """The centre's answer applied in `s`: (rows applied, units acknowledged)."""
    ack, ack_hash = int(header.get("ack_seq") or 0), header.get("ack_hash") or GENESIS
    peer = s.execute(select(SyncPeer).where(SyncPeer.station_id == ident.station_id).with_for_update()).scalar_one()
    if ack > peer.acked_seq:
        if ack > peer.out_seq:
            raise SyncRefused("ack_mismatch", ACK_MISMATCH, name=name, seq=ack)
        mine = s.scalar(select(SyncOutbox.hash).where(SyncOutbox.station_id == ident.station_id, SyncOutbox.seq == ack))
        if mine is not None and mine != ack_hash:
            raise SyncRefused("ack_mismatch", ACK_MISMATCH, name=name, seq=ack)
        peer.acked_seq, peer.acked_hash = ack, ack_hash
        s.execute(  # the outbox's rows are never loaded as objects: nothing in the session to keep in step
            delete(SyncOutbox).where(SyncOutbox.station_id == ident.station_id, SyncOutbox.seq <= ack),
            execution_options={"synchronize_session": False},
        )
    rows = 0
    if header["last_seq"] > peer.in_seq and header["first_seq"] <= peer.in_seq + 1:
        changes = [c for u in body.get("units", []) if u["seq"] > peer.in_seq for c in u["changes"]]
        stats = apply_changes(s, changes, ident.centre_id, at_centre=False, name=name, local_station=ident.station_id)
        rows = stats["rows"]
        peer.in_seq = header["last_seq"]
    peer.last_import_at = utcnow()
    if exported:
        peer.last_export_at = peer.last_import_at
    return rows, ack


# ---------------------------------------------------------------- applying changes


def _dialect_insert(s: Session):
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as ins
    else:
        from sqlalchemy.dialects.sqlite import insert as ins
    return ins


def _pending_local_edits(s: Session, station_id: uuid.UUID) -> set:
    """(table, id, column) of customer-file fields this station changed that the centre has not confirmed."""
    out = set()
    for (payload,) in s.execute(select(SyncOutbox.payload).where(SyncOutbox.station_id == station_id)):
        for c in json.loads(payload)["changes"]:
            if c["t"] in CUSTOMER_FILE:
                pk = c["row"].get("id")
                if c["op"] == "i":
                    out.add((c["t"], pk, "*"))
                for col in c.get("before", {}):
                    out.add((c["t"], pk, col))
    return out


def apply_changes(
    s: Session, changes: list[dict], origin: uuid.UUID, at_centre: bool, name: str = "", local_station: uuid.UUID | None = None
) -> dict:
    """Apply changes (in the caller's transaction): inserts by table in foreign-key order, then
    updates in order, then derived state recomputed. At the centre the station's rows go to the
    centre log as they came (tagged with their origin); merges and new facts made here are noted
    by the outbox like any write."""
    info = s.info.get("sync")
    ins = _dialect_insert(s)
    is_pg = s.get_bind().dialect.name == "postgresql"
    order = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
    inserts: dict[str, list[dict]] = defaultdict(list)
    updates: list[dict] = []
    audit_rows: list[dict] = []
    for c in changes:
        if at_centre and c["t"] in DOWN_ONLY:
            continue  # company settings and tariffs are the centre's (the audit HMAC key never goes up)
        if c["op"] == "i":
            if c["t"] == "audit_log":
                if at_centre:
                    audit_rows.append(c)
                continue
            inserts[c["t"]].append(c)
        else:
            updates.append(c)
    bills, accounts, customers = set(), set(), set()
    stats = {"rows": 0, "conflicts": 0}
    merged: set[str] = set()  # tables whose rows met rows already here (PostgreSQL's COPY fell back)
    pending = _pending_local_edits(s, local_station) if (not at_centre and local_station) else set()
    if info is not None:
        info["suspended"] = True
    try:
        for t in sorted(inserts, key=lambda n: order.get(n, 0)):
            table = Base.metadata.tables[t]
            pk = outbox.pk_name(t)
            rows = []
            fill_station = "station_id" in table.c and t != "customers" and at_centre
            if is_pg:
                # PostgreSQL's COPY takes the JSON values as they are (text); unknown columns are
                # ignored, missing ones take their defaults, a station-less row the origin's station.
                rows = [c["row"] for c in inserts[t] if at_centre or (t, c["row"].get(pk), "*") not in pending]
                if at_centre and info is not None:
                    o = str(origin)
                    info["extra"].extend([dict(c, o=o) for c in inserts[t]])
                if rows:
                    defaults = dict(_fill_defaults(t))
                    if not _copy_insert(s, table, pk, rows, defaults, {"station_id": str(origin)} if fill_station else None):
                        merged.add(t)
                    stats["rows"] += len(rows)
                    _touch(t, rows, bills, accounts, customers)
                continue
            for c in inserts[t]:
                # SQLite's driver needs Python values.
                r = outbox.typed(t, c["row"])
                if fill_station and r.get("station_id") is None:
                    r["station_id"] = origin
                if not at_centre and (t, c["row"].get(pk), "*") in pending:
                    continue
                rows.append(r)
                if at_centre and info is not None:
                    info["extra"].append(dict(c, o=str(origin)))
            if not rows:
                continue
            fill = _fill_defaults(t)
            columns = set().union(*(r.keys() for r in rows))
            missing = {c: fill.get(c) for c in fill if c not in columns}
            if missing or any(len(r) != len(columns) for r in rows):
                for r in rows:
                    for col in columns:
                        r.setdefault(col, fill.get(col))
                    r.update({k: v for k, v in missing.items() if k not in r})
            stmt = ins(table).on_conflict_do_nothing(index_elements=[pk])
            for i in range(0, len(rows), 5000):
                s.execute(stmt, rows[i : i + 5000])
            stats["rows"] += len(rows)
            _touch(t, rows, bills, accounts, customers)
        if audit_rows:
            _append_audit(s, audit_rows, origin, name, info)
            stats["rows"] += len(audit_rows)
    finally:
        if info is not None:
            info["suspended"] = False
    for c in updates:
        t = c["t"]
        table = Base.metadata.tables[t]
        pk = outbox.pk_name(t)
        r = outbox.typed(t, c["row"])
        key = r.get(pk)
        current = s.execute(select(table).where(table.c[pk] == key)).mappings().first()
        skip = outbox.derived(t)
        if current is None:
            s.execute(ins(table).on_conflict_do_nothing(index_elements=[pk]), [r])
            stats["rows"] += 1
            _touch(t, [r], bills, accounts, customers)
            continue
        values = {}
        if t in CUSTOMER_FILE and at_centre:
            for col, old in (c.get("before") or {}).items():
                if col in skip or col == pk or col not in table.c:
                    continue
                new, now = c["row"].get(col), outbox.plain(current[col])
                if now == new:
                    continue
                if now == old:
                    values[col] = r[col]
                else:
                    _conflict(s, "field", origin, t, key, col, old, new, now)
                    stats["conflicts"] += 1
        else:
            for col, v in r.items():
                if col in skip or col == pk:
                    continue
                if t == "bills" and col == "status":
                    continue
                if not at_centre and t in CUSTOMER_FILE and (t, c["row"].get(pk), col) in pending:
                    continue
                if outbox.plain(current[col]) != c["row"].get(col):
                    values[col] = v
            if t == "bills" and c["row"].get("status") == "void" and current["status"] != "void":
                values["status"] = "void"
        if values:
            s.execute(update(table).where(table.c[pk] == key).values(**values))
            stats["rows"] += 1
            _touch(t, [dict(current, **values)], bills, accounts, customers)
    since = utcnow()  # entries the recompute makes (a deduction settling a bill again) are newer
    recompute(s, bills, accounts, make_surplus=at_centre, origin=origin)
    _refresh_summaries(s, inserts, updates, bills, accounts, origin, merged if (is_pg and at_centre) else None, since)
    if customers:
        from app.services.customers import reindex_customer

        for cid in customers:
            reindex_customer(s, cid)
    return stats


def _copy_insert(s: Session, table, pk: str, rows: list[dict], defaults: dict | None = None, none_to: dict | None = None) -> bool:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT ... SELECT ... ON CONFLICT
    DO NOTHING, in the caller's transaction (many thousand rows a second; executemany sends one
    statement per row). A column missing from a row takes `defaults`; a None in a column of
    `none_to` takes that value. True when every row went straight in (none was here already)."""
    dialect = s.get_bind().dialect
    cols, specs = _copy_columns(table)
    defaults = defaults or {}
    none_to = none_to or {}
    plan = [(c, kind, binder, defaults.get(c), none_to.get(c)) for c, kind, binder in specs]
    values = []
    for r in rows:
        out = []
        for c, kind, binder, default, instead in plan:
            v = r.get(c, default)
            if v is None:
                v = instead
            elif kind == 1:
                v = binder.process_bind_param(Decimal(v) if isinstance(v, str) else v, dialect)
            elif kind == 2 and isinstance(v, str):
                v = base64.b64decode(v)
            out.append(v)
        values.append(out)
    collist = ", ".join(f'"{c}"' for c in cols)
    cur = s.connection().connection.driver_connection.cursor()
    # Rows new to this store (the usual case) are copied straight in; if any is here already, the
    # copy is undone to its savepoint and the rows go through a temporary table, skipping those.
    import psycopg

    cur.execute("SAVEPOINT sync_copy")
    try:
        with cur.copy(f'COPY "{table.name}" ({collist}) FROM STDIN') as copy:
            for out in values:
                copy.write_row(out)
        cur.execute("RELEASE SAVEPOINT sync_copy")
        return True
    except psycopg.errors.UniqueViolation:
        cur.execute("ROLLBACK TO SAVEPOINT sync_copy")
    tmp = f"_sync_in_{table.name}"
    cur.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{tmp}" (LIKE "{table.name}") ON COMMIT DROP')
    cur.execute(f'TRUNCATE "{tmp}"')
    with cur.copy(f'COPY "{tmp}" ({collist}) FROM STDIN') as copy:
        for out in values:
            copy.write_row(out)
    cur.execute(f'INSERT INTO "{table.name}" ({collist}) SELECT {collist} FROM "{tmp}" ON CONFLICT ("{pk}") DO NOTHING')
    return False


@lru_cache(maxsize=None)
def _copy_columns(table) -> tuple[list, list]:
    """A table's columns for COPY: (names, [(name, kind, binder)]); kind 1 is a scaled number
    (its type's bind processing), 2 binary (base64 in JSON), 0 as it is."""
    from sqlalchemy.types import TypeDecorator

    specs = []
    for c in table.columns:
        if isinstance(c.type, TypeDecorator):
            specs.append((c.name, 1, c.type))
        elif isinstance(c.type, LargeBinary):
            specs.append((c.name, 2, None))
        else:
            specs.append((c.name, 0, None))
    return [c.name for c in table.columns], specs


@lru_cache(maxsize=None)
def _fill_defaults(table_name: str) -> dict:
    """Scalar defaults of a table's columns (for rows written by an older schema that lack them)."""
    out = {}
    for col in Base.metadata.tables[table_name].columns:
        d = col.default
        out[col.name] = d.arg if (d is not None and getattr(d, "is_scalar", False)) else None
    return out


def _uuid(v):
    return uuid.UUID(v) if isinstance(v, str) else v


SUMMARISED = frozenset({"payments", "payment_allocations", "balance_entries", "bills", "bill_lines", "readings", "accounts"})


def _refresh_summaries(
    s: Session, inserts: dict, updates: list[dict], bills: set, accounts: set, origin: uuid.UUID, merged: set | None, since=None
) -> None:
    """The report summaries of what these changes touched (app.services.reports.summaries), in the
    bundle's transaction. At a PostgreSQL centre (`merged`: the tables whose COPY met rows already
    there), facts inserted once are added as deltas under the routes' locks taken shared, so imports
    of stations on shared routes never wait for each other:

    * collections: the bundle's payments;
    * collected: its allocations and prepaid deductions (unless a bill was changed, e.g. voided, or
      the recompute settled a bill again from a deposit);
    * readings: its readings (unless one was corrected).

    Otherwise, and for bills and sales, only the tables a change concerns are recomputed for the
    (route, period) keys touched (the routes and periods of the bills concerned and of the readings;
    a changed account: its routes, old and new, every period), under the routes' locks taken
    exclusive, once, in sorted order. `accounts` (balances) do not enter the summaries."""
    changes = [c for t in SUMMARISED for c in inserts.get(t, ())] + [c for c in updates if c["t"] in SUMMARISED]
    if not changes:
        return
    from datetime import datetime

    from app.kernel.localtime import to_local
    from app.services.reports import summaries

    pg = merged is not None
    delta = pg and "payments" not in merged
    pays, days, meters, read_periods, bill_ids, whole_routes = [], set(), set(), set(), set(bills), set()
    models, new = set(), defaultdict(list)  # new: ids of facts inserted, by table
    for c in changes:  # only the values needed, converted one by one (not every column of every row)
        t, row = c["t"], c["row"]
        if c["op"] == "i" and t in ("payment_allocations", "balance_entries", "readings"):
            new[t].append(_uuid(row["id"]))
        elif c["op"] != "i":
            new["changed:" + t].append(row.get("id"))
        if t == "payments":
            if not row.get("created_at"):
                continue
            at = datetime.fromisoformat(row["created_at"])
            if delta and c["op"] == "i":
                pays.append(
                    {
                        "at": at,
                        "station_id": _uuid(row.get("station_id")) or origin,
                        "clerk_id": _uuid(row["clerk_id"]),
                        "method": row["method"],
                        "amount_fen": int(row["amount_fen"]),
                        "reversal": row.get("kind") == "reversal",
                    }
                )
            else:
                days.add(to_local(at).date())
        elif t == "readings":
            models.add(summaries.ReadingSummary)
            if row.get("meter_id"):
                meters.add(_uuid(row["meter_id"]))
            read_periods.add(row.get("period"))
        elif t == "accounts":
            whole_routes.update(v for v in (row.get("reading_route"), (c.get("before") or {}).get("reading_route")) if v is not None)
            if c["op"] != "i":
                whole_routes.update(s.scalars(select(Account.reading_route).where(Account.id == _uuid(row["id"]))))
        else:
            models.add(summaries.CollectedSummary)
            if t in ("bills", "bill_lines"):
                models.update((summaries.BillSummary, summaries.SalesSummary))
                bill_ids.add(_uuid(row["bill_id"] if t == "bill_lines" else row["id"]))
    routes, periods = set(), set()
    ids = sorted(b for b in bill_ids if b is not None)
    for i in range(0, len(ids), 5000):
        for route, period in s.execute(
            select(Account.reading_route, Bill.period).join(Account, Account.id == Bill.account_id).where(Bill.id.in_(ids[i : i + 5000]))
        ):
            routes.add(route)
            periods.add(period)
    ids = sorted(meters)
    for i in range(0, len(ids), 5000):
        routes.update(
            s.scalars(select(Account.reading_route).join(Meter, Meter.account_id == Account.id).where(Meter.id.in_(ids[i : i + 5000])))
        )
    if None in read_periods:  # a reading without its period: every period of its routes
        whole_routes.update(routes)
    periods.update(p for p in read_periods if p is not None)
    added = set()  # the tables taken as deltas
    if pg and not whole_routes and not (merged & SUMMARISED):
        if summaries.ReadingSummary in models and not new["changed:readings"]:
            added.add(summaries.ReadingSummary)
        changed_bills = any(new["changed:" + t] for t in ("bills", "payment_allocations", "balance_entries"))
        if summaries.CollectedSummary in models and not changed_bills and not _settled_again(s, bills, new["balance_entries"], since):
            added.add(summaries.CollectedSummary)
    recomputed = models - added
    if recomputed or whole_routes:
        summaries.lock_routes(s, {r or "" for r in routes | whole_routes})
    else:
        summaries.lock_routes(s, (), shared={r or "" for r in routes})
    summaries.refresh(s, whole_routes)
    summaries.refresh_keys(s, recomputed, routes - whole_routes, periods)
    if summaries.CollectedSummary in added:
        s.flush()
        summaries.add_collected_of(s, new["payment_allocations"], new["balance_entries"])
    if summaries.ReadingSummary in added:
        s.flush()
        summaries.add_readings_of(s, new["readings"])
    if pays:
        summaries.add_collections(s, pays)
    summaries.refresh_days(s, days)


def _settled_again(s: Session, bills: set, bundle_entries: list, since) -> bool:
    """Whether a prepaid deduction on these bills was written in this transaction besides the
    bundle's own (the recompute settling a bill again from a deposit): then collected is recomputed.
    A deduction another transaction committed meanwhile counts too (recomputing is always right)."""
    ids = [b for b in bills if b is not None]
    if not ids or since is None:
        return since is None and bool(ids)
    from sqlalchemy import Uuid, all_, any_, bindparam
    from sqlalchemy.dialects.postgresql import ARRAY

    q = (
        select(BalanceEntry.id)
        .where(
            BalanceEntry.kind == "deduction",
            BalanceEntry.bill_id == any_(bindparam("bills", type_=ARRAY(Uuid()))),
            BalanceEntry.created_at >= since,
            BalanceEntry.id != all_(bindparam("mine", type_=ARRAY(Uuid()))),
        )
        .limit(1)
    )
    return s.execute(q, {"bills": ids, "mine": list(bundle_entries)}).first() is not None


TOUCHING = frozenset({"bills", "payment_allocations", "balance_entries", "payments", "customers", "accounts"})


def _touch(t: str, rows: list[dict], bills: set, accounts: set, customers: set) -> None:
    """Note the bills, accounts and customers whose derived state or search entries must be redone."""
    if t not in TOUCHING:
        return
    for r in rows:
        r = {k: _uuid(r.get(k)) for k in ("id", "account_id", "bill_id", "customer_id") if k in r}
        if t == "bills":
            bills.add(r["id"])
            accounts.add(r["account_id"])
        elif t in ("payment_allocations", "balance_entries") and r.get("bill_id"):
            bills.add(r["bill_id"])
        if t in ("balance_entries", "payments"):
            accounts.add(r["account_id"])
        if t == "customers":
            customers.add(r["id"])
        elif t == "accounts":
            customers.add(r["customer_id"])
            accounts.add(r["id"])


def _append_audit(s: Session, rows: list[dict], station: uuid.UUID, name: str, info) -> None:
    # Audit entries never go down to another station (NOT_DOWN): they stay out of the centre's log.
    # The hash is checked on the values as they came (ids as text, the time as a datetime); the
    # station of every entry is the bundle's.
    from datetime import datetime

    is_pg = s.get_bind().dialect.name == "postgresql"
    mine = str(station)
    entries = []
    for c in rows:
        r = c["row"]
        if r.get("station_id") != mine:
            continue
        e = dict(r) if is_pg else outbox.typed("audit_log", r)
        if is_pg:
            e["at"] = datetime.fromisoformat(e["at"])
        e.setdefault("station_in_hash", True)
        entries.append(e)
    if entries:
        st = station
        entries.sort(key=lambda e: e["seq"])
        head = audit.lock_head(s, st)
        entries = [e for e in entries if e["seq"] > head.seq]
        problem = audit.verify_segment(entries, head.seq, head.hash, None)
        if problem is not None:
            raise SyncRefused("audit_broken", AUDIT_BROKEN, name=name, station=str(st), seq=problem.seq, why=problem.text())
        if entries and s.get_bind().dialect.name == "postgresql":
            # Checked against the locked head just above: written with COPY, then the head moves on.
            from app.models import AuditEntry, AuditHead

            _copy_insert(s, AuditEntry.__table__, "id", entries)
            s.execute(update(AuditHead).where(AuditHead.station_id == st).values(seq=entries[-1]["seq"], hash=entries[-1]["hash"]))
        else:
            audit.append_segment(s, st, entries)


def _conflict(
    s: Session, kind: str, station: uuid.UUID, entity: str, entity_id, field_name: str, base, station_value, centre_value, detail: str = ""
) -> None:
    no = (s.scalar(select(func.max(SyncConflict.no))) or 0) + 1
    s.add(
        SyncConflict(
            no=no,
            kind=kind,
            station_id=station,
            entity=entity,
            entity_id=str(entity_id),
            field=field_name,
            base_value=json.dumps(base, ensure_ascii=False),
            station_value=json.dumps(station_value, ensure_ascii=False),
            centre_value=json.dumps(centre_value, ensure_ascii=False),
            detail=detail,
        )
    )
    s.flush()


def recompute(s: Session, bill_ids: set, account_ids: set, make_surplus: bool, origin: uuid.UUID | None = None) -> None:
    """A bill's paid amounts and status and an account's balance from the facts. At the centre, a
    bill paid more than once while its stations were apart keeps every payment: the part paid after
    it was settled goes to the account's prepaid balance (a deposit naming the bill and the later
    payment) and the case is flagged for a supervisor."""
    bill_ids = [b for b in bill_ids if b is not None]
    bill_rows, account_rows = [], []
    conn = s.connection()
    pg = conn.dialect.name == "postgresql"
    bill_sums, account_sums = _recompute_queries(pg)
    chunk = 50000 if pg else RECOMPUTE_CHUNK
    for i in range(0, len(bill_ids), chunk):
        # One query per chunk: each bill with the sums of its allocations and balance deductions.
        for b in conn.execute(bill_sums, {"ids": bill_ids[i : i + chunk]}):
            fee = int(b.a_fee or 0) + int(b.l_fee or 0)
            paid = int(b.a_principal or 0) + int(b.l_principal or 0)
            if make_surplus and b.status != "void" and paid > b.amount_fen and not (b.a_lowest is not None and b.a_lowest < 0):
                fee, paid = _surplus(s, b, fee, paid, int(b.l_principal or 0), origin)
                account_ids.add(b.account_id)
            elif make_surplus and b.status != "void" and paid < b.amount_fen and (b.l_principal or 0) < 0 and (b.a_lowest or 0) < 0:
                paid += surplus.settle_again(s, b, b.amount_fen - paid)  # a payment of a bill paid twice reversed
                account_ids.add(b.account_id)
            status = "void" if b.status == "void" else _status(b.amount_fen, paid, fee)
            if (paid, fee, status) != (b.paid_fen, b.late_fee_paid_fen, b.status):
                bill_rows.append({"r_id": b.id, "r_paid": paid, "r_fee": fee, "r_status": status})
    account_ids = [a for a in account_ids if a is not None]
    for i in range(0, len(account_ids), chunk):
        for aid, bal, total in conn.execute(account_sums, {"ids": account_ids[i : i + chunk]}):
            want = int(total or 0)
            if want != bal:
                account_rows.append({"r_id": aid, "r_balance": want})
    if pg:  # one statement per table: the new values as arrays, joined by id
        if bill_rows:
            conn.exec_driver_sql(
                "UPDATE bills SET paid_fen = v.paid, late_fee_paid_fen = v.fee, status = v.status, version = bills.version + 1 "
                "FROM unnest(%(ids)s::uuid[], %(paid)s::bigint[], %(fee)s::bigint[], %(status)s::varchar[]) AS v(id, paid, fee, status) "
                "WHERE bills.id = v.id",
                {
                    "ids": [r["r_id"] for r in bill_rows],
                    "paid": [r["r_paid"] for r in bill_rows],
                    "fee": [r["r_fee"] for r in bill_rows],
                    "status": [r["r_status"] for r in bill_rows],
                },
            )
        if account_rows:
            conn.exec_driver_sql(
                "UPDATE accounts SET balance_fen = v.balance, version = accounts.version + 1 "
                "FROM unnest(%(ids)s::uuid[], %(balance)s::bigint[]) AS v(id, balance) WHERE accounts.id = v.id",
                {"ids": [r["r_id"] for r in account_rows], "balance": [r["r_balance"] for r in account_rows]},
            )
        return
    set_bill, set_balance = _recompute_statements()
    if bill_rows:
        conn.execute(set_bill, bill_rows)
    if account_rows:
        conn.execute(set_balance, account_rows)


RECOMPUTE_CHUNK = 2000


@lru_cache(maxsize=2)
def _recompute_queries(pg: bool):
    """Built once: bills with the sums of their allocations and balance deductions, and accounts
    with the sum of their ledger, for a list of ids (derived state recomputed once per bundle). On
    PostgreSQL the ids go as one array parameter (`= ANY`), elsewhere as an expanded IN list."""
    from sqlalchemy import Uuid, any_, bindparam
    from sqlalchemy.dialects.postgresql import ARRAY

    if pg:
        ids = bindparam("ids", type_=ARRAY(Uuid()))

        def in_ids(col):
            return col == any_(ids)
    else:
        ids = bindparam("ids", expanding=True)

        def in_ids(col):
            return col.in_(ids)

    pa, be = PaymentAllocation.__table__, BalanceEntry.__table__
    allocs = (
        select(
            pa.c.bill_id,
            func.sum(pa.c.late_fee_fen).label("fee"),
            func.sum(pa.c.principal_fen).label("principal"),
            func.min(pa.c.principal_fen).label("lowest"),
        )
        .where(in_ids(pa.c.bill_id))
        .group_by(pa.c.bill_id)
        .subquery()
    )
    ledger = (
        select(be.c.bill_id, func.sum(be.c.late_fee_fen).label("fee"), func.sum(be.c.principal_fen).label("principal"))
        .where(in_ids(be.c.bill_id))
        .group_by(be.c.bill_id)
        .subquery()
    )
    bills = Bill.__table__
    bill_sums = (
        select(
            bills.c.id,
            bills.c.account_id,
            bills.c.amount_fen,
            bills.c.status,
            bills.c.paid_fen,
            bills.c.late_fee_paid_fen,
            bills.c.bill_no,
            allocs.c.fee.label("a_fee"),
            allocs.c.principal.label("a_principal"),
            allocs.c.lowest.label("a_lowest"),
            ledger.c.fee.label("l_fee"),
            ledger.c.principal.label("l_principal"),
        )
        .outerjoin(allocs, allocs.c.bill_id == bills.c.id)
        .outerjoin(ledger, ledger.c.bill_id == bills.c.id)
        .where(in_ids(bills.c.id))
    )
    totals = (
        select(be.c.account_id, func.sum(be.c.amount_fen).label("total"))
        .where(in_ids(be.c.account_id))
        .group_by(be.c.account_id)
        .subquery()
    )
    accounts = Account.__table__
    account_sums = (
        select(accounts.c.id, accounts.c.balance_fen, totals.c.total)
        .outerjoin(totals, totals.c.account_id == accounts.c.id)
        .where(in_ids(accounts.c.id))
    )
    return bill_sums, account_sums


def _surplus(s: Session, b, fee: int, paid: int, ledger_principal: int, origin) -> tuple[int, int]:
    """A bill paid more than its amount (at two places while apart): the part paid after it was
    settled, taken in time order, goes to the prepaid balance and the case is flagged."""
    allocs = list(
        s.execute(
            select(PaymentAllocation.payment_id, PaymentAllocation.late_fee_fen, PaymentAllocation.principal_fen)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.bill_id == b.id)
            .order_by(Payment.created_at, Payment.receipt_no)
        )
    )
    surplus_fee, surplus_principal, running, later = 0, 0, ledger_principal, None
    for pid, a_fee, a_principal in allocs:
        need = b.amount_fen - running
        if need <= 0:
            surplus_fee += a_fee
            surplus_principal += a_principal
            later = pid
        elif a_principal > need:
            surplus_principal += a_principal - need
            later = pid
        running += a_principal
    surplus_principal = min(surplus_principal, paid - b.amount_fen)
    if surplus_principal > 0:
        _credit_surplus(s, b, later, surplus_fee, surplus_principal, origin)
        fee -= surplus_fee
        paid -= surplus_principal
    return fee, paid


@lru_cache(maxsize=1)
def _recompute_statements():
    """Derived state written back, built once, for executemany on the connection."""
    from sqlalchemy import bindparam

    bills, accounts = Bill.__table__, Account.__table__
    set_bill = (
        update(bills)
        .where(bills.c.id == bindparam("r_id"))
        .values(
            paid_fen=bindparam("r_paid"), late_fee_paid_fen=bindparam("r_fee"), status=bindparam("r_status"), version=bills.c.version + 1
        )
    )
    set_balance = (
        update(accounts)
        .where(accounts.c.id == bindparam("r_id"))
        .values(balance_fen=bindparam("r_balance"), version=accounts.c.version + 1)
    )
    return set_bill, set_balance


def _status(amount: int, paid: int, fee: int) -> str:
    if paid <= 0 and fee <= 0:
        return "unpaid"
    return "paid" if paid >= amount else "partly_paid"


def _credit_surplus(s: Session, bill, payment_id, fee: int, principal: int, origin) -> None:
    total = fee + principal
    balance = int(
        s.scalar(select(func.coalesce(func.sum(BalanceEntry.amount_fen), 0)).where(BalanceEntry.account_id == bill.account_id)) or 0
    )
    s.execute(
        insert(BalanceEntry.__table__).values(
            id=new_id(),
            account_id=bill.account_id,
            kind="deposit",
            amount_fen=total,
            balance_after_fen=balance + total,
            bill_id=bill.id,
            payment_id=payment_id,
            late_fee_fen=-fee,
            principal_fen=-principal,
            clerk_id=None,
            created_at=utcnow(),
        )
    )
    _conflict(
        s,
        "double_payment",
        origin,
        "bills",
        bill.id,
        "",
        "",
        "",
        "",
        detail=json.dumps({"bill_no": bill.bill_no, "surplus_fen": total, "payment_id": str(payment_id)}),
    )
