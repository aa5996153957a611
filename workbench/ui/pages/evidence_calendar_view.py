"""The Type II evidence calendar: the period's expected windows by control and month, coloured, with the gaps listed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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
from workbench.domain.period import WINDOW_OF, Period, Window, WindowKind, WindowStatus, add_months
from workbench.domain.testing import Population
from workbench.services.period import AUTOMATED, NONE, POPULATION, ControlPeriod, ExpectedWindow, demand
from workbench.ui.dates import shown_month
from workbench.ui.pages.evidence_model import format_date
from workbench.ui.palette import STATUS_COLOURS, words_on

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

COVERED, PARTLY, MISSING, NOT_DUE, NOT_REQUIRED = "covered", "partly", "missing", "not_due", "not_required"
STATE_COLOURS: dict[str, QColor] = {
    COVERED: STATUS_COLOURS[AssessmentStatus.MET],
    PARTLY: STATUS_COLOURS[AssessmentStatus.PARTIALLY_MET],
    MISSING: STATUS_COLOURS[AssessmentStatus.GAP],
    NOT_DUE: STATUS_COLOURS[AssessmentStatus.NOT_ASSESSED],
    NOT_REQUIRED: STATUS_COLOURS[AssessmentStatus.NOT_APPLICABLE],
}
STATE_LABELS = {COVERED: "Covered", PARTLY: "Partly covered", MISSING: "Missing", NOT_DUE: "Not due yet",
                NOT_REQUIRED: "Population / not set"}
_STATE_OF = {WindowStatus.COVERED: COVERED, WindowStatus.MISSING: MISSING, WindowStatus.NOT_DUE: NOT_DUE}
_SUMMED = (WindowKind.DAY, WindowKind.WEEK)  # many windows a month: one cell per month sums them up


@dataclass(frozen=True, slots=True)
class Month(Window):
    """One column of the grid: a calendar month clipped to the audit period, and its name."""

    label: str = ""


@dataclass(frozen=True)
class Cell:
    """One painted cell of the grid, possibly spanning several month columns."""

    column: int
    span: int
    text: str
    state: str
    tooltip: str


def period_months(period: Period) -> list[Month]:
    """Return the months of the period, the first and last clipped to it."""
    months = []
    first = period.start.replace(day=1)
    while first <= period.end:
        following = add_months(first, 1)
        months.append(Month(max(first, period.start), min(following - timedelta(days=1), period.end),
                            shown_month(first)))
        first = following
    return months


def _columns(window: Window, months: Sequence[Month]) -> tuple[int, int]:
    hits = [i for i, month in enumerate(months) if window.overlaps(month.start, month.end)]
    return (hits[0], hits[-1] - hits[0] + 1) if hits else (0, len(months))


def _when(start: date, end: date) -> str:
    return format_date(start) if start == end else f"{format_date(start)} – {format_date(end)}"


def _items(count: int) -> str:
    return f"{count} item{'s' if count != 1 else ''}"


def _summed_cells(windows: Sequence[ExpectedWindow], months: Sequence[Month], unit: str) -> list[Cell]:
    cells = []
    for column, month in enumerate(months):
        inside = [w for w in windows if month.overlaps(w.start, w.end)]
        due = [w for w in inside if w.status is not WindowStatus.NOT_DUE]
        if not inside:
            continue
        done = sum(1 for w in due if w.status is WindowStatus.COVERED)
        state = NOT_DUE if not due else COVERED if done == len(due) else MISSING if done == 0 else PARTLY
        missing = [w.label for w in due if w.status is WindowStatus.MISSING]
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        cells.append(Cell(column, 1, f"{done}/{len(due)} {unit}" if due else "not due", state,
                          f"{month.label}: {done} of {len(due)} {unit} due so far have evidence"
                          + (f"; missing {shown}" if missing else "")))
    return cells


def _window_cell(window: ExpectedWindow, months: Sequence[Month], named: bool) -> Cell:
    column, span = _columns(Window(window.start, window.end), months)
    count = len(window.evidence_ids)
    text = {WindowStatus.COVERED: _items(count), WindowStatus.MISSING: "missing",
            WindowStatus.NOT_DUE: "not due"}[window.status]
    detail = {WindowStatus.COVERED: f"covered by {_items(count)} of evidence", WindowStatus.MISSING: "no evidence",
              WindowStatus.NOT_DUE: "not over yet"}[window.status]
    return Cell(column, span, f"{window.label}: {text}" if named else text, _STATE_OF[window.status],
                f"{window.label} ({_when(window.start, window.end)}): {detail}")


def _population_cell(item: ControlPeriod, period: Period, population: Population | None, today: date,
                     months: Sequence[Month]) -> Cell:
    if population is not None:
        outside = f"; {population.out_of_period} dated outside the period" if population.out_of_period else ""
        return Cell(0, len(months), f"population: {population.row_count:,} events", COVERED,
                    f"Population imported with {population.row_count:,} events{outside}; see the Type II tab")
    state = MISSING if period.end < today else NOT_REQUIRED
    return Cell(0, len(months), "population: not imported", state,
                "Event-driven: import the population of every event in the period on the Type II tab")


def grid_cells(item: ControlPeriod, period: Period, months: Sequence[Month], population: Population | None = None,
               today: date | None = None) -> list[Cell]:
    """Return the cells of one control's row: a cell per window, days and weeks summed up per month."""
    if item.expects == POPULATION:
        return [_population_cell(item, period, population, today or period.end, months)]
    if item.expects == NONE:
        return [Cell(0, len(months), "frequency not set", NOT_REQUIRED, "Set the control's frequency in step 3")]
    if not item.windows:
        return [Cell(0, len(months), "nothing expected in the period", NOT_REQUIRED,
                     "The control's life (implemented since, retired on) leaves no whole window in the period")]
    if item.expects == AUTOMATED:
        return [_window_cell(item.windows[0], months, named=True)]
    kind = WINDOW_OF[item.control.frequency]  # type: ignore[index]
    if kind in _SUMMED:
        return _summed_cells(item.windows, months, "days" if kind is WindowKind.DAY else "weeks")
    return [_window_cell(w, months, named=kind is not WindowKind.MONTH) for w in item.windows]


@dataclass(frozen=True)
class Gap:
    """One line of the gap list."""

    text: str
    tooltip: str
    ref: str


@dataclass(frozen=True)
class CalendarGrid:
    """Everything the calendar shows, computed off the GUI thread (plain data, no widgets)."""

    months: list[Month]
    rows: list[tuple[ControlPeriod, dict[int, Cell]]]
    spans: list[tuple[int, int, int]]
    gaps: list[Gap]
    summary: str


def _gaps(item: ControlPeriod, population: Population | None, period: Period, today: date) -> list[Gap]:
    control = item.control
    tooltip = f"{control.ref}  {control.title}\nExpected: {demand(control)}"
    gaps = [Gap(f"{control.ref}  ·  {w.label}", f"{tooltip}\nNo evidence for {_when(w.start, w.end)}", control.ref)
            for w in item.windows if w.status is WindowStatus.MISSING]
    if item.expects == POPULATION and population is None and period.end < today:
        gaps.append(Gap(f"{control.ref}  ·  no population", f"{tooltip}\nNo population of the period imported yet",
                        control.ref))
    return gaps


def build_grid(period: Period, controls: Sequence[ControlPeriod], populations: Mapping[str, Population],
               today: date) -> CalendarGrid:
    """Lay the controls' expected windows out as grid cells by month, list the gaps and sum them up."""
    if not controls:
        return CalendarGrid([], [], [], [], "There are no controls yet.")
    months = period_months(period)
    rows = [(item, {cell.column: cell for cell in grid_cells(item, period, months,
                                                             populations.get(item.control.ref), today)})
            for item in controls]
    spans = [(r, cell.column, cell.span) for r, (_item, cells) in enumerate(rows)
             for cell in cells.values() if cell.span > 1]
    gaps = [gap for item in controls for gap in _gaps(item, populations.get(item.control.ref), period, today)]
    windows = [w for item in controls if item.expects != POPULATION for w in item.windows]
    due = [w for w in windows if w.status is not WindowStatus.NOT_DUE]
    covered = sum(1 for w in due if w.status is WindowStatus.COVERED)
    with_gaps = len({gap.ref for gap in gaps})
    summary = (f"Audit period {_when(period.start, period.end)}: {covered} of {len(due)} windows due so far have "
               f"evidence ({len(windows) - len(due)} not due yet); {with_gaps} of {len(controls)} controls have gaps. "
               "A window counts when it lies wholly in the period and in the control's life; event-driven controls "
               "are tested from a population and automated ones once (see the Type II tab).")
    return CalendarGrid(months, rows, spans, gaps, summary)


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
        self.months: list[Month] = []
        self._rows: list[tuple[ControlPeriod, dict[int, Cell]]] = []

    def set_grid(self, grid: CalendarGrid) -> None:
        """Show a grid built by build_grid()."""
        self.beginResetModel()
        self.months, self._rows = grid.months, grid.rows
        self.endResetModel()

    def cell(self, row: int, column: int) -> Cell | None:
        """Return the cell starting at (row, column), or None."""
        return self._rows[row][1].get(column)

    def control(self, row: int) -> Control:
        """Return the control of a row."""
        return self._rows[row][0].control

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.months)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (Qt.ItemDataRole.DisplayRole,
                                                                 Qt.ItemDataRole.ToolTipRole):
            month = self.months[section]  # the short name fits a narrow column; the tooltip has the year
            return shown_month(month.start, year=False) if role == Qt.ItemDataRole.DisplayRole else month.label
        if role == Qt.ItemDataRole.DisplayRole:
            control = self.control(section)
            return f"{control.ref}  {control.frequency.label if control.frequency else 'no frequency'}"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Vertical:
            control = self.control(section)
            return f"{control.ref}  {control.title}\nExpected: {demand(control)}"
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
            return words_on(STATE_COLOURS[cell.state])  # black or white, whichever reads (AA contrast)
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
        for state in (COVERED, PARTLY, MISSING, NOT_DUE, NOT_REQUIRED):
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
        # Tens of thousands of gaps on a big project: laid out at once, they stalled the tab's first showing ~100 ms.
        self.gaps.setLayoutMode(QListView.LayoutMode.Batched)
        self.gaps.setBatchSize(500)
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
