"""The audit-trail chain head every export prints (DESIGN §4), so an auditor can notice edits made after it.

The wording and the value are those of the PDF package, the xlsx workbook and the zip binder (cover.py); the value is
`workbench status --json`'s `audit_trail.head` when the export is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from workbench.domain.documents import Document

if TYPE_CHECKING:
    from openpyxl import Workbook

    from workbench.services.exports.cells import SheetStyles
    from workbench.services.session import OpenProject
    from workbench.store import UnitOfWork

LABEL = "Audit-trail chain head"
ENTRIES_LABEL = "Audit-trail entries"
ABOUT_SHEET = "About"
ABOUT_HEADERS = ("Field", "Value")


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The hash at the head of a project's audit trail and how many entries the trail holds."""

    head: str
    entries: int

    @property
    def text(self) -> str:
        """Return the value as the covers print it: "<hash> (<n> entries)"."""
        return f"{self.head} ({self.entries} entries)"

    @property
    def line(self) -> str:
        """Return one line naming it: "Audit-trail chain head: <hash> (<n> entries)"."""
        return f"{LABEL}: {self.text}"

    @property
    def keyword(self) -> str:
        """Return it as a document keyword (the workbook names its manifest hash the same way)."""
        return f"audit-trail chain head {self.head}"

    def rows(self) -> list[tuple[str, object]]:
        """Return the (field, value) rows an "About" sheet shows, as the workbook's cover sheet does."""
        return [(LABEL, self.head), (ENTRIES_LABEL, self.entries)]


def chain_head_of(uow: UnitOfWork) -> ChainHead:
    """Return the chain head as this unit of work sees it (read it in the unit that reads what is exported)."""
    return ChainHead(uow.audit.head(), uow.audit.count())


def read_chain_head(project: OpenProject) -> ChainHead:
    """Return the project's chain head now."""
    with project.uow() as uow:
        return chain_head_of(uow)


def stamped(document: Document, chain: ChainHead) -> Document:
    """Return the document with the chain head as the last of its facts and among its keywords (DOCX and PDF
    properties)."""
    return replace(document, facts=(*document.facts, (LABEL, chain.text)),
                   keywords=(*document.keywords, chain.keyword))


def write_about_sheet(workbook: Workbook, styles: SheetStyles | None, rows: Sequence[tuple[str, object]]) -> str:
    """Add a last "About" sheet of (field, value) rows, named apart from the workbook's other sheets; return its name.

    Importers pass over a sheet named "About" (importers/table.py: a side sheet), so a table file still imports.
    """
    from workbench.services.exports.cells import SheetStyles, SheetWriter, set_table_layout

    name, number = ABOUT_SHEET, 1
    lowered = {t.casefold() for t in workbook.sheetnames}
    while name.casefold() in lowered:
        number += 1
        name = f"{ABOUT_SHEET} {number}"
    sheet = workbook.create_sheet(name)
    values = [list(row) for row in rows]
    set_table_layout(sheet, ABOUT_HEADERS, values)
    writer = SheetWriter(sheet, styles or SheetStyles(sheet), [], None)
    writer.header(ABOUT_HEADERS)
    for row in values:
        writer.append(row)
    return name
