"""`workbench export policies PROJECT OUT.pdf|OUT.docx [--policy KEY]` as a user runs it: the files read back with
the version and approval on the first page; bad requests get one error line and write nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.cli.test_cli_process import assert_one_error_line, run, run_together
from tests.conftest import DEFAULT_SPEC
from workbench.services.policies import add_policies, edit_draft, publish
from workbench.services.project import create_project
from workbench.services.session import open_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "acme.soc2"
    opened = create_project(path, DEFAULT_SPEC)
    try:
        add_policies(opened, ["access-control", "encryption"])
        publish(opened, "access-control", "Ana Ruiz", effective_on=date(2026, 2, 1), approved_on=date(2026, 1, 12))
    finally:
        opened.close()
    return path


def test_one_policy_and_the_set_as_docx_and_pdf(tmp_path, project):
    copy = tmp_path / "copy.soc2"
    copy.write_bytes(project.read_bytes())
    one, whole = run_together(tmp_path, ["export", "policies", project, "access.docx", "--policy", "access-control"],
                              ["export", "policies", copy, "all.pdf"])
    assert one.returncode == 0 and whole.returncode == 0, one.stderr + whole.stderr
    book = docx.Document(str(tmp_path / "access.docx"))
    facts = {row.cells[0].text: row.cells[1].text for table in book.tables[:1] for row in table.rows}
    assert facts["Version"] == "1" and facts["Approved by"] == "Ana Ruiz"
    assert facts["Approval date"] == "2026-01-12" and facts["Effective date"] == "2026-02-01"
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "all.pdf").pages)
    assert "Access Control Policy" in text and "Encryption Policy (DRAFT)" in text and "Ana Ruiz" in text


def test_bad_requests_get_one_error_line_and_write_nothing(tmp_path, project):
    assert_one_error_line(run(tmp_path, "export", "policies", project, "out.txt"), "out.txt", ".docx")
    assert_one_error_line(run(tmp_path, "export", "policies", project, "out.pdf", "--policy", "nope"), "nope")
    assert_one_error_line(run(tmp_path, "export", "pdf", project, "out.pdf", "--policy", "encryption"), "--policy")
    assert not (tmp_path / "out.pdf").exists() and not (tmp_path / "out.txt").exists()


def test_characters_the_pdf_font_cannot_show_are_warned_of_on_stderr(tmp_path, project):
    opened = open_project(project)
    try:
        edit_draft(opened, "encryption", body="# Encryption Policy\n\n鍵は暗号化する。\n")
    finally:
        opened.close()
    result = run(tmp_path, "export", "policies", project, "enc.pdf", "--policy", "encryption")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: the PDF's font cannot show 8 different characters"), result.stderr
    assert "鍵" in result.stderr and result.stdout.startswith("exported the policies to ")
    as_json = run(tmp_path, "export", "policies", project, "enc2.pdf", "--policy", "encryption", "--json")
    assert as_json.returncode == 0 and "cannot show" in json.loads(as_json.stdout)["warnings"][0]
    quiet = run(tmp_path, "export", "policies", project, "access.pdf", "--policy", "access-control")
    assert quiet.returncode == 0 and quiet.stderr == ""
