"""Tool findings on the command line, as real processes: `register import PROJECT findings FILE --control REF --json`
adds the tool's counts and criteria; `register list` and `findings runs` read them back; two Prowler runs a month
apart diff; the run filed as evidence appears in `evidence list` and covers its month in `calendar`; coverage per
criterion; bad reports get one error line, exit 2, the project unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Category, Frequency, Nature, ReportType
from workbench.services.controls import add_control
from workbench.services.project import NewProject
from workbench.services.session import OpenProject

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
YEAR_2025 = NewProject(organization="Acme Ltd", system_name="Acme Cloud", report_type=ReportType.TYPE2,
                       categories=(Category.SECURITY,), period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))


@pytest.fixture
def project(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    opened = make_project(tmp_path / "acme.soc2", YEAR_2025)
    add_control(opened, ControlDraft("MON-01", "Monthly cloud security scan review", frequency=Frequency.MONTHLY,
                                     nature=Nature.MANUAL, criteria=("CC7.1", "CC7.2")))
    opened.close()
    return tmp_path / "acme.soc2"


def _json(tmp_path: Path, *args: object) -> object:
    result = run(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_list_diff_and_the_run_as_evidence_in_the_calendar(tmp_path: Path, project: Path) -> None:
    first = _json(tmp_path, "register", "import", project.name, "findings", FIXTURES / "prowler_run_2025-01.csv",
                  "--control", "MON-01", "--json")
    assert (first["tool"], first["format"], first["passed"], first["failed"], first["manual"]) == (
        "prowler", "prowler-csv", 2, 3, 1)
    assert "CC6.1" in first["criteria"] and first["control"] == "MON-01"
    second = _json(tmp_path, "register", "import", project.name, "findings", FIXTURES / "prowler_run_2025-02.csv",
                   "--json")
    runs = _json(tmp_path, "findings", "runs", project.name, "--json")
    assert [(r["id"], r["control"], r["failed"]) for r in runs] == [(first["run"], "MON-01", 3),
                                                                    (second["run"], None, 4)]
    listed = _json(tmp_path, "register", "list", project.name, "findings", "--json")
    assert len(listed) == 12 and {r["run"] for r in listed} == {first["run"], second["run"]}
    diff = _json(tmp_path, "findings", "diff", project.name, first["run"], second["run"], "--json")
    assert [f["check_id"] for f in diff["new_failures"]] == ["guardduty_is_enabled", "rds_instance_backup_enabled"]
    assert [f["check_id"] for f in diff["fixed"]] == ["iam_user_mfa_enabled_console_access"]
    assert len(diff["still_failing"]) == 2
    evidence = _json(tmp_path, "evidence", "list", project.name, "--json")
    assert [(e["control"], e["sha256"], e["in_period"]) for e in evidence] == [
        ("MON-01", _sha(FIXTURES / "prowler_run_2025-01.csv"), True)]
    calendar = _json(tmp_path, "calendar", project.name, "--json")
    january = [w for w in calendar if w["control"] == "MON-01" and w["window_start"] == "2025-01-01"]
    february = [w for w in calendar if w["control"] == "MON-01" and w["window_start"] == "2025-02-01"]
    assert january[0]["status"] == "covered" and february[0]["status"] != "covered"
    filed = run(tmp_path, "findings", "evidence", project.name, second["run"], "--control", "MON-01")
    assert filed.returncode == 0, filed.stderr
    calendar = _json(tmp_path, "calendar", project.name, "--json")
    assert [w["status"] for w in calendar if w["window_start"] == "2025-02-01"] == ["covered"]
    coverage = {r["criterion"]: r["coverage"] for r in _json(tmp_path, "findings", "coverage", project.name, "--json")}
    assert coverage["CC7.2"] == "automated_fail" and coverage["CC1.1"] == "nothing"
    task = run(tmp_path, "findings", "task", project.name, second["run"], "rds_instance_backup_enabled")
    assert task.returncode == 0 and "rds_instance_backup_enabled" in task.stdout
    assert run(tmp_path, "register", "export", project.name, "findings", "out.xlsx").returncode == 0
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet.max_row == 13 and "Check ID" in [c.value for c in sheet[1]]


def test_real_reports_import_on_the_command_line(tmp_path: Path, project: Path) -> None:
    for name, total in (("prowler_ocsf_azure.ocsf.json", 5), ("trivy_config_helm.json", 18)):
        path = REALWORLD / name
        if not path.exists():
            pytest.skip(f"{path} is not here")
        report = _json(tmp_path, "register", "import", project.name, "findings", path, "--json")
        assert (report["sheet"], report["rows"], report["failed"]) == (None, total, total)


@pytest.mark.parametrize(("content", "phrase"), [
    (b'{"Findings": [{"Id": "x", ', "bad.json"),
    (b"Name;Colour\nann;blue\n", "reports we read"),
    (b"[" * 50_000 + b"]" * 50_000, "nested"),
])
def test_bad_reports_get_one_error_line_and_change_nothing(tmp_path: Path, project: Path, content: bytes,
                                                           phrase: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = _sha(project)
    result = run(tmp_path, "register", "import", project.name, "findings", bad.name, "--control", "MON-01")
    assert_one_error_line(result, phrase)
    assert _sha(project) == before


def test_runs_of_different_tools_are_refused_in_one_line(tmp_path: Path, project: Path) -> None:
    a = _json(tmp_path, "register", "import", project.name, "findings", FIXTURES / "prowler_run_2025-01.csv", "--json")
    b = _json(tmp_path, "register", "import", project.name, "findings", FIXTURES / "trivy_v1.json", "--json")
    assert_one_error_line(run(tmp_path, "findings", "diff", project.name, a["run"], b["run"], "--json"),
                          "different tools")
    assert_one_error_line(run(tmp_path, "findings", "diff", project.name, a["run"], 99, "--json"), "99")
