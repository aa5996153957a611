"""The Define scope page driven as a user would; what it stores is read back from a reopened project."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.entities import Component, Cuec, Subservice
from workbench.domain.enums import Category, ComponentKind, ReportType, SubserviceMethod
from workbench.services.project import NewProject, create_project
from workbench.services.scope import Scope, get_scope
from workbench.services.session import open_project
from workbench.ui.context import PageContext
from workbench.ui.operations import Operations
from workbench.ui.pages.scope import ScopePage
from workbench.ui.pages.scope_dialogs import ComponentDialog, CuecDialog, SubserviceDialog
from workbench.ui.pages.scope_models import CuecModel

CUEC_ITEM = "List the complementary user entity controls"


@pytest.fixture
def page(qtbot, page_context) -> ScopePage:
    """The scope page on a copy of the sample project, shown and loaded."""
    scope_page = ScopePage(page_context)
    show_page(qtbot, scope_page)
    return scope_page


@pytest.fixture
def fresh_context(qtbot, tmp_path: Path):
    """A PageContext on a new, almost empty Type II project."""
    path = tmp_path / "fresh.soc2"
    project = create_project(path, NewProject("Fresh Ltd", "Fresh App", ReportType.TYPE2, (Category.SECURITY,)))
    operations = Operations()
    context = PageContext(operations, QUndoStack(), interactive=False)
    context.set_project(project)
    yield context
    context.set_project(None)
    operations.wait(30)
    project.close()


def stored(context: PageContext) -> Scope:
    """Read the scope through the services, the worker being idle."""
    assert not context.operations.busy
    return get_scope(context.project)


def reopened(context: PageContext) -> Scope:
    """Close the context's project, open the file again and read its scope."""
    project = context.project
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    with open_project(project.path) as again:
        return get_scope(again)


def undo(qtbot, context: PageContext) -> None:
    context.history.undo()
    wait_until_idle(qtbot, context)


def redo(qtbot, context: PageContext) -> None:
    context.history.redo()
    wait_until_idle(qtbot, context)


def press_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_settings_edits_are_saved_undone_and_redone(qtbot, page):
    context, form = page.context, page.settings_form
    assert form.organization.text() == "Brightpath Analytics, Inc."
    form.organization.selectAll()
    qtbot.keyClicks(form.organization, "Brightpath <b>Labs</b>")
    qtbot.keyClick(form.organization, Qt.Key.Key_Return)
    wait_until_idle(qtbot, context)
    assert stored(context).settings.organization == "Brightpath <b>Labs</b>"
    assert context.undo_stack.undoText() == "Set organisation to Brightpath <b>Labs</b>"

    form.report_type.setCurrentIndex(form.report_type.findData(ReportType.TYPE1))
    form.report_type.activated.emit(form.report_type.currentIndex())
    wait_until_idle(qtbot, context)
    settings = stored(context).settings
    assert settings.report_type is ReportType.TYPE1
    assert settings.period_start == settings.period_end == date(2026, 4, 1)
    assert form.period_end.isHidden() and form.start_label.text() == "&As of:"

    qtbot.mouseClick(form.categories[Category.PRIVACY], Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert Category.PRIVACY in stored(context).settings.categories
    assert context.undo_stack.undoText() == "Add Privacy to the scope"
    assert not form.categories[Category.SECURITY].isEnabled()

    undo(qtbot, context)
    undo(qtbot, context)
    settings = stored(context).settings
    assert Category.PRIVACY not in settings.categories
    assert (settings.report_type, settings.period_end) == (ReportType.TYPE2, date(2026, 9, 30))
    assert not form.period_end.isHidden()
    undo(qtbot, context)
    assert stored(context).settings.organization == "Brightpath Analytics, Inc."
    assert form.organization.text() == "Brightpath Analytics, Inc."
    redo(qtbot, context)
    redo(qtbot, context)
    assert form.organization.text() == "Brightpath <b>Labs</b>"

    final = reopened(context).settings
    assert final.organization == "Brightpath <b>Labs</b>"
    assert final.report_type is ReportType.TYPE1 and final.period_end == date(2026, 4, 1)
    assert final.categories == (Category.SECURITY, Category.AVAILABILITY, Category.CONFIDENTIALITY)


def test_period_dates_are_saved_and_a_refused_edit_is_reverted(qtbot, page):
    context, form = page.context, page.settings_form
    form.period_end.setDate(form.period_end.date().addMonths(3))
    form.period_end.editingFinished.emit()
    wait_until_idle(qtbot, context)
    assert stored(context).settings.period_end == date(2026, 12, 30)
    assert context.undo_stack.undoText() == "Set audit period end to 30 Dec 2026"

    commands = context.undo_stack.count()
    with qtbot.waitSignal(context.failed, timeout=20_000) as failure:
        form.organization.clear()
        qtbot.keyClick(form.organization, Qt.Key.Key_Return)
    assert "organisation : cannot be empty" in failure.args[0]
    wait_until_idle(qtbot, context)
    assert form.organization.text() == "Brightpath Analytics, Inc."
    assert context.undo_stack.count() == commands
    assert reopened(context).settings.organization == "Brightpath Analytics, Inc."


def test_description_edits_commit_once_on_pause_or_focus_loss(qtbot, page):
    context, editor = page.context, page.description.editors["dc3.infrastructure"]
    page.description.show_section("dc3.infrastructure")
    assert page.description.stack.currentWidget().isAncestorOf(editor)
    original = editor.toPlainText()
    assert original == stored(context).description["dc3.infrastructure"] != ""
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Backups go to <i>us-west-2</i>.")
    qtbot.waitUntil(lambda: context.undo_stack.count() == 1, timeout=5_000)  # committed after a pause
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Edit description: DC3 Infrastructure"
    assert stored(context).description["dc3.infrastructure"] == original + " Backups go to <i>us-west-2</i>."

    people = page.description.editors["dc3.people"]
    people.setPlainText("Twelve engineers.")
    QApplication.sendEvent(people, QFocusEvent(QEvent.Type.FocusOut))
    wait_until_idle(qtbot, context)
    assert context.undo_stack.count() == 2
    assert context.undo_stack.undoText() == "Edit description: DC3 People"
    QApplication.sendEvent(people, QFocusEvent(QEvent.Type.FocusOut))  # nothing new: no second command
    wait_until_idle(qtbot, context)
    assert context.undo_stack.count() == 2

    undo(qtbot, context)
    assert people.toPlainText() == stored(context).description["dc3.people"] != "Twelve engineers."
    undo(qtbot, context)
    assert editor.toPlainText() == original
    redo(qtbot, context)
    assert reopened(context).description["dc3.infrastructure"] == original + " Backups go to <i>us-west-2</i>."


def test_typing_in_progress_survives_a_reload(qtbot, page):
    context = page.context
    data = page.description.editors["dc3.data"]
    data.setPlainText("Half a sentence")  # not committed yet
    page.cuecs.select(stored(context).cuecs[0].id)
    page.cuecs.remove_button.click()
    wait_until_idle(qtbot, context)
    assert len(stored(context).cuecs) == 5
    assert data.toPlainText() == "Half a sentence"
    page.description.commit("dc3.data")
    wait_until_idle(qtbot, context)
    assert reopened(context).description["dc3.data"] == "Half a sentence"


def test_components_are_added_edited_and_removed_with_undo(qtbot, page):
    context, panel = page.context, page.components
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ComponentDialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # the name is required
    dialog.kind.setCurrentIndex(dialog.kind.findData(ComponentKind.SOFTWARE))
    qtbot.keyClicks(dialog.name, "  Billing service ")
    dialog.description.setPlainText("Invoices customers.")
    press_ok(qtbot, dialog)
    wait_until_idle(qtbot, context)
    added = stored(context).components[-1]
    assert (added.kind, added.name, added.description, added.in_scope) == (
        ComponentKind.SOFTWARE, "Billing service", "Invoices customers.", True)
    assert context.undo_stack.undoText() == "Add component Billing service"
    assert page.tabs.tabText(1) == "&Components (14)"

    assert panel.select(added.id)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ComponentDialog) and dialog.name.text() == "Billing service"
    dialog.in_scope.setChecked(False)
    press_ok(qtbot, dialog)
    wait_until_idle(qtbot, context)
    assert stored(context).components[-1] == Component(added.id, ComponentKind.SOFTWARE, "Billing service",
                                                       "Invoices customers.", False)

    first = stored(context).components[0]
    assert panel.select(first.id)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert first not in stored(context).components
    assert context.undo_stack.undoText() == f"Remove component {first.name}"
    undo(qtbot, context)
    assert stored(context).components[0] == first  # back with the same id and values
    redo(qtbot, context)
    undo(qtbot, context)
    undo(qtbot, context)  # the edit
    assert stored(context).components[-1].in_scope is True
    undo(qtbot, context)  # the addition
    assert added.id not in [c.id for c in stored(context).components]
    redo(qtbot, context)
    assert stored(context).components[-1] == added  # redone under the same id
    final = reopened(context).components
    assert len(final) == 14 and final[0] == first and final[-1] == added


def test_subservice_organisations_are_added_edited_and_removed(qtbot, page):
    context, panel = page.context, page.subservices
    page.tabs.setCurrentIndex(2)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, SubserviceDialog)
    qtbot.keyClicks(dialog.name, "Twilio")
    qtbot.keyClicks(dialog.service, "SMS delivery")
    dialog.method.setCurrentIndex(dialog.method.findData(SubserviceMethod.INCLUSIVE))
    qtbot.keyClicks(dialog.soc_report, "Requested")
    csocs = dialog.controls
    qtbot.mouseClick(csocs.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(csocs.add_button, Qt.MouseButton.LeftButton)
    csocs.table.item(0, 0).setText("Twilio restricts access to message logs.")
    csocs.table.item(0, 1).setText("cc6.1, CC6.6")
    csocs.table.item(1, 0).setText("Twilio keeps delivery running.")
    csocs.table.item(1, 1).setText("X9")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "complementary control 2: 'X9' is not a criterion id" in dialog.refusal()
    csocs.table.item(1, 1).setText("A1.2")
    press_ok(qtbot, dialog)
    wait_until_idle(qtbot, context)
    added = stored(context).subservices[-1]
    first, second = added.csocs
    assert (first.text, first.criteria) == ("Twilio restricts access to message logs.", ("CC6.1", "CC6.6"))
    assert (second.text, second.criteria) == ("Twilio keeps delivery running.", ("A1.2",))
    assert added == Subservice(added.id, "Twilio", "SMS delivery", SubserviceMethod.INCLUSIVE, "Requested",
                               (first, second))
    assert panel.model.rowCount() == 5

    panel.select(added.id)  # a control removed in the dialog is removed; undo puts it back with its criteria
    panel.edit_requested.emit(panel.selected())
    page.dialog.controls.table.setCurrentCell(0, 0)
    qtbot.mouseClick(page.dialog.controls.remove_button, Qt.MouseButton.LeftButton)
    press_ok(qtbot, page.dialog)
    wait_until_idle(qtbot, context)
    assert stored(context).subservices[-1].csocs == (second,)
    undo(qtbot, context)
    assert stored(context).subservices[-1].csocs == (first, second)

    assert panel.select(added.id)
    panel.edit_requested.emit(panel.selected())
    page.dialog.soc_report.setText("SOC 2 Type II received")
    page.dialog.method.setCurrentIndex(page.dialog.method.findData(SubserviceMethod.CARVE_OUT))
    press_ok(qtbot, page.dialog)
    wait_until_idle(qtbot, context)
    edited = stored(context).subservices[-1]
    assert (edited.soc_report, edited.method) == ("SOC 2 Type II received", SubserviceMethod.CARVE_OUT)
    assert context.undo_stack.undoText() == "Edit subservice organisation Twilio"

    aws = stored(context).subservices[0]
    panel.select(aws.id)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    wait_until_idle(qtbot, context)
    assert [s.name for s in stored(context).subservices] == ["Okta", "Stripe", "Datadog", "Twilio"]
    undo(qtbot, context)
    assert stored(context).subservices[0] == aws
    redo(qtbot, context)
    assert [s.name for s in reopened(context).subservices] == ["Okta", "Stripe", "Datadog", "Twilio"]


def test_user_entity_controls_are_added_edited_and_removed(qtbot, page):
    context, panel = page.context, page.cuecs
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, CuecDialog)
    dialog.text.setPlainText("Customers enable MFA for every admin.")
    qtbot.keyClicks(dialog.criteria, "CC6.1, 6.2")
    assert "'6.2' is not a criterion id" in dialog.refusal()
    dialog.criteria.setText("cc6.2 CC6.1")
    press_ok(qtbot, dialog)
    wait_until_idle(qtbot, context)
    added = stored(context).cuecs[-1]
    assert (added.text, added.criteria) == ("Customers enable MFA for every admin.", ("CC6.1", "CC6.2"))
    assert panel.model.text(added, CuecModel.COLUMN_CRITERIA) == "CC6.1, CC6.2"

    panel.select(added.id)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    page.dialog.text.setPlainText("Customers enable MFA for every user.")
    press_ok(qtbot, page.dialog)
    wait_until_idle(qtbot, context)
    assert stored(context).cuecs[-1] == Cuec(added.id, "Customers enable MFA for every user.", added.criteria)

    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)  # the edited row stays selected
    wait_until_idle(qtbot, context)
    assert added.id not in [c.id for c in stored(context).cuecs]
    undo(qtbot, context)
    assert stored(context).cuecs[-1] == Cuec(added.id, "Customers enable MFA for every user.", added.criteria)
    undo(qtbot, context)
    assert stored(context).cuecs[-1] == added
    assert panel.model.record(panel.model.rowCount() - 1) == added
    assert len(reopened(context).cuecs) == 7


def test_a_cancelled_or_empty_dialog_changes_nothing(qtbot, page):
    qtbot.mouseClick(page.cuecs.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.text.setPlainText("   ")
    dialog.accept()  # OK is disabled: accepting is refused
    assert dialog.isVisible()
    dialog.reject()
    wait_until_idle(qtbot, page.context)
    assert page.dialog is None
    assert page.context.undo_stack.count() == 0
    assert len(stored(page.context).cuecs) == 6


def test_checklist_follows_the_scope(qtbot, fresh_context):
    page = ScopePage(fresh_context)
    show_page(qtbot, page)
    states = page.checklist.states()
    assert states["Name the organisation"] is True
    assert states[CUEC_ITEM] is False and states["Set the audit period"] is False
    assert page.checklist.summary.text() == "2 of 15 done. 13 still missing."
    assert page.checklist.list.item(0).data(Qt.ItemDataRole.UserRole) is False  # missing items first

    qtbot.mouseClick(page.cuecs.add_button, Qt.MouseButton.LeftButton)
    page.dialog.text.setPlainText("Customers review their users.")
    press_ok(qtbot, page.dialog)
    wait_until_idle(qtbot, fresh_context)
    assert page.checklist.states()[CUEC_ITEM] is True

    form = page.settings_form
    form.period_start.setDate(form.period_start.date().addYears(26).addMonths(3))  # 1 Apr 2026
    form.period_start.editingFinished.emit()
    wait_until_idle(qtbot, fresh_context)
    settings = stored(fresh_context).settings
    assert (settings.period_start, settings.period_end) == (date(2026, 4, 1), date(2026, 9, 30))
    assert page.checklist.states()["Set the audit period"] is True
    assert page.checklist.summary.text() == "4 of 15 done. 11 still missing."

    undo(qtbot, fresh_context)
    undo(qtbot, fresh_context)
    assert page.checklist.states()[CUEC_ITEM] is False
    assert page.checklist.states()["Set the audit period"] is False
    redo(qtbot, fresh_context)
    assert reopened(fresh_context).checklist[-1] == (CUEC_ITEM, True)


def test_uncommitted_typing_never_reaches_another_project(qtbot, page, fresh_context):
    editor = page.description.editors["dc3.data"]
    editor.setPlainText("Typed for Brightpath")
    other = fresh_context.project
    page.context.set_project(other)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.reload()
    assert editor.toPlainText() == ""
    page.hide()  # leaving the page commits pending typing: there is none left
    wait_until_idle(qtbot, page.context)
    assert get_scope(other).description["dc3.data"] == ""
    assert page.settings_form.organization.text() == "Fresh Ltd"
    page.context.set_project(None)


def test_description_shows_dc1_to_dc9_with_checklists_and_what_the_program_fills(qtbot, page):
    editor, context = page.description, page.context
    shown = [editor.sections.item(row).text() for row in range(editor.sections.count())]
    assert shown[0] == "DC1 Types of services provided" and shown[-1] == "DC9 Significant changes during the period"
    assert [t.strip() for t in shown[3:8]] == ["Infrastructure", "Software", "People", "Procedures", "Data"]
    assert len(shown) == 14
    editor.show_section("dc7")
    side = editor.stack.currentWidget()
    texts = [label.text() for label in side.findChildren(QLabel)]
    assert any("Say for each whether it is carved out or included" in t for t in texts)
    filled = editor.filled["dc7"]
    assert filled.isReadOnly() and "Amazon Web Services" in filled.toPlainText()
    assert "Controls for each criterion in scope" in editor.filled["dc5"].toPlainText()
    assert "dc1" not in editor.filled  # DC1 is the user's words only

    editor.show_section("dc8")
    dc8 = editor.editors["dc8"]
    dc8.setPlainText("Every criterion of the categories in scope applies.")
    editor.show_section("dc9")  # moving to another section saves what was typed, as one undoable edit
    wait_until_idle(qtbot, context)
    assert context.undo_stack.undoText() == "Edit description: DC8 Criteria not applicable and why"
    undo(qtbot, context)
    assert dc8.toPlainText() == stored(context).description["dc8"]
    redo(qtbot, context)
    assert reopened(context).description["dc8"] == "Every criterion of the categories in scope applies."
