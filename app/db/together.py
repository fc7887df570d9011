"""Two writes in one round trip where the server allows it.

On PostgreSQL a data-modifying statement may stand in a CTE of another, and it runs exactly once
whether or not the outer statement reads it; so `first` travels inside `second` and the server does
both in one round trip. SQLite runs in-process (no round trip to save): the two run one after the
other. Used where a row lock is held until commit (receipt numbers, the audit head), so that the
lock is held for fewer round trips.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase


@lru_cache(maxsize=32)
def _combined(statements: tuple[UpdateBase, ...]) -> UpdateBase:
    """All but the last as CTEs of the last; built once per set of (prebuilt) statements."""
    *firsts, last = statements
    for i, first in enumerate(firsts):
        key = first.table.primary_key.columns.values()[0]
        last = last.add_cte(first.returning(key).cte(f"w{i}_{first.table.name}"))
    return last


def execute_together(session: Session, *writes: tuple[UpdateBase, dict]):
    """Run `writes`, pairs of (statement, parameters), in order; on PostgreSQL in one round trip.
    Returns the last statement's result (its rowcount counts the last statement's rows only).

    The statements are built once by their callers with bind parameters (building a statement costs
    more than running it), and their parameter names must differ from each other's."""
    if session.get_bind().dialect.name == "postgresql" and len(writes) > 1:
        params: dict = {}
        for _stmt, p in writes:
            params.update(p)
        return session.execute(_combined(tuple(stmt for stmt, _p in writes)), params)
    result = None
    for stmt, p in writes:
        result = session.execute(stmt, p)
    return result
