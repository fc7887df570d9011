"""Gap-free numbers per station, kind and year (receipts, work orders), safe on PostgreSQL.

The sequence row is locked FOR UPDATE until the caller's transaction commits, so two
counters never get the same number, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import bindparam, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import AuditHead, NumberSequence
from app.services import audit


@lru_cache(maxsize=8)
def _statement(dialect: str, lock_audit_head: bool):
    """Built once per dialect (building SQLAlchemy statements costs more than running them here)."""
    ins = pg_insert if dialect == "postgresql" else sqlite_insert
    table = NumberSequence.__table__
    stmt = (
        ins(table)
        .values(station_id=bindparam("station_id"), kind=bindparam("kind"), year=bindparam("year"), last_value=1)
        .on_conflict_do_update(index_elements=["station_id", "kind", "year"], set_={"last_value": table.c.last_value + 1})
        .returning(table.c.last_value)
    )
    if not lock_audit_head:
        return stmt
    number, head = stmt.cte("next_number"), AuditHead.__table__
    return (
        select(number.c.last_value, head.c.seq, head.c.hash)
        .select_from(number)
        .join(head, true())
        .where(head.c.station_id == bindparam("head_station"))
        .with_for_update(of=head)
    )


@lru_cache(maxsize=4)
def _statement_many(dialect: str):
    ins = pg_insert if dialect == "postgresql" else sqlite_insert
    table = NumberSequence.__table__
    return (
        ins(table)
        .values(station_id=bindparam("station_id"), kind=bindparam("kind"), year=bindparam("year"), last_value=bindparam("count"))
        .on_conflict_do_update(index_elements=["station_id", "kind", "year"], set_={"last_value": table.c.last_value + bindparam("count")})
        .returning(table.c.last_value)
    )


def next_values(session: Session, station_id: uuid.UUID, kind: str, year: int, count: int) -> list[int]:
    """The next `count` numbers at once (a batch of payments), in one statement, locked as next_value's."""
    if count <= 0:
        return []
    dialect = session.get_bind().dialect.name
    last = session.execute(_statement_many(dialect), {"station_id": station_id, "kind": kind, "year": year, "count": count}).scalar_one()
    return list(range(last - count + 1, last + 1))


def next_value(session: Session, station_id: uuid.UUID, kind: str, year: int, lock_audit_head: bool = False):
    """The next number, in one statement: the upsert creates the year's row or counts it up, and
    leaves it locked (PostgreSQL row lock; SQLite's write lock) until the caller commits.

    With `lock_audit_head` it returns (number, audit head) and also locks the station's audit head
    for the caller's audit entry (app.services.audit.record(head=...)); on PostgreSQL in the same
    round trip, so a payment holds its receipt number for one round trip less."""
    dialect = session.get_bind().dialect.name
    params = {"station_id": station_id, "kind": kind, "year": year}
    if not lock_audit_head:
        return session.execute(_statement(dialect, False), params).scalar_one()
    if dialect != "postgresql":
        return session.execute(_statement(dialect, False), params).scalar_one(), audit.lock_head(session, station_id)
    row = session.execute(_statement(dialect, True), {**params, "head_station": station_id}).first()
    if row is None:  # the station has no audit chain yet: the number was taken, the head is made now
        value = session.scalar(
            select(NumberSequence.last_value).where(
                NumberSequence.station_id == station_id, NumberSequence.kind == kind, NumberSequence.year == year
            )
        )
        return value, audit.lock_head(session, station_id)
    value, seq, prev = row
    return value, audit.Head(station_id, seq, prev)


def format_number(station_code: str, year: int, value: int, prefix: str = "") -> str:
    """e.g. R-3301-2026-000042: prefix, station, year, six-digit sequence."""
    head = f"{prefix}-" if prefix else ""
    return f"{head}{station_code}-{year}-{value:06d}"
