"""Tables of the customer screen and its panels: rows are objects in a Qt model, columns fit their
contents, money never cut.

A panel describes its columns once (`Column`: title, how a row object reads in it, right-aligned or
not) and hands the service's row objects to a `RowsModel`; the view (`FitView`) gives back the row
object of the current line (`selected()`), or any line's through `ROW_ROLE`. No parallel list of
rows is kept beside the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTableWidget, QTableWidgetItem

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object of a line (as the search list's RESULT_ROLE)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    title: str  # already translated
    text: Callable[[Any], str]  # what a row object shows in this column
    right: bool = False  # numbers and money: right-aligned
    colour: Callable[[Any], Any] | None = None  # colour(row) -> QColor | None for this column's text


class RowsModel(QAbstractTableModel):
    """Row objects shown through `columns`; `foreground(row) -> QColor | None` colours a whole line."""

    def __init__(self, columns: list[Column], foreground: Callable[[Any], Any] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.foreground = foreground
        self._rows: list = []
        self._shown_headers = [c.title for c in self.columns]

    # -- filling
    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list:
        return list(self._rows)

    def row_object(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def set_shown_header(self, section: int, text: str) -> None:
        """The title as it fits its column (ending in "…" when cut); the whole one stays in the tooltip."""
        if self._shown_headers[section] != text:
            self._shown_headers[section] = text
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, section, section)

    def shown_header(self, section: int) -> str:
        return self._shown_headers[section]

    # -- reading
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):  # the whole text when the column is cut
            return self.columns[index.column()].text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].right:
            return int(RIGHT.value)
        if role == Qt.ItemDataRole.ForegroundRole:
            column = self.columns[index.column()]
            colour = column.colour(row) if column.colour is not None else None
            if colour is None and self.foreground is not None:
                colour = self.foreground(row)
            return colour
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown_headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].title
        return None


class _FitColumns:
    """Columns that fit the table's width without a horizontal scroll bar where possible.

    Every column asks for its contents' width (header included). When the table is narrower,
    the `elastic` columns (long free text: addresses, notes) give up width first, then the other
    text columns down to their title's width, then below it; the `keep` columns (numbers, money,
    dates) always keep their full width. A cut text or title ends with "…", the whole of it in the
    tooltip. Mixed into a QTableView (the panels) and a QTableWidget (lists in dialogs).
    """

    MIN_SECTION = 56
    PADDING = 2 * 5 + 8  # style.qss section padding, the border and a little air

    def _setup_fit(self, headers: list[str], elastic, keep) -> None:
        self.elastic = tuple(elastic)
        self.keep = tuple(keep)
        self.headers = list(headers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(24)
        header.setStretchLastSection(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)

    def _header_metrics(self) -> QFontMetrics:
        font = QFont(self.horizontalHeader().font())
        font.setBold(True)  # style.qss: header sections are bold
        return QFontMetrics(font)

    def header_widths(self) -> list[int]:
        fm = self._header_metrics()
        return [fm.horizontalAdvance(text) + self.PADDING for text in self.headers]

    def wanted_widths(self) -> list[int]:
        return [max(self.sizeHintForColumn(c), h) for c, h in enumerate(self.header_widths())]

    def fit(self) -> None:
        widths = self.wanted_widths()
        titles = self.header_widths()
        avail = self.viewport().width()
        if avail <= 0:
            return
        deficit = sum(widths) - avail
        if deficit > 0:
            others = [c for c in range(len(widths)) if c not in self.elastic and c not in self.keep]
            steps = [
                (self.elastic, lambda c: self.MIN_SECTION),
                (others, lambda c: min(titles[c], widths[c])),  # values cut, titles whole
                (others, lambda c: self.MIN_SECTION),
            ]
            for group, floor in steps:
                room = {c: widths[c] - floor(c) for c in group if widths[c] > floor(c)}
                total_room = sum(room.values())
                if total_room <= 0:
                    continue
                take = min(deficit, total_room)
                for c, r in room.items():
                    widths[c] -= int(r * take / total_room + 0.999)
                deficit -= take
                if deficit <= 0:
                    break
        else:  # room to spare: the free-text column (or the last one) takes it
            grow = (self.elastic or (len(widths) - 1,))[-1]
            widths[grow] += -deficit
        header = self.horizontalHeader()
        fm = self._header_metrics()
        for c, w in enumerate(widths):
            w = max(w, header.minimumSectionSize())
            header.resizeSection(c, w)
            # A title too long for its column ends with "…" (Qt would cut it at both sides).
            shown = (
                self.headers[c] if w >= titles[c] else fm.elidedText(self.headers[c], Qt.TextElideMode.ElideRight, max(w - self.PADDING, 8))
            )
            self._set_shown_header(c, shown)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit()


class FitView(_FitColumns, QTableView):
    """A panel's table: a RowsModel of the service's row objects, columns fitted as _FitColumns says."""

    def __init__(self, model: RowsModel, elastic=(), keep=(), parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        model.setParent(self)
        self._setup_fit([c.title for c in model.columns], elastic, keep)
        model.modelReset.connect(self.fit)

    def rows_model(self) -> RowsModel:
        return self.model()

    def _set_shown_header(self, section: int, text: str) -> None:
        self.model().set_shown_header(section, text)

    def shown_header(self, section: int) -> str:
        return self.model().shown_header(section)

    def header_tooltip(self, section: int) -> str:
        return self.model().headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)

    def set_rows(self, rows, key: Callable[[Any], Any] | None = None, select_first: bool = False) -> None:
        """Show `rows`. The line whose key(row) was current stays current; otherwise the first line is
        made current when `select_first` (a list the function keys act on), else none is."""
        before = self.selected() if key is not None else None
        self.model().set_rows(rows)
        rows = self.model().rows
        at = 0 if select_first else None
        if before is not None:
            wanted = key(before)
            at = next((i for i, r in enumerate(rows) if key(r) == wanted), at)
        if rows and at is not None:
            self.selectRow(at)

    def rows(self) -> list:
        return self.model().rows

    def selected(self):
        """The row object of the current line (None when the table is empty or nothing is current)."""
        index = self.currentIndex()
        return self.model().row_object(index.row()) if index.isValid() else None

    def currentRow(self) -> int:  # noqa: N802  (as QTableWidget names it)
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def rowCount(self) -> int:  # noqa: N802
        return self.model().rowCount()

    def columnCount(self) -> int:  # noqa: N802
        return self.model().columnCount()

    def cell(self, row: int, column: int) -> str:
        """The text shown at (row, column)."""
        return self.model().index(row, column).data() or ""

    def item(self, row: int, column: int):
        """The cell at (row, column) read as a QTableWidgetItem would be (text, alignment, colour);
        for tests and callers written against the table widgets this view replaced."""
        index = self.model().index(row, column)
        if not index.isValid():
            return None
        item = QTableWidgetItem(index.data() or "")
        alignment = index.data(Qt.ItemDataRole.TextAlignmentRole)
        if alignment is not None:
            item.setTextAlignment(Qt.AlignmentFlag(alignment))
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        if colour is not None:
            item.setForeground(colour)
        item.setData(ROW_ROLE, index.data(ROW_ROLE))
        return item


class FitTable(_FitColumns, QTableWidget):
    """A table widget with fitted columns, for lists in dialogs that fill cells themselves."""

    def __init__(self, headers: list[str], elastic=(), keep=(), parent=None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        for c, text in enumerate(headers):
            self.horizontalHeaderItem(c).setToolTip(text)
        self._setup_fit(headers, elastic, keep)

    def _set_shown_header(self, section: int, text: str) -> None:
        item = self.horizontalHeaderItem(section)
        if item.text() != text:
            item.setText(text)

    def shown_header(self, section: int) -> str:
        return self.horizontalHeaderItem(section).text()

    def header_tooltip(self, section: int) -> str:
        return self.horizontalHeaderItem(section).toolTip()


def _table_look(t, object_name: str) -> None:
    t.setObjectName(object_name)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)


def model_table(object_name: str, columns: list[Column], elastic=(), keep=(), foreground=None) -> FitView:
    """A panel's table over a RowsModel of `columns`; fill it with view.set_rows(row objects)."""
    t = FitView(RowsModel(columns, foreground), elastic, keep)
    _table_look(t, object_name)
    return t


def fit_table(object_name: str, headers: list[str], elastic=(), keep=()) -> FitTable:
    t = FitTable(headers, elastic, keep)
    _table_look(t, object_name)
    return t


def fill_table(table: FitTable, rows: list[list[str]], right_cols=()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c in right_cols:
                item.setTextAlignment(RIGHT)
            item.setToolTip(value)  # the whole text when the column is cut
            table.setItem(r, c, item)
    table.fit()
