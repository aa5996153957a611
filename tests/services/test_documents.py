"""The documents management hands the auditor, read back as a reader gets them: python-docx for the DOCX (styles,
lists, tables, properties), pypdf for the PDF (text, bookmarks, metadata); user text always appears literally."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.conftest import DEFAULT_SPEC
from workbench.domain.documents import (
    BulletList,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Table,
    text_blocks,
)
from workbench.domain.entities import ControlDraft, Csoc
from workbench.domain.enums import Category, ReportType, SubserviceMethod
from workbench.domain.errors import ValidationError
from workbench.services.controls import add_control
from workbench.services.documents.assertion import management_assertion
from workbench.services.documents.bridge_letter import bridge_letter
from workbench.services.documents.export import export_document
from workbench.services.exports.documents import write_document
from workbench.services.policies import add_policies, publish
from workbench.services.project import NewProject
from workbench.services.report import add_report
from workbench.services.scope import add_cuec, add_subservice, set_description

BOLD, AMP, FORMULA = "<b>not bold</b>", "Smith & Sons", "=cmd|' /C calc'!A0"
HOSTILE = f"{BOLD} {AMP} {FORMULA}"


def _document() -> Document:
    return Document(
        "Test document", f"Subtitle {AMP}", (("Version", "3"), ("Approved by", f"Ana Ruiz {BOLD}")),
        (Heading(f"First {BOLD}", 1), Paragraph(f"Opening text {HOSTILE}"), Heading("Second level", 2),
         BulletList(("apple", FORMULA)), BulletList(("one", "two"), numbered=True), Paragraph("between"),
         BulletList(("again one", "again two"), numbered=True), Heading("Third level", 3),
         Table(("Name", "Note"), (("Row one", AMP), ("Row two", FORMULA)), (1.0, 2.0)),
         SignatureBlock(("Name:", "Title:", "Date: 10 January 2026")), PageBreak(), Heading("Last part", 1),
         Paragraph("The end.")),
        "Acme Ltd", "A subject line", ("SOC 2", "test"))


def _outline(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _docx_text(path: Path) -> str:
    book = docx.Document(str(path))
    cells = [cell.text for table in book.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in book.paragraphs] + cells)


def test_the_docx_has_word_headings_lists_tables_and_properties(tmp_path):
    path = tmp_path / "doc.docx"
    write_document(_document(), path)
    book = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in book.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", f"First {BOLD}"), ("Heading 2", "Second level"), ("Heading 3", "Third level"),
                        ("Heading 1", "Last part")]
    styled = {p.text: p.style.name for p in book.paragraphs}
    assert styled["apple"] == styled[FORMULA] == "List Bullet"
    assert styled["one"] == styled["again one"] == "List Number"
    # Each numbered list starts again at 1: its own numbering instance.
    numbering = {p.text: p._p.pPr.numPr.numId.val for p in book.paragraphs if p.style.name == "List Number"}
    assert numbering["one"] == numbering["two"] != numbering["again one"] == numbering["again two"]
    assert [p.text for p in book.paragraphs if p.style.name in ("Title", "Subtitle")] == ["Test document",
                                                                                          f"Subtitle {AMP}"]
    facts, table = book.tables
    assert [[c.text for c in row.cells] for row in facts.rows] == [["Version", "3"], ["Approved by",
                                                                                     f"Ana Ruiz {BOLD}"]]
    assert [[c.text for c in row.cells] for row in table.rows] == [["Name", "Note"], ["Row one", AMP],
                                                                   ["Row two", FORMULA]]
    assert f"Opening text {HOSTILE}" in styled
    props = book.core_properties
    assert (props.title, props.author, props.subject, props.keywords) == ("Test document", "Acme Ltd",
                                                                          "A subject line", "SOC 2, test")
    header = book.sections[0].header.paragraphs[0].text
    assert "Confidential" in header and "Acme Ltd" in header


def test_the_pdf_has_bookmarks_metadata_a_header_and_the_text_as_typed(tmp_path):
    path = tmp_path / "doc.pdf"
    write_document(_document(), path)
    reader = PdfReader(path)
    assert _outline(reader) == [(0, f"First {BOLD}"), (1, "Second level"), (2, "Third level"), (0, "Last part")]
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == ("Test document", "Acme Ltd", "A subject line")
    assert "SOC 2" in meta["/Keywords"]
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert "Confidential" in text and f"Page {number} of 2" in text
    text = " ".join(" ".join(pages).split())
    for literal in (f"First {BOLD}", f"Opening text {BOLD} {AMP}", FORMULA, f"Ana Ruiz {BOLD}", "again two"):
        assert literal in text


def test_a_document_with_another_extension_is_refused_and_nothing_written(tmp_path):
    for name in ("doc.xlsx", "doc.txt", "doc"):
        with pytest.raises(ValidationError) as error:
            write_document(_document(), tmp_path / name)
        assert str(tmp_path / name) in str(error.value) and ".docx or .pdf" in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_user_text_becomes_paragraphs_and_lists():
    blocks = text_blocks("We run it.\nAll of it.\n- first\n- second\n\n1. one\n2) two\n\nClosing <b>&</b>")
    assert blocks == (Paragraph("We run it.\nAll of it."), BulletList(("first", "second")),
                      BulletList(("one", "two"), numbered=True), Paragraph("Closing <b>&</b>"))


def _with_carve_out(project) -> None:
    add_subservice(project, "Cloudy Hosting", "Hosting of the production platform", SubserviceMethod.CARVE_OUT,
                   complementary_controls="Physical access to data centres is restricted")
    add_cuec(project, "Customers remove leavers' accounts promptly", ("CC6.2",))


def test_a_type2_assertion_names_the_period_categories_and_carve_outs(make_project, project_path, tmp_path):
    project = make_project(project_path, NewProject(
        "Acme <Ltd> & Co", "Acme Cloud", ReportType.TYPE2, (Category.SECURITY, Category.AVAILABILITY),
        date(2026, 1, 1), date(2026, 6, 30)))
    _with_carve_out(project)
    drafted = management_assertion(project, date(2026, 8, 1))
    for name in ("a.docx", "a.pdf"):
        write_document(drafted.document, tmp_path / name)
    for text in (_docx_text(tmp_path / "a.docx"), _pdf_text(tmp_path / "a.pdf")):
        text = " ".join(text.split())
        assert "Acme <Ltd> & Co" in text and "Acme Cloud" in text
        assert "1 January 2026 to 30 June 2026" in text and "Security and Availability" in text
        assert "Cloudy Hosting" in text and "carve-out" in text and "user entities" in text
        assert "operated effectively throughout that period" in text and "1 August 2026" in text


def test_a_type1_assertion_names_the_as_of_date_and_no_operating_effectiveness(make_project, project_path):
    project = make_project(project_path, NewProject("Acme Ltd", "Acme Cloud", ReportType.TYPE1, (Category.SECURITY,),
                                                    date(2026, 3, 31), date(2026, 3, 31)))
    document = management_assertion(project, date(2026, 4, 15)).document
    text = " ".join(b.text if isinstance(b, Paragraph) else " ".join(getattr(b, "items", ()))
                    for b in document.blocks)
    assert "as of 31 March 2026" in text and "suitably designed as of 31 March 2026" in text
    assert "operated effectively throughout" not in text and "for the period" not in text
    assert ("As of", "31 March 2026") in document.facts


def test_the_bridge_letter_runs_from_the_last_reports_period_end_to_its_date(make_project, project_path, tmp_path):
    project = make_project(project_path, DEFAULT_SPEC)
    add_report(project, ReportType.TYPE2, date(2025, 7, 1), date(2025, 12, 31), issued_on=date(2026, 2, 1))
    add_control(project, ControlDraft("AC-09", "Hardware keys for administrators",
                                      implemented_since=date(2026, 2, 10), criteria=("CC6.1",)))
    add_policies(project, ["access-control"])
    publish(project, "access-control", "Ana Ruiz", effective_on=date(2026, 3, 1), approved_on=date(2026, 2, 25))
    drafted = export_document(project, "bridge-letter", tmp_path / "bridge.pdf", date(2026, 3, 15))
    text = " ".join(_pdf_text(tmp_path / "bridge.pdf").split())
    assert "31 December 2025" in text and "15 March 2026" in text and "1 January 2026 to 15 March 2026" in text
    assert "AC-09" in text and "Hardware keys for administrators" in text
    assert drafted.warnings == ()
    export_document(project, "bridge-letter", tmp_path / "bridge.docx", date(2026, 3, 15))
    letter = _docx_text(tmp_path / "bridge.docx")
    assert "Control AC-09 (Hardware keys for administrators) began operating on 10 February 2026." in letter
    assert "Access Control Policy: adopted, approved by Ana Ruiz, in force from 1 March 2026." in letter


def test_without_an_earlier_report_the_letter_starts_at_the_projects_period_end(make_project, project_path):
    project = make_project(project_path, DEFAULT_SPEC)
    drafted = bridge_letter(project, date(2026, 12, 1))
    assert ("Last report's period ended", "30 June 2026") in drafted.document.facts
    assert any("no material changes" in getattr(b, "text", "") for b in drafted.document.blocks)
    assert drafted.warnings and "154 days" in drafted.warnings[0]
    with pytest.raises(ValidationError) as error:
        bridge_letter(project, date(2026, 6, 1))
    assert "bridge letter" in str(error.value) and "2026-06-30" in str(error.value)


def test_the_description_follows_dc1_to_dc9_with_the_users_text_and_the_projects_records(
        make_project, project_path, tmp_path):
    project = make_project(project_path, DEFAULT_SPEC)
    set_description(project, {"dc1": f"We sell {HOSTILE}.\n- analytics\n- reporting", "dc3.data": "1. events\n2. logs"})
    add_subservice(project, "Cloudy Hosting", "Hosting", SubserviceMethod.CARVE_OUT,
                   complementary_controls=[Csoc(0, "Data centre doors stay locked", ("CC6.4",))])
    add_cuec(project, "Customers remove leavers' accounts promptly", ("CC6.2", "CC6.3"))
    drafted = export_document(project, "description", tmp_path / "d.docx", date(2026, 7, 20))
    export_document(project, "description", tmp_path / "d.pdf", date(2026, 7, 20))
    book = docx.Document(str(tmp_path / "d.docx"))
    firsts = [p.text for p in book.paragraphs if p.style.name == "Heading 1"]
    assert [f.split()[0] for f in firsts] == [f"DC{n}" for n in range(1, 10)]
    seconds = [p.text for p in book.paragraphs if p.style.name == "Heading 2"]
    assert seconds[:5] == ["Infrastructure", "Software", "People", "Procedures", "Data"]
    styled = {p.text: p.style.name for p in book.paragraphs}
    assert styled[f"We sell {HOSTILE}."] == "Normal"
    assert styled["analytics"] == "List Bullet" and styled["logs"] == "List Number"
    rows = {tuple(c.text for c in row.cells) for table in book.tables for row in table.rows}
    assert ("1", "Data centre doors stay locked", "CC6.4") in rows
    assert ("1", "Customers remove leavers' accounts promptly", "CC6.2, CC6.3") in rows
    assert [t.split()[0] for d, t in _outline(PdfReader(tmp_path / "d.pdf")) if d == 0] == [
        f"DC{n}" for n in range(1, 10)]
    assert FORMULA in " ".join(_pdf_text(tmp_path / "d.pdf").split())
    assert len(drafted.warnings) == 1 and "DC2 Principal service commitments" in drafted.warnings[0]
    assert "DC1 " not in drafted.warnings[0]


def test_no_pdf_page_ends_with_a_heading_or_a_paragraph_introducing_a_list(tmp_path):
    furniture = ("Long · Acme Ltd", "Confidential")  # the running header and marking, drawn last
    for shift in range(5):  # paragraphs of other lengths bring other blocks to the foot of a page
        blocks: list = []
        for n in range(30):
            blocks += [Heading(f"Section heading {n}", 1), Heading(f"Part heading {n}", 2),
                       Paragraph(" ".join(["words"] * (15 + 37 * ((n + shift) % 5)))),
                       Paragraph(f"Introducing list {n}:"), BulletList(("first item", "second item"), bool(n % 2))]
        path = tmp_path / f"long{shift}.pdf"
        write_document(Document("Long", "", (), tuple(blocks), "Acme Ltd", "s", ()), path)
        reader = PdfReader(path)
        assert len(reader.pages) > 5
        for page in reader.pages:
            lines = [line for line in page.extract_text().splitlines()
                     if line.strip() and line not in furniture and not line.startswith("Page ")]
            assert not lines[-1].startswith(("Section heading", "Part heading", "Introducing list")), lines[-1]


def test_an_assertion_dated_before_its_period_ends_is_drafted_with_a_warning(make_project, project_path):
    project = make_project(project_path, DEFAULT_SPEC)
    assert management_assertion(project, date(2026, 7, 1)).warnings == ()
    warnings = management_assertion(project, date(2026, 6, 30)).warnings
    assert len(warnings) == 1 and "2026-06-30" in warnings[0]


def test_control_characters_in_user_text_do_not_stop_either_format(tmp_path):
    odd = "bell\x07 null\x00 escape\x1b end"
    document = Document(odd, odd, (("Note", odd),), (Heading(odd, 1), Paragraph(odd), BulletList((odd,)),
                                                     Table(("A",), ((odd,),))), odd, odd, (odd,))
    for name in ("odd.docx", "odd.pdf"):
        write_document(document, tmp_path / name)
    assert "bell\ufffd null\ufffd escape\ufffd end" in _docx_text(tmp_path / "odd.docx")
    assert "escape" in _pdf_text(tmp_path / "odd.pdf")


def test_an_inclusive_subservice_organisation_is_covered_by_the_assertion(make_project, project_path):
    project = make_project(project_path, DEFAULT_SPEC)
    add_subservice(project, "Partner Ops", "Runs the night shift", SubserviceMethod.INCLUSIVE)
    text = " ".join(getattr(b, "text", "") for b in management_assertion(project, date(2026, 8, 1)).document.blocks)
    assert "Partner Ops (the inclusive method)" in text and "its own written assertion" in text
    assert "carve-out" not in text
