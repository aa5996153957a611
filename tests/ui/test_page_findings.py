"""The Findings page driven with qtbot: empty, it says what to do; a report imported from the page (on the worker,
undoable) lists its run and findings, filtered by status and severity; a second run of the same account shows the
new, fixed and still-failing checks; coverage per criterion; Make a task and Use as evidence, each undoable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from tests.cli.test_cli_findings import project  # noqa: F401
from tests.ui.conftest import show_page, wait_until_idle
from tests.ui.test_page_registers import context  # noqa: F401
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control, list_tasks
from workbench.services.evidence import list_evidence
from workbench.services.findings import list_runs
from workbench.ui.dates import shown_date
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

    made = make_project(tmp_path / "runs.soc2")
    add_control(made, ControlDraft("MON-01", "Monthly scan review", frequency=Frequency.MONTHLY,
                                      nature=Nature.MANUAL, criteria=("CC7.1",)))
    import_register(made, FINDINGS, FIXTURES / "prowler_run_2025-01.csv", details=[("control", "MON-01")])
    made.close()
    window.resize(1100, 620)
    window.show()
    qtbot.waitExposed(window)
    open_in(qtbot, window, tmp_path / "runs.soc2")
    window.show_page("findings")
    page = window.pages.currentWidget()
    qtbot.waitUntil(lambda: page.loaded_once, timeout=20_000)
    page.import_file(FIXTURES / "trivy_v1.json")
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 2, timeout=20_000)
    page.import_file(FIXTURES / "prowler_run_2025-02.csv")
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 3, timeout=20_000)
    qtbot.waitUntil(lambda: not window.operations.busy, timeout=20_000)
    settle()
    view = page.runs_view
    (picked,) = view.selectionModel().selectedRows()
    assert picked.row() == 2 and picked.data() == "3"  # the run just imported, the third, is picked and whole
    assert view.viewport().rect().contains(view.visualRect(picked))
    found = []
    for tab in every_tab(page):
        qtbot.waitUntil(lambda: not window.operations.busy, timeout=20_000)
        settle()
        found += [f"{tab}: {problem}" for problem in problems(window)]
    assert not found, "\n".join(found)
    assert window.size().toTuple() == (1100, 620)
    window.context.history.undo()
    qtbot.waitUntil(lambda: page.runs_view.model().rowCount() == 2, timeout=20_000)
    assert [r.run.source_name for r in list_runs(window.project)] == ["prowler_run_2025-01.csv", "trivy_v1.json"]


def _one_new_failure(tmp_path: Path) -> Path:
    """The February run with GuardDuty passing: against January, one new failure."""
    text = (FIXTURES / "prowler_run_2025-02.csv").read_text(encoding="utf-8")
    lines = [line.replace(";FAIL;GuardDuty enabled: FAIL;", ";PASS;GuardDuty enabled: PASS;") for line in
             text.splitlines()]
    report = tmp_path / "prowler_run_2025-02_one.csv"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def test_one_new_failure_is_said_in_the_singular(qtbot, context, tmp_path):  # noqa: F811
    page = FindingsPage(context)
    show_page(qtbot, page)
    _import(qtbot, context, page, "prowler_run_2025-01.csv")
    page.import_file(_one_new_failure(tmp_path))
    wait_until_idle(qtbot, context)
    wait_until_idle(qtbot, context)
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: "fixed" in page.diff_note.text(), timeout=20_000)
    assert ": 1 new failure, 1 fixed, 2 still failing." in page.diff_note.text()
    assert page.summary.text().startswith("2 tool runs, 6 failing findings in all.")



def test_the_cli_says_one_new_failure_in_the_singular(tmp_path: Path, project: Path) -> None:  # noqa: F811
    from tests.cli.test_cli_import import run

    for report in (FIXTURES / "prowler_run_2025-01.csv", _one_new_failure(tmp_path)):
        assert run(tmp_path, "register", "import", project.name, "findings", str(report)).returncode == 0
    said = run(tmp_path, "findings", "diff", project.name, "1", "2")
    assert said.returncode == 0, said.stderr
    assert ": 1 new failure, 1 fixed, 2 still failing" in said.stdout and "failures" not in said.stdout


def test_cancelling_an_import_leaves_no_run(qtbot, context, monkeypatch):  # noqa: F811
    from workbench.ui.operations import OperationContext

    page = FindingsPage(context)
    show_page(qtbot, page)
    told: list[tuple[int, int]] = []

    def cancel(_self, done: int, total: int) -> bool:  # the user pressed Cancel as the first findings were written
        told.append((done, total))
        return False

    monkeypatch.setattr(OperationContext, "progress", cancel)
    page.import_file(FIXTURES / "prowler_run_2025-01.csv")
    wait_until_idle(qtbot, context)
    assert told and list_runs(context.project) == [] and list_evidence(context.project) == []
    assert page.runs_view.model().rowCount() == 0
    assert page.summary.text() == f"Import cancelled; nothing was added. {EMPTY}"
    page.import_file(FIXTURES / "prowler_run_2025-01.csv")  # cancelled again: said once
    wait_until_idle(qtbot, context)
    assert page.summary.text() == f"Import cancelled; nothing was added. {EMPTY}"
    assert not context.history.stack.canUndo()


def test_the_buttons_say_why_they_cannot_be_used(qtbot, context):  # noqa: F811
    page = FindingsPage(context)
    show_page(qtbot, page)
    assert page.evidence_button.toolTip() == "Pick a run to file as evidence."
    assert page.task_button.toolTip() == "Pick a run, then one of its failing findings."
    _import(qtbot, context, page, "prowler_run_2025-01.csv")
    qtbot.waitUntil(lambda: page.findings_view.model().rowCount() == 6, timeout=20_000)
    assert page.task_button.toolTip() == "Pick a failing finding in the Findings tab."
    reflected = shown_date(date(2025, 1, 6))
    assert page.evidence_button.isEnabled() and f"dated {reflected}" in page.evidence_button.toolTip()
    statuses = _column(page.findings_view, "Status")
    assert statuses[:3] == ["fail"] * 3  # failing first
    page.findings_view.selectRow(statuses.index("pass"))
    assert not page.task_button.isEnabled() and "Only a failing check becomes a task" in page.task_button.toolTip()
    page.findings_view.selectRow(0)
    assert page.task_button.isEnabled() and page.task_button.toolTip().startswith("Add a task to fix ")

    page.control.setCurrentIndex(page.control.findData("IR-02"))
    qtbot.mouseClick(page.evidence_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)
    qtbot.waitUntil(lambda: "filed" in _column(page.runs_view, "Evidence"), timeout=20_000)
    page.control.setCurrentIndex(page.control.findData("IR-02"))
    assert not page.evidence_button.isEnabled()
    assert page.evidence_button.toolTip() == "Run 1 is already evidence of IR-02; choose another control."
    page.control.setCurrentIndex(page.control.findData("AC-01"))
    assert page.evidence_button.isEnabled()


def test_coverage_counts_names_its_runs_and_opens_a_criterions_findings(qtbot, context):  # noqa: F811
    from workbench.domain.enums import AssessmentStatus
    from workbench.ui.palette import state_text

    page = FindingsPage(context)
    show_page(qtbot, page)
    _import(qtbot, context, page, "prowler_run_2025-01.csv")
    page.tabs.setCurrentIndex(1)
    view = page.coverage_view
    rows = {r[0]: r for r in _rows(view)}
    headers = [view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(view.model().columnCount())]
    assert headers[:6] == ["Criterion", "Coverage", "Pass", "Fail", "Manual", "Runs"]
    assert rows["CC1.1"][1:6] == ["nothing", "0", "0", "0", "0"]
    cc72 = rows["CC7.2"]
    assert cc72[1] == "automated fail" and int(cc72[3]) >= 1 and cc72[5] == "1"
    row = list(rows).index("CC7.2")
    index = view.model().index(row, 1)
    assert "#1 prowler (aws 111122223333) 2025-01-06" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.ForegroundRole) == state_text(AssessmentStatus.GAP)

    view.selectRow(row)
    view.doubleClicked.emit(index)
    assert page.tabs.currentIndex() == 0 and page.criterion.currentText() == "CC7.2"
    qtbot.waitUntil(lambda: page.findings_view.model().rowCount() > 0, timeout=20_000)
    assert all("CC7.2" in criteria for criteria in _column(page.findings_view, "Criteria"))
    assert page.findings_view.model().rowCount() == sum(int(n) for n in cc72[2:5])


def test_the_split_between_runs_and_findings_is_remembered(qtbot, window):
    from workbench.ui.pages.findings import SPLITTER_KEY

    def shown() -> FindingsPage:
        page = FindingsPage(window.context)
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        qtbot.waitExposed(page)
        return page

    first = shown()
    first.splitter.setSizes([400, 300])
    moved = first.splitter.sizes()
    first.splitter.splitterMoved.emit(moved[0], 1)  # as when the user drags the handle
    assert window.settings.value(SPLITTER_KEY)
    assert shown().splitter.sizes() == moved
