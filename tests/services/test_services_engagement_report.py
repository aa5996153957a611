"""Step 5 and step 6 services: engagement, milestones, requests, reports, exceptions, distribution, file."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from workbench.domain.entities import ControlDraft, Engagement
from workbench.domain.enums import Opinion, ReportType, RequestStatus
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services import engagement as eng
from workbench.services import report as rep
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" * 50


@pytest.fixture
def project(new_project):
    add_control(new_project, ControlDraft("AC-1", "Access reviews", criteria=("CC6.1",)))
    return new_project


def test_engagement_is_trimmed_and_a_bad_email_refused(project, reopen):
    eng.save_engagement(project, Engagement(" Halvorsen LLP ", "Claire", "claire@example.com", "+1 555", " hi "))
    with pytest.raises(ValidationError, match="not an email"):
        eng.save_engagement(project, Engagement("X", email="not-an-email"))
    project.close()
    with reopen(project.path) as again:
        stored, _ = eng.get_engagement(again)
    assert stored == Engagement("Halvorsen LLP", "Claire", "claire@example.com", "+1 555", "hi")


def test_standard_milestones_only_on_an_empty_list_and_remove_restore_keeps_order(project):
    ids = eng.add_standard_milestones(project).value
    assert [m.name for m in eng.get_engagement(project)[1]] == list(eng.STANDARD_MILESTONES)
    with pytest.raises(ValidationError, match="already has milestones"):
        eng.add_standard_milestones(project)
    second = eng.get_engagement(project)[1][1]
    position = eng.remove_milestone(project, second.id).value
    assert second.name not in [m.name for m in eng.get_engagement(project)[1]]
    eng.add_milestone(project, second.name, second.due, second.done_on, milestone_id=second.id, position=position)
    assert [m.id for m in eng.get_engagement(project)[1]] == ids
    eng.set_milestone_done(project, ids[0], date(2026, 3, 1))
    assert eng.get_engagement(project)[1][0].done_on == date(2026, 3, 1)
    with pytest.raises(ValidationError):
        eng.update_milestone(project, ids[0], "  ", None, None)
    with pytest.raises(NotFoundError):
        eng.set_milestone_done(project, 9999, None)


def test_request_validation_update_and_restore(project):
    evidence = add_evidence_bytes(project, "review.csv", b"user,decision\n", EvidenceMeta("AC-1")).value
    request_id = eng.add_request(project, "PBC-1", "Access review", tsc_refs=["cc6.1"], control_ref="AC-1",
                                 evidence_ids=[evidence.id], due=date(2026, 5, 1)).value
    (stored,) = eng.list_requests(project)
    assert stored.tsc_refs == ("CC6.1",) and stored.evidence_ids == (evidence.id,) and stored.control_ref == "AC-1"
    with pytest.raises(DuplicateError):
        eng.add_request(project, "PBC-1", "Again")
    with pytest.raises(ValidationError, match="not a criterion"):
        eng.add_request(project, "PBC-2", "Bad", tsc_refs=["ZZ9.9"])
    with pytest.raises(NotFoundError, match="evidence 4242"):
        eng.add_request(project, "PBC-2", "Bad", evidence_ids=[4242])
    with pytest.raises(NotFoundError, match="control AC-9"):
        eng.add_request(project, "PBC-2", "Bad", control_ref="AC-9")
    draft = eng.RequestDraft("PBC-1", "Access review Q2", ("CC6.1",), None, "Dana", date(2026, 5, 2),
                             RequestStatus.NEEDS_FOLLOW_UP, ())
    eng.update_request(project, request_id, draft)
    (changed,) = eng.list_requests(project)
    assert changed.item == "Access review Q2" and changed.evidence_ids == () and changed.control_ref is None
    assert eng.is_overdue(changed, date(2026, 6, 1)) and not eng.is_overdue(changed, date(2026, 5, 1))
    eng.remove_request(project, request_id)
    assert eng.list_requests(project) == []
    eng.restore_request(project, stored)
    assert eng.list_requests(project) == [stored]


def test_report_validation(project):
    with pytest.raises(ValidationError, match="ends before it starts"):
        rep.add_report(project, ReportType.TYPE2, date(2026, 6, 30), date(2026, 1, 1))
    with pytest.raises(ValidationError, match="issued before"):
        rep.add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30), issued_on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match="bridge letter"):
        rep.add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30),
                       bridge_letter_on=date(2026, 6, 30))
    with pytest.raises(ValidationError, match="next cycle"):
        rep.add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30),
                       next_cycle_start=date(2026, 3, 1))
    type1 = rep.add_report(project, ReportType.TYPE1, date(2026, 3, 31), date(2026, 12, 31)).value
    (record,) = rep.list_report_records(project)
    assert record.id == type1 and record.report.period_end == date(2026, 3, 31)


def test_a_qualified_opinion_may_rest_on_the_description_or_a_scope_limitation(project):
    rep.add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30), opinion=Opinion.QUALIFIED,
                   notes="Qualified: the description left out the EU region (DC3)")
    (record,) = rep.list_report_records(project)
    assert rep.opinion_warning(record) is None  # no exception, but the notes say what was qualified
    assert "scope limitation" in rep.OPINION_EXPLANATIONS[Opinion.QUALIFIED]
    assert "can still list exceptions" in rep.OPINION_EXPLANATIONS[Opinion.UNQUALIFIED]


def test_report_with_exceptions_distribution_warning_and_restore(project, reopen):
    report_id = rep.add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30),
                               opinion=Opinion.QUALIFIED, issued_on=date(2026, 7, 20), auditor="Halvorsen",
                               bridge_letter_on=date(2026, 10, 1), next_cycle_start=date(2026, 7, 1)).value
    (record,) = rep.list_report_records(project)
    assert "no exception is recorded" in rep.opinion_warning(record)
    exception_id = rep.add_exception(project, report_id, "CC6.2", "Two leavers kept access", "Now automated").value
    with pytest.raises(ValidationError):
        rep.add_exception(project, report_id, "CC6.3", "  ")
    with pytest.raises(ValidationError, match="before the report was issued"):
        rep.add_distribution(project, report_id, "Acme", sent_on=date(2026, 7, 1))
    rep.add_distribution(project, report_id, " Jane Buyer ", "Acme Corp", "NDA-7", date(2026, 8, 1))
    project.close()
    with reopen(project.path) as again:
        (record,) = rep.list_report_records(again)
        assert rep.opinion_warning(record) is None
        assert record.bridge_letter_on == date(2026, 10, 1) and record.next_cycle_start == date(2026, 7, 1)
        assert record.report.exceptions[0].management_response == "Now automated"
        assert record.report.distributions[0].recipient == "Jane Buyer"
        rep.update_exception(again, exception_id, "CC6.2", "Two leavers kept access", "Automated in May")
        (record,) = rep.list_report_records(again)
        rep.remove_report(again, report_id)
        assert rep.list_report_records(again) == []
        rep.restore_report(again, record)
        assert rep.list_report_records(again) == [record]


def test_attach_report_file_stores_pdf_bytes_and_refuses_other_files(project, tmp_path):
    report_id = rep.add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 6, 30)).value
    pdf = tmp_path / "soc2-report.pdf"
    pdf.write_bytes(PDF_BYTES)
    seen: list[tuple[int, int]] = []
    stored = rep.attach_report_file(project, report_id, pdf,
                                    lambda done, total: seen.append((done, total)) or True).value
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest() and stored.media_type == "application/pdf"
    assert seen[-1][0] == seen[-1][1]
    assert b"".join(rep.read_report_file(project, report_id)) == PDF_BYTES
    copy = rep.save_report_file_copy(project, report_id, tmp_path / "copy.pdf")
    assert copy.read_bytes() == PDF_BYTES
    (record,) = rep.list_report_records(project)
    assert record.file == stored
    text = tmp_path / "notes.txt"
    text.write_text("not a report")
    with pytest.raises(ValidationError, match="not a PDF"):
        rep.attach_report_file(project, report_id, text)
    with pytest.raises(NotFoundError):
        rep.attach_report_file(project, 999, pdf)
    other = rep.add_report(project, ReportType.TYPE1, date(2026, 1, 1), None).value
    with pytest.raises(NotFoundError, match="no file"):
        rep.save_report_file_copy(project, other, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists() and not (tmp_path / ".none.pdf.partial").exists()
