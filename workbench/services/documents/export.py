"""Drafting a management document from the project and writing it as DOCX or PDF."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from workbench.domain.errors import ValidationError
from workbench.services.documents.drafted import Drafted
from workbench.services.exports.chain_head import read_chain_head, stamped
from workbench.services.exports.documents import document_format, write_document
from workbench.services.session import OpenProject


def draft_document(project: OpenProject, kind: str, on: date | None = None) -> Drafted:
    """Return the document of this kind ("description", "assertion", "bridge-letter") drafted from the project."""
    if kind == "assertion":
        from workbench.services.documents.assertion import management_assertion

        return management_assertion(project, on)
    if kind == "bridge-letter":
        from workbench.services.documents.bridge_letter import bridge_letter

        return bridge_letter(project, on)
    if kind == "description":
        from workbench.services.documents.description import description_document

        return description_document(project, on)
    raise ValidationError(f"document {kind}", "is not a management document; choose description, assertion or "
                                              "bridge-letter")


def export_document(project: OpenProject, kind: str, destination: Path | str, on: date | None = None) -> Drafted:
    """Draft a management document and write it (DOCX or PDF by the extension); return it with its warnings
    (the PDF's among them: characters its font cannot show). The file names the audit-trail chain head as its last
    title-page fact and among its keywords."""
    document_format(destination)
    drafted = draft_document(project, kind, on)
    drafted = replace(drafted, document=stamped(drafted.document, read_chain_head(project)))
    notes = write_document(drafted.document, destination)
    return replace(drafted, warnings=drafted.warnings + notes)
