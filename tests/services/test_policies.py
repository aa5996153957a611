"""Policies (issue 23) through the services: templates become drafts, publishing freezes a version that never
changes (editing starts a new draft, the database refuses a changed text), the version in force on a past day is
recovered exactly, signatures import from a CSV and say who is behind, bad files change nothing, and existing
policies import from Markdown, Word and PDF; values are read back from the reopened project."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.services.test_services_registers import digest, write_csv
from workbench.domain.entities import ControlDraft
from workbench.domain.errors import WorkbenchError
from workbench.domain.policies import body_sha256
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import ACKNOWLEDGEMENTS, PEOPLE, POLICIES
from workbench.services.policies import (
    add_policies,
    edit_draft,
    get_policy,
    import_policy,
    policy_on,
    policy_register,
    publish,
    record_acknowledgement,
    who_is_behind,
)
from workbench.services.project import project_status
from workbench.services.registers import list_register

STAFF = [("Employee ID", "Name", "Email", "Start date", "End date"),
         ("E1", "Ann Lee", "ann@acme.test", "2024-01-10", ""),
         ("E2", "Bob Roy", "bob@acme.test", "2023-05-01", ""),
         ("E3", "Cy Dee", "cy@acme.test", "2025-02-01", ""),
         ("E4", "Di Ray", "di@acme.test", "2025-06-01", ""),
         ("E5", "Dan Fox", "dan@acme.test", "2026-02-02", ""),
         ("E6", "Old Timer", "old@acme.test", "2020-01-01", "2025-12-31")]  # left before: never behind
# Ann by name, Bob by email, Cy by employee ID; the policies by title in other cases and words. Di and Dan are behind.
SIGNATURES = [("Signer", "Document", "Date signed"),
              ("Ann Lee", "Access Control Policy", "2026-01-20"), ("bob@acme.test", "access control", "2026-01-21"),
              ("E3", "ACCESS-CONTROL", "2026-01-22"),
              ("ann lee", "Code of Conduct", "2026-01-20"), ("Bob Roy", "code-of-conduct", "2026-01-21"),
              ("cy@acme.test", "Code of conduct policy", "2026-01-22")]


def _published(project, key: str = "access-control", effective: date = date(2026, 1, 15)):
    return publish(project, key, "Grace Hopper (CEO)", effective, date(2026, 1, 10)).value


def test_a_published_version_is_frozen_and_the_version_in_force_on_a_past_day_comes_back_exactly(
        new_project, reopen, plain_sql):
    added = add_policies(new_project, ["access-control", "business-continuity"]).value
    assert added.added == ("access-control", "business-continuity") and added.skipped == ()
    # a security-only project: the continuity policy keeps its common criteria, not A1.2/A1.3
    assert get_policy(new_project, "business-continuity").criteria == ("CC7.5", "CC9.1")
    with pytest.raises(WorkbenchError, match="access-control : is already a policy of this project"):
        add_policies(new_project, ["access-control"])
    first = _published(new_project)
    assert first.number == 1 and first.sha256 == body_sha256(first.body)
    assert get_policy(new_project, "access-control").draft_body is None

    edited = edit_draft(new_project, "access-control", owner="CTO").value  # a published policy: a new draft from it
    assert edited.draft_body == first.body and edited.versions == (first,)
    edit_draft(new_project, "access-control", body=first.body + "\n## Exceptions\n\nAsk the CTO in writing.\n")
    assert get_policy(new_project, "access-control").versions == (first,)
    with pytest.raises(WorkbenchError, match="a published policy version cannot be changed"), \
            new_project.uow() as uow:
        uow.session.execute(text("UPDATE policy_versions SET body = 'tampered'"))
        uow.commit()

    second = publish(new_project, "access-control", "Grace Hopper (CEO)", date(2026, 2, 20), date(2026, 2, 18)).value
    assert second.number == 2 and second.sha256 != first.sha256
    path = new_project.path
    new_project.close()
    with reopen(path) as project:
        past = policy_on(project, "access-control", date(2026, 2, 1))
        assert past == first and past.sha256 == body_sha256(past.body) == first.sha256
        assert past.approver == "Grace Hopper (CEO)" and past.approved_on == date(2026, 1, 10)
        assert policy_on(project, "access-control", date(2026, 3, 1)).number == 2
        with pytest.raises(WorkbenchError, match=r"had no version in force on 2026-01-01 \(its first took effect on "
                                                 r"2026-01-15\)"):
            policy_on(project, "access-control", date(2026, 1, 1))
        listed, continuity = list_register(project, POLICIES)
        assert continuity["key"] == "business-continuity" and continuity["version"] is None
        assert (listed["version"], listed["owner"], listed["effective_on"], listed["next_review"]) == (
            2, "CTO", "2026-02-20", "2027-02-20")
        assert listed["sha256"] == second.sha256
    assert [row[0] for row in plain_sql(path, "SELECT sha256 FROM policy_versions ORDER BY number")] == [
        first.sha256, second.sha256]


def test_each_edit_is_undone_and_redone(new_project):
    added = add_policies(new_project, ["encryption"])
    edit = edit_draft(new_project, "encryption", title="Cryptography Policy", review_months=6)
    published = publish(new_project, "encryption", "Ann")
    assert get_policy(new_project, "encryption").latest.number == 1
    withdrawn = published.inverse(new_project)
    policy = get_policy(new_project, "encryption")
    assert policy.versions == () and policy.draft_body == published.value.body
    withdrawn.inverse(new_project)  # redo
    assert get_policy(new_project, "encryption").latest.sha256 == published.value.sha256
    ack = record_acknowledgement(new_project, "encryption", "Ann")
    with pytest.raises(WorkbenchError, match="acknowledged since; it stays published"):
        published.inverse(new_project)
    ack.inverse(new_project)
    published.inverse(new_project)
    edit.inverse(new_project)
    assert get_policy(new_project, "encryption").title == "Encryption Policy"
    added.inverse(new_project)
    assert policy_register(new_project).policies == ()


def test_a_csv_of_signatures_records_them_and_lists_who_is_behind(new_project, tmp_path, reopen):
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", STAFF))
    add_policies(new_project, ["access-control", "code-of-conduct"])
    for key in ("access-control", "code-of-conduct"):
        _published(new_project, key)
    report = import_register(new_project, ACKNOWLEDGEMENTS, write_csv(tmp_path / "signed.csv", SIGNATURES))
    assert report["acknowledged"] == 6 and report["problems"] == []
    assert sorted({b["name"] for b in report["behind"]}) == ["Dan Fox", "Di Ray"]
    assert report["message"] == "6 acknowledgements recorded. Behind: Di Ray, Dan Fox."
    again = import_register(new_project, ACKNOWLEDGEMENTS, tmp_path / "signed.csv")
    assert (again["acknowledged"], again["created"], again["unchanged"]) == (0, 0, 6)  # not recorded twice
    actions = [text for _, text in project_status(new_project).next_actions]
    assert any("Have 2 people acknowledge the policies in force (4 acknowledgements missing: Di Ray, Dan Fox)" in t
               for t in actions), actions
    assert any("Acknowledgement at hire missing for 1 joiner" in t and "Dan Fox" in t for t in actions), actions
    path = new_project.path
    new_project.close()
    with reopen(path) as project:
        listed = list_register(project, ACKNOWLEDGEMENTS)
        assert [(a["person"], a["policy"], a["version"], a["acknowledged_on"]) for a in listed][:3] == [
            ("Ann Lee", "access-control", "1", "2026-01-20"), ("Bob Roy", "access-control", "1", "2026-01-21"),
            ("Cy Dee", "access-control", "1", "2026-01-22")]
        assert {(b.name, b.policy_key) for b in who_is_behind(project)} == {
            ("Di Ray", "access-control"), ("Dan Fox", "access-control"), ("Di Ray", "code-of-conduct"),
            ("Dan Fox", "code-of-conduct")}
        record_acknowledgement(project, "access-control", "Di Ray", date(2026, 3, 1))
        assert {b.name for b in who_is_behind(project) if b.policy_key == "access-control"} == {"Dan Fox"}
        assert who_is_behind(project, date(2025, 12, 1)) == []  # nothing was in force yet


@pytest.mark.parametrize(("rows", "raw", "message"), [
    ([("Signer", "Document", "Date signed"), ("Ann Lee", "Access Control", "2026-01-20"),
      ("Zed Unknown", "Access Control", "2026-01-20")], None,
     r"signed.csv : row 3, column A \('Signer'\): 'Zed Unknown' is not one person of the people register; nothing"),
    ([("Signer", "Document", "Date signed"), ("Ann Lee", "Travel Policy", "2026-01-20")], None,
     r"row 2, column B \('Document'\): 'Travel Policy' is not a policy of this project"),
    ([("Signer", "Document", "Date signed"), ("Ann Lee", "Access Control", "the 20th")], None,
     r"row 2, column C \('Date signed'\): .*'the 20th' is not a date"),
    ([("Signer", "Date signed"), ("Ann Lee", "2026-01-20")], None, r"no column holds the policy"),
    ([("Colour", "Shape"), ("red", "round")], None, r"no column holds the person"),
    (None, bytes(range(256)) * 8, r"binary data"),
    (None, b"", r"the file is empty"),
])
def test_a_bad_file_of_signatures_is_refused_whole_and_changes_nothing(new_project, tmp_path, rows, raw, message):
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", STAFF))
    add_policies(new_project, ["access-control"])
    _published(new_project)
    path = tmp_path / "signed.csv"
    if raw is None:
        write_csv(path, rows)
    else:
        path.write_bytes(raw)
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match=message):
        import_register(new_project, ACKNOWLEDGEMENTS, path)
    assert digest(new_project) == before
    assert list_register(new_project, ACKNOWLEDGEMENTS) == []


def _docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_heading("Remote Work Policy", level=0)
    document.add_heading("Scope", level=1)
    document.add_paragraph("Everyone who works away from the office.")
    document.add_paragraph("Lock the screen when away", style="List Bullet")
    document.add_paragraph("Use the company VPN", style="List Bullet")
    document.save(str(path))
    return path


def _pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.drawString(72, 760, "Clean Desk Policy")
    canvas.drawString(72, 740, "Papers are locked away at the end of each day.")
    canvas.save()
    return path


def test_existing_policies_import_from_markdown_word_and_pdf(new_project, tmp_path, reopen):
    (tmp_path / "travel.md").write_text("# Travel Policy\n\nBook through the portal.\n", encoding="utf-8")
    markdown = import_policy(new_project, tmp_path / "travel.md").value
    assert (markdown.key, markdown.title, markdown.draft_body) == ("travel", "Travel Policy",
                                                                   "# Travel Policy\n\nBook through the portal.\n")
    word = import_policy(new_project, _docx(tmp_path / "remote.docx")).value
    assert word.key == "remote-work" and word.draft_body.splitlines()[:8] == [
        "# Remote Work Policy", "", "## Scope", "", "Everyone who works away from the office.", "",
        "- Lock the screen when away", "- Use the company VPN"]
    with pytest.raises(WorkbenchError, match=r"clean-desk\.pdf : a PDF policy is kept as evidence of a control"):
        import_policy(new_project, _pdf(tmp_path / "clean-desk.pdf"))
    add_control(new_project, ControlDraft("GOV-02", "Policies reviewed and approved yearly", criteria=("CC5.3",)))
    pdf = import_policy(new_project, tmp_path / "clean-desk.pdf", key="clean-desk")
    assert "Papers are locked away at the end of each day." in pdf.value.draft_body
    (evidence,) = list_evidence(new_project, "GOV-02")
    assert evidence.filename == "clean-desk.pdf"
    assert pdf.value.source == f"imported from clean-desk.pdf (kept as evidence #{evidence.id} of GOV-02)"
    with pytest.raises(WorkbenchError, match="travel : is already a policy"):
        import_policy(new_project, tmp_path / "travel.md")
    (tmp_path / "junk.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbenchError, match=r"junk\.docx : is not a Word document that can be read"):
        import_policy(new_project, tmp_path / "junk.docx")
    path = new_project.path
    new_project.close()
    with reopen(path) as project:
        assert [p.key for p in policy_register(project).policies] == ["clean-desk", "remote-work", "travel"]
        pdf.inverse(project)
        assert [p.key for p in policy_register(project).policies] == ["remote-work", "travel"]
        assert list_evidence(project, "GOV-02") == []


def test_moving_a_projects_dates_moves_its_versions_and_signatures_but_never_their_text(new_project):
    add_policies(new_project, ["access-control"])
    first = _published(new_project)
    record_acknowledgement(new_project, "access-control", "Ann Lee", date(2026, 1, 20))
    week = timedelta(days=7)
    with new_project.uow() as uow:
        assert uow.shift_dates(lambda day, _bound: day + week) >= 2
        uow.commit()
    moved = policy_on(new_project, "access-control", date(2026, 1, 22))
    assert (moved.effective_on, moved.approved_on) == (first.effective_on + week, first.approved_on + week)
    assert (moved.body, moved.sha256) == (first.body, first.sha256)
    (ack,) = policy_register(new_project).acknowledgements
    assert ack.acknowledged_on == date(2026, 1, 27)


def test_a_policy_register_gives_review_cycles_as_words_or_months(new_project, tmp_path):
    path = write_csv(tmp_path / "policies.csv", [
        ("Policy", "Owner", "Review frequency"),
        ("Access control", "CISO", "Annually and upon significant change"),
        ("Backup", "CTO", "Every 2 years"),
        ("Vendor management", "COO", "Semi-annual"),
        ("Incident response", "CISO", "24 months"),
        ("Acceptable use", "HR", "Weekly"),
        ("Asset management", "IT", ""),
    ])
    result = import_register(new_project, POLICIES, path)
    cycles = {row["title"]: row["review_months"] for row in list_register(new_project, POLICIES)}
    assert cycles == {"Access control": 12, "Backup": 24, "Vendor management": 6, "Incident response": 24,
                      "Acceptable use": 12, "Asset management": 12}
    (warning,) = [p for p in result["problems"] if p["field"] == "review_months"]
    assert warning["message"].startswith("review_months: 'Weekly' is not a review cycle")
    assert warning["message"].endswith("review every (months) left 12")  # what the policy was given, said
