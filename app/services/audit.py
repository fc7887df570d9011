"""The hash-chained audit log: append in the caller's transaction, verify the whole chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import astuple, dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.db.together import execute_together
from app.models import AuditEntry, AuditHead, utcnow
from app.kernel.context import Actor

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_json(data: Any) -> str:
    if data is None or data == "":
        return ""
    return json.dumps(_plain(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(e: AuditEntry) -> str:
    payload = "\x1f".join(
        [
            str(e.seq),
            e.at.isoformat(),
            str(e.station_id or ""),
            str(e.clerk_id or ""),
            e.action,
            e.entity,
            e.entity_id,
            e.before,
            e.after,
            e.prev_hash,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    """Append one entry in the current transaction; the head row lock serialises writers.
    `with_writes` ((statement, parameters) pairs) are sent in the same round trip where the server
    allows it, and `head` is the head its caller has locked already (numbering.next_value): for a
    caller that holds another lock until commit (a receipt number)."""
    record_many(session, actor, [(action, entity, entity_id, before, after)], with_writes, head)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    first_broken_id: str | None = None
    reason: str = ""


def verify(session: Session) -> VerifyResult:
    """Walk the chain in order; name the first entry whose link or content does not hold."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)).scalars()
    for e in rows:
        if e.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, str(e.id), f"entry {expected_seq} is missing")
        if e.prev_hash != prev:
            return VerifyResult(False, checked, e.seq, str(e.id), "link to the previous entry is broken")
        if entry_hash(e) != e.hash:
            return VerifyResult(False, checked, e.seq, str(e.id), "content does not match its hash")
        prev = e.hash
        expected_seq += 1
        checked += 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != checked or (checked and head.hash != prev)):
        return VerifyResult(False, checked, checked + 1, None, "entries after the last one are missing")
    return VerifyResult(True, checked)


@dataclass(frozen=True)
class Head:
    """The chain's head as locked for appending: the last entry's number and hash."""

    seq: int
    hash: str


def lock_head(session: Session) -> Head:
    """Lock the head until commit (every writer appends through it, so entries form one chain)."""
    return Head(*session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()).one())


COLUMNS = ("id", "seq", "at", "station_id", "clerk_id", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash")


@lru_cache(maxsize=1)
def _append_one():
    """One entry's insert and the head's move, built once, with bind parameters named a_*."""
    entries, heads = AuditEntry.__table__, AuditHead.__table__
    insert_entry = insert(entries).values({c: bindparam(f"a_{c}") for c in COLUMNS})
    move_head = update(heads).where(heads.c.id == 1).values(seq=bindparam("a_head_seq"), hash=bindparam("a_head_hash"))
    return insert_entry, move_head


def record_many(session: Session, actor: Actor | None, items: list[tuple[str, str, Any, Any, Any]], with_writes: tuple = (),
                head: Head | None = None) -> int:
    """Append entries (action, entity, entity_id, before, after) in order under the head row lock.

    Core statements (lock, insert, move the head), no ORM objects: the head stays locked until
    the caller commits, so the fewer and cheaper the statements after it, the better. `with_writes`
    are (statement, parameters) pairs for app.db.together.execute_together."""
    if not items:
        return 0
    seq, prev = astuple(head or lock_head(session))
    rows = []
    at = utcnow()
    for action, entity, entity_id, before, after in items:
        seq += 1
        e = AuditEntry(id=uuid.uuid4(), seq=seq, at=at, station_id=actor.station_id if actor else None,
                       clerk_id=actor.clerk_id if actor else None, action=action, entity=entity, entity_id=str(entity_id or ""),
                       before=to_json(before), after=to_json(after), prev_hash=prev)
        e.hash = entry_hash(e)
        prev = e.hash
        rows.append({c: getattr(e, c) for c in COLUMNS})
    if len(rows) == 1:  # while the head is locked, everything in one round trip where the server allows
        insert_entry, move_head = _append_one()
        execute_together(session, *with_writes, (move_head, {"a_head_seq": seq, "a_head_hash": prev}),
                         (insert_entry, {f"a_{c}": v for c, v in rows[0].items()}))
    else:
        for stmt, params in with_writes:
            session.execute(stmt, params)
        heads = AuditHead.__table__
        session.execute(insert(AuditEntry.__table__), rows)
        session.execute(update(heads).where(heads.c.id == 1).values(seq=seq, hash=prev))
    return len(rows)
