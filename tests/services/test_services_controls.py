"""Step 3: the control library and its criteria mappings, read back from the reopened project."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services.controls import REF_MAX_LENGTH, add_control, list_controls, remove_control, update_control
from workbench.services.engagement import add_request, list_requests
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.session import OpenProject

ACCESS_REVIEW = ControlDraft(
    ref="AC-1", title="Quarterly access review", description="Managers confirm each user's access.",
    owner="Ana", frequency=Frequency.QUARTERLY, nature=Nature.MANUAL, status=ControlStatus.IN_PROGRESS,
    notes="Started in Q1", criteria=("cc6.3", "CC6.2", "CC6.2"),
)


def _controls_after_reopen(project: OpenProject, reopen: Any) -> list[Control]:
    project.close()
    with reopen(project.path) as again:
        return list_controls(again)


def test_add_control_is_kept_with_normalised_criteria(new_project: OpenProject, reopen: Any) -> None:
    added = add_control(new_project, ACCESS_REVIEW).value
    assert added.criteria == ("CC6.2", "CC6.3")
    (control,) = _controls_after_reopen(new_project, reopen)
    assert (control.ref, control.title, control.owner) == ("AC-1", "Quarterly access review", "Ana")
    assert (control.frequency, control.nature, control.status) == (
        Frequency.QUARTERLY, Nature.MANUAL, ControlStatus.IN_PROGRESS)
    assert control.description == "Managers confirm each user's access."
    assert control.notes == "Started in Q1"
    assert control.criteria == ("CC6.2", "CC6.3")


def test_controls_are_listed_by_reference(new_project: OpenProject, reopen: Any) -> None:
    for ref in ("OPS-2", "AC-1", "CM-1"):
        add_control(new_project, ControlDraft(ref, f"Control {ref}"))
    assert [c.ref for c in _controls_after_reopen(new_project, reopen)] == ["AC-1", "CM-1", "OPS-2"]


def test_references_are_listed_in_the_same_order_on_any_store(new_project: OpenProject, reopen: Any) -> None:
    # Natural order (numbers by value, letters ignoring case), worked out by the program, not by the database: a
    # server's language-aware collation would differ from a project file's code-point order.
    refs = ["ac-1", "Äb-1", "AC10", "B-1", "AC-2", "A.5.10", "A.5.2"]
    for ref in refs:
        add_control(new_project, ControlDraft(ref, f"Control {ref}"))
        add_request(new_project, ref, f"Request {ref}", control_ref=ref)
        add_evidence_bytes(new_project, f"{ref}.txt", ref.encode(), EvidenceMeta(ref))
    expected = ["A.5.2", "A.5.10", "ac-1", "AC-2", "AC10", "B-1", "Äb-1"]
    new_project.close()
    with reopen(new_project.path) as again:
        assert [c.ref for c in list_controls(again)] == expected
        assert [r.ref for r in list_requests(again)] == expected
        assert [e.control_ref for e in list_evidence(again)] == expected


def test_ref_and_title_are_trimmed_and_required(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ControlDraft("  AC-1 ", "  Review  "))
    with pytest.raises(ValidationError, match="reference cannot be empty"):
        add_control(new_project, ControlDraft("   ", "Title"))
    with pytest.raises(ValidationError, match="title cannot be empty"):
        add_control(new_project, ControlDraft("AC-2", "  "))
    controls = _controls_after_reopen(new_project, reopen)
    assert [(c.ref, c.title) for c in controls] == [("AC-1", "Review")]


def test_a_reference_longer_than_the_store_keeps_is_refused_the_same_everywhere(
        new_project: OpenProject, reopen: Any) -> None:
    longest = "R" * REF_MAX_LENGTH
    add_control(new_project, ControlDraft(longest, "Fits exactly"))
    with pytest.raises(ValidationError, match=f"at most {REF_MAX_LENGTH}"):
        add_control(new_project, ControlDraft(longest + "9", "One too many"))
    with pytest.raises(ValidationError, match=f"at most {REF_MAX_LENGTH}"):
        update_control(new_project, longest, ControlDraft(longest + "9", "Renamed"))
    with pytest.raises(ValidationError, match=f"at most {REF_MAX_LENGTH}"):
        add_request(new_project, "Q" * (REF_MAX_LENGTH + 1), "Org chart")
    add_request(new_project, "Q" * REF_MAX_LENGTH, "Org chart")
    assert [c.ref for c in _controls_after_reopen(new_project, reopen)] == [longest]


def test_duplicate_reference_is_refused(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ACCESS_REVIEW)
    with pytest.raises(DuplicateError, match="already exists") as caught:
        add_control(new_project, ControlDraft(" AC-1", "Another"))
    assert caught.value.what == "control AC-1"
    controls = _controls_after_reopen(new_project, reopen)
    assert [c.title for c in controls] == ["Quarterly access review"]


@pytest.mark.parametrize("criterion", ["CC6.9", "ISO A.9", "CC1.0"])
def test_unknown_criterion_is_refused(new_project: OpenProject, reopen: Any, criterion: str) -> None:
    with pytest.raises(ValidationError, match="is not a Trust Services Criterion") as caught:
        add_control(new_project, ControlDraft("AC-1", "Review", criteria=("CC6.1", criterion)))
    assert repr(criterion) in caught.value.why
    assert _controls_after_reopen(new_project, reopen) == []


def test_update_changes_fields_and_mappings(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ACCESS_REVIEW)
    update_control(new_project, "AC-1", ControlDraft("AC-1", "Monthly access review", owner="Ben",
                                                     frequency=Frequency.MONTHLY, status=ControlStatus.IMPLEMENTED,
                                                     criteria=("CC6.3", "CC6.1")))
    (control,) = _controls_after_reopen(new_project, reopen)
    assert (control.title, control.owner, control.frequency, control.status) == (
        "Monthly access review", "Ben", Frequency.MONTHLY, ControlStatus.IMPLEMENTED)
    assert control.nature is None and control.description == ""
    assert control.criteria == ("CC6.1", "CC6.3")


def test_update_can_rename_the_reference(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ACCESS_REVIEW)
    renamed = update_control(new_project, "AC-1", ControlDraft("IAM-1", "Quarterly access review")).value
    assert renamed.ref == "IAM-1"
    assert [c.ref for c in _controls_after_reopen(new_project, reopen)] == ["IAM-1"]


def test_update_refuses_renaming_onto_another_control(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ACCESS_REVIEW)
    add_control(new_project, ControlDraft("AC-2", "Offboarding"))
    with pytest.raises(DuplicateError):
        update_control(new_project, "AC-2", ControlDraft("AC-1", "Offboarding"))
    assert [c.title for c in _controls_after_reopen(new_project, reopen)] == ["Quarterly access review", "Offboarding"]


def test_update_of_an_unknown_control_is_refused(new_project: OpenProject) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        update_control(new_project, "NOPE-1", ControlDraft("NOPE-1", "Ghost"))


def test_remove_takes_the_control_and_its_mappings(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ACCESS_REVIEW)
    add_control(new_project, ControlDraft("AC-2", "Offboarding", criteria=("CC6.2",)))
    remove_control(new_project, "AC-1")
    new_project.close()
    with reopen(new_project.path) as project:
        assert [c.ref for c in list_controls(project)] == ["AC-2"]
        with project.uow() as uow:
            assert uow.controls.covered_criteria() == {"CC6.2"}


def test_removal_of_an_unknown_control_is_refused(new_project: OpenProject) -> None:
    with pytest.raises(NotFoundError):
        remove_control(new_project, "NOPE-1")
