"""Gap-free numbers per station, kind and year (receipts, work orders), safe on PostgreSQL.

The sequence row is locked FOR UPDATE until the caller's transaction commits, so two
counters never get the same number, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import NumberSequence


def next_value(session: Session, station_id: uuid.UUID, kind: str, year: int) -> int:
    """The next number, in one statement: the upsert creates the year's row or counts it up, and
    leaves it locked (PostgreSQL row lock; SQLite's write lock) until the caller commits."""
    dialect = session.get_bind().dialect.name
    ins = pg_insert if dialect == "postgresql" else sqlite_insert
    table = NumberSequence.__table__
    stmt = (ins(table).values(station_id=station_id, kind=kind, year=year, last_value=1)
            .on_conflict_do_update(index_elements=["station_id", "kind", "year"], set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))
    return session.execute(stmt).scalar_one()


def format_number(station_code: str, year: int, value: int, prefix: str = "") -> str:
    """e.g. R-3301-2026-000042: prefix, station, year, six-digit sequence."""
    head = f"{prefix}-" if prefix else ""
    return f"{head}{station_code}-{year}-{value:06d}"
