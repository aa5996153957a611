"""Every mutating service returns a Change: what it touched, and an inverse whose own inverse is the redo.

Each case runs an edit on a copy of the sample project, runs its inverse (the undo) and the inverse of that
(the redo), and compares what the services read back: the undo puts the project back as it was, the redo as
the edit left it. Stale undos are refused and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.services.conftest import Location
from workbench.domain.entities import ControlDraft, Cuec, Engagement
from workbench.domain.enums import AssessmentStatus, ComponentKind, Opinion, ReportType, TaskStatus
from workbench.domain.errors import ConflictError, NotFoundError
from workbench.services import assessment, controls, engagement, evidence, plan, project, report, scope, templates
from workbench.services.changes import EVERYTHING, Change, Touched
from workbench.services.session import OpenProject, open_project

Edit = Callable[[OpenProject], Change[Any]]


def snapshot(p: OpenProject) -> dict[str, Any]:
    """What the pages would show, without versions, timestamps and the ids a control gets back."""
    library = controls.control_library(p)
    view = plan.plan_view(p, date(2026, 3, 2))
    return {
        "settings": project.get_settings(p),
        "scope": scope.get_scope(p),
        "assessment": [(r.criterion.id, r.assessment.status, r.assessment.note) for r in
                       assessment.criteria_in_scope(p)],
        "controls": [replace(c, id=0) for c in library.controls],
        "tasks": library.tasks,
        "evidence": evidence.list_evidence(p),
        "engagement": engagement.get_engagement(p),
        "requests": engagement.list_requests(p),
        "reports": report.list_report_records(p),
        "plan": (view.schedule, view.baseline, view.template),
    }


@pytest.fixture
def sample(sample_location: Callable[[], Location]) -> Iterator[OpenProject]:
    """An open copy of the sample project."""
    with open_project(sample_location(), backup_on_open=False) as opened:
        yield opened


def _first_control(p: OpenProject) -> str:
    return controls.list_controls(p)[0].ref


def _without_evidence(p: OpenProject) -> list[str]:
    library = controls.control_library(p)
    return [c.ref for c in library.controls if not library.evidence_counts.get(c.ref)]


def _first_evidence(p: OpenProject) -> int:
    return evidence.list_evidence(p)[0].id


def _first_request(p: OpenProject) -> int:
    return engagement.list_requests(p)[0].id


def _first_report(p: OpenProject) -> report.ReportRecord:
    return report.list_report_records(p)[0]


def _pdf(tmp: Path) -> Path:
    path = tmp / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n% a report\n")
    return path


EDITS: dict[str, Callable[[OpenProject, Path], Change[Any]]] = {
    "add control": lambda p, _t: controls.add_control(p, ControlDraft("NEW-1", "New control", criteria=("CC6.1",))),
    "edit control": lambda p, _t: controls.update_control(
        p, _first_control(p), replace(controls.draft_of(controls.get_control(p, _first_control(p))), owner="Zed")),
    "rename control": lambda p, _t: controls.update_control(
        p, "AC-02", replace(controls.draft_of(controls.get_control(p, "AC-02")), ref="IAM-02")),
    "remove controls": lambda p, _t: controls.remove_controls(p, _without_evidence(p)[:2]),
    "templates": lambda p, _t: templates.apply_templates(p, ["sso-mfa", "vendor-management"]),
    "add task": lambda p, _t: controls.add_task(p, "Write it down", control_ref="AC-02"),
    "edit task": lambda p, _t: controls.update_task(p, controls.list_tasks(p)[0].id, title="Renamed",
                                                    status=TaskStatus.DONE),
    "delete task": lambda p, _t: controls.delete_task(p, controls.list_tasks(p)[0].id),
    "assess": lambda p, _t: assessment.assess(p, "CC6.1", AssessmentStatus.GAP, "Not yet"),
    "settings": lambda p, _t: project.update_settings(p, organization="Renamed, Inc.", system_name="Other"),
    "description": lambda p, _t: scope.set_description(p, {"services": "Something else", "people": ""}),
    "add component": lambda p, _t: scope.add_component(p, ComponentKind.DATA, "Warehouse"),
    "edit component": lambda p, _t: scope.update_component(
        p, replace(scope.get_scope(p).components[0], name="Renamed")),
    "remove subservice": lambda p, _t: scope.remove_subservice(p, scope.get_scope(p).subservices[0].id),
    "edit cuec": lambda p, _t: scope.update_cuec(p, Cuec(scope.get_scope(p).cuecs[0].id, "Other text")),
    "engagement": lambda p, _t: engagement.save_engagement(p, Engagement("Other CPAs", "Al", "al@example.com")),
    "add milestone": lambda p, _t: engagement.add_milestone(p, "Extra", date(2026, 9, 9)),
    "milestone done": lambda p, _t: engagement.set_milestone_done(
        p, engagement.get_engagement(p)[1][0].id, date(2026, 3, 1)),
    "remove milestones": lambda p, _t: engagement.remove_milestones(
        p, [m.id for m in engagement.get_engagement(p)[1][:3]]),
    "add request": lambda p, _t: engagement.add_request(p, "PBC-900", "Something", control_ref="AC-02"),
    "edit request": lambda p, _t: engagement.update_request(
        p, _first_request(p), replace(engagement.draft_of(engagement.list_requests(p)[0]), owner="Zed")),
    "remove request": lambda p, _t: engagement.remove_request(p, _first_request(p)),
    "add report": lambda p, _t: report.add_report(p, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30)),
    "edit report": lambda p, _t: report.update_report(
        p, _first_report(p).id, replace(_first_report(p).draft(), opinion=Opinion.QUALIFIED, notes="Changed")),
    "remove report": lambda p, _t: report.remove_report(p, _first_report(p).id),
    "attach report file": lambda p, t: report.attach_report_file(p, _first_report(p).id, _pdf(t)),
    "add exception": lambda p, _t: report.add_exception(p, _first_report(p).id, "EX-9", "Found", "Fixed"),
    "remove distribution": lambda p, _t: report.remove_distribution(
        p, next(d.id for r in report.list_report_records(p) for d in r.report.distributions)),
    "add evidence": lambda p, _t: evidence.add_evidence_bytes(p, "log.txt", b"a log", evidence.EvidenceMeta("AC-02")),
    "edit evidence": lambda p, _t: evidence.update_evidence(
        p, _first_evidence(p), replace(evidence.EvidenceEdit.of(evidence.get_evidence(p, _first_evidence(p))),
                                       title="Renamed")),
    "remove evidence": lambda p, _t: evidence.remove_evidence(p, _first_evidence(p)),
    "generate plan": lambda p, _t: plan.generate_plan(p),
    "move plan task": lambda p, _t: plan.resize_task(p, plan.plan_view(p).schedule.tasks[1].key, 9),
    "baseline": lambda p, _t: plan.set_baseline(p),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_its_undo_and_its_redo(sample: OpenProject, tmp_path: Path, name: str) -> None:
    before = snapshot(sample)
    change = EDITS[name](sample, tmp_path)
    after = snapshot(sample)
    assert after != before, "the edit changed nothing"
    assert change.touched and change.touched & EVERYTHING == change.touched
    assert isinstance(change.inverse, partial), "an inverse is a service bound to its arguments: a value"
    changed_parts = {part for part in before if before[part] != after[part]}
    assert changed_parts <= _parts(change.touched), f"{name} changed {changed_parts} but said {change.touched}"

    undone = change.inverse(sample)
    assert snapshot(sample) == before
    assert undone.inverse is not None
    redone = undone.inverse(sample)
    assert snapshot(sample) == after
    again = redone.inverse(sample)  # and back once more: the chain goes on as long as the user likes
    assert snapshot(sample) == before
    assert again.touched & change.touched == change.touched


_PARTS = {
    Touched.SETTINGS: {"settings", "scope", "assessment"}, Touched.SCOPE: {"scope"},
    Touched.ASSESSMENT: {"assessment"}, Touched.CONTROLS: {"controls"}, Touched.TASKS: {"tasks"},
    Touched.EVIDENCE: {"evidence"}, Touched.ENGAGEMENT: {"engagement"}, Touched.REQUESTS: {"requests"},
    Touched.REPORT: {"reports"}, Touched.PLAN: {"plan"},
}


def _parts(touched: Touched) -> set[str]:
    return {part for flag, parts in _PARTS.items() if flag in touched for part in parts}


def test_an_undo_after_the_record_went_away_is_refused_and_changes_nothing(sample: OpenProject) -> None:
    ref = _without_evidence(sample)[0]
    change = controls.update_control(sample, ref, replace(controls.draft_of(controls.get_control(sample, ref)),
                                                           owner="Zed"))
    controls.remove_control(sample, ref)  # as by a colleague, or behind the window's back
    before = snapshot(sample)
    with pytest.raises(NotFoundError):
        change.inverse(sample)
    assert snapshot(sample) == before


def test_an_undo_after_someone_else_edited_is_refused_with_a_conflict(sample: OpenProject) -> None:
    first = assessment.assess(sample, "CC6.1", AssessmentStatus.GAP, "mine")
    assessment.assess(sample, "CC6.1", AssessmentStatus.MET, "theirs")  # made meanwhile, as by a colleague
    before = snapshot(sample)
    with pytest.raises(ConflictError):
        first.inverse(sample)
    assert snapshot(sample) == before


def test_a_change_carries_what_the_service_returns(sample: OpenProject) -> None:
    change = controls.add_control(sample, ControlDraft("NEW-2", "Another", criteria=("CC6.1",)))
    assert change.value.ref == "NEW-2" and change.touched is Touched.CONTROLS
    inverse = change.inverse
    assert isinstance(inverse, partial)
    assert (inverse.func, inverse.args, inverse.keywords) == (controls.remove_control, (), {"ref": "NEW-2"})


@pytest.mark.parametrize("kind", ["control", "assessment", "evidence"])
def test_two_edits_of_one_record_undo_in_turn_and_not_out_of_turn(sample: OpenProject, kind: str) -> None:
    if kind == "control":
        def edit(p: OpenProject, text: str) -> Change[Any]:
            return controls.update_control(p, "AC-02", replace(controls.draft_of(controls.get_control(p, "AC-02")),
                                                                notes=text))
    elif kind == "assessment":
        def edit(p: OpenProject, text: str) -> Change[Any]:
            return assessment.assess(p, "CC6.1", AssessmentStatus.PARTIALLY_MET, text)
    else:
        def edit(p: OpenProject, text: str) -> Change[Any]:
            item = evidence.get_evidence(p, _first_evidence(p))
            return evidence.update_evidence(p, item.id, replace(evidence.EvidenceEdit.of(item), notes=text))
    start = snapshot(sample)
    first = edit(sample, "first")
    after_first = snapshot(sample)
    second = edit(sample, "second")
    with pytest.raises(ConflictError):  # out of turn: the record no longer holds what the first edit left
        first.inverse(sample)
    second.inverse(sample)
    assert snapshot(sample) == after_first
    first.inverse(sample)  # in turn: the versions moved on, the content did not
    assert snapshot(sample) == start
