"""Step 3 page driven as a user would: add, edit, delete and undo controls, templates, coverage and tasks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.enums import ControlStatus, Frequency, Nature, TaskStatus
from workbench.services.controls import list_controls, list_tasks
from workbench.services.session import OpenProject, open_project
from workbench.ui.pages.controls import ControlsPage
from workbench.ui.pages.controls_model import CONTROL_ROLE, EVIDENCE, REF


@pytest.fixture
def page(qtbot, page_context) -> ControlsPage:
    """The controls page on a copy of the sample project, loaded."""
    controls = ControlsPage(page_context)
    show_page(qtbot, controls)
    return controls


@contextmanager
def reopened(context) -> Iterator[OpenProject]:
    """Close the context's project and open the file again, to read what was stored."""
    project = context.project
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    again = open_project(project.path)
    try:
        yield again
    finally:
        again.close()


def shown_refs(page: ControlsPage) -> list[str]:
    return [page.proxy.index(row, REF).data(CONTROL_ROLE).ref for row in range(page.proxy.rowCount())]


def stored(context) -> dict[str, object]:
    return {c.ref: c for c in list_controls(context.project)}


def undo(qtbot, context) -> None:
    context.history.undo()
    wait_until_idle(qtbot, context)


def redo(qtbot, context) -> None:
    context.history.redo()
    wait_until_idle(qtbot, context)


def test_page_shows_the_library_with_evidence_counts(page):
    context = page.context
    controls = list_controls(context.project)
    assert page.model.rowCount() == len(controls) == 48
    assert page.shown.text() == "48 of 48 shown"
    assert shown_refs(page)[:3] == ["AC-01", "AC-02", "AC-03"]
    row = shown_refs(page).index("AC-01")
    assert page.proxy.index(row, EVIDENCE).data() == "2"
    assert "48 controls" in page.summary.text()
    assert page.summary.textFormat() == Qt.TextFormat.PlainText


def test_add_control_through_the_editor_is_stored_and_undoable(qtbot, page):
    context = page.context
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert editor is not None and editor.isVisible()
    assert not editor.ok_button.isEnabled()  # no reference or title yet
    qtbot.keyClicks(editor.ref, "AC-01")
    qtbot.keyClicks(editor.title_edit, "Vendor review")
    assert not editor.ok_button.isEnabled()  # AC-01 is taken
    assert "AC-01" in editor.problem.text()
    editor.ref.clear()
    qtbot.keyClicks(editor.ref, "VND-01")
    editor.owner.setCurrentText("Aisha Rahman (Compliance Manager)")
    editor.frequency.setCurrentIndex(editor.frequency.findData(Frequency.ANNUAL.value))
    editor.nature.setCurrentIndex(editor.nature.findData(Nature.MANUAL.value))
    editor.status.setCurrentIndex(editor.status.findData(ControlStatus.IN_PROGRESS.value))
    editor.description.setPlainText("Each vendor is reviewed before signing.")
    editor.notes.setPlainText("Draft")
    qtbot.keyClicks(editor.picker.filter, "vet vendors")
    assert editor.picker.visible_ids() == ["CC9.2"]
    editor.picker.set_checked("CC9.2", True)
    failures: list[str] = []
    context.failed.connect(failures.append)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert failures == []

    assert context.undo_stack.undoText() == "Add control VND-01"
    assert page.selected_control().ref == "VND-01"
    assert [page.coverage.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.coverage.count())] == ["C1.2"]
    undo(qtbot, context)
    assert "VND-01" not in stored(context)
    redo(qtbot, context)
    with reopened(context) as project:
        control = next(c for c in list_controls(project) if c.ref == "VND-01")
    assert (control.title, control.owner) == ("Vendor review", "Aisha Rahman (Compliance Manager)")
    assert (control.frequency, control.nature, control.status) == (
        Frequency.ANNUAL, Nature.MANUAL, ControlStatus.IN_PROGRESS)
    assert (control.description, control.notes, control.criteria) == (
        "Each vendor is reviewed before signing.", "Draft", ("CC9.2",))


def test_enter_opens_the_editor_and_criteria_edits_are_stored(qtbot, page):
    context = page.context
    assert page.select_control("AC-02")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editor = page.editor
    assert editor is not None and editor.isVisible()
    assert editor.picker.checked() == ("CC6.2", "CC6.3")
    editor.picker.set_checked("CC6.3", False)
    editor.picker.set_checked("CC6.1", True)
    editor.picker.set_checked("C1.1", True)
    editor.title_edit.setText("Access granted on approved request")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Edit control AC-02"
    assert stored(context)["AC-02"].criteria == ("C1.1", "CC6.1", "CC6.2")

    undo(qtbot, context)
    before = stored(context)["AC-02"]
    assert (before.title, before.criteria) == ("Access provisioning on approved request", ("CC6.2", "CC6.3"))
    redo(qtbot, context)
    with reopened(context) as project:
        after = next(c for c in list_controls(project) if c.ref == "AC-02")
    assert (after.title, after.criteria) == ("Access granted on approved request", ("C1.1", "CC6.1", "CC6.2"))


def test_delete_asks_first_and_undo_restores_criteria_and_tasks(qtbot, page):
    context = page.context
    questions: list[str] = []
    page.confirm = lambda _title, text: questions.append(text) or False
    page.select_control("BC-04")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert "BC-04" in stored(context) and context.undo_stack.count() == 0  # cancelled
    assert "evidence" in questions[0] and "Undo" in questions[0]

    page.confirm = lambda _title, _text: True
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Delete control BC-04"
    assert "BC-04" not in stored(context)
    assert "BC-04" not in shown_refs(page)
    assert next(t for t in list_tasks(context.project) if t.id == 3).control_ref is None

    undo(qtbot, context)
    assert stored(context)["BC-04"].criteria == ("A1.3", "CC7.5")
    redo(qtbot, context)
    assert "BC-04" not in stored(context)
    undo(qtbot, context)
    with reopened(context) as project:
        control = next(c for c in list_controls(project) if c.ref == "BC-04")
        task = next(t for t in list_tasks(project) if t.id == 3)
    assert (control.title, control.criteria, control.frequency) == (
        "Annual disaster recovery test", ("A1.3", "CC7.5"), Frequency.ANNUAL)
    assert task.control_ref == "BC-04"


def test_deleting_a_control_with_evidence_is_refused_with_the_reason(qtbot, page):
    context = page.context
    asked: list[str] = []
    page.confirm = lambda _title, text: asked.append(text) or True
    page.select_control("AC-01")
    with qtbot.waitSignal(context.failed, timeout=5_000) as failure:
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    message = failure.args[0]
    assert "AC-01" in message and "2 evidence files" in message
    assert "remove them or move them to another control first" in message
    assert asked == []
    wait_until_idle(qtbot, context)
    assert context.undo_stack.count() == 0
    with reopened(context) as project:
        assert "AC-01" in {c.ref for c in list_controls(project)}


def test_search_and_filters_narrow_the_table(qtbot, page):
    controls = list_controls(page.context.project)
    qtbot.keyClicks(page.search, "backup")
    expected = sorted(c.ref for c in controls if "backup" in " ".join(
        (c.ref, c.title, c.owner, c.description, c.notes)).lower())
    assert sorted(shown_refs(page)) == expected and 0 < len(expected) < 48
    assert page.shown.text() == f"{len(expected)} of 48 shown"
    page.search.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData(ControlStatus.IN_PROGRESS.value))
    assert sorted(shown_refs(page)) == sorted(c.ref for c in controls if c.status is ControlStatus.IN_PROGRESS)
    page.status_filter.setCurrentIndex(0)
    page.frequency_filter.setCurrentIndex(page.frequency_filter.findData(Frequency.QUARTERLY.value))
    assert sorted(shown_refs(page)) == sorted(c.ref for c in controls if c.frequency is Frequency.QUARTERLY)
    page.frequency_filter.setCurrentIndex(0)
    owner = "Priya Natarajan (CTO)"
    page.owner_filter.setCurrentIndex(page.owner_filter.findData(owner))
    assert sorted(shown_refs(page)) == sorted(c.ref for c in controls if c.owner == owner)
    qtbot.keyClicks(page.search, "zzz-no-such-thing")
    assert shown_refs(page) == [] and page.shown.text() == "0 of 48 shown"
    assert not page.edit_button.isEnabled()


def test_sorting_by_evidence_puts_the_most_evidenced_first(qtbot, page):
    header = page.table.horizontalHeader()
    page.table.sortByColumn(EVIDENCE, Qt.SortOrder.DescendingOrder)
    counts = [int(page.proxy.index(row, EVIDENCE).data()) for row in range(page.proxy.rowCount())]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert header.sortIndicatorSection() == EVIDENCE


def test_add_from_templates_is_one_undoable_edit_with_unique_refs(qtbot, page):
    context = page.context
    qtbot.mouseClick(page.templates_button, Qt.MouseButton.LeftButton)
    dialog = page.templates_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.search, "vendor")
    assert "vendor-management" in dialog.visible_keys()
    for key in ("sso-mfa", "vendor-management", "data-deletion"):
        dialog.set_selected(key, True)
    assert dialog.ok_button.text() == "Add 3 controls"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Add 3 controls from templates"
    assert context.undo_stack.count() == 1
    controls = stored(context)
    assert controls["AC-08"].title == "Single sign-on with multi-factor authentication"  # AC-01 was taken
    assert controls["VEN-01"].criteria == ("CC9.2",)
    assert controls["CONF-03"].criteria == ("C1.2",)
    assert page.coverage.item(0).data(Qt.ItemDataRole.UserRole) is None  # every criterion covered now

    undo(qtbot, context)
    assert not {"AC-08", "VEN-01", "CONF-03"} & set(stored(context))
    assert page.coverage.count() == 1  # C1.2 (the sample maps CC9.2 to its vendor controls)
    redo(qtbot, context)
    with reopened(context) as project:
        refs = {c.ref for c in list_controls(project)}
    assert {"AC-08", "VEN-01", "CONF-03"} <= refs and len(refs) == 51


def test_clicking_an_uncovered_criterion_adds_a_control_and_the_list_shrinks(qtbot, page):
    context = page.context
    assert page.coverage_box.title() == "Criteria without a control (1)"
    item = page.coverage.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == "C1.2"
    qtbot.mouseClick(page.coverage.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.coverage.visualItemRect(item).center())
    dialog = page.templates_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.criterion.currentData() == "C1.2"
    keys = dialog.selected_keys()
    assert len(keys) == 1 and dialog.templates[keys[0]].criteria[0] == "C1.2"  # one mainly about it is ticked
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText().startswith(f"Add {len(keys)} control")
    assert page.coverage.item(0).data(Qt.ItemDataRole.UserRole) is None  # every criterion covered now
    undo(qtbot, context)
    assert page.coverage_box.title() == "Criteria without a control (1)"
    redo(qtbot, context)
    with reopened(context) as project:
        assert any("C1.2" in c.criteria and c.ref.startswith("CONF") for c in list_controls(project))


def test_tasks_are_added_and_marked_done_with_overdue_ones_highlighted(qtbot, page):
    context = page.context
    page.select_control("AC-02")
    qtbot.mouseClick(page.add_task_button, Qt.MouseButton.LeftButton)
    editor = page.task_editor
    assert editor is not None and editor.control.currentData() == "AC-02"
    qtbot.keyClicks(editor.title_edit, "Write the access request form")
    editor.owner.setCurrentText("Ben Halloran (IT Administrator)")
    editor.due.setDate(date(2020, 1, 15))
    editor.criterion.setCurrentIndex(editor.criterion.findData("CC6.2"))
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Add task “Write the access request form”"
    task = next(t for t in list_tasks(context.project) if t.title == "Write the access request form")
    assert (task.due, task.control_ref, task.criterion_id, task.status) == (
        date(2020, 1, 15), "AC-02", "CC6.2", TaskStatus.OPEN)
    row = next(page.tasks.topLevelItem(i) for i in range(page.tasks.topLevelItemCount())
               if page.tasks.topLevelItem(i).text(0) == task.title)
    assert row.text(2) == "15 Jan 2020 (overdue)" and row.font(2).bold()

    page.tasks.setCurrentItem(row)
    qtbot.mouseClick(page.done_task_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Set task “Write the access request form” to Done"
    row = next(page.tasks.topLevelItem(i) for i in range(page.tasks.topLevelItemCount())
               if page.tasks.topLevelItem(i).text(0) == task.title)
    assert row.text(2) == "15 Jan 2020" and not row.font(2).bold()  # done: no longer overdue
    undo(qtbot, context)
    assert next(t for t in list_tasks(context.project) if t.id == task.id).status is TaskStatus.OPEN
    redo(qtbot, context)
    with reopened(context) as project:
        assert next(t for t in list_tasks(project) if t.id == task.id).status is TaskStatus.DONE


def test_editing_a_task_is_stored_and_adding_one_can_be_undone(qtbot, page):
    context = page.context
    target = next(t for t in list_tasks(context.project) if t.id == 4)
    item = next(page.tasks.topLevelItem(i) for i in range(page.tasks.topLevelItemCount())
                if page.tasks.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == 4)
    page.tasks.setCurrentItem(item)
    qtbot.mouseClick(page.edit_task_button, Qt.MouseButton.LeftButton)
    editor = page.task_editor
    editor.owner.setCurrentText("Priya Natarajan (CTO)")
    editor.has_due.setChecked(False)
    editor.status.setCurrentIndex(editor.status.findData(TaskStatus.IN_PROGRESS.value))
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText().startswith("Edit task “Run the fraud risk workshop")
    undo(qtbot, context)
    assert next(t for t in list_tasks(context.project) if t.id == 4) == target
    redo(qtbot, context)

    before = len(list_tasks(context.project))
    page.tasks_box.add_task()
    qtbot.keyClicks(page.task_editor.title_edit, "Temporary task")
    qtbot.mouseClick(page.task_editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert len(list_tasks(context.project)) == before + 1
    undo(qtbot, context)
    assert len(list_tasks(context.project)) == before
    with reopened(context) as project:
        edited = next(t for t in list_tasks(project) if t.id == 4)
    assert (edited.owner, edited.due, edited.status) == ("Priya Natarajan (CTO)", None, TaskStatus.IN_PROGRESS)


def test_an_edit_made_against_a_stale_copy_is_refused_and_the_fresh_values_shown(qtbot, page):
    """Someone else (another program on a shared project) changed AC-02 after the page showed it."""
    from dataclasses import replace

    from workbench.services.controls import draft_of, update_control

    context = page.context
    shown = stored(context)["AC-02"]
    update_control(context.project, "AC-02", replace(draft_of(shown), title="Changed by someone else"))
    assert page.select_control("AC-02")
    page.edit_control()
    editor = page.editor
    editor.title_edit.setText("My edit of a stale copy")
    failures: list[str] = []
    context.failed.connect(failures.append)
    with qtbot.waitSignal(page.loaded, timeout=20_000):  # the page reloads to show what is there now
        qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert len(failures) == 1
    assert failures[0].startswith("control AC-02 : changed by tester at ") and "not saved" in failures[0]
    assert context.undo_stack.undoText() != "Edit control AC-02"
    assert stored(context)["AC-02"].title == "Changed by someone else"
    assert page.selected_control().title == "Changed by someone else"


def test_the_editor_sets_and_clears_implemented_since_and_retired_dates(qtbot, page):
    context = page.context
    assert stored(context)["AC-07"].implemented_since == date(2025, 10, 1)
    assert page.select_control("AC-07")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editor = page.editor
    assert editor.implemented_since.value() == date(2025, 10, 1) and editor.retired_on.value() is None
    editor.implemented_since.set_value(date(2026, 5, 4))
    editor.retired_on.set_value(date(2026, 5, 1))
    assert not editor.ok_button.isEnabled() and "retired before" in editor.problem.text()
    editor.retired_on.check.setChecked(False)  # cleared again
    assert editor.ok_button.isEnabled()
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Edit control AC-07"
    assert (stored(context)["AC-07"].implemented_since, stored(context)["AC-07"].retired_on) == (
        date(2026, 5, 4), None)
    undo(qtbot, context)
    assert stored(context)["AC-07"].implemented_since == date(2025, 10, 1)
    redo(qtbot, context)

    assert page.select_control("GV-02")  # implemented since 1 Jan 2026: cleared in the editor
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    page.editor.implemented_since.check.setChecked(False)
    qtbot.mouseClick(page.editor.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    with reopened(context) as project:
        controls = {c.ref: c for c in list_controls(project)}
    assert (controls["AC-07"].implemented_since, controls["AC-07"].retired_on) == (date(2026, 5, 4), None)
    assert controls["GV-02"].implemented_since is None
