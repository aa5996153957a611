"""The controls page's template dialog driven as a user would: pick a set, apply it once, undo, read it back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_page_controls import reopened, stored, undo
from workbench.domain.control_templates import template_key_of
from workbench.services.controls import list_controls
from workbench.services.project import get_settings
from workbench.ui.pages.controls import ControlsPage
from workbench.ui.pages.templates_dialog import TITLE


def _open(qtbot, page: ControlsPage):
    qtbot.mouseClick(page.templates_button, Qt.MouseButton.LeftButton)
    dialog = page.templates_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_template_set_is_applied_once_as_one_undoable_edit(qtbot, page_context):
    page = ControlsPage(page_context)
    show_page(qtbot, page)
    context = page.context
    before = set(stored(context))
    dialog = _open(qtbot, page)
    dialog.choose_set("first-year-saas")
    keys = dialog.selected_keys()
    assert 60 <= len(keys) <= 80 and dialog.ok_button.text() == f"Add {len(keys)} controls"
    dialog.tree.setCurrentItem(dialog.items["change-approval"])
    details = dialog.details.toPlainText()
    assert "Population tested: changes deployed to production" in details and "IT-dependent manual" in details
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert context.undo_stack.count() == 1
    assert context.undo_stack.undoText() == f"Add {len(keys)} controls from templates"
    made = {ref: c for ref, c in stored(context).items() if ref not in before}
    assert page.applied_note.isVisible() and page.applied_note.text().startswith(f"Created {len(made)} controls")
    categories = {c.value for c in get_settings(context.project).categories}
    in_scope = {c.id for c in page.data.library.criteria if c.category.value in categories}
    assert made and all(set(c.criteria) <= in_scope for c in made.values())
    assert {template_key_of(c) for c in made.values()} <= set(keys)

    again = _open(qtbot, page)
    again.choose_set("first-year-saas")
    assert again.selected_keys() == [] and not again.ok_button.isEnabled()
    ref = next(ref for ref, c in made.items() if template_key_of(c) == "change-approval")
    assert again.items["change-approval"].text(TITLE).startswith(f"[in the project as {ref}] ")
    again.set_selected("change-approval", True)
    assert again.selected_keys() == []  # a template already applied cannot be ticked
    again.tree.setCurrentItem(again.items["change-approval"])
    assert again.details.toPlainText().startswith(f"Already in the project as {ref}")
    again.reject()

    undo(qtbot, context)
    assert set(stored(context)) == before
    context.history.redo()
    wait_until_idle(qtbot, context)
    with reopened(context) as project:
        assert {c.ref for c in list_controls(project)} == before | set(made)
