"""Report summaries (app.models.reports) kept in the unit of work of the rows they sum.

Two ways to keep them, both inside the writer's transaction:

* deltas, on the payment path: a payment or a reversal adds its amount to its day's collections row
  and its principal to each bill's collected row with one upsert per table (INSERT … ON CONFLICT DO
  UPDATE, the same syntax on SQLite and PostgreSQL), written after the money rows;
* refresh, everywhere else (bills issued or voided, prepaid deductions, readings entered or
  corrected, an account moved to another route, service or usage category, sync): the rows of the
  touched routes (and periods) are recomputed from the base rows with the same statements that
  fill the tables from scratch (`rebuild`, used by migration 0016's backfill and the benchmark's bulk
  store), so they cannot drift from what the reports summed before.

`differences()` compares every table with a recompute from the base rows (`counterdesk integrity`,
and the tests). Rows whose figures are all zero count as absent on both sides.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import case, delete, func, literal_column, select, text, true, union_all
from sqlalchemy.orm import Session

from app.kernel.localtime import to_local
from app.models import (
    Account,
    BalanceEntry,
    Bill,
    BillLine,
    BillSummary,
    CollectedSummary,
    CollectionSummary,
    Meter,
    Payment,
    PaymentAllocation,
    Reading,
    ReadingSummary,
    SalesSummary,
)

ACCOUNT_SCOPED = (BillSummary, CollectedSummary, SalesSummary, ReadingSummary)
ALL = (CollectionSummary, *ACCOUNT_SCOPED)


def _day(dialect: str, column):
    """The station-local day (UTC+8) of a UTC timestamp column, as the reports compute it."""
    if dialect == "postgresql":
        return func.date(column + literal_column("interval '8 hours'"))
    return func.date(column, "+8 hours")


def _keys(model) -> list[str]:
    return [c.name for c in model.__table__.primary_key.columns]


def _values(model) -> list[str]:
    keys = set(_keys(model))
    return [c.name for c in model.__table__.columns if c.name not in keys]


def recompute(dialect: str, model, routes=None, periods=None, days=None):
    """SELECT of `model`'s rows from the base rows, columns in table order; restricted to accounts of
    `routes`, bills or readings of `periods`, payments of local `days` when given."""
    if model is CollectionSummary:
        day = _day(dialect, Payment.created_at)
        reversal = Payment.kind == "reversal"
        stmt = select(
            day.label("day"),
            Payment.station_id,
            Payment.clerk_id,
            Payment.method,
            func.sum(case((reversal, 0), else_=1)),
            func.sum(case((reversal, 0), else_=Payment.amount_fen)),
            func.sum(case((reversal, 1), else_=0)),
            func.sum(case((reversal, Payment.amount_fen), else_=0)),
        ).group_by(day, Payment.station_id, Payment.clerk_id, Payment.method)
        if days is not None:
            stmt = stmt.where(day.in_(sorted(d.isoformat() if dialect == "sqlite" else d for d in days)))
        return stmt.where(true())
    dims = (Account.service, Account.reading_route)

    def scoped(stmt, period_col):
        stmt = stmt.where(true())
        if routes is not None:
            stmt = stmt.where(Account.reading_route.in_(sorted(routes)))
        if periods is not None:
            stmt = stmt.where(period_col.in_(sorted(periods)))
        return stmt

    if model is BillSummary:
        cols = (Bill.period, *dims, Account.usage_category)
        stmt = (
            select(*cols, func.count(), func.sum(Bill.amount_fen), func.sum(Bill.usage))
            .join(Account, Account.id == Bill.account_id)
            .where(Bill.status != "void")
            .group_by(*cols)
        )
        return scoped(stmt, Bill.period)
    if model is CollectedSummary:
        cols = (Bill.period, *dims, Account.usage_category)
        paid = scoped(
            select(*cols, _day(dialect, Payment.created_at).label("day"), PaymentAllocation.principal_fen.label("principal"))
            .join(Bill, Bill.id == PaymentAllocation.bill_id)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .join(Account, Account.id == Bill.account_id)
            .where(Bill.status != "void"),
            Bill.period,
        )
        deducted = scoped(
            select(*cols, _day(dialect, BalanceEntry.created_at).label("day"), BalanceEntry.principal_fen.label("principal"))
            .join(Bill, Bill.id == BalanceEntry.bill_id)
            .join(Account, Account.id == Bill.account_id)
            .where(Bill.status != "void", BalanceEntry.kind == "deduction"),
            Bill.period,
        )
        both = union_all(paid, deducted).subquery()
        keys = (both.c.period, both.c.service, both.c.reading_route, both.c.usage_category, both.c.day)
        return select(*keys, func.sum(both.c.principal)).where(true()).group_by(*keys)
    if model is SalesSummary:
        cols = (Bill.period, *dims, Bill.tariff_code, BillLine.item)
        stmt = (
            select(*cols, func.sum(BillLine.quantity), func.sum(BillLine.amount_fen))
            .join(Bill, Bill.id == BillLine.bill_id)
            .join(Account, Account.id == Bill.account_id)
            .where(Bill.status != "void")
            .group_by(*cols)
        )
        return scoped(stmt, Bill.period)
    if model is ReadingSummary:
        from app.services.billing.readings import HIGH_USAGE_FACTOR  # here: readings imports this module

        factor = literal_column(str(HIGH_USAGE_FACTOR))
        conditions = (
            Reading.meter_id.is_not(None),
            Reading.usage == 0,
            (Reading.usual.is_not(None)) & (Reading.usual > 0) & (Reading.usage > Reading.usual * factor),
            Reading.rolled_over.is_(True),
        )
        cols = (Reading.period, *dims)
        stmt = (
            select(*cols, *(func.count(func.distinct(case((c, Reading.meter_id)))) for c in conditions))
            .join(Meter, Meter.id == Reading.meter_id)
            .join(Account, Account.id == Meter.account_id)
            .group_by(*cols)
        )
        return scoped(stmt, Reading.period)
    raise ValueError(model)


def _scope_delete(model, routes=None, periods=None, days=None):
    stmt = delete(model)
    if routes is not None:
        stmt = stmt.where(model.route.in_(sorted(routes)))
    if periods is not None:
        stmt = stmt.where(model.period.in_(sorted(periods)))
    if days is not None:
        stmt = stmt.where(model.day.in_(sorted(days)))
    return stmt


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _route_key(route: str) -> int:
    """A route's advisory lock key: a stable signed 64-bit number."""
    return int.from_bytes(hashlib.blake2b(f"counterdesk.summary:{route or ''}".encode(), digest_size=8).digest(), "big", signed=True)


def lock_routes(s, routes, shared=()) -> None:
    """PostgreSQL: transaction-scoped advisory locks on the summary rows of these routes, all taken
    in one statement in sorted key order. A writer that recomputes rows takes its `routes`
    exclusively; a writer that only adds deltas (a payment, the facts of a station's bundle) takes
    its routes `shared`: such writers never wait for each other, and a recompute waits for every
    one of them to commit (and they for it), so it counts their rows and none is lost. Writers never
    wait for each other in opposite orders (no deadlock). A lock the transaction holds already is
    not asked for again; SQLite writers are serialised by the database anyway."""
    if (s.get_bind() if isinstance(s, Session) else s).dialect.name != "postgresql":
        return
    want = {_route_key(r): False for r in shared}
    want.update({_route_key(r): True for r in routes})
    held = None
    if isinstance(s, Session):  # the keys this transaction holds already (key -> exclusive)
        tx = s.get_transaction()
        held = s.info.get("summary_locks")
        if held is None or held[0] is not tx:
            held = s.info["summary_locks"] = (tx, {})
        want = {k: x for k, x in want.items() if k not in held[1] or (x and not held[1][k])}
    if want:
        keys = sorted(want)
        s.execute(_LOCK_ROUTES, {"keys": keys, "exclusive": [want[k] for k in keys]})
        if held:
            held[1].update(want)


_LOCK_ROUTES = text(
    "SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END) "
    "FROM unnest(CAST(:keys AS bigint[]), CAST(:exclusive AS boolean[])) AS t(k, x)"
)


def _refill(s: Session, model, routes=None, periods=None, days=None) -> None:
    """Replace `model`'s rows in the scope by a recompute, under the routes' locks (lock_routes); an
    upsert, so a row written in between by a writer without the lock is overwritten by the
    recompute."""
    dialect = (s.get_bind() if isinstance(s, Session) else s).dialect.name
    if routes is not None:
        lock_routes(s, routes)
    s.execute(_scope_delete(model, routes, periods, days))
    table = model.__table__
    ins = _insert(dialect)(table).from_select([c.name for c in table.columns], recompute(dialect, model, routes, periods, days))
    s.execute(ins.on_conflict_do_update(index_elements=_keys(model), set_={v: ins.excluded[v] for v in _values(model)}))


def rebuild(s, models=ALL) -> None:
    """Every summary (or these) recomputed from the base rows, after rows were loaded in bulk; `s` is
    a Session or the Connection that loaded them."""
    for model in models:
        _refill(s, model)


def refresh(s: Session, routes, periods=None) -> None:
    """The account-scoped summaries of these routes (and periods) recomputed from the base rows."""
    routes = {r or "" for r in routes}
    if not routes:
        return
    s.flush()
    lock_routes(s, routes)
    for model in ACCOUNT_SCOPED:
        _refill(s, model, routes, periods)


def refresh_keys(s: Session, models, routes, periods) -> None:
    """`models` (account-scoped) recomputed for the bills or readings of `periods` on accounts of
    `routes` only (every pair of them: a small superset of the keys a change touched), one statement
    per table, under the routes' locks taken once in sorted order."""
    routes = {r or "" for r in routes}
    periods = set(periods)
    if not routes or not periods or not models:
        return
    s.flush()
    lock_routes(s, routes)
    for model in ACCOUNT_SCOPED:
        if model in models:
            _refill(s, model, routes, periods)


def refresh_issued(s: Session, routes, period: str, settled) -> None:
    """After bills of `period` were issued to accounts of `routes` and prepaid balances paid open bills
    of the (route, period) pairs `settled`: those routes' bills and sales rows of the period, and the
    collected rows of the settled pairs, recomputed (issuing changes nothing older)."""
    routes = {r or "" for r in routes}
    if not routes:
        return
    s.flush()
    lock_routes(s, routes | {route or "" for route, _period in settled})
    for model in (BillSummary, SalesSummary):
        _refill(s, model, routes, {period})
    by_period: dict[str, set[str]] = defaultdict(set)
    for route, bill_period in settled:
        by_period[bill_period].add(route or "")
    for bill_period, paid_routes in sorted(by_period.items()):
        _refill(s, CollectedSummary, paid_routes, {bill_period})


@lru_cache(maxsize=4)
def _issued_upserts(dialect: str):
    """(bills, sales) upserts that add to a row, built once per dialect."""
    insert = _insert(dialect)
    out = []
    for model in (BillSummary, SalesSummary):
        table = model.__table__
        ins = insert(table)
        out.append(ins.on_conflict_do_update(index_elements=_keys(model), set_={v: table.c[v] + ins.excluded[v] for v in _values(model)}))
    return tuple(out)


class IssuedDelta:
    """What a batch of issued bills adds to the bills, sales and collected rows (add_issued), summed
    as it goes: parts summed apart (issuing's worker process sums each part of a unit) are merged,
    and the sums written once per unit (`write`)."""

    __slots__ = ("per_bill", "per_line", "per_collected")

    def __init__(self) -> None:
        self.per_bill: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal(0)])
        self.per_line: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
        self.per_collected: dict[tuple, int] = defaultdict(int)

    def add(self, issued, collected) -> None:
        """`issued`: (service, route, usage category, amount fen, usage, tariff code, [(item, quantity,
        amount fen) per line]) per bill; `collected`: (service, route, usage category, bill period,
        charges fen, UTC time) per deduction (app.services.balance.plan_settlement)."""
        for service, route, category, amount_fen, usage, tariff_code, lines in issued:
            row = self.per_bill[(service, route or "", category)]
            row[0] += 1
            row[1] += amount_fen
            row[2] += usage
            for item, quantity, line_fen in lines:
                sales = self.per_line[(service, route or "", tariff_code, item)]
                sales[0] += quantity
                sales[1] += line_fen
        for service, route, category, bill_period, principal, at in collected:
            self.per_collected[(bill_period, service, route or "", category, to_local(at).date())] += principal

    def merge(self, other: IssuedDelta) -> None:
        for key, (n, fen, usage) in other.per_bill.items():
            row = self.per_bill[key]
            row[0] += n
            row[1] += fen
            row[2] += usage
        for key, (quantity, fen) in other.per_line.items():
            row = self.per_line[key]
            row[0] += quantity
            row[1] += fen
        for key, fen in other.per_collected.items():
            self.per_collected[key] += fen

    def __getstate__(self):
        return dict(self.per_bill), dict(self.per_line), dict(self.per_collected)

    def __setstate__(self, state) -> None:
        self.__init__()
        self.per_bill.update(state[0])
        self.per_line.update(state[1])
        self.per_collected.update(state[2])

    def write(self, s: Session, period: str) -> None:
        if not self.per_bill:
            return
        s.flush()
        lock_routes(s, (), shared={key[1] for key in self.per_bill} | {key[2] for key in self.per_collected})  # deltas: shared
        bills_upsert, sales_upsert = _issued_upserts(s.get_bind().dialect.name)
        s.execute(
            bills_upsert,
            [
                {"period": period, "service": svc, "route": route, "usage_category": cat, "bills": n, "billed_fen": fen, "usage": usage}
                for (svc, route, cat), (n, fen, usage) in sorted(self.per_bill.items())
            ],
        )
        if self.per_line:
            s.execute(
                sales_upsert,
                [
                    {"period": period, "service": svc, "route": route, "tariff_code": code, "item": item, "quantity": q, "amount_fen": fen}
                    for (svc, route, code, item), (q, fen) in sorted(self.per_line.items())
                ],
            )
        rows = [
            {"period": p, "service": svc, "route": route, "usage_category": cat, "day": day, "principal_fen": fen}
            for (p, svc, route, cat, day), fen in sorted(self.per_collected.items())
            if fen
        ]
        if rows:
            s.execute(_upserts(s.get_bind().dialect.name)[1], rows)


def add_issued(s: Session, period: str, issued, collected) -> None:
    """Bills of `period` just issued (none void) added to the bills and sales rows, and what prepaid
    balances paid on open bills then added to the collected rows, as deltas: the rows refresh_issued
    recomputes, without recomputing a route's whole period for every batch of bills (IssuedDelta.add
    says what `issued` and `collected` hold)."""
    delta = IssuedDelta()
    delta.add(issued, collected)
    delta.write(s, period)


def refresh_accounts(s: Session, account_ids, periods=None) -> None:
    """refresh() for the routes of these accounts."""
    ids = sorted(set(account_ids))
    routes: set[str] = set()
    for i in range(0, len(ids), 500):
        routes.update(s.scalars(select(Account.reading_route).where(Account.id.in_(ids[i : i + 500]))))
    refresh(s, routes, periods)


def refresh_readings(s: Session, meter_id: uuid.UUID, period: str) -> None:
    """The readings row of this meter's route and period recomputed (a reading entered or corrected)."""
    route = s.scalar(select(Account.reading_route).join(Meter, Meter.account_id == Account.id).where(Meter.id == meter_id))
    s.flush()
    _refill(s, ReadingSummary, {route or ""}, {period})


def refresh_reading_routes(s: Session, routes, period: str) -> None:
    """The readings rows of these routes and period recomputed (readings entered in bulk: one
    statement for many routes costs about what one route's costs)."""
    routes = {r or "" for r in routes}
    if routes:
        s.flush()
        _refill(s, ReadingSummary, routes, {period})


def refresh_days(s: Session, days) -> None:
    """The collections rows of these station-local days recomputed from the payments."""
    days = set(days)
    if days:
        s.flush()
        _refill(s, CollectionSummary, days=days)


# ---------------------------------------------------------------- the payment path: deltas


@lru_cache(maxsize=4)
def _upserts(dialect: str):
    """(collections, collected) upserts that add to a row, built once per dialect."""
    insert = _insert(dialect)
    out = []
    for model in (CollectionSummary, CollectedSummary):
        table = model.__table__
        ins = insert(table)
        out.append(ins.on_conflict_do_update(index_elements=_keys(model), set_={v: table.c[v] + ins.excluded[v] for v in _values(model)}))
    return tuple(out)


def add_payment(
    s: Session,
    *,
    at: datetime,
    station_id: uuid.UUID,
    clerk_id: uuid.UUID,
    method: str,
    amount_fen: int,
    reversal: bool,
    account: Account,
    bill_principals: list[tuple[str, int]],
) -> None:
    """A payment (or a reversal, negative) into the summaries: its day's collections row and, for
    each (bill period, principal) it put on bills not voided, the collected row."""
    collections, collected = _upserts(s.get_bind().dialect.name)
    day = to_local(at).date()
    s.execute(
        collections,
        {
            "day": day,
            "station_id": station_id,
            "clerk_id": clerk_id,
            "method": method,
            "payments": 0 if reversal else 1,
            "payments_fen": 0 if reversal else amount_fen,
            "reversals": 1 if reversal else 0,
            "reversals_fen": amount_fen if reversal else 0,
        },
    )
    _add_collected(s, collected, account, day, bill_principals)


def add_collected(s: Session, account: Account, at: datetime, bill_principals: list[tuple[str, int]]) -> None:
    """Principal put on bills (not voided) of these periods at `at` other than by a payment (a prepaid
    deduction made at the counter) into the collected rows."""
    _add_collected(s, _upserts(s.get_bind().dialect.name)[1], account, to_local(at).date(), bill_principals)


def _add_collected(s: Session, collected, account: Account, day: date, bill_principals: list[tuple[str, int]]) -> None:
    per_period: dict[str, int] = defaultdict(int)
    for period, principal in bill_principals:
        per_period[period] += principal
    rows = [
        {
            "period": period,
            "service": account.service,
            "route": account.reading_route or "",
            "usage_category": account.usage_category,
            "day": day,
            "principal_fen": principal,
        }
        for period, principal in sorted(per_period.items())
        if principal
    ]
    if rows:
        lock_routes(s, (), shared={account.reading_route or ""})
        s.execute(collected, rows)


def add_payments(
    s: Session,
    *,
    at: datetime,
    station_id: uuid.UUID,
    clerk_id: uuid.UUID,
    method: str,
    payments: list[tuple[int, Account, list[tuple[str, int]]]],
) -> None:
    """Many payments (amount fen, account, bill principals) of one clerk, method and moment into the
    summaries, as add_payment adds each: one upsert of the day's collections row with their count and
    sum, one of the collected rows added up per (period, service, route, category)."""
    if not payments:
        return
    collections, collected = _upserts(s.get_bind().dialect.name)
    day = to_local(at).date()
    s.execute(
        collections,
        {
            "day": day,
            "station_id": station_id,
            "clerk_id": clerk_id,
            "method": method,
            "payments": len(payments),
            "payments_fen": sum(amount for amount, _a, _p in payments),
            "reversals": 0,
            "reversals_fen": 0,
        },
    )
    per_key: dict[tuple, int] = defaultdict(int)
    for _amount, account, bill_principals in payments:
        for period, principal in bill_principals:
            per_key[(period, account.service, account.reading_route or "", account.usage_category)] += principal
    rows = [
        {"period": period, "service": service, "route": route, "usage_category": category, "day": day, "principal_fen": principal}
        for (period, service, route, category), principal in sorted(per_key.items())
        if principal
    ]
    if rows:
        lock_routes(s, (), shared={r["route"] for r in rows})
        s.execute(collected, rows)


def add_collections(s: Session, payments) -> None:
    """Payments (and reversals) added to the collections rows as deltas: dicts with `at` (UTC),
    station_id, clerk_id, method, amount_fen and reversal; one upsert per (day, station, clerk,
    method), in key order."""
    per_key: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for p in payments:
        sums = per_key[(to_local(p["at"]).date(), p["station_id"], p["clerk_id"], p["method"])]
        if p["reversal"]:
            sums[2] += 1
            sums[3] += p["amount_fen"]
        else:
            sums[0] += 1
            sums[1] += p["amount_fen"]
    if not per_key:
        return
    collections, _collected = _upserts(s.get_bind().dialect.name)
    names = ("payments", "payments_fen", "reversals", "reversals_fen")
    rows = [
        {"day": day, "station_id": station, "clerk_id": clerk, "method": method, **dict(zip(names, sums, strict=True))}
        for (day, station, clerk, method), sums in sorted(
            per_key.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), str(kv[0][2]), kv[0][3])
        )
    ]
    s.execute(collections, rows)


def add_collected_of(s: Session, allocation_ids, entry_ids) -> None:
    """PostgreSQL: these newly inserted allocations and prepaid deductions added to the collected rows
    as deltas (their bills not voided), in one upsert in key order. The caller holds the routes'
    locks (shared)."""
    if allocation_ids or entry_ids:
        s.execute(_COLLECTED_OF, {"allocations": sorted(allocation_ids), "entries": sorted(entry_ids)})


_COLLECTED_OF = text(
    """INSERT INTO report_collected (period, service, route, usage_category, day, principal_fen)
SELECT period, service, route, usage_category, day, sum(principal) FROM (
  SELECT b.period, a.service, a.reading_route AS route, a.usage_category,
         date(p.created_at + interval '8 hours') AS day, pa.principal_fen AS principal
  FROM payment_allocations pa JOIN bills b ON b.id = pa.bill_id JOIN payments p ON p.id = pa.payment_id
  JOIN accounts a ON a.id = b.account_id
  WHERE pa.id = ANY(CAST(:allocations AS uuid[])) AND b.status <> 'void'
  UNION ALL
  SELECT b.period, a.service, a.reading_route, a.usage_category, date(be.created_at + interval '8 hours'), be.principal_fen
  FROM balance_entries be JOIN bills b ON b.id = be.bill_id JOIN accounts a ON a.id = b.account_id
  WHERE be.id = ANY(CAST(:entries AS uuid[])) AND be.kind = 'deduction' AND b.status <> 'void'
) x GROUP BY period, service, route, usage_category, day ORDER BY period, service, route, usage_category, day
ON CONFLICT (period, service, route, usage_category, day)
DO UPDATE SET principal_fen = report_collected.principal_fen + excluded.principal_fen"""
)


def add_readings_of(s: Session, reading_ids) -> None:
    """PostgreSQL: these newly inserted readings added to the readings rows as deltas: for each
    (meter, period) they concern, what the meter counts for with every reading (read, zero, far
    above usual, rolled over; each meter once) less what it counted for without the new ones, in one
    upsert in key order. The caller holds the routes' locks (shared); a meter's readings come from
    one station, whose imports follow each other."""
    if reading_ids:
        from app.services.billing.readings import HIGH_USAGE_FACTOR  # here: readings imports this module

        s.execute(text(_READINGS_OF.replace("{factor}", str(HIGH_USAGE_FACTOR))), {"ids": sorted(reading_ids)})


_READINGS_OF = """INSERT INTO report_readings (period, service, route, read, zero, high, rolled_over)
SELECT f.period, a.service, a.reading_route, sum(f.a_read - f.b_read), sum(f.a_zero - f.b_zero),
       sum(f.a_high - f.b_high), sum(f.a_roll - f.b_roll)
FROM (
  SELECT r.meter_id, r.period,
         1 AS a_read,
         max(CASE WHEN r.usage = 0 THEN 1 ELSE 0 END) AS a_zero,
         max(CASE WHEN r.usual IS NOT NULL AND r.usual > 0 AND r.usage > r.usual * {factor} THEN 1 ELSE 0 END) AS a_high,
         max(CASE WHEN r.rolled_over IS TRUE THEN 1 ELSE 0 END) AS a_roll,
         max(CASE WHEN NOT n.new THEN 1 ELSE 0 END) AS b_read,
         max(CASE WHEN NOT n.new AND r.usage = 0 THEN 1 ELSE 0 END) AS b_zero,
         max(CASE WHEN NOT n.new AND r.usual IS NOT NULL AND r.usual > 0 AND r.usage > r.usual * {factor} THEN 1 ELSE 0 END) AS b_high,
         max(CASE WHEN NOT n.new AND r.rolled_over IS TRUE THEN 1 ELSE 0 END) AS b_roll
  FROM readings r
  JOIN (SELECT DISTINCT meter_id, period FROM readings WHERE id = ANY(CAST(:ids AS uuid[]))) t
    ON t.meter_id = r.meter_id AND t.period = r.period
  LEFT JOIN (SELECT unnest(CAST(:ids AS uuid[])) AS id) nw ON nw.id = r.id
  CROSS JOIN LATERAL (SELECT nw.id IS NOT NULL AS new) n
  GROUP BY r.meter_id, r.period
) f
JOIN meters m ON m.id = f.meter_id JOIN accounts a ON a.id = m.account_id
GROUP BY f.period, a.service, a.reading_route ORDER BY f.period, a.service, a.reading_route
ON CONFLICT (period, service, route)
DO UPDATE SET read = report_readings.read + excluded.read, zero = report_readings.zero + excluded.zero,
              high = report_readings.high + excluded.high, rolled_over = report_readings.rolled_over + excluded.rolled_over"""


# ---------------------------------------------------------------- checking


def _normal(row) -> tuple:
    out = []
    for v in row:
        if isinstance(v, datetime):
            v = v.date()
        if isinstance(v, date):
            v = v.isoformat()
        elif isinstance(v, uuid.UUID):
            v = v.hex
        elif isinstance(v, str) and len(v) == 36 and v.count("-") == 4:
            v = v.replace("-", "")
        elif v is not None and not isinstance(v, str):
            v = Decimal(v)  # count, fen or quantity, whichever type the driver returned
        out.append(v)
    return tuple(out)


def differences(s: Session, limit: int = 20) -> list[tuple[str, tuple, tuple | None, tuple | None]]:
    """(table, key, stored figures, recomputed figures) of every summary row that differs from a
    recompute from the base rows; at most `limit` per table."""
    dialect = s.get_bind().dialect.name
    out = []
    for model in ALL:
        n = len(_keys(model))
        table = model.__table__
        stored = {}
        for row in s.execute(select(*[table.c[c] for c in _keys(model) + _values(model)])):
            r = _normal(row)
            if any(r[n:]):
                stored[r[:n]] = r[n:]
        fresh = {}
        for row in s.execute(recompute(dialect, model)):
            r = _normal(row)
            if any(r[n:]):
                fresh[r[:n]] = r[n:]
        found = 0
        for key in sorted(set(stored) | set(fresh), key=str):
            if stored.get(key) != fresh.get(key):
                out.append((table.name, key, stored.get(key), fresh.get(key)))
                found += 1
                if found >= limit:
                    break
    return out
