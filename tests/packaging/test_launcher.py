"""The bundle's entry point: the command line, the windowed launcher's arguments, and `-m` for child processes."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

import workbench
import workbench.cli
from tests.packaging.tools import PACKAGING, packaging_module

launcher = packaging_module("workbench_launcher")


def test_the_command_line_runs_as_usual(capsys):
    with pytest.raises(SystemExit) as stopped:
        launcher.run(["--version"])
    assert stopped.value.code == 0
    assert workbench.__version__ in capsys.readouterr().out


def test_the_windowed_launcher_opens_the_first_project_and_drops_the_finder_serial(monkeypatch):
    seen: list[list[str]] = []
    monkeypatch.setattr(workbench.cli, "main", lambda argv: seen.append(argv) or 0)
    assert launcher.run(["-psn_0_12345", "/tmp/a.soc2", "/tmp/b.soc2"], gui=True) == 0
    assert launcher.run([], gui=True) == 0
    assert seen == [["gui", "/tmp/a.soc2"], ["gui"]]


def test_only_the_listed_modules_run_as_children(capsys):
    assert launcher.run(["-m", "os"]) == 2
    assert "not a module this program runs" in capsys.readouterr().err


def test_the_isolated_spreadsheet_reader_runs_as_a_child_module(tmp_path):
    # In a process of its own: the reader lowers its own memory limit.
    missing = tmp_path / "missing.ods"
    child = subprocess.run([sys.executable, str(PACKAGING / "workbench_launcher.py"), "-m",
                            "workbench.services.importers.isolated", str(missing), "10", "10", "100"],
                           capture_output=True, timeout=60, check=False)
    assert child.returncode == 0, child.stderr
    assert "error" in pickle.loads(child.stdout)


def test_the_child_modules_exist():
    import importlib.util

    for name in launcher.CHILD_MODULES:
        assert importlib.util.find_spec(name) is not None, name
