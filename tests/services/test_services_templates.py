"""The control template library and the control services the controls page relies on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import TaskStatus
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services.catalog import bundled_catalog
from workbench.services.controls import (
    add_control,
    add_controls,
    add_task,
    control_library,
    delete_task,
    list_controls,
    list_tasks,
    remove_control,
    remove_controls,
    restore_control,
    unique_ref,
    update_task,
)
from workbench.services.evidence import EvidenceMeta, add_evidence
from workbench.services.session import OpenProject
from workbench.services.templates import (
    apply_templates,
    bundled_templates,
    parse_library,
    parse_templates,
    read_templates,
    templates_for,
    templates_path,
)

GOOD = {"key": "k1", "title": "T", "description": "D", "frequency": "annual", "nature": "manual",
        "control_type": "preventive", "owner_role": "CTO", "evidence": ["A signed record"],
        "criteria": ["CC1.1"], "suggested_ref": "X-01"}


# -- the template library ----------------------------------------------------------------------------------


def test_every_criterion_has_a_template_and_keys_and_refs_are_unique() -> None:
    templates = bundled_templates()
    catalog = bundled_catalog()
    assert len(catalog.criteria) == 61
    assert [c.id for c in catalog.criteria if not templates_for(c.id, templates)] == []
    assert len({t.key for t in templates}) == len(templates)
    assert len({t.suggested_ref for t in templates}) == len(templates)


def test_templates_are_our_own_text_not_the_catalog_summaries() -> None:
    summaries = {" ".join(c.summary.lower().split()) for c in bundled_catalog().criteria}
    for template in bundled_templates():
        for text in (template.description, template.title, *template.evidence, template.population):
            assert " ".join(text.lower().split()) not in summaries
            # the AICPA writes its criteria about "the entity"; we write about the company and its people
            assert "aicpa" not in text.lower() and "the entity" not in text.lower()
        assert len(template.description) > 60 and template.title


def test_the_bundled_file_is_the_one_read() -> None:
    data = json.loads(templates_path().read_text(encoding="utf-8"))
    assert [t["key"] for t in data["templates"]] == [t.key for t in bundled_templates()]
    assert [s["key"] for s in data["sets"]] == ["first-year-saas", "processing-integrity", "privacy", "maturing"]


@pytest.mark.parametrize(("change", "why"), [
    ({"criteria": ["CC10.1"]}, "'CC10.1', which is not a Trust Services Criterion"),
    ({"criteria": []}, "must list at least one criterion"),
    ({"criteria": ["CC1.1", "CC1.1"]}, "lists a criterion twice"),
    ({"title": "  "}, "has no title"),
    ({"suggested_ref": None}, "has no suggested_ref"),
    ({"owner_role": ""}, "has no owner_role"),
    ({"evidence": []}, "must list at least one piece of evidence"),
    ({"frequency": "hourly"}, "'hourly' is not a valid Frequency"),
    ({"nature": "robotic"}, "'robotic' is not a valid TemplateNature"),
    ({"control_type": "hopeful"}, "'hopeful' is not a valid ControlType"),
    ({"frequency": "event_driven"}, "names the population it is tested on"),
    ({"population": "every change"}, "and only an event-driven one does"),
    ({"sets": ["starter"]}, "names a set that is not declared"),
])
def test_the_loader_rejects_a_bad_template(tmp_path: Path, change: dict[str, Any], why: str) -> None:
    path = tmp_path / "controls.json"
    path.write_text(json.dumps({"templates": [{**GOOD, **change}]}), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_templates(path)
    assert why in str(caught.value) and str(path) in str(caught.value)


def test_the_loader_rejects_duplicate_keys_bad_sets_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="the key 'k1' appears twice"):
        parse_templates({"templates": [GOOD, {**GOOD, "suggested_ref": "Y-01"}]})
    with pytest.raises(ValidationError, match="non-empty 'templates' list"):
        parse_templates([GOOD])
    declared = [{"key": "starter", "title": "Starter", "description": "The basics"}]
    with pytest.raises(ValidationError, match="the set 'starter' has no templates"):
        parse_library({"sets": declared, "templates": [GOOD]})
    with pytest.raises(ValidationError, match="set #1 needs a key, a title and a description"):
        parse_library({"sets": [{"key": "starter"}], "templates": [GOOD]})
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot be read as JSON"):
        read_templates(broken)
    with pytest.raises(ValidationError, match="does not exist"):
        read_templates(tmp_path / "missing.json")
    library = parse_library({"sets": declared, "templates": [{**GOOD, "sets": ["starter"]}]})
    assert library.templates[0].criteria == ("CC1.1",) and library.template_set("starter").keys == ("k1",)


def test_applying_templates_makes_refs_unique_in_one_undoable_step(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ControlDraft("AC-01", "Existing"))
    change = apply_templates(new_project, ["sso-mfa", "vendor-management"], owner="Ana")
    added = change.value.created
    assert [c.ref for c in added] == ["AC-02", "VEN-01"]
    with pytest.raises(NotFoundError, match="no-such-template"):
        apply_templates(new_project, ["backups", "no-such-template"])
    new_project.close()
    with reopen(new_project.path) as project:
        controls = {c.ref: c for c in list_controls(project)}
        assert set(controls) == {"AC-01", "AC-02", "VEN-01"}
        assert controls["AC-02"].title == "Single sign-on with multi-factor authentication"
        assert (controls["VEN-01"].owner, controls["VEN-01"].criteria) == ("Ana", ("CC9.2",))
        assert controls["VEN-01"].notes.startswith("Template: vendor-management. Manual, preventive control")
        assert change.inverse is not None
        change.inverse(project)
        assert [c.ref for c in list_controls(project)] == ["AC-01"]


def test_unique_ref_keeps_the_number_width() -> None:
    assert unique_ref("AC-01", []) == "AC-01"
    assert unique_ref("AC-01", ["AC-01", "ac-02"]) == "AC-03"
    assert unique_ref("OPS", ["OPS"]) == "OPS-2"
    assert unique_ref("X-9", ["X-9"]) == "X-10"


# -- control services used by the page --------------------------------------------------------------------


def test_control_library_reads_coverage_and_evidence_counts(new_project: OpenProject, tmp_path: Path) -> None:
    add_controls(new_project, [ControlDraft("AC-1", "Review", criteria=("CC6.2",)), ControlDraft("AC-2", "Other")])
    file = tmp_path / "log.txt"
    file.write_text("ok\n", encoding="utf-8")
    add_evidence(new_project, file, EvidenceMeta("AC-1"))
    add_evidence(new_project, file, EvidenceMeta("AC-1"))
    library = control_library(new_project)
    assert [c.ref for c in library.controls] == ["AC-1", "AC-2"]
    assert library.evidence_counts == {"AC-1": 2}
    assert len(library.criteria) == 33  # Security only
    assert "CC6.2" not in {c.id for c in library.uncovered} and len(library.uncovered) == 32


def test_a_control_with_evidence_is_not_removed(new_project: OpenProject, tmp_path: Path, reopen: Any) -> None:
    add_control(new_project, ControlDraft("BK-1", "Backups", criteria=("CC7.4",)))
    file = tmp_path / "log.txt"
    file.write_text("ok\n", encoding="utf-8")
    add_evidence(new_project, file, EvidenceMeta("BK-1"))
    with pytest.raises(ValidationError, match=r"has 1 evidence file; .* move them to another control first"):
        remove_control(new_project, "BK-1")
    with pytest.raises(NotFoundError):
        remove_control(new_project, "NOPE")
    new_project.close()
    with reopen(new_project.path) as project:
        assert [c.ref for c in list_controls(project)] == ["BK-1"]


def test_remove_and_restore_bring_back_criteria_and_task_links(new_project: OpenProject, reopen: Any) -> None:
    add_control(new_project, ControlDraft("AC-1", "Review", owner="Ana", criteria=("CC6.2", "CC6.3")))
    task = add_task(new_project, "Fix it", control_ref="AC-1").value
    removed = remove_control(new_project, "AC-1").value
    assert removed.task_ids == (task.id,)
    assert list_tasks(new_project)[0].control_ref is None
    restore_control(new_project, removed)
    new_project.close()
    with reopen(new_project.path) as project:
        (control,) = list_controls(project)
        (again,) = list_tasks(project)
    assert (control.ref, control.owner, control.criteria) == ("AC-1", "Ana", ("CC6.2", "CC6.3"))
    assert again.control_ref == "AC-1"


def test_remove_controls_is_all_or_nothing(new_project: OpenProject, tmp_path: Path) -> None:
    add_controls(new_project, [ControlDraft("A-1", "One"), ControlDraft("A-2", "Two")])
    file = tmp_path / "log.txt"
    file.write_text("ok\n", encoding="utf-8")
    add_evidence(new_project, file, EvidenceMeta("A-2"))
    with pytest.raises(ValidationError):
        remove_controls(new_project, ["A-1", "A-2"])
    assert [c.ref for c in list_controls(new_project)] == ["A-1", "A-2"]
    remove_controls(new_project, ["A-1"])
    assert [c.ref for c in list_controls(new_project)] == ["A-2"]


def test_tasks_can_be_updated_and_deleted(new_project: OpenProject, reopen: Any) -> None:
    task = add_task(new_project, "Write policy", owner="Ana", due=date(2026, 5, 1)).value
    other = add_task(new_project, "Temporary").value
    with pytest.raises(ValidationError, match="title cannot be empty"):
        update_task(new_project, task.id, title="  ")
    with pytest.raises(NotFoundError):
        update_task(new_project, 999, title="Ghost")
    updated = update_task(new_project, task.id, title=" Write the policy ", owner="Ben", due=None,
                          status=TaskStatus.DONE, description="Signed off").value
    assert (updated.title, updated.owner, updated.due, updated.status) == ("Write the policy", "Ben", None,
                                                                          TaskStatus.DONE)
    delete_task(new_project, other.id)
    new_project.close()
    with reopen(new_project.path) as project:
        (stored,) = list_tasks(project)
    assert (stored.id, stored.title, stored.description, stored.status) == (
        task.id, "Write the policy", "Signed off", TaskStatus.DONE)
