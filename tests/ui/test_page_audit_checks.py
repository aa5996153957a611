"""The engagement page's representation-letter and subsequent-events checklist: ticked with date and name, undone,
read back from a reopened project."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import show_page, wait_until_idle
from workbench.services import engagement as service
from workbench.services.session import open_project
from workbench.ui.dates import shown_date
from workbench.ui.pages.audit import AuditPage


def _states(project) -> dict[str, tuple[object, str]]:
    return {item.key: (state.done_on, state.done_by) for item, state in service.engagement_checks(project)}


def test_ticking_an_item_records_the_date_and_who_and_is_undoable(qtbot, page_context, monkeypatch):
    monkeypatch.setenv("WORKBENCH_USER", "Priya Natarajan")
    page = AuditPage(page_context)
    show_page(qtbot, page)
    page.engagement_tabs.setCurrentIndex(1)
    texts = [page.checks.list.item(row).text() for row in range(page.checks.list.count())]
    assert texts[0] == "Representation letter" and "Subsequent events" in texts
    line = page.checks.line("sub-incidents")
    assert line is not None and line.checkState() == Qt.CheckState.Unchecked
    line.setCheckState(Qt.CheckState.Checked)
    wait_until_idle(qtbot, page_context)
    today = page_context.today()
    assert page_context.undo_stack.undoText() == "Tick checklist item"
    assert _states(page_context.project)["sub-incidents"] == (today, "Priya Natarajan")
    assert page.checks.line("sub-incidents").text().endswith(f"(ticked {shown_date(today)} by Priya Natarajan)")

    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert _states(page_context.project)["sub-incidents"] == (None, "")
    assert page.checks.line("sub-incidents").checkState() == Qt.CheckState.Unchecked
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    project = page_context.project
    page_context.set_project(None)
    page_context.operations.wait(30)
    project.close()
    with open_project(project.path) as again:
        assert _states(again)["sub-incidents"] == (today, "Priya Natarajan")
        assert _states(again)["rep-signed"] == (None, "")
