"""Trivy's JSON reports: image, filesystem and configuration scans (schema 2), cluster scans, and schema 1.

Schema 2 is an object whose Results each name a Target and list its Vulnerabilities, Misconfigurations and
Secrets; a cluster report (`trivy k8s`) lists Resources (Namespace, Kind, Name), each with such Results (older
cluster reports split them into Vulnerabilities and Misconfigurations lists of resources); schema 1 was a bare
array of Results. A vulnerability or a secret is a failure; a misconfiguration has its own Status (FAIL, PASS,
EXCEPTION).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

from workbench.domain.findings import Finding, FindingStatus, ToolRun, severity_of
from workbench.services.importers.findings.criteria import mapped_criteria
from workbench.services.importers.findings.json_stream import (
    JsonProbe,
    entries,
    items,
    items_where,
    listed_items,
    text,
    type_at,
    type_name,
)
from workbench.services.importers.findings.report import ToolReport, bad_status, report_time, tool_status
from workbench.services.importers.findings.source import ReportFile, refused

IMAGE, CONFIG, FILESYSTEM, CLUSTER, V1 = "trivy-image", "trivy-config", "trivy-filesystem", "trivy-cluster", "trivy-v1"
_MISCONF = {"FAIL": FindingStatus.FAIL, "PASS": FindingStatus.PASS, "EXCEPTION": FindingStatus.MUTED}
_RESULT_KEYS = {"Vulnerabilities", "Misconfigurations", "Secrets", "Class", "Type"}
_CLUSTER_LISTS = ("Resources", "Vulnerabilities", "Misconfigurations")


def kind(found: JsonProbe) -> str | None:
    """Return which Trivy report this is (one of the names above), None for none."""
    top = found.keys_at("")
    if found.top == "array":
        return V1 if "Target" in found.keys_at("item") and found.keys_at("item") & _RESULT_KEYS else None
    if "ClusterName" in top and top & set(_CLUSTER_LISTS):
        return CLUSTER
    if not ({"SchemaVersion", "Results"} <= top or {"SchemaVersion", "ArtifactName"} <= top):
        return None
    if text(found.value("ArtifactType")) in ("container_image", "vm"):
        return IMAGE
    if text(found.value("Results.item.Class")) == "config":
        return CONFIG
    return FILESYSTEM


def _results(record: dict[str, Any], where: str, numbers: Iterator[int], report: ReportFile,
             path: str) -> Iterator[Finding]:
    """Yield the findings of one Result (at JSON `path`), numbered on from `numbers`; `where` prefixes Target."""
    target = " ".join(p for p in (where, text(record, "Target")) if p)
    vulnerabilities = entries(report, record, "Vulnerabilities", path)
    misconfigurations = entries(report, record, "Misconfigurations", path)
    secrets = entries(report, record, "Secrets", path)
    for vuln in vulnerabilities:
        number = next(numbers)
        check = text(vuln, "VulnerabilityID")
        package = " ".join(p for p in (text(vuln, "PkgName"), text(vuln, "InstalledVersion")) if p)
        yield Finding(check, text(vuln, "Title") or check, f"{target}: {package}" if package else target,
                      FindingStatus.FAIL, severity_of(text(vuln, "Severity")), mapped_criteria("trivy", check),
                      text(record, "Type"), "", _vuln_detail(vuln), number)
    for misconf in misconfigurations:
        number = next(numbers)
        check = text(misconf, "ID") or text(misconf, "AVDID")
        word = text(misconf, "Status") or "FAIL"
        status = tool_status(word, _MISCONF)
        if status is None:
            raise bad_status(report.path, number, word, _MISCONF)
        cause = text(misconf, "CauseMetadata", "Resource")
        yield Finding(check, text(misconf, "Title"), " ".join(p for p in (target, cause) if p), status,
                      severity_of(text(misconf, "Severity")), mapped_criteria("trivy", check), text(misconf, "Type"),
                      "", text(misconf, "Message") or text(misconf, "Description"), number)
    for secret in secrets:
        number = next(numbers)
        check = text(secret, "RuleID")
        line = text(secret, "StartLine")
        yield Finding(check, text(secret, "Title"), f"{target}:{line}" if line else target, FindingStatus.FAIL,
                      severity_of(text(secret, "Severity")), mapped_criteria("trivy", f"secret-{check}"),
                      text(secret, "Category"), "", text(secret, "Title"), number)


def _object(report: ReportFile, value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise refused(report.path, f"{path} is {type_name(value)}, not an object")
    return value


def _vuln_detail(vuln: dict[str, Any]) -> str:
    fixed = text(vuln, "FixedVersion")
    return f"fixed in {fixed}" if fixed else (text(vuln, "Status") or "no fix yet")


def _run(report: ReportFile, found: JsonProbe, name: str) -> ToolRun:
    scope = text(found.value("ArtifactName")) or text(found.value("ClusterName"))
    # CreatedAt came with Trivy 0.48 (aquasecurity/trivy#5549); older reports have none: dated by the file's time
    reflects = report_time(report.path, [("CreatedAt", found.value("CreatedAt"))], report.modified)
    version = text(found.value("Trivy.Version")) or (f"schema {text(found.value('SchemaVersion'))}"
                                                     if found.value("SchemaVersion") is not None else "")
    return ToolRun("trivy", version, name, scope, reflects, report.sha256, report.path.name)


def _cluster(report: ReportFile) -> Iterator[Finding]:
    lists = {f"{key}.item": key for key in _CLUSTER_LISTS}
    seen: dict[str, int] = dict.fromkeys(_CLUSTER_LISTS, 0)

    def shape(prefix: str, value: Any) -> None:
        if prefix in seen and value is not None:  # a scalar where a list of resources belongs
            raise refused(report.path, f"{prefix} is {type_name(value)}, not a list")

    numbers = count(1)
    for prefix, value in items_where(report, lists.__contains__, shape):
        key = lists[prefix]
        path = f"{key}[{seen[key]}]"
        seen[key] += 1
        resource = _object(report, value, path)
        where = "/".join(p for p in (text(resource, "Namespace"), text(resource, "Kind"), text(resource, "Name")) if p)
        for index, result in enumerate(entries(report, resource, "Results", path)):
            yield from _results(result, where, numbers, report, f"{path}.Results[{index}]")
    if not any(seen.values()):
        for key in _CLUSTER_LISTS:
            found = type_at(report, key)
            if found not in (None, "a list", "null"):
                raise refused(report.path, f"{key} is {found}, not a list")


def read(report: ReportFile, found: JsonProbe) -> ToolReport:
    """Read a Trivy JSON report of any kind."""
    name = kind(found) or FILESYSTEM
    run = _run(report, found, name)
    if name == CLUSTER:
        return ToolReport(run, _cluster(report))

    def findings() -> Iterator[Finding]:
        numbers = count(1)
        results = items(report, "item") if name == V1 else listed_items(report, "Results")
        for index, value in enumerate(results):
            path = f"[{index}]" if name == V1 else f"Results[{index}]"
            yield from _results(_object(report, value, path), "", numbers, report, path)

    return ToolReport(run, findings())

