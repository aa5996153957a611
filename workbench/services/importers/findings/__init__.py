"""Reading security tools' reports (Prowler, Security Hub, IAM credential reports, Steampipe, Trivy) as findings.

`read_report(path)` recognises the format by the file's content (never its name) and returns the run and its
findings, streamed; `detect_format(path)` names the format. Anything unreadable raises WorkbenchError naming the
file (and the row where one is at fault).
"""

from __future__ import annotations

from pathlib import Path

from workbench.services.importers.findings.formats import TABLE_FORMATS, format_labels
from workbench.services.importers.findings.report import ToolReport, table_rows
from workbench.services.importers.findings.source import MAX_REPORT_BYTES, open_report, refused

__all__ = ["MAX_REPORT_BYTES", "ToolReport", "detect_format", "format_labels", "read_report"]


def _unknown(path: Path, what: str) -> Exception:
    return refused(path, f"{what}; the reports we read are: {', '.join(format_labels())}")


def read_report(path: Path | str) -> ToolReport:
    """Read a tool's report: its run now, its findings as they are consumed; raise WorkbenchError when unfit."""
    report = open_report(path)
    table = table_rows(report)
    for fmt in TABLE_FORMATS:
        if fmt.matches(table):
            return fmt.read(report, table)
    table.close()
    raise _unknown(report.path, "is a table whose columns are not those of a report we read")


def detect_format(path: Path | str) -> str:
    """Return the name of the report format the file's content is in; raise WorkbenchError when it is none."""
    report = open_report(path)
    table = table_rows(report)
    try:
        for fmt in TABLE_FORMATS:
            if fmt.matches(table):
                return fmt.name
    finally:
        table.close()
    raise _unknown(report.path, "is a table whose columns are not those of a report we read")
