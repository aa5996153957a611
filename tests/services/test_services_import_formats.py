"""OpenDocument and other whole-loaded formats: read in a child process, refused cleanly when forged."""

from __future__ import annotations

import time
import zipfile

import pytest

from tests.ods_files import ods_cell, ods_row, write_ods
from workbench.services.importers.engine import import_controls
from workbench.services.importers.readers import ImportFileError, open_workbook
from workbench.services.project import NewProject, create_project

_cell, _row, _ods = ods_cell, ods_row, write_ods


def test_an_ods_register_imports_with_its_criteria(tmp_path, project_location):
    source = _ods(tmp_path / "register.ods", {
        "Cover": _row("Acme register", "2026"),
        "Controls": _row("Control register") + _row("Ctrl #", "Control Activity", "TSC Ref(s)", "Owner")
        + _row("AC-1", "Quarterly access review", "CC6.1, CC6.2", "Dana")
        + _row("AC-2", "=Offboarding within a day", "CC 6.3", "Sam"),
    })
    with create_project(project_location("p.soc2"), NewProject("Acme")) as project:
        result = import_controls(project, source)
        from workbench.services.controls import list_controls
        controls = {c.ref: c for c in list_controls(project)}
    assert result["sheet"] == "Controls" and result["header_row"] == 2 and result["created"] == 2
    assert controls["AC-1"].criteria == ("CC6.1", "CC6.2") and controls["AC-1"].owner == "Dana"
    assert controls["AC-2"].title == "=Offboarding within a day" and controls["AC-2"].criteria == ("CC6.3",)


def test_an_ods_claiming_a_hundred_million_cells_is_refused_quickly_and_cleanly(tmp_path):
    far = ('<table:table-row table:number-rows-repeated="999000"><table:table-cell/></table:table-row>'
           '<table:table-row><table:table-cell table:number-columns-repeated="95"/>' + _cell("far") +
           "</table:table-row>")
    source = _ods(tmp_path / "forged.ods", {"Controls": _row("ID", "Title") + far})
    started = time.monotonic()
    with pytest.raises(ImportFileError) as error:
        open_workbook(source).rows("Controls")
    assert str(source) in str(error.value)
    assert "too large" in str(error.value) or "more than" in str(error.value)
    assert time.monotonic() - started < 30


def test_a_damaged_ods_names_the_file(tmp_path):
    source = tmp_path / "broken.ods"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content><unclosed")
    with pytest.raises(ImportFileError, match=r"broken\.ods"):
        open_workbook(source)
