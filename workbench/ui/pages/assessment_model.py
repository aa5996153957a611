"""The criteria tree of the assessment page: category and series headings over criterion rows, and its filter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from workbench.domain.enums import AssessmentStatus, Category
from workbench.services.assessment import CriterionRow
from workbench.ui.palette import STATUS_COLOURS

COL_ID, COL_SUMMARY, COL_STATUS, COL_CONTROLS, COL_NOTE = range(5)
HEADERS: tuple[str, ...] = ("Criterion", "Summary", "Status", "Controls", "Note")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the CriterionRow of a criterion row; None on a heading
CRITERION_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the criterion id; "" on a heading

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class _Node:
    parent: int  # node number of the parent heading; -1 at the top level
    row: int  # position among its siblings
    title: str = ""  # heading text (headings only)
    item: CriterionRow | None = None
    level: int = 0  # 0 category heading, 1 series heading, 2 criterion
    children: list[int] = field(default_factory=list)


def _tally(rows: Sequence[CriterionRow]) -> str:
    met = sum(1 for r in rows if r.assessment.status is AssessmentStatus.MET)
    gaps = sum(1 for r in rows if r.assessment.status is AssessmentStatus.GAP)
    text = f"{met} of {len(rows)} met"
    return text + (f", {gaps} gap{'s' if gaps != 1 else ''}" if gaps else "")


def status_icon(colour: QColor) -> QIcon:
    """Return a small round swatch of a status colour."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(colour.darker(130))
    painter.setBrush(colour)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class AssessmentTreeModel(QAbstractItemModel):
    """In-scope criteria grouped by category, then series; set_rows() replaces everything."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._by_id: dict[str, int] = {}
        self._icons = {status: status_icon(colour) for status, colour in STATUS_COLOURS.items()}

    def set_rows(self, rows: Sequence[CriterionRow]) -> None:
        """Show these criteria (catalog order), grouped under category and series headings."""
        self.beginResetModel()
        self._nodes, self._top, self._by_id = [], [], {}
        categories: dict[Category, list[CriterionRow]] = {}
        for row in rows:
            categories.setdefault(row.criterion.category, []).append(row)
        for category, members in categories.items():
            heading = self._add(-1, f"{category.label}  ·  {_tally(members)}", None, 0)
            series: dict[str, list[CriterionRow]] = {}
            for row in members:
                series.setdefault(row.criterion.series, []).append(row)
            for series_id, series_rows in series.items():
                title = f"{series_id}  {series_rows[0].criterion.series_title}  ·  {_tally(series_rows)}"
                group = self._add(heading, title, None, 1)
                for row in series_rows:
                    self._by_id[row.criterion.id] = self._add(group, "", row, 2)
        self.endResetModel()

    def _add(self, parent: int, title: str, item: CriterionRow | None, level: int) -> int:
        siblings = self._top if parent < 0 else self._nodes[parent].children
        number = len(self._nodes)
        self._nodes.append(_Node(parent, len(siblings), title, item, level))
        siblings.append(number)
        return number

    def criterion_index(self, criterion_id: str) -> QModelIndex:
        """Return the index (first column) of a criterion's row, or an invalid index."""
        number = self._by_id.get(criterion_id)
        if number is None:
            return QModelIndex()
        return self.createIndex(self._nodes[number].row, 0, number)

    def update_row(self, row: CriterionRow) -> None:
        """Show a new judgement of one criterion without rebuilding the tree."""
        number = self._by_id.get(row.criterion.id)
        if number is None:
            return
        node = self._nodes[number]
        node.item = row
        last = len(HEADERS) - 1
        self.dataChanged.emit(self.createIndex(node.row, 0, number), self.createIndex(node.row, last, number))

    def row_count_of_criteria(self) -> int:
        """Return how many criterion rows (not headings) the model holds."""
        return len(self._by_id)

    # -- QAbstractItemModel -------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Return the index of a child of `parent`."""
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        siblings = self._nodes[parent.internalId()].children if parent.isValid() else self._top
        if 0 <= row < len(siblings) and 0 <= column < len(HEADERS):
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Return the heading above an index."""
        if not index.isValid():
            return QModelIndex()
        parent = self._nodes[index.internalId()].parent
        if parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[parent].row, 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of children under `parent`."""
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, _parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return the column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Criterion rows are selectable; headings are only enabled (arrow keys still pass over them)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._nodes[index.internalId()].item is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return what one cell shows."""
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        column = index.column()
        if role == ROW_ROLE:
            return node.item
        if role == CRITERION_ID_ROLE:
            return node.item.criterion.id if node.item else ""
        if node.item is None:
            return self._heading_data(node, column, role)
        row = node.item
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_ID:
                return row.criterion.id
            if column == COL_SUMMARY:
                return row.criterion.summary
            if column == COL_STATUS:
                return row.assessment.status.label
            if column == COL_CONTROLS:
                return ", ".join(row.controls) if row.controls else "none"
            return " ".join(row.assessment.note.split())
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_SUMMARY:
                return row.criterion.summary
            if column == COL_NOTE and row.assessment.note:
                return row.assessment.note
            if column == COL_CONTROLS and row.controls:
                return "\n".join(row.controls)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS:
            return self._icons[row.assessment.status]
        if role == Qt.ItemDataRole.FontRole and column == COL_CONTROLS and not row.controls:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def _heading_data(node: _Node, column: int, role: int) -> Any:
        if column != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.title
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            if node.level == 0:
                font.setPointSizeF(font.pointSizeF() * 1.1)
            return font
        return None


class AssessmentFilter(QSortFilterProxyModel):
    """Shows the criteria matching the status, category, 'without controls' and text filters, with their headings."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)  # a heading shows while any criterion under it matches
        self._status: AssessmentStatus | None = None
        self._category: Category | None = None
        self._without_controls = False
        self._text = ""

    def _refilter(self, change: Any) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: AssessmentStatus | None) -> None:
        """Show only criteria with this status (None: any)."""
        self._refilter(lambda: setattr(self, "_status", status))

    def set_category(self, category: Category | None) -> None:
        """Show only criteria of this category (None: any)."""
        self._refilter(lambda: setattr(self, "_category", category))

    def set_without_controls(self, only: bool) -> None:
        """Show only criteria no control is mapped to."""
        self._refilter(lambda: setattr(self, "_without_controls", only))

    def set_text(self, text: str) -> None:
        """Show only criteria whose id, summary or note contains the text (case-insensitive)."""
        self._refilter(lambda: setattr(self, "_text", text.strip().casefold()))

    def accepts(self, row: CriterionRow) -> bool:
        """Return True when a criterion passes every filter."""
        if self._status is not None and row.assessment.status is not self._status:
            return False
        if self._category is not None and row.criterion.category is not self._category:
            return False
        if self._without_controls and row.controls:
            return False
        if self._text:
            haystack = f"{row.criterion.id}\n{row.criterion.summary}\n{row.assessment.note}".casefold()
            return self._text in haystack
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        """Headings are never accepted on their own: recursive filtering shows them above a match."""
        source = self.sourceModel()
        row = source.index(source_row, 0, source_parent).data(ROW_ROLE)
        return row is not None and self.accepts(row)

    def visible_criteria(self) -> list[str]:
        """Return the ids of the criteria shown, top to bottom."""
        found: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for number in range(self.rowCount(parent)):
                index = self.index(number, 0, parent)
                criterion_id = index.data(CRITERION_ID_ROLE)
                if criterion_id:
                    found.append(criterion_id)
                walk(index)

        walk(QModelIndex())
        return found
