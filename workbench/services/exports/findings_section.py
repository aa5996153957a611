"""The tool runs used as evidence, as the PDF package's section and the workbook's sheet: each run's tool, scope, the
date its data reflects, its passed, failed and manual counts, the control it evidences and its report's SHA-256.
A report's text goes through the package's escaping (PDF) and the sheet writer (xlsx): never markup or a formula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.domain.tool_runs import StoredRun

SHEET = "Tool runs"
HEADERS = ("Run", "Tool", "Version", "Format", "Scope", "Data reflects", "Passed", "Failed", "Manual", "Control",
           "SHA-256")
_WIDTHS = (25, 60, 45, 60, 110, 60, 35, 35, 35, 50, 230)


def run_rows(runs: Sequence[StoredRun]) -> list[list[object]]:
    """Return one row per run, in HEADERS' order."""
    return [[r.id, r.run.tool, r.run.version, r.run.format, r.run.scope, r.reflects_on, r.passed, r.failed,
             r.manual, r.control_ref, r.run.sha256] for r in runs]


def findings_sheets(runs: Sequence[StoredRun]) -> list[tuple[str, Sequence[str], list[list[object]]]]:
    """Return the workbook's sheet of the runs used as evidence (none when there is no such run)."""
    return [(SHEET, HEADERS, run_rows(runs))] if runs else []


def findings_pdf(sections: Any, runs: Sequence[StoredRun]) -> list[Any]:
    """Return the PDF package's section on the runs used as evidence, laid out by the registers' sections."""
    if not runs:
        return []
    out = sections.heading("register-tool-runs", "Security tool runs used as evidence", 0)
    rows = [[str(value) for value in row] for row in run_rows(runs)]
    out.append(sections.table(HEADERS, rows, _WIDTHS, "No tool run is used as evidence."))
    return out
