"""Every export marks each evidence item against the audit period (2026-01-01 to 2026-06-30 here)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.binder_files import binder_members
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.exports.binder import export_zip
from workbench.services.exports.pdf_package import export_pdf
from workbench.services.exports.workbook import export_xlsx
from workbench.services.session import OpenProject

OCTOBER = "Access review <b>October</b> =1+1"


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("AC-1", "Quarterly access review", frequency=Frequency.QUARTERLY,
                                          nature=Nature.MANUAL, status=ControlStatus.IMPLEMENTED,
                                          criteria=("CC6.1",)))
    add_evidence_bytes(new_project, "october.csv", b"user,ok\nana,yes\n",
                       EvidenceMeta("AC-1", OCTOBER, date(2025, 11, 3), date(2025, 10, 1), date(2025, 10, 31)))
    add_evidence_bytes(new_project, "q1.csv", b"user,ok\nbob,yes\n",
                       EvidenceMeta("AC-1", "Access review Q1", date(2026, 4, 2), date(2026, 1, 1),
                                    date(2026, 3, 31)))
    add_evidence_bytes(new_project, "undated.txt", b"no date\n", EvidenceMeta("AC-1", "Undated note"))
    return new_project


def _records(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def _undated_is_undated(project: OpenProject) -> bool:
    item = next(e for e in list_evidence(project) if e.filename == "undated.txt")
    return item.collected_on is None and item.period_start is None


def test_the_workbook_says_in_period_yes_no_or_undated_with_the_days(project: OpenProject, tmp_path: Path) -> None:
    path = export_xlsx(project, tmp_path / "book.xlsx").path
    sheet = openpyxl.load_workbook(path)["Evidence index"]
    rows = {r["File name"]: r for r in _records(sheet)}
    assert rows["october.csv"]["In period"] == "No"
    assert rows["october.csv"]["Reflects"] == "2025-10-01 to 2025-10-31"
    assert rows["q1.csv"]["In period"] == "Yes"
    assert _undated_is_undated(project) and rows["undated.txt"]["In period"] == "Undated"
    title = next(c for row in sheet.iter_rows() for c in row if c.value == OCTOBER)
    assert title.data_type == "s"  # user text, never a formula


def test_the_pdf_marks_the_october_item_out_of_period_and_prints_markup_literally(project: OpenProject,
                                                                                  tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf"))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    assert "1 of 3 items marked OUT OF PERIOD" in flat  # the cover
    # The control's section and the evidence index each mark it, with the days it reflects.
    assert flat.count("OUT OF PERIOD") >= 3
    assert "reflects 2025-10-01 to 2025-10-31" in flat
    assert "<b>October</b>" in flat and "In period" in flat


def test_the_binder_marks_each_item_in_its_control_note_and_workbook(project: OpenProject, tmp_path: Path) -> None:
    members = binder_members(export_zip(project, tmp_path / "binder.zip"))
    note = next(data.decode() for n, data in members.items() if n.endswith("/_control.txt"))
    readme = members["README.txt"].decode()
    book = openpyxl.load_workbook(io.BytesIO(members["workbook.xlsx"]))
    assert "audit period: OUT OF PERIOD (reflects 2025-10-01 to 2025-10-31)" in note
    assert "audit period: In period (reflects 2026-01-01 to 2026-03-31)" in note
    assert "1 of 3 items marked OUT OF PERIOD" in readme
    rows = {r["File name"]: r["In period"] for r in _records(book["Evidence index"])}
    assert rows["october.csv"] == "No" and rows["q1.csv"] == "Yes"


def test_an_item_reaching_across_the_period_start_is_marked_partly_outside(project: OpenProject,
                                                                           tmp_path: Path) -> None:
    add_evidence_bytes(project, "dec-jan.csv", b"user,ok\ncy,yes\n",
                       EvidenceMeta("AC-1", "Access review Dec-Jan", date(2026, 2, 1), date(2025, 12, 1),
                                    date(2026, 1, 31)))
    rows = {r["File name"]: r["In period"]
            for r in _records(openpyxl.load_workbook(export_xlsx(project, tmp_path / "b.xlsx").path)["Evidence index"])}
    assert rows["dec-jan.csv"] == "Partly" and rows["october.csv"] == "No"
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf"))
    flat = " ".join("\n".join(page.extract_text() or "" for page in reader.pages).split())
    assert "1 of 4 items marked OUT OF PERIOD, 1 PARTLY OUTSIDE THE PERIOD, 1 undated" in flat
    assert flat.count("PARTLY OUTSIDE THE PERIOD") >= 3  # the cover, the control's section, the evidence index
    assert "reflects 2025-12-01 to 2026-01-31" in flat
    members = binder_members(export_zip(project, tmp_path / "binder.zip"))
    assert "1 of 4 items marked OUT OF PERIOD, 1 PARTLY OUTSIDE THE PERIOD, 1 undated" in members["README.txt"].decode()
