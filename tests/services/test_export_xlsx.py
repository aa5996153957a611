"""The xlsx workbook for the CPA firm, read back with openpyxl: no formula anywhere, every hash, importable controls."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import AssessmentStatus, ControlStatus, Frequency, Nature
from workbench.services.assessment import assess
from workbench.services.controls import add_control, list_controls
from workbench.services.engagement import add_request
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.exports.cells import (
    MAX_CELL_CHARS,
    SheetStyles,
    SheetWriter,
    TextNotice,
    csv_safe,
    fit_text,
    formula_like,
)
from workbench.services.exports.output import ExportCancelled
from workbench.services.exports.snapshot import ExportOptions
from workbench.services.exports.workbook import CONTROL_HEADERS, export_xlsx
from workbench.services.importers.engine import import_controls
from workbench.services.session import OpenProject

HYPERLINK = '=HYPERLINK("http://x","y")'
TRICKY_TITLES = {"AC-1": HYPERLINK, "AC-2": "+1+1", "AC-3": "@SUM(A1)"}
DATA_SHEETS = ("Controls", "Criteria coverage", "Evidence index", "Requests", "Open gaps")
AUDITOR_SHEETS = ("Controls", "Evidence index", "Requests")
READY = ExportOptions(include_readiness=True)


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    frequencies = (Frequency.QUARTERLY, Frequency.SEMI_ANNUAL, Frequency.MULTIPLE_TIMES_DAILY)
    for (ref, title), frequency in zip(TRICKY_TITLES.items(), frequencies, strict=True):
        add_control(new_project, ControlDraft(
            ref, title, description="-2+3 looks like arithmetic", owner="@ops-team", frequency=frequency,
            nature=Nature.MANUAL, status=ControlStatus.IMPLEMENTED, notes="#N/A", criteria=("CC6.1", "CC6.2")))
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", owner="Dana", frequency=Frequency.DAILY,
                                          nature=Nature.AUTOMATED, status=ControlStatus.IN_PROGRESS,
                                          criteria=("CC7.4",)))
    add_evidence_bytes(new_project, "access review.csv", b"user,ok\nana,yes\n",
                       EvidenceMeta("AC-1", "Q1 review", date(2026, 4, 2), date(2026, 1, 1), date(2026, 3, 31)))
    add_evidence_bytes(new_project, "=cmd|' /C calc'!A0.txt", b"odd name\n", EvidenceMeta("AC-2"))
    add_evidence_bytes(new_project, "backup.log", b"backup ok\n" * 20, EvidenceMeta("BK-1", collected_on=None))
    assess(new_project, "CC6.1", AssessmentStatus.GAP, "No review yet")
    assess(new_project, "CC6.2", AssessmentStatus.MET)
    evidence = list_evidence(new_project)
    add_request(new_project, "PBC-1", "=1+1 user listing", tsc_refs=("CC6.1",), control_ref="AC-1",
                owner="Ana", due=date(2026, 5, 1), evidence_ids=[e.id for e in evidence if e.control_ref == "AC-1"])
    return new_project


def _all_cells(path: Path) -> list[tuple[str, openpyxl.cell.Cell]]:
    workbook = openpyxl.load_workbook(path)
    return [(sheet.title, cell) for sheet in workbook for row in sheet.iter_rows() for cell in row]


def _records(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def test_no_cell_is_a_formula_and_formula_like_titles_come_back_as_text(project: OpenProject,
                                                                         tmp_path: Path) -> None:
    path = tmp_path / "workbook.xlsx"
    result = export_xlsx(project, path, today=date(2026, 6, 1))
    assert result.path == path and result.notices == []
    cells = _all_cells(path)
    assert cells and not [f"{s}!{c.coordinate}" for s, c in cells if c.data_type == "f"]
    controls = openpyxl.load_workbook(path)["Controls"]
    titles = {row[0].value: row[1] for row in controls.iter_rows(min_row=2)}
    for ref, title in TRICKY_TITLES.items():
        assert titles[ref].value == title
        assert titles[ref].data_type == "s" and titles[ref].quotePrefix
    assert titles["BK-1"].value == "Nightly backups" and not titles["BK-1"].quotePrefix
    quoted = {c.value for _, c in cells if c.quotePrefix}
    assert {"-2+3 looks like arithmetic", "@ops-team", "#N/A", "=1+1 user listing",
            "=cmd|' /C calc'!A0.txt"} <= quoted


def test_sheets_list_every_hash_and_the_project(project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "workbook.xlsx"
    result = export_xlsx(project, path, READY, today=date(2026, 6, 1))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Cover", *DATA_SHEETS]
    assert result.sheets["Controls"] == 4 and result.sheets["Evidence index"] == 3
    evidence = _records(workbook["Evidence index"])
    assert {r["SHA-256"] for r in evidence} == {e.sha256 for e in list_evidence(project)}
    review = next(r for r in evidence if r["File name"] == "access review.csv")
    assert review["Collected"] == datetime(2026, 4, 2) and review["Size (bytes)"] == 16
    collected = next(c for c in workbook["Evidence index"]["F"] if isinstance(c.value, datetime))
    assert collected.is_date and collected.number_format == "yyyy-mm-dd"
    coverage = {r["Criterion"]: r for r in _records(workbook["Criteria coverage"])}
    assert coverage["CC6.1"]["Assessment status"] == "Gap" and coverage["CC6.1"]["Number of controls"] == 3
    assert coverage["CC6.1"]["Mapped controls"] == "AC-1, AC-2, AC-3" and coverage["CC6.1"]["Evidence items"] == 2
    (request,) = _records(workbook["Requests"])
    assert request["Linked evidence"] == "access review.csv" and request["Due date"] == datetime(2026, 5, 1)
    gaps = {(r["Kind"], r["Item"]) for r in _records(workbook["Open gaps"])}
    assert {("Criterion gap", "CC6.1"), ("Control not implemented", "BK-1"),
            ("Control without evidence", "AC-3")} <= gaps
    assert ("Control without evidence", "AC-1") not in gaps
    assert ("Criterion without control", "CC1.1") in gaps and ("Criterion without control", "CC6.2") not in gaps
    cover = {r["Field"]: r["Value"] for r in _records(workbook["Cover"])}
    assert cover["Organisation"] == "Acme Ltd" and cover["Period"] == "2026-01-01 to 2026-06-30"
    assert cover["Generated on"] == datetime(2026, 6, 1) and len(cover["Audit-trail chain head"]) == 64
    assert cover["Marking"] == "Confidential" and cover["Report"] == "SOC 2 Type II"


def test_headers_are_styled_frozen_and_filtered(project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "workbook.xlsx"
    export_xlsx(project, path, READY)
    workbook = openpyxl.load_workbook(path)
    for name in workbook.sheetnames:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", name
        header = sheet[1]
        assert all(c.font.bold and c.fill.fgColor.rgb.endswith("1F4E78") for c in header), name
        widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, sheet.max_column + 1)]
        assert all(8 <= w <= 60 for w in widths), (name, widths)
    assert workbook["Evidence index"].column_dimensions["L"].width == 60  # SHA-256 is capped, not 66 wide
    assert [c.value for c in workbook["Controls"][1]] == list(CONTROL_HEADERS)


def test_importing_the_control_matrix_gives_back_the_same_controls(
        project: OpenProject, tmp_path: Path, make_project: Callable[..., OpenProject], project_location: Any) -> None:
    path = tmp_path / "workbook.xlsx"
    export_xlsx(project, path)
    fresh = make_project(project_location("fresh.soc2"))
    result = import_controls(fresh, path)
    assert result["sheet"] == "Controls" and result["created"] == 4
    assert not [p for p in result["problems"] if p["level"] == "error"]

    def fields(p: OpenProject) -> list[tuple[object, ...]]:
        return [(c.ref, c.title, c.description, c.owner, c.frequency, c.nature, c.status, c.notes,
                 tuple(sorted(c.criteria))) for c in list_controls(p)]

    assert fields(fresh) == fields(project)


def test_text_a_cell_cannot_hold_is_fitted_and_reported(new_project: OpenProject, tmp_path: Path) -> None:
    long_text = "x" * (MAX_CELL_CHARS + 1000)
    add_control(new_project, ControlDraft("AC-1", "Bell\x07 in title", notes=long_text))
    path = tmp_path / "workbook.xlsx"
    result = export_xlsx(new_project, path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Controls"]
    assert sheet["B2"].value == "Bell\ufffd in title"
    shown = sheet["J2"].value
    assert len(shown) <= MAX_CELL_CHARS and shown.startswith("x" * 30_000)
    assert shown.endswith("is in sheet 'Long text', rows 2 to 3]")
    assert "".join(row[3] for row in workbook["Long text"].iter_rows(min_row=2, values_only=True)) == long_text
    assert result.sheets["Long text"] == 2
    reported = {(n.sheet, n.cell) for n in result.notices}
    assert {("Controls", "B2"), ("Controls", "J2")} <= reported
    assert any("control character" in n.reason for n in result.notices if n.cell == "B2")
    assert any("33,767" in n.reason and "32,767" in n.reason for n in result.notices if n.cell == "J2")


def test_options_narrow_the_workbook(project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "workbook.xlsx"
    result = export_xlsx(project, path, ExportOptions(controls=frozenset({"BK-1"})))
    assert result.sheets["Controls"] == 1 and result.sheets["Evidence index"] == 1
    workbook = openpyxl.load_workbook(path)
    assert [r["Ref"] for r in _records(workbook["Controls"])] == ["BK-1"]
    cover = {r["Field"]: r["Value"] for r in _records(workbook["Cover"])}
    assert cover["Covers"] == "controls BK-1"


def test_cancelling_leaves_no_file_and_an_existing_one_untouched(project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(b"previous export")
    calls: list[tuple[int, int]] = []

    def stop(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 3

    with pytest.raises(ExportCancelled):
        export_xlsx(project, path, progress=stop)
    assert path.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".workbook")] == []


def test_formula_like_follows_owasp() -> None:
    for text in ("=1", "+1", "-1", "@x", "\t=1", "\r+1", "\tplain", "  =1", "\n@x", "\0"):
        assert formula_like(text), repr(text)
    for text in ("", "plain", "1-2", "a=b", " plain", "'=1", "#N/A"):
        assert not formula_like(text), repr(text)
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("plain") == "plain"


@given(st.text())
def test_csv_safe_never_yields_a_formula(text: str) -> None:
    safe = csv_safe(text)
    assert not formula_like(safe)
    assert safe in (text, "'" + text)


_TEXTS = st.lists(st.one_of(
    st.text(), st.text(alphabet="=+-@\t\r\n #'\x00\x07AN/!()\"", max_size=12),
    st.sampled_from(["#N/A", "#REF!", "=", HYPERLINK, "@SUM(A1)", "+1+1"]),
), min_size=1, max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=_TEXTS)
def test_writing_any_text_to_xlsx_never_yields_a_formula(tmp_path: Path, texts: list[str]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Texts")
    notices: list[TextNotice] = []
    writer = SheetWriter(sheet, SheetStyles(sheet), notices)
    for text in texts:
        writer.append([text])
    path = tmp_path / "texts.xlsx"
    workbook.save(path)
    cells = [row[0] for row in openpyxl.load_workbook(path)["Texts"].iter_rows(max_col=1)]
    assert len(cells) <= len(texts)
    for cell in cells:
        assert cell.data_type != "f"
    values = {cell.row: cell for cell in cells}
    for number, text in enumerate(texts, start=1):
        expected = fit_text(text)[0]
        cell = values.get(number)
        if not expected:
            assert cell is None or cell.value is None
            continue
        assert cell is not None and cell.value == expected
        if formula_like(expected):
            assert cell.quotePrefix
    assert len(notices) == sum(len(fit_text(t)[1]) for t in texts)


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_opens_the_workbook(project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "workbook.xlsx"
    export_xlsx(project, path)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None
    out = tmp_path / "csv"
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--convert-to", "csv", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=120)
    with (out / "workbook.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["Ref", "Title"]
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles["AC-1"] == HYPERLINK and titles["AC-2"] == "+1+1"


def test_the_sample_cover_agrees_with_the_pdf_and_the_zip(sample_location: Callable[[], Any], tmp_path: Path) -> None:
    import zipfile

    from pypdf import PdfReader

    from tests.binder_files import binder_members
    from workbench.services.exports.binder import export_zip
    from workbench.services.exports.pdf_package import export_pdf
    from workbench.services.session import open_project

    with open_project(sample_location()) as sample:
        book_path = export_xlsx(sample, tmp_path / "book.xlsx", today=date(2026, 11, 26)).path
        pdf_text = "\n".join(p.extract_text() or "" for p in PdfReader(export_pdf(sample, tmp_path / "p.pdf")).pages)
        readme = binder_members(export_zip(sample, tmp_path / "b.zip"))["README.txt"].decode()
    workbook = openpyxl.load_workbook(book_path)
    assert workbook.sheetnames[0] == "Cover"
    cover = {r["Field"]: r["Value"] for r in _records(workbook["Cover"])}
    assert cover["Organisation"] == "Brightpath Analytics, Inc." and cover["Report"] == "SOC 2 Type II"
    assert cover["Period"] == "2026-04-01 to 2026-09-30" and cover["Generated on"] == datetime(2026, 11, 26)
    manifest, head = cover["Manifest SHA-256"], cover["Audit-trail chain head"]
    assert len(manifest) == 64 and len(head) == 64
    assert manifest in pdf_text and head in pdf_text
    assert f"Manifest SHA-256:       {manifest}" in readme and head in readme
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", sheet.title
        widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, sheet.max_column + 1)]
        assert all(8 <= w <= 60 for w in widths), (sheet.title, widths)
    assert workbook.properties.title == "SOC 2 workbook: Brightpath Analytics, Inc."
    with zipfile.ZipFile(book_path) as package:
        assert "<Company>Brightpath Analytics, Inc.</Company>" in package.read("docProps/app.xml").decode()


def test_column_widths_count_wide_characters_twice_and_stay_capped() -> None:
    from workbench.services.exports.cells import MAX_COLUMN_WIDTH, column_widths

    narrow, wide, long = column_widths(["A", "B", "C"], [["abcdefghijklmnop", "数据安全审查报告数据安全", "x" * 500]])
    assert wide == 26 > narrow == 18 and long == MAX_COLUMN_WIDTH
