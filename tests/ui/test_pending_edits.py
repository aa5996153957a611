"""No typed text is lost: each editable form, typed into, then left (its selection moved, focus gone, the window
closed), has saved what was typed as one undoable edit - read back from the project opened afresh - or asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt

from tests.ui.conftest import open_in, show_page, wait_until_idle
from workbench.domain.enums import AssessmentStatus
from workbench.services import plan
from workbench.services.assessment import criteria_in_scope
from workbench.services.controls import get_control, list_tasks
from workbench.services.engagement import get_engagement, list_requests
from workbench.services.evidence import list_evidence
from workbench.services.report import list_report_records
from workbench.services.samples import list_samples
from workbench.services.scope import get_scope
from workbench.services.session import OpenProject, open_project
from workbench.ui.pages.assessment import AssessmentPage
from workbench.ui.pages.controls import ControlsPage
from workbench.ui.pages.report import NEW_REPORT, ReportPage
from workbench.ui.pages.timeline import TimelinePage
from workbench.ui.pending_edits import Answer


class Asked:
    """Stands in for the user: records each question about unsaved typing and gives the next answer."""

    def __init__(self, context: Any, *answers: Answer) -> None:
        self.questions: list[str] = []
        self.answers = list(answers)
        context.edits.ask = self

    def __call__(self, _title: str, text: str, _can_save: bool) -> Answer:
        self.questions.append(text)
        return self.answers.pop(0)


@contextmanager
def reopened(path: Path) -> Iterator[OpenProject]:
    """The project file opened afresh, to read what was stored."""
    with open_project(path, backup_on_open=False) as again:
        yield again


def close_context(context: Any) -> Path:
    """Close a page context's project, as the tests of single pages do; return its file."""
    project = context.project
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    return project.path


def judged(project: OpenProject, criterion_id: str) -> tuple[AssessmentStatus, str]:
    row = next(r for r in criteria_in_scope(project) if r.criterion.id == criterion_id)
    return row.assessment.status, row.assessment.note


def two_criteria(context: Any) -> tuple[str, str]:
    """Two criteria that are not judged 'not applicable'."""
    ids = [r.criterion.id for r in criteria_in_scope(context.project)
           if r.assessment.status is not AssessmentStatus.NOT_APPLICABLE]
    return ids[0], ids[1]


@pytest.fixture
def window_on(qtbot, window, sample_copy) -> Callable[[str], Any]:
    """window_on(page): the main window shown on a copy of the sample, on that page once it has loaded."""

    def show(name: str) -> Any:
        window.show()
        qtbot.waitExposed(window)
        open_in(qtbot, window, sample_copy)
        window.show_page(name)
        page = window.step_pages[name]
        qtbot.waitUntil(lambda: page.loaded_once, timeout=20_000)
        wait_until_idle(qtbot, window.context)
        return page

    return show


# -- the assessment note: saved when the selection moves, asked about when it cannot be saved ------------------

def test_a_note_typed_on_the_assessment_page_is_saved_when_the_selection_moves(qtbot, page_context):
    page = AssessmentPage(page_context)
    show_page(qtbot, page)
    first, second = two_criteria(page_context)
    page.select(first)
    page.panel.note.clear()
    qtbot.keyClicks(page.panel.note, "Typed, then the user clicked another criterion.")
    page.select(second)
    wait_until_idle(qtbot, page_context)
    assert page.panel.criterion_id() == second
    assert page_context.undo_stack.undoText() == f"Edit note of {first}"
    with reopened(close_context(page_context)) as project:
        assert judged(project, first)[1] == "Typed, then the user clicked another criterion."


def test_not_applicable_without_a_justification_asks_and_keeping_it_stays_on_the_criterion(qtbot, page_context):
    page = AssessmentPage(page_context)
    show_page(qtbot, page)
    first, second = two_criteria(page_context)
    before = judged(page_context.project, first)
    page.select(first)
    page.panel.note.clear()
    page.panel.choose(AssessmentStatus.NOT_APPLICABLE)  # not savable without a note
    asked = Asked(page_context, Answer.KEEP, Answer.DISCARD)

    page.select(second)
    assert len(asked.questions) == 1 and "justification" in asked.questions[0]
    assert page.selected_id() == first and page.panel.chosen_status() is AssessmentStatus.NOT_APPLICABLE

    page.select(second)  # asked again: this time the change is let go
    wait_until_idle(qtbot, page_context)
    assert len(asked.questions) == 2 and page.selected_id() == second
    assert page_context.undo_stack.count() == 0
    with reopened(close_context(page_context)) as project:
        assert judged(project, first) == before


# -- the CPA firm's details: saved when the window closes, or when focus leaves them ------------------------

def test_the_firm_details_typed_on_the_audit_page_are_saved_when_the_window_closes(qtbot, window, window_on):
    page = window_on("audit")
    path = window.project.path
    page.firm_box.firm.setText("Nordlicht Assurance LLP")
    page.firm_box.notes.setPlainText("Portal: https://portal.example.com")
    window.close()
    with reopened(path) as project:
        engagement = get_engagement(project)[0]
    assert (engagement.firm, engagement.notes) == ("Nordlicht Assurance LLP", "Portal: https://portal.example.com")


def test_a_bad_email_asks_before_the_window_closes_and_keeping_it_keeps_the_window_open(qtbot, window, window_on):
    page = window_on("audit")
    path = window.project.path
    before = page.firm_box.email.text()
    page.firm_box.email.setText("not an email")
    asked = Asked(window.context, Answer.KEEP, Answer.DISCARD)
    window.close()
    assert len(asked.questions) == 1 and "not an email address" in asked.questions[0]
    assert window.isVisible() and window.project is not None  # the user keeps editing
    window.close()
    assert not window.isVisible() and len(asked.questions) == 2
    with reopened(path) as project:
        assert get_engagement(project)[0].email == before


def test_focus_leaving_the_firm_details_saves_them(qtbot, window, window_on):
    page = window_on("audit")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.firm_box.lead_auditor.setFocus()
    qtbot.waitUntil(page.firm_box.lead_auditor.hasFocus)
    page.firm_box.lead_auditor.setText("Dana Fox")
    page.search.setFocus()  # the request list's search, outside the firm's box
    wait_until_idle(qtbot, window.context)
    assert window.undo_stack.undoText() == "Edit engagement"
    assert get_engagement(window.project)[0].lead_auditor == "Dana Fox"


# -- the scope: names and description sections, when the window closes ---------------------------------------

def test_scope_names_and_description_typed_are_saved_when_the_window_closes(qtbot, window, window_on):
    page = window_on("scope")
    path = window.project.path
    page.settings_form.organization.setText("Brightpath Labs, Inc.")  # no Return, no focus change yet
    page.description.editors["dc3.data"].setPlainText("Customer analytics events; no card data.")
    window.close()
    with reopened(path) as project:
        scope = get_scope(project)
    assert scope.settings.organization == "Brightpath Labs, Inc."
    assert scope.description["dc3.data"] == "Customer analytics events; no card data."


# -- the report: saved when another report is chosen; a new one is asked about --------------------------------

def test_report_fields_are_saved_when_another_report_is_chosen(qtbot, page_context):
    page = ReportPage(page_context)
    show_page(qtbot, page)
    shown = page.current_id
    page.fields.notes.setPlainText("The auditor relied on our change tickets.")
    page.report_choice.setCurrentIndex(page.report_choice.findData(NEW_REPORT))
    page.report_choice.activated.emit(page.report_choice.currentIndex())
    wait_until_idle(qtbot, page_context)
    assert page.current_id == NEW_REPORT and page_context.undo_stack.undoText() == "Edit report"
    with reopened(close_context(page_context)) as project:
        record = next(r for r in list_report_records(project) if r.id == shown)
    assert record.report.notes == "The auditor relied on our change tickets."


def test_a_new_report_typed_in_is_asked_about_when_the_window_closes(qtbot, window, window_on):
    page = window_on("report")
    path = window.project.path
    count = len(list_report_records(window.project))
    page.report_choice.setCurrentIndex(page.report_choice.findData(NEW_REPORT))
    page.report_choice.activated.emit(page.report_choice.currentIndex())
    page.fields.notes.setPlainText("This year's Type II, received today.")
    asked = Asked(window.context, Answer.SAVE)
    window.close()
    assert asked.questions == ["Save the new report?"]
    with reopened(path) as project:
        records = list_report_records(project)
    assert len(records) == count + 1
    assert "This year's Type II, received today." in [r.report.notes for r in records]


# -- the control editor: Cancel and closing the window ask; Save saves ----------------------------------------

def test_the_control_editor_asks_before_its_changes_are_discarded(qtbot, page_context):
    page = ControlsPage(page_context)
    show_page(qtbot, page)
    page.select_control("AC-02")
    page.edit_control()
    editor = page.editor
    editor.title_edit.setText("Quarterly access review, signed off by the CTO")
    asked = Asked(page_context, Answer.KEEP, Answer.SAVE)
    editor.reject()  # Cancel or Escape
    assert len(asked.questions) == 1 and "Edit control AC-02" in asked.questions[0]
    assert editor.isVisible()  # kept editing
    editor.reject()
    wait_until_idle(qtbot, page_context)
    assert not editor.isVisible() and page_context.undo_stack.undoText() == "Edit control AC-02"
    with reopened(close_context(page_context)) as project:
        assert get_control(project, "AC-02").title == "Quarterly access review, signed off by the CTO"


def test_an_open_control_editor_is_asked_about_when_the_window_closes(qtbot, window, window_on):
    page = window_on("controls")
    path = window.project.path
    page.select_control("AC-02")
    page.edit_control()
    page.editor.owner.setCurrentText("Dana Fox (CTO)")
    asked = Asked(window.context, Answer.SAVE)
    window.close()
    assert len(asked.questions) == 1
    with reopened(path) as project:
        assert get_control(project, "AC-02").owner == "Dana Fox (CTO)"


def test_an_unchanged_dialog_closes_without_a_question(qtbot, page_context):
    page = ControlsPage(page_context)
    show_page(qtbot, page)
    page.select_control("AC-02")
    page.edit_control()
    asked = Asked(page_context)
    page.editor.reject()
    assert not page.editor.isVisible() and asked.questions == []


# -- the timeline's task panel: saved when another task is selected -------------------------------------------

def test_a_task_edited_in_the_timeline_panel_is_saved_when_another_task_is_selected(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    page.select_task("fieldwork")
    page.panel.name.setText("Fieldwork on site")
    page.panel.percent.setValue(25)
    other = next(t.key for t in page.data.schedule.tasks if t.key != "fieldwork")
    page.select_task(other)
    wait_until_idle(qtbot, page_context)
    assert page.panel.task.key == other
    assert page_context.undo_stack.undoText() == "Edit Auditor fieldwork"
    with reopened(close_context(page_context)) as project:
        spec = plan.plan_view(project).schedule.task("fieldwork").spec
    assert (spec.name, spec.percent_complete) == ("Fieldwork on site", 25)


def test_typing_survives_a_reload_of_its_page(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    page.select_task("fieldwork")
    page.panel.name.setText("Still typing")
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page_context.refresh()  # someone else's change arrives
    assert page.panel.name.text() == "Still typing" and page.panel.task.key == "fieldwork"
    assert page.task_form.pending()
    page.panel.apply_button.click()
    qtbot.keyClick(page.panel.name, Qt.Key.Key_Return)  # nothing new to save: no second edit
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.count() == 1


# -- every edit dialog: Cancel with changes asks, and Save saves them as one undoable edit ---------------------

def _open_component(page: Any) -> Any:
    page.components.add_requested.emit()
    page.dialog.name.setText("Analytics warehouse")
    return page.dialog


def _open_milestone(page: Any) -> Any:
    page.add_milestone()
    page.dialog.name.setText("Penetration test report shared")
    return page.dialog


def _open_request(page: Any) -> Any:
    page.select_request(page.data.requests[0].ref)
    page.edit_request()
    page.dialog.owner.setText("Zed Ortiz")
    return page.dialog


def _open_exception(page: Any) -> Any:
    page.add_exception()
    page.dialog.description.setPlainText("One leaver kept VPN access for 9 days")
    return page.dialog


def _open_distribution(page: Any) -> Any:
    page.add_distribution()
    page.dialog.recipient.setText("Jo Buyer")
    return page.dialog


def _open_evidence(page: Any) -> Any:
    item = next(e for e in page.overview.evidence if e.control_ref == "AC-04")
    page.select_control("AC-04")
    shown = page.evidence_sorted
    page.evidence.selectRow(next(r for r in range(shown.rowCount()) if shown.index(r, 0).data() == item.title))
    page.edit_selected()
    page.details_dialog.title.setText("Access review, signed off")
    return page.details_dialog


def _open_task(page: Any) -> Any:
    page.tasks_box.add_task()
    page.task_editor.title_edit.setText("Write the joiner checklist")
    return page.task_editor


def _open_draw(page: Any) -> Any:
    page.tabs.setCurrentIndex(page.type2_index)
    page.type2.select_control("AC-04")
    page.type2.draw()
    dialog = page.type2.dialog
    dialog.override.setChecked(True)
    dialog.size.setValue(1)
    dialog.reason.setText("one quarter agreed with the auditor")
    return dialog


def _open_sample_exception(page: Any) -> Any:
    page.tabs.setCurrentIndex(page.type2_index)
    tab = page.type2
    tab.select_control("CM-02")
    tab.select_item(tab.items_model.record(0).key)
    tab.record_exception()
    tab.dialog.note.setPlainText("Applied before its review was approved")
    return tab.dialog


DIALOGS = {
    "draw sample": ("workbench.ui.pages.evidence.EvidencePage", _open_draw,
                    lambda p: [s.reason for s in list_samples(p)], "one quarter agreed with the auditor"),
    "sample exception": ("workbench.ui.pages.evidence.EvidencePage", _open_sample_exception,
                         lambda p: [i.note for s in list_samples(p) for i in s.items],
                         "Applied before its review was approved"),
    "component": ("workbench.ui.pages.scope.ScopePage", _open_component,
                  lambda p: [c.name for c in get_scope(p).components], "Analytics warehouse"),
    "milestone": ("workbench.ui.pages.audit.AuditPage", _open_milestone,
                  lambda p: [m.name for m in get_engagement(p)[1]], "Penetration test report shared"),
    "request": ("workbench.ui.pages.audit.AuditPage", _open_request,
                lambda p: [r.owner for r in list_requests(p)], "Zed Ortiz"),
    "exception": ("workbench.ui.pages.report.ReportPage", _open_exception,
                  lambda p: [e.description for r in list_report_records(p) for e in r.report.exceptions],
                  "One leaver kept VPN access for 9 days"),
    "distribution": ("workbench.ui.pages.report.ReportPage", _open_distribution,
                     lambda p: [d.recipient for r in list_report_records(p) for d in r.report.distributions],
                     "Jo Buyer"),
    "evidence": ("workbench.ui.pages.evidence.EvidencePage", _open_evidence,
                 lambda p: [e.title for e in list_evidence(p)], "Access review, signed off"),
    "task": ("workbench.ui.pages.controls.ControlsPage", _open_task,
             lambda p: [t.title for t in list_tasks(p)], "Write the joiner checklist"),
}


@pytest.mark.parametrize("kind", sorted(DIALOGS))
def test_cancelling_an_edit_dialog_with_changes_asks_and_save_saves(qtbot, page_context, kind):
    import importlib

    path, open_dialog, read, typed = DIALOGS[kind]
    module, name = path.rsplit(".", 1)
    page = getattr(importlib.import_module(module), name)(page_context)
    show_page(qtbot, page)
    dialog = open_dialog(page)
    asked = Asked(page_context, Answer.KEEP, Answer.SAVE)
    dialog.reject()
    assert len(asked.questions) == 1 and dialog.isVisible()
    dialog.reject()
    wait_until_idle(qtbot, page_context)
    assert len(asked.questions) == 2 and (not shiboken6.isValid(dialog) or not dialog.isVisible())  # closed
    assert page_context.undo_stack.count() == 1
    with reopened(close_context(page_context)) as project:
        assert typed in read(project)


# -- a save that is refused: the typing stays, and closing asks before it is lost ------------------------------

@pytest.fixture
def read_only_sample(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample copy made read-only (for root, who may write it anyway, the check is made to say so)."""
    import os

    from workbench.store import file_access, projectfile

    sample_copy.chmod(0o444)
    if os.access(sample_copy, os.W_OK):
        real = file_access.read_only_reason
        monkeypatch.setattr(projectfile, "read_only_reason",
                            lambda p: file_access.READ_ONLY_FILE if Path(p) == sample_copy else real(p))
    return sample_copy


def test_typing_whose_save_is_refused_is_asked_about_when_the_window_closes(qtbot, window, read_only_sample):
    window.show()
    qtbot.waitExposed(window)
    open_in(qtbot, window, read_only_sample)
    window.show_page("scope")
    page = window.step_pages["scope"]
    qtbot.waitUntil(lambda: page.loaded_once, timeout=20_000)
    wait_until_idle(qtbot, window.context)
    page.description.editors["dc3.data"].setPlainText("Typed into a project that cannot be changed.")
    failures: list[str] = []
    window.context.failed.connect(failures.append)
    asked = Asked(window.context, Answer.KEEP, Answer.DISCARD)

    window.close()  # the save is tried, refused, and the typing is still there: asked, kept
    assert len(failures) == 1 and len(asked.questions) == 1
    assert "system description could not be saved" in asked.questions[0]
    assert window.isVisible() and window.project is not None
    assert page.description.editors["dc3.data"].toPlainText() == "Typed into a project that cannot be changed."

    window.close()  # tried once more, refused again: this time the user lets it go
    assert not window.isVisible() and len(asked.questions) == 2


def test_pages_built_but_not_yet_loaded_hold_no_typing(qtbot, page_context):
    import importlib

    from workbench.ui.main_window import PAGE_CLASSES

    pages = [getattr(importlib.import_module(module), name)(page_context) for module, name in PAGE_CLASSES.values()]
    for page in pages:
        qtbot.addWidget(page)
    asked = Asked(page_context)
    assert page_context.edits.leave_all() and asked.questions == []
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.count() == 0


def test_save_as_copies_what_is_typed_too(qtbot, window, window_on, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    page = window_on("audit")
    page.firm_box.firm.setText("Typed just before Save As LLP")
    destination = tmp_path / "copy.soc2"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(destination), ""))
    with qtbot.waitSignal(window.project_loaded, timeout=20_000):
        window.session.save_as()
    wait_until_idle(qtbot, window.context)
    assert window.project.path == destination
    assert get_engagement(window.project)[0].firm == "Typed just before Save As LLP"
