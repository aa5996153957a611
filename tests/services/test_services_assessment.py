"""Step 2: judging in-scope criteria, read back from the reopened project."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import AssessmentStatus, Category
from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.services.assessment import assess, criteria_in_scope
from workbench.services.controls import add_control
from workbench.services.project import project_status
from workbench.services.session import OpenProject


def _counts(project: OpenProject) -> dict[str, int]:
    c = project_status(project).criteria
    return {"met": c.met, "partially_met": c.partially_met, "gap": c.gap, "not_applicable": c.not_applicable,
            "not_assessed": c.not_assessed}


def test_assess_moves_counts_and_survives_reopening(new_project: OpenProject, clock: Any, reopen: Any) -> None:
    result = assess(new_project, "CC6.1", AssessmentStatus.GAP, "  No MFA yet  ").value
    assert (result.criterion_id, result.status, result.note) == ("CC6.1", AssessmentStatus.GAP, "No MFA yet")
    assert result.updated_at == clock()
    new_project.close()
    with reopen(new_project.path) as project:
        assert _counts(project) == {"met": 0, "partially_met": 0, "gap": 1, "not_applicable": 0, "not_assessed": 32}
        row = next(r for r in criteria_in_scope(project) if r.criterion.id == "CC6.1")
        assert (row.assessment.status, row.assessment.note) == (AssessmentStatus.GAP, "No MFA yet")


def test_reassessing_replaces_the_judgement(new_project: OpenProject, reopen: Any) -> None:
    assess(new_project, "CC6.1", AssessmentStatus.GAP)
    assess(new_project, "CC6.1", AssessmentStatus.MET, "MFA enforced")
    new_project.close()
    with reopen(new_project.path) as project:
        assert _counts(project)["met"] == 1 and _counts(project)["gap"] == 0
        assess(project, "CC6.1", AssessmentStatus.NOT_ASSESSED)
        assert _counts(project)["not_assessed"] == 33


@pytest.mark.parametrize("written", ["cc 6.1", "CC6.1", "SOC 2 CC6.1", " cc6.1 "])
def test_loosely_written_ids_are_accepted(new_project: OpenProject, written: str) -> None:
    assert assess(new_project, written, AssessmentStatus.MET).value.criterion_id == "CC6.1"


@pytest.mark.parametrize("unknown", ["CC6.9", "XX1.1", "junk", "CC1.0", ""])
def test_unknown_criterion_is_a_user_error(new_project: OpenProject, unknown: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        assess(new_project, unknown, AssessmentStatus.MET)
    assert isinstance(caught.value, WorkbenchError)
    assert "not a Trust Services Criterion" in caught.value.why


def test_out_of_scope_criterion_is_a_user_error(new_project: OpenProject, reopen: Any) -> None:
    with pytest.raises(ValidationError, match="not in this project's scope") as caught:
        assess(new_project, "a1.2", AssessmentStatus.MET)
    assert caught.value.what == "criterion A1.2"
    assert "Availability" in caught.value.why
    new_project.close()
    with reopen(new_project.path) as project:
        assert _counts(project)["met"] == 0


@pytest.mark.parametrize("note", ["", "   "])
def test_not_applicable_needs_a_justification(new_project: OpenProject, reopen: Any, note: str) -> None:
    with pytest.raises(ValidationError, match="justification"):
        assess(new_project, "CC9.2", AssessmentStatus.NOT_APPLICABLE, note)
    new_project.close()
    with reopen(new_project.path) as project:
        assert _counts(project)["not_applicable"] == 0


def test_not_applicable_with_a_justification_is_kept(new_project: OpenProject, reopen: Any) -> None:
    assess(new_project, "CC9.2", AssessmentStatus.NOT_APPLICABLE, "No vendors handle customer data")
    new_project.close()
    with reopen(new_project.path) as project:
        assert _counts(project)["not_applicable"] == 1
        assert project_status(project).readiness == 0.0


def test_criteria_in_scope_lists_catalog_order_with_mapped_controls(
    make_project: Any, project_location: Any, reopen: Any
) -> None:
    from workbench.services.project import NewProject

    path = project_location("p.soc2")
    project = make_project(path, NewProject("Acme", categories=(Category.AVAILABILITY,)))
    add_control(project, ControlDraft("BK-1", "Backups", criteria=("A1.2", "CC7.4")))
    add_control(project, ControlDraft("DR-1", "Restore test", criteria=("A1.3", "A1.2")))
    project.close()
    with reopen(path) as project:
        rows = criteria_in_scope(project)
    assert [r.criterion.id for r in rows][-4:] == ["CC9.2", "A1.1", "A1.2", "A1.3"]
    mapped = {r.criterion.id: r.controls for r in rows if r.controls}
    assert mapped == {"CC7.4": ("BK-1",), "A1.2": ("BK-1", "DR-1"), "A1.3": ("DR-1",)}
    assert all(r.assessment.status is AssessmentStatus.NOT_ASSESSED for r in rows)
