"""What the plan says about an audit: letters dated with the report, renewal windows, month ends, the description."""

from __future__ import annotations

from datetime import date

from workbench.domain.enums import Category, ReportType
from workbench.domain.plan_templates import month_end_near, proposed_period
from workbench.services import plan
from workbench.services.project import NewProject
from workbench.services.report import add_report

START = date(2027, 1, 4)
FIRST = NewProject("First Co", "Cloud", ReportType.TYPE2, (Category.SECURITY,), date(2027, 6, 1), date(2027, 11, 30))
CURRENT = (date(2026, 1, 1), date(2026, 6, 30))  # the project's period; the clock reads 2 March 2026
RENEWING = NewProject("Renewing Co", "Cloud", ReportType.TYPE2, (Category.SECURITY,), *CURRENT)


def _preparation(made) -> list:
    window = made.task("observation")
    return [t for t in made.tasks if t.end < window.start]


def test_the_assertion_and_the_representation_letter_are_dated_with_the_report(make_project, project_location):
    project = make_project(project_location("first.soc2"), FIRST)
    made = plan.generate_plan(project, start=START).value
    issued = made.task("report_issued")
    for key in ("management_assertion", "representation_letter"):
        letter = made.task(key)
        assert letter.milestone and letter.start == letter.end == issued.start
        assert letter.start > made.task("final_report").end > made.task("draft_report").end
    assert made.end == issued.end


def test_the_system_description_is_finalised_after_the_period_and_before_fieldwork(make_project, project_location):
    project = make_project(project_location("first.soc2"), FIRST)
    made = plan.generate_plan(project, start=START).value
    draft, final = made.task("system_description"), made.task("system_description_final")
    assert final.start > made.task("observation").end == FIRST.period_end
    assert final.start > draft.end and "incidents" in final.name
    assert made.task("fieldwork").start > final.end


def test_a_renewal_window_starts_the_day_after_the_last_report_period_and_is_prepared_inside_it(
        make_project, project_location):
    project = make_project(project_location("renewal.soc2"), RENEWING)
    add_report(project, ReportType.TYPE2, *CURRENT)
    made = plan.generate_plan(project, "type2-renewal", date(2026, 3, 2)).value
    window = made.task("observation")
    assert (window.start, window.end) == (date(2026, 7, 1), date(2027, 6, 30))
    preparation = _preparation(made)
    assert preparation and all(CURRENT[0] <= t.start and t.end <= CURRENT[1] for t in preparation)
    assert made.task("readiness_signoff").end == date(2026, 6, 30)
    # the plan made without being told when to start begins today, inside the previous window as well
    again = plan.generate_plan(project, "type2-renewal").value
    assert again.start == date(2026, 3, 2) and again.task("observation").start == date(2026, 7, 1)
    assert plan.plan_view(project).observation == (date(2026, 7, 1), date(2027, 6, 30))


def test_a_renewal_after_an_issued_report_is_the_default_and_keeps_a_later_audit_period(
        make_project, project_location):
    project = make_project(project_location("issued.soc2"), RENEWING)
    add_report(project, ReportType.TYPE2, date(2025, 1, 1), date(2025, 12, 31), issued_on=date(2026, 2, 20))
    made = plan.generate_plan(project).value
    assert plan.plan_view(project).template == "type2-renewal"
    window = made.task("observation")
    assert (window.start, window.end) == CURRENT  # the project's own period already follows the last one


def test_a_renewal_window_already_running_starts_the_plan_in_the_previous_window(make_project, project_location):
    project = make_project(project_location("late.soc2"), NewProject("Late Co", report_type=ReportType.TYPE2))
    add_report(project, ReportType.TYPE2, date(2025, 7, 1), date(2025, 12, 31), issued_on=date(2026, 2, 20))
    view = plan.plan_view(project)
    assert view.suggested_start is not None and view.suggested_start < date(2026, 1, 1)
    made = plan.generate_plan(project, "type2-renewal").value
    window = made.task("observation")
    assert window.start == date(2026, 1, 1) and window.end == date(2026, 12, 31)
    assert all(date(2025, 7, 1) <= t.start and t.end <= date(2025, 12, 31) for t in _preparation(made))
    assert plan.plan_view(project).late  # the preparation it needed is already behind


def test_proposed_periods_end_on_the_nearest_month_end():
    assert month_end_near(date(2027, 11, 30)) == date(2027, 11, 30)
    assert month_end_near(date(2027, 12, 10)) == date(2027, 11, 30)
    assert month_end_near(date(2027, 12, 20)) == date(2027, 12, 31)
    assert month_end_near(date(2028, 2, 14)) == date(2028, 1, 31)
    assert proposed_period(date(2027, 6, 1), 6) == (date(2027, 6, 1), date(2027, 11, 30))
    assert proposed_period(date(2027, 6, 17), 6) == (date(2027, 6, 17), date(2027, 12, 31))
    assert proposed_period(date(2026, 7, 1), 12) == (date(2026, 7, 1), date(2027, 6, 30))
