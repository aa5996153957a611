"""Policies fed files the builders did not write (issue 23 checked as a new user): someone else's Markdown policy
with front matter, Word documents with tables and numbered lists, a zip bomb posing as .docx, UTF-16 Markdown, a PDF
protected only against editing, a damaged PDF, and e-signature exports dated in the future or naming the policy
inside an envelope's subject. Each is read right or refused in one message naming the file, changing nothing."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.services.test_policies import STAFF
from tests.services.test_services_registers import digest, write_csv
from workbench.domain.errors import WorkbenchError
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import ACKNOWLEDGEMENTS, PEOPLE
from workbench.services.policies import (
    add_policies,
    get_policy,
    import_policy,
    policy_register,
    publish,
    record_acknowledgement,
    who_is_behind,
)
from workbench.services.policy_files import read_policy_file

REALWORLD = Path("/work/shared/realworld")


def test_someone_elses_policy_with_front_matter_gives_its_name_and_criteria_not_a_yaml_heading(new_project):
    path = REALWORLD / "comply_policy_access.md"
    if not path.is_file():
        pytest.skip("the real-world policy file is not here")
    policy = import_policy(new_project, path).value
    assert policy.key == "access-onboarding-and-termination"
    assert policy.title == "Access Onboarding and Termination Policy"
    assert policy.criteria == ("CC6.1", "CC6.2", "CC6.3")
    body = get_policy(new_project, policy.key).draft_body or ""
    assert body.startswith("# Purpose and Scope") and "majorRevisions" not in body and "acronym" not in body


def test_front_matter_with_an_opening_fence_and_criteria_outside_the_catalog(new_project, tmp_path):
    path = tmp_path / "travel.md"
    path.write_text("---\ntitle: \"Travel Policy\"\ncriteria: [CC6.4, Z9.9]\n---\n\n## Rules\n\nTravel light.\n",
                    encoding="utf-8")
    policy = import_policy(new_project, path).value
    assert (policy.title, policy.criteria) == ("Travel Policy", ("CC6.4",))
    assert get_policy(new_project, "travel").draft_body == "## Rules\n\nTravel light.\n"


def test_a_metadata_block_without_an_opening_fence_gives_the_owner(new_project, tmp_path):
    path = tmp_path / "keys.md"
    path.write_text("Owner: Head of IT\nVersion: 3\n---\n# Key Management Policy\n\nRotate keys.\n", encoding="utf-8")
    policy = import_policy(new_project, path).value
    assert (policy.key, policy.title, policy.owner) == ("key-management", "Key Management Policy", "Head of IT")
    assert get_policy(new_project, "key-management").draft_body == "# Key Management Policy\n\nRotate keys.\n"


def test_a_plain_markdown_policy_that_opens_with_a_label_line_keeps_its_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("Note: read this first\n\n# Clean Desk Policy\n\nClear it.\n", encoding="utf-8")
    found = read_policy_file(path)
    assert found.title == "Clean Desk Policy" and found.body.startswith("Note: read this first")


def _word(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_heading("Password Policy", 0)
    document.add_heading("Rules", 1)
    for text in ("At least 14 characters", "No reuse of the last five"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Use the password manager", style="List Bullet")
    document.add_heading("Roles", 1)
    table = document.add_table(rows=3, cols=2)
    for row, (role, duty) in zip(table.rows, [("Role", "Duty"), ("CISO", "Owns | keeps it"), ("Staff", "Follow it")],
                                 strict=True):
        row.cells[0].text, row.cells[1].text = role, duty
    document.add_paragraph("Reviewed every year.")
    document.save(str(path))
    return path


def test_a_word_document_keeps_its_numbered_lists_and_its_tables_in_order(tmp_path):
    body = read_policy_file(_word(tmp_path / "pass word é.docx")).body
    assert "1. At least 14 characters\n1. No reuse of the last five\n\n- Use the password manager" in body
    assert "## Roles\n\n| Role | Duty |\n| --- | --- |\n| CISO | Owns \\| keeps it |\n| Staff | Follow it |\n" in body
    assert body.index("| Staff |") < body.index("Reviewed every year.")


def test_a_zip_bomb_posing_as_a_word_document_is_refused_at_once(new_project, tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"<w:p/>" * 100_000
            for _ in range(400):  # 240 MB unpacked from about 250 KB
                part.write(block)
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match=r"bomb\.docx : .*would unpack to .*; refusing it as unsafe"):
        import_policy(new_project, path)
    assert digest(new_project) == before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("nodoc.docx", None, r"is a zip archive but not a Word document \(it has no word/document\.xml\)"),
    ("legacy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), r"password-protected or an old \.doc"),
    ("empty.docx", b"", r"is not a Word document that can be read \(the file is empty\)"),
])
def test_a_docx_that_is_not_one_says_what_it_is(tmp_path, name, data, message):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path.write_bytes(data)
    with pytest.raises(WorkbenchError, match=message):
        read_policy_file(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_markdown_reads_as_text(tmp_path, encoding):
    path = tmp_path / "politique.md"
    path.write_bytes("# Politique de sécurité\n\nLes données — protégées.\n".encode(encoding))
    found = read_policy_file(path)
    assert found.title == "Politique de sécurité" and "Les données — protégées." in found.body


def test_latin1_markdown_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes("# Policy\n\nCafé rules.\n".encode("latin-1"))
    with pytest.raises(WorkbenchError, match=r"latin\.md : is not UTF-8 text \(line 3, byte 13\); save it as UTF-8"):
        read_policy_file(path)


def _pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.drawString(72, 760, "Backup Policy")
    canvas.drawString(72, 740, "Backups are tested each quarter.")
    canvas.save()
    return path


def test_a_pdf_locked_only_against_editing_reads_and_one_with_a_password_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = _pdf(tmp_path / "backup.pdf")
    for name, user in (("owner-only.pdf", ""), ("locked.pdf", "secret")):
        writer = PdfWriter()
        writer.append(PdfReader(plain))
        writer.encrypt(user_password=user, owner_password="owner")
        writer.write(tmp_path / name)
    assert "Backups are tested each quarter." in read_policy_file(tmp_path / "owner-only.pdf").body
    with pytest.raises(WorkbenchError, match=r"locked\.pdf : is a password-protected PDF"):
        read_policy_file(tmp_path / "locked.pdf")


def test_a_damaged_pdf_is_refused_in_one_message_and_the_reader_logs_nothing_to_stderr(tmp_path, caplog):
    path = tmp_path / "cut.pdf"
    path.write_bytes(_pdf(tmp_path / "whole.pdf").read_bytes()[:600])
    with pytest.raises(WorkbenchError, match=r"cut\.pdf : is not a PDF that can be read"):
        read_policy_file(path)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []  # 'EOF marker not found'


def _signatures(project, tmp_path: Path, rows) -> Path:
    import_register(project, PEOPLE, write_csv(tmp_path / "staff.csv", STAFF))
    add_policies(project, ["access-control", "code-of-conduct"])
    for key in ("access-control", "code-of-conduct"):
        publish(project, key, "Grace Hopper", date(2026, 1, 15), date(2026, 1, 10))
    return write_csv(tmp_path / "signed.csv", rows)


def test_a_signature_dated_in_the_future_is_said_by_row_and_refused_by_hand(new_project, tmp_path):
    path = _signatures(new_project, tmp_path, [("Signer Name", "Completed", "Document Name"),
                                               ("Ann Lee", "2026-01-20", "Code of Conduct"),
                                               ("Bob Roy", "2099-01-01", "Code of Conduct")])
    result = import_register(new_project, ACKNOWLEDGEMENTS, path)
    [said] = [p for p in result["problems"] if p["row"] == 3]
    assert said["level"] == "warning" and "2099-01-01 is after today" in said["message"]
    assert "cannot be dated in the future; recorded as written, check it" in said["message"]
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match="2099-01-01 is after today"):
        record_acknowledgement(new_project, "code-of-conduct", "Ann Lee", date(2099, 1, 1))
    assert digest(new_project) == before


def test_a_signature_before_any_approval_names_the_date_column(new_project, tmp_path):
    path = _signatures(new_project, tmp_path, [("Signer Name", "Completed", "Document Name"),
                                               ("Ann Lee", "2025-12-01", "Code of Conduct")])
    with pytest.raises(WorkbenchError, match=r"row 2, column B \('Completed'\): code-of-conduct had no version "
                                             r"approved by 2025-12-01"):
        import_register(new_project, ACKNOWLEDGEMENTS, path)


def test_an_envelope_subject_names_the_policy_and_a_loose_match_is_said(new_project, tmp_path):
    path = _signatures(new_project, tmp_path, [("Recipient Name", "Subject", "Completed"),
                                               ("Ann Lee", "Please DocuSign: Code of Conduct", "2026-01-20"),
                                               ("Bob Roy", "Acces Control Policy", "2026-01-21"),
                                               ("Cy Dee", "Please sign: Code of Conduct, Access Control",
                                                "2026-01-21")])
    with pytest.raises(WorkbenchError, match=r"row 4, column B \('Subject'\): 'Please sign: Code of Conduct, Access "
                                             r"Control' is not a policy of this project"):
        import_register(new_project, ACKNOWLEDGEMENTS, path)
    write_csv(path, [("Recipient Name", "Subject", "Completed"),
                     ("Ann Lee", "Please DocuSign: Code of Conduct", "2026-01-20"),
                     ("Bob Roy", "Acces Control Policy", "2026-01-21")])
    result = import_register(new_project, ACKNOWLEDGEMENTS, path)
    assert "'Please DocuSign: Code of Conduct' as code-of-conduct (row 2)" in result["message"]
    assert "'Acces Control Policy' as access-control (row 3)" in result["message"]
    acks = {(a.person, a.policy_key) for a in policy_register(new_project).acknowledgements}
    assert acks == {("E1", "code-of-conduct"), ("E2", "access-control")}


def test_a_list_of_another_kind_imported_as_policies_is_refused_whole(new_project, tmp_path):
    from workbench.services.importers.kinds import POLICIES

    path = REALWORLD / "ciso-assistant_evidences.csv"
    if not path.is_file():
        path = write_csv(tmp_path / "evidence.csv", [("name", "description"),
                                                     *((f"Screenshot {n}", "proof") for n in range(150))])
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match=r"would add \d{3} policies at once \(titles read from column A \('name'\)"
                                             r"\); .*another kind of list; nothing was imported"):
        import_register(new_project, POLICIES, path)
    assert digest(new_project) == before and policy_register(new_project).policies == ()


def test_a_markdown_file_of_megabytes_is_refused_before_it_becomes_a_policy(new_project, tmp_path):
    path = tmp_path / "huge policy.md"
    path.write_text("# Huge Policy\n\n" + "Staff follow this rule at all times.\n" * 60_000, encoding="utf-8")
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match=r"huge policy\.md : holds 2,\d{3},\d{3} characters of text, more than "
                                             r"the 2,000,000 a policy may have"):
        import_policy(new_project, path)
    assert digest(new_project) == before


def test_word_numbering_set_on_the_paragraph_nests_and_word_stars_stay_stars(tmp_path):
    """LibreOffice and Word number a Normal paragraph directly (numPr), not by a list style."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_heading("Offboarding Policy", 1)
    formats = {n.get(qn("w:numId")): document.part.numbering_part.element.xpath(
        f'w:abstractNum[@w:abstractNumId="{n.xpath("w:abstractNumId/@w:val")[0]}"]/w:lvl[@w:ilvl="0"]/w:numFmt/@w:val'
    )[0] for n in document.part.numbering_part.element.xpath("w:num")}
    decimal = next(k for k, v in formats.items() if v == "decimal")
    bullet = next(k for k, v in formats.items() if v == "bullet")
    for text, num_id, level in (("Revoke access", decimal, 0), ("Collect the laptop", decimal, 0),
                                ("Wipe it", bullet, 1), ("Tell payroll", decimal, 0)):
        paragraph = document.add_paragraph(text)
        numbering, ilvl, number = OxmlElement("w:numPr"), OxmlElement("w:ilvl"), OxmlElement("w:numId")
        ilvl.set(qn("w:val"), str(level))
        number.set(qn("w:val"), num_id)
        numbering.extend([ilvl, number])
        paragraph._p.get_or_add_pPr().append(numbering)
    document.add_paragraph("Leavers* keep **no** access.")
    path = tmp_path / "offboarding.docx"
    document.save(str(path))
    body = read_policy_file(path).body
    assert ("1. Revoke access\n1. Collect the laptop\n   - Wipe it\n1. Tell payroll\n\n"
            "Leavers\\* keep \\*\\*no\\*\\* access.\n") in body


def test_a_key_given_for_an_import_is_made_a_plain_key(new_project, tmp_path):
    path = tmp_path / "travel.md"
    path.write_text("# Travel Policy\n\nTravel light.\n", encoding="utf-8")
    assert import_policy(new_project, path, key="My Travel Rules! é/../x").value.key == "my-travel-rules-e-x"


def test_text_in_tables_nested_inside_a_word_table_cell_is_kept(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading("Nested Policy", 0)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for level in range(40):
        cell.paragraphs[0].text = f"level {level}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    document.save(str(tmp_path / "nested.docx"))
    body = read_policy_file(tmp_path / "nested.docx").body
    assert all(f"level {level}" in body for level in range(40))


def test_a_word_policy_of_ten_thousand_paragraphs_reads_in_seconds(tmp_path):
    import time

    from docx import Document

    document = Document()
    document.add_heading("Long Policy", 0)
    for number in range(10_000):
        document.add_paragraph(f"Paragraph {number}")
    document.save(str(tmp_path / "long.docx"))
    started = time.perf_counter()
    body = read_policy_file(tmp_path / "long.docx").body
    assert time.perf_counter() - started < 10  # each paragraph's default style was looked up anew: 30 s and more
    assert "Paragraph 0\n\nParagraph 1\n" in body and body.rstrip().endswith("Paragraph 9999")


def test_signatures_recorded_before_the_people_register_count_once_it_names_the_signers(new_project, tmp_path):
    add_policies(new_project, ["access-control"])
    publish(new_project, "access-control", "Grace Hopper", date(2026, 1, 15), date(2026, 1, 10))
    record_acknowledgement(new_project, "access-control", "Ann Lee", date(2026, 1, 20))  # no register yet: her name
    record_acknowledgement(new_project, "access-control", "bob@acme.test", date(2026, 1, 21))
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", STAFF))
    behind = {b.name for b in who_is_behind(new_project, date(2026, 3, 1))}
    assert behind == {"Cy Dee", "Di Ray", "Dan Fox"}  # Ann and Bob signed; Old Timer had left


@pytest.mark.parametrize(("text", "message"), [
    ("# Policy\n\nfine\n\nred \x1b[31m text\n", r"line 5 holds a control character \(U\+001B\)"),
    ("# \n\n#\n\n   \n", "holds no text"),
])
def test_markdown_with_control_characters_or_only_empty_headings_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "odd.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbenchError, match=message) as raised:
        read_policy_file(path)
    assert str(path) in str(raised.value)


def _wide_table(columns: int) -> str:
    return ("# Wide Policy\n\nIntro.\n\n| " + " | ".join(f"c{n}" for n in range(columns)) + " |\n|"
            + "---|" * columns + "\n| " + " | ".join("v" for _ in range(columns)) + " |\n")


def test_a_table_wider_than_a_page_is_refused_before_it_breaks_the_pdf_export(new_project, tmp_path):
    from workbench.services.exports.policy_document import write_policies
    from workbench.services.policies import edit_draft

    path = tmp_path / "wide.md"
    path.write_text(_wide_table(50), encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"wide.md : line 5 starts a table of 50 columns; at most 30 fit"):
        read_policy_file(path)
    add_policies(new_project, ["access-control"])
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match="policy access-control : line 5 starts a table of 50 columns"):
        edit_draft(new_project, "access-control", body=_wide_table(50))
    assert digest(new_project) == before
    edit_draft(new_project, "access-control", body=_wide_table(30))  # 30 columns still fit the page
    write_policies(new_project, tmp_path / "policies.pdf", "access-control")


def test_a_pdf_policy_is_titled_by_its_first_line_not_its_scanner_file_name(tmp_path):
    found = read_policy_file(_pdf(tmp_path / "scan_0001.pdf"))
    assert found.title == "Backup Policy"
    assert found.body.startswith("Backup Policy\nBackups are tested each quarter.")
