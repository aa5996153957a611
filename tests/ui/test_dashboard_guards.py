"""The dashboard points out what an auditor would question and asks for management's responses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import open_in
from workbench.domain.enums import AssessmentStatus, ReportType
from workbench.services.assessment import assess
from workbench.services.project import NewProject, create_project
from workbench.services.report import add_exception, add_report


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "guards.soc2"
    project = create_project(path, NewProject("Guarded Co", "Cloud", ReportType.TYPE2,
                                              period_start=date(2026, 1, 1), period_end=date(2026, 2, 28)))
    assess(project, "CC6.4", AssessmentStatus.NOT_APPLICABLE, "no data centre of our own")
    report_id = add_report(project, ReportType.TYPE2, date(2026, 1, 1), date(2026, 2, 28)).value
    add_exception(project, report_id, "CM-02 #7", "Change deployed without approval")
    project.close()
    return path


def test_warnings_show_with_their_step_and_an_unanswered_exception_is_a_next_action(qtbot, window, tmp_path):
    open_in(qtbot, window, _project(tmp_path))
    board = window.dashboard
    assert not board.warnings_box.isHidden()
    texts = [board.warnings.item(i).text() for i in range(board.warnings.count())]
    assert texts[0].startswith("Step 2  ·  CC6.4 marked not applicable")
    assert texts[1].startswith("Step 1  ·  the Type II period is 1.9 months: shorter than the 3 months")
    actions = [board.next_actions.item(i).text() for i in range(board.next_actions.count())]
    assert "Step 6  ·  Write management's response to 1 exception the auditor found" in actions
    with qtbot.waitSignal(board.step_requested) as requested:
        board.warnings.itemActivated.emit(board.warnings.item(1))
    assert requested.args == [1]
    assert board.warnings.item(0).data(Qt.ItemDataRole.UserRole) == 2


def test_a_project_with_nothing_to_question_hides_the_warnings(qtbot, window, tmp_path):
    path = tmp_path / "calm.soc2"
    create_project(path, NewProject("Calm Co", "Cloud", ReportType.TYPE2, period_start=date(2026, 1, 1),
                                    period_end=date(2026, 6, 30))).close()
    open_in(qtbot, window, path)
    assert window.dashboard.warnings_box.isHidden()
    assert window.dashboard.warnings.count() == 0
