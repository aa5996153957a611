"""`workbench import-requests` as a real process: exit codes, one stderr line, the --json document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from workbench.domain.entities import ControlDraft
from workbench.services.controls import add_control
from workbench.services.engagement import list_requests
from workbench.services.session import OpenProject, open_project

RESULT_KEYS = {"sheet", "header_row", "columns", "rows", "created", "updated", "unchanged", "skipped",
               "criteria_links", "control_links", "problems", "dry_run"}


def run(cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def assert_one_error_line(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for phrase in phrases:
        assert phrase in lines[0]
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    project = make_project(path / "acme.soc2")
    add_control(project, ControlDraft("AC-1", "Access reviews", criteria=("CC6.1",)))
    project.close()
    book = Workbook()
    sheet = book.active
    sheet.title = "PBC"
    sheet["A1"] = "Example CPA LLP - request list"
    sheet.append([])
    sheet.append(["PBC #", "Request", "TSC Reference", "Related Control", "Owner", "Due Date", "Status"])  # row 3
    sheet.append(["PBC-1", "User listing", "CC6.1; CC6.2", "AC-1", "Jane", "2026-03-15", "Open"])
    sheet.append(["PBC-2", "Access review", "CC6.2", "AC-9", "Ana", "03/04/2026", "Provided"])
    sheet.append(["PBC-1", "Again", "CC6.1", "", "Bob", "", "Open"])
    book.save(path / "pbc.xlsx")
    return path


def stored_refs(path: Path) -> list[str]:
    with open_project(path) as project:
        return [r.ref for r in list_requests(project)]


def test_json_document_dry_run_then_import_then_reimport(folder: Path) -> None:
    dry = run(folder, "import-requests", "acme.soc2", "pbc.xlsx", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    document = json.loads(dry.stdout)
    assert set(document) >= RESULT_KEYS
    assert document["columns"] == {"ref": "PBC #", "item": "Request", "criteria": "TSC Reference",
                                   "control": "Related Control", "owner": "Owner", "due": "Due Date",
                                   "status": "Status"}
    assert (document["sheet"], document["header_row"], document["rows"]) == ("PBC", 3, 3)
    assert (document["created"], document["skipped"], document["criteria_links"], document["control_links"]) == (
        2, 1, 3, 1)
    assert {p["row"] for p in document["problems"]} == {5, 6}
    assert all(set(p) == {"row", "level", "field", "message"} for p in document["problems"])
    assert [p["action"] for p in document["preview"]] == ["create", "create", "skip"]
    assert stored_refs(folder / "acme.soc2") == []

    real = run(folder, "import-requests", "acme.soc2", "pbc.xlsx", "--json")
    assert real.returncode == 0, real.stderr
    assert json.loads(real.stdout)["created"] == 2
    again = run(folder, "import-requests", "acme.soc2", "pbc.xlsx", "--json")
    assert (json.loads(again.stdout)["created"], json.loads(again.stdout)["unchanged"]) == (0, 2)
    assert stored_refs(folder / "acme.soc2") == ["PBC-1", "PBC-2"]
    assert sorted(os.listdir(folder)) == ["acme.soc2", "pbc.xlsx"]


def test_human_summary_and_map_option(folder: Path) -> None:
    result = run(folder, "import-requests", "acme.soc2", "pbc.xlsx", "--map", "Owner=description", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would import 3 request rows from sheet 'PBC' (header on row 3)" in result.stdout
    assert "description='Owner'" in result.stdout
    assert "row 5 warning: control: 'AC-9' is not a control of this project" in result.stdout
    assert "row 6 warning" in result.stdout


@pytest.mark.parametrize(("args", "phrase"), [
    (["missing.csv"], "missing.csv : the file does not exist"),
    (["empty.xlsx"], "empty.xlsx : the file is empty"),
    (["junk.xlsx"], "junk.xlsx : is not a spreadsheet"),
    (["noid.csv"], "noid.csv : no column holds the request ID"),
    (["pbc.xlsx", "--sheet", "Nope"], "no sheet named 'Nope'"),
    (["pbc.xlsx", "--map", "Nothing=ref"], "no column is headed 'Nothing'"),
    (["pbc.xlsx", "--map", "Owner=colour"], "'colour' is not a request field"),
    (["pbc.xlsx", "--map", "no-equals-sign"], "HEADER=FIELD"),
    (["pbc.xlsx", "--header-row", "40"], "row 40"),
])
def test_user_errors_exit_2_with_one_line_and_leave_the_project_alone(folder: Path, args: list[str],
                                                                       phrase: str) -> None:
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "junk.xlsx").write_bytes(os.urandom(3000))
    (folder / "noid.csv").write_text("Title,Owner\nPolicies,Jane\nOrg chart,Bob\n", encoding="utf-8")
    before = (folder / "acme.soc2").read_bytes()
    result = run(folder, "import-requests", "acme.soc2", *args)
    assert_one_error_line(result, phrase)
    assert result.stdout == ""
    assert (folder / "acme.soc2").read_bytes() == before


def test_missing_project_is_a_user_error(folder: Path) -> None:
    result = run(folder, "import-requests", "nothere.soc2", "pbc.xlsx")
    assert_one_error_line(result, "nothere.soc2")


@pytest.mark.parametrize(("flag", "expected"), [("--day-first", date(2026, 4, 3)), ("--month-first", date(2026, 3, 4))])
def test_the_user_says_how_to_read_ambiguous_dates(folder: Path, flag: str, expected: date) -> None:
    result = run(folder, "import-requests", "acme.soc2", "pbc.xlsx", flag, "--json")
    assert result.returncode == 0, result.stderr
    assert not any("ambiguous" in p["message"] for p in json.loads(result.stdout)["problems"])
    with open_project(folder / "acme.soc2") as project:
        due = {r.ref: r.due for r in list_requests(project)}
    assert due["PBC-2"] == expected


def test_day_first_and_month_first_exclude_each_other(folder: Path) -> None:
    result = run(folder, "import-requests", "acme.soc2", "pbc.xlsx", "--day-first", "--month-first")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
