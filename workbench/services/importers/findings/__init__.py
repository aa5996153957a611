"""Reading security tools' reports (Prowler, Security Hub, IAM credential reports, Steampipe, Trivy) as findings.

`read_report(path)` recognises the format by the file's content (never its name) and returns the run and its
findings, streamed; `detect_format(path)` names the format. Anything unreadable raises WorkbenchError naming the
file (and the row where one is at fault).
"""

from __future__ import annotations

from pathlib import Path

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.findings.formats import JSON_FORMATS, TABLE_FORMATS, format_labels
from workbench.services.importers.findings.json_stream import lone_value, probe
from workbench.services.importers.findings.report import ToolReport, table_rows
from workbench.services.importers.findings.source import MAX_REPORT_BYTES, ReportFile, open_report, refused

__all__ = ["MAX_REPORT_BYTES", "ToolReport", "detect_format", "format_labels", "read_report", "tool_report_refusal"]


_LONE = {"a string": "a single string", "a number": "a single number", "true or false": "a single true or false",
         "null": "only null"}


def _unknown(report: ReportFile, what: str) -> WorkbenchError:
    return refused(report.path, f"{what}; the reports we read are: {'; '.join(format_labels())}")


def _dated(read: ToolReport, report: ReportFile) -> ToolReport:
    """Mark a report dated by its file's modification time: every reader's fallback is that very object."""
    read.undated = read.run.reflects_at is report.modified
    return read


def _read(path: Path | str, only_detect: bool) -> ToolReport | str:
    report = open_report(path)
    if report.is_json:
        found = probe(report)
        for fmt in JSON_FORMATS:
            if fmt.matches(found):
                if only_detect:
                    return fmt.name
                read = fmt.read(report, found)
                read.document = True
                return _dated(read, report)
        if found.top == "array" and not found.keys_at("item") and report.head.strip().replace(" ", "") in ("[]", ""):
            raise refused(report.path, "is an empty list: it holds no findings and nothing says which tool wrote it")
        raise _unknown(report, "is JSON, but not a report we read")
    lone = lone_value(report)
    if lone is not None:
        raise _unknown(report, f"is JSON, but {_LONE.get(lone, lone)}, not a report we read")
    table = table_rows(report)
    for fmt in TABLE_FORMATS:
        if fmt.matches(table):
            if only_detect:
                table.close()
                return fmt.name
            return _dated(fmt.read(report, table), report)
    table.close()
    shown = ", ".join(repr(h[:40]) for h in table.written[:6] if h) or "none"
    raise _unknown(report, f"is a table whose columns (first ones: {shown}) are not those of a report we read")


def read_report(path: Path | str) -> ToolReport:
    """Read a tool's report: its run now, its findings as they are consumed; raise WorkbenchError when unfit."""
    result = _read(path, only_detect=False)
    assert isinstance(result, ToolReport)
    return result


def detect_format(path: Path | str) -> str:
    """Return the name of the report format the file's content is in; raise WorkbenchError when it is none."""
    result = _read(path, only_detect=True)
    assert isinstance(result, str)
    return result


def tool_report_refusal(path: Path | str, what: str) -> str | None:
    """Return why a file given as `what` (a policy register, say) is refused when its content is a security tool's
    report, pointing to the findings import; None when it is no report we read."""
    try:
        name = detect_format(path)
    except WorkbenchError:
        return None
    label = next(f.label for f in (*TABLE_FORMATS, *JSON_FORMATS) if f.name == name)
    return (f"is a security tool's report ({label}), not {what}; import it as findings "
            f"(workbench register import PROJECT findings FILE)")
