"""Money reports: collections, collection rate, arrears ageing, sales by tariff.

Every figure is summed from the transactions themselves (payments and their allocations, balance
deductions, bills and bill lines), never from a stored total, so a report always agrees with the
records behind it. Days are the station's local days (payments are stored in UTC).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Integer, String, and_, case, cast, func, literal, literal_column, select, text
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.kernel.errors import ValidationError
from app.kernel.localtime import local_today, to_utc
from app.kernel.masking import mask_name, mask_phone
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import (
    Account,
    BalanceEntry,
    Bill,
    BillLine,
    BillSummary,
    Clerk,
    CollectedSummary,
    CollectionSummary,
    Customer,
    Payment,
    PaymentAllocation,
    SalesSummary,
    Shift,
    Station,
)
from app.models.billing import OPEN_BILLS
from app.services.billing.late_fee import LateFeeRates, _scaled, category_of, late_days
from app.services.reports import SERVICES, Column, Filters, LazyTable, Report, Table, percent, today


def _utc_range(filters: Filters) -> tuple[datetime, datetime]:
    return to_utc(datetime.combine(filters.start, time.min)), to_utc(datetime.combine(filters.end + timedelta(days=1), time.min))


def local_day(session: Session, column):
    """The station-local day of a UTC timestamp column, computed by the database (Asia/Shanghai is
    UTC+8 all year)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(column + literal_column("interval '8 hours'"))
    return func.date(column, "+8 hours")


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _periods(filters: Filters) -> list[str]:
    out, y, m = [], filters.start.year, filters.start.month
    while (y, m) <= (filters.end.year, filters.end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _account_scope(stmt, filters: Filters, account=Account):
    """Restrict a statement joined to accounts by station, route and service."""
    if filters.route:
        stmt = stmt.where(account.reading_route == filters.route)
    if filters.service:
        stmt = stmt.where(account.service == filters.service)
    if filters.station:
        stmt = stmt.where(
            account.customer_id.in_(
                select(Customer.id).join(Station, Station.id == Customer.station_id).where(Station.code == filters.station)
            )
        )
    return stmt


def _summary_scope(stmt, filters: Filters, model):
    """Restrict a statement over a summary kept per service and route (no station filter here)."""
    if filters.route:
        stmt = stmt.where(model.route == filters.route)
    if filters.service:
        stmt = stmt.where(model.service == filters.service)
    return stmt


# ---------------------------------------------------------------- collections (收费日报/月报)

COLLECTION_COLUMNS = [
    Column("day", QT_TRANSLATE_NOOP("reports", "Day"), "date"),
    Column("clerk", QT_TRANSLATE_NOOP("reports", "Clerk")),
    Column("method", QT_TRANSLATE_NOOP("reports", "Method")),
    Column("count", QT_TRANSLATE_NOOP("reports", "Payments"), "count"),
    Column("payments", QT_TRANSLATE_NOOP("reports", "Taken"), "money"),
    Column("reversals", QT_TRANSLATE_NOOP("reports", "Reversed"), "money"),
    Column("net", QT_TRANSLATE_NOOP("reports", "Net"), "money"),
]
SHIFT_COLUMNS = [
    Column("opened", QT_TRANSLATE_NOOP("reports", "Opened"), "text"),
    Column("clerk", QT_TRANSLATE_NOOP("reports", "Clerk")),
    Column("status", QT_TRANSLATE_NOOP("reports", "Status")),
    Column("expected_cash", QT_TRANSLATE_NOOP("reports", "Cash expected"), "money"),
    Column("difference", QT_TRANSLATE_NOOP("reports", "Difference"), "money"),
]


def collections(db: Database, filters: Filters) -> Report:
    """Payments, reversals and net by local day, clerk and method; the shifts opened in the period
    with the cash they should have handed over and the difference counted."""
    lo, hi = _utc_range(filters)
    with db.read() as s:
        if filters.service and not filters.route and not filters.station and _most_accounts_are(s, filters.service):
            rows = _collections_less_others(s, filters, lo, hi)
        elif filters.route or filters.service:
            rows = _collections_from_payments(s, filters, lo, hi)
        else:
            rows = _collections_from_summary(s, filters)

        shifts = Table(QT_TRANSLATE_NOOP("reports", "Cash handed over per shift"), SHIFT_COLUMNS)

        sstmt = (
            select(Shift, Clerk.name, Clerk.staff_no)
            .join(Clerk, Clerk.id == Shift.clerk_id)
            .where(Shift.opened_at >= lo, Shift.opened_at < hi)
            .order_by(Shift.opened_at)
        )
        if filters.clerk:
            sstmt = sstmt.where(Clerk.login == filters.clerk)
        if filters.station:
            sstmt = sstmt.where(Shift.station_id.in_(select(Station.id).where(Station.code == filters.station)))
        for shift, name, staff_no in s.execute(sstmt):
            expected = json.loads(shift.expected or "{}")
            closed = shift.status != "open"
            shifts.rows.append(
                {
                    "opened": (shift.opened_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M"),
                    "clerk": f"{name} ({staff_no})",
                    "status": shift.status,
                    "expected_cash": int(expected.get("cash", 0)) if closed else None,
                    "difference": shift.difference_fen if closed else None,
                }
            )
        shifts.totals = {"difference": sum(r["difference"] or 0 for r in shifts.rows)}
    totals = {key: sum(r[key] for r in rows) for key in ("count", "payments", "reversals", "net")}
    return Report(
        "collections",
        QT_TRANSLATE_NOOP("reports", "Collections"),
        filters,
        COLLECTION_COLUMNS,
        rows,
        totals,
        chart=("day", "net"),
        details={"shifts": shifts},
    )


def _collections_rows(grouped: dict) -> list[dict]:
    return [dict(r, net=r["payments"] + r["reversals"]) for _, r in sorted(grouped.items())]


def _collection_row(grouped: dict, d, name: str, staff_no: str, method: str) -> dict:
    key = (_as_date(d), f"{name} ({staff_no})", method)
    return grouped.setdefault(key, {"day": key[0], "clerk": key[1], "method": method, "count": 0, "payments": 0, "reversals": 0})


def _collections_from_summary(s: Session, filters: Filters) -> list[dict]:
    """The collections rows from the day × station × clerk × method summary."""
    c = CollectionSummary
    stmt = (
        select(c.day, Clerk.name, Clerk.staff_no, c.method, func.sum(c.payments), func.sum(c.payments_fen), func.sum(c.reversals_fen))
        .join(Clerk, Clerk.id == c.clerk_id)
        .where(c.day >= filters.start, c.day <= filters.end)
        .group_by(c.day, Clerk.name, Clerk.staff_no, c.method)
    )
    if filters.clerk:
        stmt = stmt.where(Clerk.login == filters.clerk)
    if filters.station:
        stmt = stmt.where(c.station_id.in_(select(Station.id).where(Station.code == filters.station)))
    grouped: dict[tuple, dict] = {}
    for d, name, staff_no, method, count, taken, reversed_ in s.execute(stmt):
        row = _collection_row(grouped, d, name, staff_no, method)
        row["count"] += int(count or 0)
        row["payments"] += int(taken or 0)
        row["reversals"] += int(reversed_ or 0)
    return _collections_rows(grouped)


def _most_accounts_are(s: Session, service: str) -> bool:
    """Whether more accounts are of `service` than of the other services (a count over ix_accounts_ageing)."""
    mine, others = s.execute(
        select(func.count(case((Account.service == service, 1))), func.count(case((Account.service != service, 1))))
    ).one()
    return mine > others


def _collections_less_others(s: Session, filters: Filters, lo: datetime, hi: datetime) -> list[dict]:
    """The collections rows of the service most accounts have: the summary's rows less the other
    services' payments (read through their accounts), which are the fewer. Exact: the summary holds
    every payment and reversal by the same day, clerk and method (no route or station filter here)."""
    grouped = {(r["day"], r["clerk"], r["method"]): r for r in _collections_from_summary(s, filters)}
    for r in _collections_from_payments(s, filters, lo, hi, other_services=True):
        key = (r["day"], r["clerk"], r["method"])
        mine = grouped.setdefault(
            key, {"day": r["day"], "clerk": r["clerk"], "method": r["method"], "count": 0, "payments": 0, "reversals": 0}
        )
        for k in ("count", "payments", "reversals"):
            mine[k] -= r[k]
    return _collections_rows({key: r for key, r in grouped.items() if r["count"] or r["payments"] or r["reversals"]})


def _collections_from_payments(s: Session, filters: Filters, lo: datetime, hi: datetime, other_services: bool = False) -> list[dict]:
    """The collections rows from the payments themselves: for a route or a service (the summary
    is kept per station, clerk and method only), or with `other_services` those of every service but
    the filters' one. The accounts in scope are a subquery, so the database finds their payments
    through ix_payments_account_created (joined, SQLite walked every payment of the period instead)."""
    day = local_day(s, Payment.created_at)
    stmt = (
        select(day, Clerk.name, Clerk.staff_no, Payment.method, Payment.kind, func.count(), func.sum(Payment.amount_fen))
        .join(Clerk, Clerk.id == Payment.clerk_id)
        .where(Payment.created_at >= lo, Payment.created_at < hi)
        .group_by(day, Clerk.name, Clerk.staff_no, Payment.method, Payment.kind)
    )
    if filters.clerk:
        stmt = stmt.where(Clerk.login == filters.clerk)
    if filters.station:
        stmt = stmt.where(Payment.station_id.in_(select(Station.id).where(Station.code == filters.station)))
    if other_services:
        accounts = select(Account.id).where(Account.service != filters.service)
    else:
        accounts = _account_scope(select(Account.id), filters)
    stmt = stmt.where(Payment.account_id.in_(accounts))
    grouped: dict[tuple, dict] = {}
    for d, name, staff_no, method, kind, count, amount in s.execute(stmt):
        row = _collection_row(grouped, d, name, staff_no, method)
        if kind == "reversal":
            row["reversals"] += int(amount or 0)
        else:
            row["payments"] += int(amount or 0)
            row["count"] += int(count)
    return _collections_rows(grouped)


# ---------------------------------------------------------------- collection rate (电费回收率)

RATE_COLUMNS = [
    Column("period", QT_TRANSLATE_NOOP("reports", "Period")),
    Column("route", QT_TRANSLATE_NOOP("reports", "Route")),
    Column("usage_category", QT_TRANSLATE_NOOP("reports", "Usage category")),
    Column("bills", QT_TRANSLATE_NOOP("reports", "Bills"), "count"),
    Column("billed", QT_TRANSLATE_NOOP("reports", "Billed"), "money"),
    Column("collected", QT_TRANSLATE_NOOP("reports", "Collected"), "money"),
    Column("rate", QT_TRANSLATE_NOOP("reports", "Rate %"), "percent"),
]


def _rate_row(period: str, route: str, category: str, count, amount) -> dict:
    return {"period": period, "route": route, "usage_category": category, "bills": int(count), "billed": int(amount or 0), "collected": 0}


def _rate_from_summary(s: Session, filters: Filters, periods: list[str], cutoff: date) -> dict[tuple, dict]:
    """Billed per period, route and category, and collected up to the cut-off day, from the summaries."""
    b, c = BillSummary, CollectedSummary
    keys = (b.period, b.route, b.usage_category)
    billed = _summary_scope(
        select(*keys, func.sum(b.bills), func.sum(b.billed_fen)).where(b.period.in_(periods)).group_by(*keys), filters, b
    )
    keys = (c.period, c.route, c.usage_category)
    collected = _summary_scope(
        select(*keys, func.sum(c.principal_fen)).where(c.period.in_(periods), c.day <= cutoff).group_by(*keys), filters, c
    )
    rows = {(p, r, k): _rate_row(p, r, k, n, amount) for p, r, k, n, amount in s.execute(billed) if n}
    for period, route, category, amount in s.execute(collected):
        if (period, route, category) in rows:
            rows[(period, route, category)]["collected"] += int(amount or 0)
    return rows


def _rate_from_bills(s: Session, filters: Filters, periods: list[str], cut: datetime) -> dict[tuple, dict]:
    """The same from the bills, allocations and deductions themselves (a station's report)."""
    key_cols = (Bill.period, Account.reading_route, Account.usage_category)
    billed_stmt = _account_scope(
        select(*key_cols, func.count(), func.sum(Bill.amount_fen))
        .join(Account, Account.id == Bill.account_id)
        .where(Bill.period.in_(periods), Bill.status != "void")
        .group_by(*key_cols),
        filters,
    )
    paid_stmt = _account_scope(
        select(*key_cols, func.sum(PaymentAllocation.principal_fen))
        .join(Bill, Bill.id == PaymentAllocation.bill_id)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .join(Account, Account.id == Bill.account_id)
        .where(Bill.period.in_(periods), Bill.status != "void", Payment.created_at < cut)
        .group_by(*key_cols),
        filters,
    )
    deducted_stmt = _account_scope(
        select(*key_cols, func.sum(BalanceEntry.principal_fen))
        .join(Bill, Bill.id == BalanceEntry.bill_id)
        .join(Account, Account.id == Bill.account_id)
        .where(Bill.period.in_(periods), Bill.status != "void", BalanceEntry.kind == "deduction", BalanceEntry.created_at < cut)
        .group_by(*key_cols),
        filters,
    )
    rows: dict[tuple, dict] = {}
    for period, route, category, count, amount in s.execute(billed_stmt):
        rows[(period, route, category)] = _rate_row(period, route, category, count, amount)
    for stmt in (paid_stmt, deducted_stmt):
        for period, route, category, amount in s.execute(stmt):
            if (period, route, category) in rows:
                rows[(period, route, category)]["collected"] += int(amount or 0)
    return rows


def collection_rate(db: Database, filters: Filters, cutoff: date | None = None) -> Report:
    """For the bills of each period from `start` to `end` (not voided): the principal billed, the
    principal collected by the cut-off day (payments' allocations, net of reversals, and prepaid
    balance deductions, both up to the end of that day) and the rate; by period, route and usage
    category. The cut-off is the filters' (else today): a period's bills are issued after it ends,
    so what counts is how much of them is collected by the day the supervisor asks about."""
    cutoff = cutoff or filters.cutoff or local_today()
    cut = to_utc(datetime.combine(cutoff + timedelta(days=1), time.min))
    periods = _periods(filters)
    with db.read() as s:
        if filters.station:  # the summaries are kept per route and service, not per station
            rows = _rate_from_bills(s, filters, periods, cut)
        else:
            rows = _rate_from_summary(s, filters, periods, cutoff)
    out = [dict(r, rate=percent(r["collected"], r["billed"])) for _, r in sorted(rows.items())]
    billed, collected = sum(r["billed"] for r in out), sum(r["collected"] for r in out)
    totals = {"bills": sum(r["bills"] for r in out), "billed": billed, "collected": collected, "rate": percent(collected, billed)}
    by_period = Table(QT_TRANSLATE_NOOP("reports", "Month on month"), [RATE_COLUMNS[0], *RATE_COLUMNS[3:]])
    for period in periods:
        part = [r for r in out if r["period"] == period]
        b, c = sum(r["billed"] for r in part), sum(r["collected"] for r in part)
        by_period.rows.append(
            {"period": period, "bills": sum(r["bills"] for r in part), "billed": b, "collected": c, "rate": percent(c, b)}
        )
    return Report(
        "collection-rate",
        QT_TRANSLATE_NOOP("reports", "Collection rate"),
        replace(filters, cutoff=cutoff),  # the cut-off used, for every way the report is read
        RATE_COLUMNS,
        out,
        totals,
        chart=("period", "rate", "by_period"),
        details={"by_period": by_period},
    )


# ---------------------------------------------------------------- arrears ageing (欠费账龄)

BUCKETS = (  # (key, title, lowest days past due, highest)
    ("not_due", QT_TRANSLATE_NOOP("reports", "Not yet due"), None, 0),
    ("d1_30", QT_TRANSLATE_NOOP("reports", "1–30 days"), 1, 30),
    ("d31_90", QT_TRANSLATE_NOOP("reports", "31–90 days"), 31, 90),
    ("d91_180", QT_TRANSLATE_NOOP("reports", "91–180 days"), 91, 180),
    ("d180_plus", QT_TRANSLATE_NOOP("reports", "Over 180 days"), 181, None),
)
AGEING_COLUMNS = [
    Column("route", QT_TRANSLATE_NOOP("reports", "Route")),
    Column("accounts", QT_TRANSLATE_NOOP("reports", "Accounts"), "count"),
    Column("principal", QT_TRANSLATE_NOOP("reports", "Principal owed"), "money"),
    Column("late_fee", QT_TRANSLATE_NOOP("reports", "Late fees"), "money"),
    *[Column(key, title, "money") for key, title, _, _ in BUCKETS],
]
AGEING_ACCOUNT_COLUMNS = [
    Column("account_no", QT_TRANSLATE_NOOP("reports", "Account")),
    Column("name", QT_TRANSLATE_NOOP("reports", "Name")),
    Column("phone", QT_TRANSLATE_NOOP("reports", "Phone")),
    Column("route", QT_TRANSLATE_NOOP("reports", "Route")),
    Column("bucket", QT_TRANSLATE_NOOP("reports", "Oldest arrears")),
    Column("oldest_due", QT_TRANSLATE_NOOP("reports", "Oldest due date"), "date"),
    Column("bills", QT_TRANSLATE_NOOP("reports", "Bills"), "count"),
    Column("principal", QT_TRANSLATE_NOOP("reports", "Principal owed"), "money"),
    Column("late_fee", QT_TRANSLATE_NOOP("reports", "Late fees"), "money"),
]


def bucket_of(days_past_due: int) -> str:
    for key, _, low, high in BUCKETS:
        if (low is None or days_past_due >= low) and (high is None or days_past_due <= high):
            return key
    raise AssertionError(days_past_due)


class LateFeePricer:
    """Late fees of many open bills on one day, in integer fen: `late_fee_fen` taken apart so that a
    bill costs a few integer operations. Everything that depends on the due date alone (its bucket, the
    late days in the due date's year and later, the rates as integers) is worked out once per due date,
    service and usage category; per bill there is only the principal times that factor, rounded half-up
    to the fen, the minimum, and what was paid of it already."""

    def __init__(self, as_of: date, rates: dict[str, LateFeeRates]) -> None:
        self.as_of = as_of
        self.rates = rates
        self.tables: dict[tuple[str, str], dict] = {}  # (service, residential|other) -> {due text: factors}

    def table(self, service: str, usage_category: str) -> dict:
        """The due-date table of a kind of account: {due date's text: (date, bucket, factor, 2 x scale, scale, minimum)}."""
        key = (service, category_of(usage_category))
        t = self.tables.get(key)
        if t is None:
            t = self.tables[key] = {}
        return t

    def factors(self, table: dict, service: str, kind: str, due_text: str) -> tuple:
        due = date.fromisoformat(due_text)
        bucket = bucket_of((self.as_of - due).days)
        rates = self.rates[service]
        scale, residential, current, previous, minimum = _scaled(rates)
        same_year, later = late_days(due, self.as_of)
        factor = residential * (same_year + later) if kind == "residential" else current * same_year + previous * later
        if not rates.enabled:
            factor = 0
        f = table[due_text] = (due, bucket, factor, 2 * scale, scale, minimum)
        return f

    def fee(self, f: tuple, outstanding: int, fee_paid: int, waived) -> int:
        """The late fee still owed on one bill (what `late_fee_fen` charges less what was paid; 0 if waived)."""
        factor = f[2]
        if not factor or waived or outstanding <= 0:
            return 0
        fee = (2 * outstanding * factor + f[4]) // f[3]
        if 0 < fee < f[5]:
            fee = f[5]
        return fee - fee_paid if fee > fee_paid else 0


def ageing_day(filters: Filters) -> date:
    """The day arrears are aged to (and late fees counted to): the period's last day, or today when the
    period ends after today."""
    return min(filters.end, today())


def _open_bills(filters: Filters):
    """The open bills with something owed: raw text and numbers (a date or a flag converted per row costs
    more than the rest of the row), read from the partial index ix_bills_open alone (its condition word
    for word)."""
    stmt = select(
        cast(Bill.account_id, String),
        cast(Bill.due_date, String),
        Bill.amount_fen - Bill.paid_fen,
        Bill.late_fee_paid_fen,
        cast(Bill.late_fee_waived, Integer),
    ).where(text(OPEN_BILLS), Bill.amount_fen > Bill.paid_fen)
    if filters.route or filters.service or filters.station:
        stmt = stmt.where(Bill.account_id.in_(_account_scope(select(Account.id), filters)))
    return stmt


def _raw_rows(s: Session, stmt):
    """The rows of a Core statement straight from the driver's cursor: plain tuples, none of
    SQLAlchemy's per-row work (a third of the time on a few hundred thousand rows)."""
    conn = s.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    cursor = conn.connection.dbapi_connection.cursor()
    cursor.execute(str(compiled), tuple(params[k] for k in compiled.positiontup) if compiled.positional else params)
    try:
        yield from cursor
    finally:
        cursor.close()


def _pricer(s: Session, as_of: date) -> LateFeePricer:
    return LateFeePricer(as_of, {service: LateFeeRates.from_settings(s, service) for service in SERVICES})


def late_fee_sql(outstanding, same_year, later, fee_paid, waived, rates: LateFeeRates, kind: str):
    """`LateFeePricer.fee` as a SQL expression (PostgreSQL): the same integer arithmetic, term for term.
    `same_year` and `later` are the late days (0 when not past due); integer division of non-negative
    bigints truncates, which is the floor `late_fee_fen` takes."""
    scale, residential, current, previous, minimum = _scaled(rates)
    if not rates.enabled:
        return literal(0, BigInteger)
    factor = residential * (same_year + later) if kind == "residential" else current * same_year + previous * later
    fee = (2 * cast(outstanding, BigInteger) * factor + scale) // (2 * scale)
    clamped = case((and_(fee > 0, fee < minimum), minimum), else_=fee)
    return case((waived, 0), else_=func.greatest(clamped - fee_paid, 0))


def late_days_sql(due, as_of: date):
    """`late_days(due, as_of)` as two SQL expressions (PostgreSQL: a date minus a date is whole days)."""
    day = literal(as_of, Date)
    year_end = func.make_date(cast(func.extract("year", due), Integer), 12, 31)
    return func.greatest(func.least(day, year_end) - due, 0), func.greatest(day - year_end, 0)


def _fees_in_sql(pricer: LateFeePricer):
    """The open bills with their late days (a subquery) and the late fee still owed on each as two SQL
    expressions (residential, other); None when the services' rates differ otherwise than in being
    enabled (the caller then prices the bills in Python). A disabled service is left to the caller."""
    scaled = {_scaled(r) for r in pricer.rates.values()}
    if len(scaled) != 1:
        return None
    rates = next((r for r in pricer.rates.values() if r.enabled), None)
    same_year, later = late_days_sql(Bill.due_date, pricer.as_of)
    days = (
        select(
            Bill.account_id,
            Bill.due_date,
            (Bill.amount_fen - Bill.paid_fen).label("o"),
            Bill.late_fee_paid_fen.label("paid"),
            Bill.late_fee_waived.label("waived"),
            same_year.label("same"),
            later.label("later"),
        )
        .where(text(OPEN_BILLS), Bill.amount_fen > Bill.paid_fen)
        .subquery()
    )
    fees = [
        literal(0, BigInteger)
        if rates is None
        else late_fee_sql(days.c.o, days.c.same, days.c.later, days.c.paid, days.c.waived, rates, kind)
        for kind in ("residential", "other")
    ]
    return days, fees


def _ageing_in_sql(s: Session, filters: Filters, pricer: LateFeePricer, index: dict) -> dict[str, list] | None:
    """The route table summed by PostgreSQL: principal and both late-fee variants per route, service,
    usage category and due date (a few thousand rows instead of every open bill), the accounts per
    route in a second aggregate. None when the services' rates differ (then the bills are priced here)."""
    sql = _fees_in_sql(pricer)
    if sql is None:
        return None
    days, fees = sql
    fees = [func.sum(fee) for fee in fees]
    keys = (Account.reading_route, Account.service, Account.usage_category, days.c.due_date)
    stmt = _account_scope(select(*keys, func.sum(days.c.o), *fees).join(Account, Account.id == days.c.account_id).group_by(*keys), filters)
    by_route: dict[str, list] = {}
    for route, service, category, due, principal, fee_residential, fee_other in s.execute(stmt):
        r = by_route.get(route)
        if r is None:
            r = by_route[route] = [0] * (3 + len(BUCKETS))
        r[1] += int(principal)
        if pricer.rates[service].enabled:
            r[2] += int(fee_residential if category_of(category) == "residential" else fee_other)
        r[index[bucket_of((pricer.as_of - due).days)]] += int(principal)
    counted = _account_scope(
        select(Account.reading_route, func.count())
        .where(select(Bill.id).where(Bill.account_id == Account.id, text(OPEN_BILLS), Bill.amount_fen > Bill.paid_fen).exists())
        .group_by(Account.reading_route),
        filters,
    )
    for route, n in s.execute(counted):
        if route in by_route:
            by_route[route][0] = int(n)
    return by_route


def sqlite_fee_sql(o: str, paid: str, waived: str, factor: int, rates: LateFeeRates) -> str:
    """`LateFeePricer.fee` as a SQLite expression over SQL terms, for one integer `factor` written in
    (one due date and kind; 0 when not past due or the service charges none): `o` the principal owed
    (above zero). The same integer arithmetic: SQLite's division of non-negative integers truncates,
    which is the floor `late_fee_fen` takes. The fee is above zero exactly when 2·o·factor ≥ scale, that
    is when o is at least ceil(scale / (2·factor)), worked out here, so the product is made once."""
    scale, *_, minimum = _scaled(rates)
    scale, minimum, factor = int(scale), int(minimum), int(factor)
    if factor <= 0:
        return "0"
    least = -(-scale // (2 * factor))  # the smallest principal that earns a fee
    fee = f"((({o}) * {2 * factor} + {scale}) / {2 * scale})"
    return f"(CASE WHEN {waived} OR ({o}) < {least} THEN 0 ELSE max(max({fee}, {minimum}) - ({paid}), 0) END)"


def _due_tree(dues: list[str], leaf, first: int = 0) -> str:
    """A CASE over `b.due_date` that picks `leaf(i)` for the i-th of the sorted due dates `dues`, by halving
    (log2 of their number comparisons per bill, however many due dates there are). Every due date the
    expression meets is one of `dues` (read in the same transaction), so a leaf needs no test of its own."""
    if len(dues) == 1:
        return leaf(first)
    mid = len(dues) // 2
    return (
        f"CASE WHEN b.due_date < :d{first + mid} THEN {_due_tree(dues[:mid], leaf, first)} "
        f"ELSE {_due_tree(dues[mid:], leaf, first + mid)} END"
    )


def _ageing_in_sqlite(s: Session, filters: Filters, pricer: LateFeePricer, index: dict) -> dict[str, list] | None:
    """The route table summed by SQLite in one query: the accounts read in key order through
    ix_accounts_ageing joined to their open bills through ix_bills_open (both indexes walked side by side),
    grouped by route. A bill's bucket comes from its due date compared with the buckets' bounds (sums of
    the principal due on or after each bound, the buckets their differences); its late fee from a CASE
    over the distinct due dates past due (read first, in the same transaction) whose branch for each due
    date and kind is `sqlite_fee_sql` with that due date's integer factor written in. None when the
    services' rates differ otherwise than in being enabled (then the bills are priced in Python)."""
    if len({_scaled(r) for r in pricer.rates.values()}) != 1:
        return None
    as_of = pricer.as_of
    open_bills = f"b.{OPEN_BILLS} AND b.amount_fen > b.paid_fen"
    params: dict = {"as_of": as_of.isoformat()}
    enabled = [service for service in SERVICES if pricer.rates[service].enabled]
    fee = "0"
    if enabled:
        rates = pricer.rates[enabled[0]]
        scale, residential, current, previous, _ = _scaled(rates)
        past = sorted(
            d
            for d in (str(d) for d in s.execute(text(f"SELECT DISTINCT b.due_date FROM bills b WHERE {open_bills}")).scalars())
            if d < params["as_of"]
        )
        factors = []
        for i, due in enumerate(past):
            params[f"d{i}"] = due
            same_year, later = late_days(date.fromisoformat(due), as_of)
            factors.append((residential * (same_year + later), current * same_year + previous * later))
        if past:
            o, paid, waived = "b.amount_fen - b.paid_fen", "b.late_fee_paid_fen", "b.late_fee_waived"
            res, other = (_due_tree(past, lambda i, k=k: sqlite_fee_sql(o, paid, waived, factors[i][k], rates)) for k in (0, 1))
            charged = "" if len(enabled) == len(SERVICES) else " AND a.service = :charged"
            params["charged"] = enabled[0]
            fee = f"CASE WHEN b.due_date < :as_of{charged} THEN (CASE WHEN a.usage_category = 'residential' THEN {res} ELSE {other} END) ELSE 0 END"
    # the buckets are consecutive ranges of days past due: the principal due on or after each bucket's
    # last day (days past due <= its highest), and each bucket the difference from the one before
    highs = [high for _, _, _, high in BUCKETS if high is not None]
    assert all(BUCKETS[i + 1][2] == BUCKETS[i][3] + 1 for i in range(len(BUCKETS) - 1)) and BUCKETS[-1][3] is None
    since = []
    for i, high in enumerate(highs):
        params[f"h{i}"] = (as_of - timedelta(days=high)).isoformat()
        since.append(f"sum(CASE WHEN b.due_date >= :h{i} THEN b.amount_fen - b.paid_fen ELSE 0 END)")
    where = [open_bills]
    if filters.route:
        where.append("a.reading_route = :route")
        params["route"] = filters.route
    if filters.service:
        where.append("a.service = :service")
        params["service"] = filters.service
    if filters.station:
        where.append("a.customer_id IN (SELECT c.id FROM customers c JOIN stations st ON st.id = c.station_id WHERE st.code = :station)")
        params["station"] = filters.station
    sql = (
        f"SELECT a.reading_route, count(DISTINCT a.id), sum(b.amount_fen - b.paid_fen), sum({fee}), {', '.join(since)} "
        # the whole store: through ix_accounts_ageing (the planner would walk the route index to save the sort,
        # and look every account's row and bills up at random); one route or station: through their index
        f"FROM accounts a {'' if filters.route or filters.station else 'INDEXED BY ix_accounts_ageing '}"
        f"JOIN bills b ON b.account_id = a.id WHERE {' AND '.join(where)} GROUP BY a.reading_route"
    )
    by_route: dict[str, list] = {}
    for route, accounts, principal, fees, *upto in s.execute(text(sql), params):
        upto = [int(x) for x in upto] + [int(principal)]
        r = by_route[route] = [int(accounts), int(principal), int(fees)] + [0] * len(BUCKETS)
        for i, key in enumerate(index):
            r[index[key]] = upto[i] - (upto[i - 1] if i else 0)
    return by_route


def _ageing_in_python(s: Session, filters: Filters, pricer: LateFeePricer, index: dict, by_route: dict[str, list]) -> None:
    """The route table summed here: the accounts in scope and the open bills as plain tuples, each bill
    priced by `pricer`."""
    kinds = {}
    people = {}
    for account_id, route, service, category in _raw_rows(
        s, _account_scope(select(cast(Account.id, String), Account.reading_route, Account.service, Account.usage_category), filters)
    ):
        kind = kinds.get((service, category))
        if kind is None:
            kind = kinds[(service, category)] = (service, category_of(category), pricer.table(service, category))
        people[account_id] = (route, kind)
    seen: set[str] = set()
    fee_of, factors = pricer.fee, pricer.factors
    for account_id, due_text, outstanding, fee_paid, waived in _raw_rows(s, _open_bills(filters)):
        person = people.get(account_id)
        if person is None:
            continue
        route, (service, kind, table) = person
        f = table.get(due_text) or factors(table, service, kind, due_text)
        r = by_route.get(route)
        if r is None:
            r = by_route[route] = [0] * (3 + len(BUCKETS))
        if account_id not in seen:
            seen.add(account_id)
            r[0] += 1  # an account is on one route: counted with its first bill
        r[1] += outstanding
        r[2] += fee_of(f, outstanding, fee_paid, waived)
        r[index[f[1]]] += outstanding


def ageing(db: Database, filters: Filters, in_sql: bool = True) -> Report:
    """What is owed on the report's last day (or today, if that is earlier): the outstanding
    principal of every open bill, in buckets by days past its due date, with the late fee it has
    earned by then; by route. A bucket's amount is principal; the late fees are a column of their own.

    The screen needs only the route × bucket table: the accounts in scope (id, route, service, usage
    category: no names) and the open bills are read in two plain queries and summed here, each bill
    priced with integer factors worked out once per due date (`LateFeePricer`). The account list
    behind it (names and phones masked) is a detail table made only when something reads it: the
    screen's "Accounts in arrears" table, the workbook, the PDF, `--json`, the reminders."""
    as_of = ageing_day(filters)
    by_route: dict[str, list] = {}  # route -> [accounts, principal, late fee, bucket amounts ...]
    index = {key: 3 + i for i, (key, *_) in enumerate(BUCKETS)}
    with db.read() as s:
        pricer = _pricer(s, as_of)
        summed = None
        if in_sql:
            dialect = s.get_bind().dialect.name
            summed = (_ageing_in_sql if dialect == "postgresql" else _ageing_in_sqlite)(s, filters, pricer, index)
        if summed is not None:
            by_route = summed
        else:
            _ageing_in_python(s, filters, pricer, index, by_route)
    rows = [
        {"route": route, "accounts": r[0], "principal": r[1], "late_fee": r[2], **{key: r[i] for key, i in index.items()}}
        for route, r in sorted(by_route.items())
    ]
    totals = {key: sum(r[key] for r in rows) for key in ("accounts", "principal", "late_fee", *(k for k, *_ in BUCKETS))}
    listing = LazyTable(
        QT_TRANSLATE_NOOP("reports", "Accounts in arrears"), AGEING_ACCOUNT_COLUMNS, lambda: _ageing_accounts(db, filters, as_of)
    )
    return Report(
        "ageing",
        QT_TRANSLATE_NOOP("reports", "Arrears ageing"),
        filters,
        AGEING_COLUMNS,
        rows,
        totals,
        chart=("route", "principal"),
        details={"accounts": listing},
    )


def _ageing_accounts(db: Database, filters: Filters, as_of: date, bucket: str = "") -> tuple[list[dict], dict]:
    """The accounts in arrears on `as_of` (names and phones masked), sorted by route and account, with
    their oldest bucket and due date, bills, principal and late fees; and the list's totals. With a
    `bucket`, only the bills in that bucket count: the accounts with at least one, and their bills,
    principal, late fees and oldest due date in it (so the list's principal is the bucket's amount)."""
    accounts: dict[tuple[str, str], dict] = {}  # (route, account) -> the account's line
    with db.read() as s:
        pricer = _pricer(s, as_of)
        kinds: dict[tuple[str, str], tuple] = {}
        people = {}
        scope = _account_scope(
            select(
                cast(Account.id, String),  # keys as text: no UUID object per row
                Account.account_no,
                Account.reading_route,
                Account.service,
                Account.usage_category,
                Customer.name,
                Customer.phone,
            ).join(Customer, Customer.id == Account.customer_id),
            filters,
        )
        bills = _open_bills(filters)
        if bucket:  # only the bills due within the bucket's days, and (not for one route) the accounts that have one
            days = _bucket_days(s, bucket, as_of)
            bills = bills.where(*days)
            if not filters.route:
                owing = select(Bill.account_id).where(text(OPEN_BILLS), Bill.amount_fen > Bill.paid_fen, *days)
                scope = scope.where(Account.id.in_(owing))
        for account_id, account_no, route, service, category, name, phone in _raw_rows(s, scope):
            kind = kinds.get((service, category))
            if kind is None:
                kind = kinds[(service, category)] = (service, category_of(category), pricer.table(service, category))
            people[account_id] = ((route, account_no), kind, name, phone)
        fee_of, factors = pricer.fee, pricer.factors
        for account_id, due_text, outstanding, fee_paid, waived in _raw_rows(s, bills):
            person = people.get(account_id)
            if person is None:
                continue
            key, (service, kind, table), name, phone = person
            f = table.get(due_text) or factors(table, service, kind, due_text)
            if bucket and f[1] != bucket:
                continue
            fee = fee_of(f, outstanding, fee_paid, waived)
            a = accounts.get(key)
            if a is None:  # names are masked once per account in arrears, not per account in scope
                accounts[key] = {
                    "account_no": key[1],
                    "name": mask_name(name),
                    "phone": mask_phone(phone),
                    "route": key[0],
                    "bucket": f[1],
                    "oldest_due": f[0],
                    "bills": 1,
                    "principal": outstanding,
                    "late_fee": fee,
                }
                continue
            a["bills"] += 1
            a["principal"] += outstanding
            a["late_fee"] += fee
            if f[0] < a["oldest_due"]:
                a["oldest_due"], a["bucket"] = f[0], f[1]
    listed = [accounts[key] for key in sorted(accounts)]
    return listed, _list_totals(listed)


def _bucket_days(s: Session, bucket: str, as_of: date) -> list:
    """The conditions on a bill's due date that put it in `bucket` on `as_of` (days past due from the
    bucket's lowest to its highest), with the day as the driver takes it (text on SQLite: the rows are
    read through `_raw_rows`, which binds values as they are)."""
    _, _, low, high = next(b for b in BUCKETS if b[0] == bucket)
    day = (lambda d: d) if s.get_bind().dialect.name == "postgresql" else (lambda d: d.isoformat())
    out = []
    if low is not None:
        out.append(Bill.due_date <= literal(day(as_of - timedelta(days=low))))
    if high is not None:
        out.append(Bill.due_date >= literal(day(as_of - timedelta(days=high))))
    return out


def _list_totals(listed: list[dict]) -> dict:
    return {key: sum(a[key] for a in listed) for key in ("bills", "principal", "late_fee")}


# ---------------------------------------------------------------- sales by tariff (售电量/售水量)

SALES_COLUMNS = [
    Column("period", QT_TRANSLATE_NOOP("reports", "Period")),
    Column("tariff", QT_TRANSLATE_NOOP("reports", "Tariff")),
    Column("item", QT_TRANSLATE_NOOP("reports", "Tier or register")),
    Column("quantity", QT_TRANSLATE_NOOP("reports", "Quantity"), "quantity"),
    Column("amount", QT_TRANSLATE_NOOP("reports", "Amount"), "money"),
]


def sales(db: Database, filters: Filters) -> Report:
    """Quantity and amount of the issued (not voided) bills of each period, by tariff and bill
    line (tier, time-of-use register, tier increment, surcharge). The totals' quantity is the
    bills' usage (a time-of-use bill's increment lines re-count quantity already on its register
    lines, so line quantities are not added up)."""
    periods = _periods(filters)
    with db.read() as s:
        if not filters.station:  # the summaries are kept per route and service, not per station
            return _sales_report(filters, *_sales_from_summary(s, filters, periods))
        cols = (Bill.period, Bill.tariff_code, BillLine.item)
        stmt = _account_scope(
            select(*cols, func.sum(BillLine.quantity), func.sum(BillLine.amount_fen))
            .join(Bill, Bill.id == BillLine.bill_id)
            .join(Account, Account.id == Bill.account_id)
            .where(Bill.period.in_(periods), Bill.status != "void")
            .group_by(*cols)
            .order_by(*cols),
            filters,
        )
        rows = [
            {"period": p, "tariff": t, "item": i, "quantity": Decimal(q or 0), "amount": int(a or 0)} for p, t, i, q, a in s.execute(stmt)
        ]
        usage_stmt = _account_scope(
            select(func.coalesce(func.sum(Bill.usage), 0), func.coalesce(func.sum(Bill.amount_fen), 0))
            .join(Account, Account.id == Bill.account_id)
            .where(Bill.period.in_(periods), Bill.status != "void"),
            filters,
        )
        usage, billed = s.execute(usage_stmt).one()
    return _sales_report(filters, rows, usage, billed)


def _sales_from_summary(s: Session, filters: Filters, periods: list[str]) -> tuple[list[dict], Decimal, int]:
    t, b = SalesSummary, BillSummary
    cols = (t.period, t.tariff_code, t.item)
    stmt = _summary_scope(
        select(*cols, func.sum(t.quantity), func.sum(t.amount_fen)).where(t.period.in_(periods)).group_by(*cols).order_by(*cols), filters, t
    )
    rows = [
        {"period": p, "tariff": tc, "item": i, "quantity": Decimal(q or 0), "amount": int(a or 0)} for p, tc, i, q, a in s.execute(stmt)
    ]
    usage_stmt = _summary_scope(
        select(func.coalesce(func.sum(b.usage), 0), func.coalesce(func.sum(b.billed_fen), 0)).where(b.period.in_(periods)), filters, b
    )
    usage, billed = s.execute(usage_stmt).one()
    return rows, usage, billed


def _sales_report(filters: Filters, rows: list[dict], usage, billed) -> Report:
    totals = {"quantity": Decimal(usage), "amount": sum(r["amount"] for r in rows)}
    assert totals["amount"] == int(billed), "bill lines do not add up to their bills"
    return Report(
        "sales", QT_TRANSLATE_NOOP("reports", "Sales by tariff"), filters, SALES_COLUMNS, rows, totals, chart=("tariff", "amount")
    )


def owed_accounts(db: Database, filters: Filters, bucket: str = "", as_of: date | None = None) -> list[dict]:
    """The ageing report's account list (without its route table), of one bucket if given: for dunning.
    `as_of` is the report's day unless given (reminders count late fees to the day they name)."""
    return _ageing_accounts(db, filters, as_of or ageing_day(filters), bucket)[0]


BUCKET_KEYS = tuple(key for key, *_ in BUCKETS)
BUCKET_NAMES = {  # what the command line accepts for a bucket, besides its key
    "not-due": "not_due",
    "1-30": "d1_30",
    "31-90": "d31_90",
    "91-180": "d91_180",
    "over-180": "d180_plus",
    "180+": "d180_plus",
}
ARREARS_LIST = QT_TRANSLATE_NOOP("reports", "Accounts in arrears")


def bucket_key(text: str) -> str:
    """A bucket's key from its key or its command-line name ("31-90"); "" for none. Anything else is
    refused at the field "bucket"."""
    text = (text or "").strip()
    if not text or text in BUCKET_KEYS:
        return text
    if text in BUCKET_NAMES:
        return BUCKET_NAMES[text]
    raise ValidationError.single(
        "bucket",
        QT_TRANSLATE_NOOP("messages", "There is no bucket “{name}”: not-due, 1-30, 31-90, 91-180 or over-180."),
        name=text,
    )


def ageing_list(db: Database, filters: Filters, bucket: str = "", route: str | None = None) -> Report:
    """The account list behind the ageing report (of one bucket, and one route when the filters name
    it) as a report of its own: the rows are the accounts, the totals the list's. What the screen's
    drill-down shows and exports, and `counterdesk report ageing --accounts [--bucket B]` prints.
    `route` is one row of the route table (the accounts without a route are the row ""), whatever
    the filters' route."""
    bucket = bucket_key(bucket)
    if route:
        filters = replace(filters, route=route)
    rows, totals = _ageing_accounts(db, filters, ageing_day(filters), bucket)
    if route is not None and not route:
        rows = [a for a in rows if a["route"] == ""]
        totals = _list_totals(rows)
    return Report(
        "ageing-accounts",
        ARREARS_LIST,
        filters,
        AGEING_ACCOUNT_COLUMNS,
        rows,
        dict(totals, accounts=len(rows)),
    )
