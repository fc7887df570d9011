"""A report as an Excel workbook: one sheet for the report and one per detail table, Chinese headers
in a frozen first row, numbers as numbers (money in yuan with two decimals), a totals row.

XlsxWriter in constant-memory mode writes row by row, so a list of 100,000 accounts stays small in
memory. The workbook is written beside the target and renamed onto it only when complete; a failure
leaves no file behind.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from app.kernel.outfile import staged
from app.printing.reports import DocTable, ReportDocument, number_value

FORMATS = {
    "money": {"num_format": "#,##0.00"},
    "quantity": {"num_format": "#,##0.###"},
    "count": {"num_format": "#,##0"},
    "percent": {"num_format": "0.00"},
}
WIDTHS = {"money": 14, "quantity": 14, "count": 10, "percent": 10, "date": 12, "text": 18}


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _write_table(book, sheet_name: str, table: DocTable, heading: list[str], formats: dict) -> None:
    ws = book.add_worksheet(sheet_name)
    header_row = len(heading)
    for r, line in enumerate(heading):
        ws.write_string(r, 0, line, formats["title"] if r == 0 else formats["plain"])
    for c, col in enumerate(table.columns):
        ws.set_column(c, c, max(WIDTHS.get(col.kind, 18), min(40, len(col.title) * 2 + 2)), formats.get(col.kind))
        ws.write_string(header_row, c, col.title, formats["header"])
    ws.freeze_panes(header_row + 1, 0)
    row_no = header_row + 1
    # The body: one write_row per row, each value already what the cell keeps; the number formats are
    # the columns' (set_column above), so no cell carries a format of its own.
    convert = [_CONVERT.get(col.kind, _text) for col in table.columns]
    write_row = ws.write_row
    for row in table.rows:
        write_row(row_no, 0, [f(v) for f, v in zip(convert, row)])
        row_no += 1
    if table.totals is not None:
        for c, (value, col) in enumerate(zip(table.totals, table.columns)):
            fmt = formats.get(f"total_{col.kind}", formats["total_text"])
            if value is None:
                ws.write_blank(row_no, c, None, fmt)
            else:
                _write(ws, row_no, c, value, col.kind, formats, fmt)


def _money(value):
    return value / 100 if isinstance(value, int) else _number(value)  # fen to yuan: int / 100 rounds as float(Decimal(fen) / 100)


def _number(value):
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return value
    return float(value)


def _text(value):
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


_CONVERT = {"money": _money, "quantity": _number, "count": _number, "percent": _number}


def _write(ws, r: int, c: int, value, kind: str, formats: dict, fmt=None) -> None:
    value = number_value(value, kind)
    if value is None:
        return
    if kind in FORMATS and not isinstance(value, str):
        ws.write_number(r, c, float(value), fmt or formats[kind])
    else:
        ws.write_string(r, c, str(value), fmt or formats.get("plain"))


def write_report(doc: ReportDocument, target: str | os.PathLike, force: bool = True, field: str = "xlsx") -> Path:
    """Write the workbook through a temporary file beside `target` (already checked with
    app.kernel.outfile.check_output); replaces an existing file only with `force`. A failure leaves
    nothing behind and is a UserError in words (disk full, no permission ...)."""
    target = Path(target)
    with staged(target, force, field=field) as tmp:
        # Text stays text: a name starting with "=" or looking like a link is never a formula or a hyperlink.
        options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
        book = xlsxwriter.Workbook(str(tmp), options)
        formats = {kind: book.add_format(spec) for kind, spec in FORMATS.items()}
        formats["plain"] = book.add_format({})
        formats["title"] = book.add_format({"bold": True, "font_size": 14})
        formats["header"] = book.add_format({"bold": True, "bg_color": "#EEEEEE", "bottom": 1, "text_wrap": True})
        formats["total_text"] = book.add_format({"bold": True, "top": 1})
        for kind, spec in FORMATS.items():
            formats[f"total_{kind}"] = book.add_format(dict(spec, bold=True, top=1))
        used: set[str] = set()
        heading = [doc.title, doc.hall, doc.period]
        _write_table(book, _sheet_name(doc.title, used), doc.main, heading, formats)
        for detail in doc.details:
            _write_table(book, _sheet_name(detail.title, used), detail, [detail.title, doc.period], formats)
        try:
            book.close()
        except FileCreateError as exc:  # XlsxWriter wraps the OSError: give it back to `staged` to say in words
            raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc)) from exc
        finally:
            for sheet in book.worksheets():  # constant-memory rows wait in a temporary file per sheet: never leave one open
                handle = getattr(sheet, "row_data_fh", None)
                if handle is not None and not handle.closed:
                    handle.close()
    return target
