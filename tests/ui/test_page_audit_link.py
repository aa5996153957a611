"""Linking evidence to the selected request from the audit page: one undoable edit, read back from the project."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_page_audit import _reopen
from workbench.services import engagement as service
from workbench.services.evidence import list_evidence
from workbench.ui.pages.audit import AuditPage


def _linked(project, ref: str) -> tuple[int, ...]:
    return next(r.evidence_ids for r in service.list_requests(project) if r.ref == ref)


def test_link_evidence_to_the_selected_request_then_undo_and_redo(qtbot, page_context):
    page = AuditPage(page_context)
    show_page(qtbot, page)
    assert not page.link_evidence_button.isEnabled()
    evidence = list_evidence(page_context.project)
    request = next(r for r in service.list_requests(page_context.project) if r.control_ref and r.evidence_ids)
    before = request.evidence_ids
    page.select_request(request.ref)
    assert page.link_evidence_button.isEnabled()
    page.link_evidence_button.click()
    dialog = page.dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing ticked yet
    shown = [dialog.evidence.item(row).text().split("  ·  ")[0] for row in range(dialog.evidence.count())]
    assert len(shown) == len(evidence) - len(before)  # what is linked already is not offered
    assert shown == sorted(shown, key=lambda ref: ref != request.control_ref)  # the request's control's first
    free = [e for e in evidence if e.id not in before]
    chosen = (free[0].id, free[-1].id)
    for evidence_id in chosen:
        dialog.set_checked(evidence_id)
    assert ok.isEnabled()
    ok.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == f"Link 2 evidence files to request {request.ref}"
    assert _linked(page_context.project, request.ref) == tuple(sorted({*before, *chosen}))
    assert page.selected_request().ref == request.ref

    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert _linked(page_context.project, request.ref) == before
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        assert _linked(project, request.ref) == tuple(sorted({*before, *chosen}))
