"""Saving an openpyxl workbook with its document properties: title, subject, keywords and the company.

openpyxl writes the extended properties (docProps/app.xml, where Excel and LibreOffice read the company) afresh
and empty on every save; the archive handed to its writer swaps that one part for ours.
"""

from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_APP
from openpyxl.xml.functions import SubElement, tostring

from workbench.services.exports.cells import clean_text

CREATOR = "SOC 2 Workbench"


@dataclass(frozen=True, slots=True)
class BookProperties:
    """What File > Properties of the workbook shows."""

    title: str
    company: str
    subject: str = ""
    keywords: str = ""


class _Archive:
    """A zip archive for ExcelWriter that writes our extended properties in place of its empty ones."""

    def __init__(self, archive: zipfile.ZipFile, app: bytes) -> None:
        self._archive, self._app = archive, app

    def writestr(self, name: str | zipfile.ZipInfo, data: bytes | str, *args: object, **kwargs: object) -> None:
        """Write one member; the extended-properties part is ours."""
        if name == ARC_APP:
            data = self._app
        self._archive.writestr(name, data, *args, **kwargs)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._archive, name)


def _xml(text: str) -> str:
    """Return user text as a property can hold it: no control characters (they become U+FFFD), one line."""
    return " ".join(clean_text(text)[0].split())


def save_workbook(workbook: Workbook, path: Path, properties: BookProperties) -> None:
    """Save the workbook to path with its title, subject, keywords, creator and company set."""
    core = workbook.properties
    core.title, core.subject, core.keywords = (_xml(properties.title), _xml(properties.subject),
                                               _xml(properties.keywords))
    core.creator = core.lastModifiedBy = CREATOR
    core.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    app = ExtendedProperties().to_tree()  # openpyxl's own, whose version Excel checks; it never writes a company
    if _xml(properties.company):
        SubElement(app, "Company").text = _xml(properties.company)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, _Archive(archive, tostring(app))).save()
