"""The Findings page driven with qtbot: empty, it says what to do; a report imported from the page (on the worker,
undoable) lists its run and findings, filtered by status and severity; a second run of the same account shows the
new, fixed and still-failing checks; coverage per criterion; Make a task and Use as evidence, each undoable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_page_registers import context  # noqa: F401
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control, list_tasks
from workbench.services.evidence import list_evidence
from workbench.services.findings import list_runs
from workbench.ui.pages.findings import EMPTY, FindingsPage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"


def _rows(view) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def _column(view, header: str) -> list[str]:
    model = view.model()
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _import(qtbot, ctx, page, name: str) -> None:
    page.import_file(FIXTURES / name)
    wait_until_idle(qtbot, ctx)
    wait_until_idle(qtbot, ctx)


def test_the_page_imports_filters_compares_and_files_a_run(qtbot, context, tmp_path):  # noqa: F811
    page = FindingsPage(context)
    show_page(qtbot, page)
    assert page.summary.text() == EMPTY and "Import a report" in EMPTY
    assert not page.evidence_button.isEnabled() and not page.task_button.isEnabled()

    _import(qtbot, context, page, "prowler_run_2025-01.csv")
    assert _column(page.runs_view, "Failed") == ["3"] and _column(page.runs_view, "Tool") == ["prowler"]
    qtbot.waitUntil(lambda: page.findings_view.model().rowCount() == 6, timeout=20_000)
    page.status.setCurrentIndex(page.status.findText("Fail"))
    assert sorted(_column(page.findings_view, "Check")) == ["cloudtrail_multi_region_enabled",
                                                            "iam_user_mfa_enabled_console_access",
                                                            "s3_bucket_default_encryption"]
    page.severity.setCurrentIndex(page.severity.findText("High"))
    assert set(_column(page.findings_view, "Severity")) <= {"high"}

    _import(qtbot, context, page, "prowler_run_2025-02.csv")
    assert len(list_runs(context.project)) == 2
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.diff_view.model().rowCount() == 5, timeout=20_000)
    assert _column(page.diff_view, "Change").count("new failure") == 2
    assert "2 new failures, 1 fixed, 2 still failing" in page.diff_note.text()
    page.tabs.setCurrentIndex(1)
    coverage = dict(zip(_column(page.coverage_view, "Criterion"), _column(page.coverage_view, "Coverage"),
                        strict=True))
    assert coverage["CC7.2"] == "automated fail" and coverage["CC1.1"] == "nothing"

    page.status.setCurrentIndex(page.status.findText("Fail"))
    page.severity.setCurrentIndex(0)
    wait_until_idle(qtbot, context)
    qtbot.waitUntil(lambda: page.findings_view.model().rowCount() == 4, timeout=20_000)
    page.findings_view.selectRow(0)
    assert page.task_button.isEnabled()
    tasks_before = len(list_tasks(context.project))
    qtbot.mouseClick(page.task_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    assert len(list_tasks(context.project)) == tasks_before + 1
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert len(list_tasks(context.project)) == tasks_before

    page.control.setCurrentIndex(page.control.findData("IR-02"))
    qtbot.mouseClick(page.evidence_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    (evidence,) = list_evidence(context.project)
    assert evidence.control_ref == "IR-02" and evidence.period_start.isoformat() == "2025-02-06"
    qtbot.waitUntil(lambda: "filed" in _column(page.runs_view, "Evidence"), timeout=20_000)


def test_the_page_with_runs_fits_the_smaller_window_and_an_import_undoes(qtbot, window, make_project, tmp_path):
    from tests.ui.conftest import open_in
    from tests.ui.layout_check import every_tab, problems, settle
    from workbench.services.importers.engine import import_register
    from workbench.services.importers.kinds import FINDINGS

    project = make_project(tmp_path / "runs.soc2")
    add_control(project, ControlDraft("MON-01", "Monthly scan review", frequency=Frequency.MONTHLY,
                                      nature=Nature.MANUAL, criteria=("CC7.1",)))
    import_register(project, FINDINGS, FIXTURES / "prowler_run_2025-01.csv", details=[("control", "MON-01")])
    project.close()
    window.resize(1100, 620)
    window.show()
    qtbot.waitExposed(window)
    open_in(qtbot, window, tmp_path / "runs.soc2")
    window.show_page("findings")
    page = window.pages.currentWidget()
    qtbot.waitUntil(lambda: page.loaded_once, timeout=20_000)
    page.import_file(FIXTURES / "prowler_run_2025-02.csv")
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 2, timeout=20_000)
    found = []
    for tab in every_tab(page):
        qtbot.waitUntil(lambda: not window.operations.busy, timeout=20_000)
        settle()
        found += [f"{tab}: {problem}" for problem in problems(window)]
    assert not found, "\n".join(found)
    assert window.size().toTuple() == (1100, 620)
    window.context.history.undo()
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 1, timeout=20_000)
    assert [r.run.source_name for r in list_runs(window.project)] == ["prowler_run_2025-01.csv"]
