"""The Type II period: which windows a control must have operated in, and whether evidence reflects the period.

The rules (DESIGN.md section 6):
- before its implemented-since date, and after its retired date, nothing is expected of a control;
- an annual control expects one occurrence in the 12 months ending at the period's end;
- every other recurring control expects one for each of its calendar windows (day, ISO week, month, quarter,
  half-year) lying wholly inside the period and wholly within its life; a stub window at either end expects none;
- an event-driven control expects a population instead of windows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from workbench.domain.entities import ProjectSettings
from workbench.domain.enums import Frequency, ReportType


class WindowKind(StrEnum):
    """The calendar unit a frequency is tested in."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


WINDOW_OF: dict[Frequency, WindowKind] = {
    Frequency.MULTIPLE_TIMES_DAILY: WindowKind.DAY,
    Frequency.DAILY: WindowKind.DAY,
    Frequency.CONTINUOUS: WindowKind.MONTH,
    Frequency.WEEKLY: WindowKind.WEEK,
    Frequency.MONTHLY: WindowKind.MONTH,
    Frequency.QUARTERLY: WindowKind.QUARTER,
    Frequency.SEMI_ANNUAL: WindowKind.HALF_YEAR,
    Frequency.ANNUAL: WindowKind.YEAR,
}


class WindowStatus(StrEnum):
    """Where one expected window stands."""

    COVERED = "covered"
    MISSING = "missing"
    NOT_DUE = "not_due"


@dataclass(frozen=True, slots=True)
class Period:
    """The audit period, both ends included (a Type I report's as-of date is a period of one day)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    def holds(self, day: date) -> bool:
        """Return True when the day lies in the period."""
        return self.start <= day <= self.end

    def months(self) -> float:
        """Return the period's length in months (30.44 days each), for the 3-to-12-month guard."""
        return ((self.end - self.start).days + 1) / 30.44


@dataclass(frozen=True, slots=True)
class Window:
    """One window in which a control must have operated, both ends included."""

    start: date
    end: date

    def overlaps(self, start: date, end: date) -> bool:
        """Return True when the days start..end share at least one day with the window."""
        return start <= self.end and end >= self.start


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later (or earlier), kept within the month (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _calendar_windows(kind: WindowKind, start: date, end: date) -> Iterator[Window]:
    """Yield the calendar windows of this kind that overlap start..end, unclipped."""
    if kind is WindowKind.DAY:
        for offset in range((end - start).days + 1):
            day = start + timedelta(days=offset)
            yield Window(day, day)
        return
    if kind is WindowKind.WEEK:
        first = start - timedelta(days=start.weekday())
        while first <= end:
            yield Window(first, first + timedelta(days=6))
            first += timedelta(days=7)
        return
    step = {WindowKind.MONTH: 1, WindowKind.QUARTER: 3, WindowKind.HALF_YEAR: 6}[kind]
    month = _month_start(start)
    month = month.replace(month=(month.month - 1) // step * step + 1)
    while month <= end:
        following = add_months(month, step)
        yield Window(month, following - timedelta(days=1))
        month = following


def expected_windows(period: Period, frequency: Frequency | None, implemented_since: date | None = None,
                     retired_on: date | None = None) -> list[Window]:
    """Return the windows in which a control of this frequency must have operated during the period.

    Event-driven controls and controls without a frequency expect no windows (a population, or nothing).
    """
    kind = WINDOW_OF.get(frequency) if frequency is not None else None
    if kind is None:
        return []
    alive_from = max(period.start, implemented_since) if implemented_since else period.start
    alive_to = min(period.end, retired_on) if retired_on else period.end
    if alive_from > alive_to:
        return []
    if kind is WindowKind.YEAR:
        year_start = add_months(period.end, -12) + timedelta(days=1)
        window = Window(max(year_start, implemented_since or year_start), period.end)
        return [window] if window.start <= alive_to and (retired_on is None or retired_on >= window.start) else []
    return [w for w in _calendar_windows(kind, alive_from, alive_to) if w.start >= alive_from and w.end <= alive_to]


def reflected_days(period_start: date | None, period_end: date | None, received: date | None
                   ) -> tuple[date, date] | None:
    """Return the days an evidence item reflects: its stated range, else the day it was received, else None."""
    if period_start is not None or period_end is not None:
        first = period_start or period_end
        last = period_end or period_start
        assert first is not None and last is not None
        return (first, last) if first <= last else (last, first)
    if received is not None:
        return received, received
    return None


@dataclass(frozen=True, slots=True)
class EvidenceDates:
    """The dates of one evidence item, all the period needs of it (the store reads only these for the dashboard)."""

    id: int
    collected_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None

    def days(self) -> tuple[date, date] | None:
        """Return the first and last day this evidence reflects, or None when it carries no date."""
        return reflected_days(self.period_start, self.period_end, self.collected_on)


class PeriodFit(StrEnum):
    """How what an evidence item reflects lies against the period."""

    INSIDE = "inside"
    PARTLY_OUTSIDE = "partly_outside"  # a range reaching across an end of the period
    OUTSIDE = "outside"


def period_fit(period: Period, period_start: date | None, period_end: date | None, received: date | None
               ) -> PeriodFit | None:
    """Return whether what an evidence item reflects lies inside the period, partly outside it (a range reaching
    across an end) or outside it; None when undated."""
    days = reflected_days(period_start, period_end, received)
    if days is None:
        return None
    first, last = days
    if period.start <= first and last <= period.end:
        return PeriodFit.INSIDE
    if period.start == period.end and first <= period.start <= last:
        return PeriodFit.INSIDE  # a Type I as-of day: a range holding the day shows the state on that day
    return PeriodFit.PARTLY_OUTSIDE if first <= period.end and last >= period.start else PeriodFit.OUTSIDE


def in_period(period: Period, period_start: date | None, period_end: date | None, received: date | None
              ) -> bool | None:
    """Return True when what an evidence item reflects lies inside the period, False when not, None when undated.

    A range reaching across an end of the period is not in period (DESIGN.md section 6: what it reflects must lie
    inside); period_fit tells it apart from one wholly outside, so that it can be flagged as partly outside.
    """
    fit = period_fit(period, period_start, period_end, received)
    return None if fit is None else fit is PeriodFit.INSIDE


def window_status(window: Window, evidence_days: list[tuple[date, date]], today: date) -> WindowStatus:
    """Return whether evidence covers the window, or whether it is missing or not yet due."""
    if any(window.overlaps(first, last) for first, last in evidence_days):
        return WindowStatus.COVERED
    return WindowStatus.MISSING if window.end < today else WindowStatus.NOT_DUE


def project_period(settings: ProjectSettings) -> Period | None:
    """Return a project's period: the audit period (Type II) or the as-of day (Type I); None when not set."""
    start, end = settings.period_start, settings.period_end
    if settings.report_type is ReportType.TYPE1:
        day = start or end
        return Period(day, day) if day else None
    if start is None or end is None or end < start:
        return None
    return Period(start, end)
