"""The period engine's rules (DESIGN.md section 6): expected windows, and evidence in or out of the period."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.enums import Frequency
from workbench.domain.period import (
    Period,
    PeriodFit,
    Window,
    WindowStatus,
    add_months,
    expected_windows,
    in_period,
    period_fit,
    window_status,
)

H1_2026 = Period(date(2026, 1, 1), date(2026, 6, 30))


def test_a_quarterly_control_implemented_mid_quarter_expects_only_the_next_whole_quarter() -> None:
    assert expected_windows(H1_2026, Frequency.QUARTERLY, date(2026, 2, 15)) == [
        Window(date(2026, 4, 1), date(2026, 6, 30))]


@pytest.mark.parametrize(("frequency", "count"), [
    (Frequency.MONTHLY, 6), (Frequency.QUARTERLY, 2), (Frequency.SEMI_ANNUAL, 1), (Frequency.WEEKLY, 25),
    (Frequency.DAILY, 181), (Frequency.ANNUAL, 1), (Frequency.EVENT_DRIVEN, 0), (None, 0)])
def test_window_counts_over_the_first_half_of_2026(frequency: Frequency | None, count: int) -> None:
    assert len(expected_windows(H1_2026, frequency)) == count


def test_an_annual_control_expects_one_occurrence_in_the_twelve_months_ending_at_the_period_end() -> None:
    assert expected_windows(H1_2026, Frequency.ANNUAL) == [Window(date(2025, 7, 1), date(2026, 6, 30))]
    assert expected_windows(H1_2026, Frequency.ANNUAL, implemented_since=date(2026, 7, 1)) == []


def test_stub_windows_at_either_end_expect_nothing() -> None:
    period = Period(date(2026, 1, 15), date(2026, 7, 14))
    months = expected_windows(period, Frequency.MONTHLY)
    assert months[0] == Window(date(2026, 2, 1), date(2026, 2, 28))
    assert months[-1] == Window(date(2026, 6, 1), date(2026, 6, 30))
    assert len(months) == 5


def test_a_retired_control_expects_nothing_after_it_was_retired() -> None:
    assert len(expected_windows(H1_2026, Frequency.MONTHLY, retired_on=date(2026, 3, 31))) == 3
    assert expected_windows(H1_2026, Frequency.MONTHLY, date(2026, 5, 1), date(2026, 4, 1)) == []


def test_evidence_is_in_period_out_of_period_or_undated() -> None:
    assert in_period(H1_2026, date(2025, 10, 1), date(2025, 10, 31), date(2026, 2, 1)) is False
    assert in_period(H1_2026, None, None, date(2026, 3, 1)) is True
    assert in_period(H1_2026, None, None, date(2027, 3, 1)) is False
    assert in_period(H1_2026, None, None, None) is None
    # A range reaching across an end of the period is not in period (DESIGN.md section 6: it must lie inside).
    assert in_period(H1_2026, date(2025, 12, 15), date(2026, 1, 15), None) is False
    assert in_period(H1_2026, date(2026, 6, 1), date(2026, 7, 15), None) is False
    assert in_period(H1_2026, H1_2026.start, H1_2026.end, None) is True


def test_a_range_across_an_end_of_the_period_is_told_apart_as_partly_outside() -> None:
    assert period_fit(H1_2026, date(2025, 12, 15), date(2026, 1, 15), None) is PeriodFit.PARTLY_OUTSIDE
    assert period_fit(H1_2026, date(2025, 1, 1), date(2027, 1, 1), None) is PeriodFit.PARTLY_OUTSIDE
    assert period_fit(H1_2026, date(2026, 2, 1), date(2026, 2, 28), None) is PeriodFit.INSIDE
    assert period_fit(H1_2026, date(2025, 10, 1), date(2025, 12, 31), None) is PeriodFit.OUTSIDE
    assert period_fit(H1_2026, None, None, date(2026, 7, 1)) is PeriodFit.OUTSIDE
    assert period_fit(H1_2026, None, None, None) is None


def test_a_range_holding_a_type1_as_of_day_is_in_period() -> None:
    as_of = Period(date(2026, 6, 30), date(2026, 6, 30))
    assert period_fit(as_of, date(2026, 1, 1), date(2026, 12, 31), None) is PeriodFit.INSIDE
    assert in_period(as_of, None, None, date(2026, 6, 30)) is True
    assert period_fit(as_of, date(2026, 1, 1), date(2026, 6, 29), None) is PeriodFit.OUTSIDE
    assert in_period(as_of, None, None, date(2026, 7, 1)) is False


def test_a_window_is_covered_missing_or_not_yet_due() -> None:
    window = Window(date(2026, 4, 1), date(2026, 6, 30))
    assert window_status(window, [(date(2026, 5, 3), date(2026, 5, 3))], date(2026, 5, 4)) is WindowStatus.COVERED
    assert window_status(window, [(date(2026, 3, 3), date(2026, 3, 3))], date(2026, 7, 1)) is WindowStatus.MISSING
    assert window_status(window, [], date(2026, 6, 1)) is WindowStatus.NOT_DUE


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 500), st.sampled_from(
    [Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.SEMI_ANNUAL]))
def test_every_window_lies_wholly_inside_the_period_and_none_overlap(start: date, days: int,
                                                                     frequency: Frequency) -> None:
    period = Period(start, start + timedelta(days=days))
    windows = expected_windows(period, frequency)
    assert all(period.start <= w.start <= w.end <= period.end for w in windows)
    assert all(a.end < b.start for a, b in itertools.pairwise(windows))


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(-240, 240))
def test_adding_months_keeps_the_day_within_the_month(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)
