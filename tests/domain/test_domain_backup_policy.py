"""The thinning rule for automatic backups, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.backup_policy import (
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    KEEP_BEFORE_UPGRADE,
    ON_OPEN,
    REASONS,
    BackupStamp,
    backups_to_delete,
    backups_to_keep,
)

NOW = datetime(2026, 3, 18, 15, 0, 0, tzinfo=UTC)  # a Wednesday


def stamp(name: str, ago: timedelta, reason: str = ON_OPEN) -> BackupStamp:
    return BackupStamp(name, NOW - ago, reason)


def test_today_all_then_one_a_day_then_one_a_week_then_none():
    backups = [
        stamp("today-early", timedelta(hours=14)),
        stamp("today-late", timedelta(hours=1)),
        stamp("yesterday-morning", timedelta(days=1, hours=6)),
        stamp("yesterday-evening", timedelta(days=1, hours=-6)),
        stamp("six-days-a", timedelta(days=6, hours=2)),
        stamp("six-days-b", timedelta(days=6, hours=1)),
        # 2026-03-04 and 2026-03-03 are in the same ISO week (10), two weeks back: only the newer stays.
        stamp("week10-tue", timedelta(days=15)),
        stamp("week10-wed", timedelta(days=14)),
        stamp("fifty-days", timedelta(days=50)),
        stamp("seventy-days", timedelta(days=70)),
    ]
    kept = backups_to_keep(backups, NOW)
    assert kept == {"today-early", "today-late", "yesterday-evening", "six-days-b", "week10-wed", "fifty-days"}
    assert backups_to_delete(backups, NOW) == ["seventy-days", "week10-tue", "six-days-a", "yesterday-morning"]


def test_the_newest_before_upgrade_backups_are_kept_whatever_their_age():
    upgrades = [stamp(f"upgrade-{i}", timedelta(days=100 + i), BEFORE_UPGRADE) for i in range(5)]
    restores = [stamp(f"restore-{i}", timedelta(days=200 + i), BEFORE_RESTORE) for i in range(4)]
    kept = backups_to_keep([*upgrades, *restores, stamp("today", timedelta(0))], NOW)
    assert kept == {"today", "upgrade-0", "upgrade-1", "upgrade-2", "restore-0", "restore-1"}
    assert KEEP_BEFORE_UPGRADE == 3


def test_the_newest_backup_survives_even_when_it_is_old():
    old = [stamp("old-a", timedelta(days=300)), stamp("old-b", timedelta(days=200))]
    assert backups_to_keep(old, NOW) == {"old-b"}
    assert backups_to_keep([], NOW) == frozenset()


def test_days_follow_the_time_zone_of_now():
    # 23:30 UTC on the 17th is already the 18th in Berlin (UTC+1): "today" there.
    from zoneinfo import ZoneInfo

    berlin_now = NOW.astimezone(ZoneInfo("Europe/Berlin"))
    late = BackupStamp("late", datetime(2026, 3, 17, 23, 30, tzinfo=UTC), ON_OPEN)
    later = BackupStamp("later", datetime(2026, 3, 17, 23, 45, tzinfo=UTC), ON_OPEN)
    assert backups_to_keep([late, later, stamp("now", timedelta(0))], berlin_now) == {"late", "later", "now"}
    assert backups_to_keep([late, later, stamp("now", timedelta(0))], NOW) == {"later", "now"}


backup_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=150 * 24 * 60), st.sampled_from(REASONS)),
    max_size=60,
).map(lambda items: [BackupStamp(f"b{i}", NOW - timedelta(minutes=m), r) for i, (m, r) in enumerate(items)])


@settings(max_examples=200, deadline=None)
@given(backup_lists)
def test_thinning_never_deletes_todays_or_the_newest_upgrade_backups(backups):
    kept = backups_to_keep(backups, NOW)
    deleted = set(backups_to_delete(backups, NOW))
    assert kept | deleted == {b.key for b in backups} and not kept & deleted
    assert {b.key for b in backups if b.taken_at.date() == NOW.date()} <= kept
    upgrades = sorted((b for b in backups if b.reason == BEFORE_UPGRADE), key=lambda b: (b.taken_at, b.key))
    assert {b.key for b in upgrades[-KEEP_BEFORE_UPGRADE:]} <= kept
    if backups:
        assert max(backups, key=lambda b: (b.taken_at, b.key)).key in kept
    # At most one kept per earlier day of the week and per week of the two months, beyond the protected ones.
    ordinary = [b for b in backups if b.key in kept and b.reason == ON_OPEN and b.taken_at.date() != NOW.date()]
    days = [b.taken_at.date() for b in ordinary if (NOW.date() - b.taken_at.date()).days < 7]
    assert len(days) == len(set(days))


@settings(max_examples=200, deadline=None)
@given(backup_lists, st.integers(min_value=0, max_value=3))
def test_thinning_is_stable_under_rerunning(backups, shuffle_seed):
    kept = backups_to_keep(backups, NOW)
    survivors = [b for b in backups if b.key in kept]
    import random

    random.Random(shuffle_seed).shuffle(survivors)
    assert backups_to_keep(survivors, NOW) == kept
    assert backups_to_delete(survivors, NOW) == []
