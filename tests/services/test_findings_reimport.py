"""The same report imported again is the run the project holds, unchanged: no second run for coverage or a diff to
count twice (QA I4). A report scanning another scope, or filed under another control, is still a run of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.findings import import_report, list_runs, run_findings
from workbench.services.importers.engine import apply_plan, choose_mapping, import_register, revert_import
from workbench.services.importers.kinds import FINDINGS
from workbench.services.importers.plan import plan_table
from workbench.services.importers.sources import read_table
from workbench.services.session import OpenProject

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
REPORT = FIXTURES / "prowler_run_2025-01.csv"


@pytest.fixture
def monitored(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("MON-01", "Monthly cloud security scan review", frequency=Frequency.MONTHLY,
                                          nature=Nature.AUTOMATED, criteria=("CC7.1", "CC7.2")))
    return new_project


@pytest.mark.parametrize("control", ["", "MON-01"])
def test_the_same_report_twice_is_one_run_the_second_time_unchanged(monitored: OpenProject, control: str) -> None:
    first = import_report(monitored, REPORT, control).value
    evidence = len(list_evidence(monitored))
    second = import_report(monitored, REPORT, control)

    assert first["created"] > 0 and first["already_run"] is None
    result = second.value
    assert (result["created"], result["unchanged"]) == (0, first["created"])
    assert result["run"] == result["already_run"] == first["run"]
    assert (result["passed"], result["failed"]) == (first["passed"], first["failed"])
    assert not second.undoable  # nothing was written, so nothing to take back
    assert [r.id for r in list_runs(monitored)] == [first["run"]]
    assert len(run_findings(monitored, first["run"])) == first["created"]
    assert len(list_evidence(monitored)) == evidence


def test_a_dry_run_of_a_report_held_says_so_and_writes_nothing(monitored: OpenProject) -> None:
    first = import_report(monitored, REPORT).value
    dry = import_register(monitored, FINDINGS, REPORT, dry_run=True)
    assert (dry["created"], dry["unchanged"], dry["already_run"]) == (0, first["created"], first["run"])
    assert len(list_runs(monitored)) == 1


def test_the_wizard_applying_a_report_held_adds_nothing_and_its_undo_keeps_the_run(monitored: OpenProject) -> None:
    first = import_report(monitored, REPORT).value
    table = read_table(REPORT, FINDINGS)
    with monitored.uow() as uow:
        plan = plan_table(uow, FINDINGS, table, choose_mapping(uow, FINDINGS, table, (), str(REPORT)), str(REPORT))
    applied = apply_plan(monitored, plan).value
    assert (applied.document["created"], applied.document["already_run"]) == (0, first["run"])
    assert len(list_runs(monitored)) == 1
    revert_import(monitored, applied)
    assert [r.id for r in list_runs(monitored)] == [first["run"]]
    assert len(run_findings(monitored, first["run"])) == first["created"]


def test_undoing_the_first_import_after_a_repeat_removes_the_run(monitored: OpenProject) -> None:
    change = import_report(monitored, REPORT)
    import_report(monitored, REPORT)
    change.inverse(monitored)
    assert list_runs(monitored) == []
    again = import_report(monitored, REPORT).value  # not held any more: a run of its own again
    assert again["created"] > 0 and again["already_run"] is None and len(list_runs(monitored)) == 1


def test_another_control_or_another_report_is_a_run_of_its_own(monitored: OpenProject) -> None:
    import_report(monitored, REPORT)
    filed = import_report(monitored, REPORT, "MON-01").value
    other = import_report(monitored, FIXTURES / "prowler_run_2025-02.csv").value
    assert filed["already_run"] is None and other["already_run"] is None
    assert len(list_runs(monitored)) == 3
