"""The step-by-step import used by the wizard: inspect a workbook, preview a sheet, plan under a mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.test_services_import import consultant_register
from workbench.domain.errors import WorkbenchError
from workbench.services.importers.preview import (
    inspect_workbook,
    is_side_sheet,
    load_table,
    plan_import,
    preview_sheet,
    problem_column,
    problem_field,
)
from workbench.services.session import OpenProject


def test_inspect_marks_side_and_hidden_sheets_and_guesses_the_register(tmp_path: Path) -> None:
    found = inspect_workbook(consultant_register(tmp_path / "r.xlsx"))
    assert [(s.name, s.note) for s in found.sheets] == [
        ("Cover", "cover or list sheet"), ("Dashboard", "cover or list sheet"), ("Lists", "hidden"),
        ("Control Register", "")]
    assert (found.guessed.sheet, found.guessed.header_row) == ("Control Register", 4)
    assert found.guessed.rows[3][0] == "Ctrl #"
    assert found.guessed.total_rows == 19
    assert is_side_sheet("Read me") and not is_side_sheet("SOC 2 Controls")


def test_preview_sheet_and_its_errors(tmp_path: Path) -> None:
    path = consultant_register(tmp_path / "r.xlsx")
    cover = preview_sheet(path, "Cover")
    assert cover.sheet == "Cover" and cover.header_row == 0
    assert preview_sheet(path, "Dashboard").header_row == 1
    with pytest.raises(WorkbenchError, match="no sheet named 'Nope'"):
        preview_sheet(path, "Nope")


def test_plan_import_under_a_mapping_and_problem_columns(new_project: OpenProject, tmp_path: Path) -> None:
    path = consultant_register(tmp_path / "r.xlsx")
    table = load_table(path, "Control Register", 4)
    preview = plan_import(new_project, table, {"ref": 0, "title": 1, "criteria": 5, "frequency": 4}, str(path))
    assert preview.plan is not None and preview.plan.count("create") == 8
    columns = {(p.row, problem_column(preview.plan, p)) for p in preview.plan.problems}
    assert (9, "A · Ctrl #") in columns and (12, "F · TSC Ref(s)") in columns and (14, "E · Freq.") in columns
    assert (16, "B · Control Activity") in columns
    assert {problem_field(p) for p in preview.plan.problems if p.row == 15} == {"ref"}
    unplannable = plan_import(new_project, table, {"title": 1, "ref": 99}, str(path))
    assert unplannable.plan is None and "control ID" in unplannable.message
