"""The Policies page driven with qtbot: add from templates, edit a draft (saved when the editor loses focus) and undo
it, publish (the text turns read-only; editing starts a new draft), the history keeps the old version's text and hash,
and the acknowledgements tab shows who is behind and records one."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.wizard_steps import import_through_wizard
from workbench.services.policies import get_policy
from workbench.services.project import NewProject, create_project
from workbench.ui.import_wizard import ImportWizard
from workbench.ui.pages.policies import TAB_ACKS, TAB_HISTORY, PoliciesPage
from workbench.ui.pages.policies_dialogs import PolicyTemplatesDialog
from workbench.ui.pages.record_form import RecordDialog

NEW_TEXT = "# Access Control Policy\n\n## Purpose\n\nOur own first rule & <b>not bold</b>.\n"


@pytest.fixture
def context(qtbot, tmp_path):
    """A PageContext on a new project without policies (failures signalled, not shown)."""
    from PySide6.QtGui import QUndoStack

    from workbench.ui.context import PageContext
    from workbench.ui.operations import Operations

    project = create_project(tmp_path / "policies.soc2", NewProject(
        "Acme Ltd", "Acme Cloud", period_start=date(2026, 1, 1), period_end=date(2026, 6, 30)))
    operations = Operations()
    made = PageContext(operations, QUndoStack(), interactive=False)
    made.set_project(project)
    yield made
    made.set_project(None)
    operations.wait(30)
    project.close()


def _ok(qtbot, dialog, context) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)


def _keys(page) -> list[str]:
    proxy = page.view.model()
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def _cell(page, key: str, column: str) -> str:
    proxy, index = page.view.model(), page.model.column_of(column)
    return next(proxy.index(row, index).data() for row in range(proxy.rowCount())
                if proxy.index(row, 0).data() == key)


def _type_and_leave(qtbot, page, text: str) -> None:
    """Type into the editor, then move the focus away from it, as a user clicking the list would."""
    page.activateWindow()
    page.text.editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.text.editor, timeout=5_000)
    page.text.editor.selectAll()
    page.text.editor.insertPlainText(text)
    page.view.setFocus()
    wait_until_idle(qtbot, page.context)


def _publish(qtbot, page, approver: str, effective: date) -> None:
    qtbot.mouseClick(page.text.publish_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    dialog.widgets["approver"].setText(approver)
    dialog.widgets["approved_on"].set_date(effective)
    dialog.widgets["effective_on"].set_date(effective)
    _ok(qtbot, dialog, page.context)


def test_add_edit_undo_publish_and_the_history(qtbot, context):
    page = PoliciesPage(context)
    show_page(qtbot, page)
    assert _keys(page) == []
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, PolicyTemplatesDialog) and dialog.tree.topLevelItemCount() >= 15
    assert any("CC6.1" in item.text(3) for item in dialog.items())
    dialog.check(["access-control", "encryption"])
    _ok(qtbot, dialog, context)
    assert sorted(_keys(page)) == ["access-control", "encryption"]
    assert context.undo_stack.undoText() == "Add 2 policies from templates"
    assert _cell(page, "access-control", "Version") == "draft"

    # A draft is edited in place and saved, as one undoable edit, when the editor loses focus.
    page._select("access-control")
    template_text = page.text.typed()
    assert not page.text.editor.isReadOnly() and "{{" in template_text
    _type_and_leave(qtbot, page, NEW_TEXT)
    assert get_policy(context.project, "access-control").draft_body == NEW_TEXT
    assert context.undo_stack.undoText() == "Edit the draft of Access Control Policy"
    qtbot.waitUntil(lambda: "not bold" in page.text.preview.toPlainText(), timeout=5_000)  # the preview follows
    assert "<b>not bold</b>" in page.text.preview.toPlainText()  # raw HTML is shown as typed
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert get_policy(context.project, "access-control").draft_body == template_text
    assert page.text.typed() == template_text
    context.history.redo()
    wait_until_idle(qtbot, context)
    assert page.text.typed() == NEW_TEXT

    # Publishing freezes the text: read-only until a new draft is started.
    _publish(qtbot, page, "Ana Ruiz", date(2026, 2, 1))
    first = get_policy(context.project, "access-control").latest
    assert first.number == 1 and first.body == NEW_TEXT and first.approver == "Ana Ruiz"
    assert page.text.editor.isReadOnly() and not page.text.publish_button.isEnabled()
    assert _cell(page, "access-control", "Version") == "1"
    qtbot.mouseClick(page.text.draft_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert not page.text.editor.isReadOnly() and context.undo_stack.undoText() == \
        "Start a new draft of Access Control Policy"
    _type_and_leave(qtbot, page, NEW_TEXT + "\nA second rule.\n")
    _publish(qtbot, page, "Ana Ruiz", date(2026, 3, 1))
    assert get_policy(context.project, "access-control").latest.number == 2

    # The history lists both versions; the old one shows its frozen text and hash, read-only.
    page.tabs.setCurrentIndex(TAB_HISTORY)
    assert page.history.versions.count() == 2
    page.history.choose(1)
    assert first.sha256 in page.history.hash.text()
    assert page.history.text.toPlainText() == NEW_TEXT and page.history.text.isReadOnly()


def test_acknowledgements_show_who_is_behind_and_record_one(qtbot, page_context):
    page = PoliciesPage(page_context)
    show_page(qtbot, page)
    assert "Isabel Cruz" in page.summary.text() and "Leah Novak" in page.summary.text()
    page._select("information-security")
    page.tabs.setCurrentIndex(TAB_ACKS)
    summary = page.acks.summary.text()
    assert "Isabel Cruz" in summary and "Leah Novak" in summary and "version 2" in summary
    behind = [row.name for row in page.acks.model.rows if row.behind]
    assert behind == ["Isabel Cruz", "Leah Novak"]
    qtbot.mouseClick(page.acks.record_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, RecordDialog) and dialog.values()["person"] == "E-1023"
    _ok(qtbot, dialog, page_context)
    assert [row.name for row in page.acks.model.rows if row.behind] == ["Leah Novak"]
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert [row.name for row in page.acks.model.rows if row.behind] == ["Isabel Cruz", "Leah Novak"]


def test_a_policy_exports_from_the_page(qtbot, page_context, tmp_path):
    page = PoliciesPage(page_context)
    show_page(qtbot, page)
    page._select("backup")
    page.export(tmp_path / "backup.docx")
    wait_until_idle(qtbot, page_context)
    assert (tmp_path / "backup.docx").stat().st_size > 0 and "Exported to" in page.summary.text()


def test_a_policy_file_is_imported_and_a_bad_one_refused(qtbot, context, tmp_path):
    page = PoliciesPage(context)
    show_page(qtbot, page)
    source = tmp_path / "remote-work.md"
    source.write_text("# Remote Work Policy\n\n- Work from a company laptop.\n", encoding="utf-8")
    page.import_file(source)
    wait_until_idle(qtbot, context)
    assert _keys(page) == ["remote-work"] and page.text.typed().startswith("# Remote Work Policy")
    assert context.undo_stack.undoText() == "Import policy remote-work.md"
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"not a policy")
    with qtbot.waitSignal(context.failed, timeout=10_000) as failed:
        page.import_file(bad)
    wait_until_idle(qtbot, context)
    assert "notes.xlsx" in failed.args[0] and _keys(page) == ["remote-work"]


def test_a_csv_of_signatures_imports_through_the_wizard_and_clears_who_is_behind(qtbot, page_context, tmp_path):
    page = PoliciesPage(page_context)
    show_page(qtbot, page)
    page._select("acceptable-use")
    page.tabs.setCurrentIndex(TAB_ACKS)
    signatures = tmp_path / "signatures.csv"
    signatures.write_text("Signer email,Document,Date signed\n"
                          "i.cruz@brightpath.example.com,Acceptable Use Policy,2026-11-02\n", encoding="utf-8")
    qtbot.mouseClick(page.acks.import_button, Qt.MouseButton.LeftButton)
    wizard = page.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.spec.kind == "acknowledgements"
    import_through_wizard(qtbot, wizard, page_context, signatures)
    qtbot.waitUntil(lambda: [r.name for r in page.acks.model.rows if r.behind] == ["Leah Novak"], timeout=10_000)
    wizard.accept()


def test_a_pdf_export_says_which_characters_its_font_cannot_show(qtbot, tmp_path):
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMessageBox

    from workbench.services.policies import add_policies, edit_draft
    from workbench.ui.context import PageContext
    from workbench.ui.operations import Operations

    project = create_project(tmp_path / "policies.soc2", NewProject("Acme Ltd", "Acme Cloud"))
    add_policies(project, ["encryption"])
    edit_draft(project, "encryption", body="# Encryption Policy\n\n鍵は暗号化する。\n")
    operations = Operations()
    context = PageContext(operations, QUndoStack(), interactive=True)
    context.set_project(project)
    try:
        page = PoliciesPage(context)
        show_page(qtbot, page)
        page._select("encryption")
        page.export(tmp_path / "enc.pdf")
        wait_until_idle(qtbot, context)
        assert (tmp_path / "enc.pdf").read_bytes().startswith(b"%PDF")
        assert "Warning: the PDF's font cannot show 8 different characters" in page.summary.text()
        boxes = [box for box in page.findChildren(QMessageBox) if box.isVisible()]
        assert len(boxes) == 1 and "鍵" in boxes[0].informativeText()
        boxes[0].close()
        page.export(tmp_path / "enc.docx")
        wait_until_idle(qtbot, context)
        assert page.summary.text() == f"Exported to {tmp_path / 'enc.docx'}"
    finally:
        context.set_project(None)
        operations.wait(30)
        project.close()
