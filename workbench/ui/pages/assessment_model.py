"""The criteria tree of the assessment page: category and series headings over criterion rows, and its filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel

from workbench.domain.enums import AssessmentStatus, Category
from workbench.services.assessment import CriterionRow
from workbench.ui.palette import STATUS_COLOURS

COL_ID, COL_SUMMARY, COL_STATUS, COL_CONTROLS, COL_NOTE = range(5)
HEADERS: tuple[str, ...] = ("Criterion", "Summary", "Status", "Controls", "Note")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the CriterionRow of a criterion row; None on a heading
CRITERION_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the criterion id; "" on a heading

AnyIndex = QModelIndex | QPersistentModelIndex


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


HEADING_FLAGS = Qt.ItemFlag.ItemIsEnabled  # headings are only enabled (arrow keys still pass over them)
CRITERION_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class AssessmentTreeModel(QStandardItemModel):
    """In-scope criteria grouped by category, then series; set_rows() replaces everything.

    The cells are held by Qt (standard items, filled once per reload), so drawing, scrolling and filtering the
    tree never call back into Python for each cell and role (some 4,000 calls each time the page was shown).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        self._by_id: dict[str, list[QStandardItem]] = {}  # a criterion's row of items
        self._icons = {status: status_icon(colour) for status, colour in STATUS_COLOURS.items()}
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_rows(self, rows: Sequence[CriterionRow]) -> None:
        """Show these criteria (catalog order), grouped under category and series headings."""
        self.beginResetModel()
        self.blockSignals(True)  # one reset for the whole tree, not a signal per row
        try:
            self.removeRows(0, self.rowCount())
            self._by_id = {}
            categories: dict[Category, list[CriterionRow]] = {}
            for row in rows:
                categories.setdefault(row.criterion.category, []).append(row)
            root = self.invisibleRootItem()
            for category, members in categories.items():
                heading = self._heading(root, f"{category.label}  ·  {_tally(members)}", 0)
                series: dict[str, list[CriterionRow]] = {}
                for row in members:
                    series.setdefault(row.criterion.series, []).append(row)
                for series_id, series_rows in series.items():
                    title = f"{series_id}  {series_rows[0].criterion.series_title}  ·  {_tally(series_rows)}"
                    group = self._heading(heading, title, 1)
                    for row in series_rows:
                        items = [QStandardItem() for _ in HEADERS]
                        self._fill(items, row)
                        group.appendRow(items)
                        self._by_id[row.criterion.id] = items
        finally:
            self.blockSignals(False)
        self.endResetModel()

    def _heading(self, parent: QStandardItem, title: str, level: int) -> QStandardItem:
        items = [QStandardItem() for _ in HEADERS]
        for item in items:
            item.setFlags(HEADING_FLAGS)
            item.setData(None, ROW_ROLE)
            item.setData("", CRITERION_ID_ROLE)
        items[0].setText(title)
        font = QFont()
        font.setBold(True)
        if level == 0:
            font.setPointSizeF(font.pointSizeF() * 1.1)
        items[0].setFont(font)
        parent.appendRow(items)
        return items[0]

    def _fill(self, items: list[QStandardItem], row: CriterionRow) -> None:
        """Put a criterion's judgement in its row's cells (what each cell shows, its tooltip, icon and font)."""
        note = row.assessment.note
        texts = (row.criterion.id, row.criterion.summary, row.assessment.status.label,
                 ", ".join(row.controls) if row.controls else "none", " ".join(note.split()))
        tips = (None, row.criterion.summary, None, "\n".join(row.controls) if row.controls else None, note or None)
        for item, text, tip in zip(items, texts, tips, strict=True):
            item.setFlags(CRITERION_FLAGS)
            item.setText(text)
            item.setData(tip, Qt.ItemDataRole.ToolTipRole)
            item.setData(row, ROW_ROLE)
            item.setData(row.criterion.id, CRITERION_ID_ROLE)
        items[COL_STATUS].setIcon(self._icons[row.assessment.status])
        items[COL_CONTROLS].setData(None if row.controls else self._italic, Qt.ItemDataRole.FontRole)

    def criterion_index(self, criterion_id: str) -> QModelIndex:
        """Return the index (first column) of a criterion's row, or an invalid index."""
        items = self._by_id.get(criterion_id)
        return items[0].index() if items else QModelIndex()

    def update_row(self, row: CriterionRow) -> None:
        """Show a new judgement of one criterion without rebuilding the tree."""
        items = self._by_id.get(row.criterion.id)
        if items is not None:
            self._fill(items, row)

    def row_count_of_criteria(self) -> int:
        """Return how many criterion rows (not headings) the model holds."""
        return len(self._by_id)


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
