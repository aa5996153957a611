"""Moving a project's dates by whole months (a working copy of the sample follows today).

Whole months keep the audit period a run of whole calendar months, so every monthly, quarterly and
half-year window, and whether an event lies in the period, stays as it was. A range bound (a period's
first or last day) moves exactly: the last day of a month stays the last day of its month. A single day
(a due date, an event) also moves to a working day inside its month when it lands on a weekend.
"""

from __future__ import annotations

from datetime import date, timedelta

# The period ends at the latest month end at least this many days before today: "about a month" ago.
DAYS_BEFORE_TODAY = 21


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _last_day(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def shift_months(day: date, months: int) -> date:
    """Return day moved by whole months; a month's last day stays the last, other days are kept within the month."""
    year, month = divmod(_month_index(day) + months, 12)
    month += 1
    last = _last_day(year, month)
    keep_end = day.day == _last_day(day.year, day.month)
    return date(year, month, last if keep_end else min(day.day, last))


def to_working_day(day: date) -> date:
    """Return the nearest working day in day's month: Saturday to Friday, Sunday to Monday (or the other way
    when that would leave the month)."""
    if day.weekday() < 5:
        return day
    earlier = day - timedelta(days=day.weekday() - 4)
    later = day + timedelta(days=7 - day.weekday())
    first, second = (earlier, later) if day.weekday() == 5 else (later, earlier)
    return first if first.month == day.month else second


def move_day(day: date, months: int, bound: bool) -> date:
    """Return day moved by whole months: exactly for a range bound, onto a working day otherwise."""
    moved = shift_months(day, months)
    return moved if bound else to_working_day(moved)


def months_to_follow(period_end: date, today: date) -> int:
    """Return the months that move a period ending on period_end to end about a month before today."""
    latest = today - timedelta(days=DAYS_BEFORE_TODAY)
    target = latest if latest.day == _last_day(latest.year, latest.month) else latest.replace(day=1) - timedelta(days=1)
    return _month_index(target) - _month_index(period_end)
