"""The plan against a fixed today: no work before it unless the period forces it (it says what is late); holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import FIXED_NOW
from workbench.domain.enums import Category, ReportType
from workbench.domain.plan_templates import default_period_start
from workbench.domain.schedule import ScheduleError, is_working_day, working_days_between
from workbench.services import plan
from workbench.services.project import NewProject, audit_period

TODAY = FIXED_NOW.date()  # Monday 2 March 2026


def _type2(start: date | None) -> NewProject:
    period = audit_period(ReportType.TYPE2, start, 6) if start else (None, None)
    return NewProject("Today Co", "Cloud", ReportType.TYPE2, (Category.SECURITY,), *period)


def test_a_new_project_with_the_suggested_period_has_no_plan_task_before_today(make_project, project_location):
    suggested = default_period_start("type2-first", TODAY)
    assert suggested.day == 1 and suggested > TODAY + timedelta(weeks=17)
    project = make_project(project_location("suggested.soc2"), _type2(suggested))
    made = plan.generate_plan(project).value
    assert made.start == TODAY and min(t.start for t in made.tasks) == TODAY
    assert made.task("observation").start == suggested
    assert plan.plan_view(project).late == ()
    assert plan.plan_document(project)["late"] == []


def test_a_new_project_without_a_period_plans_from_today(make_project, project_location):
    project = make_project(project_location("no-period.soc2"), _type2(None))
    document = plan.plan_document(project)  # generated on first look, as `workbench plan` does
    assert document["start"] == TODAY.isoformat()
    assert min(t["start"] for t in document["tasks"]) == TODAY.isoformat() and document["late"] == []


def test_a_period_near_enough_to_squeeze_the_preparation_still_starts_today(make_project, project_location):
    project = make_project(project_location("squeezed.soc2"), _type2(date(2026, 6, 1)))  # 13 weeks away
    made = plan.generate_plan(project).value
    assert made.start == TODAY and plan.plan_view(project).late == ()
    assert made.task("readiness_signoff").end < date(2026, 6, 1) == made.task("observation").start


def test_a_period_too_near_starts_the_plan_earlier_and_lists_the_tasks_already_late(make_project, project_location):
    project = make_project(project_location("near.soc2"), _type2(date(2026, 4, 1)))  # 4 weeks away
    made = plan.generate_plan(project).value
    assert made.start < TODAY
    # as late as the squeezed preparation allows: one day later no longer fits
    with pytest.raises(ScheduleError):
        plan.generate_plan(project, start=made.start + timedelta(days=1))
    document = plan.plan_document(project)
    late = document["late"]
    before_today = [t for t in document["tasks"] if t["start"] < TODAY.isoformat()]
    assert late and {t["id"] for t in late} == {t["id"] for t in before_today}
    assert [t["start"] for t in late] == sorted(t["start"] for t in late)
    assert "planning" in {t["id"] for t in late} and "observation" not in {t["id"] for t in late}


def test_a_plan_made_earlier_has_its_past_tasks_late_once_today_moves_on(make_project, project_location, clock):
    project = make_project(project_location("earlier.soc2"), _type2(default_period_start("type2-first", TODAY)))
    made = plan.generate_plan(project).value
    assert plan.plan_view(project).late == ()
    clock.advance(days=30)
    late = [t.key for t in plan.plan_view(project).late]
    assert "planning" in late and all(made.task(key).start < TODAY + timedelta(days=30) for key in late)
    finished = plan.update_task(project, _done(made.task("planning").spec)).value
    assert "planning" not in [t.key for t in finished.late(TODAY + timedelta(days=30))]


def _done(spec):
    from dataclasses import replace

    return replace(spec, percent_complete=100)


# -- holidays --------------------------------------------------------------------------------------------------


def _fieldwork_days(made) -> list[date]:
    fieldwork = made.task("fieldwork")
    return [fieldwork.start + timedelta(days=n) for n in range((fieldwork.end - fieldwork.start).days + 1)
            if is_working_day(fieldwork.start + timedelta(days=n))]


def test_holidays_move_tasks_are_kept_in_the_project_and_undo(make_project, project_location, reopen):
    project = make_project(project_location("holidays.soc2"), _type2(date(2026, 9, 1)))
    made = plan.generate_plan(project).value
    days_off = _fieldwork_days(made)[2:4]  # two working days in the middle of the auditor's fieldwork
    change = plan.set_holidays(project, days_off)
    moved = change.value
    assert moved.task("fieldwork").end == made.task("fieldwork").end + _working(2, made.task("fieldwork").end)
    assert moved.task("report_issued").end > made.task("report_issued").end
    assert working_days_between(made.end + timedelta(days=1), moved.end) == 2
    assert moved.task("observation").start == made.task("observation").start  # before them: unmoved
    assert plan.plan_document(project)["holidays"] == [day.isoformat() for day in days_off]
    path = project.path
    project.close()
    with reopen(path) as again:
        assert plan.plan_holidays(again) == frozenset(days_off)
        assert plan.plan_view(again).schedule.task("report_issued").end == moved.task("report_issued").end
        change.inverse(again)
        assert plan.plan_holidays(again) == frozenset()
        assert plan.plan_view(again).schedule.end == made.end


def _working(count: int, after: date) -> timedelta:
    """The calendar days from `after` to the count-th working day after it."""
    day = after
    while count:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day - after


def test_a_holiday_the_fitted_preparation_cannot_absorb_is_refused_until_the_plan_is_fitted_again(
        make_project, project_location):
    project = make_project(project_location("refit.soc2"), _type2(date(2026, 9, 1)))
    made = plan.generate_plan(project).value
    holiday = made.task("remediation").start + timedelta(days=7)
    assert is_working_day(holiday)
    with pytest.raises(ScheduleError, match="generate it again around them"):
        plan.set_holidays(project, [holiday])
    assert plan.plan_holidays(project) == frozenset()
    fitted = plan.set_holidays(project, [holiday], refit=True).value
    assert plan.plan_holidays(project) == {holiday}
    assert fitted.start == made.start and fitted.task("observation").start == date(2026, 9, 1)
    for task in fitted.tasks:
        assert task.start != holiday and task.end != holiday
    # a plan generated later keeps honouring the stored holidays
    again = plan.generate_plan(project, start=TODAY).value
    assert all(holiday not in (t.start, t.end) for t in again.tasks)
