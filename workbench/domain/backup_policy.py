"""Which automatic backups to keep as they age: a pure function of the backups and the current time.

The rule, for backups grouped by the calendar day (in the time zone of `now`):
- every backup from today (and any dated after `now`, should a clock have jumped) is kept;
- for the six days before today, the newest backup of each day;
- from a week back to two months back (WEEKLY_DAYS days), the newest backup of each ISO week;
- the newest KEEP_BEFORE_UPGRADE backups taken before a schema upgrade and the newest KEEP_BEFORE_RESTORE taken
  before a restore, whatever their age (they are the way back from an upgrade or a restore);
- the newest backup of all, whatever its age.
Everything else may be deleted. Keeping is stable: applying the rule again to what it kept keeps all of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

ON_OPEN = "on-open"
BEFORE_UPGRADE = "before-upgrade"
BEFORE_RESTORE = "before-restore"
REASONS = (ON_OPEN, BEFORE_UPGRADE, BEFORE_RESTORE)

DAILY_DAYS = 7
WEEKLY_DAYS = 61
KEEP_BEFORE_UPGRADE = 3
KEEP_BEFORE_RESTORE = 2
_PROTECTED = {BEFORE_UPGRADE: KEEP_BEFORE_UPGRADE, BEFORE_RESTORE: KEEP_BEFORE_RESTORE}


@dataclass(frozen=True, slots=True)
class BackupStamp:
    """One backup as the policy sees it: a unique key (its file name), when it was taken, and why."""

    key: str
    taken_at: datetime
    reason: str


def _newest_first(backups: Iterable[BackupStamp]) -> list[BackupStamp]:
    # The key breaks ties between backups taken in the same second, so the choice never depends on input order.
    return sorted(backups, key=lambda b: (b.taken_at, b.key), reverse=True)


def _day(stamp: BackupStamp, now: datetime) -> date:
    taken = stamp.taken_at.astimezone(now.tzinfo) if now.tzinfo and stamp.taken_at.tzinfo else stamp.taken_at
    return taken.date()


def backups_to_keep(backups: Iterable[BackupStamp], now: datetime) -> frozenset[str]:
    """Return the keys of the backups the thinning rule keeps at `now` (see the module docstring)."""
    ordered = _newest_first(backups)
    today = now.date()
    keep: set[str] = set()
    buckets: set[tuple[str, int, int]] = set()
    protected = dict.fromkeys(_PROTECTED, 0)
    if ordered:
        keep.add(ordered[0].key)
    for stamp in ordered:
        limit = _PROTECTED.get(stamp.reason)
        if limit is not None and protected[stamp.reason] < limit:
            protected[stamp.reason] += 1
            keep.add(stamp.key)
        day = _day(stamp, now)
        age = (today - day).days
        if age <= 0:
            keep.add(stamp.key)
            continue
        if age < DAILY_DAYS:
            bucket = ("day", day.toordinal(), 0)
        elif age <= WEEKLY_DAYS:
            year, week, _ = day.isocalendar()
            bucket = ("week", year, week)
        else:
            continue
        if bucket not in buckets:  # newest first, so the first one met in a bucket is its newest
            buckets.add(bucket)
            keep.add(stamp.key)
    return frozenset(keep)


def backups_to_delete(backups: Iterable[BackupStamp], now: datetime) -> list[str]:
    """Return the keys of the backups the thinning rule lets go at `now`, oldest first."""
    ordered = _newest_first(backups)
    keep = backups_to_keep(ordered, now)
    return [stamp.key for stamp in reversed(ordered) if stamp.key not in keep]
