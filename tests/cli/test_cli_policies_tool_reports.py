"""A security tool's report given as a policy register (`register import PROJECT policies FILE`) is refused whole in
one line that names the file and points to the findings import, as a control list is: a Prowler CSV or an OCSF JSON
made one policy draft per check title, a Trivy or Security Hub JSON said only that it held no records. The dry run
says it would refuse; the project keeps no policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_findings import FIXTURES, REALWORLD
from tests.cli.test_cli_import import assert_one_error_line, run

POINTER = "; import it as findings (workbench register import PROJECT findings FILE)"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    made = run(tmp_path, "new", "acme.soc2", "--org", "Acme Ltd")
    assert made.returncode == 0, made.stderr
    return tmp_path / "acme.soc2"


def _policies(tmp_path: Path, project: Path) -> list[object]:
    listed = run(tmp_path, "register", "list", project.name, "policies", "--json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.mark.parametrize(("name", "label"), [
    ("prowler_run_2025-01.csv", "Prowler default CSV"),
    ("prowler_compliance_soc2_aws.csv", "Prowler compliance CSV"),
    ("prowler_ocsf_compliance.json", "Prowler OCSF JSON"),
    ("trivy_v1.json", "Trivy JSON, schema 1"),
    ("trivy_cluster.json", "Trivy cluster (k8s) JSON"),
    ("securityhub_bare_array.json", "AWS Security Hub findings (ASFF JSON)"),
    ("steampipe_check.csv", "Steampipe / Powerpipe benchmark CSV"),
])
def test_a_tool_report_given_as_policies_is_refused_whole(tmp_path: Path, project: Path, name: str,
                                                          label: str) -> None:
    report = FIXTURES / name
    said = f"is a security tool's report ({label}), not a"
    refused = run(tmp_path, "register", "import", project.name, "policies", str(report))
    assert_one_error_line(refused, str(report), said, POINTER)
    dry = run(tmp_path, "register", "import", project.name, "policies", str(report), "--dry-run")
    assert_one_error_line(dry, str(report), said, POINTER)
    assert _policies(tmp_path, project) == []


@pytest.mark.parametrize(("name", "label"), [
    ("prowler_default_aws.csv", "Prowler default CSV"),
    ("prowler_ocsf_azure.ocsf.json", "Prowler OCSF JSON"),
    ("trivy_image_alpine310.json", "Trivy image JSON"),
    ("trivy_config_helm.json", "Trivy configuration JSON"),
    ("securityhub_asff_guardduty.json", "AWS Security Hub findings (ASFF JSON)"),
])
def test_real_tool_reports_given_as_policies_are_refused(tmp_path: Path, project: Path, name: str,
                                                         label: str) -> None:
    report = REALWORLD / name
    if not report.is_file():
        pytest.skip(f"{name} is not in {REALWORLD}")
    refused = run(tmp_path, "register", "import", project.name, "policies", str(report))
    assert_one_error_line(refused, str(report), f"is a security tool's report ({label})", POINTER)
    assert _policies(tmp_path, project) == []


def test_a_policy_register_still_imports(tmp_path: Path, project: Path) -> None:
    register = tmp_path / "policies.csv"
    register.write_text("Policy,Owner,Review cycle\nAccess Control Policy,CISO,12\nBackup Policy,CTO,12\n",
                        encoding="utf-8")
    done = run(tmp_path, "register", "import", project.name, "policies", str(register))
    assert done.returncode == 0, done.stderr
    assert [p["title"] for p in _policies(tmp_path, project)] == ["Access Control Policy", "Backup Policy"]
