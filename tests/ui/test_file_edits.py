"""Import from a page through its button: the file asked for is read into the project (one undoable edit on the
worker); cancelling the question changes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_page_registers import context  # noqa: F401
from workbench.services.findings import list_runs
from workbench.services.policies import policy_register
from workbench.ui.pages.findings import FindingsPage
from workbench.ui.pages.policies import PoliciesPage

REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "findings" / "prowler_run_2025-01.csv"


def _click_import(qtbot, ctx, page, monkeypatch, answer: str) -> list[str]:
    asked: list[str] = []

    def pick(_parent, caption, _folder, _filter):
        asked.append(caption)
        return answer, ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, ctx)
    wait_until_idle(qtbot, ctx)
    return asked


def test_the_findings_import_button_asks_for_the_report(qtbot, context, monkeypatch):  # noqa: F811
    page = FindingsPage(context)
    show_page(qtbot, page)
    assert _click_import(qtbot, context, page, monkeypatch, "") == ["Import a tool's report"]
    assert list_runs(context.project) == []
    _click_import(qtbot, context, page, monkeypatch, str(REPORT))
    assert [stored.run.tool for stored in list_runs(context.project)] == ["prowler"]
    assert context.undo_stack.undoText() == f"Import findings from {REPORT.name}"


def test_the_policy_import_button_asks_for_the_file(qtbot, context, monkeypatch, tmp_path):  # noqa: F811
    source = tmp_path / "clean-desk.md"
    source.write_text("# Clean desk policy\n\nPapers are put away at the end of the day.\n", encoding="utf-8")
    page = PoliciesPage(context)
    show_page(qtbot, page)
    assert _click_import(qtbot, context, page, monkeypatch, "") == ["Import a policy"]
    assert policy_register(context.project).policies == ()
    _click_import(qtbot, context, page, monkeypatch, str(source))
    assert [p.title for p in policy_register(context.project).policies] == ["Clean desk policy"]
