"""A payment's summary deltas as writes for one round trip (PostgreSQL, the single-payment path).

summaries.add_payment writes a payment's day's collections row, takes the advisory lock of the
account's route (summaries.lock_routes) and then adds the principal to the collected rows: three
round trips. On PostgreSQL the payment path sends them inside the round trip that writes the payment
and its allocations (app.db.together.execute_together): the collections upsert as it is, and the
collected rows as ONE upsert whose rows are selected beside the route's lock (`count(pg_advisory_xact_lock_shared)`
is an aggregate, so it is taken before any row comes out and reaches the table). The rows and the
figures are exactly add_payment's; the lock is the one add_payment takes (lock_routes, shared: a
writer of deltas), and it is noted as held by the transaction, so a later lock_routes in the same
unit of work does not ask for it again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from functools import lru_cache

from sqlalchemy import BigInteger, Date, String, bindparam, literal_column, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from app.kernel.localtime import to_local
from app.models import Account, CollectedSummary, CollectionSummary
from app.services.reports import summaries


@lru_cache(maxsize=1)
def _statements():
    """(collections upsert with binds c_*, collected upsert under the route lock with binds k_*), built once."""
    coll = CollectionSummary.__table__
    ins = pg_insert(coll).values({c.name: bindparam(f"c_{c.name}") for c in coll.columns})
    collections = ins.on_conflict_do_update(
        index_elements=[c.name for c in coll.primary_key.columns],
        set_={c.name: coll.c[c.name] + ins.excluded[c.name] for c in coll.columns if not c.primary_key},
    )
    table = CollectedSummary.__table__
    rows = select(
        literal_column("v.period"),
        bindparam("k_service", type_=String()),
        bindparam("k_route", type_=String()),
        bindparam("k_category", type_=String()),
        bindparam("k_day", type_=Date()),
        literal_column("v.principal_fen", BigInteger()),
    ).select_from(
        text("unnest(CAST(:k_periods AS varchar[]), CAST(:k_principals AS bigint[])) AS v(period, principal_fen)"),
        text("(SELECT count(pg_advisory_xact_lock_shared(k)) AS locked FROM unnest(CAST(:k_keys AS bigint[])) AS k) AS l"),
    )
    ins = pg_insert(table).from_select(["period", "service", "route", "usage_category", "day", "principal_fen"], rows)
    collected = ins.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={"principal_fen": table.c.principal_fen + ins.excluded.principal_fen},
    )
    return collections, collected


def _take_keys(s: Session, routes) -> list[int]:
    """The route lock keys this transaction does not hold yet (in either mode), noted as held shared
    (as summaries.lock_routes notes them: key -> exclusive)."""
    tx = s.get_transaction()
    held = s.info.get("summary_locks")
    if held is None or held[0] is not tx:
        held = s.info["summary_locks"] = (tx, {})
    keys = sorted({summaries._route_key(r) for r in routes} - set(held[1]))
    held[1].update(dict.fromkeys(keys, False))
    return keys


def payment_writes(
    s: Session,
    *,
    at: datetime,
    station_id: uuid.UUID,
    clerk_id: uuid.UUID,
    method: str,
    amount_fen: int,
    account: Account,
    bill_principals: list[tuple[str, int]],
) -> list[tuple]:
    """summaries.add_payment of a payment (not a reversal) as (statement, parameters) pairs for
    execute_together; PostgreSQL only."""
    collections, collected = _statements()
    day = to_local(at).date()
    out = [
        (
            collections,
            {
                "c_day": day,
                "c_station_id": station_id,
                "c_clerk_id": clerk_id,
                "c_method": method,
                "c_payments": 1,
                "c_payments_fen": amount_fen,
                "c_reversals": 0,
                "c_reversals_fen": 0,
            },
        )
    ]
    per_period: dict[str, int] = defaultdict(int)
    for period, principal in bill_principals:
        per_period[period] += principal
    periods = [(p, fen) for p, fen in sorted(per_period.items()) if fen]
    if periods:
        route = account.reading_route or ""
        out.append(
            (
                collected,
                {
                    "k_periods": [p for p, _fen in periods],
                    "k_principals": [fen for _p, fen in periods],
                    "k_service": account.service,
                    "k_route": route,
                    "k_category": account.usage_category,
                    "k_day": day,
                    "k_keys": _take_keys(s, {route}),
                },
            )
        )
    return out
