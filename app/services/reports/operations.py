"""Work reports: meter readings done and their anomalies, and requests (matters) with their time
limits, first contact, repeats and call-back satisfaction."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, literal_column, or_, select, type_coerce

from app.db.engine import Database
from app.kernel.localtime import to_local, to_utc
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Account, Clerk, Matter, Meter, Reading
from app.models.types import Quantity
from app.services.reports import Column, Filters, Report, Table, percent
from app.services.reports.finance import _account_scope, _periods

HIGH_USAGE_FACTOR = 3  # usage above 3 x the meter's average of its three periods before is an anomaly

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


def _months_before(period: str, n: int) -> str:
    y, m = int(period[:4]), int(period[5:]) - n
    while m < 1:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}"


def readings(db: Database, filters: Filters) -> Report:
    """Per period and route: active meters of open accounts (due) and meters with a reading of the
    period (read), and the anomalies among them: zero usage, usage more than three times the meter's
    average over its three periods before, and roll-overs; each anomaly listed. The database does the
    counting (a window over each meter's periods), so only the anomalies come back as rows."""
    periods = _periods(filters)
    per = (select(Reading.meter_id, Reading.period, func.sum(Reading.usage).label("u"),
                  func.max(case((Reading.rolled_over, 1), else_=0)).label("r"))
           .where(Reading.period >= _months_before(periods[0], 3), Reading.period <= periods[-1])
           .group_by(Reading.meter_id, Reading.period)).cte("per")
    usual = type_coerce(func.avg(per.c.u).over(partition_by=per.c.meter_id, order_by=per.c.period, rows=(-3, -1)), Quantity)
    windowed = select(per.c.meter_id, per.c.period, per.c.u, per.c.r, usual.label("usual")).cte("windowed")
    w = windowed.c
    zero = w.u == 0
    high = and_(w.usual.is_not(None), w.usual > 0, w.u > w.usual * literal_column(str(HIGH_USAGE_FACTOR)))  # a bare number: not a Quantity
    rolled = w.r == 1
    joined = lambda cols: _account_scope(select(*cols).select_from(windowed).join(Meter, Meter.id == w.meter_id)  # noqa: E731
                                         .join(Account, Account.id == Meter.account_id).where(w.period.in_(periods)), filters)
    counts = joined((w.period, Account.reading_route, func.count(), func.sum(case((zero, 1), else_=0)), func.sum(case((high, 1), else_=0)),
                     func.sum(w.r))).group_by(w.period, Account.reading_route)
    listed = joined((w.period, Account.reading_route, Account.account_no, Meter.meter_no, w.u, w.usual, w.r)).where(
        or_(zero, high, rolled)).order_by(w.period, Account.reading_route, Account.account_no)
    due_stmt = _account_scope(
        select(Account.reading_route, func.count(Meter.id)).join(Account, Account.id == Meter.account_id)
        .where(Meter.status == "active", Account.status != "closed").group_by(Account.reading_route), filters)
    rows: dict[tuple, dict] = {}
    anomalies = Table(QT_TRANSLATE_NOOP("reports", "Anomalies"), ANOMALY_COLUMNS)
    with db.read() as s:
        due = dict(s.execute(due_stmt).all())
        for period in periods:
            for route, count in sorted(due.items()):
                rows[(period, route)] = {"period": period, "route": route, "due": int(count), "read": 0, "zero": 0, "high": 0, "rolled_over": 0}
        for period, route, read, zeros, highs, rolls in s.execute(counts):
            row = rows.setdefault((period, route), {"period": period, "route": route, "due": 0})
            row.update(read=int(read), zero=int(zeros or 0), high=int(highs or 0), rolled_over=int(rolls or 0))
        for period, route, account_no, meter_no, usage, usual_usage, roll in s.execute(listed):
            usual_q = usual_usage.quantize(Decimal("0.001")) if usual_usage is not None else None
            found = []
            if usage == 0:
                found.append(QT_TRANSLATE_NOOP("reports", "zero usage"))
            if usual_q and usage > HIGH_USAGE_FACTOR * usual_q:
                found.append(QT_TRANSLATE_NOOP("reports", "far above usual"))
            if roll:
                found.append(QT_TRANSLATE_NOOP("reports", "roll-over"))
            anomalies.rows.extend({"period": period, "route": route, "account_no": account_no, "meter_no": meter_no, "usage": usage,
                                   "usual": usual_q, "anomaly": kind} for kind in found)
    out = [dict(r, rate=percent(r["read"], r["due"])) for _, r in sorted(rows.items())]
    totals = {key: sum(r[key] for r in out) for key in ("due", "read", "zero", "high", "rolled_over")}
    totals["rate"] = percent(totals["read"], totals["due"])
    return Report("readings", QT_TRANSLATE_NOOP("reports", "Readings"), filters, READING_COLUMNS, out, totals,
                  chart=("route", "rate"), details={"anomalies": anomalies})


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
    stmt = (select(Matter.type, Matter.complaint_type, Matter.severity, Matter.state, Matter.deadline_at, Matter.closed_at,
                   Matter.contact_by, Matter.contacted_at, Matter.repeat_count, Matter.satisfaction, Clerk.name, Clerk.staff_no,
                   Clerk.department, Matter.department)
            .join(Clerk, Clerk.id == Matter.owner_id).where(Matter.registered_at >= lo, Matter.registered_at < hi))
    if filters.clerk:
        stmt = stmt.where(Clerk.login == filters.clerk)
    if filters.route or filters.service or filters.station:
        from app.models import Station

        if filters.station:
            stmt = stmt.where(Matter.station_id.in_(select(Station.id).where(Station.code == filters.station)))
        if filters.route or filters.service:
            stmt = _account_scope(stmt.join(Account, Account.id == Matter.account_id), Filters(filters.start, filters.end, "", filters.route,
                                                                                             "", filters.service))
    kinds: dict[tuple, dict] = {}
    owners: dict[tuple, dict] = {}
    with db.read() as s:
        for (mtype, cause, severity, state, deadline, closed_at, contact_by, contacted_at, repeats, satisfaction, owner, staff_no,
             owner_dept, matter_dept) in s.execute(stmt):
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
            for table, key, seed in ((kinds, (mtype, cause, severity), {"type": mtype, "complaint_type": cause, "severity": severity}),
                                     (owners, (owner, staff_no), {"owner": f"{owner} ({staff_no})", "department": owner_dept or matter_dept})):
                row = table.setdefault(key, dict(seed, **{k: 0 for k in COUNTED}))
                for k, v in facts.items():
                    row[k] += v
    rows = [_rates(r) for _, r in sorted(kinds.items())]
    totals = _rates({k: sum(r[k] for r in rows) for k in COUNTED})
    by_owner = Table(QT_TRANSLATE_NOOP("reports", "By owner"), OWNER_COLUMNS, [_rates(r) for _, r in sorted(owners.items())], totals)
    return Report("requests", QT_TRANSLATE_NOOP("reports", "Requests"), filters, REQUEST_COLUMNS, rows, totals,
                  chart=("type", "registered"), details={"by_owner": by_owner})
