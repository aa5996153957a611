"""One entry point for every export, shared by the command line and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workbench.domain.errors import ValidationError
from workbench.services.exports.output import Progress
from workbench.services.exports.snapshot import ExportOptions
from workbench.services.session import OpenProject

EXPORT_KEYS = ("pdf", "xlsx", "zip", "requests")


@dataclass(frozen=True)
class ExportOutcome:
    """The file an export wrote, and any user text that had to be fitted to the format (one line each)."""

    path: Path
    notices: list[str] = field(default_factory=list)


def run_export(project: OpenProject, kind: str, destination: Path | str, options: ExportOptions | None = None,
               progress: Progress | None = None, today: date | None = None) -> ExportOutcome:
    """Write one export (pdf, xlsx, zip or the auditor's request list) and say what was written."""
    if kind == "pdf":
        from workbench.services.exports.pdf_package import export_pdf

        return ExportOutcome(export_pdf(project, destination, options, progress, today))
    if kind == "xlsx":
        from workbench.services.exports.workbook import export_xlsx

        result = export_xlsx(project, destination, options, progress, today)
        return ExportOutcome(result.path, [str(n) for n in result.notices])
    if kind == "zip":
        from workbench.services.exports.binder import export_zip

        return ExportOutcome(export_zip(project, destination, options, progress, today))
    if kind == "requests":
        from workbench.services.exports.request_list import export_request_list

        notices: list = []
        path = export_request_list(project, destination, progress, notices)
        return ExportOutcome(path, [str(n) for n in notices])
    raise ValidationError(f"export {kind}", f"is not an export; choose one of {', '.join(EXPORT_KEYS)}")
