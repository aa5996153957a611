"""Step 6 page driven as a user would: record the report, exceptions, distribution, the PDF; then read back."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import show_page, wait_until_idle
from workbench.services import report as service
from workbench.services.session import open_project
from workbench.ui.pages.report import ReportPage

PDF_BYTES = b"%PDF-1.4\n% SOC 2 Type II report of Brightpath Analytics\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _reopen(context):
    project = context.project
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    return open_project(project.path)


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture(autouse=True)
def _no_reports_yet(request, page_context):
    """Start from a project without reports (the sample holds last year's Type I report)."""
    if request.node.name.startswith("test_the_sample_"):
        return
    for record in service.list_report_records(page_context.project):
        service.remove_report(page_context.project, record.report.id)


def test_the_sample_shows_last_years_report_with_its_file_and_log(qtbot, page_context):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    # The sample holds this year's Type II draft (with the sample's exception) and last year's issued Type I.
    choices = [page.report_choice.itemText(i) for i in range(page.report_choice.count())]
    last_year = next(i for i, text in enumerate(choices) if "Type I " in f"{text} " or text.endswith("Type I"))
    page.report_choice.setCurrentIndex(last_year)
    page.report_choice.activated.emit(last_year)  # what choosing it in the box does
    assert "Type I" in page.report_choice.currentText() and "Type II" not in page.report_choice.currentText()
    assert page.fields.opinion.currentData() == "unqualified"
    assert page.exception_model.rowCount() == 1  # a clean report that still lists an exception, and says it may
    assert "can still list exceptions" in page.fields.opinion_explanation.text() and page.warning.isHidden()
    assert page.distribution_model.rowCount() == 3
    assert page.save_copy_button.isEnabled()


def _record_report(qtbot, page, context, opinion: str = "qualified") -> None:
    page.fields.opinion.setCurrentIndex(page.fields.opinion.findData(opinion))
    page.fields.issued_on.set_date(date(2026, 12, 15))
    page.fields.bridge_letter.set_date(date(2027, 1, 15))
    page.fields.next_cycle.set_date(date(2026, 10, 1))
    page.fields.save_button.click()
    wait_until_idle(qtbot, context)


def test_record_a_report_with_opinion_and_exception_is_stored(qtbot, page_context):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    assert page.fields.save_button.text() == "Record report"
    fields = page.fields
    assert fields.period_start.date() == QDate(2026, 4, 1) and fields.auditor.text() == "Halvorsen & Reyes LLP"
    _record_report(qtbot, page, page_context)
    assert page_context.undo_stack.undoText() == "Record report"
    assert page.fields.save_button.text() == "Save report"
    explanation = page.fields.opinion_explanation.text()
    assert "except for the matters the report names" in explanation
    assert "misstates" in explanation and "scope limitation" in explanation  # not only exceptions qualify
    assert "no exception is recorded" in page.warning.text() and not page.warning.isHidden()
    page.add_exception_button.click()
    dialog = page.dialog
    dialog.reference.setText("CC6.2")
    dialog.description.setPlainText("Two of 25 leavers kept access for more than 3 days")
    dialog.response.setPlainText("Offboarding is now automated from the HR system")
    _ok(dialog)
    wait_until_idle(qtbot, page_context)
    assert page.warning.isHidden()
    assert page.exception_model.rowCount() == 1
    with _reopen(page_context) as project:
        (record,) = service.list_report_records(project)
    report = record.report
    assert report.opinion.value == "qualified" and report.issued_on == date(2026, 12, 15)
    assert (report.period_start, report.period_end) == (date(2026, 4, 1), date(2026, 9, 30))
    assert record.bridge_letter_on == date(2027, 1, 15) and record.next_cycle_start == date(2026, 10, 1)
    assert report.exceptions[0].management_response == "Offboarding is now automated from the HR system"


def test_period_ending_before_it_starts_is_refused(qtbot, page_context):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    page.fields.period_end.setDate(QDate(2026, 1, 1))
    with qtbot.waitSignal(page_context.failed, timeout=20_000) as failure:
        page.fields.save_button.click()
    assert "ends before it starts" in failure.args[0]
    wait_until_idle(qtbot, page_context)
    assert service.list_report_records(page_context.project) == []


def test_distribution_entry_is_stored_and_undo_removes_it(qtbot, page_context):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    _record_report(qtbot, page, page_context, "unqualified")
    page.add_distribution_button.click()
    dialog = page.dialog
    dialog.recipient.setText("Priya Natarajan")
    dialog.organization.setText("Northwind Health")
    dialog.nda.setText("NDA-2026-031")
    dialog.sent_on.set_date(date(2026, 12, 20))
    _ok(dialog)
    wait_until_idle(qtbot, page_context)
    assert page.distribution_model.rowCount() == 1
    assert page_context.undo_stack.undoText() == "Send report to Priya Natarajan"
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert page.distribution_model.rowCount() == 0
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        (record,) = service.list_report_records(project)
    (entry,) = record.report.distributions
    assert (entry.recipient, entry.organization, entry.nda_reference, entry.sent_on) == (
        "Priya Natarajan", "Northwind Health", "NDA-2026-031", date(2026, 12, 20))


def test_attach_report_file_shows_its_sha_and_a_copy_has_the_same_bytes(qtbot, page_context, tmp_path):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    _record_report(qtbot, page, page_context, "unqualified")
    assert not page.save_copy_button.isEnabled()
    pdf = tmp_path / "brightpath-soc2-type2.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.attach_file(pdf)
    wait_until_idle(qtbot, page_context)
    sha = hashlib.sha256(PDF_BYTES).hexdigest()
    assert sha in page.file_label.text()
    copy = tmp_path / "copy.pdf"
    page.save_file_copy(copy)
    wait_until_idle(qtbot, page_context)
    assert copy.read_bytes() == PDF_BYTES
    with _reopen(page_context) as project:
        (record,) = service.list_report_records(project)
        assert record.file.sha256 == sha
        assert b"".join(service.read_report_file(project, record.id)) == PDF_BYTES


def test_remove_exception_and_report_then_undo(qtbot, page_context):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    _record_report(qtbot, page, page_context)
    report_id = page.current_id
    service.add_exception(page_context.project, report_id, "A1.2", "Backup restore test late")
    page_context.refresh()
    wait_until_idle(qtbot, page_context)
    page.exception_view.selectRow(0)
    page.remove_exception_button.click()
    wait_until_idle(qtbot, page_context)
    assert page.exception_model.rowCount() == 0
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert page.exception_model.rowCount() == 1
    before = service.list_report_records(page_context.project)
    page.remove_report_button.click()
    wait_until_idle(qtbot, page_context)
    assert page.fields.save_button.text() == "Record report"
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        assert service.list_report_records(project) == before
