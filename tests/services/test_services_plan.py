"""The timeline plan: templates fitted to the audit period, moves and resizes with dependents following, baseline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workbench.domain.enums import AssessmentStatus, Category, ControlStatus, ReportType
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.plan_templates import Progress, build_plan, nominal_tasks
from workbench.domain.schedule import ScheduleError, add_working_days, next_working_day, schedule
from workbench.services import plan
from workbench.services.project import NewProject

START = date(2027, 1, 4)
PERIOD = (date(2027, 6, 1), date(2027, 11, 30))   # six months
TYPE2 = NewProject("Type Two Co", "Cloud", ReportType.TYPE2, (Category.SECURITY,), *PERIOD)
TYPE1 = NewProject("Type One Co", "Cloud", ReportType.TYPE1, (Category.SECURITY,), date(2027, 4, 15),
                   date(2027, 4, 15))


@pytest.fixture
def type2(make_project, project_location):
    return make_project(project_location("type2.soc2"), TYPE2)


@pytest.fixture
def type1(make_project, project_location):
    return make_project(project_location("type1.soc2"), TYPE1)


def _predecessors_finish_first(schedule_) -> None:
    for task in schedule_.tasks:
        for link in task.spec.depends_on:
            before = schedule_.task(link.predecessor)
            assert task.start > add_working_days(before.end, link.lag), (task.key, link.predecessor)


def _months(first: date, last: date) -> float:
    return (last - first).days / (365.25 / 12)


def test_a_first_type2_plan_covers_the_road_and_pins_the_window_on_the_audit_period(type2):
    made = plan.generate_plan(type2, start=START).value
    assert made.start == START and made.tasks[0].start == START
    assert {t.step for t in made.tasks} == {1, 2, 3, 4, 5, 6}
    _predecessors_finish_first(made)
    assert all(t.start == t.end for t in made.tasks if t.milestone)
    assert sum(t.milestone for t in made.tasks) >= 5
    window = made.task("observation")
    assert (window.start, window.end) == PERIOD and window.spec.kind == "observation"
    assert made.end == max(t.end for t in made.tasks) == made.task("report_issued").end
    path = made.critical_path
    assert made.task(path[0]).start == START and made.task(path[-1]).end == made.end
    assert "observation" in path and "fieldwork" in path
    assert 9 <= _months(made.start, made.end) <= 18
    # the post-window work (sampling, fieldwork, report) takes about six to ten weeks
    assert 6 * 7 <= (made.end - PERIOD[1]).days <= 10 * 7
    # preparation is fitted: it ends on the last working day before the window
    assert made.task("readiness_signoff").end == date(2027, 5, 31)
    names = {t.spec.kind for t in made.tasks}
    assert {"observation", "fieldwork", "cpa"} <= names
    cpa = {t.key for t in made.tasks if t.spec.kind == "cpa"}
    assert {"engagement_letter", "kickoff", "management_assertion", "representation_letter", "report_issued"} <= cpa


def test_readers_that_only_list_tasks_see_the_computed_dates(type2):
    made = plan.generate_plan(type2, start=START).value
    listed = {t.key: (t.start, t.end, t.milestone) for t in plan.list_plan(type2)}
    assert listed == {t.key: (t.start, t.end, t.milestone) for t in made.tasks}


def test_a_type1_project_gets_its_own_plan_with_a_point_in_time_milestone(type1, type2):
    one = plan.generate_plan(type1, start=START).value
    two = plan.generate_plan(type2, start=START).value
    assert plan.plan_view(type1).template == "type1"
    assert {t.key for t in one.tasks} != {t.key for t in two.tasks}
    as_of = one.task("observation")
    assert as_of.milestone and as_of.start == as_of.end == date(2027, 4, 15)
    assert plan.plan_view(type1).observation == (date(2027, 4, 15), date(2027, 4, 15))
    assert "populations" not in {t.key for t in one.tasks}
    _predecessors_finish_first(one)
    assert one.end < two.end and _months(one.start, one.end) < 9
    assert one.task(one.critical_path[0]).start == START


def test_without_an_audit_period_the_window_follows_preparation_and_ends_on_a_month_end(make_project,
                                                                                        project_location):
    project = make_project(project_location("open.soc2"), NewProject("Open Co", report_type=ReportType.TYPE2))
    made = plan.generate_plan(project, start=START).value
    window = made.task("observation")
    assert window.start == next_working_day(made.task("readiness_signoff").end + timedelta(days=1))
    assert (window.end + timedelta(days=1)).day == 1  # periods without a set date end on a month end
    assert 5.5 <= _months(window.start, window.end) <= 6.5
    assert 9 <= _months(made.start, made.end) <= 18
    renewal = plan.generate_plan(project, "type2-renewal", START).value
    window = renewal.task("observation")
    assert 11.5 <= _months(window.start, window.end) <= 12.5 and (window.end + timedelta(days=1)).day == 1


def test_an_audit_period_too_soon_for_the_preparation_is_refused_with_the_dates(type2):
    with pytest.raises(ScheduleError) as error:
        plan.generate_plan(type2, start=date(2027, 5, 3))
    message = str(error.value)
    assert "2027-06-01" in message and "4 weeks after the plan start" in message
    assert "preparation needs at least" in message and "start earlier or move the audit period" in message
    assert plan.plan_view(type2).schedule is None


def test_the_default_start_is_early_enough_when_the_audit_period_is_near(new_project):
    # the default project's period (Jan-Jun 2026) begins before the project clock's day (2 Mar 2026)
    made = plan.generate_plan(new_project).value
    window = made.task("observation")
    assert (window.start, window.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert made.start < date(2026, 1, 1)
    assert made.task(made.critical_path[0]).start == next_working_day(made.start)


def test_durations_shrink_with_what_is_already_done():
    fresh = {t.key: t.duration for t in nominal_tasks("type2-first", Progress())}
    mature = {t.key: t.duration for t in nominal_tasks("type2-first", Progress(0.9, 0.9, False))}
    assert mature["remediation"] < fresh["remediation"] / 3
    assert mature["readiness"] < fresh["readiness"] and mature["policies"] < fresh["policies"]
    assert all(mature[k] <= fresh[k] for k in fresh)
    assert 6 * 5 <= fresh["remediation"] <= 12 * 5


def test_progress_recorded_in_the_project_shortens_remediation(make_project, project_location):
    from workbench.domain.entities import ControlDraft
    from workbench.services.assessment import assess
    from workbench.services.controls import add_control

    spec = NewProject("Mature Co", report_type=ReportType.TYPE2)
    fresh = make_project(project_location("fresh.soc2"), spec)
    mature = make_project(project_location("mature.soc2"), spec)
    add_control(mature, ControlDraft("AC-1", "Access reviews", status=ControlStatus.IMPLEMENTED, criteria=("CC6.1",)))
    for criterion in ("CC1.1", "CC1.2", "CC1.3", "CC2.1", "CC6.1", "CC6.2", "CC7.1", "CC8.1"):
        assess(mature, criterion, AssessmentStatus.MET)
    short = plan.generate_plan(mature, start=START).value.task("remediation").spec.duration
    long = plan.generate_plan(fresh, start=START).value.task("remediation").spec.duration
    assert short < long


def test_fitting_scales_preparation_both_ways_and_keeps_the_chain_tight():
    for period in ((date(2027, 4, 1), date(2027, 9, 30)), (date(2027, 9, 1), date(2028, 2, 29))):
        made = schedule(build_plan("type2-first", Progress(), START, period), START)
        assert made.task("observation").start == period[0]
        assert made.task(made.critical_path[0]).start == START
        assert made.task("readiness_signoff").critical


def test_moving_a_task_moves_its_dependents_and_impossible_moves_are_refused(type2):
    before = plan.generate_plan(type2, start=START).value
    populations = before.task("populations")
    after = plan.move_task(type2, "populations", populations.start + timedelta(days=7)).value
    assert after.task("populations").start == populations.start + timedelta(days=7)
    for key in ("fieldwork", "draft_report", "report_issued"):
        assert after.task(key).end == add_working_days(before.task(key).end, 5)
    assert after.task("observation").start == PERIOD[0]
    with pytest.raises(ScheduleError, match=r"fieldwork.*populations"):
        plan.move_task(type2, "fieldwork", after.task("populations").end)
    with pytest.raises(ScheduleError, match="audit period"):
        plan.move_task(type2, "observation", date(2027, 7, 1))
    with pytest.raises(ScheduleError, match="observation"):   # pushing preparation into the pinned window
        plan.move_task(type2, "remediation", date(2027, 5, 25))
    with pytest.raises(NotFoundError):
        plan.move_task(type2, "no-such-task", date(2027, 7, 1))
    stored = plan.plan_view(type2).schedule
    assert stored is not None and stored.task("populations").start == populations.start + timedelta(days=7)


def test_resizing_a_task_pushes_what_follows(type2):
    before = plan.generate_plan(type2, start=START).value
    after = plan.resize_task(type2, "fieldwork", 15).value
    assert after.task("fieldwork").spec.duration == 15
    assert after.task("fieldwork").end == add_working_days(before.task("fieldwork").end, 5)
    assert after.task("report_issued").end == add_working_days(before.task("report_issued").end, 5)
    with pytest.raises(ValidationError):
        plan.resize_task(type2, "fieldwork", 0)
    with pytest.raises(ScheduleError, match="audit period"):
        plan.resize_task(type2, "observation", 20)


def test_baseline_and_slippage(type2):
    plan.generate_plan(type2, start=START)
    plan.set_baseline(type2)
    view = plan.plan_view(type2)
    assert view.schedule is not None
    assert view.baseline["fieldwork"] == (view.schedule.task("fieldwork").start, view.schedule.task("fieldwork").end)
    plan.resize_task(type2, "draft_report", 13)
    document = plan.plan_document(type2)
    tasks = {t["id"]: t for t in document["tasks"]}
    assert document["baseline"] is True
    assert tasks["report_issued"]["baseline"]["slippage"] == 3
    assert tasks["fieldwork"]["baseline"]["slippage"] == 0
    plan.clear_baseline(type2)
    assert plan.plan_view(type2).baseline == {}


def test_update_task_records_progress_and_refuses_bad_values(type2):
    plan.generate_plan(type2, start=START)
    spec = next(t for t in plan.plan_tasks(type2) if t.key == "planning")
    from dataclasses import replace

    done = replace(spec, percent_complete=100, actual_start=START, actual_finish=date(2027, 1, 13))
    updated = plan.update_task(type2, done).value
    assert updated.task("planning").end == date(2027, 1, 13)
    assert next(t for t in plan.plan_tasks(type2) if t.key == "planning").percent_complete == 100
    with pytest.raises(ValidationError):
        plan.update_task(type2, replace(spec, percent_complete=120))
    window = next(t for t in plan.plan_tasks(type2) if t.key == "observation")
    with pytest.raises(ScheduleError, match="audit period"):
        plan.update_task(type2, replace(window, fixed_start=date(2027, 7, 1)))
    renamed = plan.update_task(type2, replace(window, name="The audit period")).value
    assert renamed.task("observation").name == "The audit period"


def test_replace_plan_restores_a_snapshot_exactly(type2):
    plan.generate_plan(type2, start=START)
    snapshot, start = plan.plan_tasks(type2), plan.plan_start(type2)
    document = plan.plan_document(type2)
    plan.generate_plan(type2, "type2-renewal", date(2027, 2, 1))
    assert plan.plan_document(type2) != document
    plan.replace_plan(type2, snapshot, start, template="type2-first")
    assert plan.plan_document(type2) == document


def test_the_plan_survives_reopening_the_project_and_changes_are_audited(type2, reopen):
    with type2.uow() as uow:
        entries = uow.audit.count()
    made = plan.generate_plan(type2, start=START).value
    plan.move_task(type2, "populations", made.task("populations").start + timedelta(days=7))
    document = plan.plan_document(type2)
    with type2.uow() as uow:
        assert uow.audit.count() > entries + len(made.tasks)
        changes = [e for e in uow.audit.entries() if e.entity == "plan_tasks" and e.entity_key == "populations"]
    assert [e.action for e in changes] == ["create", "update"]
    path = type2.path
    type2.close()
    with reopen(path) as project:
        assert plan.plan_document(project) == document
        assert plan.plan_view(project).template == "type2-first"


def test_an_unknown_template_is_refused(type2):
    with pytest.raises(ValidationError, match="type2-first"):
        plan.generate_plan(type2, "type3")
