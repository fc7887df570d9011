"""The counter's service: the customers' ratings on the satisfaction pad by clerk and by kind of
business, and the queue's waiting and service times by kind and clerk (from app.services.counter)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from app.db.engine import Database
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Station
from app.services.counter import service_quality as sq
from app.services.reports import Column, Filters, Report, Table

RATING_COLUMNS = [
    Column("rated", QT_TRANSLATE_NOOP("reports", "Rated"), "count"),
    Column("very_satisfied", QT_TRANSLATE_NOOP("reports", "Very satisfied"), "count"),
    Column("satisfied", QT_TRANSLATE_NOOP("reports", "Satisfied"), "count"),
    Column("neutral", QT_TRANSLATE_NOOP("reports", "Neutral"), "count"),
    Column("dissatisfied", QT_TRANSLATE_NOOP("reports", "Dissatisfied"), "count"),
    Column("not_rated", QT_TRANSLATE_NOOP("reports", "Not rated"), "count"),
    Column("share", QT_TRANSLATE_NOOP("reports", "Satisfied %"), "percent"),
]
CLERK_COLUMNS = [Column("clerk", QT_TRANSLATE_NOOP("reports", "Clerk")), *RATING_COLUMNS]
KIND_COLUMNS = [Column("contact_kind", QT_TRANSLATE_NOOP("reports", "Business")), *RATING_COLUMNS]
QUEUE_COLUMNS = [
    Column("ticket_kind", QT_TRANSLATE_NOOP("reports", "Ticket kind")),
    Column("clerk", QT_TRANSLATE_NOOP("reports", "Clerk")),
    Column("tickets", QT_TRANSLATE_NOOP("reports", "Tickets"), "count"),
    Column("wait_min", QT_TRANSLATE_NOOP("reports", "Average wait (min)"), "quantity"),
    Column("service_min", QT_TRANSLATE_NOOP("reports", "Average service (min)"), "quantity"),
]
ALL_CLERKS = QT_TRANSLATE_NOOP("reports", "all clerks")


def _counts(s: sq.Satisfaction) -> dict:
    share = s.share_satisfied
    return {"rated": s.rated, **s.counts, "not_rated": s.not_rated, "share": share.quantize(Decimal("0.01")) if share is not None else None}


def _minutes(delta) -> Decimal | None:
    return None if delta is None else (Decimal(delta.total_seconds()) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def service(db: Database, filters: Filters) -> Report:
    """Ratings by clerk (the main table), by kind of business, and the queue's times."""
    station_id = None
    if filters.station:
        with db.read() as s:
            station_id = s.scalar(select(Station.id).where(Station.code == filters.station))
    ratings = sq.satisfaction_report(db, filters.start, filters.end, station_id)
    rows = [{"clerk": f"{c.clerk_name} ({c.staff_no})", **_counts(c.satisfaction)} for c in ratings.by_clerk]
    by_kind = Table(
        QT_TRANSLATE_NOOP("reports", "By kind of business"),
        KIND_COLUMNS,
        [{"contact_kind": kind, **_counts(sat)} for kind, sat in ratings.by_kind.items()],
        _counts(ratings.total),
    )
    queue = Table(QT_TRANSLATE_NOOP("reports", "Queue: waiting and service"), QUEUE_COLUMNS)
    for t in sq.ticket_times(db, filters.start, filters.end, station_id):
        queue.rows.append(
            {
                "ticket_kind": t.kind,
                "clerk": f"{t.clerk_name} ({t.staff_no})" if t.clerk_id else ALL_CLERKS,
                "tickets": t.tickets,
                "wait_min": _minutes(t.average_wait),
                "service_min": _minutes(t.average_service),
            }
        )
    queue.totals = {"tickets": sum(r["tickets"] for r in queue.rows if r["clerk"] == ALL_CLERKS)}
    return Report(
        "service",
        QT_TRANSLATE_NOOP("reports", "Service ratings and queue"),
        filters,
        CLERK_COLUMNS,
        rows,
        _counts(ratings.total),
        chart=("clerk", "share"),
        details={"by_kind": by_kind, "queue": queue},
    )
