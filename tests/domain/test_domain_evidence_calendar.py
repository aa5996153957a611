"""The evidence calendar: occurrences per frequency over an observation window, and their coverage."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.enums import Frequency
from workbench.domain.evidence_calendar import (
    Cadence,
    EvidenceDates,
    Occurrence,
    control_calendar,
    demand,
    occurrences,
    window_months,
    year_before,
)


def _spans(window: tuple[date, date], frequency: Frequency | None) -> list[tuple[str, date, date]]:
    return [(o.label, o.start, o.end) for o in occurrences(*window, frequency)]


# -- laying out occurrences ----------------------------------------------------------------------------------


def test_monthly_months_end_on_their_last_day_including_february_of_a_leap_year() -> None:
    spans = _spans((date(2028, 1, 1), date(2028, 4, 30)), Frequency.MONTHLY)
    assert spans == [
        ("Jan 2028", date(2028, 1, 1), date(2028, 1, 31)),
        ("Feb 2028", date(2028, 2, 1), date(2028, 2, 29)),
        ("Mar 2028", date(2028, 3, 1), date(2028, 3, 31)),
        ("Apr 2028", date(2028, 4, 1), date(2028, 4, 30)),
    ]


def test_february_of_a_common_year_and_a_window_across_new_year() -> None:
    spans = _spans((date(2026, 12, 1), date(2027, 3, 31)), Frequency.MONTHLY)
    assert [label for label, _s, _e in spans] == ["Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027"]
    assert spans[0][2] == date(2026, 12, 31)
    assert spans[2][1:] == (date(2027, 2, 1), date(2027, 2, 28))


def test_occurrences_are_clipped_to_a_window_starting_and_ending_mid_month() -> None:
    spans = _spans((date(2026, 1, 15), date(2026, 3, 10)), Frequency.MONTHLY)
    assert spans == [
        ("Jan 2026", date(2026, 1, 15), date(2026, 1, 31)),
        ("Feb 2026", date(2026, 2, 1), date(2026, 2, 28)),
        ("Mar 2026", date(2026, 3, 1), date(2026, 3, 10)),
    ]


def test_quarters_follow_the_calendar_and_are_clipped() -> None:
    spans = _spans((date(2026, 2, 15), date(2027, 1, 31)), Frequency.QUARTERLY)
    assert spans == [
        ("Q1 2026", date(2026, 2, 15), date(2026, 3, 31)),
        ("Q2 2026", date(2026, 4, 1), date(2026, 6, 30)),
        ("Q3 2026", date(2026, 7, 1), date(2026, 9, 30)),
        ("Q4 2026", date(2026, 10, 1), date(2026, 12, 31)),
        ("Q1 2027", date(2027, 1, 1), date(2027, 1, 31)),
    ]


def test_a_window_exactly_on_quarter_boundaries_has_whole_quarters() -> None:
    spans = _spans((date(2026, 4, 1), date(2026, 9, 30)), Frequency.QUARTERLY)
    assert spans == [("Q2 2026", date(2026, 4, 1), date(2026, 6, 30)),
                     ("Q3 2026", date(2026, 7, 1), date(2026, 9, 30))]


def test_a_window_ending_on_the_first_day_of_a_quarter_demands_that_quarter_for_one_day() -> None:
    spans = _spans((date(2026, 1, 1), date(2026, 4, 1)), Frequency.QUARTERLY)
    assert spans[-1] == ("Q2 2026", date(2026, 4, 1), date(2026, 4, 1))


def test_halves_of_the_year() -> None:
    spans = _spans((date(2026, 4, 1), date(2027, 3, 31)), Frequency.SEMI_ANNUAL)
    assert spans == [("H1 2026", date(2026, 4, 1), date(2026, 6, 30)),
                     ("H2 2026", date(2026, 7, 1), date(2026, 12, 31)),
                     ("H1 2027", date(2027, 1, 1), date(2027, 3, 31))]


def test_weeks_are_iso_weeks_monday_to_sunday_clipped_to_the_window() -> None:
    spans = _spans((date(2026, 1, 1), date(2026, 1, 31)), Frequency.WEEKLY)
    # 1 January 2026 is a Thursday: ISO week 1 of 2026 runs from Monday 29 December 2025.
    assert spans[0] == ("2026-W01", date(2026, 1, 1), date(2026, 1, 4))
    assert spans[1] == ("2026-W02", date(2026, 1, 5), date(2026, 1, 11))
    assert spans[-1] == ("2026-W05", date(2026, 1, 26), date(2026, 1, 31))
    assert len(spans) == 5


def test_weeks_across_a_year_end_use_the_iso_year() -> None:
    spans = _spans((date(2026, 12, 28), date(2027, 1, 10)), Frequency.WEEKLY)
    assert [label for label, _s, _e in spans] == ["2026-W53", "2027-W01"]


def test_annual_is_once_reaching_back_a_year_before_the_window_end() -> None:
    (only,) = occurrences(date(2026, 4, 1), date(2026, 9, 30), Frequency.ANNUAL)
    assert (only.start, only.end) == (date(2025, 10, 1), date(2026, 9, 30))
    # A window longer than a year keeps its own start.
    (long,) = occurrences(date(2025, 1, 1), date(2026, 6, 30), Frequency.ANNUAL)
    assert (long.start, long.end) == (date(2025, 1, 1), date(2026, 6, 30))


def test_annual_window_ending_on_29_february() -> None:
    (only,) = occurrences(date(2027, 9, 1), date(2028, 2, 29), Frequency.ANNUAL)
    assert (only.start, only.end) == (date(2027, 3, 1), date(2028, 2, 29))
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert year_before(date(2026, 3, 1)) == date(2025, 3, 1)


@pytest.mark.parametrize("frequency", [Frequency.CONTINUOUS, Frequency.MULTIPLE_TIMES_DAILY, Frequency.DAILY])
def test_continuous_and_daily_controls_are_sampled_by_month(frequency: Frequency) -> None:
    window = (date(2026, 4, 1), date(2026, 9, 30))
    assert _spans(window, frequency) == _spans(window, Frequency.MONTHLY)
    assert demand(frequency) == "every month (sampled population)"


def test_event_driven_and_unset_frequencies_demand_nothing() -> None:
    window = (date(2026, 4, 1), date(2026, 9, 30))
    assert occurrences(*window, Frequency.EVENT_DRIVEN) == []
    assert occurrences(*window, None) == []
    assert demand(Frequency.EVENT_DRIVEN) == "by event"
    calendar = control_calendar(*window, Frequency.EVENT_DRIVEN, [EvidenceDates(1, date(2026, 5, 1))])
    assert calendar.cadence is Cadence.BY_EVENT and calendar.gaps == () and calendar.occurrences == ()


def test_a_one_day_window_and_a_backwards_window() -> None:
    day = date(2026, 6, 30)
    assert _spans((day, day), Frequency.QUARTERLY) == [("Q2 2026", day, day)]
    with pytest.raises(ValueError):
        occurrences(date(2026, 6, 30), date(2026, 6, 1), Frequency.MONTHLY)


def test_window_months_are_the_grid_columns() -> None:
    months = window_months(date(2026, 4, 1), date(2026, 9, 30))
    assert [m.label for m in months] == ["Apr 2026", "May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026"]


# -- coverage --------------------------------------------------------------------------------------------------


def test_collected_dates_cover_the_occurrence_they_fall_in_including_its_last_day() -> None:
    evidence = [EvidenceDates(1, collected_on=date(2026, 4, 30)), EvidenceDates(2, collected_on=date(2026, 6, 1))]
    calendar = control_calendar(date(2026, 4, 1), date(2026, 6, 30), Frequency.MONTHLY, evidence)
    assert [(o.occurrence.label, o.evidence_ids) for o in calendar.occurrences] == [
        ("Apr 2026", (1,)), ("May 2026", ()), ("Jun 2026", (2,))]
    assert [g.label for g in calendar.gaps] == ["May 2026"]
    assert calendar.covered_count == 2


def test_a_period_spanning_several_occurrences_covers_each_of_them() -> None:
    evidence = [EvidenceDates(7, collected_on=date(2026, 10, 2), period_start=date(2026, 5, 20),
                              period_end=date(2026, 8, 1))]
    calendar = control_calendar(date(2026, 4, 1), date(2026, 9, 30), Frequency.MONTHLY, evidence)
    covered = [o.occurrence.label for o in calendar.occurrences if o.covered]
    assert covered == ["May 2026", "Jun 2026", "Jul 2026", "Aug 2026"]
    # The collected date (October) speaks for nothing once a period is given: September stays a gap.
    assert [g.label for g in calendar.gaps] == ["Apr 2026", "Sep 2026"]


def test_a_quarter_review_collected_after_the_quarter_covers_only_its_period() -> None:
    evidence = [EvidenceDates(1, collected_on=date(2026, 7, 3), period_start=date(2026, 4, 1),
                              period_end=date(2026, 6, 30))]
    calendar = control_calendar(date(2026, 4, 1), date(2026, 9, 30), Frequency.QUARTERLY, evidence)
    assert [(o.occurrence.label, o.covered) for o in calendar.occurrences] == [("Q2 2026", True), ("Q3 2026", False)]


def test_a_period_touching_a_boundary_by_one_day_covers_both_sides() -> None:
    evidence = [EvidenceDates(1, period_start=date(2026, 3, 31), period_end=date(2026, 4, 1))]
    calendar = control_calendar(date(2026, 1, 1), date(2026, 12, 31), Frequency.QUARTERLY, evidence)
    assert [o.occurrence.label for o in calendar.occurrences if o.covered] == ["Q1 2026", "Q2 2026"]


def test_evidence_outside_the_window_and_undated_evidence_cover_nothing() -> None:
    evidence = [EvidenceDates(1, collected_on=date(2026, 3, 31)), EvidenceDates(2),
                EvidenceDates(3, period_start=date(2026, 10, 1), period_end=date(2026, 12, 31))]
    calendar = control_calendar(date(2026, 4, 1), date(2026, 9, 30), Frequency.QUARTERLY, evidence)
    assert calendar.covered_count == 0
    assert len(calendar.gaps) == 2


def test_annual_evidence_from_before_the_window_but_within_the_year_counts() -> None:
    window = (date(2026, 4, 1), date(2026, 9, 30))
    inside_year = control_calendar(*window, Frequency.ANNUAL, [EvidenceDates(1, collected_on=date(2025, 10, 1))])
    too_old = control_calendar(*window, Frequency.ANNUAL, [EvidenceDates(1, collected_on=date(2025, 9, 30))])
    assert inside_year.gaps == () and inside_year.covered_count == 1
    assert len(too_old.gaps) == 1


def test_half_open_periods_and_reversed_periods_are_read_sensibly() -> None:
    assert EvidenceDates(1, period_start=date(2026, 5, 3)).days() == (date(2026, 5, 3), date(2026, 5, 3))
    assert EvidenceDates(1, period_end=date(2026, 5, 3)).days() == (date(2026, 5, 3), date(2026, 5, 3))
    assert EvidenceDates(1, period_start=date(2026, 6, 1), period_end=date(2026, 5, 1)).days() == (
        date(2026, 5, 1), date(2026, 6, 1))
    assert EvidenceDates(1).days() is None


def test_weekly_coverage_by_collected_day() -> None:
    window = (date(2026, 1, 5), date(2026, 1, 25))  # three whole ISO weeks
    evidence = [EvidenceDates(1, collected_on=date(2026, 1, 11)), EvidenceDates(2, collected_on=date(2026, 1, 19))]
    calendar = control_calendar(*window, Frequency.WEEKLY, evidence)
    assert [(o.occurrence.label, o.covered) for o in calendar.occurrences] == [
        ("2026-W02", True), ("2026-W03", False), ("2026-W04", True)]


def test_overlap_is_inclusive_at_both_ends() -> None:
    occurrence = Occurrence("x", date(2026, 4, 1), date(2026, 4, 30))
    assert occurrence.overlaps(date(2026, 3, 1), date(2026, 4, 1))
    assert occurrence.overlaps(date(2026, 4, 30), date(2026, 5, 31))
    assert not occurrence.overlaps(date(2026, 3, 1), date(2026, 3, 31))


# -- properties ------------------------------------------------------------------------------------------------

_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
_lengths = st.integers(min_value=0, max_value=800)
_periodic = st.sampled_from([Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.SEMI_ANNUAL,
                             Frequency.DAILY])


@given(start=_days, length=_lengths, frequency=_periodic)
def test_periodic_occurrences_tile_the_window_without_gaps_or_overlaps(start: date, length: int,
                                                                       frequency: Frequency) -> None:
    end = start + timedelta(days=length)
    found = occurrences(start, end, frequency)
    assert found[0].start == start and found[-1].end == end
    for before, after in itertools.pairwise(found):
        assert after.start == before.end + timedelta(days=1)
        assert before.start <= before.end


@given(start=_days, length=_lengths, frequency=_periodic, collected=_days)
def test_a_dated_item_covers_exactly_the_occurrence_holding_its_day(start: date, length: int, frequency: Frequency,
                                                                   collected: date) -> None:
    end = start + timedelta(days=length)
    calendar = control_calendar(start, end, frequency, [EvidenceDates(1, collected_on=collected)])
    expected = 1 if start <= collected <= end else 0
    assert calendar.covered_count == expected
    assert len(calendar.gaps) == len(calendar.occurrences) - expected
