"""The Findings page: a report imported, undone, then removed from the disk, comes back on redo with the same run
and findings (redo imports the bytes the project kept, not the file)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_page_registers import context  # noqa: F401
from workbench.services.evidence import list_evidence
from workbench.services.findings import list_runs, run_findings
from workbench.ui.pages.findings import FindingsPage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"


def _shown_runs(page: FindingsPage) -> list[list[str]]:
    model = page.runs_view.model()
    return [[model.index(r, c).data() for c in range(1, model.columnCount())] for r in range(model.rowCount())]


def test_redo_of_an_import_brings_the_run_back_after_the_file_was_removed(qtbot, context, tmp_path):  # noqa: F811
    report = tmp_path / "reports" / "prowler_run_2025-01.csv"
    report.parent.mkdir()
    shutil.copyfile(FIXTURES / report.name, report)
    page = FindingsPage(context)
    show_page(qtbot, page)
    stack = context.undo_stack

    page.import_file(report)
    wait_until_idle(qtbot, context)
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 1, timeout=20_000)
    shown = _shown_runs(page)
    (run,) = list_runs(context.project)
    findings = run_findings(context.project, run.id)
    assert len(findings) == 6 and stack.index() == 1

    context.history.undo()
    wait_until_idle(qtbot, context)
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 0, timeout=20_000)
    report.unlink()

    context.history.redo()
    wait_until_idle(qtbot, context)
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 1, timeout=20_000)
    assert stack.index() == 1 and stack.undoText() == f"Import findings from {report.name}"
    (again,) = list_runs(context.project)
    assert again.run == run.run and run_findings(context.project, again.id) == findings
    assert _shown_runs(page) == shown  # the page lists it as before (all but the run's number)
    assert list_evidence(context.project) == []  # imported without a control, as the first time
