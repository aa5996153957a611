"""The command line as a real process (`python -m workbench`): exit status, one stderr line, no traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench import __version__
from workbench.services.session import OpenProject, open_project


def _command(*args: object) -> list[str]:
    return [sys.executable, "-m", "workbench", *(str(a) for a in args)]


def run(cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(*args), cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=os.environ.copy())


def run_together(cwd: Path, *commands: list[object]) -> list[subprocess.CompletedProcess[str]]:
    """Run independent commands at the same time (each its own process) and collect their results."""
    processes = [subprocess.Popen(_command(*c), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=os.environ.copy()) for c in commands]
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


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
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


def test_version(folder: Path) -> None:
    result = run(folder, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"SOC 2 Workbench {__version__}"
    assert result.stderr == ""


def test_new_then_status_json_then_user_errors(folder: Path) -> None:
    created = run(folder, "new", "acme.soc2", "--org", "Acme Ltd", "--report-type", "type2",
                  "--categories", "security,availability", "--period-start", "2026-01-01")
    assert created.returncode == 0, created.stderr
    assert created.stderr == ""
    assert sorted(os.listdir(folder)) == ["acme.soc2"]

    # Only `status` opens the project; the other two are refused before touching it, so they can run at once.
    status, again, bad_date = run_together(
        folder,
        ["status", "acme.soc2", "--json"],
        ["new", "acme.soc2", "--org", "Other"],
        ["new", "b.soc2", "--org", "Acme", "--period-start", "2026-13-01"],
    )
    unknown = run(folder, "assess", "acme.soc2", "CC99.1", "--status", "met")

    assert status.returncode == 0, status.stderr
    document = json.loads(status.stdout)
    assert {"project", "criteria", "controls", "evidence", "steps", "readiness"} <= set(document)
    assert document["criteria"]["in_scope"] == 36
    assert len(document["steps"]) == 6

    assert_one_error_line(again, "already exists")
    assert_one_error_line(unknown, "CC99.1")
    assert_one_error_line(bad_date, "2026-13-01")
    assert sorted(os.listdir(folder)) == ["acme.soc2"]


def test_status_refuses_files_that_are_not_projects(folder: Path) -> None:
    (folder / "notes.soc2").write_text("not a project\n", encoding="utf-8")
    connection = sqlite3.connect(folder / "other.soc2")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    results = run_together(folder, ["status", "notes.soc2"], ["status", "other.soc2", "--json"],
                           ["status", "missing.soc2"])
    for result, name in zip(results, ["notes.soc2", "other.soc2", "missing.soc2"], strict=True):
        line = assert_one_error_line(result, name)
        assert result.stdout == ""
        assert str(folder / name) in line
    assert sorted(os.listdir(folder)) == ["notes.soc2", "other.soc2"]


def test_check_and_status_while_another_program_has_the_project_open(
    folder: Path, make_project: Callable[..., OpenProject]
) -> None:
    project = make_project(folder / "acme.soc2")
    status, check = run_together(folder, ["status", "acme.soc2"], ["check", "acme.soc2"])
    assert_one_error_line(status, "already open")
    assert_one_error_line(check, "already open")
    project.close()
    assert sorted(os.listdir(folder)) == ["acme.soc2"]
    with open_project(folder / "acme.soc2") as reopened:
        assert reopened.path.name == "acme.soc2"


def test_check_after_the_audit_trail_is_edited(folder: Path, make_project: Callable[..., OpenProject]) -> None:
    make_project(folder / "acme.soc2").close()
    assert run(folder, "check", "acme.soc2").returncode == 0
    connection = sqlite3.connect(folder / "acme.soc2")
    connection.execute("UPDATE audit_entries SET summary = '{}' WHERE seq = 2")
    connection.commit()
    connection.close()
    result = run(folder, "check", "acme.soc2")
    assert_one_error_line(result, "audit trail chain", "entry 2")
    assert sorted(os.listdir(folder)) == ["acme.soc2"]
