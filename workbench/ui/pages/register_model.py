"""The table every register tab shows: columns declared as (header, text, sort key), a search over every column's
text and one choice filter, sorting by each column's key (numbers and dates sort as such)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from workbench.ui.row_model import Index, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    """One column: its header, the text a record shows in it, and (optionally) what it sorts by and its tooltip."""

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    tip: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Choice:
    """One entry of a tab's filter: its words, and which records it keeps."""

    label: str
    keeps: Callable[[Any], bool]


def _everything(_record: Any) -> bool:
    return True


ALL = Choice("All", _everything)


class RecordsModel(RowTableModel[Any]):
    """Records as rows, in the columns a tab declares."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.HEADERS = tuple(c.header for c in columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column, record = self.columns[index.column()], self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tip or column.text)(record)
        if role == SORT_ROLE:
            key = column.sort(record) if column.sort else None
            return _sortable(key if key is not None else column.text(record).casefold())
        return None

    def texts(self, row: int) -> str:
        """Return a row's text in every column, folded, for the search."""
        record = self.rows[row]
        return "\x1f".join(c.text(record) for c in self.columns).casefold()

    def column_of(self, header: str) -> int:
        """Return the index of the column with this header."""
        return self.HEADERS.index(header)


def _sortable(key: Any) -> Any:
    """Return a sort key Qt can compare: numbers as numbers, anything else as its ISO or plain text."""
    if isinstance(key, bool):
        return int(key)
    if isinstance(key, int | float):
        return key
    return key.isoformat() if hasattr(key, "isoformat") else str(key)


class RecordsFilter(QSortFilterProxyModel):
    """The search text (every word in some column) and the chosen filter of a register tab."""

    def __init__(self, model: RecordsModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.records = model
        self.words: list[str] = []
        self.choice = ALL

    def set_search(self, text: str) -> None:
        """Keep the records whose columns hold every word of the text."""
        self._begin()
        self.words = text.casefold().split()
        self._end()

    def set_choice(self, choice: Choice) -> None:
        """Keep the records the chosen filter keeps."""
        self._begin()
        self.choice = choice
        self._end()

    def _begin(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later; older versions only invalidate after
            self.beginFilterChange()

    def _end(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.choice.keeps(self.records.record(source_row)):
            return False
        if not self.words:
            return True
        texts = self.records.texts(source_row)
        return all(word in texts for word in self.words)
