"""Step 5 page driven as a user would: firm details, milestones and the request list; then read back."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import show_page, wait_until_idle
from workbench.services import engagement as service
from workbench.services.evidence import list_evidence
from workbench.services.session import open_project
from workbench.ui.pages.audit import AuditPage


def _reopen(context):
    """Close the context's project and open the file again through the services."""
    project = context.project
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    return open_project(project.path)


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_edit_firm_then_undo_and_redo(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    assert page.firm_box.firm.text() == "Halvorsen & Reyes LLP"
    page.firm_box.firm.setText("Nordlicht Assurance LLP")
    page.firm_box.email.setText("lead@nordlicht.example.com")
    page.firm_box.save_button.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Edit engagement"
    assert service.get_engagement(page_context.project)[0].firm == "Nordlicht Assurance LLP"
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert service.get_engagement(page_context.project)[0].firm == "Halvorsen & Reyes LLP"
    assert page.firm_box.firm.text() == "Halvorsen & Reyes LLP"
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        stored = service.get_engagement(project)[0]
    assert stored.firm == "Nordlicht Assurance LLP" and stored.email == "lead@nordlicht.example.com"


def test_a_bad_email_is_refused_by_the_service(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    page.firm_box.email.setText("not an email")
    with qtbot.waitSignal(page_context.failed, timeout=20_000) as failure:
        page.firm_box.save_button.click()
    assert "not an email address" in failure.args[0]
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.count() == 0


def test_add_milestone_and_mark_it_done_is_stored(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    count = page.milestone_model.rowCount()
    page.add_milestone_button.click()
    dialog = page.dialog
    dialog.name.setText("Bridge letter requested")
    _ok(dialog)
    wait_until_idle(qtbot, page_context)
    assert page.milestone_model.rowCount() == count + 1
    page.select_milestone("Bridge letter requested")
    assert page.done_button.text() == "Mark done"
    page.done_button.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Mark Bridge letter requested done"
    with _reopen(page_context) as project:
        milestones = service.get_engagement(project)[1]
    added = milestones[-1]
    assert added.name == "Bridge letter requested" and added.done_on == page_context.today()


def test_standard_milestones_offered_when_empty_and_removal_undone(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    assert not page.standard_button.isVisible()
    service.remove_milestones(page_context.project, [m.id for m in page.milestone_model.rows])
    page_context.refresh()
    wait_until_idle(qtbot, page_context)
    assert page.milestone_model.rowCount() == 0 and page.standard_button.isVisible()
    page.standard_button.click()
    wait_until_idle(qtbot, page_context)
    names = [m.name for m in page.milestone_model.rows]
    assert names == list(service.STANDARD_MILESTONES)
    page.select_milestone("Kickoff meeting")
    page.remove_milestone_button.click()
    wait_until_idle(qtbot, page_context)
    assert "Kickoff meeting" not in [m.name for m in page.milestone_model.rows]
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        assert [m.name for m in service.get_engagement(project)[1]] == names


def test_add_request_with_linked_evidence_is_stored(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    evidence = list_evidence(page_context.project)
    chosen = [evidence[0].id, evidence[3].id]
    page.add_request_button.click()
    dialog = page.dialog
    dialog.ref.setText("PBC-099")
    dialog.item.setPlainText("Provide the <b>vendor</b> risk register")
    dialog.criteria.setText("cc9.2")
    dialog.control.setCurrentIndex(dialog.control.findData(evidence[0].control_ref))
    dialog.owner.setText("Aisha Rahman")
    for evidence_id in chosen:
        dialog.set_evidence_checked(evidence_id)
    _ok(dialog)
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Add request PBC-099"
    assert page.selected_request().ref == "PBC-099"
    page.search.setText("vendor risk register")
    assert page.request_filter.rowCount() == 1
    with _reopen(page_context) as project:
        stored = next(r for r in service.list_requests(project) if r.ref == "PBC-099")
    assert stored.evidence_ids == tuple(sorted(chosen))
    assert stored.tsc_refs == ("CC9.2",) and stored.control_ref == evidence[0].control_ref
    assert stored.item == "Provide the <b>vendor</b> risk register"


def test_remove_request_then_undo_and_redo(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    before = next(r for r in service.list_requests(page_context.project) if r.ref == "PBC-001")
    page.select_request("PBC-001")
    page.remove_request_button.click()
    wait_until_idle(qtbot, page_context)
    assert "PBC-001" not in [r.ref for r in service.list_requests(page_context.project)]
    assert page_context.undo_stack.undoText() == "Remove request PBC-001"
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    restored = next(r for r in service.list_requests(page_context.project) if r.ref == "PBC-001")
    assert restored == before and restored.evidence_ids
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        assert next(r for r in service.list_requests(project) if r.ref == "PBC-001") == before


def test_status_filter_shows_overdue_and_edit_request_changes_status(qtbot, page_context, monkeypatch):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    total = page.request_model.rowCount()
    page.status_filter.setCurrentIndex(page.status_filter.findData("overdue"))
    overdue = page.request_filter.rowCount()
    assert 0 < overdue < total
    page.status_filter.setCurrentIndex(page.status_filter.findData("accepted"))
    accepted = page.request_filter.rowCount()
    page.status_filter.setCurrentIndex(0)
    page.select_request("PBC-002")
    page.edit_request_button.click()
    dialog = page.dialog
    dialog.status.setCurrentIndex(dialog.status.findData("accepted"))
    _ok(dialog)
    wait_until_idle(qtbot, page_context)
    page.status_filter.setCurrentIndex(page.status_filter.findData("accepted"))
    assert page.request_filter.rowCount() == accepted + 1
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        assert next(r for r in service.list_requests(project) if r.ref == "PBC-002").status.value == "submitted"
