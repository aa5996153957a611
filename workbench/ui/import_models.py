"""Thin table models for the import wizard: a sheet's first rows, the planned rows, and the problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.domain.enums import AssessmentStatus
from workbench.domain.import_values import cell_text
from workbench.services.importers.readers import Cell
from workbench.services.importers.spec import CREATE, MERGE, PROBLEM, SKIP, UNCHANGED, UPDATE, RegisterSpec, RowPlan
from workbench.services.importers.table import column_letter
from workbench.ui.dates import shown_date, shown_moment
from workbench.ui.palette import ACCENT, accent_text, state_text
from workbench.ui.row_model import RowTableModel

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_PREVIEW_COLUMNS = 40
# The state whose words colour an action or a problem's level (None: the accent colour).
ACTION_STATES: dict[str, AssessmentStatus | None] = {
    CREATE: AssessmentStatus.MET,
    UPDATE: None,
    MERGE: None,
    SKIP: AssessmentStatus.NOT_APPLICABLE,
    PROBLEM: AssessmentStatus.GAP,
}
LEVEL_STATES: dict[str, AssessmentStatus] = {
    "error": AssessmentStatus.GAP,
    "warning": AssessmentStatus.PARTIALLY_MET,
}


def _words(status: AssessmentStatus | None) -> QBrush:
    return QBrush(accent_text() if status is None else state_text(status))


def one_line(value: Cell) -> str:
    """Return a cell's text on one line, as shown in a table cell."""
    if value is None:
        return ""
    return " ⏎ ".join(part.strip() for part in cell_text(value).splitlines() if part.strip())


class SheetRowsModel(RowTableModel[list[Cell]]):
    """The first rows of a sheet as the spreadsheet shows them; the chosen header row stands out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.header_row = 0  # 1-based; 0 when none is chosen
        self._width = 0

    def set_rows(self, rows: Any) -> None:
        """Replace every row; the column count follows the widest row."""
        self._width = min(max((len(r) for r in rows), default=0), MAX_PREVIEW_COLUMNS)
        super().set_rows(rows)

    def set_header_row(self, row: int) -> None:
        """Highlight this 1-based row as the header."""
        self.header_row = row
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, max(self._width - 1, 0)))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self.rows) - 1)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._width

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return column_letter(section) if orientation == Qt.Orientation.Horizontal else str(section + 1)
        if role == Qt.ItemDataRole.FontRole and orientation == Qt.Orientation.Vertical and \
                section + 1 == self.header_row:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        value = row[index.column()] if index.column() < len(row) else None
        is_header = index.row() + 1 == self.header_row
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(value)
        if role == Qt.ItemDataRole.ToolTipRole and value not in (None, ""):
            return cell_text(value)
        if role == Qt.ItemDataRole.BackgroundRole and is_header:
            colour = QColor(ACCENT)
            colour.setAlpha(70)
            return QBrush(colour)
        if role == Qt.ItemDataRole.FontRole and is_header:
            font = QFont()
            font.setBold(True)
            return font
        return None


ROW = 0
# Actions whose reason only repeats them ("new control", "already up to date"): the word says it all.
SELF_EXPLAINED = frozenset({CREATE, UNCHANGED})


def shown_value(value: Any) -> str:
    """Return a field value as a preview cell shows it: dates as the GUI shows them, lists joined, choices by label."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, datetime):
        return shown_moment(value)
    if isinstance(value, date):
        return shown_date(value)
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else one_line(value)


class PlanRowsModel(RowTableModel[RowPlan]):
    """What the import would do with each row: row, the record's key and label, the kind's preview fields (as they
    will be stored), and the action with what it does not say by itself (the fields an update changes, why a row is
    skipped or merged, the problem)."""

    def __init__(self, spec: RegisterSpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.fields = (spec.key, spec.label, *spec.preview)
        self.HEADERS = ("Row", *(spec.field(name).label for name in self.fields), "Action")
        self.action = len(self.HEADERS) - 1

    def column_of(self, field: str) -> int:
        """Return the column showing a field."""
        return 1 + self.fields.index(field)

    def outcome(self, plan: RowPlan) -> str:
        """Return the action cell of a row: the action, then why, unless the action says it all."""
        if plan.action == UPDATE:
            changed = self._changed(plan)
            if changed:
                return f"update: {', '.join(changed)}"
        if plan.action in SELF_EXPLAINED or not plan.reason:
            return plan.action
        return f"{plan.action}: {plan.reason}"

    def _changed(self, plan: RowPlan) -> list[str]:
        """Return the labels of the fields an update changes (none when the kind keeps no snapshot to compare)."""
        if plan.record is None or plan.previous is None:
            return []
        after, before = self.spec.records.values(plan.record), self.spec.records.values(plan.previous)
        return [self.spec.field(name).label for name in self.spec.names
                if name in after and name in before and after[name] != before[name]]

    def _value(self, plan: RowPlan, column: int) -> Any:
        if column == ROW:
            return plan.row
        if column == self.action:
            return self.outcome(plan)
        if column == self.column_of(self.spec.key):
            return plan.key
        if plan.record is None:
            return ""
        return shown_value(self.spec.records.values(plan.record)[self.fields[column - 1]])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        plan = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            value = self._value(plan, column)
            return value if role == SORT_ROLE or column != ROW else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.action and plan.action in ACTION_STATES:
            return _words(ACTION_STATES[plan.action])
        if role == Qt.ItemDataRole.ToolTipRole and column != ROW:
            return self._value(plan, column) or None  # the whole text of a cell too narrow for it
        return None


@dataclass(frozen=True, slots=True)
class ProblemItem:
    """One problem as listed: spreadsheet row, column (letter and header), level and message."""

    row: int
    column: str
    level: str
    message: str


P_ROW, P_COLUMN, P_LEVEL, P_MESSAGE = range(4)


class ProblemsModel(RowTableModel[ProblemItem]):
    """Errors and warnings by spreadsheet row and column."""

    HEADERS = ("Row", "Column", "Level", "Problem")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            values = (item.row, item.column, item.level.capitalize(), item.message)
            value = values[column]
            return value if role == SORT_ROLE or column != P_ROW else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and column == P_LEVEL and item.level in LEVEL_STATES:
            return _words(LEVEL_STATES[item.level])
        if role == Qt.ItemDataRole.ToolTipRole and column == P_MESSAGE:
            return item.message
        return None
