"""A damaged security-tool report is refused in one line naming the file and the JSON path, never read as a clean
scan: a key of the wrong type, entries that are not objects, and a report time that cannot be read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.findings import read_report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
REALWORLD = Path("/work/shared/realworld")


def _trivy(results: Any, **top: Any) -> dict[str, Any]:
    return {"SchemaVersion": 2, "CreatedAt": "2026-03-01T10:00:00Z", "ArtifactName": "web:1.0",
            "ArtifactType": "container_image", **top, "Results": results}


def _vuln(cve: str) -> dict[str, Any]:
    return {"VulnerabilityID": cve, "PkgName": "openssl", "InstalledVersion": "1.1", "Severity": "HIGH"}


def _write(tmp_path: Path, document: Any, name: str = "report.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(WorkbenchError) as caught:
        list(read_report(path).findings)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    return message


def _count(path: Path) -> int:
    return len(list(read_report(path).findings))


@pytest.mark.parametrize(("results", "said"), [
    ({"x": 1}, "Results is an object, not a list"),
    ("none", "Results is a string, not a list"),
    (["x"], "Results[0] is a string, not an object"),
    ([{"Target": "a", "Vulnerabilities": "none"}], "Results[0].Vulnerabilities is a string, not a list"),
    ([{"Target": "a", "Vulnerabilities": [_vuln("CVE-1")]}, {"Target": "b", "Misconfigurations": {"ID": "x"}}],
     "Results[1].Misconfigurations is an object, not a list"),
    ([{"Target": "a", "Vulnerabilities": [None, 5, "x", {}]}], "Results[0].Vulnerabilities[0] is null, not an object"),
    ([{"Target": "a", "Vulnerabilities": [_vuln("CVE-1"), 5]}], "Results[0].Vulnerabilities[1] is a number, not an "
                                                                 "object"),
    ([{"Target": "a", "Secrets": [True]}], "Results[0].Secrets[0] is true or false, not an object"),
])
def test_a_damaged_trivy_report_is_refused_naming_the_json_path(tmp_path: Path, results: Any, said: str) -> None:
    assert said in _refusal(_write(tmp_path, _trivy(results)))


def test_a_clean_trivy_scan_still_reads_as_clean(tmp_path: Path) -> None:
    """Trivy writes no Results, or a target's Vulnerabilities as null, when it found nothing."""
    assert _count(_write(tmp_path, {k: v for k, v in _trivy([]).items() if k != "Results"}, "none.json")) == 0
    assert _count(_write(tmp_path, _trivy(None), "null.json")) == 0
    assert _count(_write(tmp_path, _trivy([{"Target": "a", "Vulnerabilities": None}]), "target.json")) == 0
    assert _count(_write(tmp_path, _trivy([{"Target": "a", "Vulnerabilities": [_vuln("CVE-1")]}]), "one.json")) == 1


def test_an_unreadable_trivy_time_is_refused_and_a_missing_one_uses_the_file_time(tmp_path: Path) -> None:
    bad = _write(tmp_path, _trivy([], CreatedAt="not a time"), "bad.json")
    assert "its CreatedAt 'not a time' is not a time we can read" in _refusal(bad)
    older = {k: v for k, v in _trivy([]).items() if k != "CreatedAt"}  # before Trivy 0.47 reports had no time
    path = _write(tmp_path, older, "older.json")
    assert read_report(path).run.reflects_at == datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def test_a_damaged_trivy_cluster_report_is_refused(tmp_path: Path) -> None:
    cluster = json.loads((FIXTURES / "trivy_cluster.json").read_text(encoding="utf-8"))
    assert "Resources is a string, not a list" in _refusal(_write(tmp_path, {**cluster, "Resources": "x"}, "a.json"))
    assert "Resources is an object, not a list" in _refusal(_write(tmp_path, {**cluster, "Resources": {}}, "b.json"))
    cluster["Resources"][0]["Results"][0]["Vulnerabilities"] = "none"
    assert "Resources[0].Results[0].Vulnerabilities is a string, not a list" in _refusal(_write(tmp_path, cluster))


def test_a_damaged_real_trivy_report_is_refused(tmp_path: Path) -> None:
    real = REALWORLD / "trivy_image_alpine310.json"
    if not real.is_file():
        pytest.skip(f"{real} is absent (the real-world test material is not checked in)")
    document = json.loads(real.read_text(encoding="utf-8"))
    document["Results"][0]["Vulnerabilities"] = [None, 5, "x", {}]
    assert "Results[0].Vulnerabilities[0] is null, not an object" in _refusal(_write(tmp_path, document))


def test_asff_findings_of_the_wrong_type_or_time_are_refused(tmp_path: Path) -> None:
    assert "Findings is an object, not a list" in _refusal(_write(tmp_path, {"Findings": {}}, "a.json"))
    assert "findings is a string, not a list" in _refusal(_write(tmp_path, {"findings": "x"}, "b.json"))
    records = json.loads((FIXTURES / "securityhub_bare_array.json").read_text(encoding="utf-8"))
    records[0]["UpdatedAt"] = "yesterday"
    assert "first finding's UpdatedAt 'yesterday' is not a time" in _refusal(_write(tmp_path, records, "c.json"))


def test_ocsf_finding_times_that_cannot_be_read_are_refused(tmp_path: Path) -> None:
    records = json.loads((FIXTURES / "prowler_ocsf_compliance.json").read_text(encoding="utf-8"))
    records[0]["time_dt"], records[0]["time"] = "soon", "later"
    assert "first finding's time_dt 'soon' is not a time" in _refusal(_write(tmp_path, records))


def _steampipe() -> dict[str, Any]:
    return json.loads((FIXTURES / "steampipe_check.json").read_text(encoding="utf-8"))


def test_a_damaged_steampipe_benchmark_is_refused(tmp_path: Path) -> None:
    top = {**_steampipe(), "groups": {"x": 1}}
    assert "group 'root_result_group''s groups is an object, not a list" in _refusal(_write(tmp_path, top, "a.json"))
    strings = _steampipe()
    strings["groups"][0]["groups"][0]["controls"] = "none"
    assert "group 'aws_compliance.benchmark.soc_2_cc_6_1''s controls is a string" in \
        _refusal(_write(tmp_path, strings, "b.json"))
    stray = _steampipe()
    stray["groups"][0]["groups"][0]["controls"].append(7)
    assert "a control of group 'aws_compliance.benchmark.soc_2_cc_6_1' is a number, not an object" in \
        _refusal(_write(tmp_path, stray, "c.json"))
    results = _steampipe()
    results["groups"][0]["groups"][0]["controls"][0]["results"] = "ok"
    assert "control 'aws_compliance.control.iam_user_mfa_enabled''s results is a string, not a list" in \
        _refusal(_write(tmp_path, results, "d.json"))
    entries = _steampipe()
    entries["groups"][0]["groups"][0]["controls"][0]["results"].insert(1, None)
    assert "results[1] is null, not an object" in _refusal(_write(tmp_path, entries, "e.json"))


def test_a_prowler_csv_time_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "prowler_run_2025-01.csv").read_text(encoding="utf-8")
    path = tmp_path / "prowler.csv"
    path.write_text(text.replace("2025-01-06 09:00:00.000000", "06/01/2025 nine-ish", 1), encoding="utf-8")
    assert "TIMESTAMP of row 2 '06/01/2025 nine-ish' is not a time we can read" in _refusal(path)


@pytest.mark.parametrize(("content", "said"), [
    ('"just a string"', "is JSON, but a single string, not a report we read; the reports we read are: "),
    ("42\n", "is JSON, but a single number, not a report we read"),
    ("null", "is JSON, but only null, not a report we read"),
    (" true ", "is JSON, but a single true or false, not a report we read"),
])
def test_a_bare_json_value_is_named_as_such_not_as_a_table(tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "bare.json"
    path.write_text(content, encoding="utf-8")
    message = _refusal(path)
    assert said in message and "Trivy image JSON" in message and "table" not in message


def test_an_unknown_table_quotes_its_headers_as_written(tmp_path: Path) -> None:
    path = tmp_path / "controls.csv"
    path.write_text('"Control Title",Owner,"# evil =HYPERLINK(""http://x"")"\nx,y,z\n', encoding="utf-8")
    assert "(first ones: 'Control Title', 'Owner', '# evil =HYPERLINK(\"http://x\")')" in _refusal(path)
    quoted = tmp_path / "quoted.csv"  # a table whose first cell is quoted is a table, not a JSON string
    quoted.write_text('"name"\nAna\n', encoding="utf-8")
    assert "is a table whose columns (first ones: 'name')" in _refusal(quoted)
