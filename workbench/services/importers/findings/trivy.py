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
from workbench.services.importers.findings.json_stream import JsonProbe, items, items_where, objects, text
from workbench.services.importers.findings.report import ToolReport, bad_status, tool_status, utc
from workbench.services.importers.findings.source import ReportFile

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


def _results(record: dict[str, Any], where: str, numbers: Iterator[int], report: ReportFile) -> Iterator[Finding]:
    """Yield the findings of one Result, numbered on from `numbers`; `where` (a cluster resource) prefixes Target."""
    target = " ".join(p for p in (where, text(record, "Target")) if p)
    for vuln in _listed(record, "Vulnerabilities"):
        number = next(numbers)
        check = text(vuln, "VulnerabilityID")
        package = " ".join(p for p in (text(vuln, "PkgName"), text(vuln, "InstalledVersion")) if p)
        yield Finding(check, text(vuln, "Title") or check, f"{target}: {package}" if package else target,
                      FindingStatus.FAIL, severity_of(text(vuln, "Severity")), mapped_criteria("trivy", check),
                      text(record, "Type"), "", _vuln_detail(vuln), number)
    for misconf in _listed(record, "Misconfigurations"):
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
    for secret in _listed(record, "Secrets"):
        number = next(numbers)
        check = text(secret, "RuleID")
        line = text(secret, "StartLine")
        yield Finding(check, text(secret, "Title"), f"{target}:{line}" if line else target, FindingStatus.FAIL,
                      severity_of(text(secret, "Severity")), mapped_criteria("trivy", f"secret-{check}"),
                      text(secret, "Category"), "", text(secret, "Title"), number)


def _listed(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _vuln_detail(vuln: dict[str, Any]) -> str:
    fixed = text(vuln, "FixedVersion")
    return f"fixed in {fixed}" if fixed else (text(vuln, "Status") or "no fix yet")


def _run(report: ReportFile, found: JsonProbe, name: str) -> ToolRun:
    scope = text(found.value("ArtifactName")) or text(found.value("ClusterName"))
    reflects = utc(text(found.value("CreatedAt"))) or report.modified
    version = text(found.value("Trivy.Version")) or (f"schema {text(found.value('SchemaVersion'))}"
                                                     if found.value("SchemaVersion") is not None else "")
    return ToolRun("trivy", version, name, scope, reflects, report.sha256, report.path.name)


def _cluster(report: ReportFile) -> Iterator[Finding]:
    def wanted(prefix: str) -> bool:
        return prefix in ("Resources.item", "Vulnerabilities.item", "Misconfigurations.item")

    numbers = count(1)
    for _, resource in objects(report, (value for _, value in items_where(report, wanted)), "resource"):
        where = "/".join(p for p in (text(resource, "Namespace"), text(resource, "Kind"), text(resource, "Name")) if p)
        for result in _listed(resource, "Results"):
            yield from _results(result, where, numbers, report)


def read(report: ReportFile, found: JsonProbe) -> ToolReport:
    """Read a Trivy JSON report of any kind."""
    name = kind(found) or FILESYSTEM
    run = _run(report, found, name)
    if name == CLUSTER:
        return ToolReport(run, _cluster(report))
    path = "item" if name == V1 else "Results.item"

    def findings() -> Iterator[Finding]:
        numbers = count(1)
        for _, result in objects(report, items(report, path), "result"):
            yield from _results(result, "", numbers, report)

    return ToolReport(run, findings())

