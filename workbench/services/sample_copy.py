"""The user's working copy of a bundled sample follows today: its dates move so the period ended about a month ago.

Every date moves by the same whole number of months (domain/date_shift.py: whole months keep the period a run
of calendar months; single days land on a working day of their month). The plan is then rescheduled from its
moved pins and start, and each plan task that lies wholly before today is marked done. Free text and stored
files (evidence, the population files' hashes) keep the dates they were written with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from workbench.domain.date_shift import months_to_follow, move_day
from workbench.domain.schedule import Link, Schedule, TaskSpec, schedule, working_days_between
from workbench.services.plan import START_KEY
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


def _kept(stored: Sequence[tuple[TaskSpec, date, date]]) -> list[TaskSpec]:
    """Return the tasks with durations and lags that land them on their moved days (months differ in working days)."""
    days = {spec.key: (spec.fixed_start or start, spec.fixed_end or end) for spec, start, end in stored}
    kept = []
    for spec, _, _ in stored:
        start, end = days[spec.key]
        links = tuple(Link(link.predecessor, max(0, working_days_between(
            days[link.predecessor][1] + timedelta(days=1), start - timedelta(days=1)))) for link in spec.depends_on)
        duration = working_days_between(start, end) if spec.duration else 0
        kept.append(replace(spec, duration=duration, depends_on=links))
    return kept


def _reschedule(uow: UnitOfWork, months: int, today: date) -> Schedule | None:
    """Schedule the moved plan again from its moved start, with the tasks over by today done."""
    stored = uow.plan.specs()
    if not stored:
        return None
    text = uow.meta.get(START_KEY)
    first = min(start for _, start, _ in stored)
    start = move_day(date.fromisoformat(text), months, False) if text else first
    plan = schedule(_kept(stored) if months else [spec for spec, _, _ in stored], start)
    done = [replace(t.spec, actual_start=t.start, actual_finish=t.end, percent_complete=100)
            if t.end < today and t.spec.percent_complete < 100 else t.spec for t in plan.tasks]
    plan = schedule(done, start)
    uow.plan.replace_all([(t.spec, t.start, t.end) for t in plan.tasks])
    uow.meta.set(START_KEY, plan.start.isoformat())
    return plan


def follow_today(project: OpenProject, today: date | None = None) -> int:
    """Move the project's dates so its period ends about a month before today; return the months moved.

    One unit of work: the dates, the plan and its done tasks change together or not at all.
    """
    today = today or project.now().date()
    with project.uow() as uow:
        settings = uow.settings.get()
        if settings.period_end is None:
            return 0
        months = months_to_follow(settings.period_end, today)
        if months:
            uow.shift_dates(lambda day, bound: move_day(day, months, bound))
        _reschedule(uow, months, today)
        uow.commit()
    return months
