"""The timeline's rows (a heading per step, then its tasks), its time scale, and the task list beside the bars."""

from __future__ import annotations

import enum
import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from workbench.domain.enums import AssessmentStatus
from workbench.domain.readiness import STEP_TITLES
from workbench.domain.schedule import Schedule, ScheduledTask
from workbench.ui.dates import shown_date, shown_month
from workbench.ui.palette import STEP_COLOURS, state_text
from workbench.ui.row_model import RowTableModel

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 26  # one task per row, in the list and in the chart alike (they scroll together)
HEADER_HEIGHT = 44  # the time scale above the chart, and the list's column headers
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the task key of a row ("" for a step heading)


class Zoom(enum.Enum):
    """How much time a screen holds: the lower tier of the time scale shows weeks, months or quarters."""

    WEEKS = "Weeks"
    MONTHS = "Months"
    QUARTERS = "Quarters"

    @property
    def pixels_per_day(self) -> float:
        """Return the width of one calendar day at this zoom."""
        return {Zoom.WEEKS: 16.0, Zoom.MONTHS: 4.0, Zoom.QUARTERS: 1.4}[self]


def step_title(step: int) -> str:
    """Return a step's heading as the navigation shows it ("3  Implement controls")."""
    title = STEP_TITLES[step - 1] if 1 <= step <= len(STEP_TITLES) else "Other tasks"
    return f"{step}  {title}"


@dataclass(frozen=True, slots=True)
class GanttRow:
    """One row: a step's heading (task is None; start/end span its tasks) or one task."""

    step: int
    start: date
    end: date
    task: ScheduledTask | None = None

    @property
    def key(self) -> str:
        """Return the task's key, or "" for a heading."""
        return self.task.key if self.task is not None else ""

    @property
    def title(self) -> str:
        """Return what the list shows in the name column."""
        if self.task is None:
            return step_title(self.step)
        return ("◆ " if self.task.milestone else "") + self.task.name


def gantt_rows(plan: Schedule) -> list[GanttRow]:
    """Group the plan's tasks by step (steps in order, tasks in plan order), each group under its heading."""
    rows: list[GanttRow] = []
    for step in sorted({t.step for t in plan.tasks}):
        tasks = [t for t in plan.tasks if t.step == step]
        rows.append(GanttRow(step, min(t.start for t in tasks), max(t.end for t in tasks)))
        rows.extend(GanttRow(step, t.start, t.end, t) for t in tasks)
    return rows


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Tick:
    """A period on the time scale: where it starts and what it is called."""

    start: date
    end: date  # exclusive
    label: str


@dataclass(frozen=True, slots=True)
class TimeScale:
    """Calendar days to scene x: `origin` is at x = 0, `end` (exclusive) at the right edge."""

    origin: date
    end: date
    zoom: Zoom

    @classmethod
    def around(cls, days: Iterable[date], zoom: Zoom) -> TimeScale:
        """Return a scale covering these days, from the start of their first month to a month past the last."""
        listed = list(days)
        first, last = min(listed), max(listed)
        origin = _month_start(first)
        if zoom is Zoom.QUARTERS:
            origin = date(origin.year, (origin.month - 1) // 3 * 3 + 1, 1)
        end = _add_months(last, 2 if zoom is not Zoom.QUARTERS else 4)
        if zoom is Zoom.QUARTERS:
            end = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
        return cls(origin, end, zoom)

    @property
    def pixels_per_day(self) -> float:
        """Return the width of one day."""
        return self.zoom.pixels_per_day

    @property
    def width(self) -> float:
        """Return the width of the whole scale."""
        return self.x(self.end)

    def x(self, day: date) -> float:
        """Return the x where a day begins."""
        return (day - self.origin).days * self.pixels_per_day

    def day_at(self, x: float) -> date:
        """Return the day under an x."""
        return self.origin + timedelta(days=int(x // self.pixels_per_day))

    def contains(self, day: date) -> bool:
        """Return True when the day is on the scale."""
        return self.origin <= day < self.end

    def upper_ticks(self) -> list[Tick]:
        """Return the upper tier: months when zoomed to weeks, years otherwise."""
        ticks: list[Tick] = []
        if self.zoom is Zoom.WEEKS:
            month = _month_start(self.origin)
            while month < self.end:
                following = _add_months(month, 1)
                ticks.append(Tick(month, following, shown_month(month)))
                month = following
            return ticks
        year = self.origin.year
        while date(year, 1, 1) < self.end:
            ticks.append(Tick(max(date(year, 1, 1), self.origin), date(year + 1, 1, 1), str(year)))
            year += 1
        return ticks

    def lower_ticks(self) -> list[Tick]:
        """Return the lower tier: weeks (from Monday), months or quarters."""
        ticks: list[Tick] = []
        if self.zoom is Zoom.WEEKS:
            day = self.origin - timedelta(days=self.origin.weekday())
            while day < self.end:
                ticks.append(Tick(day, day + timedelta(days=7), f"{day.day} {shown_month(day, year=False)}"))
                day += timedelta(days=7)
            return ticks
        months = 1 if self.zoom is Zoom.MONTHS else 3
        period = self.origin
        while period < self.end:
            following = _add_months(period, months)
            label = shown_month(period, year=False) if months == 1 else f"Q{(period.month - 1) // 3 + 1}"
            ticks.append(Tick(period, following, label))
            period = following
        return ticks


class PlanListModel(RowTableModel[GanttRow]):
    """The task list beside the chart: one row per chart row (headings span the columns)."""

    NAME, START, END, SLACK = range(4)
    HEADERS = ("Task", "Start", "End", "Slack")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        task = row.task
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return row.title
            if task is None:
                return None
            if column == self.START:
                return shown_date(task.start)
            if column == self.END:
                return shown_date(task.end)
            if column == self.SLACK:
                return slack_text(task)
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME and task is None:
            return STEP_COLOURS.get(row.step)
        if role == Qt.ItemDataRole.FontRole and task is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and task is not None and column == self.SLACK and task.critical:
            return state_text(AssessmentStatus.GAP)  # the critical path's red, as words
        if role == Qt.ItemDataRole.ToolTipRole and task is not None:
            return task_tooltip(task)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SLACK:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def row_of(self, key: str) -> int | None:
        """Return the row showing a task, or None."""
        return next((i for i, row in enumerate(self.rows) if row.key == key and key), None)


def slack_text(task: ScheduledTask) -> str:
    """Return how far a task can slip, in short: critical, done, or its slack in working days."""
    return "critical" if task.critical else "done" if task.spec.done else f"{task.slack} d"


def task_tooltip(task: ScheduledTask) -> str:
    """Return a task's dates, slack and facts as a tooltip (escaped: a task name is never read as markup)."""
    spec = task.spec
    if task.milestone:
        lines = [task.name, f"On {shown_date(task.start)}"]
    else:
        lines = [task.name, f"{shown_date(task.start)} – {shown_date(task.end)}"
                            f" ({spec.duration} working days)"]
    lines.append("On the critical path" if task.critical else "Done" if spec.done else
                 f"Can slip {task.slack} working days")
    if spec.fixed_start is not None:
        lines.append(f"Pinned to start {shown_date(spec.fixed_start)}")
    if spec.actual_start is not None:
        lines.append(f"Actually started {shown_date(spec.actual_start)}")
    if spec.actual_finish is not None:
        lines.append(f"Actually finished {shown_date(spec.actual_finish)}")
    if spec.percent_complete:
        lines.append(f"{spec.percent_complete}% complete")
    return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"
