"""The hash-chained audit log, one chain per station: append in the caller's transaction, verify.

Each station's entries are numbered 1, 2, 3 ... (`seq`, unique with `station_id`) and each entry's
hash covers its content and the hash of the station's previous entry. `audit_head` keeps, per
station, the last seq and hash; a writer locks its own station's head row until commit, so the
stations of a centre never wait for each other, and a station's chain can be carried to the centre
and checked there as it is (verify_segment / append_segment) without re-hashing anything.
docs/SECURITY.md, "The audit log", has the rules.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Iterator

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.db.bulk import insert_rows
from app.db.together import execute_together
from app.kernel.context import Actor
from app.kernel.ids import new_ids
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import AuditEntry, AuditHead, utcnow

GENESIS = "0" * 64
NO_STATION = uuid.UUID(int=0)  # the chain of entries written with no actor (the store's own)


def _plain(value: Any) -> Any:
    t = type(value)
    if t is str or t is int or t is bool or value is None:  # the common values, first
        return value
    if t is Decimal or t is uuid.UUID:
        return str(value)
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":")) with its encoder built once.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_json(data: Any) -> str:
    if data is None or data == "":
        return ""
    return _JSON.encode(_plain(data))


def hash_of(
    seq: int,
    at: datetime,
    station_id: Any,
    clerk_id: Any,
    action: str,
    entity: str,
    entity_id: str,
    before: str,
    after: str,
    prev_hash: str,
) -> str:
    """The hash of one entry from its values (the same for entries written before chains were per
    station: those kept their seq and station, so their hashes still hold)."""
    payload = "\x1f".join(
        [str(seq), at.isoformat(), str(station_id or ""), str(clerk_id or ""), action, entity, entity_id, before, after, prev_hash]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_hash(e: AuditEntry) -> str:
    station = e.station_id if e.station_in_hash is not False else None
    return hash_of(e.seq, e.at, station, e.clerk_id, e.action, e.entity, e.entity_id, e.before, e.after, e.prev_hash)


def _hash_values(e: dict) -> str:
    station = e["station_id"] if e.get("station_in_hash", True) else None
    return hash_of(
        e["seq"], e["at"], station, e["clerk_id"], e["action"], e["entity"], e["entity_id"], e["before"], e["after"], e["prev_hash"]
    )


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: Any = "",
    before: Any = None,
    after: Any = None,
    with_writes: tuple = (),
    head: Head | None = None,
) -> None:
    """Append one entry to the actor's station's chain in the current transaction; that station's
    head row lock serialises its writers. `with_writes` ((statement, parameters) pairs) are sent in
    the same round trip where the server allows it, and `head` is the head its caller has locked
    already (numbering.next_value): for a caller that holds another lock until commit (a receipt
    number)."""
    record_many(session, actor, [(action, entity, entity_id, before, after)], with_writes, head)


@dataclass(frozen=True)
class Head:
    """A station's chain head as locked for appending: the last entry's number and hash."""

    station_id: uuid.UUID
    seq: int
    hash: str


@lru_cache(maxsize=1)
def _lock_statement():
    heads = AuditHead.__table__
    return select(heads.c.seq, heads.c.hash).where(heads.c.station_id == bindparam("station_id")).with_for_update()


def lock_head(session: Session, station_id: uuid.UUID) -> Head:
    """Lock the station's head until commit (every writer of the station appends through it, so its
    entries form one chain). A station that has no chain yet gets its head row here."""
    row = session.execute(_lock_statement(), {"station_id": station_id}).first()
    if row is None:
        _create_head(session, station_id)
        row = session.execute(_lock_statement(), {"station_id": station_id}).one()
    return Head(station_id, row[0], row[1])


def _create_head(session: Session, station_id: uuid.UUID) -> None:
    """The head row of a station's new chain (seq 0, the genesis hash); a no-op when another
    writer created it first (it then waits for that writer's commit on the lock that follows)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    session.execute(
        dialect_insert(AuditHead.__table__)
        .values(station_id=station_id, seq=0, hash=GENESIS)
        .on_conflict_do_nothing(index_elements=["station_id"])
    )


def station_of(actor: Actor | None, station_id: uuid.UUID | None = None) -> uuid.UUID:
    """The chain an entry joins: the given station, else the actor's, else the store's own chain
    (NO_STATION: shipped tariffs imported on a store's first use, with no one logged in)."""
    return station_id or (actor.station_id if actor else None) or NO_STATION


COLUMNS = (
    "id",
    "seq",
    "at",
    "station_id",
    "clerk_id",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
    "hash",
    "station_in_hash",
)


@lru_cache(maxsize=1)
def _append_one():
    """One entry's insert and the head's move, built once, with bind parameters named a_*."""
    entries, heads = AuditEntry.__table__, AuditHead.__table__
    insert_entry = insert(entries).values({c: bindparam(f"a_{c}") for c in COLUMNS})
    move_head = (
        update(heads)
        .where(heads.c.station_id == bindparam("a_head_station"))
        .values(seq=bindparam("a_head_seq"), hash=bindparam("a_head_hash"))
    )
    return insert_entry, move_head


def render(session: Session, items: list[tuple[str, str, Any, Any, Any]]) -> list[tuple[str, str, str, str, str]]:
    """Entries (action, entity, entity_id, before, after) as they are stored and hashed: the key as
    text and before/after as JSON text, personal numbers masked (_Keyed). Rendering needs no lock,
    so a batch can render its entries elsewhere (issuing: app.services.billing.issuing) and only
    append them under the head's lock."""
    keyed = _Keyed(session)
    return [
        (action, entity, str(entity_id or ""), to_json(keyed.protect(before)), to_json(keyed.protect(after)))
        for action, entity, entity_id, before, after in items
    ]


def record_many(
    session: Session,
    actor: Actor | None,
    items: list[tuple[str, str, Any, Any, Any]],
    with_writes: tuple = (),
    head: Head | None = None,
    station_id: uuid.UUID | None = None,
) -> int:
    """Append entries (action, entity, entity_id, before, after) in order to the chain of the actor's
    station (or `station_id`) under its head row lock.

    Core statements (lock, insert, move the head), no ORM objects: the head stays locked until
    the caller commits, so the fewer and cheaper the statements after it, the better. `with_writes`
    are (statement, parameters) pairs for app.db.together.execute_together."""
    if not items:
        return 0
    return append_rendered(session, actor, render(session, items), with_writes, head, station_id)


def append_rendered(
    session: Session,
    actor: Actor | None,
    rendered: list[tuple[str, str, str, str, str]],
    with_writes: tuple = (),
    head: Head | None = None,
    station_id: uuid.UUID | None = None,
) -> int:
    """record_many of entries render() made: numbered, chained and written under the head's lock."""
    if not rendered:
        return 0
    station = station_of(actor, station_id)
    if head is None:
        head = lock_head(session, station)
    elif head.station_id != station:
        raise ValueError("the locked head is another station's")
    at = utcnow()
    clerk = actor.clerk_id if actor else None
    rows = [
        {
            "id": entry_id,
            "seq": seq,
            "at": at,
            "station_id": station,
            "clerk_id": clerk,
            "action": action,
            "entity": entity,
            "entity_id": eid,
            "before": before_text,
            "after": after_text,
            "prev_hash": prev,
            "hash": digest,
            "station_in_hash": True,
        }
        for entry_id, (seq, prev, digest, (action, entity, eid, before_text, after_text)) in zip(
            new_ids(len(rendered)), _chained(head, at, station, clerk, rendered)
        )
    ]
    seq, prev = rows[-1]["seq"], rows[-1]["hash"]
    if len(rows) == 1:  # while the head is locked, everything in one round trip where the server allows
        insert_entry, move_head = _append_one()
        execute_together(
            session,
            *with_writes,
            (move_head, {"a_head_station": station, "a_head_seq": seq, "a_head_hash": prev}),
            (insert_entry, {f"a_{c}": v for c, v in rows[0].items()}),
        )
    else:
        for stmt, params in with_writes:
            session.execute(stmt, params)
        heads = AuditHead.__table__
        insert_rows(session, AuditEntry.__table__, rows)  # stored form, one executemany (app.db.bulk)
        session.execute(update(heads).where(heads.c.station_id == station).values(seq=seq, hash=prev))
    return len(rows)


@dataclass
class Prepared:
    """Entries render() made, with everything but their place in the chain (seq, prev_hash, hash) in
    the form SQLite stores: the keys' hex, the time, the station and clerk. Made where the entries
    are computed (issuing's worker processes, app.services.billing.issuing); append_prepared_sqlite
    numbers and chains them under the head's lock, which costs the writer a hash and a tuple each."""

    station: uuid.UUID
    clerk: uuid.UUID | None
    at: datetime
    ids: list[str]
    rendered: list[tuple[str, str, str, str, str]]


def prepare(actor: Actor | None, rendered: list[tuple[str, str, str, str, str]], station_id: uuid.UUID | None = None) -> Prepared:
    return Prepared(
        station_of(actor, station_id), actor.clerk_id if actor else None, utcnow(), [u.hex for u in new_ids(len(rendered))], rendered
    )


_INSERT_PREPARED_SQLITE = (
    'INSERT INTO audit_log (id, seq, "at", station_id, clerk_id, "action", entity, entity_id, "before", "after", prev_hash, hash,'
    " station_in_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
)


def append_prepared_sqlite(session: Session, prepared: Prepared) -> int:
    """append_rendered of prepared entries on SQLite, on a store that does not sync (the rows are not
    noted for an outbox): the same seq, hash and stored values (the time as SQLAlchemy stores a naive
    datetime, the keys as their hex; tests/test_billing_issue_batch.py verifies the chain)."""
    if not prepared.rendered:
        return 0
    station, clerk, at = prepared.station, prepared.clerk, prepared.at
    at_text, station_hex, clerk_hex = at.isoformat(" ", "microseconds"), station.hex, clerk.hex if clerk else None
    rows = [
        (entry_id, seq, at_text, station_hex, clerk_hex, action, entity, eid, before_text, after_text, prev, digest)
        for entry_id, (seq, prev, digest, (action, entity, eid, before_text, after_text)) in zip(
            prepared.ids, _chained(lock_head(session, station), at, station, clerk, prepared.rendered)
        )
    ]
    session.flush()
    session.connection().exec_driver_sql(_INSERT_PREPARED_SQLITE, rows)
    heads = AuditHead.__table__
    session.execute(update(heads).where(heads.c.station_id == station).values(seq=rows[-1][1], hash=rows[-1][-1]))
    return len(rows)


def _chained(head: Head, at: datetime, station, clerk, rendered: list) -> Iterator[tuple[int, str, str, tuple]]:
    """(seq, prev_hash, hash, entry) of rendered entries appended after `head`: hash_of's payload,
    with the parts every entry of the call shares (time, station, clerk) joined once."""
    seq, prev = head.seq, head.hash
    shared = "\x1f".join([at.isoformat(), str(station or ""), str(clerk or "")])
    sha256 = hashlib.sha256
    for entry in rendered:
        seq += 1
        action, entity, eid, before_text, after_text = entry
        digest = sha256("\x1f".join([str(seq), shared, action, entity, eid, before_text, after_text, prev]).encode("utf-8")).hexdigest()
        yield seq, prev, digest, entry
        prev = digest


# --- personal numbers: masked, with a keyed hash -------------------------------------------------

SENSITIVE = {"id_number": "id", "phone": "phone", "phone2": "phone"}  # keys of before/after kept masked
KEY_SETTING = "audit.hmac_key"


class _Keyed:
    """Masks ID and phone numbers in an entry's before/after and adds `<key>_hmac`, an HMAC-SHA256 of the
    full value under the store's secret key: the log never holds the number, yet whoever holds the key
    can prove which number it was (`proves`). The key is read (and made, on first need) only when an
    entry carries such a value."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.key: bytes | None = None

    def protect(self, data: Any) -> Any:
        if not isinstance(data, dict) or not any(data.get(k) for k in SENSITIVE):
            return data
        from app.kernel.masking import mask_id, mask_phone

        out = dict(data)
        for name, kind in SENSITIVE.items():
            value = out.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            if self.key is None:
                self.key = hmac_key(self.session)
            out[name] = mask_id(value) if kind == "id" else mask_phone(value)
            out[f"{name}_hmac"] = keyed_hash(self.key, value)
        return out


def keyed_hash(key: bytes, value: str) -> str:
    import hmac

    return hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def hmac_key(session: Session) -> bytes:
    """The store's secret for keyed hashes of personal numbers (a settings row; made once, never shown)."""
    import secrets

    from app.models import Setting

    value = session.scalar(select(Setting.value).where(Setting.key == KEY_SETTING))
    if value is None:
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        session.execute(
            dialect_insert(Setting.__table__)
            .values(key=KEY_SETTING, value=json.dumps(secrets.token_hex(32)))
            .on_conflict_do_nothing(index_elements=["key"])
        )
        value = session.scalar(select(Setting.value).where(Setting.key == KEY_SETTING))
    return bytes.fromhex(json.loads(value))


def proves(session: Session, value: str, digest: str) -> bool:
    """Is `digest` (an entry's `<key>_hmac`) the keyed hash of `value`? Shows which number it was."""
    import hmac

    value_digest = keyed_hash(hmac_key(session), value)
    return hmac.compare_digest(value_digest, (digest or "").lower())


def heads(session: Session) -> list[Head]:
    """Every station's head as stored (what shift reports and backups print as anchors)."""
    return [Head(*r) for r in session.execute(select(AuditHead.station_id, AuditHead.seq, AuditHead.hash).order_by(AuditHead.station_id))]


def head_of(session: Session, station_id: uuid.UUID) -> Head:
    """One station's head as stored (seq 0 and the genesis hash for a station without entries)."""
    row = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.station_id == station_id)).first()
    return Head(station_id, *(row or (0, GENESIS)))


# --- verification -------------------------------------------------------------------------------

MISSING = QT_TRANSLATE_NOOP("messages", "entry {seq} is missing")
LINK = QT_TRANSLATE_NOOP("messages", "the link to the previous entry is broken")
CONTENT = QT_TRANSLATE_NOOP("messages", "the content does not match its hash")
CUT = QT_TRANSLATE_NOOP("messages", "entries after entry {seq} are missing (the head says {head})")
NO_HEAD = QT_TRANSLATE_NOOP("messages", "the chain has entries but no head")
UNREADABLE = QT_TRANSLATE_NOOP("messages", "the entry cannot be read (damaged {column})")
FILE_DAMAGED = QT_TRANSLATE_NOOP("messages", "the store's file is damaged where the log is kept ({reason})")


@dataclass
class Problem:
    """One thing that does not hold: where (station, entry or record) and why (a "messages" text
    with {parameters})."""

    message: str
    params: dict = field(default_factory=dict)
    station_id: str | None = None
    station_code: str | None = None
    seq: int | None = None
    entry_id: str | None = None
    kind: str = "chain"  # chain | anchor | records | store

    def text(self, translate=None) -> str:
        if translate is None:
            return self.message.format(**self.params)
        params = {k: translate("messages", v) if isinstance(v, str) and v in WORDS else v for k, v in self.params.items()}
        return translate("messages", self.message).format(**params)


WORDS: set[str] = set()  # parameter values that are words of the "messages" context (what, field ...), translated too


@dataclass
class Chain:
    """One station's chain as walked: entries that hold, and the head they end in."""

    station_id: str
    station_code: str
    checked: int = 0
    seq: int = 0
    hash: str = GENESIS
    stored_seq: int | None = None  # the head row's
    stored_hash: str | None = None
    problem: Problem | None = None


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    first_broken_id: str | None = None
    reason: str = ""
    station_id: str | None = None
    station_code: str | None = None
    chains: list[Chain] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Damaged(Exception):
    def __init__(self, column: str) -> None:
        super().__init__(column)
        self.column = column


_TEXT = ("action", "entity", "entity_id", "before", "after", "prev_hash", "hash")
_READ = (
    "seq",
    "at",
    "station_id",
    "clerk_id",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
    "hash",
    "station_in_hash",
    "id",
)


def _decoder(dialect):
    """Turns one raw row (as the driver gives it, text as bytes on SQLite) into the entry's values,
    or raises _Damaged naming the first column that cannot be read."""
    table = AuditEntry.__table__
    processors = [table.c[c].type.dialect_impl(dialect).result_processor(dialect, None) for c in _READ]

    def decode(raw) -> dict:
        values = {}
        for name, value, process in zip(_READ, raw, processors):
            try:
                if isinstance(value, (bytes, memoryview)):
                    value = bytes(value).decode("utf-8")
                if process is not None and value is not None:
                    value = process(value)
            except Exception as exc:  # noqa: BLE001  (any failure to read a value is damage)
                raise _Damaged(name) from exc
            values[name] = value
        if not isinstance(values["seq"], int) or isinstance(values["seq"], bool):
            raise _Damaged("seq")
        if not isinstance(values["at"], datetime):
            raise _Damaged("at")
        if not isinstance(values["station_id"], uuid.UUID):
            raise _Damaged("station_id")
        if values["clerk_id"] is not None and not isinstance(values["clerk_id"], uuid.UUID):
            raise _Damaged("clerk_id")
        for name in _TEXT:
            if not isinstance(values[name], str):
                raise _Damaged(name)
        if values["station_in_hash"] not in (True, False, 0, 1):
            raise _Damaged("station_in_hash")
        values["station_in_hash"] = bool(values["station_in_hash"])
        return values

    return decode


def _raw_rows(session: Session, station_id: uuid.UUID | None) -> Iterator[tuple]:
    """(rowid or None, raw values...) of the entries, by station and seq, read without the ORM so
    that one damaged value cannot stop the walk. On SQLite text comes as bytes (a bit flip can
    make it invalid UTF-8, which the driver would refuse for the whole query)."""
    conn = session.connection()
    dialect = conn.dialect
    cols = ", ".join(f'"{c}"' for c in _READ)
    where = ""
    params: dict = {}
    if station_id is not None:
        where = " WHERE station_id = :station_id"
        params["station_id"] = station_id.hex if dialect.name == "sqlite" else station_id  # Uuid is 32 hex digits on SQLite
    if dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        old = raw.text_factory
        raw.text_factory = bytes
        try:
            cur = raw.cursor()
            cur.execute(
                f"SELECT rowid, {cols} FROM audit_log{where.replace(':station_id', '?')} ORDER BY station_id, seq", tuple(params.values())
            )
            while batch := cur.fetchmany(2000):
                yield from batch
            cur.close()
        finally:
            raw.text_factory = old
    else:
        from sqlalchemy import text

        result = conn.execution_options(yield_per=2000).execute(
            text(f"SELECT NULL, {cols} FROM audit_log{where} ORDER BY station_id, seq"), params
        )
        yield from result


NO_STATION_CODE = "-"


def _station_codes(session: Session) -> dict[str, str]:
    from app.models import Station

    try:
        codes = {str(i): c for i, c in session.execute(select(Station.id, Station.code))}
    except Exception:  # noqa: BLE001  (a damaged stations table: name stations by id)
        codes = {}
    codes[str(NO_STATION)] = NO_STATION_CODE
    return codes


def verify(session: Session, station_id: uuid.UUID | None = None) -> VerifyResult:
    """Walk every station's chain (or one station's) in order; name each chain's first entry whose
    number, link or content does not hold, and compare each chain's end with its head row."""
    codes = _station_codes(session)
    dialect = session.get_bind().dialect
    decode = _decoder(dialect)
    chains: dict[str, Chain] = {}

    def chain_for(station: str) -> Chain:
        if station not in chains:
            chains[station] = Chain(station, codes.get(station, station))
        return chains[station]

    last_station: str | None = None
    rows = _raw_rows(session, station_id)
    try:
        for raw in rows:
            rowid, values = raw[0], raw[1:]
            try:
                e = decode(values)
            except _Damaged as damaged:
                # Name it by what can be read: its row, and its neighbour's station and number.
                c = chain_for(last_station) if last_station else None
                problem = Problem(
                    UNREADABLE,
                    {"column": damaged.column},
                    last_station,
                    codes.get(last_station or "", last_station),
                    (c.seq + 1) if c else None,
                    _safe_id(values[-1]),
                    "store",
                )
                if rowid is not None:
                    problem.params["column"] = f"{damaged.column}, row {rowid}"
                if c is not None and c.problem is None:
                    c.problem = problem
                elif c is None:
                    chain_for("?").problem = problem
                continue
            station = str(e["station_id"])
            last_station = station
            c = chain_for(station)
            if c.problem is not None:
                continue
            expected = c.seq + 1
            if e["seq"] != expected:
                c.problem = Problem(MISSING, {"seq": expected}, station, c.station_code, expected, str(e["id"]))
                continue
            if e["prev_hash"] != c.hash:
                c.problem = Problem(LINK, {}, station, c.station_code, e["seq"], str(e["id"]))
                continue
            if _hash_values(e) != e["hash"]:
                c.problem = Problem(CONTENT, {}, station, c.station_code, e["seq"], str(e["id"]))
                continue
            c.seq, c.hash = e["seq"], e["hash"]
            c.checked += 1
    except Exception as exc:  # noqa: BLE001  (sqlite3.DatabaseError: database disk image is malformed ...)
        station = last_station or "?"
        c = chain_for(station)
        if c.problem is None:
            c.problem = Problem(
                FILE_DAMAGED,
                {"reason": str(exc).splitlines()[0][:200]},
                last_station,
                codes.get(station, station),
                c.seq + 1,
                None,
                "store",
            )
    finally:
        rows.close()  # (on SQLite this gives the connection its text factory back)
    try:
        stored = session.execute(select(AuditHead.station_id, AuditHead.seq, AuditHead.hash)).all()
    except Exception as exc:  # noqa: BLE001
        stored = []
        chain_for("?").problem = Problem(FILE_DAMAGED, {"reason": str(exc).splitlines()[0][:200]}, None, None, None, None, "store")
    for sid, seq, digest in stored:
        if station_id is not None and sid != station_id:
            continue
        c = chain_for(str(sid))
        c.stored_seq, c.stored_hash = seq, digest
        if c.problem is None and (seq != c.seq or digest != c.hash):
            c.problem = Problem(CUT, {"seq": c.seq, "head": seq}, str(sid), c.station_code, c.seq + 1, None)
    for c in chains.values():
        if c.problem is None and c.stored_seq is None and c.checked:
            c.problem = Problem(NO_HEAD, {}, c.station_id, c.station_code, c.seq, None)
    ordered = sorted(chains.values(), key=lambda c: (c.station_code, c.station_id))
    problems = [c.problem for c in ordered if c.problem is not None]
    result = VerifyResult(not problems, sum(c.checked for c in ordered), chains=ordered, problems=problems)
    if problems:
        first = problems[0]
        result.first_broken_seq, result.first_broken_id = first.seq, first.entry_id
        result.reason, result.station_id, result.station_code = first.text(), first.station_id, first.station_code
        result.checked = next(c.checked for c in ordered if c.problem is first)
    return result


def _safe_id(raw) -> str | None:
    try:
        return str(uuid.UUID(hex=raw.decode() if isinstance(raw, bytes) else str(raw)))
    except Exception:  # noqa: BLE001
        return None


# --- segments: a station's chain carried elsewhere (sync) ----------------------------------------


def entries_after(session: Session, station_id: uuid.UUID, after_seq: int, limit: int | None = None) -> list[dict]:
    """A station's entries with seq > after_seq, in order, as plain values (a segment to carry)."""
    table = AuditEntry.__table__
    q = select(*[table.c[c] for c in COLUMNS]).where(table.c.station_id == station_id, table.c.seq > after_seq).order_by(table.c.seq)
    if limit:
        q = q.limit(limit)
    return [dict(r._mapping) for r in session.execute(q)]


def verify_segment(entries: Iterable[dict], prev_seq: int, prev_hash: str, station_id: uuid.UUID | None = None) -> Problem | None:
    """Check that `entries` (dicts with COLUMNS, in order) continue a chain whose last entry is
    (prev_seq, prev_hash): numbers follow on, links hold, hashes match, one station throughout.
    Returns the first problem, or None."""
    seq, last = prev_seq, prev_hash
    for e in entries:
        station = str(e["station_id"])
        if station_id is not None and e["station_id"] != station_id:
            return Problem(
                QT_TRANSLATE_NOOP("messages", "the entry belongs to another station's chain"), {}, station, None, e["seq"], str(e["id"])
            )
        if e["seq"] != seq + 1:
            return Problem(MISSING, {"seq": seq + 1}, station, None, seq + 1, str(e["id"]))
        if e["prev_hash"] != last:
            return Problem(LINK, {}, station, None, e["seq"], str(e["id"]))
        if _hash_values(e) != e["hash"]:
            return Problem(CONTENT, {}, station, None, e["seq"], str(e["id"]))
        seq, last = e["seq"], e["hash"]
    return None


def append_segment(session: Session, station_id: uuid.UUID, entries: list[dict]) -> Head:
    """Append entries written at another store (a station's segment, at the centre) to that
    station's chain here, as they are: checked against the locked head first, refused whole
    (ValueError naming the entry) if they do not continue it. Returns the new head."""
    head = lock_head(session, station_id)
    if not entries:
        return head
    problem = verify_segment(entries, head.seq, head.hash, station_id)
    if problem is not None:
        raise ValueError(f"station {station_id}, entry {problem.seq}: {problem.text()}")
    session.execute(insert(AuditEntry.__table__), [{c: e[c] for c in COLUMNS} for e in entries])
    heads = AuditHead.__table__
    last = entries[-1]
    session.execute(update(heads).where(heads.c.station_id == station_id).values(seq=last["seq"], hash=last["hash"]))
    return Head(station_id, last["seq"], last["hash"])
