"""The timeline plan: generate it from a template, show it, move and stretch tasks, keep a baseline, holidays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from typing import Any

from workbench.domain.entities import PlanTask, ProjectSettings
from workbench.domain.enums import AssessmentStatus, ControlStatus, ReportType
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.domain.holidays import format_holidays, parse_holidays
from workbench.domain.plan_templates import (
    TEMPLATE_LABELS,
    TYPE2_RENEWAL,
    Progress,
    build_plan,
    default_template,
    latest_start,
    proposed_period,
)
from workbench.domain.schedule import Schedule, ScheduledTask, ScheduleError, TaskSpec, schedule
from workbench.services.changes import Change, Operation, Touched
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

TEMPLATES: dict[str, str] = dict(TEMPLATE_LABELS)
START_KEY = "plan.start"
TEMPLATE_KEY = "plan.template"
HOLIDAYS_KEY = "plan.holidays"  # the non-working days besides weekends, ISO dates one per line
DAYS_PER_MONTH = 365.25 / 12
_KEEP = object()


@dataclass(frozen=True)
class PlanView:
    """Everything the timeline page shows."""

    settings: ProjectSettings
    schedule: Schedule | None          # None when the project has no plan yet
    observation: tuple[date, date] | None
    baseline: dict[str, tuple[date, date]]
    template: str | None
    today: date
    holidays: frozenset[date] = frozenset()
    suggested_start: date | None = None  # where a plan from the suggested template would start

    @property
    def late(self) -> tuple[ScheduledTask, ...]:
        """The unfinished tasks already late today (due to end, or to start and not begun, before today)."""
        return self.schedule.late(self.today) if self.schedule is not None else ()


# -- reading -------------------------------------------------------------------------------------------

def _stored(uow: UnitOfWork) -> tuple[list[TaskSpec], date | None]:
    stored = uow.plan.specs()
    if not stored:
        return [], None
    text = uow.meta.get(START_KEY)
    start = date.fromisoformat(text) if text else min(s for _, s, _ in stored)
    return [spec for spec, _, _ in stored], start


def _holidays(uow: UnitOfWork) -> frozenset[date]:
    return parse_holidays(uow.meta.get(HOLIDAYS_KEY) or "", "the project's stored holidays")


def _observation(plan: Schedule | None) -> tuple[date, date] | None:
    if plan is None:
        return None
    window = next((t for t in plan.tasks if t.spec.kind == "observation"), None)
    return (window.start, window.end) if window else None


def plan_view(project: OpenProject, today: date | None = None) -> PlanView:
    """Return the stored plan, scheduled, with the observation window, the saved baseline and the holidays."""
    today = today or project.now().date()
    with project.uow() as uow:
        settings = uow.settings.get()
        tasks, start = _stored(uow)
        baseline = uow.plan.baseline()
        template = uow.meta.get(TEMPLATE_KEY)
        holidays = _holidays(uow)
        suggested = _suggested_start(uow, settings, None, today, holidays)
    plan = schedule(tasks, start, holidays) if tasks and start else None
    return PlanView(settings, plan, _observation(plan), baseline if plan else {}, template, today, holidays,
                    suggested)


def plan_holidays(project: OpenProject) -> frozenset[date]:
    """Return the plan's non-working days besides weekends."""
    with project.uow() as uow:
        return _holidays(uow)


def plan_tasks(project: OpenProject) -> list[TaskSpec]:
    """Return the stored plan's tasks in plan order (what undo snapshots keep)."""
    with project.uow() as uow:
        return _stored(uow)[0]


def plan_start(project: OpenProject) -> date | None:
    """Return the stored plan's start, or None when there is no plan."""
    with project.uow() as uow:
        return _stored(uow)[1]


def list_plan(project: OpenProject) -> list[PlanTask]:
    """Return the plan's tasks in order with their stored dates."""
    with project.uow() as uow:
        return uow.plan.list()


# -- writing -------------------------------------------------------------------------------------------

def _store_holidays(uow: UnitOfWork, holidays: Iterable[date]) -> None:
    text = format_holidays(holidays)
    if text:
        uow.meta.set(HOLIDAYS_KEY, text)
    else:
        uow.meta.delete(HOLIDAYS_KEY)


def _store(uow: UnitOfWork, plan: Schedule, template: Any = _KEEP) -> None:
    uow.plan.replace_all([(t.spec, t.start, t.end) for t in plan.tasks])
    uow.meta.set(START_KEY, plan.start.isoformat())
    if template is not _KEEP:
        if template:
            uow.meta.set(TEMPLATE_KEY, template)
        else:
            uow.meta.delete(TEMPLATE_KEY)


def _period(settings: ProjectSettings) -> tuple[date, date] | None:
    if settings.period_start is None:
        return None
    return settings.period_start, settings.period_end or settings.period_start


def _window_period(uow: UnitOfWork, settings: ProjectSettings, template: str) -> tuple[date, date] | None:
    """The period a plan's window is pinned on: the audit period, or for a renewal the one after the last report.

    A renewal's period starts the day after the last Type II report's period ends (its preparation then runs
    inside that previous window), unless the project's audit period already starts later.
    """
    period = _period(settings)
    if template != TYPE2_RENEWAL:
        return period
    ends = [r.period_end for r in uow.reports.list() if r.report_type is ReportType.TYPE2 and r.period_end]
    if not ends or (period is not None and period[0] > max(ends)):
        return period
    return proposed_period(max(ends) + timedelta(days=1), 12)


def _progress(uow: UnitOfWork, settings: ProjectSettings) -> Progress:
    controls = uow.controls.list()
    implemented = sum(1 for c in controls if c.status is ControlStatus.IMPLEMENTED) / len(controls) if controls else 0
    statuses = {cid: a.status for cid, a in uow.assessments.all().items()}
    in_scope = [c.id for c in uow.criteria.catalog().in_scope(settings.categories)]
    judged = [cid for cid in in_scope if statuses.get(cid) is not AssessmentStatus.NOT_APPLICABLE]
    met = sum(1 for cid in judged if statuses.get(cid) is AssessmentStatus.MET) / len(judged) if judged else 0
    prior = any(r.report_type is ReportType.TYPE2 and r.issued_on for r in uow.reports.list())
    return Progress(float(implemented), float(met), prior)


def _template(settings: ProjectSettings, progress: Progress, template: str | None) -> str:
    return template or default_template(settings.report_type is ReportType.TYPE1, progress.prior_report)


def _suggested_start(uow: UnitOfWork, settings: ProjectSettings, template: str | None, today: date,
                     holidays: frozenset[date]) -> date:
    """Today, unless the audit period begins too soon for the preparation: then the latest day early enough."""
    progress = _progress(uow, settings)
    chosen = _template(settings, progress, template)
    period = _window_period(uow, settings, chosen)
    if period is None:
        return today
    return latest_start(chosen, progress, today, period, holidays)


def _snapshot(uow: UnitOfWork) -> Operation:
    """Return the operation that puts the stored plan back exactly as it is now (what every plan edit's undo runs)."""
    start = uow.meta.get(START_KEY)
    return partial(restore_plan, stored=tuple(uow.plan.specs()), start=date.fromisoformat(start) if start else None,
                   template=uow.meta.get(TEMPLATE_KEY), holidays=_holidays(uow))


def restore_plan(project: OpenProject, stored: Sequence[tuple[TaskSpec, date, date]], start: date | None,
                 template: str | None, holidays: Iterable[date] | None = None) -> Change[None]:
    """Store exactly these tasks with these dates, start, template and holidays (an empty plan when no tasks).

    Without `holidays` the stored ones are kept.
    """
    with project.uow() as uow:
        undo = _snapshot(uow)
        uow.plan.replace_all(list(stored))
        for key, value in ((START_KEY, start.isoformat() if start else None), (TEMPLATE_KEY, template)):
            if value:
                uow.meta.set(key, value)
            else:
                uow.meta.delete(key)
        if holidays is not None:
            _store_holidays(uow, holidays)
        uow.commit()
    return Change(Touched.PLAN, undo)


def generate_plan(project: OpenProject, template: str | None = None, start: date | None = None,
                  holidays: Iterable[date] | None = None) -> Change[Schedule]:
    """Replace the stored plan with a fresh one from a template (default: from the report type and prior reports).

    The start defaults to today, or - only when the audit period begins too soon after today even for a
    squeezed preparation - the latest day early enough; the plan's `late` tasks then say what is already
    behind. The observation window is the audit period whenever one is set (a renewal's starts the day after
    the last Type II report's period; without either, the plan proposes one ending on a month end); holidays
    (the stored ones, or these, stored with the plan) are not worked. Undone by putting the previous plan and
    holidays back.
    """
    if template is not None and template not in TEMPLATES:
        raise ValidationError(f"plan template {template}", f"is not one of {', '.join(TEMPLATES)}")
    with project.uow() as uow:
        settings = uow.settings.get()
        progress = _progress(uow, settings)
        chosen = _template(settings, progress, template)
        period = _window_period(uow, settings, chosen)
        off = _holidays(uow) if holidays is None else frozenset(holidays)
        first = start or _suggested_start(uow, settings, chosen, project.now().date(), off)
        plan = schedule(build_plan(chosen, progress, first, period, off), first, off)
        undo = _snapshot(uow)
        _store(uow, plan, chosen)
        _store_holidays(uow, off)
        uow.commit()
    return Change(Touched.PLAN, undo, plan)


def ensure_plan(project: OpenProject) -> Schedule:
    """Return the stored plan, generating and storing one from the default template when there is none."""
    view = plan_view(project)
    return view.schedule if view.schedule is not None else generate_plan(project).value


def replace_plan(project: OpenProject, tasks: Sequence[TaskSpec], start: date, *, template: Any = _KEEP,
                 ) -> Change[Schedule]:
    """Store exactly these tasks scheduled from start; undone by putting the previous plan back."""
    with project.uow() as uow:
        plan = schedule(list(tasks), start, _holidays(uow))
        undo = _snapshot(uow)
        _store(uow, plan, template)
        uow.commit()
    return Change(Touched.PLAN, undo, plan)


def _edit(project: OpenProject, key: str, change: Any) -> Change[Schedule]:
    """Replace one stored task by change(spec, settings, start), reschedule everything and store it."""
    with project.uow() as uow:
        undo = _snapshot(uow)
        settings = uow.settings.get()
        tasks, start = _stored(uow)
        index = next((i for i, t in enumerate(tasks) if t.key == key), None)
        if index is None or start is None:
            raise NotFoundError(f"plan task {key}", "is not in the plan")
        tasks[index] = change(tasks[index], settings, start)
        plan = schedule(tasks, start, _holidays(uow))
        _store(uow, plan)
        uow.commit()
    return Change(Touched.PLAN, undo, plan)


def _pinned_window(spec: TaskSpec, settings: ProjectSettings) -> bool:
    return spec.kind == "observation" and _period(settings) is not None


def _window_refusal(spec: TaskSpec, settings: ProjectSettings) -> ScheduleError:
    first, last = _period(settings) or (None, None)
    span = f"{first}" if first == last else f"{first} to {last}"
    return ScheduleError(f"plan task {spec.key}", f"is the audit period ({span}); change the audit period in "
                                                  "the scope instead of moving it")


def move_task(project: OpenProject, key: str, new_start: date) -> Change[Schedule]:
    """Pin a task's start at new_start; its dependents follow. Refuses a start before its predecessors end."""

    def change(spec: TaskSpec, settings: ProjectSettings, start: date) -> TaskSpec:
        if _pinned_window(spec, settings):
            raise _window_refusal(spec, settings)
        if new_start < start:
            raise ScheduleError(f"plan task {key}", f"cannot start on {new_start}, before the plan starts on {start}")
        if spec.fixed_start is not None and spec.fixed_end is not None:
            shift = new_start - spec.fixed_start
            return replace(spec, fixed_start=new_start, fixed_end=spec.fixed_end + shift)
        return replace(spec, fixed_start=new_start)

    return _edit(project, key, change)


def resize_task(project: OpenProject, key: str, duration: int) -> Change[Schedule]:
    """Give a task a new length in working days (at least 1); its dependents follow."""
    if duration < 1:
        raise ValidationError(f"plan task {key}", "a task lasts at least one working day")

    def change(spec: TaskSpec, settings: ProjectSettings, start: date) -> TaskSpec:
        if _pinned_window(spec, settings):
            raise _window_refusal(spec, settings)
        return replace(spec, duration=duration, fixed_end=None)

    return _edit(project, key, change)


def task_refusal(spec: TaskSpec) -> str:
    """Return why a task's fields are refused, in words ("" when they are acceptable)."""
    if not 1 <= spec.step <= 6:
        return "the step must be between 1 and 6"
    if not 0 <= spec.percent_complete <= 100:
        return "percent complete must be between 0 and 100"
    if not spec.name.strip():
        return "needs a name"
    if spec.actual_start and spec.actual_finish and spec.actual_finish < spec.actual_start:
        return "its actual finish is before its actual start"
    return ""


def _check(spec: TaskSpec) -> None:
    if refusal := task_refusal(spec):
        raise ValidationError(f"plan task {spec.key}", refusal)


def update_task(project: OpenProject, spec: TaskSpec) -> Change[Schedule]:
    """Replace one task's fields by key (the side panel) and reschedule."""
    _check(spec)

    def change(old: TaskSpec, settings: ProjectSettings, start: date) -> TaskSpec:
        moved = (old.fixed_start, old.fixed_end, old.duration) != (spec.fixed_start, spec.fixed_end, spec.duration)
        if _pinned_window(old, settings) and moved:
            raise _window_refusal(old, settings)
        return spec

    return _edit(project, spec.key, change)


def set_holidays(project: OpenProject, days: Iterable[date], *, refit: bool = False) -> Change[Schedule | None]:
    """Make these the plan's non-working days (replacing the list) and reschedule the stored plan around them.

    With refit, the plan is generated again from its template and start around them instead. A pinned task
    (the observation window) that its predecessors no longer clear is refused, saying to refit. Undone by
    putting the previous holidays and dates back.
    """
    holidays = frozenset(days)
    if refit:
        with project.uow() as uow:
            template, (tasks, start) = uow.meta.get(TEMPLATE_KEY), _stored(uow)
        if tasks and start:
            return generate_plan(project, template if template in TEMPLATES else None, start, holidays)
    with project.uow() as uow:
        undo = _snapshot(uow)
        tasks, start = _stored(uow)
        try:
            plan = schedule(tasks, start, holidays) if tasks and start else None
        except ScheduleError as exc:
            raise ScheduleError(exc.what, f"{exc.why}; with these holidays the plan no longer fits: generate it "
                                          "again around them") from None
        _store_holidays(uow, holidays)
        if plan is not None:
            _store(uow, plan)
        uow.commit()
    return Change(Touched.PLAN, undo, plan)


def _baseline_restorer(uow: UnitOfWork) -> Operation:
    """Return the operation that puts the saved baseline back as it is now (or forgets it, when there is none)."""
    before = uow.plan.baseline()
    return partial(set_baseline, dates=before) if before else partial(clear_baseline)


def set_baseline(project: OpenProject, dates: Mapping[str, tuple[date, date]] | None = None) -> Change[None]:
    """Save every task's current dates as the baseline that slippage is measured against.

    With `dates`, store exactly those (task key -> start, end): how an undo puts an earlier baseline back.
    """
    with project.uow() as uow:
        if not uow.plan.specs():
            raise ValidationError("plan", "there is no plan yet; generate one first")
        undo = _baseline_restorer(uow)
        uow.plan.set_baseline(dates)
        uow.commit()
    return Change(Touched.PLAN, undo)


def clear_baseline(project: OpenProject) -> Change[None]:
    """Forget the saved baseline; undone by saving it again."""
    with project.uow() as uow:
        undo = _baseline_restorer(uow)
        uow.plan.clear_baseline()
        uow.commit()
    return Change(Touched.PLAN, undo)


def add_plan_task(project: OpenProject, key: str, name: str, step: int, start: date, end: date, *,
                  milestone: bool = False, depends_on: Iterable[str] = ()) -> Change[int]:
    """Append a task with fixed dates to the plan; its dependencies must already be in the plan."""
    if not 1 <= step <= 6:
        raise ValidationError(f"plan task {key}", "the step must be between 1 and 6")
    if end < start:
        raise ValidationError(f"plan task {key}", "ends before it starts")
    with project.uow() as uow:
        existing = {t.key for t in uow.plan.list()}
        if key in existing:
            raise DuplicateError(f"plan task {key}", "already exists")
        missing = [k for k in depends_on if k not in existing]
        if missing:
            raise ValidationError(f"plan task {key}", f"depends on unknown tasks: {', '.join(missing)}")
        undo = _snapshot(uow)
        task_id = uow.plan.add(key, name, step, start, end, milestone=milestone, depends_on=depends_on)
        uow.commit()
    return Change(Touched.PLAN, undo, task_id)


# -- the command line's document -------------------------------------------------------------------

def months_between(first: date, last: date) -> float:
    """Return the calendar length of [first, last] in months, to one decimal."""
    return round(((last - first).days + 1) / DAYS_PER_MONTH, 1)


def plan_document(project: OpenProject) -> dict[str, Any]:
    """Return the plan as the `workbench plan --json` document (generating the default plan if none is stored)."""
    ensure_plan(project)
    view = plan_view(project)
    plan = view.schedule
    assert plan is not None
    slips = plan.slippage(view.baseline) if view.baseline else {}
    observation = view.observation
    return {
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "months": months_between(plan.start, plan.end),
        "observation": {"start": observation[0].isoformat(), "end": observation[1].isoformat()}
        if observation else None,
        "template": view.template,
        "critical_path": list(plan.critical_path),
        "baseline": bool(view.baseline),
        "holidays": [day.isoformat() for day in sorted(view.holidays)],
        "today": view.today.isoformat(),
        "late": [{"id": t.key, "name": t.name, "start": t.start.isoformat(), "end": t.end.isoformat()}
                 for t in view.late],
        "tasks": [
            {
                "id": t.key,
                "name": t.name,
                "step": t.step,
                "start": t.start.isoformat(),
                "end": t.end.isoformat(),
                "milestone": t.milestone,
                "depends_on": [link.predecessor for link in t.spec.depends_on],
                "critical": t.critical,
                "slack": t.slack,
                "duration": t.spec.duration,
                "kind": t.spec.kind,
                "percent_complete": t.spec.percent_complete,
                "baseline": {"start": view.baseline[t.key][0].isoformat(), "end": view.baseline[t.key][1].isoformat(),
                             "slippage": slips.get(t.key, 0)} if t.key in view.baseline else None,
            }
            for t in plan.tasks
        ],
    }


# -- the dashboard's agenda --------------------------------------------------------------------------

def plan_agenda(uow: UnitOfWork, today: date, horizon: date) -> list[tuple[date, str, int, bool]]:
    """Return the plan's (due, text, step, overdue) agenda lines: what is late, starts or ends by the horizon.

    A task is late as Schedule.late says (due on its end, or on its start when it has not begun); more than
    three late tasks make one line naming the first three.
    """
    tasks, start = _stored(uow)
    if not tasks or start is None:
        return []
    plan = schedule(tasks, start, _holidays(uow))
    late = plan.late(today)
    lines: list[tuple[date, str, int, bool]] = []
    if len(late) > 3:
        named = ", ".join(t.name for t in late[:3])
        lines.append((min(t.end if t.end < today else t.start for t in late),
                      f"Plan: {len(late)} tasks late ({named} and {len(late) - 3} more)", late[0].step, True))
    else:
        for t in late:
            due, verb = (t.end, "finish") if t.end < today else (t.start, "start")
            lines.append((due, f"Plan: {t.name}" if t.milestone else f"Plan: {verb} {t.name}", t.step, True))
    behind = {t.key for t in late}
    for t in plan.tasks:
        if t.key in behind or t.spec.done:
            continue
        if today <= t.start <= horizon and not t.spec.started:
            lines.append((t.start, f"Plan: {t.name}" if t.milestone else f"Plan: start {t.name}", t.step, False))
        elif t.start < today <= t.end <= horizon:
            lines.append((t.end, f"Plan: finish {t.name}", t.step, False))
    return lines
