"""The search result list as a Qt model, filled lazily in pages as the view scrolls."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

RESULT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchResult of a row

COL_ACCOUNT, COL_NAME, COL_PHONE, COL_ID, COL_ADDRESS = range(5)
HEADERS = ("Account no.", "Name", "Phone", "ID number", "Address")


class SearchResultModel(QAbstractTableModel):
    """Rows come from `search_fn(text) -> list[SearchResult]`; shown PAGE rows at a time.

    At most LIMIT rows are kept. Give search_fn a limit of LIMIT + 1: when it returns more than
    LIMIT, `truncated` is True and the list says there are more than it shows.
    """

    PAGE = 50
    LIMIT = 200

    def __init__(self, search_fn: Callable[[str], list], parent=None) -> None:
        super().__init__(parent)
        self._search = search_fn
        self._all: list = []
        self._shown = 0
        self.query = ""
        self.truncated = False

    # -- filling
    def set_query(self, text: str) -> None:
        self.beginResetModel()
        self.query = text
        found = self._search(text) if text.strip() else []
        self.truncated = len(found) > self.LIMIT
        self._all = list(found[: self.LIMIT])
        self._shown = min(self.PAGE, len(self._all))
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.query, self._all, self._shown, self.truncated = "", [], 0, False
        self.endResetModel()

    def total(self) -> int:
        """Rows found (at most LIMIT; see `truncated`)."""
        return len(self._all)

    def customer_ids(self) -> set:
        """The customers among the rows found (one customer may have several accounts)."""
        return {r.customer_id for r in self._all}

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if parent.isValid():
            return
        more = min(self.PAGE, len(self._all) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    # -- reading
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def result(self, row: int):
        return self._all[row] if 0 <= row < self._shown else None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._all[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.account_no, r.name, r.phone_masked, r.id_masked, r.address)[index.column()]
        if role == RESULT_ROLE:
            return r
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_ADDRESS:
            return r.address
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("SearchResultModel", HEADERS[section])
        return None


# Marked for lupdate (the headers are translated in headerData).
def _headers_for_lupdate() -> None:
    QCoreApplication.translate("SearchResultModel", "Account no.")
    QCoreApplication.translate("SearchResultModel", "Name")
    QCoreApplication.translate("SearchResultModel", "Phone")
    QCoreApplication.translate("SearchResultModel", "ID number")
    QCoreApplication.translate("SearchResultModel", "Address")
