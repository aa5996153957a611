"""`register import PROJECT findings FILE` without --json says what a new user needs of the run: the tool, its
version and format, what was scanned and when, the counts by status, the criteria, the control it is filed under;
the criteria links counted are the findings' (the same on a dry run as on the import)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli_findings import FIXTURES, project  # noqa: F401
from tests.cli.test_cli_import import run

REPORT = FIXTURES / "prowler_run_2025-01.csv"


def test_the_import_says_the_run_counts_criteria_and_control(tmp_path: Path, project: Path) -> None:  # noqa: F811
    dry = run(tmp_path, "register", "import", project.name, "findings", str(REPORT), "--dry-run", "--control",
              "MON-01")
    assert dry.returncode == 0, dry.stderr
    said = ("the run: prowler 5.4.0 (prowler-csv) of aws 111122223333, data of 2025-01-06: 2 passed, 3 failed, "
            "1 manual, 0 muted; criteria CC6.1, CC6.7, CC7.2, CC7.3, A1.2; would be filed as evidence of MON-01")
    assert said in dry.stdout
    done = run(tmp_path, "register", "import", project.name, "findings", str(REPORT), "--control", "MON-01")
    assert done.returncode == 0, done.stderr
    assert "run #1: prowler 5.4.0" in done.stdout and "; filed as evidence of MON-01" in done.stdout
    links = [line for line in (dry.stdout + done.stdout).splitlines() if line.endswith("criteria links")]
    document = json.loads(run(tmp_path, "register", "import", project.name, "findings", str(REPORT), "--json").stdout)
    assert len(links) == 2 and all(line.endswith(f"; {document['criteria_links']} criteria links") for line in links)
    assert document["criteria_links"] > 0


def test_a_report_without_a_version_or_scope_is_said_without_gaps(tmp_path: Path, project: Path) -> None:  # noqa: F811
    report = tmp_path / "bare.csv"
    report.write_text("CHECK_ID;STATUS;STATUS_EXTENDED\niam_root_mfa_enabled;FAIL;no MFA\n", encoding="utf-8")
    result = run(tmp_path, "register", "import", project.name, "findings", str(report))
    assert result.returncode == 0, result.stderr
    assert "run #1: prowler (prowler-csv), data of " in result.stdout
