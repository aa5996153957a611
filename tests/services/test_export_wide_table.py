"""A table too wide for the page is laid out to fit in the PDF, every cell kept (QA E2: 50 columns crashed)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from workbench.domain import documents as d
from workbench.services.exports.document_pdf import write_pdf
from workbench.services.exports.policy_document import export_policies
from workbench.services.policies import add_policies


def _wide(columns: int) -> str:
    return ("# Wide Policy\n\nIntro.\n\n| " + " | ".join(f"h{n}" for n in range(columns)) + " |\n|"
            + "---|" * columns + "\n| " + " | ".join(f"v{n}" for n in range(columns)) + " |\n\nAFTERTABLE.\n")


def _pdf_words(path: Path) -> set[str]:
    return set(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_stored_policy_with_a_fifty_column_table_exports_with_every_cell(make_project, project_path, tmp_path,
                                                                           suffix):
    project = make_project(project_path)
    add_policies(project, ["access-control"])
    with project.uow() as uow:  # stored as before tables over 30 columns were refused
        policy = uow.policies.get("access-control")
        uow.policies.update(replace(policy, draft_body=_wide(50)))
        uow.commit()
    out = export_policies(project, tmp_path / f"wide{suffix}", key="access-control")
    if suffix == ".pdf":
        words = _pdf_words(out)
    else:
        book = docx.Document(str(out))
        words = {c.text for t in book.tables for r in t.rows for c in r.cells} | {p.text for p in book.paragraphs}
    assert {f"h{n}" for n in range(50)} <= words and {f"v{n}" for n in range(50)} <= words
    assert "AFTERTABLE." in words


@pytest.mark.parametrize("columns", [12, 16, 17, 38, 200])
def test_tables_of_any_width_are_written_with_their_cells(tmp_path, columns):
    table = d.Table(tuple(f"h{n}" for n in range(columns)), (tuple(f"v{n}" for n in range(columns)),))
    path = tmp_path / "t.pdf"
    write_pdf(d.Document("Wide", "", (), (table,), "Acme", "", ()), path)
    words = _pdf_words(path)
    assert {f"h{n}" for n in range(columns)} <= words and {f"v{n}" for n in range(columns)} <= words
    if columns > 16:
        assert "Columns" in words and "column 1" in " ".join(PdfReader(path).pages[0].extract_text().split())


HEADER_WORDS = ("Control", "Description", "Responsibility", "Implementation", "Frequency", "Evidence", "Owner",
                "Confidentiality", "Availability", "Encryption", "Reviewer", "Status")


def _worded(columns: int) -> tuple[str, ...]:
    return tuple(f"{HEADER_WORDS[n % len(HEADER_WORDS)]} {n}" for n in range(columns))


@pytest.mark.parametrize("columns", [8, 14, 20, 50])
def test_header_words_are_never_broken_inside(tmp_path, columns):
    header = _worded(columns)
    table = d.Table(header, (tuple(f"v{n}" for n in range(columns)),))
    path = tmp_path / "t.pdf"
    write_pdf(d.Document("Wide", "", (), (table,), "Acme", "", ()), path)
    words = _pdf_words(path)
    assert set(HEADER_WORDS[:columns]) <= words, sorted(words - set(HEADER_WORDS))[:20]
    assert {f"v{n}" for n in range(columns)} <= words


def test_a_hyphenated_header_breaks_only_after_its_hyphen(tmp_path):
    header = ("Control", *(f"Two-factor-authentication {n}" for n in range(1, 50)))
    path = tmp_path / "t.pdf"
    write_pdf(d.Document("Wide", "", (), (d.Table(header, (tuple(f"v{n}" for n in range(50)),)),), "Acme", "", ()),
              path)
    words = _pdf_words(path)
    assert "authentication" in words and not any(w.startswith("authenticat") and w != "authentication"
                                                 for w in words)
    assert words & {"Two-factor-", "Two-factor-authentication"} and not any(
        w.startswith("Two-") and w not in ("Two-factor-", "Two-factor-authentication") for w in words)


def test_a_policy_with_a_fifty_column_table_keeps_whole_header_words(make_project, project_path, tmp_path):
    project = make_project(project_path)
    add_policies(project, ["access-control"])
    header = _worded(50)
    body = ("# Wide Policy\n\n| " + " | ".join(header) + " |\n|" + "---|" * 50 + "\n| "
            + " | ".join(f"v{n}" for n in range(50)) + " |\n")
    with project.uow() as uow:
        uow.policies.update(replace(uow.policies.get("access-control"), draft_body=body))
        uow.commit()
    words = _pdf_words(export_policies(project, tmp_path / "wide.pdf", key="access-control"))
    assert set(HEADER_WORDS) <= words and {f"v{n}" for n in range(50)} <= words
    assert "Columns" in words
