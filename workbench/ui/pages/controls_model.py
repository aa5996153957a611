"""The control library as a thin table model, and the proxy that filters and searches it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from workbench.domain.entities import Control
from workbench.domain.enums import AssessmentStatus, ControlStatus, Frequency
from workbench.domain.natural import natural_key
from workbench.ui.labels import plain_tip
from workbench.ui.palette import STATUS_COLOURS, state_text

REF, TITLE, OWNER, FREQUENCY, NATURE, STATUS, CRITERIA, EVIDENCE = range(8)
HEADERS = ("Ref", "Title", "Owner", "Frequency", "Nature", "Status", "Criteria", "Evidence")
SEARCHED = len(HEADERS)  # where a row's searched text follows its sort values
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts as people expect (numbers, not strings)
CONTROL_ROLE = Qt.ItemDataRole.UserRole + 2  # the Control of the row

NOT_MAPPED = "Not mapped"
STATUS_ORDER = {status: index for index, status in enumerate(ControlStatus)}
FREQUENCY_ORDER = {frequency: index for index, frequency in enumerate(Frequency)}
# Control statuses drawn with the assessment colours of the same meaning.
STATUS_COLOUR = {
    ControlStatus.IMPLEMENTED: STATUS_COLOURS[AssessmentStatus.MET],
    ControlStatus.IN_PROGRESS: STATUS_COLOURS[AssessmentStatus.PARTIALLY_MET],
    ControlStatus.NOT_STARTED: STATUS_COLOURS[AssessmentStatus.NOT_ASSESSED],
}

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ControlItem:
    """One row: a control and how many evidence records it has."""

    control: Control
    evidence: int = 0


@dataclass(frozen=True, slots=True)
class SortableRows:
    """Rows with the values each of their columns sorts by, worked out off the GUI thread (sortable_rows)."""

    items: list[ControlItem]
    keys: list[tuple[Any, ...]]


def sortable_rows(items: Sequence[ControlItem]) -> SortableRows:
    """Return the rows with their sort values and the text searched (plain Python: the page's fetch makes them on
    the worker)."""
    rows = list(items)
    return SortableRows(rows, [(*(_sort_value(item, column) for column in range(len(HEADERS))), _searched(item))
                               for item in rows])


def _searched(item: ControlItem) -> str:
    control = item.control
    return " ".join((control.ref, control.title, control.owner, control.description, control.notes,
                     *control.criteria)).casefold()


class ControlsModel(QAbstractTableModel):
    """Rows of controls; replaced whole by set_rows (one reset, no per-row queries)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ControlItem] = []
        self._keys: list[tuple[Any, ...]] = []  # sort values, then the text searched (SEARCHED), once per reset
        self._order: tuple[int, Qt.SortOrder] | None = None  # the column and order rows are kept in

    def set_rows(self, rows: Sequence[ControlItem] | SortableRows) -> None:
        """Show these rows instead of the current ones (in the order last asked for by sort())."""
        prepared = rows if isinstance(rows, SortableRows) else sortable_rows(rows)
        self.beginResetModel()
        self._rows, self._keys = list(prepared.items), list(prepared.keys)
        if self._order is not None:
            self._rows, self._keys = _reordered(self._rows, self._keys, _positions(self._keys, *self._order))
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Put the rows in the order of a column's sort values (stable: ties keep their order), as one layout change.

        Sorting here, in one Python sort over keys computed once, costs about a millisecond for thousands of
        rows; a sorting proxy would call back into Python for every comparison (ControlsFilter.sort sends here).
        """
        if not 0 <= column < len(HEADERS):
            return
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        positions = _positions(self._keys, column, order)
        self._rows, self._keys = _reordered(self._rows, self._keys, positions)
        moved_to = [0] * len(positions)
        for new, old in enumerate(positions):
            moved_to[old] = new
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(persistent, [self.index(moved_to[index.row()], index.column())
                                                    for index in persistent])
        self.layoutChanged.emit()

    def item(self, row: int) -> ControlItem:
        """Return the row's item."""
        return self._rows[row]

    def searched_text(self, row: int) -> str:
        """Return the text a search looks in (reference, title, owner, description, notes, criteria), casefolded."""
        return self._keys[row][SEARCHED]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and \
                0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(HEADERS):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(item, column)
        if role == SORT_ROLE:
            return self._keys[index.row()][column]
        if role == CONTROL_ROLE:
            return item.control
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(item, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return STATUS_COLOUR[item.control.status]
        if role == Qt.ItemDataRole.ForegroundRole and column == CRITERIA and not item.control.criteria:
            return state_text(AssessmentStatus.GAP)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == EVIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _positions(keys: list[tuple[Any, ...]], column: int, order: Qt.SortOrder) -> list[int]:
    """Return the rows' current positions in their new order."""
    return sorted(range(len(keys)), key=lambda row: keys[row][column],
                  reverse=order == Qt.SortOrder.DescendingOrder)


def _reordered(rows: list[ControlItem], keys: list[tuple[Any, ...]],
               positions: list[int]) -> tuple[list[ControlItem], list[tuple[Any, ...]]]:
    return [rows[p] for p in positions], [keys[p] for p in positions]


def _display(item: ControlItem, column: int) -> str:
    control = item.control
    if column == REF:
        return control.ref
    if column == TITLE:
        return control.title
    if column == OWNER:
        return control.owner
    if column == FREQUENCY:
        return control.frequency.label if control.frequency else ""
    if column == NATURE:
        return control.nature.label if control.nature else ""
    if column == STATUS:
        return control.status.label
    if column == CRITERIA:
        return ", ".join(control.criteria) if control.criteria else NOT_MAPPED
    return str(item.evidence)


def _sort_value(item: ControlItem, column: int) -> Any:
    control = item.control
    if column == REF:
        return natural_key(control.ref)
    if column == FREQUENCY:
        return FREQUENCY_ORDER[control.frequency] if control.frequency else len(FREQUENCY_ORDER)
    if column == STATUS:
        return STATUS_ORDER[control.status]
    if column == CRITERIA:
        return len(control.criteria)
    if column == EVIDENCE:
        return item.evidence
    return _display(item, column).casefold()


def _tooltip(item: ControlItem, column: int) -> str | None:
    control = item.control
    if column == TITLE:
        return plain_tip(f"{control.title}\n\n{control.description}" if control.description else control.title)
    if column == CRITERIA:
        count = len(control.criteria)
        if not count:
            return "Not mapped to any criterion yet"
        return f"{count} {'criterion' if count == 1 else 'criteria'}: {', '.join(control.criteria)}"
    if column == EVIDENCE:
        return f"{item.evidence} evidence {'file' if item.evidence == 1 else 'files'}"
    return plain_tip(_display(item, column)) or None  # the whole text of a cell too narrow for it


class ControlsFilter(QSortFilterProxyModel):
    """Filters the controls by status, frequency and owner, and searches their text; the model does the sorting."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._status: ControlStatus | None = None
        self._frequency: str | None = None  # None: any; "": not set; else a Frequency value
        self._owner: str | None = None  # None: any; "": no owner
        self._words: list[str] = []

    def set_status(self, status: ControlStatus | None) -> None:
        """Keep only controls with this status (None: any)."""
        self._set("_status", status)

    def set_frequency(self, frequency: str | None) -> None:
        """Keep only controls with this frequency value (None: any; "": those without one)."""
        self._set("_frequency", frequency)

    def set_owner(self, owner: str | None) -> None:
        """Keep only controls of this owner (None: any; "": those without one)."""
        self._set("_owner", owner)

    def set_search(self, text: str) -> None:
        """Keep only controls whose text contains every word typed."""
        self._set("_words", text.casefold().split())

    def _set(self, name: str, value: object) -> None:
        # The page sets every filter whenever one changes (and the owner at each reload): filtering thousands of
        # rows again for a filter that kept its value would change nothing.
        if getattr(self, name) == value:
            return
        self._begin_change()
        setattr(self, name, value)
        self._end_change()

    def _begin_change(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later; older versions only invalidate after
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Have the controls model put its rows in order; this proxy only filters, keeping the model's order."""
        model = self.sourceModel()
        if isinstance(model, ControlsModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ControlsModel):
            return True
        control = model.item(source_row).control
        if self._status is not None and control.status is not self._status:
            return False
        if self._frequency is not None and (control.frequency.value if control.frequency else "") != self._frequency:
            return False
        if self._owner is not None and control.owner.strip() != self._owner:
            return False
        if self._words:
            haystack = model.searched_text(source_row)
            return all(word in haystack for word in self._words)
        return True
