"""Tables of the customer screen and its panels: columns fit their contents, money never cut."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


class FitTable(QTableWidget):
    """A table whose columns fit its width without a horizontal scroll bar where possible.

    Every column asks for its contents' width (header included). When the table is narrower,
    the `elastic` columns (long free text: addresses, notes) give up width first, then the other
    text columns down to their title's width, then below it; the `keep` columns (numbers, money)
    always keep their full width. A cut text or title ends with "…", the whole of it in the tooltip.
    """

    MIN_SECTION = 56
    PADDING = 2 * 5 + 8  # style.qss section padding, the border and a little air

    def __init__(self, headers: list[str], elastic=(), keep=(), parent=None) -> None:
        super().__init__(0, len(headers), parent)
        self.elastic = tuple(elastic)
        self.keep = tuple(keep)
        self.headers = list(headers)
        self.setHorizontalHeaderLabels(headers)
        for c, text in enumerate(headers):
            self.horizontalHeaderItem(c).setToolTip(text)
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
            steps = [(self.elastic, lambda c: self.MIN_SECTION),
                     (others, lambda c: min(titles[c], widths[c])),  # values cut, titles whole
                     (others, lambda c: self.MIN_SECTION)]
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
            shown = self.headers[c] if w >= titles[c] else fm.elidedText(self.headers[c], Qt.TextElideMode.ElideRight, max(w - self.PADDING, 8))
            item = self.horizontalHeaderItem(c)
            if item.text() != shown:
                item.setText(shown)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit()


def fit_table(object_name: str, headers: list[str], elastic=(), keep=()) -> FitTable:
    t = FitTable(headers, elastic, keep)
    t.setObjectName(object_name)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    return t


def fill_table(table: FitTable, rows: list[list[str]], right_cols=()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c in right_cols:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(value)  # the whole text when the column is cut
            table.setItem(r, c, item)
    table.fit()
