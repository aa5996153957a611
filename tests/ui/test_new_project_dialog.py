"""The New Project dialog, filled in as a user would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from workbench.domain.enums import Category, ReportType
from workbench.ui.new_project_dialog import NewProjectDialog, suggested_file_name

TODAY = date(2026, 11, 26)


def _dialog(qtbot, folder: Path) -> NewProjectDialog:
    dialog = NewProjectDialog(folder, TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _ok(dialog: NewProjectDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_type2_project_with_six_month_period_and_chosen_categories(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    assert not _ok(dialog).isEnabled()
    assert "organisation" in dialog.problem.text()
    qtbot.keyClicks(dialog.organization, "Acme, Inc.")
    qtbot.keyClicks(dialog.system, "Acme Cloud")
    dialog.category_boxes[Category.AVAILABILITY].setChecked(True)
    assert _ok(dialog).isEnabled()

    spec = dialog.project_spec()
    assert spec.organization == "Acme, Inc."
    assert spec.system_name == "Acme Cloud"
    assert spec.report_type is ReportType.TYPE2
    assert spec.categories == (Category.SECURITY, Category.AVAILABILITY)
    assert (spec.period_start, spec.period_end) == (date(2026, 12, 1), date(2027, 5, 31))
    assert dialog.target_path() == tmp_path / "Acme-Inc.soc2"


def test_security_cannot_be_unticked(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    box = dialog.category_boxes[Category.SECURITY]
    assert box.isChecked() and not box.isEnabled()


def test_type1_uses_one_as_of_date_and_hides_the_length(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    dialog.show()
    dialog.report_radios[ReportType.TYPE1].setChecked(True)
    assert not dialog.length.isVisible()
    assert "As of" in dialog.start_label.text()
    start, end = dialog.period()
    assert start == end == date(2026, 12, 1)


def test_custom_end_date_before_start_is_refused(qtbot, tmp_path):
    from PySide6.QtCore import QDate

    dialog = _dialog(qtbot, tmp_path)
    qtbot.keyClicks(dialog.organization, "Acme")
    dialog.length.setCurrentIndex(dialog.length.findData(0))
    dialog.end.setDate(QDate(2026, 11, 1))
    assert "ends before it starts" in dialog.problem.text()
    assert not _ok(dialog).isEnabled()


def test_an_existing_file_is_not_offered_for_overwriting(qtbot, tmp_path):
    (tmp_path / "Acme.soc2").write_text("someone else's file")
    dialog = _dialog(qtbot, tmp_path)
    qtbot.keyClicks(dialog.organization, "Acme")
    assert "already exists" in dialog.problem.text()
    assert not _ok(dialog).isEnabled()


def test_file_names_are_made_safe():
    assert suggested_file_name("Acme / Bad:Name?") == "Acme-BadName.soc2"
    assert suggested_file_name("   ") == "project.soc2"
