"""A security tool's report that carries no scan or report time is never dated silently: the import says, in its
text and in --json, that the run is dated by the file's modification time and why that is weak; --generated-at
states the day instead, and is refused when it contradicts a time the report gives. Each reader's fallback is
checked: Trivy before 0.48, Steampipe CSV, OCSF, ASFF and Prowler CSV without their time fields."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli.test_cli_findings import FIXTURES, REALWORLD, project  # noqa: F401
from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.services.importers.kinds.findings import read_findings

MTIME = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
OLD_TRIVY = {"SchemaVersion": 2, "ArtifactName": "alpine:3.10", "ArtifactType": "container_image",
             "Results": [{"Target": "alpine", "Vulnerabilities": [
                 {"VulnerabilityID": "CVE-2019-1", "PkgName": "musl", "InstalledVersion": "1.1", "Severity": "HIGH",
                  "Title": "t"}]}]}


def _dated(path: Path) -> Path:
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    return path


def _old_trivy(tmp_path: Path) -> Path:
    path = tmp_path / "old-trivy.json"
    path.write_text(json.dumps(OLD_TRIVY), encoding="utf-8")
    return _dated(path)


def test_a_report_without_a_time_says_it_is_dated_by_the_file(tmp_path: Path, project: Path) -> None:  # noqa: F811
    report = _old_trivy(tmp_path)
    text = run(tmp_path, "register", "import", project.name, "findings", str(report), "--dry-run")
    assert text.returncode == 0, text.stderr
    warning = ("  warning: old-trivy.json carries no scan or report time, so its data is dated "
               "2026-03-04 10:00:00 UTC, the file's modification time (a copy or a download changes it); give "
               "--generated-at YYYY-MM-DD to state the day the scan ran")
    assert warning in text.stdout.splitlines()
    done = json.loads(run(tmp_path, "register", "import", project.name, "findings", str(report), "--json").stdout)
    assert done["reflects_at"] == "2026-03-04T10:00:00+00:00" and done["reflects_from"] == "file"
    assert [p["message"] for p in done["problems"] if p["level"] == "warning"] == [warning.removeprefix(
        "  warning: ")]


def test_generated_at_dates_a_report_without_a_time(tmp_path: Path, project: Path) -> None:  # noqa: F811
    report = _old_trivy(tmp_path)
    done = json.loads(run(tmp_path, "register", "import", project.name, "findings", str(report), "--generated-at",
                          "2026-02-01", "--json").stdout)
    assert done["reflects_at"] == "2026-02-01T00:00:00+00:00" and done["reflects_from"] == "option"
    assert done["problems"] == []
    listed = run(tmp_path, "findings", "runs", project.name, "--json")
    assert listed.returncode == 0, listed.stderr
    assert "2026-02-01" in listed.stdout and "2026-03-04" not in listed.stdout


def test_generated_at_that_contradicts_the_report_is_refused(tmp_path: Path, project: Path) -> None:  # noqa: F811
    report = FIXTURES / "prowler_run_2025-01.csv"
    refused = run(tmp_path, "register", "import", project.name, "findings", str(report), "--generated-at", "2025-02-01")
    assert_one_error_line(refused, "prowler_run_2025-01.csv", "the report states its own time, 2025-01-06 09:00:00 UTC",
                          "--generated-at 2025-02-01 contradicts it")
    agreed = json.loads(run(tmp_path, "register", "import", project.name, "findings", str(report), "--generated-at",
                            "2025-01-06", "--json").stdout)
    assert agreed["reflects_at"] == "2025-01-06T09:00:00+00:00" and agreed["reflects_from"] == "report"
    assert not [p for p in agreed["problems"] if p["level"] == "warning"]


def _without(name: str, *keys: str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        records = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        for record in records:
            for key in keys:
                record.pop(key, None)
        path = tmp_path / name
        path.write_text(json.dumps(records), encoding="utf-8")
        return path
    return make


def _prowler_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bare.csv"
    path.write_text("CHECK_ID;STATUS;STATUS_EXTENDED\niam_root_mfa_enabled;FAIL;no MFA\n", encoding="utf-8")
    return path


def _copy(name: str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes((FIXTURES / name).read_bytes())
        return path
    return make


@pytest.mark.parametrize("make", [_old_trivy, _copy("steampipe_check.csv"), _prowler_csv,
                                  _without("prowler_ocsf_compliance.json", "time", "time_dt"),
                                  _without("securityhub_bare_array.json", "UpdatedAt", "CreatedAt")],
                         ids=["trivy", "steampipe-csv", "prowler-csv", "ocsf", "asff"])
def test_every_reader_marks_a_report_dated_by_its_file(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    table = read_findings(_dated(make(tmp_path)))
    assert table.undated and table.run is not None and table.run.reflects_at == MTIME


@pytest.mark.parametrize("name", ["prowler_run_2025-01.csv", "prowler_ocsf_compliance.json", "prowler_asff.json",
                                  "securityhub_bare_array.json"])
def test_a_report_with_its_own_time_is_not_marked(name: str) -> None:
    assert not read_findings(FIXTURES / name).undated


@pytest.mark.parametrize("name", ["trivy_image_alpine310.json", "trivy_config_helm.json", "prowler_default_aws.csv",
                                  "prowler_ocsf_azure.ocsf.json", "securityhub_asff_guardduty.json"])
def test_real_reports_that_carry_a_time_are_not_marked(name: str) -> None:
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {REALWORLD}")
    assert not read_findings(path).undated
