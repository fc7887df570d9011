"""Supervisors' reports: one shape for every report, whatever renders it.

A report is a `Report`: named columns, rows (dicts keyed by column), totals, and optional
detail tables (the shifts behind collections, the accounts behind each ageing bucket). Money is
integer fen in rows and totals; `as_json` turns it into decimal strings of yuan. The window shows
a Report in a table and a chart, `app/printing/reports` puts it on paper and into .xlsx, and
`counterdesk report NAME` prints it; each gets exactly the same figures from `run()`.

Only supervisors and administrators read reports (`run` refuses others, naming the role).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import PermissionDenied, ValidationError
from app.kernel.localtime import local_today
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import from_fen

CONTEXT = "reports"  # translation context of column titles and report names
MAX_DAYS = 3 * 366 + 1  # a longer span is a typing error at a counter (and a slow screen)
SERVICES = ("electricity", "water")


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # English source text in the "reports" context
    kind: str = "text"  # text | money (fen) | quantity (Decimal) | count | percent (Decimal, 0-100) | date


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    station: str = ""  # station code; "" = every station in the store
    route: str = ""
    clerk: str = ""  # login
    service: str = ""  # electricity | water | ""
    cutoff: date | None = None  # collection rate: collected up to the end of this day (None: today)


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


class LazyTable(Table):
    """A detail table made only when its rows or totals are first read (the ageing report's list of every
    account in arrears: a screen showing the route table never builds it). `load()` returns (rows, totals)."""

    def __init__(self, title: str, columns: list[Column], load: Callable[[], tuple[list[dict], dict]]) -> None:
        self.title = title
        self.columns = columns
        self._load = load
        self._made: tuple[list[dict], dict] | None = None

    def _get(self) -> tuple[list[dict], dict]:
        if self._made is None:
            self._made = self._load()
        return self._made

    @property
    def loaded(self) -> bool:
        return self._made is not None

    @property
    def rows(self) -> list[dict]:  # type: ignore[override]
        return self._get()[0]

    @property
    def totals(self) -> dict:  # type: ignore[override]
        return self._get()[1]


@dataclass
class Report:
    name: str
    title: str
    filters: Filters
    columns: list[Column]
    rows: list[dict]
    totals: dict
    chart: tuple[str, ...] | None = None  # (label column, value column[, detail table with one row per label])
    details: dict[str, Table] = field(default_factory=dict)

    def as_json(self) -> dict:
        out = {
            "report": self.name,
            "from": self.filters.start.isoformat(),
            "to": self.filters.end.isoformat(),
            **({"cutoff": self.filters.cutoff.isoformat()} if self.filters.cutoff else {}),
            "rows": [_json_row(r, self.columns) for r in self.rows],
            "totals": _json_row(self.totals, self.columns),
        }
        for key, table in self.details.items():
            out[key] = [_json_row(r, table.columns) for r in table.rows]
        return out


def _json_value(value, kind: str):
    if value is None:
        return None
    if kind == "money":
        return str(from_fen(value))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_row(row: dict, columns: list[Column]) -> dict:
    kinds = {c.key: c.kind for c in columns}
    return {k: _json_value(v, kinds.get(k, "money" if k.endswith("_fen") else "text")) for k, v in row.items()}


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole as a percentage with two decimals; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def check_filters(filters: Filters) -> Filters:
    if filters.end < filters.start:
        raise ValidationError.single("end", QT_TRANSLATE_NOOP("messages", "The period ends before it starts."))
    if (filters.end - filters.start).days + 1 > MAX_DAYS:
        raise ValidationError.single("end", QT_TRANSLATE_NOOP("messages", "A report covers at most three years; choose a shorter period."))
    if filters.cutoff is not None and filters.cutoff < filters.start:
        raise ValidationError.single("cutoff", QT_TRANSLATE_NOOP("messages", "The cut-off day is before the period starts."))
    if filters.service and filters.service not in SERVICES:
        raise ValidationError.single("service", QT_TRANSLATE_NOOP("messages", "The service is electricity or water."))
    return filters


NAMES = {
    "collections": QT_TRANSLATE_NOOP("reports", "Collections"),
    "collection-rate": QT_TRANSLATE_NOOP("reports", "Collection rate"),
    "ageing": QT_TRANSLATE_NOOP("reports", "Arrears ageing"),
    "sales": QT_TRANSLATE_NOOP("reports", "Sales by tariff"),
    "readings": QT_TRANSLATE_NOOP("reports", "Readings"),
    "requests": QT_TRANSLATE_NOOP("reports", "Requests"),
    "service": QT_TRANSLATE_NOOP("reports", "Service ratings and queue"),
}


# Reports of bills by their billing period: this month's bills are issued only after its readings, so
# their screens open on the last month, which has bills; the others open on this month so far.
BY_BILLING_PERIOD = ("collection-rate", "sales")


def opening_period(name: str, today: date) -> tuple[date, date]:
    """The period a report's screen opens with: the last whole month for reports by billing period,
    else this month from its first day to today."""
    if name in BY_BILLING_PERIOD:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today.replace(day=1), today


def _builders() -> dict[str, Callable[[Database, Filters], Report]]:
    from app.services.reports import finance, operations, service

    return {
        "collections": finance.collections,
        "collection-rate": finance.collection_rate,
        "ageing": finance.ageing,
        "sales": finance.sales,
        "readings": operations.readings,
        "requests": operations.requests,
        "service": service.service,
    }


def run(db: Database, actor: Actor, name: str, filters: Filters) -> Report:
    """The report `name` for `filters`, for a supervisor or an administrator."""
    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Reports are for supervisors and administrators, not for clerks."))
    builders = _builders()
    if name not in builders:
        raise ValidationError.single("report", QT_TRANSLATE_NOOP("messages", "There is no report “{name}”."), name=name)
    return builders[name](db, check_filters(filters))


def arrears_list(db: Database, actor: Actor, filters: Filters, bucket: str = "", route: str | None = None) -> Report:
    """The accounts behind the ageing report, of one bucket (its key or "31-90") and of the filters'
    route if named (or of `route`, one row of the route table), as a report of their own (names and
    phones masked); for supervisors and administrators."""
    from app.services.reports import finance

    if not actor.is_supervisor:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Reports are for supervisors and administrators, not for clerks."))
    return finance.ageing_list(db, check_filters(filters), bucket, route)


def today() -> date:
    return local_today()
