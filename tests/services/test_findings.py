"""Tool findings (issue 25) through the services: the real tools' reports import with the counts and statuses their
files hold, read back from the reopened project; two Prowler runs a month apart show new, fixed and still-failing
checks; coverage per criterion; a failing check becomes a task; a run filed as evidence is dated the day its data
reflects; every change undoes; bad and hostile reports change nothing."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.services.test_services_registers import digest
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.domain.tool_runs import Coverage
from workbench.services.controls import add_control, list_tasks
from workbench.services.evidence import list_evidence
from workbench.services.findings import (
    compare_runs,
    criteria_coverage,
    import_report,
    list_runs,
    make_task,
    run_findings,
    use_as_evidence,
)
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import FINDINGS
from workbench.services.registers import list_register

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"

# file, tool, format, findings, failed, manual (the counts and statuses SOURCES.md gives for each file)
REAL = [
    ("prowler_default_aws.csv", "prowler", "prowler-csv", 4, 2, 2),
    ("prowler_ocsf_azure.ocsf.json", "prowler", "prowler-ocsf", 5, 5, 0),
    ("trivy_image_alpine310.json", "trivy", "trivy-image", 4, 4, 0),
    ("trivy_config_helm.json", "trivy", "trivy-config", 18, 18, 0),
    ("securityhub_asff_guardduty.json", "aws-securityhub", "securityhub-asff", 4, 4, 0),
]


def _real(name: str) -> Path:
    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


@pytest.fixture
def monitored(new_project):
    add_control(new_project, ControlDraft("MON-01", "Monthly cloud security scan review", frequency=Frequency.MONTHLY,
                                          nature=Nature.AUTOMATED, criteria=("CC7.1", "CC7.2")))
    return new_project


@pytest.mark.parametrize(("name", "tool", "fmt", "total", "failed", "manual"), REAL)
def test_real_reports_import_with_their_counts_read_back_after_reopening(
        new_project, project_path, reopen, name, tool, fmt, total, failed, manual):
    report = import_register(new_project, FINDINGS, _real(name))
    assert (report["tool"], report["format"], report["rows"], report["created"]) == (tool, fmt, total, total)
    assert (report["failed"], report["manual"]) == (failed, manual)
    assert report["sheet"] is None if name.endswith(".json") else report["sheet"] is not None
    new_project.close()
    with reopen(project_path) as project:
        (run,) = list_runs(project)
        assert (run.run.tool, run.run.format, run.total, run.failed, run.manual) == (tool, fmt, total, failed, manual)
        findings = run_findings(project, run.id)
        assert len(findings) == total and sum(f.status.value == "fail" for f in findings) == failed
        listed = list_register(project, FINDINGS)
        assert len(listed) == total and {r["tool"] for r in listed} == {tool}


def test_two_prowler_runs_a_month_apart_show_new_fixed_and_still_failing(new_project):
    first = import_register(new_project, FINDINGS, FIXTURES / "prowler_run_2025-01.csv")
    second = import_register(new_project, FINDINGS, FIXTURES / "prowler_run_2025-02.csv")
    old, new, diff = compare_runs(new_project, second["run"], first["run"])  # either order: older first
    assert (old.id, new.id) == (first["run"], second["run"])
    assert [f.check_id for f in diff.new_failures] == ["guardduty_is_enabled", "rds_instance_backup_enabled"]
    assert [(f.check_id, f.resource) for f in diff.fixed] == [
        ("iam_user_mfa_enabled_console_access", "arn:aws:iam::111122223333:user/bo")]
    assert [f.check_id for f in diff.still_failing] == ["cloudtrail_multi_region_enabled",
                                                        "s3_bucket_default_encryption"]


def test_runs_of_different_tools_are_not_compared(new_project):
    prowler = import_register(new_project, FINDINGS, FIXTURES / "prowler_run_2025-01.csv")
    trivy = import_register(new_project, FINDINGS, FIXTURES / "trivy_v1.json")
    with pytest.raises(WorkbenchError, match="different tools or scopes"):
        compare_runs(new_project, prowler["run"], trivy["run"])
    with pytest.raises(WorkbenchError, match=f"run {prowler['run']} : is one run; compare two runs"):
        compare_runs(new_project, prowler["run"], prowler["run"])


def test_coverage_follows_the_latest_run_of_each_tool(new_project):
    import_register(new_project, FINDINGS, FIXTURES / "prowler_run_2025-01.csv")
    judged = {row.criterion: row.coverage for row in criteria_coverage(new_project)}
    assert judged["CC6.1"] is Coverage.AUTOMATED_FAIL  # a console user without MFA in January
    assert judged["CC7.3"] is Coverage.MANUAL_ONLY  # GuardDuty left to a person in January
    assert judged["CC1.1"] is Coverage.NOTHING
    assert "A1.2" not in judged  # Availability is not in this project's scope
    import_register(new_project, FINDINGS, FIXTURES / "prowler_run_2025-02.csv")
    judged = {row.criterion: row.coverage for row in criteria_coverage(new_project)}
    assert judged["CC7.3"] is Coverage.AUTOMATED_FAIL  # the February run checked it and it failed


def test_a_failing_check_becomes_a_task_and_undo_removes_it(monitored):
    run = import_register(monitored, FINDINGS, FIXTURES / "prowler_run_2025-02.csv", details=[("control", "MON-01")])
    change = make_task(monitored, run["run"], "s3_bucket_default_encryption")
    (task,) = [t for t in list_tasks(monitored) if t.id == change.value]
    assert "s3_bucket_default_encryption" in task.title and "arn:aws:s3:::reports" in task.description
    assert task.control_ref == "MON-01"
    change.inverse(monitored)
    assert all(t.id != change.value for t in list_tasks(monitored))
    with pytest.raises(WorkbenchError, match="does not fail"):
        make_task(monitored, run["run"], "iam_root_mfa_enabled")


def test_a_run_used_as_evidence_is_dated_the_day_its_data_reflects_and_undoes(monitored):
    run = import_register(monitored, FINDINGS, FIXTURES / "prowler_run_2025-01.csv")
    assert list_evidence(monitored) == []  # kept as bytes, filed only when asked
    change = use_as_evidence(monitored, run["run"], "MON-01")
    (evidence,) = list_evidence(monitored)
    assert (evidence.control_ref, evidence.sha256, evidence.period_start, evidence.period_end) == (
        "MON-01", run["sha256"], date(2025, 1, 6), date(2025, 1, 6))
    assert list_runs(monitored)[0].evidence_id == evidence.id
    redo = change.inverse(monitored)
    assert list_evidence(monitored) == [] and list_runs(monitored)[0].evidence_id is None
    redo.inverse(monitored)
    assert len(list_evidence(monitored)) == 1


def test_an_import_with_a_control_files_the_run_and_undo_takes_it_all_back(monitored):
    change = import_report(monitored, FIXTURES / "prowler_run_2025-01.csv", "MON-01")
    assert change.value["control"] == "MON-01" and change.value["failed"] == 3
    (evidence,) = list_evidence(monitored)
    assert evidence.period_start == date(2025, 1, 6)
    change.inverse(monitored)
    assert list_runs(monitored) == [] and list_evidence(monitored) == []  # the bytes stay, as removed evidence's do


def _truncated(tmp_path: Path) -> Path:
    text = (FIXTURES / "securityhub_lowercase.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return path


def _bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


def _unknown_columns(tmp_path: Path) -> Path:
    path = tmp_path / "other.csv"
    path.write_text("Name;Colour\nann;blue\n", encoding="utf-8")
    return path


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "junk.json"
    path.write_bytes(b"\x00\x01\x02" * 100)
    return path


@pytest.mark.parametrize("make", [_truncated, _bomb, _unknown_columns, _binary])
def test_bad_and_hostile_reports_get_one_message_naming_the_file_and_change_nothing(monitored, tmp_path, make):
    path = make(tmp_path)
    before = digest(monitored)
    with pytest.raises(WorkbenchError) as raised:
        import_register(monitored, FINDINGS, path, details=[("control", "MON-01")])
    assert path.name in str(raised.value)
    assert digest(monitored) == before


def test_an_unknown_control_is_refused_and_nothing_is_imported(new_project):
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match="NOPE"):
        import_register(new_project, FINDINGS, FIXTURES / "prowler_run_2025-01.csv", details=[("control", "NOPE")])
    assert digest(new_project) == before


def test_the_pdf_package_and_the_workbook_summarise_each_run_used_as_evidence(monitored, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from tests.services.test_export_pdf import _outline, _text
    from workbench.services.exports.pdf_package import export_pdf
    from workbench.services.exports.workbook import export_xlsx

    hostile = tmp_path / "hostile.csv"
    text = (FIXTURES / "prowler_run_2025-01.csv").read_text(encoding="utf-8")
    hostile.write_text(text.replace("111122223333;brightpath-prod", '=HYPERLINK("http://x");<b>prod</b>')
                       .replace(";5.4.0", ";=1+2"), encoding="utf-8")
    filed = import_register(monitored, FINDINGS, hostile, details=[("control", "MON-01")])
    import_register(monitored, FINDINGS, FIXTURES / "prowler_run_2025-02.csv")  # not used as evidence: not listed
    assert '=HYPERLINK("http://x")' in filed["scope"]
    export_xlsx(monitored, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["Tool runs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Run", "Tool", "Version") and len(rows) == 2
    assert rows[1][1] == "prowler" and rows[1][6:10] == (2, 3, 1, "MON-01") and rows[1][10] == filed["sha256"]
    version = sheet.cell(row=2, column=3)
    assert filed["tool_version"] == "=1+2" and (version.data_type, version.value) == ("s", "=1+2")  # not a formula
    export_pdf(monitored, tmp_path / "out.pdf")
    reader = PdfReader(tmp_path / "out.pdf")
    assert "Security tool runs used as evidence" in [title for _depth, title, _page in _outline(reader)]
    words = _text(reader)
    assert "<b>prod</b>" in words and filed["sha256"][:20] in words.replace("\n", "")


def test_a_run_used_as_evidence_verifies_in_the_zip_binder(monitored, tmp_path):
    from workbench.services.exports.binder import export_zip

    filed = import_register(monitored, FINDINGS, FIXTURES / "prowler_run_2025-01.csv", details=[("control", "MON-01")])
    with zipfile.ZipFile(export_zip(monitored, tmp_path / "binder.zip")) as binder:
        (sums,) = [n for n in binder.namelist() if n.endswith("/SHA256SUMS")]
        root = sums.rsplit("/", 1)[0]
        listed = dict(reversed(line.split("  ", 1)) for line in binder.read(sums).decode("utf-8").splitlines())
        (name,) = [n for n in listed if n.endswith("prowler_run_2025-01.csv")]
        assert name.startswith("MON-01 ") and listed[name] == filed["sha256"]
        assert hashlib.sha256(binder.read(f"{root}/{name}")).hexdigest() == filed["sha256"]


def test_moving_the_projects_dates_moves_a_runs_date_and_its_evidence_not_its_findings(monitored):
    from datetime import timedelta

    import_register(monitored, FINDINGS, FIXTURES / "prowler_run_2025-01.csv", details=[("control", "MON-01")])
    (before,) = list_runs(monitored)
    findings = run_findings(monitored, before.id)
    with monitored.uow() as uow:
        uow.shift_dates(lambda day, _bound: day + timedelta(days=7))
        uow.commit()
    (after,) = list_runs(monitored)
    assert after.run.reflects_at == before.run.reflects_at + timedelta(days=7)
    assert after.run.sha256 == before.run.sha256 and run_findings(monitored, after.id) == findings
    assert list_evidence(monitored)[0].period_start == date(2025, 1, 13)


def test_an_encrypted_project_keeps_the_tools_words_and_report_unreadable_in_the_file(memory_keyring, tmp_path,
                                                                                     clock, monkeypatch):
    from dataclasses import replace

    from tests.conftest import DEFAULT_SPEC
    from workbench.domain.encryption import EncryptionChoice
    from workbench.services.integrity import check_project
    from workbench.services.project import create_project
    from workbench.services.session import open_project
    from workbench.store import crypto

    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)
    secret = "DETAILSECRET4242 the root account has keys"
    report = tmp_path / "run.csv"
    report.write_text((FIXTURES / "prowler_run_2025-01.csv").read_text(encoding="utf-8")
                      .replace("Root account has MFA: PASS", secret), encoding="utf-8")
    path = tmp_path / "locked.soc2"
    project = create_project(path, replace(DEFAULT_SPEC, encryption=EncryptionChoice()), clock=clock)
    try:
        filed = import_register(project, FINDINGS, report)
        assert any(f.detail == secret for f in run_findings(project, filed["run"]))
    finally:
        project.close()
    assert secret.encode() not in path.read_bytes()
    with open_project(path, clock=clock) as reopened:
        (run,) = list_runs(reopened)
        assert run_findings(reopened, run.id)[0].detail == secret
        assert all(result.ok for result in check_project(reopened))


def test_a_clean_scan_is_a_run_with_no_findings_and_still_evidence(monitored, tmp_path):
    import json

    report = json.loads((FIXTURES / "trivy_v1.json").read_text(encoding="utf-8"))
    clean = tmp_path / "clean.json"
    if isinstance(report, list):
        for result in report:
            result["Vulnerabilities"] = None
    else:
        for result in report.get("Results") or ():
            result.pop("Vulnerabilities", None)
            result.pop("Misconfigurations", None)
    clean.write_text(json.dumps(report), encoding="utf-8")
    filed = import_register(monitored, FINDINGS, clean, details=[("control", "MON-01")])
    assert (filed["rows"], filed["failed"], filed["tool"]) == (0, 0, "trivy")
    (run,) = list_runs(monitored)
    assert run.total == 0 and run.evidence_id == list_evidence(monitored)[0].id
