"""`register import P findings REPORT` twice: the second says the report is the run imported before, unchanged,
exits 0 and writes nothing; `findings runs` and `register list` show one run (QA I4)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli_findings import _json, project  # noqa: F401  (fixture)
from tests.cli.test_cli_import import run

REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "findings" / "prowler_run_2025-01.csv"


def test_a_report_imported_twice_is_one_run(tmp_path: Path, project: Path) -> None:  # noqa: F811
    first = _json(tmp_path, "register", "import", project, "findings", REPORT, "--json")
    listed = run(tmp_path, "register", "list", project, "findings", "--json").stdout
    again = run(tmp_path, "register", "import", project, "findings", REPORT)
    assert again.returncode == 0, again.stderr
    assert f"0 created, 0 updated, {first['created']} unchanged" in again.stdout
    assert f"run #{first['run']}:" in again.stdout
    assert f"already imported as run #{first['run']}: nothing was written" in again.stdout
    second = _json(tmp_path, "register", "import", project, "findings", REPORT, "--json")
    assert (second["created"], second["unchanged"], second["already_run"]) == (0, first["created"], first["run"])

    runs = run(tmp_path, "findings", "runs", project)
    assert runs.returncode == 0 and len(runs.stdout.strip().splitlines()) == 1, runs.stdout
    assert run(tmp_path, "register", "list", project, "findings", "--json").stdout == listed
    assert len(json.loads(listed)) == first["created"]


def test_header_row_and_sheet_do_not_apply_to_a_tool_report(tmp_path: Path, project: Path) -> None:  # noqa: F811
    for option, value in (("--header-row", "99"), ("--sheet", "Findings")):
        refused = run(tmp_path, "register", "import", project, "findings", REPORT, option, value)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert refused.stderr.strip().splitlines() == [
            f"error: {option} : does not apply to security-tool reports: their format and columns are found by "
            "content; leave it out"]
    assert run(tmp_path, "findings", "runs", project).stdout.startswith("no tool runs")
