"""Policies on the command line fed hostile files, as a new user would: each refused with exit 2 and ONE line on
stderr naming the file (no library warning beside it, no traceback), the project unchanged; a UTF-16 policy and a
French title make a readable key."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.cli.test_cli_import import assert_one_error_line, run
from tests.cli.test_cli_policies import _json, _ok
from tests.services.test_policies import STAFF
from tests.services.test_services_registers import write_csv
from workbench.services.session import OpenProject


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"<w:p/>" * 100_000
            for _ in range(400):
                part.write(block)
    return path


def _cut_pdf(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    whole = path.with_name("whole.pdf")
    canvas = Canvas(str(whole))
    canvas.drawString(72, 760, "Backup Policy")
    canvas.save()
    path.write_bytes(whole.read_bytes()[:600])
    return path


def test_hostile_policy_files_are_one_line_each_and_change_nothing(tmp_path: Path,
                                                                   make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    before = (tmp_path / "acme.soc2").read_bytes()
    assert_one_error_line(run(tmp_path, "policies", "import", "acme.soc2", _bomb(tmp_path / "big policy é.docx")),
                          "big policy é.docx", "refusing it as unsafe")
    assert_one_error_line(run(tmp_path, "policies", "import", "acme.soc2", _cut_pdf(tmp_path / "cut.pdf")),
                          "cut.pdf", "is not a PDF that can be read")
    (tmp_path / "latin.md").write_bytes("# Policy\n\nCafé\n".encode("latin-1"))
    assert_one_error_line(run(tmp_path, "policies", "import", "acme.soc2", "latin.md"), "latin.md", "line 3",
                          "save it as UTF-8")
    (tmp_path / "empty.docx").write_bytes(b"")
    assert_one_error_line(run(tmp_path, "policies", "import", "acme.soc2", "empty.docx"), "empty.docx",
                          "the file is empty")
    assert (tmp_path / "acme.soc2").read_bytes() == before
    (tmp_path / "sécurité.md").write_bytes("# Politique de sécurité\n\nTexte.\n".encode("utf-16"))
    assert "policy politique-de-securite (Politique de sécurité) started as a draft" in _ok(
        tmp_path, "policies", "import", "acme.soc2", "sécurité.md")


def test_a_signature_from_the_future_is_said_and_a_docusign_subject_is_read(
        tmp_path: Path, make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    _ok(tmp_path, "policies", "add", "acme.soc2", "code-of-conduct")
    _ok(tmp_path, "policies", "publish", "acme.soc2", "code-of-conduct", "--approver", "Grace Hopper",
        "--effective", "2026-01-15", "--approved", "2026-01-10")
    _ok(tmp_path, "register", "import", "acme.soc2", "people", write_csv(tmp_path / "staff.csv", STAFF))
    write_csv(tmp_path / "docusign.csv", [("Envelope Id", "Subject", "Recipient Name", "Completed"),
                                          ("e-1", "Please DocuSign: Code of Conduct", "Ann Lee", "2026-01-20"),
                                          ("e-2", "Please DocuSign: Code of Conduct", "Bob Roy", "2099-12-31")])
    out = _ok(tmp_path, "register", "import", "acme.soc2", "acknowledgements", "docusign.csv")
    assert "'Please DocuSign: Code of Conduct' as code-of-conduct (rows 2, 3)" in out
    assert "row 3 warning: date signed: 2099-12-31 is after today" in out
    assert [(a["person"], a["policy"]) for a in _json(tmp_path, "register", "list", "acme.soc2",
                                                       "acknowledgements")] == [("Ann Lee", "code-of-conduct"),
                                                                                ("Bob Roy", "code-of-conduct")]
    before = (tmp_path / "acme.soc2").read_bytes()
    assert_one_error_line(run(tmp_path, "policies", "ack", "acme.soc2", "code-of-conduct", "--person", "Di Ray",
                              "--date", "2099-12-31"), "policy code-of-conduct", "2099-12-31 is after today")
    assert (tmp_path / "acme.soc2").read_bytes() == before


def test_publishing_a_template_with_placeholders_left_warns_naming_them(
        tmp_path: Path, make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    _ok(tmp_path, "policies", "add", "acme.soc2", "access-control")
    result = run(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "Grace Hopper")
    assert result.returncode == 0 and "version 1 published" in result.stdout
    [warning] = result.stderr.splitlines()
    assert warning.startswith("warning: policy access-control : version 1 still holds the template's placeholders")
    assert "{{security_lead}}" in warning and "write them in a new draft" in warning
    (tmp_path / "filled.md").write_text("# Access Control Policy\n\nAnn Lee owns this policy.\n", encoding="utf-8")
    _ok(tmp_path, "policies", "edit", "acme.soc2", "access-control", "--text", "filled.md")
    result = run(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "Grace Hopper")
    assert result.returncode == 0 and result.stderr == ""
