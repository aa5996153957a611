"""The Type II evidence calendar: a grid of controls by month, coloured covered/missing, with the gaps listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Control
from workbench.domain.enums import AssessmentStatus
from workbench.domain.evidence_calendar import Cadence, ControlCalendar, Occurrence, window_months
from workbench.ui.pages.evidence_model import format_date
from workbench.ui.palette import STATUS_COLOURS

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

COVERED, PARTLY, MISSING, NOT_REQUIRED = "covered", "partly", "missing", "not_required"
STATE_COLOURS: dict[str, QColor] = {
    COVERED: STATUS_COLOURS[AssessmentStatus.MET],
    PARTLY: STATUS_COLOURS[AssessmentStatus.PARTIALLY_MET],
    MISSING: STATUS_COLOURS[AssessmentStatus.GAP],
    NOT_REQUIRED: STATUS_COLOURS[AssessmentStatus.NOT_APPLICABLE],
}
STATE_LABELS = {COVERED: "Covered", PARTLY: "Partly covered", MISSING: "Missing", NOT_REQUIRED: "By event / not set"}


@dataclass(frozen=True)
class Cell:
    """One painted cell of the grid, possibly spanning several month columns."""

    column: int
    span: int
    text: str
    state: str
    tooltip: str


def _span(occurrence: Occurrence, months: Sequence[Occurrence]) -> tuple[int, int]:
    hits = [i for i, month in enumerate(months) if occurrence.overlaps(month.start, month.end)]
    return hits[0], hits[-1] - hits[0] + 1


def _when(occurrence: Occurrence) -> str:
    return f"{format_date(occurrence.start)} – {format_date(occurrence.end)}"


def grid_cells(calendar: ControlCalendar, months: Sequence[Occurrence]) -> list[Cell]:
    """Return the cells of one control's row: one per occurrence, weeks summed up per month."""
    if calendar.cadence in (Cadence.BY_EVENT, Cadence.NOT_SET):
        return [Cell(0, len(months), calendar.demand, NOT_REQUIRED, f"No occurrences required: {calendar.demand}")]
    if calendar.cadence is Cadence.WEEKLY:
        cells = []
        for column, month in enumerate(months):
            weeks = [o for o in calendar.occurrences if o.occurrence.overlaps(month.start, month.end)]
            done = sum(1 for o in weeks if o.covered)
            state = COVERED if done == len(weeks) else MISSING if done == 0 else PARTLY
            missing = ", ".join(o.occurrence.label for o in weeks if not o.covered)
            cells.append(Cell(column, 1, f"{done}/{len(weeks)} weeks", state,
                              f"{month.label}: {done} of {len(weeks)} weeks covered"
                              + (f"; missing {missing}" if missing else "")))
        return cells
    cells = []
    for item in calendar.occurrences:
        column, span = _span(item.occurrence, months)
        count = len(item.evidence_ids)
        text = f"{count} item{'s' if count != 1 else ''}" if item.covered else "missing"
        if calendar.cadence is not Cadence.MONTHLY:  # a month column already names its month
            text = f"{item.occurrence.label}: {text}"
        cells.append(Cell(column, span, text, COVERED if item.covered else MISSING,
                          f"{item.occurrence.label} ({_when(item.occurrence)}): "
                          + (f"covered by {count} evidence item{'s' if count != 1 else ''}" if item.covered
                             else "no evidence")))
    return cells


@dataclass(frozen=True)
class Gap:
    """One line of the gap list."""

    text: str
    tooltip: str
    ref: str


@dataclass(frozen=True)
class CalendarGrid:
    """Everything the calendar shows, computed off the GUI thread (plain data, no widgets)."""

    months: list[Occurrence]
    rows: list[tuple[Control, ControlCalendar, dict[int, Cell]]]
    spans: list[tuple[int, int, int]]
    gaps: list[Gap]
    summary: str


def build_grid(rows: Sequence[tuple[Control, ControlCalendar]]) -> CalendarGrid:
    """Lay the controls' calendars out as grid cells by month, list the gaps and sum them up."""
    if not rows:
        return CalendarGrid([], [], [], [], "There are no controls yet.")
    first = rows[0][1]
    months = window_months(first.window_start, first.window_end)
    grid_rows = [(c, cal, {cell.column: cell for cell in grid_cells(cal, months)}) for c, cal in rows]
    spans = [(r, cell.column, cell.span) for r, (_c, _cal, cells) in enumerate(grid_rows)
             for cell in cells.values() if cell.span > 1]
    gaps = [Gap(f"{control.ref}  ·  {gap.label}  ({_when(gap)})",
                f"{control.ref}  {control.title}\nRequired: {calendar.demand}", control.ref)
            for control, calendar in rows for gap in calendar.gaps]
    required = sum(len(calendar.occurrences) for _c, calendar in rows)
    covered = sum(calendar.covered_count for _c, calendar in rows)
    with_gaps = sum(1 for _c, calendar in rows if calendar.gaps)
    window = f"{format_date(first.window_start)} – {format_date(first.window_end)}"
    summary = (f"Observation window {window}: {covered} of {required} required occurrences have evidence; "
               f"{with_gaps} of {len(rows)} controls have gaps. Daily and continuous controls are laid out by "
               "month, as the auditor samples them; event-driven controls need evidence per event.")
    return CalendarGrid(months, grid_rows, spans, gaps, summary)


class GapsModel(QAbstractListModel):
    """The list of gaps."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Gap] = []

    def set_rows(self, rows: Sequence[Gap]) -> None:
        """Replace the gaps shown."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def gap(self, row: int) -> Gap:
        """Return the gap on a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        gap = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return gap.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return gap.tooltip
        return None


class CalendarModel(QAbstractTableModel):
    """Rows are controls, columns the months of the observation window."""

    def __init__(self) -> None:
        super().__init__()
        self.months: list[Occurrence] = []
        self._rows: list[tuple[Control, ControlCalendar, dict[int, Cell]]] = []

    def set_grid(self, grid: CalendarGrid) -> None:
        """Show a grid built by build_grid()."""
        self.beginResetModel()
        self.months, self._rows = grid.months, grid.rows
        self.endResetModel()

    def cell(self, row: int, column: int) -> Cell | None:
        """Return the cell starting at (row, column), or None."""
        return self._rows[row][2].get(column)

    def control(self, row: int) -> Control:
        """Return the control of a row."""
        return self._rows[row][0]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.months)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.months[section].label
            control, calendar, _ = self._rows[section]
            return f"{control.ref}  {calendar.frequency.label if calendar.frequency else 'no frequency'}"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Vertical:
            control, calendar, _ = self._rows[section]
            return f"{control.ref}  {control.title}\nRequired: {calendar.demand}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index.row(), index.column())
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATE_COLOURS[cell.state]
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = STATE_COLOURS[cell.state]
            return QColor("black") if colour.lightness() > 140 else QColor("white")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _swatch(state: str) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 12, 0)
    square = QLabel()
    square.setFixedSize(12, 12)
    square.setStyleSheet(f"background:{STATE_COLOURS[state].name()}; border-radius:2px;")
    text = QLabel(STATE_LABELS[state])
    text.setTextFormat(Qt.TextFormat.PlainText)
    row.addWidget(square)
    row.addWidget(text)
    return box


class EvidenceCalendarView(QWidget):
    """The grid and the list of gaps; emits control_requested(ref) when a gap or a row is activated."""

    control_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        legend = QHBoxLayout()
        for state in (COVERED, PARTLY, MISSING, NOT_REQUIRED):
            legend.addWidget(_swatch(state))
        legend.addStretch(1)
        layout.addLayout(legend)

        self.model = CalendarModel()
        self.grid = QTableView()
        self.grid.setObjectName("evidenceCalendarGrid")
        self.grid.setAccessibleName("Evidence calendar")
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(24)
        self.grid.doubleClicked.connect(lambda index: self.control_requested.emit(self.model.control(index.row()).ref))

        self.gaps_model = GapsModel()
        self.gaps = QListView()
        self.gaps.setObjectName("evidenceGaps")
        self.gaps.setAccessibleName("Gaps in the evidence")
        self.gaps.setModel(self.gaps_model)
        self.gaps.setUniformItemSizes(True)
        self.gaps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gaps.activated.connect(lambda index: self.control_requested.emit(self.gaps_model.gap(index.row()).ref))
        gaps_box = QWidget()
        gaps_layout = QVBoxLayout(gaps_box)
        gaps_layout.setContentsMargins(0, 0, 0, 0)
        self.gaps_heading = QLabel("Gaps")
        self.gaps_heading.setTextFormat(Qt.TextFormat.PlainText)
        gaps_layout.addWidget(self.gaps_heading)
        gaps_layout.addWidget(self.gaps)

        splitter = QSplitter()
        splitter.addWidget(self.grid)
        splitter.addWidget(gaps_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 300])
        layout.addWidget(splitter, 1)

    def set_grid(self, grid: CalendarGrid) -> None:
        """Show a calendar grid (built off the GUI thread) and its gaps."""
        self.model.set_grid(grid)
        self.grid.clearSpans()
        for row, column, span in grid.spans:
            self.grid.setSpan(row, column, 1, span)
        self.gaps_model.set_rows(grid.gaps)
        self.gaps_heading.setText(f"Gaps ({len(grid.gaps)}); double-click one to add evidence")
        self.summary.setText(grid.summary)

    def gap_texts(self) -> list[str]:
        """Return the lines of the gap list."""
        return [self.gaps_model.gap(i).text for i in range(self.gaps_model.rowCount())]
