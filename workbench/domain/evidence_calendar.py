"""The Type II evidence calendar: the occurrences a control's frequency demands in the observation window.

Occurrences are calendar periods (ISO weeks, months, quarters, halves) that overlap the window, clipped to
it. An evidence item speaks for the days of the period it covers when one is given, otherwise for the day it
was collected; it covers every occurrence those days overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from workbench.domain.enums import Frequency


class Cadence(StrEnum):
    """How a frequency is turned into occurrences."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    BY_EVENT = "by_event"
    NOT_SET = "not_set"


CADENCE: dict[Frequency | None, Cadence] = {
    Frequency.CONTINUOUS: Cadence.MONTHLY,
    Frequency.MULTIPLE_TIMES_DAILY: Cadence.MONTHLY,
    Frequency.DAILY: Cadence.MONTHLY,
    Frequency.WEEKLY: Cadence.WEEKLY,
    Frequency.MONTHLY: Cadence.MONTHLY,
    Frequency.QUARTERLY: Cadence.QUARTERLY,
    Frequency.SEMI_ANNUAL: Cadence.HALF_YEARLY,
    Frequency.ANNUAL: Cadence.YEARLY,
    Frequency.EVENT_DRIVEN: Cadence.BY_EVENT,
    None: Cadence.NOT_SET,
}
_SAMPLED = frozenset({Frequency.CONTINUOUS, Frequency.MULTIPLE_TIMES_DAILY, Frequency.DAILY})


def demand(frequency: Frequency | None) -> str:
    """Return, in words, what the frequency demands in the window."""
    if frequency in _SAMPLED:
        return "every month (sampled population)"
    return {
        Cadence.WEEKLY: "every week",
        Cadence.MONTHLY: "every month",
        Cadence.QUARTERLY: "every quarter",
        Cadence.HALF_YEARLY: "every half year",
        Cadence.YEARLY: "once, within the window or the year before its end",
        Cadence.BY_EVENT: "by event",
        Cadence.NOT_SET: "frequency not set",
    }[CADENCE[frequency]]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One period in which the control must operate (and leave evidence), both ends included."""

    label: str
    start: date
    end: date

    def overlaps(self, start: date, end: date) -> bool:
        """Return True when the days start..end share at least one day with this occurrence."""
        return start <= self.end and end >= self.start


@dataclass(frozen=True, slots=True)
class EvidenceDates:
    """What the calendar needs to know about one evidence item."""

    id: int
    collected_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None

    def days(self) -> tuple[date, date] | None:
        """Return the first and last day this evidence speaks for, or None when it carries no date."""
        if self.period_start is not None or self.period_end is not None:
            first = self.period_start or self.period_end
            last = self.period_end or self.period_start
            assert first is not None and last is not None
            return (first, last) if first <= last else (last, first)
        if self.collected_on is not None:
            return self.collected_on, self.collected_on
        return None


@dataclass(frozen=True, slots=True)
class OccurrenceCoverage:
    """An occurrence and the evidence items covering it."""

    occurrence: Occurrence
    evidence_ids: tuple[int, ...] = ()

    @property
    def covered(self) -> bool:
        """Return True when at least one evidence item covers the occurrence."""
        return bool(self.evidence_ids)


@dataclass(frozen=True, slots=True)
class ControlCalendar:
    """The occurrences one control's frequency demands in a window, with their coverage."""

    frequency: Frequency | None
    window_start: date
    window_end: date
    occurrences: tuple[OccurrenceCoverage, ...]

    @property
    def cadence(self) -> Cadence:
        """Return how the frequency is laid out over the window."""
        return CADENCE[self.frequency]

    @property
    def demand(self) -> str:
        """Return, in words, what the frequency demands."""
        return demand(self.frequency)

    @property
    def gaps(self) -> tuple[Occurrence, ...]:
        """Return the occurrences no evidence covers."""
        return tuple(o.occurrence for o in self.occurrences if not o.covered)

    @property
    def covered_count(self) -> int:
        """Return how many occurrences are covered."""
        return sum(1 for o in self.occurrences if o.covered)


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def year_before(day: date) -> date:
    """Return the same day one year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _months(start: date, end: date, step: int) -> Iterator[tuple[date, date, int, int]]:
    """Yield (first day, last day, year, index) of calendar blocks of `step` months overlapping start..end."""
    year, index = start.year, (start.month - 1) // step
    while True:
        first = date(year, index * step + 1, 1)
        if first > end:
            return
        yield first, _month_end(year, index * step + step), year, index
        index += 1
        if index * step >= 12:
            year, index = year + 1, 0


def _raw_periods(cadence: Cadence, start: date, end: date) -> Iterator[tuple[str, date, date]]:
    if cadence is Cadence.WEEKLY:
        monday = start - timedelta(days=start.weekday())
        while monday <= end:
            iso_year, week, _ = monday.isocalendar()
            yield f"{iso_year}-W{week:02d}", monday, monday + timedelta(days=6)
            monday += timedelta(days=7)
    elif cadence is Cadence.MONTHLY:
        for first, last, _year, _index in _months(start, end, 1):
            yield first.strftime("%b %Y"), first, last
    elif cadence is Cadence.QUARTERLY:
        for first, last, year, index in _months(start, end, 3):
            yield f"Q{index + 1} {year}", first, last
    elif cadence is Cadence.HALF_YEARLY:
        for first, last, year, index in _months(start, end, 6):
            yield f"H{index + 1} {year}", first, last
    elif cadence is Cadence.YEARLY:
        first = min(start, year_before(end) + timedelta(days=1))
        yield "Year to " + end.strftime("%d %b %Y").lstrip("0"), first, end


def occurrences(window_start: date, window_end: date, frequency: Frequency | None) -> list[Occurrence]:
    """Return the occurrences the frequency demands in the window (clipped to it; the annual one may reach back)."""
    if window_end < window_start:
        raise ValueError("the observation window ends before it starts")
    cadence = CADENCE[frequency]
    result = []
    for label, first, last in _raw_periods(cadence, window_start, window_end):
        if cadence is not Cadence.YEARLY:
            first, last = max(first, window_start), min(last, window_end)
        result.append(Occurrence(label, first, last))
    return result


def control_calendar(window_start: date, window_end: date, frequency: Frequency | None,
                     evidence: Iterable[EvidenceDates]) -> ControlCalendar:
    """Lay a control's occurrences over the window and mark those its evidence covers."""
    spans = [(item.id, days) for item in evidence if (days := item.days()) is not None]
    rows = tuple(
        OccurrenceCoverage(occurrence, tuple(i for i, (first, last) in spans if occurrence.overlaps(first, last)))
        for occurrence in occurrences(window_start, window_end, frequency)
    )
    return ControlCalendar(frequency, window_start, window_end, rows)


def window_months(window_start: date, window_end: date) -> list[Occurrence]:
    """Return the calendar months of the window, clipped to it (the columns of a calendar grid)."""
    return occurrences(window_start, window_end, Frequency.MONTHLY)
