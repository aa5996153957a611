"""`register import PROJECT populations prs.json --control CHG-1 --json` on a gh pr list, as a real process."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.services.session import OpenProject

PRS = Path(__file__).parents[1] / "fixtures" / "prs"


@pytest.fixture
def folder(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    make_project(tmp_path / "acme.soc2").close()  # Type II, 2026-01-01 to 2026-06-30
    (tmp_path / "controls.csv").write_text("Control ID,Title,Frequency\nCHG-1,Changes approved,event-driven\n",
                                           encoding="utf-8")
    shutil.copy(PRS / "prs-utf16le-bom.json", tmp_path / "prs.json")  # as PowerShell's > writes it
    assert run(tmp_path, "import-controls", "acme.soc2", "controls.csv").returncode == 0
    return tmp_path


def test_a_pr_list_imports_as_the_change_population_and_flags_both_prs(folder: Path) -> None:
    result = run(folder, "register", "import", "acme.soc2", "populations", "prs.json", "--control", "CHG-1", "--json")
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)
    assert imported["flagged"] == [{"key": "102", "checks": ["self_approved"]},
                                   {"key": "103", "checks": ["merged_without_approval"]}]
    assert (imported["population"], imported["out_of_period"]) == (4, 1)
    listed = json.loads(run(folder, "register", "list", "acme.soc2", "populations", "--json").stdout)
    assert {r["key"]: r["checks"] for r in listed} == {"101": [], "102": ["self_approved"],
                                                       "103": ["merged_without_approval"], "104": []}


def test_a_truncated_pr_list_is_one_error_line_and_changes_nothing(folder: Path) -> None:
    (folder / "cut.json").write_bytes((PRS / "prs.json").read_bytes()[:900])
    assert_one_error_line(run(folder, "register", "import", "acme.soc2", "populations", "cut.json", "--control",
                              "CHG-1"), "cut.json", "is not a JSON document")
    assert json.loads(run(folder, "register", "list", "acme.soc2", "populations", "--json").stdout) == []
