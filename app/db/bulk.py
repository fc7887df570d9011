"""Bulk inserts of many rows with the values already in the form the database stores them.

A core `insert(table)` executemany costs more in SQLAlchemy than in the database: per row it builds
the parameters, runs each column's type processor and checks the keys. Issuing bills writes tens of
thousands of rows at a time (bills, their lines, audit entries, balance entries), so
`insert_rows` turns the row dicts into tuples in one generated list comprehension per table and
sends them with one driver-level executemany (sqlite3, or psycopg's pipelined executemany).

The stored values are exactly what SQLAlchemy's own types store (tests/test_billing_stored_rows.py
compares the bytes): on SQLite a UUID is its 32 hex digits, a date its ISO text, a naive datetime
`YYYY-MM-DD HH:MM:SS.ffffff`; on both a Quantity or UnitPrice its scaled integer (refused when it
would round, as app.models.types does); every other value goes through the column type's own bind
processor, if it has one. A column missing from the rows takes its scalar default, or the writing
station for `station_id` (app.models.sync.writing_station); any other missing column is an error.

Rows written here bypass the session's statement events, so on a store that syncs they are noted
for the outbox here (app.db.outbox.note_inserted), with the same values a core insert would note.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, DateTime, Table, Uuid
from sqlalchemy.orm import Session

from app.kernel.ids import new_ids
from app.models.sync import writing_station
from app.models.types import _ScaledDecimal

_MISSING = object()


def scaled(scale: int, value: Decimal | None):
    """A Quantity/UnitPrice as stored: the integer count of 10**-scale units (app.models.types)."""
    if value is None:
        return None
    if type(value) is not Decimal:
        value = Decimal(value)
    scaled = value.scaleb(scale)
    whole = int(scaled)
    if scaled != whole:
        raise ValueError(f"{value} has more than {scale} decimals")
    return whole


def _converter(column, dialect) -> Any:
    """A function turning one value into its stored form, or None when the value goes as it is."""
    t = column.type
    if isinstance(t, _ScaledDecimal):
        scale = t.SCALE
        return lambda v, _s=scale: scaled(_s, v)
    if dialect.name == "sqlite":
        if isinstance(t, Uuid) and t.as_uuid:  # a key read as stored (32 hex digits) goes as it is
            return lambda v: None if v is None else v if type(v) is str else v.hex
        if isinstance(t, DateTime):
            slow = t._cached_bind_processor(dialect)
            return lambda v: (
                None if v is None else v.isoformat(" ", "microseconds") if type(v) is datetime and v.tzinfo is None else slow(v)
            )
        if isinstance(t, Date):
            slow = t._cached_bind_processor(dialect)
            return lambda v: None if v is None else v.isoformat() if type(v) is date else slow(v)
    return t._cached_bind_processor(dialect)


def _default(column) -> Any:
    """The value of a column the rows leave out: its scalar default, the writing station, or _MISSING."""
    d = column.default
    if d is None:
        return None if column.nullable and column.server_default is None else _MISSING
    if getattr(d, "is_scalar", False):
        return d.arg
    if column.name == "station_id":
        return writing_station
    return _MISSING


@lru_cache(maxsize=64)
def _plan(table: Table, dialect_name: str, keys: tuple[str, ...], dialect) -> tuple:
    """(SQL text, convert(rows, station) -> list of tuples, the columns) for rows with these keys."""
    given = set(keys)
    columns = list(table.columns)
    exprs, env = [], {}
    for i, col in enumerate(columns):
        conv = _converter(col, dialect)
        if col.name in given:
            value = f"r[{col.name!r}]"
        else:
            default = _default(col)
            if default is _MISSING:
                raise ValueError(f"{table.name}.{col.name} has no value and no default a bulk insert can use")
            if default is writing_station:
                exprs.append("station")  # given in its stored form
                continue
            else:
                env[f"d{i}"] = conv(default) if conv else default
                exprs.append(f"d{i}")
                continue
        if conv is not None:
            env[f"c{i}"] = conv
            value = f"c{i}({value})"
        exprs.append(value)
    source = f"def convert(rows, station):\n    return [({', '.join(exprs)},) for r in rows]\n"
    namespace: dict = {}
    exec(compile(source, f"<bulk insert {table.name}>", "exec"), env, namespace)  # noqa: S102 (our own column names)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) VALUES ({', '.join([mark] * len(columns))})"
    station_conv = _converter(table.c.station_id, dialect) if "station_id" in table.c else None
    return sql, namespace["convert"], columns, station_conv


def insert_rows(session: Session, table: Table, rows: list[dict]) -> int:
    """Insert `rows` (dicts with the same keys, Python values as the model takes them) into `table`
    in the session's transaction with one executemany; returns the number of rows."""
    if not rows:
        return 0
    session.flush()  # what the session holds goes first, as before a statement run through it
    conn = session.connection()
    dialect = conn.dialect
    keys = tuple(sorted(rows[0]))
    sql, convert, columns, station_conv = _plan(table, dialect.name, keys, dialect)
    station = writing_station()
    stored_station = station_conv(station) if station_conv and station is not None else station
    params = convert(rows, stored_station)
    conn.exec_driver_sql(sql, params)
    info = session.info.get("sync")
    if info is not None and not info.get("suspended"):
        from app.db import outbox

        full = []
        for r in rows:
            row = {}
            for col in columns:
                v = r.get(col.name, _MISSING)
                if v is _MISSING:
                    d = _default(col)
                    v = info["station"] if d is writing_station else d
                row[col.name] = v
            full.append(row)
        outbox.note_inserted(session, table.name, full)
    return len(rows)


def stored_rows(dialect, table: Table, rows: list[dict]) -> tuple[str, list[tuple]]:
    """insert_rows' statement and its rows in stored form, without running it: for a process that
    computes rows for another to write (issuing's worker, app.services.billing.issuing). The rows
    take no writing station, so a store that syncs (whose rows must be noted for the outbox) writes
    with insert_rows instead."""
    if not rows:
        return "", []
    sql, convert, _columns, _station_conv = _plan(table, dialect.name, tuple(sorted(rows[0])), dialect)
    return sql, convert(rows, None)


class _IdPool:
    """app.kernel.ids.new_id() from a pool refilled 1,024 at a time (one lock and clock read per
    refill), in the order they were made; a forked child never takes its parent's pooled ids (the
    pool is emptied in the child at fork)."""

    def __init__(self) -> None:
        self._ids: list[uuid.UUID] = []
        os.register_at_fork(after_in_child=self._ids.clear)

    def __call__(self) -> uuid.UUID:
        try:
            return self._ids.pop()
        except IndexError:
            self._ids.extend(reversed(new_ids(1024)))  # pop() takes from the end: the smallest first
            return self._ids.pop()


pooled_id = _IdPool()


def uuid_from_hex(text: str) -> uuid.UUID:
    """uuid.UUID(text) for a UUID stored as 32 hex digits (SQLite), without the general parsing."""
    if len(text) != 32:
        return uuid.UUID(text)
    u = object.__new__(uuid.UUID)
    object.__setattr__(u, "int", int(text, 16))
    object.__setattr__(u, "is_safe", uuid.SafeUUID.unknown)
    return u
