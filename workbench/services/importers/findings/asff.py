"""AWS Security Finding Format (ASFF): Security Hub's findings export and Prowler's ASFF output.

An export wraps the findings as {"Findings": [...]} (the CLI) or {"findings": [...]}; Prowler writes a bare array.
A control check carries Compliance.Status (PASSED, FAILED, WARNING, NOT_AVAILABLE) and, from Prowler,
Compliance.RelatedRequirements such as "SOC2: cc_6_1, cc_7_2"; a threat finding (GuardDuty, Inspector) has no
Compliance block: active, it is a failure; resolved or archived, it no longer is. Workflow.Status SUPPRESSED is muted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from workbench.domain.findings import Finding, FindingStatus, ToolRun, severity_of
from workbench.services.importers.findings.criteria import mapped_criteria
from workbench.services.importers.findings.json_stream import JsonProbe, dig, items, listed_items, objects, text
from workbench.services.importers.findings.report import ToolReport, first_or, report_time, soc2_criteria
from workbench.services.importers.findings.source import ReportFile

PROWLER = "prowler-asff"
SECURITY_HUB = "securityhub-asff"
_COMPLIANCE = {"PASSED": FindingStatus.PASS, "FAILED": FindingStatus.FAIL, "WARNING": FindingStatus.MANUAL,
               "NOT_AVAILABLE": FindingStatus.MANUAL}
_ASFF_KEYS = {"SchemaVersion", "ProductArn", "GeneratorId", "AwsAccountId"}


def records_path(found: JsonProbe) -> str | None:
    """Return the path of an ASFF report's findings ("Findings.item", "findings.item" or "item"), None for others."""
    for path in ("Findings.item", "findings.item", "item"):
        if len(found.keys_at(path) & _ASFF_KEYS) >= 2:
            return path
    if found.top == "object" and found.keys_at("") & {"Findings", "findings"} and \
            not found.keys_at("") - {"Findings", "findings", "NextToken"}:
        return "Findings.item" if "Findings" in found.keys_at("") else "findings.item"
    return None


def _is_prowler(found: JsonProbe, path: str) -> bool:
    return text(found.value(f"{path}.ProductFields.ProviderName")).lower() == "prowler" or \
        str(found.value(f"{path}.GeneratorId") or "").startswith("prowler-")


def is_prowler(found: JsonProbe) -> bool:
    """Return True for Prowler's ASFF output."""
    path = records_path(found)
    return path is not None and _is_prowler(found, path)


def is_security_hub(found: JsonProbe) -> bool:
    """Return True for ASFF findings from Security Hub (or any product other than Prowler)."""
    path = records_path(found)
    return path is not None and not _is_prowler(found, path)


def _check(record: dict[str, Any]) -> str:
    control = text(record, "Compliance", "SecurityControlId") or text(record, "ProductFields", "ControlId") or \
        text(record, "ProductFields", "RuleId")
    if control:
        return control
    generator = text(record, "GeneratorId")
    if generator.startswith("prowler-"):
        return generator.removeprefix("prowler-")
    if generator.startswith("arn:") and text(record, "Types", 0):
        return text(record, "Types", 0)  # a detector's ARN names no check; the finding's type does
    return generator


def _status(record: dict[str, Any]) -> FindingStatus:
    if text(record, "Workflow", "Status").upper() == "SUPPRESSED":
        return FindingStatus.MUTED
    compliance = _COMPLIANCE.get(text(record, "Compliance", "Status").upper())
    if compliance is not None:
        return compliance
    closed = text(record, "Workflow", "Status").upper() == "RESOLVED" or \
        text(record, "RecordState").upper() == "ARCHIVED"
    return FindingStatus.PASS if closed else FindingStatus.FAIL


def _requirements(record: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Return (framework, ids) from Compliance.RelatedRequirements ("SOC2: cc_6_1, cc_7_2" or "SOC2 CC6.1")."""
    related = dig(record, "Compliance", "RelatedRequirements")
    found: list[tuple[str, list[str]]] = []
    for entry in related if isinstance(related, list) else ():
        name, sep, ids = str(entry).partition(":")
        if not sep:
            name, _, ids = str(entry).strip().partition(" ")
        found.append((name.strip(), [i for i in re.split(r"[,\s]+", ids) if i]))
    return found


def _run(report: ReportFile, name: str, first: tuple[int, dict[str, Any]] | None) -> ToolRun:
    record = first[1] if first else {}
    prowler = name == PROWLER
    version = text(record, "ProductFields", "ProviderVersion") or ("" if prowler else text(record, "SchemaVersion"))
    stamps = [(f"first finding's {key}", dig(record, key)) for key in ("UpdatedAt", "CreatedAt")]
    reflects = report_time(report.path, stamps, report.modified)
    return ToolRun("prowler" if prowler else "aws-securityhub", version, name, text(record, "AwsAccountId"), reflects,
                   report.sha256, report.path.name)


def read(report: ReportFile, found: JsonProbe) -> ToolReport:
    """Read ASFF findings (Prowler's or Security Hub's)."""
    path = records_path(found) or "item"
    name = PROWLER if _is_prowler(found, path) else SECURITY_HUB
    tool = "prowler" if name == PROWLER else "securityhub"
    values = items(report, path) if path == "item" else listed_items(report, path.removesuffix(".item"))
    run, records = first_or(objects(report, values, "finding"), lambda f: _run(report, name, f))

    def findings() -> Iterator[Finding]:
        for number, record in records:
            check = _check(record)
            resource = dig(record, "Resources", 0)
            service = text(record, "ProductName") or text(record, "ProductFields", "aws/securityhub/ProductName")
            yield Finding(check, text(record, "Title"), text(resource, "Id"), _status(record),
                          severity_of(text(record, "Severity", "Label")),
                          soc2_criteria(_requirements(record)) or mapped_criteria(tool, check), service,
                          text(record, "Region") or text(resource, "Region"), text(record, "Description"), number)

    return ToolReport(run, findings())
