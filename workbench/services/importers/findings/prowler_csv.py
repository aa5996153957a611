"""Prowler's text outputs: the default CSV (one row per check and resource) and the per-framework compliance CSV.

Both are semicolon-separated with upper-case headers. The default CSV's COMPLIANCE cell lists each framework's
requirement ids, `CIS-1.4: 1.20 | SOC2: cc_6_1, cc_7_2`; the compliance CSV has one row per requirement, check and
resource, its REQUIREMENTS_ID written `cc_2_1` for SOC 2. Prowler 3 named a few columns differently (ACCOUNT_ID,
RESOURCE_ARN, ASSESSMENT_START_TIME, FINDING_UNIQUE_ID): both spellings are read.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.domain.findings import Finding, FindingStatus, ToolRun, criteria_of, severity_of
from workbench.services.importers.findings.criteria import mapped_criteria
from workbench.services.importers.findings.report import (
    TableRows,
    ToolReport,
    bad_status,
    first_or,
    missing,
    report_time,
    soc2_criteria,
    tool_status,
)
from workbench.services.importers.findings.source import ReportFile

STATUSES = {"PASS": FindingStatus.PASS, "FAIL": FindingStatus.FAIL, "MANUAL": FindingStatus.MANUAL,
            "INFO": FindingStatus.MANUAL, "MUTED": FindingStatus.MUTED}
DEFAULT = "prowler-csv"
COMPLIANCE = "prowler-compliance-csv"


def is_default(headers: frozenset[str]) -> bool:
    """Return True for the headers of Prowler's default CSV."""
    return {"CHECK_ID", "STATUS"} <= headers and bool(headers & {"PROWLER_VERSION", "FINDING_UID",
                                                                  "FINDING_UNIQUE_ID", "STATUS_EXTENDED"})


def is_compliance(headers: frozenset[str]) -> bool:
    """Return True for the headers of Prowler's compliance CSV."""
    return {"REQUIREMENTS_ID", "STATUS", "CHECKID"} <= headers


def _cell(row: dict[str, str], *names: str) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def _status(report: ReportFile, number: int, row: dict[str, str]) -> FindingStatus:
    status = tool_status(row.get("STATUS"), STATUSES)
    if status is None:
        raise bad_status(report.path, number, row.get("STATUS"), STATUSES)
    if row.get("MUTED", "").strip().lower() == "true":
        return FindingStatus.MUTED
    return status


def _compliance_cell(text: str) -> tuple[str, ...]:
    """Return the SOC 2 criteria in a default CSV's COMPLIANCE cell."""
    frameworks = []
    for part in text.split("|"):
        name, _, ids = part.partition(":")
        frameworks.append((name.strip(), [i.strip() for i in ids.split(",")]))
    return soc2_criteria(frameworks)


def _run(report: ReportFile, format_name: str, head: tuple[int, dict[str, str]] | None,
         time_columns: tuple[str, ...], scope_columns: tuple[str, ...]) -> ToolRun:
    row = head[1] if head else {}
    scope = " ".join(p for p in (row.get("PROVIDER", ""), _cell(row, *scope_columns)) if p)
    reflects = report_time(report.path, [(f"{name} of row {head[0]}", row.get(name)) for name in time_columns if head],
                           report.modified)
    return ToolRun("prowler", _cell(row, "PROWLER_VERSION"), format_name, scope, reflects, report.sha256,
                   report.path.name)


def read_default(report: ReportFile, table: TableRows) -> ToolReport:
    """Read Prowler's default CSV."""
    missing(report.path, table.headers, ("CHECK_ID", "STATUS"), "a Prowler CSV report")
    run, rows = first_or(table.rows, lambda head: _run(report, DEFAULT, head, ("TIMESTAMP", "ASSESSMENT_START_TIME"),
                                                        ("ACCOUNT_UID", "ACCOUNT_ID")))

    def findings() -> Iterator[Finding]:
        for number, row in rows:
            check = row.get("CHECK_ID", "")
            criteria = _compliance_cell(row.get("COMPLIANCE", "")) or mapped_criteria("prowler", check)
            yield Finding(check, row.get("CHECK_TITLE", ""),
                          _cell(row, "RESOURCE_UID", "RESOURCE_ARN", "RESOURCE_ID", "RESOURCE_NAME"),
                          _status(report, number, row), severity_of(row.get("SEVERITY")), criteria,
                          row.get("SERVICE_NAME", ""), row.get("REGION", ""), row.get("STATUS_EXTENDED", ""), number)

    return ToolReport(run, findings())


def read_compliance(report: ReportFile, table: TableRows) -> ToolReport:
    """Read Prowler's per-framework compliance CSV (SOC 2 requirement ids become criteria)."""
    run, rows = first_or(table.rows, lambda head: _run(report, COMPLIANCE, head, ("ASSESSMENTDATE",),
                                                        ("ACCOUNTID", "SUBSCRIPTIONID", "PROJECTID", "CONTEXT")))

    def findings() -> Iterator[Finding]:
        for number, row in rows:
            check = row.get("CHECKID", "")
            framework = row.get("FRAMEWORK", "")
            own = soc2_criteria([(framework, [row.get("REQUIREMENTS_ID", "")])]) if framework else \
                criteria_of([row.get("REQUIREMENTS_ID", "")])
            title = " ".join(p for p in (row.get("REQUIREMENTS_ID", ""), row.get("REQUIREMENTS_DESCRIPTION", "")) if p)
            yield Finding(check, title, _cell(row, "RESOURCEID", "RESOURCENAME"), _status(report, number, row), "",
                          own or mapped_criteria("prowler", check), row.get("REQUIREMENTS_ATTRIBUTES_SERVICE", ""),
                          row.get("REGION", ""), row.get("STATUSEXTENDED", ""), number)

    return ToolReport(run, findings())
