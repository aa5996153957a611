"""`workbench import-controls` as a real process: exit codes, one stderr line, the --json document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.services.session import OpenProject, open_project

RESULT_KEYS = {"sheet", "header_row", "columns", "rows", "created", "updated", "unchanged", "skipped",
               "criteria_links", "problems"}


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
    make_project(path / "acme.soc2").close()
    (path / "register.csv").write_text(
        "Control ID,Control Title,Owner,Freq.,TSC Ref(s)\n"
        "AC-1,Access reviews,Jane,Quarterly,\"CC6.1, CC6.2\"\n"
        "AC-2,MFA,Ana,Continuous,CC6.6 CC10.1\n"
        "AC-1,Again,Bob,Annual,CC6.1\n",
        encoding="utf-8",
    )
    return path


def control_count(path: Path) -> int:
    with open_project(path) as project, project.uow() as uow:
        return uow.controls.count()


def test_json_document_dry_run_then_import_then_reimport(folder: Path) -> None:
    dry = run(folder, "import-controls", "acme.soc2", "register.csv", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    document = json.loads(dry.stdout)
    assert set(document) >= RESULT_KEYS
    assert document["columns"] == {"ref": "Control ID", "title": "Control Title", "owner": "Owner",
                                   "frequency": "Freq.", "criteria": "TSC Ref(s)"}
    assert (document["created"], document["header_row"], document["criteria_links"]) == (2, 1, 3)
    assert {p["row"] for p in document["problems"]} == {3, 4}
    assert all(set(p) == {"row", "level", "field", "message"} for p in document["problems"])
    assert control_count(folder / "acme.soc2") == 0

    real = run(folder, "import-controls", "acme.soc2", "register.csv", "--json")
    assert real.returncode == 0, real.stderr
    assert json.loads(real.stdout)["created"] == 2
    again = run(folder, "import-controls", "acme.soc2", "register.csv", "--json")
    assert (json.loads(again.stdout)["created"], json.loads(again.stdout)["unchanged"]) == (0, 2)
    assert control_count(folder / "acme.soc2") == 2
    assert sorted(os.listdir(folder)) == ["acme.soc2", "register.csv"]


def test_human_summary_and_map_option(folder: Path) -> None:
    result = run(folder, "import-controls", "acme.soc2", "register.csv", "--map", "Owner=notes", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would import 3 control rows" in result.stdout
    assert "notes='Owner'" in result.stdout
    assert "row 4 warning" in result.stdout


@pytest.mark.parametrize(("args", "phrase"), [
    (["missing.csv"], "missing.csv : the file does not exist"),
    (["empty.xlsx"], "empty.xlsx : the file is empty"),
    (["junk.xlsx"], "junk.xlsx : is not a spreadsheet"),
    (["register.csv", "--sheet", "Nope"], "no sheet named 'Nope'"),
    (["register.csv", "--map", "Nothing=ref"], "no column is headed 'Nothing'"),
    (["register.csv", "--map", "Owner=colour"], "'colour' is not a control field"),
    (["register.csv", "--map", "no-equals-sign"], "HEADER=FIELD"),
    (["register.csv", "--header-row", "40"], "row 40"),
])
def test_user_errors_exit_2_with_one_line_and_leave_the_project_alone(folder: Path, args: list[str],
                                                                       phrase: str) -> None:
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "junk.xlsx").write_bytes(os.urandom(3000))
    before = (folder / "acme.soc2").read_bytes()
    result = run(folder, "import-controls", "acme.soc2", *args)
    assert_one_error_line(result, phrase)
    assert result.stdout == ""
    assert (folder / "acme.soc2").read_bytes() == before


def test_missing_project_is_a_user_error(folder: Path) -> None:
    result = run(folder, "import-controls", "nothere.soc2", "register.csv")
    assert_one_error_line(result, "nothere.soc2")
