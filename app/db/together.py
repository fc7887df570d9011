"""Two writes in one round trip where the server allows it.

On PostgreSQL a data-modifying statement may stand in a CTE of another, and it runs exactly once
whether or not the outer statement reads it; so `first` travels inside `second` and the server does
both in one round trip. SQLite runs in-process (no round trip to save): the two run one after the
other. Used where a row lock is held until commit (receipt numbers, the audit head), so that the
lock is held for fewer round trips.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update


def execute_together(session: Session, first: Update, second: Insert) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = first.table.primary_key.columns.values()[0]
        session.execute(second.add_cte(first.returning(key).cte(f"first_{first.table.name}")))
    else:
        session.execute(first)
        session.execute(second)
