"""Writing a management document (domain/documents.py) as DOCX or PDF, chosen by the file's extension."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.documents import Document
from workbench.domain.errors import ValidationError
from workbench.services.exports.output import atomic_output

DOCUMENT_SUFFIXES = (".docx", ".pdf")


def document_format(path: Path | str) -> str:
    """Return "docx" or "pdf" for a document's file name; raise a ValidationError naming it for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise ValidationError(str(path), f"a document is written as {' or '.join(DOCUMENT_SUFFIXES)}; "
                                         f"give the file one of these extensions")
    return suffix[1:]


def write_document(document: Document, path: Path | str) -> None:
    """Write a Document as DOCX or PDF by the path's extension; the file appears only once complete."""
    destination = Path(path)
    kind = document_format(destination)
    with atomic_output(destination) as temporary:
        if kind == "docx":
            from workbench.services.exports.document_docx import write_docx

            write_docx(document, temporary)
        else:
            from workbench.services.exports.document_pdf import write_pdf

            write_pdf(document, temporary, destination)
