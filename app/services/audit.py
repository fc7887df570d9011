"""The hash-chained audit log: append in the caller's transaction, verify the whole chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.db.together import execute_together
from app.models import AuditEntry, AuditHead, utcnow
from app.services.context import Actor

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
) -> None:
    """Append one entry in the current transaction; the head row lock serialises writers."""
    record_many(session, actor, [(action, entity, entity_id, before, after)])


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


def record_many(session: Session, actor: Actor | None, items: list[tuple[str, str, Any, Any, Any]]) -> int:
    """Append entries (action, entity, entity_id, before, after) in order under the head row lock.

    Core statements (lock, insert, move the head), no ORM objects: the head stays locked until
    the caller commits, so the fewer and cheaper the statements after it, the better."""
    if not items:
        return 0
    seq, prev = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()).one()
    rows = []
    at = utcnow()
    for action, entity, entity_id, before, after in items:
        seq += 1
        e = AuditEntry(id=uuid.uuid4(), seq=seq, at=at, station_id=actor.station_id if actor else None,
                       clerk_id=actor.clerk_id if actor else None, action=action, entity=entity, entity_id=str(entity_id or ""),
                       before=to_json(before), after=to_json(after), prev_hash=prev)
        e.hash = entry_hash(e)
        prev = e.hash
        rows.append({c: getattr(e, c) for c in ("id", "seq", "at", "station_id", "clerk_id", "action", "entity", "entity_id",
                                                 "before", "after", "prev_hash", "hash")})
    entries, head = AuditEntry.__table__, AuditHead.__table__  # plain Core: no ORM bulk machinery
    move_head = update(head).where(head.c.id == 1).values(seq=seq, hash=prev)
    if len(rows) == 1:  # while the head is locked, both in one round trip where the server allows
        execute_together(session, move_head, insert(entries).values(rows[0]))
    else:
        session.execute(insert(entries), rows)
        session.execute(move_head)
    return len(rows)
