"""`workbench export description|assertion|bridge-letter` as a user runs it on the sample: DOCX and PDF read
back, dated with --date, warned about when unwritten, and every mismatched extension refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.cli.test_cli_process import assert_one_error_line, run, run_together

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"
DC_CODES = [f"DC{n}" for n in range(1, 10)]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample.soc2"
    shutil.copyfile(SAMPLE, copy)
    return copy


def _copies(sample: Path, count: int) -> list[Path]:
    """Copies of the sample, one per command run at the same time (a project has one writer at a time)."""
    copies = [sample.with_name(f"copy{n}.soc2") for n in range(count)]
    for copy in copies:
        shutil.copyfile(sample, copy)
    return copies


def _top_bookmarks(path: Path) -> list[str]:
    return [item.title for item in PdfReader(path).outline if not isinstance(item, list)]


def test_the_description_has_dc1_to_dc9_as_headings_and_bookmarks(tmp_path, sample):
    first, second = _copies(sample, 2)
    results = run_together(tmp_path, ["export", "description", first, "description.docx"],
                           ["export", "description", second, "description.pdf"])
    for result in results:
        assert result.returncode == 0, result.stderr
    book = docx.Document(str(tmp_path / "description.docx"))
    firsts = [p.text for p in book.paragraphs if p.style.name == "Heading 1"]
    assert [text.split()[0] for text in firsts] == DC_CODES
    assert firsts[0] == "DC1 Types of services provided"
    cells = {cell.text for table in book.tables for row in table.rows for cell in row.cells}
    organisations = ("Amazon Web Services", "Okta", "Stripe", "Datadog")
    assert set(organisations) <= cells
    seconds = [p.text for p in book.paragraphs if p.style.name == "Heading 2"]
    for name in organisations:  # each carved-out organisation's complementary controls, mapped to criteria
        assert f"{name} (carve-out): complementary controls" in seconds
    mapped = [[c.text for c in row.cells] for table in book.tables if
              [c.text for c in table.rows[0].cells] == ["#", "Control", "Criteria"] for row in table.rows[1:]]
    assert len(mapped) >= 6 + len(organisations)  # the six user entity controls and at least one CSOC each
    assert all(re.fullmatch(r"(CC|A|C|PI|P)\d\.\d+(, (CC|A|C|PI|P)\d\.\d+)*", criteria) for _, _, criteria in mapped)
    assert book.core_properties.author == "Brightpath Analytics, Inc."
    assert [title.split()[0] for title in _top_bookmarks(tmp_path / "description.pdf")] == DC_CODES


def test_the_assertion_and_bridge_letter_are_dated_as_asked(tmp_path, sample):
    first, second, third = _copies(sample, 3)
    results = run_together(
        tmp_path, ["export", "assertion", first, "assertion.docx", "--date", "2026-10-20"],
        ["export", "assertion", second, "assertion.pdf", "--date", "2026-10-20"],
        ["export", "bridge-letter", third, "bridge.pdf", "--date", "2026-11-30"])
    for result in results:
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert results[0].stdout.startswith("exported management's assertion to ")
    book = docx.Document(str(tmp_path / "assertion.docx"))
    text = " ".join(p.text for p in book.paragraphs)
    assert "Brightpath Analytics, Inc." in text and "Brightpath Insights Platform" in text
    assert "1 April 2026 to 30 September 2026" in text and "Security, Availability and Confidentiality" in text
    assert "20 October 2026" in text
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "assertion.pdf").pages).split())
    assert "1 April 2026 to 30 September 2026" in pdf and "Confidential" in pdf
    letter = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "bridge.pdf").pages).split())
    assert "30 September 2026" in letter and "30 November 2026" in letter
    assert PdfReader(tmp_path / "bridge.pdf").metadata.title == "Bridge letter"


def test_an_unwritten_description_is_exported_with_a_warning_on_stderr(tmp_path):
    made = run(tmp_path, "new", "fresh.soc2", "--org", "Fresh Co", "--period-start", "2026-01-01")
    assert made.returncode == 0, made.stderr
    result = run(tmp_path, "export", "description", "fresh.soc2", "fresh.docx")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: the system description has unwritten sections: DC1 ")
    assert (tmp_path / "fresh.docx").stat().st_size > 0


@pytest.mark.parametrize("args", [
    ("xlsx", "out.pdf"), ("pdf", "out.xlsx"), ("zip", "out.pdf"), ("requests", "out.pdf"),
    ("description", "out.xlsx"), ("assertion", "out.txt"), ("bridge-letter", "out"),
])
def test_an_extension_that_does_not_match_the_kind_is_refused(tmp_path, sample, args):
    kind, name = args
    before = set(tmp_path.iterdir())
    line = assert_one_error_line(run(tmp_path, "export", kind, sample, name), name, f"export {kind}")
    assert "extension" in line
    assert set(tmp_path.iterdir()) == before


def test_documents_take_no_narrowing_and_other_exports_no_date(tmp_path, sample):
    first, second, third = _copies(sample, 3)
    refused = run_together(tmp_path, ["export", "assertion", first, "a.pdf", "--criteria", "CC6.1"],
                           ["export", "pdf", second, "p.pdf", "--date", "2026-10-01"],
                           ["export", "bridge-letter", third, "b.pdf", "--date", "2025-06-01"])
    assert_one_error_line(refused[0], "whole project")
    assert_one_error_line(refused[1], "--date")
    assert_one_error_line(refused[2], "bridge letter")
    assert not any((tmp_path / name).exists() for name in ("a.pdf", "p.pdf", "b.pdf"))
