"""The import wizard in its request-list kind: a CPA firm's PBC spreadsheet into the engagement's requests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.enums import RequestStatus
from workbench.services.engagement import list_requests
from workbench.services.importers.kinds import REQUESTS
from workbench.services.session import open_project
from workbench.ui.import_models import PlanRowsModel
from workbench.ui.import_wizard import MAPPING_PAGE, PROBLEMS_PAGE, RESULT_PAGE, ImportWizard
from workbench.ui.pages.audit import AuditPage
from workbench.ui.pages.controls import ControlsPage

HEADER = ["Request #", "Request Description", "TSC Reference", "Related Control", "Due Date", "Status",
          "Portal Link"]
NEW_REFS = {"FW-01", "FW-02", "FW-03", "FW-04"}


def pbc_list(path: Path, *, ambiguous: bool = True) -> Path:
    """A firm's PBC list: an instructions sheet first, a title row above the header, and an unmapped column."""
    book = Workbook()
    book.active.title = "Instructions"
    book.active["A1"] = "Upload each item to the portal and set its status."
    sheet = book.create_sheet("PBC List")
    sheet["A1"] = "Example CPA LLP: SOC 2 Type II information request list"
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(HEADER)  # row 3
    rows: list[list[Any]] = [
        ["FW-01", "System description draft", "CC2.1", "", "03/04/2026" if ambiguous else "2026-04-03", "Open",
         "https://portal.example/1"],  # 4
        ["FW-02", "Access review population", "CC6.2; CC 6.3", "AC-04", "05/06/2026" if ambiguous else "2026-06-05",
         "Submitted", ""],  # 5
        ["FW-03", "Change tickets sample", "CC8.1", "CM-01", datetime(2026, 5, 15), "In progress", ""],  # 6
        ["FW-04", "Board minutes", "CC1.2", "", "25/05/2026", "Open", "https://portal.example/4"],  # 7
        ["PBC-001", "Information security policy, updated", "CC5.3, CC2.2", "GV-01", "2026-11-02", "Submitted",
         ""],  # 8: a request the project has, with another item, due date and status
    ]
    for row in rows:
        sheet.append(row)
    book.active = 1
    book.save(path)
    return path


def _next(qtbot, wizard: ImportWizard, context) -> None:
    button = wizard.button(QWizard.WizardButton.CommitButton
                           if wizard.currentPage().isCommitPage() else QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)


def _to_mapping(qtbot, context, wizard: ImportWizard, path: Path) -> None:
    wizard.path_edit.setFocus()
    qtbot.keyClicks(wizard.path_edit, str(path))
    qtbot.keyClick(wizard.path_edit, Qt.Key.Key_Return)
    wait_until_idle(qtbot, context)
    assert "requests look to be on sheet “PBC List”" in wizard.file_status.text()
    assert "row 3" in wizard.file_status.text()
    _next(qtbot, wizard, context)
    _next(qtbot, wizard, context)
    assert wizard.currentId() == MAPPING_PAGE


def _wizard(qtbot, context) -> ImportWizard:
    page = AuditPage(context)
    show_page(qtbot, page)
    page.request_view.setFocus()
    qtbot.keyClick(page.request_view, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wizard = page.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    return wizard


def _dues(wizard: ImportWizard) -> dict[str, str]:
    """The due dates as the preview table shows them (as every date on screen, in the user's locale), by ID."""
    model = wizard.plan_model
    assert isinstance(model, PlanRowsModel)
    key, due = model.column_of("ref"), model.column_of("due")
    return {model.index(i, key).data(): model.index(i, due).data() for i in range(model.rowCount())}


def _next_enabled(wizard: ImportWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_the_wizard_asks_how_dates_are_written_and_previews_the_answer(qtbot, page_context, tmp_path):
    wizard = _wizard(qtbot, page_context)
    assert wizard.windowTitle() == "Import the auditor's request list"
    _to_mapping(qtbot, page_context, wizard, pbc_list(tmp_path / "pbc.xlsx"))

    assert tuple(wizard.field_boxes) == REQUESTS.names
    chosen = {field: box.currentText() for field, box in wizard.field_boxes.items()}
    assert chosen["ref"] == "A · Request #"
    assert chosen["item"] == "B · Request Description"
    assert chosen["criteria"] == "C · TSC Reference"
    assert chosen["control"] == "D · Related Control"
    assert chosen["due"] == "E · Due Date"
    assert chosen["status"] == "F · Status"
    assert "G · Portal Link" not in chosen.values()
    assert wizard.field_boxes["ref"].accessibleName() == "Column for Request ID (required)"

    # The file writes 03/04/2026: the wizard asks, reads nothing either way, and waits for the answer.
    assert wizard.date_box.isVisible()
    question = wizard.date_question.text()
    assert "2 dates" in question and "“03/04/2026”" in question
    assert wizard.day_first_button.text() == "&Day first: “03/04/2026” is 3 Apr 2026"
    assert wizard.month_first_button.text() == "&Month first: “03/04/2026” is 4 Mar 2026"
    assert not wizard.day_first_button.isChecked() and not wizard.month_first_button.isChecked()
    assert _dues(wizard) == {"FW-01": "", "FW-02": "", "FW-03": "15 May 2026", "FW-04": "25 May 2026",
                             "PBC-001": "2 Nov 2026"}
    assert "day or the month first" in wizard.mapping_status.text()
    assert not _next_enabled(wizard)

    qtbot.mouseClick(wizard.day_first_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page_context)
    assert wizard.day_first is True
    assert _dues(wizard)["FW-01"] == "3 Apr 2026" and _dues(wizard)["FW-02"] == "5 Jun 2026"
    assert _next_enabled(wizard)

    qtbot.mouseClick(wizard.month_first_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page_context)
    assert _dues(wizard)["FW-01"] == "4 Mar 2026" and _dues(wizard)["FW-02"] == "6 May 2026"
    assert _dues(wizard)["FW-04"] == "25 May 2026"  # 25/05 reads one way only

    wizard.set_field_column("due", None)  # without the due column there is nothing to ask
    wait_until_idle(qtbot, page_context)
    assert not wizard.date_box.isVisible()
    assert _dues(wizard) == {"FW-01": "", "FW-02": "", "FW-03": "", "FW-04": "",
                             "PBC-001": "9 Oct 2026"}  # a request the project has keeps its due date
    assert _next_enabled(wizard)
    assert page_context.undo_stack.count() == 0
    wizard.reject()


def test_a_list_with_clear_dates_asks_nothing(qtbot, page_context, tmp_path):
    wizard = _wizard(qtbot, page_context)
    _to_mapping(qtbot, page_context, wizard, pbc_list(tmp_path / "clear.xlsx", ambiguous=False))
    assert not wizard.date_box.isVisible()
    assert _dues(wizard)["FW-01"] == "3 Apr 2026"
    assert "4 to create · 1 to update · 0 unchanged" in wizard.mapping_status.text()
    assert _next_enabled(wizard)
    wizard.reject()


def test_importing_the_request_list_is_one_undoable_step_shown_on_the_audit_page(qtbot, page_context, tmp_path):
    path = page_context.project.path
    before = {r.ref: r for r in list_requests(page_context.project)}
    page = AuditPage(page_context)
    show_page(qtbot, page)
    assert page.import_button.toolTip().endswith("(Ctrl+Shift+I)")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = page.import_wizard
    assert wizard is not None
    _to_mapping(qtbot, page_context, wizard, pbc_list(tmp_path / "pbc.xlsx"))
    wizard.set_day_first(True)
    wait_until_idle(qtbot, page_context)
    assert wizard.day_first_button.isChecked()
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == PROBLEMS_PAGE
    assert "4 to create · 1 to update · 0 unchanged · 0 skipped · 0 with errors" in wizard.counts_label.text()
    assert page.request_model.rowCount() == len(before)
    assert NEW_REFS.isdisjoint(r.ref for r in list_requests(page_context.project))  # nothing written yet

    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == RESULT_PAGE
    assert "4 requests created, 1 updated" in wizard.result_label.text()
    stack = page_context.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Import 5 requests from pbc.xlsx"
    shown = {page.request_model.index(i, 0).data() for i in range(page.request_model.rowCount())}
    assert shown == set(before) | NEW_REFS
    assert "17 requests" in page.summary.text()

    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert {r.ref: r for r in list_requests(page_context.project)} == before
    assert {page.request_model.index(i, 0).data() for i in range(page.request_model.rowCount())} == set(before)
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    assert {r.ref for r in list_requests(page_context.project)} == set(before) | NEW_REFS
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    project = page_context.project
    page_context.set_project(None)
    page_context.operations.wait(30)
    project.close()
    with open_project(path) as reopened:
        stored = {r.ref: r for r in list_requests(reopened)}
    assert set(stored) == set(before) | NEW_REFS
    assert stored["FW-01"].due == date(2026, 4, 3) and stored["FW-02"].due == date(2026, 6, 5)
    assert stored["FW-03"].due == date(2026, 5, 15) and stored["FW-04"].due == date(2026, 5, 25)
    assert stored["FW-02"].tsc_refs == ("CC6.2", "CC6.3") and stored["FW-02"].control_ref == "AC-04"
    assert stored["FW-01"].tsc_refs == ("CC2.1",) and stored["FW-01"].control_ref is None
    assert stored["FW-02"].status is RequestStatus.SUBMITTED and stored["FW-03"].status is RequestStatus.OPEN
    assert stored["FW-01"].item == "System description draft"
    updated = stored["PBC-001"]
    assert updated.item == "Information security policy, updated" and updated.due == date(2026, 11, 2)
    assert updated.status is RequestStatus.SUBMITTED
    assert updated.owner == before["PBC-001"].owner and updated.evidence_ids == before["PBC-001"].evidence_ids


def test_each_page_opens_its_own_kind(qtbot, page_context):
    controls = ControlsPage(page_context)
    show_page(qtbot, controls)
    controls.table.setFocus()
    qtbot.keyClick(controls.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert controls.import_wizard is not None and controls.import_wizard.windowTitle() == "Import controls"
    assert "title" in controls.import_wizard.field_boxes and "item" not in controls.import_wizard.field_boxes
    controls.import_wizard.reject()
    audit = AuditPage(page_context)
    show_page(qtbot, audit)
    audit.search.setFocus()
    qtbot.keyClick(audit.search, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert audit.import_wizard is None  # Ctrl+I belongs to the controls page
    qtbot.keyClick(audit.search, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert audit.import_wizard is not None and "due" in audit.import_wizard.field_boxes
    audit.import_wizard.reject()
