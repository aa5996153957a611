"""Reading security tools' reports: the real outputs in ../shared/realworld, fixtures written from each documented
schema, detection by content, hostile files, memory on a large report, and the difference between two runs."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.domain.findings import Finding, FindingStatus, diff_runs
from workbench.services.importers.findings import MAX_REPORT_BYTES, detect_format, format_labels, read_report, source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
if not REALWORLD.is_dir():
    REALWORLD = Path("/work/shared/realworld")
BENCH = Path(__file__).resolve().parents[2] / "bench" / "findings_bench.py"


def realworld(name: str) -> Path:
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {REALWORLD} (the real-world test material is not checked in)")
    return path


def read_all(path: Path) -> tuple[str, list[Finding]]:
    report = read_report(path)
    return report.run.format, list(report.findings)


def statuses(findings: list[Finding]) -> dict[str, int]:
    return dict(Counter(f.status.value for f in findings))


def refusal(path: Path) -> str:
    with pytest.raises(WorkbenchError) as caught:
        read_all(path)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    return message


# -- the real tools' outputs --------------------------------------------------------------------------------------

def test_prowler_default_csv_reads_every_row_with_its_status() -> None:
    path = realworld("prowler_default_aws.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    fmt, findings = read_all(path)
    assert fmt == "prowler-csv"
    assert len(findings) == len(rows) == 4
    assert statuses(findings) == {k.lower(): v for k, v in Counter(r["STATUS"] for r in rows).items()}
    assert [f.check_id for f in findings] == [r["CHECK_ID"] for r in rows]
    assert [f.severity for f in findings] == [r["SEVERITY"] for r in rows]
    run = read_report(path).run
    assert run.tool == "prowler" and run.reflects_at == datetime(2025, 2, 14, 14, 27, 3, 913874, tzinfo=UTC)
    assert all(f.criteria for f in findings)  # no SOC2 in its COMPLIANCE cells: our table maps every check


def test_prowler_ocsf_reads_every_finding_with_its_status_and_severity() -> None:
    path = realworld("prowler_ocsf_azure.ocsf.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    fmt, findings = read_all(path)
    assert fmt == "prowler-ocsf"
    assert len(findings) == len(records) == 5
    assert statuses(findings) == {k.lower(): v for k, v in Counter(r["status_code"] for r in records).items()}
    assert Counter(f.severity for f in findings) == Counter(r["severity"].lower() for r in records)
    assert [f.check_id for f in findings] == [r["metadata"]["event_code"] for r in records]
    run = read_report(path).run
    assert (run.tool, run.version, run.scope) == ("prowler", "5.4.0", "azure <subscription_uid>")


def test_security_hub_export_reads_every_guardduty_finding_as_a_failure() -> None:
    path = realworld("securityhub_asff_guardduty.json")
    records = json.loads(path.read_text(encoding="utf-8"))["Findings"]
    fmt, findings = read_all(path)
    assert fmt == "securityhub-asff"
    assert len(findings) == len(records) == 4
    assert statuses(findings) == {"fail": 4}  # no Compliance block; Workflow NEW: active threats
    assert Counter(f.severity for f in findings) == Counter(r["Severity"]["Label"].lower() for r in records)
    assert [f.check_id for f in findings] == [r["Types"][0] for r in records]
    assert all("CC7.2" in f.criteria for f in findings)
    assert read_report(path).run.scope == "123456789012"


def test_trivy_image_reads_each_vulnerable_package() -> None:
    path = realworld("trivy_image_alpine310.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    vulns = [v for r in document["Results"] for v in r.get("Vulnerabilities") or []]
    fmt, findings = read_all(path)
    assert fmt == "trivy-image"
    assert len(findings) == len(vulns) == 4
    assert statuses(findings) == {"fail": 4}
    assert len({f.key for f in findings}) == 4  # the same CVEs on two packages stay apart
    assert Counter(f.check_id for f in findings) == Counter(v["VulnerabilityID"] for v in vulns)
    assert read_report(path).run.reflects_at == datetime(2021, 8, 25, 12, 20, 30, tzinfo=UTC)


def test_trivy_config_reads_each_misconfiguration() -> None:
    path = realworld("trivy_config_helm.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    misconfs = [m for r in document["Results"] for m in r.get("Misconfigurations") or []]
    fmt, findings = read_all(path)
    assert fmt == "trivy-config"
    assert len(findings) == len(misconfs) == 18
    assert statuses(findings) == {k.lower(): v for k, v in Counter(m["Status"] for m in misconfs).items()}
    assert Counter(f.severity for f in findings) == Counter(m["Severity"].lower() for m in misconfs)


# -- fixtures written from each documented schema ----------------------------------------------------------------

FIXTURE_CASES = {
    "prowler_compliance_soc2_aws.csv": ("prowler-compliance-csv", {"pass": 1, "fail": 2, "manual": 1, "muted": 1}),
    "prowler_asff.json": ("prowler-asff", {"pass": 1, "fail": 2}),
    "prowler_ocsf_compliance.json": ("prowler-ocsf", {"pass": 1, "fail": 1}),
    "securityhub_lowercase.json": ("securityhub-asff", {"fail": 1, "muted": 1, "pass": 1}),
    "securityhub_bare_array.json": ("securityhub-asff", {"manual": 1, "pass": 1}),
    "iam_credential_report.csv": ("aws-iam-credential-report", {"pass": 6, "fail": 5}),
    "steampipe_check.csv": ("steampipe-csv", {"pass": 1, "fail": 2, "muted": 1, "manual": 1}),
    "steampipe_check.json": ("steampipe-json", {"pass": 1, "fail": 2, "muted": 1, "manual": 1}),
    "trivy_cluster.json": ("trivy-cluster", {"fail": 3, "pass": 1, "muted": 1}),
    "trivy_v1.json": ("trivy-v1", {"fail": 3}),
    "prowler_run_2025-01.csv": ("prowler-csv", {"pass": 2, "fail": 3, "manual": 1}),
    "prowler_run_2025-02.csv": ("prowler-csv", {"pass": 2, "fail": 4}),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_CASES))
def test_each_fixture_reads_with_its_format_and_statuses(name: str) -> None:
    fmt, expected = FIXTURE_CASES[name]
    found_format, findings = read_all(FIXTURES / name)
    assert (found_format, statuses(findings)) == (fmt, expected)
    assert read_report(FIXTURES / name).document == name.endswith(".json")
    assert detect_format(FIXTURES / name) == fmt
    assert all(f.check_id and f.resource for f in findings)


def test_tools_own_soc2_mapping_wins_over_our_table() -> None:
    _, compliance = read_all(FIXTURES / "prowler_compliance_soc2_aws.csv")
    assert [f.criteria for f in compliance] == [("CC6.1",), ("CC6.1",), ("CC7.2",), ("CC2.1",), ("A1.2",)]
    _, asff = read_all(FIXTURES / "prowler_asff.json")
    assert [f.criteria for f in asff] == [("CC6.1",), ("CC6.1",), ("CC7.2", "CC7.3")]
    assert asff[0].check_id == "iam_user_mfa_enabled_console_access"
    _, steampipe = read_all(FIXTURES / "steampipe_check.json")
    assert [f.criteria for f in steampipe] == [("CC6.1",), ("CC6.1",), ("CC7.2",), ("CC7.2",), ("A1.2",)]
    _, ocsf = read_all(FIXTURES / "prowler_ocsf_compliance.json")
    assert [(f.check_id, f.criteria) for f in ocsf] == [("iam_user_mfa_enabled_console_access", ("CC6.1",)),
                                                        ("cloudtrail_multi_region_enabled", ("CC7.2", "CC7.3"))]
    _, ours = read_all(FIXTURES / "trivy_v1.json")
    assert {f.criteria for f in ours} == {("CC7.1",)}


def test_iam_credential_report_judges_each_user() -> None:
    report = read_report(FIXTURES / "iam_credential_report.csv")
    findings = list(report.findings)
    assert report.run.reflects_at == datetime(2025, 3, 2, 7, 0, tzinfo=UTC)  # its latest date
    assert report.run.scope == "111122223333"
    failed = {(f.check_id, f.resource.rsplit("/", 1)[-1]) for f in findings if f.status is FindingStatus.FAIL}
    assert failed == {
        ("console_user_mfa_active", "bo"),
        ("unused_console_password", "bo"),
        ("access_key_rotated_90_days", "bo access key 1"),
        ("access_key_rotated_90_days", "ci-deploy access key 2"),
        ("root_not_used_90_days", "arn:aws:iam::111122223333:root"),
    }


def test_cluster_findings_name_the_workload() -> None:
    _, findings = read_all(FIXTURES / "trivy_cluster.json")
    assert findings[0].resource == "default/Deployment/web nginx:1.14.2 (debian 9.8): apt 1.4.8"
    assert [f.status for f in findings if f.check_id == "KSV-0017"] == [FindingStatus.MUTED]


def test_two_prowler_runs_a_month_apart_show_new_fixed_and_still_failing() -> None:
    _, january = read_all(FIXTURES / "prowler_run_2025-01.csv")
    _, february = read_all(FIXTURES / "prowler_run_2025-02.csv")
    diff = diff_runs(january, february)
    assert [f.check_id for f in diff.new_failures] == ["guardduty_is_enabled", "rds_instance_backup_enabled"]
    assert [f.check_id for f in diff.fixed] == ["iam_user_mfa_enabled_console_access"]
    assert [f.check_id for f in diff.still_failing] == ["cloudtrail_multi_region_enabled",
                                                        "s3_bucket_default_encryption"]
    assert diff.fixed[0].row == 3 and diff.new_failures[0].row == 7


# -- recognised by content, not name -----------------------------------------------------------------------------

def test_detection_never_uses_the_file_name(tmp_path: Path) -> None:
    sources = [FIXTURES / name for name in FIXTURE_CASES]
    sources += [p for p in (REALWORLD / n for n in ("prowler_default_aws.csv", "prowler_ocsf_azure.ocsf.json",
                                                     "securityhub_asff_guardduty.json")) if p.is_file()]
    for number, original in enumerate(sources):
        for suffix in (".txt", ".json", ".csv", ""):
            renamed = tmp_path / f"upload{number}{suffix}"
            shutil.copyfile(original, renamed)
            assert detect_format(renamed) == detect_format(original), (original.name, suffix)


def test_utf16_and_bom_reports_read_the_same(tmp_path: Path) -> None:
    for name in ("prowler_asff.json", "prowler_run_2025-01.csv", "steampipe_check.json"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        for encoding in ("utf-16", "utf-16-le", "utf-8-sig"):
            copy = tmp_path / f"{encoding}-{name}"
            copy.write_bytes(text.encode(encoding))
            assert read_all(copy)[1] == read_all(FIXTURES / name)[1], (name, encoding)


# -- hostile and unfit files -------------------------------------------------------------------------------------

def test_unknown_table_is_refused_listing_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,email,team\nAna,ana@example.com,ops\n", encoding="utf-8")
    message = refusal(path)
    assert "'name', 'email', 'team'" in message  # as the file writes them
    for label in format_labels():
        assert label in message


def test_unknown_json_is_refused_listing_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    path.write_text('{"name": "x", "items": [1, 2]}', encoding="utf-8")
    message = refusal(path)
    assert "not a report we read" in message and "Trivy image JSON" in message and "Prowler default CSV" in message


@pytest.mark.parametrize(("content", "why"), [
    (b"", "empty"),
    (b"   \n\n  ", "blank space"),
    (b"[]", "empty list"),
    (b"\x00\x01\x02\x89PNG\x00\x00" * 500, "binary"),
    (b"[" * 100_000, "nested more than"),
    (b'{"Findings": [' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"]}", "nested more than"),
    (b"[1, 2, 3]", "not a report"),
])
def test_unfit_files_are_refused_with_one_clear_message(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(content)
    assert why in refusal(path)


def test_brackets_inside_text_do_not_count_as_nesting(tmp_path: Path) -> None:
    records = json.loads((FIXTURES / "prowler_asff.json").read_text(encoding="utf-8"))
    records[0]["Description"] = "[" * 5_000 + ' "quoted" \\ ' + "{" * 5_000
    path = tmp_path / "brackets.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    assert len(read_all(path)[1]) == 3


def test_nesting_is_followed_across_chunk_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = json.loads((FIXTURES / "prowler_asff.json").read_text(encoding="utf-8"))
    records[0]["Description"] = '[[ "{ \\' * 300 + "]"
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    bomb = tmp_path / "bomb.json"
    bomb.write_text('[{"a": "x\\\\", "b": ' + "[" * 300 + "1" + "]" * 300 + "}]", encoding="utf-8")
    expected = {name: read_all(FIXTURES / name) for name in FIXTURE_CASES if name.endswith(".json")}
    expected["escapes.json"] = read_all(path)
    for size in (1, 2, 3, 7, 64):
        monkeypatch.setattr(source, "CHUNK", size)
        for name, read in expected.items():
            assert read_all(path if name == "escapes.json" else FIXTURES / name) == read, (name, size)
        assert "nested more than 200 levels" in refusal(bomb)


def test_truncated_json_is_refused_naming_how_far_it_read(tmp_path: Path) -> None:
    text = (FIXTURES / "prowler_asff.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: int(len(text) * 0.8)], encoding="utf-8")
    assert "is not complete, well-formed JSON: it breaks after 2 records" in refusal(path)


def test_json_that_is_not_utf8_or_has_trailing_text_is_refused(tmp_path: Path) -> None:
    records = json.loads((FIXTURES / "prowler_asff.json").read_text(encoding="utf-8"))
    records[2]["Title"] = "Café check"
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(records, ensure_ascii=False, indent=1).encode("latin-1"))
    assert "is not UTF-8 text (line " in refusal(latin)
    doubled = tmp_path / "doubled.json"
    doubled.write_text(json.dumps(records) + json.dumps(records), encoding="utf-8")
    assert "breaks after 3 records (parse error: trailing garbage)" in refusal(doubled)


def test_a_bad_status_names_its_row(tmp_path: Path) -> None:
    text = (FIXTURES / "prowler_run_2025-01.csv").read_text(encoding="utf-8")
    path = tmp_path / "bad.csv"
    path.write_text(text.replace(";FAIL;", ";BROKEN;", 1), encoding="utf-8")
    assert "row 3: status 'BROKEN' is not one of" in refusal(path)


def test_records_that_are_not_objects_are_refused(tmp_path: Path) -> None:
    records = json.loads((FIXTURES / "securityhub_bare_array.json").read_text(encoding="utf-8"))
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([*records, "stray text"]), encoding="utf-8")
    assert "finding 3 is not a JSON object" in refusal(path)


def test_utf16_text_that_is_no_report_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Meeting notes\nnothing tabular here\n".encode("utf-16"))
    assert "not those of a report we read" in refusal(path)


def test_a_report_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_REPORT_BYTES + 1)  # sparse: nothing written, nothing to read
    start = time.perf_counter()
    assert "larger than 1 GB" in refusal(path)
    assert time.perf_counter() - start < 1


# -- memory ------------------------------------------------------------------------------------------------------

def _bench_module():
    spec = importlib.util.spec_from_file_location("findings_bench", BENCH)
    assert spec is not None and spec.loader is not None
    sys.path.insert(0, str(BENCH.parent))  # the bench imports its _common helper
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH.parent))
    return module


def test_memory_does_not_grow_with_the_report(tmp_path: Path) -> None:
    bench = _bench_module()
    path = tmp_path / "large.ocsf.json"
    count = bench.write_ocsf(path, 0, until_bytes=200 * 2**20, indent=None, long_text=400)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        report = read_report(path)
        read = failed = 0
        for finding in report.findings:
            read += 1
            failed += finding.status is FindingStatus.FAIL
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert read == count > 3_000
    assert failed == sum(1 for n in range(count) if bench.STATUSES[n % 4] == "FAIL" and n % 50)
    assert peak < 50 * 2**20
