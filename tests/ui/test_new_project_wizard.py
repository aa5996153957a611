"""The New Project wizard, filled in as a user would, page by page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWizard

from workbench.domain.enums import Category, ReportType
from workbench.ui.new_project_wizard import NewProjectWizard, suggested_file_name

TODAY = date(2026, 11, 26)


def _wizard(qtbot, folder: Path) -> NewProjectWizard:
    wizard = NewProjectWizard(folder, TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_the_first_page_needs_the_organisation(qtbot, tmp_path):
    wizard = _wizard(qtbot, tmp_path)
    assert not wizard.currentPage().isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.keyClicks(wizard.organization, "Acme, Inc.")
    assert wizard.currentPage().isComplete()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_type2_project_with_six_month_period_and_chosen_categories(qtbot, tmp_path):
    wizard = _wizard(qtbot, tmp_path)
    qtbot.keyClicks(wizard.organization, "Acme, Inc.")
    qtbot.keyClicks(wizard.system, "Acme Cloud")
    wizard.next()
    wizard.category_boxes[Category.AVAILABILITY].setChecked(True)
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.pages[-1]
    assert wizard.currentPage().isComplete()
    assert "Type II report covering Security, Availability" in wizard.summary.text()

    spec = wizard.project_spec()
    assert spec.organization == "Acme, Inc."
    assert spec.system_name == "Acme Cloud"
    assert spec.report_type is ReportType.TYPE2
    assert spec.categories == (Category.SECURITY, Category.AVAILABILITY)
    # the suggested start leaves a first Type II's preparation (about 18 weeks) room after today
    assert (spec.period_start, spec.period_end) == (date(2027, 4, 1), date(2027, 9, 30))
    assert wizard.target_path() == tmp_path / "Acme-Inc.soc2"


def test_security_cannot_be_unticked(qtbot, tmp_path):
    wizard = _wizard(qtbot, tmp_path)
    box = wizard.category_boxes[Category.SECURITY]
    assert box.isChecked() and not box.isEnabled()


def test_type1_uses_one_as_of_date_and_hides_the_length(qtbot, tmp_path):
    wizard = _wizard(qtbot, tmp_path)
    qtbot.keyClicks(wizard.organization, "Acme")
    wizard.next()
    wizard.report_radios[ReportType.TYPE1].setChecked(True)
    wizard.next()
    assert not wizard.length.isVisible()
    assert "As of" in wizard.start_label.text()
    start, end = wizard.period()
    assert start == end == date(2027, 3, 1)  # a Type I prepares in less time than a Type II


def test_custom_end_date_before_start_is_refused(qtbot, tmp_path):
    from PySide6.QtCore import QDate

    wizard = _wizard(qtbot, tmp_path)
    qtbot.keyClicks(wizard.organization, "Acme")
    wizard.next()
    wizard.next()
    wizard.length.setCurrentIndex(wizard.length.findData(0))
    wizard.end.setDate(QDate(2026, 11, 1))
    assert not wizard.currentPage().isComplete()
    assert "ends before it starts" in wizard.problem_text()


def test_an_existing_file_is_not_offered_for_overwriting(qtbot, tmp_path):
    (tmp_path / "Acme.soc2").write_text("someone else's file")
    wizard = _wizard(qtbot, tmp_path)
    qtbot.keyClicks(wizard.organization, "Acme")
    for _ in range(3):
        wizard.next()
    assert "already exists" in wizard.problem.text()
    assert not wizard.currentPage().isComplete()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_file_names_are_made_safe():
    assert suggested_file_name("Acme / Bad:Name?") == "Acme-BadName.soc2"
    assert suggested_file_name("   ") == "project.soc2"


def test_the_wizard_creates_the_project_from_the_main_window(qtbot, window, tmp_path, monkeypatch):
    from workbench.ui import new_project_wizard as wizard_module  # the session may import it only when asked

    def fill_and_accept(self) -> int:
        self.organization.setText("Wizard Co")
        self.system.setText("Wizard Cloud")
        self.category_boxes[Category.CONFIDENTIALITY].setChecked(True)
        self.path.setText(str(tmp_path / "wizard.soc2"))
        return QWizard.DialogCode.Accepted

    monkeypatch.setattr(wizard_module.NewProjectWizard, "exec", fill_and_accept)
    with qtbot.waitSignal(window.project_loaded, timeout=20_000):
        window.session.new_project()
    assert window.project.path == tmp_path / "wizard.soc2"
    assert window.dashboard.organization.text() == "Wizard Co"
    assert window.status.criteria.in_scope == 35  # 33 common criteria + 2 confidentiality


def test_the_suggested_period_leaves_the_plan_room_after_today(qtbot, tmp_path):
    from tests.conftest import FixedClock
    from workbench.services import plan
    from workbench.services.project import create_project

    clock = FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=UTC))
    for report_type in ReportType:
        wizard = _wizard(qtbot, tmp_path)
        wizard.organization.setText(f"Room {report_type.value}")
        wizard.report_radios[report_type].setChecked(True)
        assert "leaves the plan about" in wizard.period_hint.text()
        project = create_project(wizard.target_path(), wizard.project_spec(), clock=clock)
        try:
            made = plan.generate_plan(project).value
            view = plan.plan_view(project)
        finally:
            project.close()
        assert made.start == TODAY and min(t.start for t in made.tasks) >= TODAY
        assert view.late == ()


def test_a_start_sooner_than_suggested_says_the_preparation_is_squeezed(qtbot, tmp_path):
    wizard = _wizard(qtbot, tmp_path)
    wizard.start.setDate(QDate(2027, 1, 1))
    assert "sooner than 1 Apr 2027" in wizard.period_hint.text()
    assert wizard.period()[0] == date(2027, 1, 1)
    wizard.report_radios[ReportType.TYPE1].setChecked(True)  # a date the user chose stays
    assert wizard.period()[0] == date(2027, 1, 1)
