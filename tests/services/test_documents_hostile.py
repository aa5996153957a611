"""Hostile text in the system description as a reader of the documents gets it: markup, entities, formulas, bidi
overrides, a 100 KB section, CJK and emoji. The DOCX keeps every character; the PDF draws what its font holds and
says in brackets (and in a warning) where it cannot, instead of empty boxes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.conftest import DEFAULT_SPEC
from workbench.domain.documents import BulletList, Document, Heading, Paragraph, SignatureBlock, Table
from workbench.domain.entities import Csoc
from workbench.domain.enums import ReportType, SubserviceMethod
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.services.description import read_section
from workbench.services.documents.bridge_letter import bridge_letter
from workbench.services.documents.export import draft_document, export_document
from workbench.services.exports.documents import write_document
from workbench.services.report import add_report
from workbench.services.scope import add_cuec, add_subservice, set_description

MARKUP = '<para>tag</para> <b>bold</b> &#60; &amp; =HYPERLINK("http://x","y")'
CJK, EMOJI = "数据中心 日本語", "🚀🔐"
RTL = "\u202eevil\u202c"
LONG = " ".join(f"word{n}" for n in range(11_300))  # 100 KB


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _docx_text(path: Path) -> str:
    book = docx.Document(str(path))
    return "\n".join([p.text for p in book.paragraphs]
                     + [c.text for t in book.tables for row in t.rows for c in row.cells])


def _document(text: str) -> Document:
    return Document("Hostile", "", (("Note", text),), (Heading(f"Part {text}", 1), Paragraph(text),
                                                       Table(("A",), ((text,),))), "Acme Ltd", "", ())


def test_characters_the_pdf_font_lacks_are_named_in_a_note_and_a_warning(tmp_path):
    text = f"Start {CJK} and {EMOJI} end {MARKUP} {RTL}"
    warnings = write_document(_document(text), tmp_path / "doc.pdf")
    pdf = _pdf_text(tmp_path / "doc.pdf")
    # One note per run: the CJK words apart only by a space are one run of seven characters.
    assert pdf.count("Start [7 characters the PDF font cannot show] and [2 characters the PDF font cannot show] "
                     "end") == 4  # the fact, the heading, the paragraph, the table cell
    assert MARKUP in pdf and "evil" in pdf
    assert len(warnings) == 1 and "9 different characters" in warnings[0] and "数" in warnings[0]
    assert "🚀" in warnings[0] and "DOCX" in warnings[0]
    assert PdfReader(tmp_path / "doc.pdf").metadata.author == "Acme Ltd"
    assert write_document(_document(text), tmp_path / "doc.docx") == ()
    assert _docx_text(tmp_path / "doc.docx").count(text) == 4  # every character kept, the RTL override too


def test_text_the_font_draws_gets_no_note(tmp_path):
    text = "Ünïcödé ﬁne: Ελληνικά, Кириллица, עברית, € £ — “quoted”"
    assert write_document(_document(text), tmp_path / "doc.pdf") == ()
    assert "cannot show" not in _pdf_text(tmp_path / "doc.pdf")


def test_a_hostile_description_exports_literally_in_both_formats(make_project, project_path, tmp_path):
    project = make_project(project_path, DEFAULT_SPEC)
    if str(project_path).startswith("postgresql"):  # PostgreSQL text holds no NUL: refused whole, in one message
        with pytest.raises(WorkbenchError, match="cannot contain NUL"):
            set_description(project, {"dc1": "kept?", "dc4": f"null\x00 {RTL}"})
        assert read_section(project, "dc1") == ""
    set_description(project, {"dc1": f"{MARKUP}\n\n{CJK} {EMOJI}", "dc2": LONG, "dc4": f"null\x00 {RTL}"}
                    if not str(project_path).startswith("postgresql") else
                    {"dc1": f"{MARKUP}\n\n{CJK} {EMOJI}", "dc2": LONG, "dc4": f"null\ufffd {RTL}"})
    drafted = export_document(project, "description", tmp_path / "d.pdf")
    assert any("cannot show" in w for w in drafted.warnings)
    assert export_document(project, "description", tmp_path / "d.docx").warnings == drafted.warnings[:-1]
    words = _docx_text(tmp_path / "d.docx")
    assert MARKUP in words and f"{CJK} {EMOJI}" in words and LONG in words and f"null\ufffd {RTL}" in words
    pdf = _pdf_text(tmp_path / "d.pdf")
    assert MARKUP in pdf and "[9 characters the PDF font cannot show]" in pdf
    assert re.search(r"word0 word1 .* word11299", pdf) and pdf.count("word") >= 11_300


def test_a_type1_projects_bridge_letter_speaks_of_its_as_of_date_not_a_period(make_project, project_path):
    project = make_project(project_path, replace(DEFAULT_SPEC, report_type=ReportType.TYPE1,
                                                 period_start=date(2026, 3, 31), period_end=None))
    drafted = bridge_letter(project, date(2026, 6, 15))
    text = " ".join(getattr(b, "text", "") for b in drafted.document.blocks)
    assert "our SOC 2 Type I report as of 31 March 2026" in text and "period that ended" not in text
    assert ("Last report as of", "31 March 2026") in drafted.document.facts
    assert ("Bridge period", "1 April 2026 to 15 June 2026") in drafted.document.facts
    add_report(project, ReportType.TYPE1, date(2026, 4, 30), date(2026, 4, 30), issued_on=date(2026, 5, 20))
    drafted = bridge_letter(project, date(2026, 6, 15))
    assert ("Last report as of", "30 April 2026") in drafted.document.facts


def test_a_signature_block_never_stands_alone_nor_leaves_its_heading_behind(tmp_path):
    filler = "A paragraph of the assertion that takes about two lines of the page once it is laid out in the PDF. " * 2
    for count in range(14, 34):
        blocks = (Heading("Assertion", 1), *(Paragraph(f"{n}. {filler}") for n in range(count)),
                  Heading("Limits", 2), Paragraph("Closing words."),
                  SignatureBlock(("Name:", "Title:", "Date: 1 May 2026")))
        path = tmp_path / f"signed{count}.pdf"
        write_document(Document("Signed", "", (), blocks, "Acme Ltd", "", ()), path)
        last = PdfReader(path).pages[-1].extract_text()
        assert "Date: 1 May 2026" in last and "Closing words." in last and "Limits" in last, count


def test_an_unwritten_dc3_part_says_what_it_should_cover(make_project, project_path, tmp_path):
    project = make_project(project_path, DEFAULT_SPEC)
    set_description(project, {"dc3.software": "Our own API."})
    export_document(project, "description", tmp_path / "d.docx")
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "d.docx")).paragraphs]
    after = paragraphs[paragraphs.index("Infrastructure") + 1:paragraphs.index("Software")]
    assert after == ["[Not written yet.] This section should cover:",
                     "Hosting, networks, data centres and devices the system runs on."]
    assert paragraphs[paragraphs.index("Software") + 1] == "Our own API."


def test_the_assertion_and_letter_refuse_a_project_that_names_no_system(make_project, project_path, tmp_path):
    project = make_project(project_path, replace(DEFAULT_SPEC, system_name="  "))
    for kind, phrase in (("assertion", "management assertion"), ("bridge-letter", "bridge letter")):
        with pytest.raises(ValidationError) as error:
            export_document(project, kind, tmp_path / f"{kind}.docx", date(2026, 8, 1))
        assert phrase in str(error.value) and "system's name" in str(error.value)
        assert not (tmp_path / f"{kind}.docx").exists()
    drafted = export_document(project, "description", tmp_path / "d.docx", date(2026, 8, 1))
    assert drafted.document.subject == "Description of the system (SOC 2 Type II, DC1-DC9)"


def test_in_word_the_paragraph_before_the_signature_keeps_with_it(tmp_path):
    blocks = (Heading("Limits", 2), Paragraph("First words."), Paragraph("Closing words."),
              SignatureBlock(("Name:", "Date: 1 May 2026")))
    write_document(Document("Signed", "", (), blocks, "Acme Ltd", "", ()), tmp_path / "signed.docx")
    kept = {p.text: p.paragraph_format.keep_with_next for p in docx.Document(str(tmp_path / "signed.docx")).paragraphs}
    assert kept["Closing words."] is True and not kept["First words."]
    assert kept["Name:"] is True and not kept["Date: 1 May 2026"]


def test_complementary_controls_mapped_outside_the_reports_categories_are_warned_of(make_project, project_path):
    project = make_project(project_path, DEFAULT_SPEC)  # Security alone
    add_subservice(project, "Cloudy Hosting", "Hosting", SubserviceMethod.CARVE_OUT,
                   complementary_controls=[Csoc(0, "Doors locked", ("CC6.4",)), Csoc(0, "Power kept", ("A1.2",))])
    add_cuec(project, "Customers remove leavers", ("CC6.2",))
    add_cuec(project, "Customers keep their own backups", ("CC6.1", "A1.2", "A1.3"))
    warnings = draft_document(project, "description").warnings
    assert [w for w in warnings if "outside" in w] == [
        "user entity control 2 is mapped to A1.2, A1.3, outside the categories of this report",
        "complementary control 2 of Cloudy Hosting is mapped to A1.2, outside the categories of this report"]


def test_a_direction_override_in_a_name_ends_with_the_name_not_the_sentence(make_project, project_path, tmp_path):
    # U+202E left open in a name would show the rest of each sentence it is set in backwards in Word; each name
    # is set in with the overrides it opens closed (U+202C), a character the PDF's font has
    project = make_project(project_path, replace(DEFAULT_SPEC, organization=f"Acme {RTL[0]}Ltd",
                                                 system_name=f"{RTL[0]}Cloud"))
    add_subservice(project, f"AWS{RTL[0]}", "Hosting", SubserviceMethod.CARVE_OUT)
    for kind in ("assertion", "bridge-letter", "description"):
        export_document(project, kind, tmp_path / f"{kind}.docx", date(2026, 8, 1))
        text = _docx_text(tmp_path / f"{kind}.docx")
        assert "\u202eCloud\u202c " in text and "Acme \u202eLtd\u202c " in text
        assert re.search("\u202e[^\u202c\n]*[^\u202c\n]$", text, re.MULTILINE) is None  # none open mid-sentence
    assert "AWS\u202e\u202c." in _docx_text(tmp_path / "assertion.docx")
    export_document(project, "assertion", tmp_path / "assertion.pdf", date(2026, 8, 1))
    assert "\x00" not in " ".join(page.extract_text() for page in PdfReader(tmp_path / "assertion.pdf").pages)


@pytest.mark.parametrize(("name", "closed"), [
    ("plain", "plain"), ("\u202eevil\u202c", "\u202eevil\u202c"), ("a\u202eb\u202dc", "a\u202eb\u202dc\u202c\u202c"),
    ("\u2067a\u202eb", "\u2067a\u202eb\u202c\u2069"),
    ("\u2067a\u202eb\u2069c\u202b", "\u2067a\u202eb\u2069c\u202b\u202c"),
])
def test_a_name_is_set_in_with_the_direction_marks_it_opens_closed(name, closed):
    from workbench.domain.documents import isolated

    assert isolated(name) == closed


def test_a_document_of_twenty_thousand_paragraphs_is_written_as_docx_in_seconds(tmp_path):
    import time

    items = ("first item", "second item")
    blocks = (Heading("Rules", 1), *(Paragraph(f"Paragraph {n}") for n in range(20_000)), BulletList(items))
    started = time.perf_counter()
    write_document(Document("Long", "", (), blocks, "Acme Ltd", "", ()), tmp_path / "long.docx")
    assert time.perf_counter() - started < 5  # each paragraph was found a place by searching the whole body: 11 s
    paragraphs = docx.Document(str(tmp_path / "long.docx")).paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[texts.index("Rules") + 1:] == [*(f"Paragraph {n}" for n in range(20_000)), *items]
    assert [p.style.name for p in paragraphs[-3:]] == ["Normal", "List Bullet", "List Bullet"]
    assert paragraphs[texts.index("Rules")].style.name == "Heading 1"
