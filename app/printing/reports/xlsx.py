"""A report as an Excel workbook: one sheet for the report and one per detail table, Chinese headers
in a frozen first row, numbers as numbers (money in yuan with two decimals), a totals row.

The workbook is written by this module itself, row by row: an .xlsx is a zip of a few XML parts, and
a report needs only a small part of the format (inline strings, numbers, a dozen cell styles, column
widths, a frozen pane). Each sheet's XML goes into the zip as it is made, a few hundred rows at a
time, so a list of 100,000 accounts never sits in memory as XML, and no cell is an object: a row is one
string built from the column's cell prefix and its value. Text is always an inline string (a name
starting with "=" or looking like a link or a number stays text); numbers are written with `repr`
(money is fen / 100). The workbook is written beside the target and renamed onto it only when
complete; a failure leaves no file behind.
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from app.kernel.outfile import staged
from app.printing.reports import DocTable, ReportDocument, number_value

WIDTHS = {"money": 14, "quantity": 14, "count": 10, "percent": 10, "date": 12, "text": 18}
CHUNK_ROWS = 500  # rows joined before each write into the zip stream
COMPRESSION = 1  # zlib level: the sheets are repetitive XML, level 1 already shrinks them six to ten times

# Cell styles (the order of <cellXfs> in STYLES): body cells of a kind, header, title, totals.
STYLE = {"text": 0, "date": 0, "title": 1, "header": 2, "money": 3, "quantity": 4, "count": 5, "percent": 6}
TOTAL_STYLE = {"text": 7, "date": 7, "money": 8, "quantity": 9, "count": 10, "percent": 11}
NUMERIC = ("money", "quantity", "count", "percent")

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES = (
    HEAD + f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="#,##0.###"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEEEEEE"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    '<border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="12">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'  # 0 text
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'  # 1 title
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
    '<alignment wrapText="1"/></xf>'  # 2 header
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 3 money
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 4 quantity
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 5 count
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 6 percent
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="2" xfId="0" applyFont="1" applyBorder="1"/>'  # 7 total text
    '<xf numFmtId="164" fontId="2" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="165" fontId="2" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="3" fontId="2" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="2" fontId="2" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_PLAIN_NOT = re.compile("^\\s|\\s$|[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # a text that needs more than <t>text</t>


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if _BAD.search(text):
        text = _BAD.sub("", text)
    return text


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _string_cell(ref: str, style: int, text: str) -> str:
    text = _escape(text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number_text(value, kind: str) -> str | None:
    """A number as the workbook keeps it (yuan for money), or None when the value is text."""
    if isinstance(value, bool):
        return None
    if kind == "money" and isinstance(value, int):
        return repr(value / 100)  # fen to yuan as float(Decimal(fen) / 100) rounds it
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return repr(float(value))
    return None


def _text(value) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _cell(ref: str, value, kind: str, style: int) -> str:
    """One cell of a heading or totals row (body rows are made by `_rows`)."""
    if value is None:
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if kind in NUMERIC:
        value = number_value(value, kind)
        number = _number_text(value, kind if not isinstance(value, Decimal) else "quantity")
        if number is not None:
            return f'<c r="{ref}" s="{style}"><v>{number}</v></c>'
    return _string_cell(ref, style, _text(value))


def _rows(table: DocTable, first_row: int, letters: list[str]):
    """The body rows' XML, CHUNK_ROWS rows per string. A cell names its column only after an empty
    cell (a cell without `r` is the one after the previous)."""
    kinds = [c.kind for c in table.columns]
    plan = [(letter, kind, STYLE.get(kind, 0)) for letter, kind in zip(letters, kinds)]
    special = _PLAIN_NOT.search
    parts: list[str] = []
    r = first_row
    for row in table.rows:
        cells = [f'<row r="{r}">']
        gap = False
        for (letter, kind, style), value in zip(plan, row):
            if value is None:
                gap = True
                continue
            ref = f' r="{letter}{r}"' if gap else ""
            gap = False
            if kind in NUMERIC:
                if kind == "money" and type(value) is int:
                    cells.append(f'<c{ref} s="3"><v>{value / 100!r}</v></c>')
                    continue
                number = _number_text(value, kind)
                if number is not None:
                    cells.append(f'<c{ref} s="{style}"><v>{number}</v></c>')
                    continue
            text = value if type(value) is str else _text(value)
            if special(text):
                cells.append(_string_cell(f"{letter}{r}", 0, text))
            else:
                cells.append(f'<c{ref} t="inlineStr"><is><t>{text}</t></is></c>')
        cells.append("</row>")
        parts.append("".join(cells))
        r += 1
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts)
            parts = []
    if parts:
        yield "".join(parts)


def _write_sheet(stream, table: DocTable, heading: list[str]) -> None:
    letters = [_letters(i) for i in range(max(1, len(table.columns)))]
    header_row = len(heading) + 1  # 1-based
    write = stream.write
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{max(WIDTHS.get(c.kind, 18), min(40, len(c.title) * 2 + 2))}" '
        f'style="{STYLE.get(c.kind, 0)}" customWidth="1"/>'
        for i, c in enumerate(table.columns)
    )
    top = f"A{header_row + 1}"
    head = [
        HEAD,
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        '<sheetViews><sheetView workbookViewId="0">',
        f'<pane ySplit="{header_row}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>',
        f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>',
        "</sheetView></sheetViews>",
        '<sheetFormatPr defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>" if cols else "",
        "<sheetData>",
    ]
    for r, line in enumerate(heading, start=1):
        head.append(f'<row r="{r}">{_string_cell(f"A{r}", STYLE["title"] if r == 1 else 0, line)}</row>')
    head.append(f'<row r="{header_row}">')
    head.extend(_string_cell(f"{letters[c]}{header_row}", STYLE["header"], col.title) for c, col in enumerate(table.columns))
    head.append("</row>")
    write("".join(head).encode())
    for chunk in _rows(table, header_row + 1, letters):
        write(chunk.encode())
    tail = []
    if table.totals is not None:
        r = header_row + 1 + len(table.rows)
        tail.append(f'<row r="{r}">')
        for c, (value, col) in enumerate(zip(table.totals, table.columns)):
            tail.append(_cell(f"{letters[c]}{r}", value, col.kind, TOTAL_STYLE.get(col.kind, TOTAL_STYLE["text"])))
        tail.append("</row>")
    tail.append("</sheetData></worksheet>")
    write("".join(tail).encode())


def _package(names: list[str]) -> dict[str, str]:
    """The parts around the sheets: content types, relationships, the workbook with its sheet names."""
    n = len(names)
    sheets_ct = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return {
        "[Content_Types].xml": HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets_ct}</Types>",
        "_rels/.rels": HEAD + f'<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        + "".join(f'<sheet name="{_escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": HEAD
        + f'<Relationships xmlns="{PKG_REL_NS}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": STYLES,
    }


def write_report(doc: ReportDocument, target: str | os.PathLike, force: bool = True, field: str = "xlsx") -> Path:
    """Write the workbook through a temporary file beside `target` (already checked with
    app.kernel.outfile.check_output); replaces an existing file only with `force`. A failure leaves
    nothing behind and is a UserError in words (disk full, no permission ...)."""
    target = Path(target)
    used: set[str] = set()
    sheets = [(_sheet_name(doc.title, used), doc.main, [doc.title, doc.hall, doc.period])]
    sheets += [(_sheet_name(d.title, used), d, [d.title, doc.period]) for d in doc.details]
    with staged(target, force, field=field) as tmp:
        with open(tmp, "xb") as raw:
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book:
                for name, text in _package([name for name, *_ in sheets]).items():
                    book.writestr(name, text)
                for i, (_, table, heading) in enumerate(sheets, start=1):
                    with book.open(f"xl/worksheets/sheet{i}.xml", "w") as stream:
                        _write_sheet(stream, table, heading)
            raw.flush()
            os.fsync(raw.fileno())
    return target
