"""The step-by-step import used by the wizard: inspect a workbook, preview a sheet, plan under a mapping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.services.test_services_import import consultant_register
from tests.services.test_services_import_requests import by_ref, firm_template, with_controls
from workbench.domain.errors import WorkbenchError
from workbench.services.engagement import add_request, draft_of, update_request
from workbench.services.evidence import EvidenceMeta, add_evidence_files
from workbench.services.importers.kinds import CONTROLS, REQUESTS
from workbench.services.importers.preview import (
    AmbiguousDates,
    apply_import,
    guessed_mapping,
    inspect_workbook,
    is_side_sheet,
    load_table,
    plan_import,
    preview_sheet,
    problem_column,
    revert_import,
)
from workbench.services.importers.spec import ImportOptions
from workbench.services.session import OpenProject


def test_inspect_marks_side_and_hidden_sheets_and_guesses_the_register(tmp_path: Path) -> None:
    found = inspect_workbook(consultant_register(tmp_path / "r.xlsx"), CONTROLS)
    assert [(s.name, s.note) for s in found.sheets] == [
        ("Cover", "cover or list sheet"), ("Dashboard", "cover or list sheet"), ("Lists", "hidden"),
        ("Control Register", "")]
    assert (found.guessed.sheet, found.guessed.header_row) == ("Control Register", 4)
    assert found.guessed.rows[3][0] == "Ctrl #"
    assert found.guessed.total_rows == 19
    assert is_side_sheet("Read me") and not is_side_sheet("SOC 2 Controls")


def test_preview_sheet_and_its_errors(tmp_path: Path) -> None:
    path = consultant_register(tmp_path / "r.xlsx")
    cover = preview_sheet(path, "Cover", CONTROLS)
    assert cover.sheet == "Cover" and cover.header_row == 0
    assert preview_sheet(path, "Dashboard", CONTROLS).header_row == 1
    with pytest.raises(WorkbenchError, match="no sheet named 'Nope'"):
        preview_sheet(path, "Nope", CONTROLS)


def test_plan_import_under_a_mapping_and_problem_columns(new_project: OpenProject, tmp_path: Path) -> None:
    path = consultant_register(tmp_path / "r.xlsx")
    table = load_table(path, "Control Register", 4, CONTROLS)
    preview = plan_import(new_project, table, {"ref": 0, "title": 1, "criteria": 5, "frequency": 4}, str(path),
                          CONTROLS)
    assert preview.plan is not None and preview.plan.count("create") == 8
    columns = {(p.row, problem_column(preview.plan, p)) for p in preview.plan.problems}
    assert (9, "B · Control Activity") in columns  # AC-01 again, with another title: named, not used
    assert (12, "F · TSC Ref(s)") in columns and (14, "E · Freq.") in columns
    assert (16, "B · Control Activity") in columns
    assert {p.field for p in preview.plan.problems if p.row == 15} == {"ref"}
    unplannable = plan_import(new_project, table, {"title": 1, "ref": 99}, str(path), CONTROLS)
    assert unplannable.plan is None and "control ID" in unplannable.message


# -- the request-list kind ---------------------------------------------------------------------------------


def test_request_kind_finds_its_sheet_and_header(tmp_path: Path) -> None:
    path = firm_template(tmp_path / "pbc.xlsx")
    found = inspect_workbook(path, REQUESTS)
    assert [(s.name, s.note) for s in found.sheets] == [
        ("Instructions", "cover or list sheet"), ("Lists", "hidden"), ("PBC Requests", "")]
    assert (found.guessed.sheet, found.guessed.header_row) == ("PBC Requests", 5)
    assert found.guessed.rows[4][0] == "PBC #"
    assert preview_sheet(path, "PBC Requests", REQUESTS).header_row == 5
    assert inspect_workbook(path, CONTROLS).guessed.sheet == "PBC Requests"  # the control kind is unchanged otherwise


def test_request_plan_reports_ambiguous_dates_and_reads_them_as_told(new_project: OpenProject,
                                                                     tmp_path: Path) -> None:
    path = firm_template(tmp_path / "pbc.xlsx")
    table = load_table(path, "PBC Requests", 5, REQUESTS)
    project = with_controls(new_project)
    mapping = guessed_mapping(project, table, str(path), REQUESTS)
    assert mapping["due"] == 6 and mapping["item"] == 1
    unasked = plan_import(project, table, mapping, str(path), REQUESTS)
    assert unasked.ambiguous == AmbiguousDates(1, "03/04/2026", date(2026, 4, 3), date(2026, 3, 4))
    plan = unasked.plan
    assert plan is not None and plan.spec is REQUESTS
    dues = {r.key: r.record.due for r in plan.rows if r.record is not None}
    assert dues["PBC-004"] is None and dues["PBC-003"] == date(2026, 3, 15)
    columns = {(p.row, problem_column(plan, p)) for p in plan.problems}
    assert (10, "G · Due Date") in columns and (9, "E · Related Control") in columns
    assert (15, "A · PBC #") in columns and (16, "B · Request") in columns
    for day_first, expected in ((True, date(2026, 4, 3)), (False, date(2026, 3, 4))):
        told = plan_import(project, table, mapping, str(path), REQUESTS, options=ImportOptions(day_first))
        assert told.plan is not None
        assert {r.key: r.record.due for r in told.plan.rows if r.record is not None}["PBC-004"] == expected
        assert told.ambiguous is not None  # still reported, so that the wizard keeps showing the answer
    no_due = plan_import(project, table, {k: v for k, v in mapping.items() if k != "due"}, str(path), REQUESTS)
    assert no_due.ambiguous is None
    unplannable = plan_import(project, table, {"ref": 0}, str(path), REQUESTS)
    assert unplannable.plan is None and "item requested" in unplannable.message


def test_applying_and_reverting_a_request_plan(new_project: OpenProject, tmp_path: Path,
                                               reopen: Callable[[Path], Any]) -> None:
    path = firm_template(tmp_path / "pbc.xlsx")
    project = with_controls(new_project)
    add_request(project, "PBC-001", "Old wording", owner="Old owner", due=date(2026, 1, 1))
    before = by_ref(project)
    table = load_table(path, "PBC Requests", 5, REQUESTS)
    plan = plan_import(project, table, guessed_mapping(project, table, str(path), REQUESTS), str(path),
                       REQUESTS, options=ImportOptions(day_first=True)).plan
    assert plan is not None and (plan.count("create"), plan.count("update")) == (5, 1)

    applied = apply_import(project, plan).value
    assert (applied.document["created"], applied.document["updated"]) == (5, 1)
    after = by_ref(project)
    assert after["PBC-001"].owner == "Jane Doe" and after["PBC-004"].due == date(2026, 4, 3)
    revert_import(project, applied)
    assert by_ref(project) == before

    applied = apply_import(project, plan).value  # redo
    proof = tmp_path / "listing.csv"
    proof.write_text("user,role\nana,admin\n", encoding="utf-8")
    (evidence,) = add_evidence_files(project, [proof], EvidenceMeta("AC-01", "User listing")).value
    created = by_ref(project)["PBC-002"]
    update_request(project, created.id, replace(draft_of(created), evidence_ids=(evidence.id,)))
    linked = by_ref(project)
    with pytest.raises(WorkbenchError, match="cannot undo the import: PBC-002 now have evidence linked"):
        revert_import(project, applied)
    assert by_ref(project) == linked
    project.close()
    with reopen(project.path) as reopened:
        assert by_ref(reopened) == linked
