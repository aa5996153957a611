"""Policies exported as PDF and DOCX, read back as a reader gets them: the first page states the version, approval and
effective date; the Markdown becomes headings and lists; what the author typed appears literally; a draft says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from workbench.domain.documents import BulletList, Heading, Paragraph
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services.exports.markdown_blocks import markdown_blocks
from workbench.services.exports.policy_document import export_policies
from workbench.services.policies import add_policies, edit_draft, get_policy, publish

HOSTILE = 'Keep <b>this</b> &amp; that =HYPERLINK("http://x.test","y")'
BODY = f"# Access Control Policy\n\n## Purpose\n\n{HOSTILE}\n\n## Rules\n\n1. First rule\n2. Second rule\n\n- a point\n"


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _docx_text(path: Path) -> str:
    book = docx.Document(str(path))
    cells = [cell.text for table in book.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([p.text for p in book.paragraphs] + cells).split())


@pytest.fixture
def project(make_project, project_path):
    project = make_project(project_path)
    add_policies(project, ["access-control", "encryption"])
    edit_draft(project, "access-control", body=BODY)
    publish(project, "access-control", "Ana Ruiz", effective_on=date(2026, 2, 1), approved_on=date(2026, 1, 10))
    return project


def test_markdown_becomes_headings_paragraphs_and_lists_with_the_text_literal():
    blocks = markdown_blocks(BODY + "\n5. continued\n6. numbering\n")
    assert blocks[:3] == (Heading("Access Control Policy", 1), Heading("Purpose", 2), Paragraph(HOSTILE))
    assert BulletList(("First rule", "Second rule"), numbered=True) in blocks
    assert BulletList(("a point",)) in blocks
    assert blocks[-2:] == (Paragraph("5. continued"), Paragraph("6. numbering"))


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_published_policy_shows_version_approval_and_its_text(project, tmp_path, suffix):
    out = export_policies(project, tmp_path / f"access{suffix}", key="access-control")
    text = _docx_text(out) if suffix == ".docx" else _pdf_text(out)
    version = get_policy(project, "access-control").latest
    for fact in ("Version", "Approved by", "Ana Ruiz", "2026-01-10", "2026-02-01", "2027-02-01", "CC6.1"):
        assert fact in text
    assert version.sha256 in text.replace(" ", "")
    assert HOSTILE in text
    assert "DRAFT" not in text


def test_the_docx_has_the_policys_headings_and_properties(project, tmp_path):
    book = docx.Document(str(export_policies(project, tmp_path / "access.docx", key="access-control")))
    headings = [(p.style.name, p.text) for p in book.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 2", "Purpose") in headings and ("Heading 2", "Rules") in headings
    assert [p.text for p in book.paragraphs if p.style.name == "List Number"] == ["First rule", "Second rule"]
    assert book.core_properties.title == "Access Control Policy"


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_draft_only_policy_is_marked_draft(project, tmp_path, suffix):
    out = export_policies(project, tmp_path / f"enc{suffix}", key="encryption")
    text = _docx_text(out) if suffix == ".docx" else _pdf_text(out)
    assert "Encryption Policy (DRAFT)" in text and "DRAFT: not approved" in text


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_whole_set_has_every_policy(project, tmp_path, suffix):
    out = export_policies(project, tmp_path / f"set{suffix}")
    text = _docx_text(out) if suffix == ".docx" else _pdf_text(out)
    assert "Access Control Policy" in text and "Encryption Policy (DRAFT)" in text and "Ana Ruiz" in text
    if suffix == ".pdf":
        titles = [item.title for item in PdfReader(out).outline if not isinstance(item, list)]
        assert titles == ["Contents", "Access Control Policy", "Encryption Policy (DRAFT)"]


def test_bad_requests_are_refused_and_nothing_is_written(project, tmp_path):
    with pytest.raises(ValidationError, match=r"policies\.txt"):
        export_policies(project, tmp_path / "policies.txt")
    with pytest.raises(NotFoundError, match="access-control"):
        export_policies(project, tmp_path / "x.pdf", key="nope")
    assert list(tmp_path.iterdir()) == [] or all(p.suffix not in (".pdf", ".txt") for p in tmp_path.iterdir())
