"""One entry point for every export, shared by the command line and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workbench.domain.errors import ValidationError
from workbench.services.exports.output import Progress
from workbench.services.exports.snapshot import ExportOptions
from workbench.services.session import OpenProject

EXPORT_KEYS = ("pdf", "xlsx", "zip", "requests", "description", "assertion", "bridge-letter")
DOCUMENT_KEYS = ("description", "assertion", "bridge-letter")
# The file extensions each export is written as; any other is refused before anything is read or written.
EXPORT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",), "xlsx": (".xlsx",), "zip": (".zip",), "requests": (".xlsx", ".csv"),
    **{key: (".docx", ".pdf") for key in DOCUMENT_KEYS},
}


@dataclass(frozen=True)
class ExportOutcome:
    """The file an export wrote, and any user text that had to be fitted to the format (one line each)."""

    path: Path
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what to know before sending it (unwritten sections)


def check_suffix(kind: str, destination: Path | str) -> None:
    """Refuse, naming the file and the extensions accepted, a destination whose extension does not fit the kind."""
    accepted = EXPORT_SUFFIXES.get(kind)
    if accepted is not None and Path(destination).suffix.lower() not in accepted:
        raise ValidationError(str(destination), f"export {kind} is written as {' or '.join(accepted)}; give the "
                                                "file that extension")


def run_export(project: OpenProject, kind: str, destination: Path | str, options: ExportOptions | None = None,
               progress: Progress | None = None, today: date | None = None) -> ExportOutcome:
    """Write one export (pdf, xlsx, zip, the auditor's request list or a management document); say what was written."""
    check_suffix(kind, destination)
    if kind in DOCUMENT_KEYS:
        from workbench.services.documents.export import export_document

        drafted = export_document(project, kind, destination, today)
        return ExportOutcome(Path(destination), warnings=list(drafted.warnings))
    if kind == "pdf":
        from workbench.services.exports.pdf_package import description_warnings, export_pdf

        path = export_pdf(project, destination, options, progress, today)
        return ExportOutcome(path, warnings=description_warnings(project))
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
