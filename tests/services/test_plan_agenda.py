"""The dashboard's agenda carries the plan: tasks late by today, and those starting or ending within a month."""

from __future__ import annotations

from tests.conftest import FIXED_NOW
from workbench.domain.enums import Category, ReportType
from workbench.domain.plan_templates import default_period_start
from workbench.services import plan
from workbench.services.project import NewProject, audit_period, project_status

TODAY = FIXED_NOW.date()


def _project(make_project, project_location):
    period = audit_period(ReportType.TYPE2, default_period_start("type2-first", TODAY), 6)
    return make_project(project_location("agenda.soc2"),
                        NewProject("Agenda Co", "Cloud", ReportType.TYPE2, (Category.SECURITY,), *period))


def _plan_lines(status):
    return [item for item in status.agenda if item.text.startswith("Plan")]


def test_a_fresh_plan_puts_its_first_tasks_on_the_agenda_as_upcoming(make_project, project_location):
    project = _project(make_project, project_location)
    made = plan.generate_plan(project).value
    lines = _plan_lines(project_status(project))
    assert lines and not any(item.overdue for item in lines)
    first = made.task("planning")
    assert any(item.due == first.start and item.text == f"Plan: start {first.name}" for item in lines)


def test_a_plan_made_earlier_shows_its_past_tasks_as_overdue(make_project, project_location, clock):
    project = _project(make_project, project_location)
    made = plan.generate_plan(project).value
    planning = made.task("planning")
    clock.advance(days=(planning.end - TODAY).days + 1)  # the day after the first task should have ended
    lines = _plan_lines(project_status(project))
    assert any(item.overdue and item.text == f"Plan: finish {planning.name}" and item.due == planning.end
               for item in lines)
    clock.advance(days=60)
    status = project_status(project)
    late = plan.plan_view(project).late
    assert len(late) > 3
    (summary,) = [item for item in _plan_lines(status) if item.overdue]
    assert summary.text.startswith(f"Plan: {len(late)} tasks late ({late[0].name}")
    assert status.agenda[0].overdue and summary in status.agenda
