"""A report as readers see it: codes turned into words, and the printable document for the PDF and the
workbook. The window's table, the command line, the PDF and the .xlsx all name values through
`value_text`, so they say the same words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.localtime import local_now
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.payment_methods import method_name
from app.printing.reports import DocColumn, DocTable, ReportDocument, cell_text, number_value
from app.services import audit
from app.services.billing.pricing import ITEM_LABELS
from app.services.billing.pricing import LABEL_CONTEXT as ITEM_CONTEXT
from app.services.handling import kinds
from app.services.reports import CONTEXT, Filters, Report, Table
from app.services.reports.finance import BUCKETS
from app.services.reports.service import ALL_CLERKS

USAGE_CATEGORIES = {
    "residential": QT_TRANSLATE_NOOP("reports", "Residential"),
    "general_commercial": QT_TRANSLATE_NOOP("reports", "General commercial & industrial"),
    "large_industry": QT_TRANSLATE_NOOP("reports", "Large industry"),
    "agriculture": QT_TRANSLATE_NOOP("reports", "Agriculture"),
    "non_residential": QT_TRANSLATE_NOOP("reports", "Non-residential"),
    "special": QT_TRANSLATE_NOOP("reports", "Special"),
}
SHIFT_STATES = {
    "open": QT_TRANSLATE_NOOP("reports", "open"),
    "closed": QT_TRANSLATE_NOOP("reports", "closed"),
    "signed_off": QT_TRANSLATE_NOOP("reports", "signed off"),
}
ANOMALIES = {
    QT_TRANSLATE_NOOP("reports", "zero usage"),
    QT_TRANSLATE_NOOP("reports", "far above usual"),
    QT_TRANSLATE_NOOP("reports", "roll-over"),
}
NO_ROUTE = QT_TRANSLATE_NOOP("reports", "(no route)")
CONTACT_KINDS = {
    "inquiry": QT_TRANSLATE_NOOP("reports", "Inquiry"),
    "payment": QT_TRANSLATE_NOOP("reports", "Payment"),
    "application": QT_TRANSLATE_NOOP("reports", "Application"),
    "complaint": QT_TRANSLATE_NOOP("reports", "Complaint"),
    "opinion": QT_TRANSLATE_NOOP("reports", "Opinion"),
    "fault": QT_TRANSLATE_NOOP("reports", "Fault report"),
    "other": QT_TRANSLATE_NOOP("reports", "Other"),
    "dunning": QT_TRANSLATE_NOOP("reports", "Arrears reminder"),
}


def value_text(key: str, value, translate) -> str | None:
    """The words for a coded value of column `key`, or None when the value is not a code."""
    if not isinstance(value, str):
        return None
    if key == "method":
        return method_name(value, translate)
    if key == "usage_category" and value in USAGE_CATEGORIES:
        return translate(CONTEXT, USAGE_CATEGORIES[value])
    if key == "status" and value in SHIFT_STATES:
        return translate(CONTEXT, SHIFT_STATES[value])
    if key in ("bucket",):
        return next((translate(CONTEXT, title) for k, title, *_ in BUCKETS if k == value), value)
    if key == "anomaly" and value in ANOMALIES:
        return translate(CONTEXT, value)
    if key == "route" and value == "":
        return translate(CONTEXT, NO_ROUTE)
    if key == "contact_kind" and value in CONTACT_KINDS:
        return translate(CONTEXT, CONTACT_KINDS[value])
    if key == "clerk":
        return translate(CONTEXT, ALL_CLERKS) if value == ALL_CLERKS else None
    if key == "item":
        return translate(ITEM_CONTEXT, ITEM_LABELS[value]) if value in ITEM_LABELS else value
    if key in ("type", "complaint_type", "severity"):
        if key == "type":
            kind = kinds.KINDS.get(value)  # a kind this program no longer knows keeps its stored name
            return translate(kinds.LABEL_CONTEXT, kind.label) if kind else value
        table = kinds.COMPLAINT_TYPES if key == "complaint_type" else kinds.SEVERITIES
        return translate(kinds.LABEL_CONTEXT, table[value]) if value in table else value
    return None


# The columns whose text values value_text() may turn into words (keep with value_text): other columns'
# values (names, account numbers) go out as they are, without asking it for each of 100,000 rows.
CODED = frozenset(
    (
        "method",
        "usage_category",
        "status",
        "bucket",
        "anomaly",
        "route",
        "contact_kind",
        "clerk",
        "item",
        "type",
        "complaint_type",
        "severity",
    )
)
_NOT_ASKED = object()


def _cells_of(rows, columns, translate) -> list[list]:
    """Each row's values in column order, codes in words: value_text asked once per column and value."""
    keys = [c.key for c in columns]
    coded = [(i, c.key, {}) for i, c in enumerate(columns) if c.kind == "text" and c.key in CODED]
    out = []
    for row in rows:
        get = row.get
        cells = [get(k) for k in keys]
        for i, key, words in coded:
            value = cells[i]
            if isinstance(value, str):
                said = words.get(value, _NOT_ASKED)
                if said is _NOT_ASKED:
                    said = words[value] = value_text(key, value, translate)
                if said is not None:
                    cells[i] = said
        out.append(cells)
    return out


def _doc_table(table: Table | None, title: str, columns, rows, totals, translate) -> DocTable:
    cols = [DocColumn(translate(CONTEXT, c.title), c.kind) for c in columns]
    total_row = None
    if totals:
        total_row = [totals.get(c.key) if c.key in totals else None for c in columns]
        first_text = next((i for i, c in enumerate(columns) if c.kind == "text" or c.key in ("day", "period")), None)
        if first_text is not None and total_row[first_text] is None:
            total_row[first_text] = translate(CONTEXT, TOTAL)
    return DocTable(translate(CONTEXT, title), cols, _cells_of(rows, columns, translate), total_row)


TOTAL = QT_TRANSLATE_NOOP("reports", "Total")


def filters_text(filters: Filters, translate) -> str:
    parts = [f"{filters.start.isoformat()} – {filters.end.isoformat()}"]
    for label, value in (
        (QT_TRANSLATE_NOOP("reports", "station"), filters.station),
        (QT_TRANSLATE_NOOP("reports", "route"), filters.route),
        (QT_TRANSLATE_NOOP("reports", "clerk"), filters.clerk),
        (QT_TRANSLATE_NOOP("reports", "service"), filters.service),
    ):
        if value:
            parts.append(f"{translate(CONTEXT, label)} {value}")
    if filters.cutoff:
        parts.append(f"{translate(CONTEXT, CUTOFF)} {filters.cutoff.isoformat()}")
    return " · ".join(parts)


CUTOFF = QT_TRANSLATE_NOOP("reports", "collected by")


def chart_of(report: Report, translate) -> tuple[str, list[str], list[float]]:
    """The report's bar chart: its title and one bar per label. Rows of one label (a day's clerks, a
    route's categories) add up into one bar; a percentage is never added up, so a report charting
    one names the table that has a row per label (`Report.chart` = (label, value, detail table))."""
    if not report.chart:
        return "", [], []
    label_key, value_key, columns, rows = _chart_source(report)
    kind = chart_kind(report)
    title = next((translate(CONTEXT, c.title) for c in columns if c.key == value_key), "")
    bars: dict[str, float] = {}
    for row in rows:
        value = number_value(row.get(value_key), kind)
        if value is None:
            continue
        label = row.get(label_key)
        words = value_text(label_key, label, translate)
        name = str(words if words is not None else label)
        if kind == "percent" and name in bars:
            raise ValueError(f"report {report.name}: several rows of {name!r} for the percentage chart; name a table with one row each")
        bars[name] = bars.get(name, 0.0) + float(value)
    return title, list(bars), list(bars.values())


def _chart_source(report: Report) -> tuple[str, str, list, list[dict]]:
    """(label key, value key, columns, rows) of the table the chart is drawn from."""
    label_key, value_key, *source = report.chart
    table = report.details[source[0]] if source else None
    return label_key, value_key, (table.columns if table else report.columns), (table.rows if table else report.rows)


def chart_kind(report: Report) -> str:
    """The kind of the chart's values (Column.kind: money, count, quantity, percent, ...)."""
    if not report.chart:
        return ""
    _label, value_key, columns, _rows = _chart_source(report)
    return next((c.kind for c in columns if c.key == value_key), "count")


def chart_value_text(value: float, kind: str) -> str:
    """A bar's value (as chart_of gives it: yuan for money) written as the table writes it (cell_text)."""
    if kind == "money":
        return cell_text(int((Decimal(str(value)) * 100).to_integral_value()), kind)
    if kind in ("percent", "quantity"):
        return cell_text(Decimal(str(value)), kind)
    return cell_text(round(value), "count")


def document_of(report: Report, translate, hall: str, printed_by: str = "") -> ReportDocument:
    """The printable document of a report: translated titles and words, raw numbers."""
    main = _doc_table(None, report.title, report.columns, report.rows, report.totals, translate)
    value_title, labels, values = chart_of(report, translate)
    chart = (labels, values) if labels else None
    details = [_doc_table(t, t.title, t.columns, t.rows, t.totals, translate) for t in report.details.values()]
    footer = translate(CONTEXT, QT_TRANSLATE_NOOP("reports", "Printed by %1")).replace("%1", printed_by) if printed_by else ""
    return ReportDocument(
        translate(CONTEXT, report.title),
        hall,
        filters_text(report.filters, translate),
        local_now(),
        main,
        chart,
        value_title,
        details,
        footer,
        chart_kind=chart_kind(report),
    )


def export_xlsx(db: Database, actor: Actor, report: Report, target: str | Path, translate, hall: str) -> Path:
    """Write the report's workbook (all of it, detail sheets included) and audit the export."""
    from app.printing.reports.xlsx import write_report

    path = write_report(document_of(report, translate, hall, actor.clerk_name), target)
    with db.write() as s:
        audit.record(
            s,
            actor,
            "export",
            "report",
            report.name,
            after={
                "report": report.name,
                "from": report.filters.start.isoformat(),
                "to": report.filters.end.isoformat(),
                "station": report.filters.station,
                "route": report.filters.route,
                "file": Path(path).name,
                "rows": len(report.rows),
            },
        )
    return path


@dataclass(frozen=True)
class ReportRequest:
    """A report to print through the print protocol (app.services.documents, kind "report")."""

    name: str
    filters: Filters

    @property
    def number(self) -> str:
        f = self.filters
        scope = "-".join(x for x in (f.station, f.route, f.clerk, f.service) if x)
        return f"{self.name}-{f.start:%Y%m%d}-{f.end:%Y%m%d}" + (f"-{scope}" if scope else "")


def hall_name(db: Database, actor: Actor) -> str:
    from app.models import Station

    with db.read() as s:
        station = s.get(Station, actor.station_id)
        return f"{station.company_name} {station.name}".strip() if station else actor.station_name


def load_document(db: Database, actor: Actor, request: ReportRequest, translate) -> ReportDocument:
    from app.services.reports import run

    return document_of(run(db, actor, request.name, request.filters), translate, hall_name(db, actor), actor.clerk_name)
