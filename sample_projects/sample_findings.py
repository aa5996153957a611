"""Brightpath's security scans for the sample: two Prowler runs of the production AWS account a month apart (in
Prowler's default CSV, about forty checks mapped to SOC 2 criteria, a few failing, some fixed by the second run; the
later one filed as evidence of CM-04 at the date its data reflects) and one Trivy scan of the API's container image.
Every text here is our own; check ids follow Prowler's and Trivy's naming so the mapping table applies."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

ACCOUNT = "482910375566"
PROWLER_VERSION = "5.4.0"
HEADERS = ("AUTH_METHOD", "TIMESTAMP", "ACCOUNT_UID", "ACCOUNT_NAME", "FINDING_UID", "PROVIDER", "CHECK_ID",
           "CHECK_TITLE", "STATUS", "STATUS_EXTENDED", "MUTED", "SERVICE_NAME", "SEVERITY", "RESOURCE_UID",
           "RESOURCE_NAME", "REGION", "COMPLIANCE", "PROWLER_VERSION")
FIRST_RUN, SECOND_RUN = "2026-08-03 06:00:00.000000", "2026-09-01 06:00:00.000000"
EVIDENCE_CONTROL = "CM-04"  # the later run evidences the hardened baseline

# check id, title, service, severity, resource (ARN tail), SOC 2 requirement ids (Prowler's spelling)
CHECKS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("iam_root_mfa_enabled", "Root account has hardware MFA", "iam", "critical", "iam::{a}:root", "cc_6_1"),
    ("iam_root_hardware_mfa_enabled", "Root sign-in uses a hardware key", "iam", "critical", "iam::{a}:root",
     "cc_6_1"),
    ("iam_no_root_access_key", "Root has no access keys", "iam", "critical", "iam::{a}:root", "cc_6_1"),
    ("iam_user_mfa_enabled_console_access", "Console users sign in with MFA", "iam", "high",
     "iam::{a}:user/break-glass", "cc_6_1"),
    ("iam_password_policy_minimum_length_14", "Password policy asks for 14 characters", "iam", "medium",
     "iam::{a}:root", "cc_6_1"),
    ("iam_user_accesskey_unused", "Access keys unused for 45 days are removed", "iam", "medium",
     "iam::{a}:user/ci-legacy", "cc_6_2, cc_6_3"),
    ("iam_rotate_access_key_90_days", "Access keys are rotated within 90 days", "iam", "medium",
     "iam::{a}:user/ci-deploy", "cc_6_1"),
    ("iam_policy_no_administrative_privileges", "No custom policy grants full admin", "iam", "high",
     "iam::{a}:policy/platform-ops", "cc_6_3"),
    ("iam_support_role_created", "A support role handles AWS cases", "iam", "low", "iam::{a}:role/support",
     "cc_2_3"),
    ("cloudtrail_multi_region_enabled", "A trail records every region", "cloudtrail", "high",
     "cloudtrail:eu-west-1:{a}:trail/org-trail", "cc_7_2"),
    ("cloudtrail_log_file_validation_enabled", "Trail log files are validated", "cloudtrail", "medium",
     "cloudtrail:eu-west-1:{a}:trail/org-trail", "cc_7_2"),
    ("cloudtrail_kms_encryption_enabled", "Trail logs are encrypted with a KMS key", "cloudtrail", "medium",
     "cloudtrail:eu-west-1:{a}:trail/org-trail", "cc_6_1, cc_7_2"),
    ("cloudtrail_s3_dataevents_read_enabled", "Object reads on data buckets are logged", "cloudtrail", "low",
     "cloudtrail:eu-west-1:{a}:trail/org-trail", "cc_7_2"),
    ("cloudwatch_log_metric_filter_root_usage", "An alarm fires on root sign-in", "cloudwatch", "medium",
     "logs:eu-west-1:{a}:log-group/org-trail", "cc_7_2, cc_7_3"),
    ("cloudwatch_log_group_retention_policy_specific_days_enabled", "Log groups keep a year of logs",
     "cloudwatch", "medium", "logs:eu-west-1:{a}:log-group/insights-api", "cc_7_2"),
    ("config_recorder_all_regions_enabled", "Configuration changes are recorded in every region", "config",
     "medium", "config:eu-west-1:{a}:recorder/default", "cc_7_1"),
    ("guardduty_is_enabled", "Threat detection is on", "guardduty", "high",
     "guardduty:eu-west-1:{a}:detector/7ac1", "cc_7_2, cc_7_3"),
    ("guardduty_no_high_severity_findings", "No high-severity threat finding is open", "guardduty", "high",
     "guardduty:eu-west-1:{a}:detector/7ac1", "cc_7_3"),
    ("securityhub_enabled", "The findings hub is on", "securityhub", "medium",
     "securityhub:eu-west-1:{a}:hub/default", "cc_7_1, cc_7_2"),
    ("s3_bucket_default_encryption", "Buckets encrypt objects by default", "s3", "medium",
     "s3:::bp-insights-exports", "cc_6_1, cc_6_7"),
    ("s3_bucket_public_access", "No bucket is open to the public", "s3", "critical", "s3:::bp-insights-exports",
     "cc_6_1, cc_6_6"),
    ("s3_bucket_secure_transport_policy", "Buckets refuse plain HTTP", "s3", "medium", "s3:::bp-insights-exports",
     "cc_6_7"),
    ("s3_bucket_versioning_enabled", "Buckets keep earlier versions", "s3", "low", "s3:::bp-insights-backups",
     "a_1_2"),
    ("s3_bucket_server_access_logging_enabled", "Bucket access is logged", "s3", "low",
     "s3:::bp-insights-exports", "cc_7_2"),
    ("s3_account_level_public_access_blocks", "The account blocks public buckets", "s3", "high", "s3:{a}",
     "cc_6_1, cc_6_6"),
    ("ec2_ebs_default_encryption", "New volumes are encrypted", "ec2", "medium", "ec2:eu-west-1:{a}:account",
     "cc_6_1"),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", "No security group opens SSH to all", "ec2",
     "high", "ec2:eu-west-1:{a}:security-group/sg-0bastion", "cc_6_6"),
    ("ec2_instance_imdsv2_enabled", "Instances require metadata tokens", "ec2", "medium",
     "ec2:eu-west-1:{a}:instance/i-0worker", "cc_7_1"),
    ("ec2_instance_public_ip", "Workers have no public address", "ec2", "medium",
     "ec2:eu-west-1:{a}:instance/i-0worker", "cc_6_6"),
    ("vpc_flow_logs_enabled", "VPC flow logs are on", "vpc", "medium", "ec2:eu-west-1:{a}:vpc/vpc-0prod", "cc_7_2"),
    ("rds_instance_storage_encrypted", "Databases are encrypted at rest", "rds", "high",
     "rds:eu-west-1:{a}:cluster:insights-prod", "cc_6_1"),
    ("rds_instance_backup_enabled", "Databases are backed up", "rds", "high",
     "rds:eu-west-1:{a}:cluster:insights-prod", "a_1_2"),
    ("rds_instance_multi_az", "Databases stand in two zones", "rds", "medium",
     "rds:eu-west-1:{a}:cluster:insights-prod", "a_1_2"),
    ("rds_instance_deletion_protection", "Databases cannot be deleted by mistake", "rds", "medium",
     "rds:eu-west-1:{a}:cluster:insights-prod", "a_1_2"),
    ("rds_instance_no_public_access", "Databases are not public", "rds", "critical",
     "rds:eu-west-1:{a}:cluster:insights-prod", "cc_6_6"),
    ("kms_cmk_rotation_enabled", "Customer keys rotate yearly", "kms", "medium", "kms:eu-west-1:{a}:key/4f1e",
     "cc_6_1"),
    ("elbv2_ssl_listeners", "Load balancers listen on TLS only", "elbv2", "medium",
     "elasticloadbalancing:eu-west-1:{a}:loadbalancer/app/insights", "cc_6_7"),
    ("elbv2_waf_acl_attached", "A web firewall fronts the load balancer", "elbv2", "medium",
     "elasticloadbalancing:eu-west-1:{a}:loadbalancer/app/insights", "cc_6_6"),
    ("backup_plans_exist", "A backup plan covers production", "backup", "medium",
     "backup:eu-west-1:{a}:backup-plan/prod-daily", "a_1_2"),
    ("account_maintain_current_contact_details", "Security contact details are current", "account", "medium",
     "iam::{a}:root", "cc_2_3"),
    ("ssm_managed_compliant_patching", "Managed instances are patched", "ssm", "high",
     "ec2:eu-west-1:{a}:instance/i-0worker", "cc_7_1"),
)
FAIL_FIRST = frozenset({"iam_user_mfa_enabled_console_access", "iam_user_accesskey_unused",
                        "s3_bucket_server_access_logging_enabled", "ec2_instance_imdsv2_enabled",
                        "cloudwatch_log_group_retention_policy_specific_days_enabled",
                        "ssm_managed_compliant_patching"})
FAIL_SECOND = frozenset({"s3_bucket_server_access_logging_enabled", "ssm_managed_compliant_patching",
                         "elbv2_waf_acl_attached"})  # four fixed, two still failing, one new
MANUAL = frozenset({"account_maintain_current_contact_details", "iam_support_role_created"})


def prowler_rows(timestamp: str, failing: frozenset[str]) -> list[tuple[str, ...]]:
    """Return a Prowler default CSV of the account's checks at this time, `failing` failing, MANUAL manual."""
    rows: list[tuple[str, ...]] = [HEADERS]
    for number, (check, title, service, severity, tail, soc2) in enumerate(CHECKS, start=1):
        status = "MANUAL" if check in MANUAL else "FAIL" if check in failing else "PASS"
        resource = f"arn:aws:{tail.format(a=ACCOUNT)}"
        rows.append(("profile: audit", timestamp, ACCOUNT, "brightpath-prod", f"prowler-aws-{check}-{ACCOUNT}-{number}",
                     "aws", check, title, status, f"{title}: {status.lower()} on {resource.rsplit(':', 1)[-1]}.",
                     "False", service, severity, resource, resource.rsplit("/", 1)[-1], "eu-west-1",
                     f"SOC2: {soc2}", PROWLER_VERSION))
    return rows


def trivy_report() -> dict[str, Any]:
    """Return a Trivy image scan of the API's container image (schema 2; our own advisory text)."""
    vulns = [("CVE-2026-10421", "libssl3", "3.0.13-r0", "3.0.15-r1", "HIGH", "TLS library: crafted record crash"),
             ("CVE-2026-11873", "busybox", "1.36.1-r15", "1.36.1-r19", "MEDIUM", "Shell utility: path handling"),
             ("CVE-2026-12033", "zlib", "1.3.1-r0", "", "LOW", "Compression library: slow inflate"),
             ("GHSA-7x2q-88fq-3m4v", "urllib3", "2.2.1", "2.2.3", "MEDIUM", "HTTP client: redirect keeps header")]
    return {"SchemaVersion": 2, "CreatedAt": "2026-09-14T07:30:00.000000000Z",
            "ArtifactName": "registry.brightpath.example.com/insights-api:2026.09.2", "ArtifactType": "container_image",
            "Metadata": {"OS": {"Family": "alpine", "Name": "3.20.3"}},
            "Trivy": {"Version": "0.56.2"},
            "Results": [{"Target": "insights-api:2026.09.2 (alpine 3.20.3)", "Class": "os-pkgs", "Type": "alpine",
                         "Vulnerabilities": [_vuln(*v) for v in vulns[:3]]},
                        {"Target": "Python", "Class": "lang-pkgs", "Type": "python-pkg",
                         "Vulnerabilities": [_vuln(*vulns[3])]}]}


def _vuln(ident: str, package: str, installed: str, fixed: str, severity: str, title: str) -> dict[str, Any]:
    found = {"VulnerabilityID": ident, "PkgName": package, "InstalledVersion": installed, "Severity": severity,
             "Title": title, "Status": "fixed" if fixed else "affected"}
    return {**found, "FixedVersion": fixed} if fixed else found


def reports(folder: Path) -> list[tuple[Path, str]]:
    """Write the three reports into folder; return (file, control it is filed under or "") in import order.

    The Trivy scan comes first so that the page opens on the later Prowler run, its difference with the earlier one.
    """
    trivy = folder / "trivy-insights-api-2026.09.2.json"
    trivy.write_text(json.dumps(trivy_report(), indent=2), encoding="utf-8")
    written = [(trivy, "")]
    for name, timestamp, failing, control in (
            ("prowler-output-482910375566-20260803.csv", FIRST_RUN, FAIL_FIRST, ""),
            ("prowler-output-482910375566-20260901.csv", SECOND_RUN, FAIL_SECOND, EVIDENCE_CONTROL)):
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=";", lineterminator="\n").writerows(prowler_rows(timestamp, failing))
        written.append((path, control))
    return written


def add_findings(project: Any) -> None:
    """Import the three reports through the findings service (the later Prowler run filed under CM-04)."""
    from workbench.services.findings import import_report

    with tempfile.TemporaryDirectory() as folder:
        for path, control in reports(Path(folder)):
            result = import_report(project, path, control).value
            assert result["created"] and not result["problems"], (path.name, result["problems"])
