"""One reader for the files the interfaces exchange: CSV, .xlsx and fixed-width text.

Every row comes back with its file name and line number, its cells mapped to field names by the
header, and parsers for the values the other side writes (dates as YYYY-MM-DD, YYYYMMDD or Excel
serial numbers; amounts with thousands separators, as Decimal, never float). Every problem is a
`TabularError` (a UserError) whose message names the file, the line and the column.

Rules (docs/INTERFACES.md, "Reading files"):
- CSV encoding: a UTF-8 BOM is dropped; UTF-8 is tried first, then GB18030 (a superset of GBK and
  GB2312); `Table.encoding` says which was used. An encoding given by the caller is used as is.
- A row whose cell count differs from the header's is an error at that line (empty cells beyond the
  header are tolerated); fully empty lines are skipped.
- A file cut in the middle (an unclosed quote at the end, a last line without its line end and
  with too few cells, an incomplete character at the end) is refused as a whole.
- .xlsx is read with openpyxl in read-only mode: a formula gives the value Excel saved with it (a
  formula without a saved value is an error at its cell); a merged range gives every cell the value
  of its top-left cell.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.text import ascii_digits

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's 1900 leap-year bug folded in
MAX_SERIAL = 2958465  # 9999-12-31
ENCODINGS = ("utf-8", "gb18030")


class TabularError(UserError):
    """A problem in a file; params `file`, `line` and `column` (empty when the whole file is meant)."""


def file_error(message: str, path: Path | str, line: int = 0, column: str = "", **params) -> TabularError:
    return TabularError(message, field=column or None, file=Path(path).name, line=line, column=column, **params)


def file_digest(path: Path | str) -> str:
    """SHA-256 of the file's bytes: the same file imported twice has the same digest."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- values ---------------------------------------------------------------------------------------

_DATE_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{1,7}(\.0+)?$")
_NUMBER = re.compile(r"^([+-])?\s*[¥￥]?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(\.[0-9]*)?$")


def cell_text(value) -> str:
    """A cell as text: integral numbers without '.0', dates as YYYY-MM-DD, None as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value) -> date:
    """YYYY-MM-DD (also / or . between), YYYYMMDD, an Excel serial number or a date cell.
    Raises ValueError; Row.date turns it into a message with the place."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _date_of_text(cell_text(value))
    return _date_of_text(str(value or ""))


@lru_cache(maxsize=4096)
def _date_of_text(raw: str) -> date:
    """parse_date of a text (a file's dates repeat: each distinct text is parsed once)."""
    text = ascii_digits(raw).strip()
    m = _DATE_ISO.match(text) or _DATE_COMPACT.match(text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if _SERIAL.match(text):
        serial = int(text.split(".")[0])
        if 1 <= serial <= MAX_SERIAL:
            return EXCEL_EPOCH + timedelta(days=serial)
    raise ValueError(text)


def parse_number(value, places: int) -> Decimal:
    """A number with optional sign, ¥, thousands commas in groups of three and at most `places`
    decimals. Never float: a float cell from a workbook goes through its shortest repr."""
    if isinstance(value, str) and value.isascii() and value.isdigit():  # the common case: plain digits
        return Decimal(value)
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, Decimal):
        text = str(value)
    else:
        text = ascii_digits(str(value or "")).strip().replace(" ", "")
    m = _NUMBER.match(text)
    if not m or not (m.group(2) or (m.group(3) or "").strip(".")):
        try:  # 1E+3 and the like from a workbook
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
        if not number.is_finite():
            raise ValueError(text)
    else:
        number = Decimal((m.group(1) or "") + (m.group(2) or "0").replace(",", "") + (m.group(3) or "").rstrip(".") or "0")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValueError(text)
    return number


# --- rows -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One data row: `file` (name), `line` (1-based line or sheet row), raw `cells`, and `table`
    which maps field names to cell positions."""

    file: str
    line: int
    cells: Sequence
    table: "Table"
    problem: TabularError | None = None  # a structural problem (wrong cell count) when not strict

    def raw(self, name: str):
        index = self.table.positions.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, name: str) -> str:
        return cell_text(self.raw(name))

    def column(self, name: str) -> str:
        return self.table.column_label(name)

    def error(self, name: str, message: str, **params) -> TabularError:
        return TabularError(message, field=name, file=self.file, line=self.line, column=self.column(name), **params)

    def required(self, name: str) -> str:
        text = self.text(name)
        if not text:
            raise self.error(name, QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: the cell is empty."))
        return text

    def date(self, name: str, required: bool = True) -> date | None:
        value = self.raw(name)
        if cell_text(value) == "":
            if required:
                self.required(name)
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise self.error(
                name,
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{file}, line {line}, column {column}: “{value}” is not a date (YYYY-MM-DD, YYYYMMDD or an Excel date number).",
                ),
                value=cell_text(value)[:40],
            ) from None

    def number(self, name: str, places: int = 3, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if cell_text(value) == "":
            if required:
                self.required(name)
            return None
        try:
            return parse_number(value, places)
        except ValueError:
            raise self.error(
                name,
                QT_TRANSLATE_NOOP(
                    "messages", "{file}, line {line}, column {column}: “{value}” is not a number with at most {places} decimals."
                ),
                value=cell_text(value)[:40],
                places=places,
            ) from None

    def amount(self, name: str, required: bool = True) -> Decimal | None:
        """Yuan as Decimal with at most two decimals; thousands separators allowed."""
        value = self.raw(name)
        if cell_text(value) == "":
            if required:
                self.required(name)
            return None
        try:
            return parse_number(value, 2).quantize(Decimal("0.01"))
        except ValueError:
            raise self.error(
                name,
                QT_TRANSLATE_NOOP(
                    "messages", "{file}, line {line}, column {column}: “{value}” is not an amount of money (at most two decimals)."
                ),
                value=cell_text(value)[:40],
            ) from None

    def fen(self, name: str) -> int:
        return int(self.amount(name) * 100)


@dataclass
class Table:
    """An opened file: `path`, `encoding` (for text files), the header's `positions` of each field,
    `header` as written in the file, and `rows()`."""

    path: Path
    kind: str  # "csv", "xlsx" or "fixed"
    header: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    encoding: str = ""
    header_line: int = 0
    _rows: Iterator | None = None
    _letters: bool = False
    places: list[str] | None = None  # how each column is named in messages (fixed width: byte position)

    @property
    def name(self) -> str:
        return self.path.name

    def column_label(self, name: str) -> str:
        index = self.positions.get(name)
        if index is None:
            return name
        written = self.header[index] if index < len(self.header) else name
        if self.places:
            place = self.places[index]
        else:
            place = _column_letter(index) if self._letters else str(index + 1)
        return f"{written} ({place})"

    def rows(self) -> Iterator[Row]:
        if self._rows is None:
            raise RuntimeError("rows() can be read once")
        rows, self._rows = self._rows, None
        return rows


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", str(name or "").replace("\ufeff", "")).casefold()


def _map_header(path: Path, header: list[str], line: int, columns: Mapping[str, Sequence[str]], required: Sequence[str]) -> dict[str, int]:
    found = {_norm(h): i for i, h in reversed(list(enumerate(header))) if _norm(h)}
    positions: dict[str, int] = {}
    for name, names in columns.items():
        for candidate in (name, *names):
            if _norm(candidate) in found:
                positions[name] = found[_norm(candidate)]
                break
    absent = [n for n in required if n not in positions]
    if absent:
        expected = ", ".join(str((columns.get(n) or [n])[0]) for n in absent)
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the header has no column {expected} (it has: {header})."),
            path,
            line,
            expected=expected,
            header=", ".join(h for h in header if h)[:200],
        )
    return positions


# --- CSV ------------------------------------------------------------------------------------------


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding used (see the module's rules)."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except (UnicodeDecodeError, LookupError) as err:
            line = data[: getattr(err, "start", 0)].count(b"\n") + 1
            raise file_error(
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the file is not in the encoding {encoding}."),
                path,
                line,
                encoding=encoding,
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        tried = ("utf-8",)
    else:
        tried = ENCODINGS
    first_error = None
    for name in tried:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as err:
            if first_error is None:
                first_error = err
            if name == "utf-8" and err.reason == "unexpected end of data" and err.end == len(data):
                raise file_error(
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the file ends in the middle of a character; it seems cut off."),
                    path,
                    data.count(b"\n") + 1,
                ) from None
    line = data[: first_error.start].count(b"\n") + 1
    raise file_error(
        QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the file is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV."), path, line
    )


def read_csv(
    path: Path | str,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str] = (),
    *,
    encoding: str | None = None,
    delimiter: str = ",",
    strict: bool = True,
) -> Table:
    """Open a CSV whose first non-empty line is the header. `columns` maps each field to the header
    names it may have. With strict=False a row with the wrong number of cells is yielded with its
    `problem` set instead of raising."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}: cannot be read ({reason})."), path, reason=err.strerror or str(err)
        ) from None
    text, used = decode(path, data, encoding)
    ends_cleanly = text.endswith(("\n", "\r"))
    last_text_line = text.count("\n") + 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table = Table(path=path, kind="csv", encoding=used)
    last_line = 0
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                table.header = [c.strip() for c in cells]
                table.header_line = last_line + 1
                last_line = reader.line_num
                break
            last_line = reader.line_num
    except csv.Error:
        raise _csv_cut_or_broken(path, last_line + 1, text) from None
    if not table.header:
        raise file_error(QT_TRANSLATE_NOOP("messages", "{file}: the file is empty."), path)
    table.positions = _map_header(path, table.header, table.header_line, columns, required)
    table._rows = _csv_rows(table, reader, last_line, None if ends_cleanly else last_text_line, text, strict)
    return table


def _csv_cut_or_broken(path: Path, line: int, text: str) -> TabularError:
    if text.count('"') % 2:
        return file_error(
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: a quoted cell is never closed; the file seems cut off."), path, line
        )
    return file_error(QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the line is not valid CSV."), path, line)


def _csv_rows(table: Table, reader, last_line: int, unended_line: int | None, text: str, strict: bool) -> Iterator[Row]:
    """`unended_line`: the number of the file's last line when it has no line end (else None)."""
    width = len(table.header)
    name = table.name
    rows = iter(reader)
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error:
            raise _csv_cut_or_broken(table.path, last_line + 1, text) from None
        line = last_line + 1
        last_line = reader.line_num
        if len(cells) != width:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            else:
                if unended_line is not None and reader.line_num >= unended_line and len(cells) < width:
                    raise file_error(
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "{file}, line {line}: the last line has {count} of {expected} cells and no line end; the file seems cut off.",
                        ),
                        table.path,
                        line,
                        count=len(cells),
                        expected=width,
                    )
                problem = file_error(
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}: {count} cells where the header has {expected}."),
                    table.path,
                    line,
                    count=len(cells),
                    expected=width,
                )
                if strict:
                    raise problem
                yield Row(name, line, cells, table, problem)
                continue
        yield Row(name, line, cells, table)


# --- xlsx -----------------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _letters_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def read_xlsx(
    path: Path | str,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str] = (),
    *,
    sheet: str | None = None,
    strict: bool = True,
) -> Table:
    """Open the first (or the named) sheet of a workbook; the first non-empty row is the header."""
    import openpyxl  # a few hundred ms to import: only when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        book_f = openpyxl.load_workbook(path, read_only=True, data_only=False)
        book_v = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)[:120]
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}: cannot be read as an Excel workbook ({reason})."), path, reason=reason
        ) from None
    except Exception as err:  # a truncated zip raises zipfile.BadZipFile and friends
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}: cannot be read as an Excel workbook ({reason})."), path, reason=type(err).__name__
        ) from None
    title = sheet or book_f.sheetnames[0]
    if title not in book_f.sheetnames:
        book_f.close()
        book_v.close()
        raise file_error(QT_TRANSLATE_NOOP("messages", "{file}: the workbook has no sheet “{sheet}”."), path, sheet=title)
    ws_f, ws_v = book_f[title], book_v[title]
    with ws_f._get_source() as src:  # read-only sheets do not parse merged ranges: find them in the XML
        merges = [(int(r1), _letters_index(c1), int(r2), _letters_index(c2)) for c1, r1, c2, r2 in _MERGE.findall(src.read())]
    table = Table(path=path, kind="xlsx", _letters=True)
    rows = _xlsx_cells(path, ws_f, ws_v, merges)
    try:
        for line, cells in rows:
            if any(cell_text(c) for c in cells):
                table.header = [cell_text(c) for c in cells]
                table.header_line = line
                break
        if not table.header:
            raise file_error(QT_TRANSLATE_NOOP("messages", "{file}: the file is empty."), path)
        while table.header and not table.header[-1]:
            table.header.pop()
        table.positions = _map_header(path, table.header, table.header_line, columns, required)
    except BaseException:
        book_f.close()
        book_v.close()
        raise
    table._rows = _xlsx_rows(table, rows, book_f, book_v, strict)
    return table


def _xlsx_cells(path: Path, ws_f, ws_v, merges) -> Iterator[tuple[int, list]]:
    """(row number, values) with formulas replaced by their saved values and merges filled."""
    top_left: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    top_left[(r, c)] = (r1, c1)
    kept: dict[tuple[int, int], object] = {}
    anchors = {(r1, c1) for r1, c1, _r2, _c2 in merges}
    for number, (row_f, row_v) in enumerate(zip(ws_f.iter_rows(), ws_v.iter_rows(values_only=True)), start=1):
        values = list(row_v)
        for i, cell in enumerate(row_f):
            if getattr(cell, "data_type", None) == "f" and (i >= len(values) or values[i] is None):
                raise file_error(
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{file}, line {line}, column {column}: a formula without a saved value; open and save the workbook in Excel, or paste the values.",
                    ),
                    path,
                    number,
                    _column_letter(i),
                )
        if top_left:
            for i in range(len(values)):
                if (number, i) in anchors:
                    kept[(number, i)] = values[i]
                elif (number, i) in top_left:
                    values[i] = kept.get(top_left[(number, i)])
        yield number, values


def _xlsx_rows(table: Table, rows, book_f, book_v, strict: bool) -> Iterator[Row]:
    width = len(table.header)
    try:
        for line, cells in rows:
            if not any(cell_text(c) for c in cells):
                continue
            if len(cells) > width and any(cell_text(c) for c in cells[width:]):
                problem = file_error(
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}: {count} cells where the header has {expected}."),
                    table.path,
                    line,
                    count=max(i + 1 for i, c in enumerate(cells) if cell_text(c)),
                    expected=width,
                )
                if strict:
                    raise problem
                yield Row(table.name, line, cells, table, problem)
                continue
            yield Row(table.name, line, cells, table)
    finally:
        book_f.close()
        book_v.close()


# --- any file -------------------------------------------------------------------------------------


def read_table(
    path: Path | str,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str] = (),
    *,
    encoding: str | None = None,
    delimiter: str = ",",
    sheet: str | None = None,
    strict: bool = True,
) -> Table:
    """CSV or .xlsx by the file's extension (.xlsx/.xlsm is a workbook, anything else CSV)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, columns, required, sheet=sheet, strict=strict)
    return read_csv(path, columns, required, encoding=encoding, delimiter=delimiter, strict=strict)


# --- fixed width ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedField:
    name: str
    start: int  # 1-based, in bytes of the file's encoding
    width: int


def read_fixed_lines(path: Path | str, encoding: str = "gb18030") -> list[tuple[int, bytes]]:
    """The non-empty lines of a fixed-width file as (line number, bytes without the line end).
    Positions in fixed-width files count bytes (a Chinese name is two in GBK), so lines stay bytes
    until a field is cut out. Refuses a file whose last line has no line end (cut off)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}: cannot be read ({reason})."), path, reason=err.strerror or str(err)
        ) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise file_error(QT_TRANSLATE_NOOP("messages", "{file}: the file is empty."), path)
    lines = data.split(b"\n")
    if lines[-1].strip():
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the last line has no line end; the file seems cut off."), path, len(lines)
        )
    return [(i, raw.rstrip(b"\r")) for i, raw in enumerate(lines, start=1) if raw.strip()]


def fixed_row(path: Path | str, line: int, raw: bytes, fields: Sequence[FixedField], encoding: str = "gb18030") -> Row:
    """Cut one fixed-width line into a Row (columns named by the fields, numbered by byte position)."""
    path = Path(path)
    width = max(f.start + f.width - 1 for f in fields)
    if len(raw) < width:
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the line is {count} characters long where the layout needs {expected}."),
            path,
            line,
            count=len(raw),
            expected=width,
        )
    cells = []
    for f in fields:
        piece = raw[f.start - 1 : f.start - 1 + f.width]
        try:
            cells.append(piece.decode(encoding).strip())
        except UnicodeDecodeError:
            raise file_error(
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: the text is not in the encoding {encoding}."),
                path,
                line,
                f"{f.name} ({f.start})",
                encoding=encoding,
            ) from None
    return Row(path.name, line, cells, fixed_table(path, fields))


def fixed_table(path: Path, fields: Sequence[FixedField]) -> Table:
    return Table(
        path=path,
        kind="fixed",
        header=[f.name for f in fields],
        positions={f.name: i for i, f in enumerate(fields)},
        places=[str(f.start) for f in fields],
    )
