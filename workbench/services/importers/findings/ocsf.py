"""Prowler's OCSF JSON: an array of OCSF findings, Detection Finding (class 2004) or Compliance Finding (class 2003).

A detection finding carries Prowler's compliance mapping in `unmapped.compliance` (framework -> requirement ids);
a compliance finding names its framework in `compliance.standards` and its requirements in
`compliance.requirements`. Prowler writes a muted finding with status "Suppressed".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workbench.domain.findings import Finding, FindingStatus, ToolRun, severity_of
from workbench.services.importers.findings.criteria import mapped_criteria
from workbench.services.importers.findings.json_stream import JsonProbe, dig, items, objects, text
from workbench.services.importers.findings.report import (
    ToolReport,
    bad_status,
    first_or,
    report_time,
    soc2_criteria,
    tool_status,
)
from workbench.services.importers.findings.source import ReportFile

NAME = "prowler-ocsf"
STATUSES = {"PASS": FindingStatus.PASS, "FAIL": FindingStatus.FAIL, "MANUAL": FindingStatus.MANUAL,
            "INFO": FindingStatus.MANUAL, "WARNING": FindingStatus.MANUAL}


def matches(found: JsonProbe) -> bool:
    """Return True for an array of OCSF findings."""
    keys = found.keys_at("item")
    return found.top == "array" and bool(keys & {"class_uid", "metadata"}) and \
        bool(keys & {"finding_info", "status_code", "compliance"})


def _criteria(record: dict[str, Any], check: str) -> tuple[str, ...]:
    mapping = dig(record, "unmapped", "compliance")
    own: tuple[str, ...] = ()
    if isinstance(mapping, dict):
        own = soc2_criteria((str(k), [str(i) for i in v] if isinstance(v, list) else [str(v)])
                            for k, v in mapping.items())
    standards = dig(record, "compliance", "standards")
    requirements = dig(record, "compliance", "requirements")
    if not own and isinstance(standards, list) and isinstance(requirements, list):
        own = soc2_criteria((str(s), [str(r) for r in requirements]) for s in standards)
    return own or mapped_criteria("prowler", check)


def _status(report: ReportFile, number: int, record: dict[str, Any]) -> FindingStatus:
    if text(record, "status").lower() == "suppressed":
        return FindingStatus.MUTED
    word = text(record, "status_code") or text(record, "compliance", "status_code") or \
        text(record, "compliance", "status")
    status = tool_status(word, STATUSES)
    if status is None:
        raise bad_status(report.path, number, word, STATUSES)
    return status


def _run(report: ReportFile, first: tuple[int, dict[str, Any]] | None) -> ToolRun:
    record = first[1] if first else {}
    scope = " ".join(p for p in (text(record, "cloud", "provider"), text(record, "cloud", "account", "uid")) if p)
    reflects = report_time(report.path, [(f"first finding's {key}", dig(record, key)) for key in ("time_dt", "time")],
                           report.modified)
    tool = (text(record, "metadata", "product", "name") or "prowler").lower()
    return ToolRun(tool, text(record, "metadata", "product", "version"), NAME, scope, reflects, report.sha256,
                   report.path.name)


def read(report: ReportFile, _found: JsonProbe) -> ToolReport:
    """Read Prowler's OCSF JSON."""
    run, records = first_or(objects(report, items(report, "item"), "finding"), lambda f: _run(report, f))

    def findings() -> Iterator[Finding]:
        for number, record in records:
            check = text(record, "metadata", "event_code") or text(record, "compliance", "control") or \
                text(record, "finding_info", "uid")
            resource = dig(record, "resources", 0)
            yield Finding(check, text(record, "finding_info", "title"),
                          text(resource, "uid") or text(resource, "name"), _status(report, number, record),
                          severity_of(text(record, "severity")), _criteria(record, check),
                          text(resource, "group", "name"), text(resource, "region") or text(record, "cloud", "region"),
                          text(record, "status_detail") or text(record, "message"), number)

    return ToolReport(run, findings())
