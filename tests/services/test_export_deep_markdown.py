"""Policies whose Markdown nests lists and quotes deeply keep all their text in PDF and DOCX exports (QA E1)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from workbench.domain.documents import BulletList, Paragraph
from workbench.services.exports.markdown_blocks import markdown_blocks
from workbench.services.exports.policy_document import export_policies
from workbench.services.policies import add_policies, edit_draft

DEEP_LIST = "\n".join(["# Deep", ""] + ["  " * i + f"- level{i}" for i in range(12)] + ["", "AFTERLIST para", ""])
DEEP_QUOTE = ">" * 25 + " quoted25 text\n\nAFTERQUOTE para\n"


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _docx_text(path: Path) -> str:
    return " ".join(" ".join(p.text for p in docx.Document(str(path)).paragraphs).split())


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_list_twelve_deep_and_a_quote_twentyfive_deep_keep_their_text_and_what_follows(
        make_project, project_path, tmp_path, suffix):
    project = make_project(project_path)
    add_policies(project, ["access-control"])
    edit_draft(project, "access-control", body=DEEP_LIST + "\n" + DEEP_QUOTE)
    out = export_policies(project, tmp_path / f"deep{suffix}", key="access-control")
    text = _docx_text(out) if suffix == ".docx" else _pdf_text(out)
    for i in range(12):
        assert f"level{i}" in text
    assert "quoted25 text" in text and "AFTERLIST para" in text and "AFTERQUOTE para" in text


def test_deeper_items_keep_their_text_with_the_indent_capped():
    items = next(block for block in markdown_blocks(DEEP_LIST) if isinstance(block, BulletList)).items
    assert items[0] == "level0" and items[3] == "– – – level3"
    assert items[11].endswith(" level11") and items[11].count("–") == 8


def test_nesting_deeper_than_the_parser_follows_is_kept_as_plain_paragraphs():
    blocks = markdown_blocks(">" * 3000 + " bottom\n\nafter\n")
    assert blocks[-1] == Paragraph("after") and any("bottom" in b.text for b in blocks if isinstance(b, Paragraph))
