"""Readiness per category, the assessment overview, and remediation tasks made from gaps."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import AssessmentStatus, Category, TaskStatus
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.readiness import CriteriaCounts, readiness_by_category
from workbench.services.assessment import (
    assess,
    assessment_overview,
    create_remediation_task,
    delete_task,
)
from workbench.services.controls import add_control, add_task, list_tasks
from workbench.services.project import NewProject
from workbench.services.session import OpenProject

S, A, C = Category.SECURITY, Category.AVAILABILITY, Category.CONFIDENTIALITY


# -- the pure rule -------------------------------------------------------------------------------------


def test_readiness_by_category_counts_each_category_in_category_order() -> None:
    criteria = [("A1.1", A), ("CC1.1", S), ("CC1.2", S), ("CC1.3", S), ("A1.2", A), ("CC1.4", S)]
    statuses = {
        "CC1.1": AssessmentStatus.MET, "CC1.2": AssessmentStatus.PARTIALLY_MET,
        "CC1.3": AssessmentStatus.NOT_APPLICABLE, "A1.1": AssessmentStatus.GAP,
    }
    result = readiness_by_category(criteria, statuses)
    assert [r.category for r in result] == [S, A]
    security, availability = result
    assert security.counts == CriteriaCounts(in_scope=4, met=1, partially_met=1, not_applicable=1, not_assessed=1)
    assert security.readiness == pytest.approx(1.5 / 3, abs=1e-4)
    assert availability.counts == CriteriaCounts(in_scope=2, gap=1, not_assessed=1)
    assert availability.readiness == 0.0


def test_readiness_by_category_of_nothing_is_empty_and_all_not_applicable_is_zero() -> None:
    assert readiness_by_category([], {}) == ()
    (only,) = readiness_by_category([("C1.1", C)], {"C1.1": AssessmentStatus.NOT_APPLICABLE})
    assert (only.counts.not_applicable, only.readiness) == (1, 0.0)


# -- the overview --------------------------------------------------------------------------------------


@pytest.fixture
def two_categories(make_project: Any, project_location: Any) -> OpenProject:
    """A Security + Availability project with one control and one judged gap."""
    project = make_project(project_location("two.soc2"), NewProject("Acme", categories=(S, A)))
    add_control(project, ControlDraft("BK-1", "Backups", criteria=("A1.2",)))
    assess(project, "A1.2", AssessmentStatus.GAP, "Restores never tested")
    assess(project, "CC6.1", AssessmentStatus.MET)
    return project


def test_overview_has_rows_categories_and_tasks_by_criterion(two_categories: OpenProject) -> None:
    add_task(two_categories, "Unrelated chore")
    task = create_remediation_task(two_categories, "A1.2", "Run a restore test").value
    overview = assessment_overview(two_categories)
    assert [r.criterion.id for r in overview.rows][-3:] == ["A1.1", "A1.2", "A1.3"]
    assert next(r for r in overview.rows if r.criterion.id == "A1.2").controls == ("BK-1",)
    assert [c.category for c in overview.categories] == [S, A]
    security, availability = overview.categories
    assert (security.counts.in_scope, security.counts.met) == (33, 1)
    assert (availability.counts.in_scope, availability.counts.gap) == (3, 1)
    assert dict(overview.tasks) == {"A1.2": (task,)}


# -- remediation tasks ---------------------------------------------------------------------------------


def test_remediation_task_for_a_gap_is_stored(two_categories: OpenProject, reopen: Any) -> None:
    task = create_remediation_task(two_categories, "a1.2", "  Run a restore test  ", " Dana ", date(2026, 4, 1)).value
    assert (task.title, task.owner, task.due, task.criterion_id) == (
        "Run a restore test", "Dana", date(2026, 4, 1), "A1.2"
    )
    assert task.status is TaskStatus.OPEN
    assert "A1.2" in task.description
    two_categories.close()
    with reopen(two_categories.path) as project:
        assert list_tasks(project) == [task]


def test_remediation_task_for_a_partially_met_criterion_is_allowed(two_categories: OpenProject) -> None:
    assess(two_categories, "CC7.4", AssessmentStatus.PARTIALLY_MET, "No tabletop yet")
    assert create_remediation_task(two_categories, "CC7.4", "Hold a tabletop").value.criterion_id == "CC7.4"


@pytest.mark.parametrize("criterion", ["CC6.1", "CC1.1"])  # met, and never assessed
def test_remediation_task_is_refused_unless_gap_or_partially_met(two_categories: OpenProject, criterion: str) -> None:
    with pytest.raises(ValidationError, match="only a gap or a partially met criterion") as caught:
        create_remediation_task(two_categories, criterion, "Fix it")
    assert caught.value.what == f"criterion {criterion}"
    assert list_tasks(two_categories) == []


def test_remediation_task_needs_a_title_and_an_in_scope_criterion(two_categories: OpenProject) -> None:
    with pytest.raises(ValidationError, match="title"):
        create_remediation_task(two_categories, "A1.2", "   ")
    with pytest.raises(ValidationError, match="not in this project's scope"):
        create_remediation_task(two_categories, "C1.1", "Fix it")
    with pytest.raises(NotFoundError):
        create_remediation_task(two_categories, "CC6.9", "Fix it")
    assert list_tasks(two_categories) == []


def test_delete_task_removes_only_that_task(two_categories: OpenProject, reopen: Any) -> None:
    keep = add_task(two_categories, "Keep me").value
    gone = create_remediation_task(two_categories, "A1.2", "Run a restore test").value
    delete_task(two_categories, gone.id)
    assert list_tasks(two_categories) == [keep]
    with pytest.raises(NotFoundError, match=f"task {gone.id}"):
        delete_task(two_categories, gone.id)
    two_categories.close()
    with reopen(two_categories.path) as project:
        assert list_tasks(project) == [keep]
