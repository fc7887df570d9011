"""Work reports: meter readings done and their anomalies, and requests (matters) with their time
limits, first contact, repeats and call-back satisfaction."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import and_, case, func, literal_column, select, text

from app.db.engine import Database
from app.kernel.localtime import to_local, to_utc
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Account, Clerk, Matter, Meter, Reading, ReadingSummary
from app.models.billing import ANOMALOUS_READINGS
from app.services.billing.readings import HIGH_USAGE_FACTOR  # the entry check's factor: the same rule
from app.services.reports import Column, Filters, Report, Table, percent
from app.services.reports.finance import _account_scope, _periods, _summary_scope

# ---------------------------------------------------------------- readings (抄表完成率)

READING_COLUMNS = [
    Column("period", QT_TRANSLATE_NOOP("reports", "Period")),
    Column("route", QT_TRANSLATE_NOOP("reports", "Route")),
    Column("due", QT_TRANSLATE_NOOP("reports", "Meters due"), "count"),
    Column("read", QT_TRANSLATE_NOOP("reports", "Meters read"), "count"),
    Column("rate", QT_TRANSLATE_NOOP("reports", "Done %"), "percent"),
    Column("zero", QT_TRANSLATE_NOOP("reports", "Zero usage"), "count"),
    Column("high", QT_TRANSLATE_NOOP("reports", "Far above usual"), "count"),
    Column("rolled_over", QT_TRANSLATE_NOOP("reports", "Roll-over"), "count"),
]
ANOMALY_COLUMNS = [
    Column("period", QT_TRANSLATE_NOOP("reports", "Period")),
    Column("route", QT_TRANSLATE_NOOP("reports", "Route")),
    Column("account_no", QT_TRANSLATE_NOOP("reports", "Account")),
    Column("meter_no", QT_TRANSLATE_NOOP("reports", "Meter")),
    Column("usage", QT_TRANSLATE_NOOP("reports", "Usage"), "quantity"),
    Column("usual", QT_TRANSLATE_NOOP("reports", "Usual"), "quantity"),
    Column("anomaly", QT_TRANSLATE_NOOP("reports", "Anomaly")),
]


def readings(db: Database, filters: Filters) -> Report:
    """Per period and route: active meters of open accounts (due) and meters with a reading of the
    period (read), and the anomalies among the readings: zero usage, usage more than three times the
    register's usual (the average its high-usage check saw at entry, kept on the reading), and
    roll-overs; each anomaly listed. One aggregate counts, one query lists: no history is loaded."""
    periods = _periods(filters)
    factor = literal_column(str(HIGH_USAGE_FACTOR))  # a bare number: bound as a Quantity it would be scaled
    high = and_(Reading.usual.is_not(None), Reading.usual > 0, Reading.usage > Reading.usual * factor)
    zero = Reading.usage == 0
    rolled = Reading.rolled_over.is_(True)

    def scoped(*cols):
        return _account_scope(
            select(*cols)
            .join(Meter, Meter.id == Reading.meter_id)
            .join(Account, Account.id == Meter.account_id)
            .where(Reading.period.in_(periods)),
            filters,
        )

    if filters.station:  # the summary is kept per route and service, not per station
        counts = scoped(
            Reading.period,
            Account.reading_route,
            *(func.count(func.distinct(case((cond, Reading.meter_id)))) for cond in (Reading.meter_id.is_not(None), zero, high, rolled)),
        ).group_by(Reading.period, Account.reading_route)
    else:  # meters are counted once per period in their account's (one) service and route: the sums are exact
        r = ReadingSummary
        counts = select(r.period, r.route, func.sum(r.read), func.sum(r.zero), func.sum(r.high), func.sum(r.rolled_over))
        counts = _summary_scope(counts.where(r.period.in_(periods)).group_by(r.period, r.route), filters, r)
    listed = scoped(
        Reading.period,
        Account.reading_route,
        Account.account_no,
        Meter.meter_no,
        Reading.usage,
        Reading.usual,
        zero.label("zero"),
        high.label("high"),
        Reading.rolled_over,
    ).order_by(Reading.period, Account.reading_route, Account.account_no)
    due_stmt = _account_scope(
        select(Account.reading_route, func.count(Meter.id))
        .join(Account, Account.id == Meter.account_id)
        .where(Meter.status == "active", Account.status != "closed")
        .group_by(Account.reading_route),
        filters,
    )
    if not (filters.route or filters.station):
        # every route (or one service): on SQLite the accounts in key order through ix_accounts_ageing, each one's
        # meters through ix_meters_due (ordered by account): both indexes walked side by side, no row visited.
        # The planner would walk the route index to save the sort of the GROUP BY and look every account's
        # and meter's row up at random (docs/REPORTS.md, Speed).
        sqlite_due = text(
            "SELECT a.reading_route, count(*) FROM accounts a INDEXED BY ix_accounts_ageing "
            "CROSS JOIN meters m INDEXED BY ix_meters_due "
            "WHERE m.account_id = a.id AND m.status = 'active' AND a.status != 'closed'"
            + (" AND a.service = :service" if filters.service else "")
            + " GROUP BY a.reading_route"
        ).bindparams(**({"service": filters.service} if filters.service else {}))
    else:  # one route or station: the planner finds their accounts through the route's or customers' index
        sqlite_due = due_stmt
    rows: dict[tuple, dict] = {}
    anomalies = Table(QT_TRANSLATE_NOOP("reports", "Anomalies"), ANOMALY_COLUMNS)
    with db.read() as s:
        # the partial index's condition word for word (ix_readings_anomalies): the few anomalous readings, not the year's
        listed = listed.where(text(f"({ANOMALOUS_READINGS[s.get_bind().dialect.name]})"))
        due = dict(s.execute(sqlite_due if s.get_bind().dialect.name == "sqlite" else due_stmt).all())
        for period in periods:
            for route, count in sorted(due.items()):
                rows[(period, route)] = {
                    "period": period,
                    "route": route,
                    "due": int(count),
                    "read": 0,
                    "zero": 0,
                    "high": 0,
                    "rolled_over": 0,
                }
        for period, route, read, zeros, highs, rolls in s.execute(counts):
            row = rows.setdefault((period, route), {"period": period, "route": route, "due": 0})
            row.update(read=int(read), zero=int(zeros), high=int(highs), rolled_over=int(rolls))
        for period, route, account_no, meter_no, usage, usual, is_zero, is_high, roll in s.execute(listed):
            kinds_found = [
                kind
                for kind, flag in (
                    (QT_TRANSLATE_NOOP("reports", "zero usage"), is_zero),
                    (QT_TRANSLATE_NOOP("reports", "far above usual"), is_high),
                    (QT_TRANSLATE_NOOP("reports", "roll-over"), roll),
                )
                if flag
            ]
            anomalies.rows.extend(
                {
                    "period": period,
                    "route": route,
                    "account_no": account_no,
                    "meter_no": meter_no,
                    "usage": usage,
                    "usual": usual,
                    "anomaly": kind,
                }
                for kind in kinds_found
            )
    out = [dict(r, rate=percent(r["read"], r["due"])) for _, r in sorted(rows.items())]
    totals = {key: sum(r[key] for r in out) for key in ("due", "read", "zero", "high", "rolled_over")}
    totals["rate"] = percent(totals["read"], totals["due"])
    return Report(
        "readings",
        QT_TRANSLATE_NOOP("reports", "Readings"),
        filters,
        READING_COLUMNS,
        out,
        totals,
        chart=("route", "read"),
        details={"anomalies": anomalies},
    )


# ---------------------------------------------------------------- requests (工单统计)

REQUEST_COLUMNS = [
    Column("type", QT_TRANSLATE_NOOP("reports", "Kind")),
    Column("complaint_type", QT_TRANSLATE_NOOP("reports", "Cause")),
    Column("severity", QT_TRANSLATE_NOOP("reports", "Severity")),
    Column("registered", QT_TRANSLATE_NOOP("reports", "Registered"), "count"),
    Column("open", QT_TRANSLATE_NOOP("reports", "Open"), "count"),
    Column("closed", QT_TRANSLATE_NOOP("reports", "Closed"), "count"),
    Column("closed_in_time", QT_TRANSLATE_NOOP("reports", "Closed in time"), "count"),
    Column("compliance", QT_TRANSLATE_NOOP("reports", "In time %"), "percent"),
    Column("contact_due", QT_TRANSLATE_NOOP("reports", "First contact due"), "count"),
    Column("contacted_in_time", QT_TRANSLATE_NOOP("reports", "Contacted in time"), "count"),
    Column("repeats", QT_TRANSLATE_NOOP("reports", "Repeat complaints"), "count"),
    Column("rated", QT_TRANSLATE_NOOP("reports", "Called back"), "count"),
    Column("satisfied", QT_TRANSLATE_NOOP("reports", "Satisfied"), "count"),
    Column("satisfaction", QT_TRANSLATE_NOOP("reports", "Satisfied %"), "percent"),
]
OWNER_COLUMNS = [
    Column("owner", QT_TRANSLATE_NOOP("reports", "Owner")),
    Column("department", QT_TRANSLATE_NOOP("reports", "Department")),
    *[c for c in REQUEST_COLUMNS[3:]],
]
COUNTED = ("registered", "open", "closed", "closed_in_time", "contact_due", "contacted_in_time", "repeats", "rated", "satisfied")
SATISFIED = ("satisfied", "fairly_satisfied")


def _rates(row: dict) -> dict:
    return dict(row, compliance=percent(row["closed_in_time"], row["closed"]), satisfaction=percent(row["satisfied"], row["rated"]))


def requests(db: Database, filters: Filters) -> Report:
    """Matters registered in the period, by kind, cause and severity, and by owner and department:
    how many are open and closed, closed within their time limit (closed / closed in time), first
    contact made within its limit (where the kind has one), repeat complaints, and call-back
    satisfaction (satisfied or fairly satisfied / called back)."""
    lo = to_utc(datetime.combine(filters.start, time.min))
    hi = to_utc(datetime.combine(filters.end + timedelta(days=1), time.min))
    stmt = (
        select(
            Matter.type,
            Matter.complaint_type,
            Matter.severity,
            Matter.state,
            Matter.deadline_at,
            Matter.closed_at,
            Matter.contact_by,
            Matter.contacted_at,
            Matter.repeat_count,
            Matter.satisfaction,
            Clerk.name,
            Clerk.staff_no,
            Clerk.department,
            Matter.department,
        )
        .join(Clerk, Clerk.id == Matter.owner_id)
        .where(Matter.registered_at >= lo, Matter.registered_at < hi)
    )
    if filters.clerk:
        stmt = stmt.where(Clerk.login == filters.clerk)
    if filters.route or filters.service or filters.station:
        from app.models import Station

        if filters.station:
            stmt = stmt.where(Matter.station_id.in_(select(Station.id).where(Station.code == filters.station)))
        if filters.route or filters.service:
            stmt = _account_scope(
                stmt.join(Account, Account.id == Matter.account_id),
                Filters(filters.start, filters.end, "", filters.route, "", filters.service),
            )
    kinds: dict[tuple, dict] = {}
    owners: dict[tuple, dict] = {}
    with db.read() as s:
        for (
            mtype,
            cause,
            severity,
            state,
            deadline,
            closed_at,
            contact_by,
            contacted_at,
            repeats,
            satisfaction,
            owner,
            staff_no,
            owner_dept,
            matter_dept,
        ) in s.execute(stmt):
            facts = {
                "registered": 1,
                "open": int(state != "closed"),
                "closed": int(state == "closed"),
                "closed_in_time": int(state == "closed" and closed_at is not None and to_local(closed_at) <= deadline),
                "contact_due": int(contact_by is not None),
                "contacted_in_time": int(contact_by is not None and contacted_at is not None and to_local(contacted_at) <= contact_by),
                "repeats": int((repeats or 0) > 0),
                "rated": int(bool(satisfaction)),
                "satisfied": int(satisfaction in SATISFIED),
            }
            for table, key, seed in (
                (kinds, (mtype, cause, severity), {"type": mtype, "complaint_type": cause, "severity": severity}),
                (owners, (owner, staff_no), {"owner": f"{owner} ({staff_no})", "department": owner_dept or matter_dept}),
            ):
                row = table.setdefault(key, dict(seed, **{k: 0 for k in COUNTED}))
                for k, v in facts.items():
                    row[k] += v
    rows = [_rates(r) for _, r in sorted(kinds.items())]
    totals = _rates({k: sum(r[k] for r in rows) for k in COUNTED})
    by_owner = Table(QT_TRANSLATE_NOOP("reports", "By owner"), OWNER_COLUMNS, [_rates(r) for _, r in sorted(owners.items())], totals)
    return Report(
        "requests",
        QT_TRANSLATE_NOOP("reports", "Requests"),
        filters,
        REQUEST_COLUMNS,
        rows,
        totals,
        chart=("type", "registered"),
        details={"by_owner": by_owner},
    )
