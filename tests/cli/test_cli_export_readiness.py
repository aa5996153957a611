"""Management's own met/gap judgements stay out of what the auditor receives unless --include-readiness asks.

Every text of every export is searched: the PDF's text, every xlsx cell, every file in the zip (its workbooks cell
by cell, its PDFs' text, any other file as text) for the labels the program gives AssessmentStatus.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cli.test_cli_process import assert_one_error_line, run
from workbench.domain.enums import AssessmentStatus

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"
# The labels exactly as the program writes a judgement ("Met", "Partially met", "Gap", "Not assessed", ...);
# case matters: the sample's own prose says a commitment "was still met", which is not our judgement.
JUDGEMENTS = re.compile(r"\b(" + "|".join(re.escape(s.label) for s in AssessmentStatus) + r")\b")


def _pdf_text(data: bytes) -> str:
    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except Exception:  # an evidence file that only looks like a PDF is searched as text
        return data.decode("utf-8", "ignore")


def _xlsx_texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [f"{sheet.title}: {cell}" for sheet in book for row in sheet.iter_rows(values_only=True)
            for cell in row if isinstance(cell, str)] + list(book.sheetnames)


def _texts(name: str, data: bytes) -> list[str]:
    """Return every text a file holds, as a reader of that kind of file sees it."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return [_pdf_text(data)]
    if suffix == ".xlsx":
        return _xlsx_texts(data)
    if suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [f"{member}: {text}" for member in archive.namelist() if not member.endswith("/")
                    for text in _texts(member, archive.read(member))]
    return [data.decode("utf-8", "ignore")]


def _judgements(path: Path) -> list[str]:
    found = []
    for text in _texts(path.name, path.read_bytes()):
        found += [f"{match.group(0)!r} in {text[max(match.start() - 60, 0):match.end() + 20]!r}"
                  for match in JUDGEMENTS.finditer(text)]
    return found


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample.soc2"
    shutil.copyfile(SAMPLE, copy)
    return copy


def test_without_include_readiness_no_export_holds_a_met_or_gap_judgement(tmp_path: Path, sample: Path) -> None:
    kinds = ("pdf", "xlsx", "zip")
    for kind in kinds:  # one at a time: a project file is open in one process at once
        for result in (run(tmp_path, "export", kind, sample, f"auditor.{kind}"),
                       run(tmp_path, "export", kind, sample, f"readiness.{kind}", "--include-readiness")):
            assert result.returncode == 0, result.stderr
    for kind in kinds:
        assert _judgements(tmp_path / f"auditor.{kind}") == [], kind
        found = " ".join(_judgements(tmp_path / f"readiness.{kind}"))
        assert "'Met'" in found and "'Gap'" in found, (kind, found[:300])
    sheets = load_workbook(tmp_path / "auditor.xlsx", read_only=True).sheetnames
    assert "Criteria coverage" not in sheets and "Open gaps" not in sheets
    about = {r[0]: r[1] for r in load_workbook(tmp_path / "auditor.xlsx")["Cover"].iter_rows(values_only=True)}
    assert about["Readiness self-assessment"].startswith("left out")
    assert {"Criteria coverage", "Open gaps"} <= set(load_workbook(tmp_path / "readiness.xlsx").sheetnames)


def test_the_request_list_refuses_include_readiness(tmp_path: Path, sample: Path) -> None:
    result = run(tmp_path, "export", "requests", sample, "pbc.xlsx", "--include-readiness")
    assert_one_error_line(result, "--include-readiness")
    assert not (tmp_path / "pbc.xlsx").exists()
