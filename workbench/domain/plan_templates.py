"""Plan templates: the road to a Type I, a first Type II and a Type II renewal as schedulable tasks.

Durations are working days, grounded in published figures (planning 1-3 weeks, readiness assessment 2-4 weeks,
remediation weeks to months, a 3-12 month observation window, fieldwork about 2 weeks, the report a few weeks
after) and shrink with what the project has already done.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from workbench.domain.schedule import (
    Link,
    ScheduleError,
    TaskSpec,
    add_working_days,
    is_working_day,
    next_working_day,
    schedule,
    working_days_between,
)

TYPE1 = "type1"
TYPE2_FIRST = "type2-first"
TYPE2_RENEWAL = "type2-renewal"
TEMPLATE_LABELS: dict[str, str] = {
    TYPE1: "Type I",
    TYPE2_FIRST: "First Type II",
    TYPE2_RENEWAL: "Type II renewal",
}
WINDOW_KEY = "observation"   # the observation window (Type II) or the point-in-time date (Type I)
SIGNOFF_KEY = "readiness_signoff"   # the last preparation task; it absorbs what fitting leaves over
DESCRIPTION_FINAL_KEY = "system_description_final"
WORKING_DAYS_PER_MONTH = 260 / 12
MIN_TASK_DAYS = 5


@dataclass(frozen=True, slots=True)
class Progress:
    """What is already done: fractions 0..1 of controls implemented and in-scope criteria met."""

    controls_implemented: float = 0.0
    criteria_met: float = 0.0
    prior_report: bool = False


@dataclass(frozen=True, slots=True)
class _Nominal:
    """A template's base figures (working days unless named otherwise)."""

    planning: int
    readiness: int
    cpa: int
    policies: int
    remediation: int
    rollout: int
    evidence: int
    window_months: int   # 0 = Type I (a point in time)


_NOMINAL = {
    TYPE1: _Nominal(planning=10, readiness=10, cpa=15, policies=15, remediation=30, rollout=5, evidence=10,
                    window_months=0),
    TYPE2_FIRST: _Nominal(planning=10, readiness=15, cpa=15, policies=20, remediation=60, rollout=10, evidence=15,
                          window_months=6),
    TYPE2_RENEWAL: _Nominal(planning=5, readiness=10, cpa=5, policies=10, remediation=20, rollout=5, evidence=5,
                            window_months=12),
}

_FIRST_AUDIT_NAMES = {
    "planning": "Plan the audit: scope, system boundaries and categories",
    "readiness": "Readiness assessment against the in-scope criteria",
    "select_cpa": "Shortlist and select the CPA firm",
    "policies": "Write and approve the policy set",
    "remediation": "Remediate gaps and implement controls",
    "policy_rollout": "Roll out policies: acknowledgements and training",
}
_NAMES = {
    TYPE1: {
        **_FIRST_AUDIT_NAMES,
        "evidence_setup": "Gather evidence of control design",
        WINDOW_KEY: "Point-in-time date (Type I as-of date)",
    },
    TYPE2_FIRST: {
        **_FIRST_AUDIT_NAMES,
        "evidence_setup": "Set up evidence collection and the evidence calendar",
        WINDOW_KEY: "Observation window (audit period)",
    },
    TYPE2_RENEWAL: {
        "planning": "Plan the renewal: changes to scope and systems since the last report",
        "readiness": "Review changes and last report's exceptions",
        "select_cpa": "Confirm the CPA firm, fees and scope",
        "policies": "Annual policy review and approval",
        "remediation": "Fix exceptions and gaps found since the last period",
        "policy_rollout": "Re-acknowledge policies and refresh training",
        "evidence_setup": "Check evidence collection for the new period",
        WINDOW_KEY: "Observation window (audit period)",
    },
}


def window_days(months: int) -> int:
    """Return the nominal working days of a window of so many months."""
    return round(months * WORKING_DAYS_PER_MONTH)


def default_template(type1: bool, prior_type2_report: bool) -> str:
    """Return the template a project starts from: Type I, a first Type II, or a renewal after a Type II report."""
    if type1:
        return TYPE1
    return TYPE2_RENEWAL if prior_type2_report else TYPE2_FIRST


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _scaled(days: int, remaining: float, floor: int = MIN_TASK_DAYS) -> int:
    return max(floor, round(days * remaining))


def _link(*keys: str, lag: int = 0) -> tuple[Link, ...]:
    return tuple(Link(k, lag) for k in keys)


def nominal_tasks(template: str, progress: Progress = Progress()) -> list[TaskSpec]:
    """Return a template's tasks with durations scaled by progress and the window at its nominal length."""
    if template not in _NOMINAL:
        raise ScheduleError(f"plan template {template}", f"is not one of {', '.join(TEMPLATE_LABELS)}")
    base, names = _NOMINAL[template], _NAMES[template]
    controls, criteria = _clamp(progress.controls_implemented), _clamp(progress.criteria_met)
    done = (controls + criteria) / 2
    planning = base.planning if not progress.prior_report else max(MIN_TASK_DAYS, base.planning // 2)
    window = window_days(base.window_months)
    type1 = base.window_months == 0
    tasks = [
        TaskSpec("planning", names["planning"], 1, planning),
        TaskSpec("readiness", names["readiness"], 2, _scaled(base.readiness, 1 - 0.5 * criteria),
                 _link("planning")),
        TaskSpec("select_cpa", names["select_cpa"], 5, base.cpa, _link("planning")),
        TaskSpec("engagement_letter", "Engagement letter signed", 5, 0, _link("select_cpa"), kind="cpa"),
        TaskSpec("policies", names["policies"], 3, _scaled(base.policies, 1 - 0.7 * controls), _link("readiness")),
        TaskSpec("remediation", names["remediation"], 3, _scaled(base.remediation, 1 - done), _link("readiness")),
        TaskSpec("policy_rollout", names["policy_rollout"], 3, _scaled(base.rollout, 1 - 0.5 * controls),
                 _link("policies")),
        TaskSpec("evidence_setup", names["evidence_setup"], 4, _scaled(base.evidence, 1 - 0.6 * controls),
                 _link("policies")),
        TaskSpec("kickoff", "Audit kickoff meeting with the CPA firm", 5, 0, _link("engagement_letter", lag=5),
                 kind="cpa"),
        TaskSpec(SIGNOFF_KEY, "Readiness review and sign-off", 2, 5,
                 _link("remediation", "policy_rollout", "evidence_setup", "kickoff")),
        TaskSpec(WINDOW_KEY, names[WINDOW_KEY], 4, 0 if type1 else window, _link(SIGNOFF_KEY), kind="observation"),
        TaskSpec("system_description", "Write the system description", 1, 15 if type1 else 20, _link("readiness")),
    ]
    if not type1:
        tasks.append(TaskSpec("midpoint_review", "Mid-period evidence check", 4, 5,
                              _link(SIGNOFF_KEY, lag=window // 2)))
        tasks.append(TaskSpec("populations", "Prepare and send populations for sampling", 5, 5,
                              _link(WINDOW_KEY, lag=5)))
        # incidents and significant changes of the period (DC4, DC9) are only known once it has ended
        tasks.append(TaskSpec(DESCRIPTION_FINAL_KEY, "Finalise the system description: incidents and changes", 1,
                              5, _link(WINDOW_KEY, "system_description")))
        before_fieldwork = _link("populations", DESCRIPTION_FINAL_KEY)
    else:
        before_fieldwork = (Link(WINDOW_KEY, 5), Link("system_description"))
    tasks += [
        TaskSpec("fieldwork", "Auditor fieldwork", 5, 10, before_fieldwork, kind="fieldwork"),
        TaskSpec("draft_report", "Review the draft report and write management responses", 6, 10,
                 _link("fieldwork")),
        TaskSpec("final_report", "Final report prepared by the CPA firm", 6, 5, _link("draft_report")),
        # management signs the assertion and the representation letter as of the date of the auditor's report
        TaskSpec("management_assertion", "Management assertion signed", 6, 0,
                 _link("final_report"), kind="cpa"),
        TaskSpec("representation_letter", "Representation letter signed", 5, 0,
                 _link("final_report"), kind="cpa"),
        TaskSpec("report_issued", "SOC 2 report issued", 6, 0, _link("final_report"), kind="cpa"),
    ]
    return tasks


def _ancestors(tasks: Sequence[TaskSpec], key: str) -> set[str]:
    by_key = {t.key: t for t in tasks}
    found: set[str] = set()
    waiting = [link.predecessor for link in by_key[key].depends_on]
    while waiting:
        current = waiting.pop()
        if current not in found:
            found.add(current)
            waiting.extend(link.predecessor for link in by_key[current].depends_on)
    return found


def month_end_near(day: date) -> date:
    """Return the last day of the month nearest to day (that month's own end on a tie)."""
    own_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    previous_end = day.replace(day=1) - timedelta(days=1)
    return previous_end if day - previous_end < own_end - day else own_end


def proposed_period(start: date, months: int) -> tuple[date, date]:
    """Return an audit period of about `months` months from start that ends on a month end."""
    return start, month_end_near(start + relativedelta(months=months) - timedelta(days=1))


def last_working_day_before(day: date, holidays: frozenset[date] = frozenset()) -> date:
    """Return the last working day strictly before day."""
    day -= timedelta(days=1)
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def _preparation_end(tasks: Iterable[TaskSpec], start: date, holidays: frozenset[date]) -> tuple[date, date]:
    """Return (the sign-off's start, its end) when only these preparation tasks are scheduled from start."""
    planned = schedule(list(tasks), start, holidays).task(SIGNOFF_KEY)
    return planned.start, planned.end


def preparation_days(template: str, progress: Progress = Progress()) -> int:
    """Return the working days a template's preparation takes at its nominal durations."""
    tasks = nominal_tasks(template, progress)
    preparation = [t for t in tasks if t.key in _ancestors(tasks, WINDOW_KEY)]
    first = date(2024, 1, 1)  # a Monday; the count does not depend on the week it starts in
    _, end = _preparation_end(preparation, first, frozenset())
    return working_days_between(first, end)


def default_period_start(template: str, today: date, holidays: frozenset[date] = frozenset()) -> date:
    """Return the first day of a month late enough for the template's whole preparation to run from today."""
    first = next_working_day(today, holidays)
    ready = add_working_days(first, preparation_days(template), holidays)  # the working day after the preparation
    return ready if ready.day == 1 else (ready.replace(day=1) + timedelta(days=32)).replace(day=1)


def _fits(template: str, progress: Progress, start: date, period: tuple[date, date],
          holidays: frozenset[date]) -> bool:
    try:
        build_plan(template, progress, start, period, holidays)
    except ScheduleError:
        return False
    return True


def latest_start(template: str, progress: Progress, today: date, period: tuple[date, date] | None,
                 holidays: frozenset[date] = frozenset()) -> date:
    """Return today when the preparation fits before the audit period from today; else the latest day it fits from.

    Preparation may be squeezed to half its nominal length to fit, so a start before today is only chosen when
    even that does not fit; the tasks then already late are the plan's to say.
    """
    if period is None or _fits(template, progress, today, period, holidays):
        return today
    back = preparation_days(template, progress)
    early = last_working_day_before(min(period[0], today), holidays)
    for _ in range(20):  # each step goes back the whole nominal preparation, so the first or second fits
        if _fits(template, progress, early, period, holidays):
            break
        early -= timedelta(days=7 * max(1, back // 5))
    else:
        build_plan(template, progress, early, period, holidays)  # raises why it does not fit
    late = today  # early fits, late does not: halve the days between them
    while (late - early).days > 1:
        middle = early + (late - early) // 2
        early, late = (middle, late) if _fits(template, progress, middle, period, holidays) else (early, middle)
    return early


def build_plan(template: str, progress: Progress, start: date, period: tuple[date, date] | None = None,
               holidays: frozenset[date] = frozenset()) -> list[TaskSpec]:
    """Return a template's tasks for a plan from start; with a period the window is pinned on it and fitted to.

    The preparation before the window is scaled so that it ends on the last working day before the window,
    which keeps the critical path running from the plan's start to its end. A Type II plan without a period
    proposes one: from the working day after the nominal preparation, ending on the month end nearest to the
    template's window length.
    """
    tasks = nominal_tasks(template, progress)
    type1 = _NOMINAL[template].window_months == 0
    if period is None and not type1:
        preparation = [t for t in tasks if t.key in _ancestors(tasks, WINDOW_KEY)]
        _, ready = _preparation_end(preparation, start, holidays)
        period = proposed_period(next_working_day(ready + timedelta(days=1), holidays),
                                 _NOMINAL[template].window_months)
    if period is None or (not type1 and period[0] == period[1]):
        return tasks
    window_start, window_end = (period[0], period[0]) if type1 else period
    index = {t.key: i for i, t in enumerate(tasks)}
    pinned = replace(tasks[index[WINDOW_KEY]], fixed_start=window_start, fixed_end=window_end,
                     duration=0 if type1 else working_days_between(window_start, window_end, holidays))
    tasks[index[WINDOW_KEY]] = pinned
    if not type1:
        halfway = pinned.duration // 2
        midpoint = tasks[index["midpoint_review"]]
        tasks[index["midpoint_review"]] = replace(midpoint, depends_on=(Link(SIGNOFF_KEY, halfway),))
    return _fit_preparation(tasks, start, window_start, holidays)


def _fit_preparation(tasks: list[TaskSpec], start: date, window_start: date,
                     holidays: frozenset[date]) -> list[TaskSpec]:
    """Scale the preparation chain so that it ends on the last working day before the window."""
    preparation = _ancestors(tasks, WINDOW_KEY)
    first_day = next_working_day(start, holidays)
    target = last_working_day_before(window_start, holidays)
    prep_tasks = [t for t in tasks if t.key in preparation]
    _, nominal_end = _preparation_end(prep_tasks, start, holidays)
    nominal = working_days_between(first_day, nominal_end, holidays)
    room = working_days_between(first_day, target, holidays) if target >= first_day else 0
    if room * 2 < nominal:
        weeks = max((window_start - start).days, 0) // 7
        needed = math.ceil(nominal / 2 / 5)
        raise ScheduleError(
            "plan", f"the audit period starts on {window_start.isoformat()}, {weeks} weeks after the plan start; "
                    f"preparation needs at least {needed} weeks: start earlier or move the audit period")
    factor = room / nominal
    fitted: list[TaskSpec] = []
    for task in tasks:
        if task.key in preparation and task.key != SIGNOFF_KEY:
            duration = 0 if task.duration == 0 else max(1, math.floor(task.duration * factor))
            links = tuple(Link(link.predecessor, math.floor(link.lag * factor)) for link in task.depends_on)
            task = replace(task, duration=duration, depends_on=links)
        elif task.key == SIGNOFF_KEY:
            task = replace(task, duration=1)
        fitted.append(task)
    signoff_start, _ = _preparation_end([t for t in fitted if t.key in preparation], start, holidays)
    signoff = working_days_between(signoff_start, target, holidays) if target >= signoff_start else 0
    if signoff < 1:
        raise ScheduleError(
            "plan", f"the audit period starts on {window_start.isoformat()}, too soon after the plan start "
                    f"{start.isoformat()} for the preparation: start earlier or move the audit period")
    return [replace(t, duration=signoff) if t.key == SIGNOFF_KEY else t for t in fitted]
