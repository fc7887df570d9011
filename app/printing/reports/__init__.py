"""Supervisors' reports on paper (PDF with a bar chart) and in Excel (.xlsx).

Both take a `ReportDocument`: plain, already translated titles and labels, and raw values with a
kind per column (money in integer fen, quantities and percentages as Decimal, counts as int), so
the PDF formats them for reading and the workbook keeps them as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class DocColumn:
    title: str
    kind: str = "text"  # text | money (fen) | quantity | count | percent | date


@dataclass
class DocTable:
    title: str
    columns: list[DocColumn]
    rows: list[list]  # raw values in column order; labels already translated
    totals: list | None = None  # a totals row in column order (None cells stay empty), or None


@dataclass
class ReportDocument:
    title: str  # 收费日报
    hall: str  # the station or company name at the top
    period: str  # "2026-11-01 – 2026-11-30" and the filters, as one line
    generated: datetime
    main: DocTable
    chart: tuple[list[str], list[float]] | None = None  # bar labels and values (yuan, percent or counts)
    chart_title: str = ""
    details: list[DocTable] = field(default_factory=list)
    footer: str = ""  # e.g. who printed it
    reprint: int = 0  # set by the print protocol: N prints REPRINT (N)
    chart_kind: str = ""  # the chart values' Column.kind: a percent chart runs to 100


def number_value(value, kind: str):
    """A raw value as the number a workbook or a chart keeps (yuan for money), or the text."""
    if value is None:
        return None
    if kind == "money":
        return Decimal(int(value)) / 100
    if kind in ("quantity", "percent") and isinstance(value, Decimal):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def cell_text(value, kind: str) -> str:
    """A raw value as it reads on paper."""
    from app.kernel.money import format_yuan

    if value is None or value == "":
        return "" if kind == "text" else "—"
    if kind == "money":
        return format_yuan(int(value), sign=False)
    if kind == "quantity":
        q = Decimal(value)
        return f"{int(q):,}" if q == q.to_integral_value() else f"{q:,.3f}"
    if kind == "percent":
        return f"{Decimal(value):.2f}%"
    if kind == "count":
        return f"{int(value):,}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
