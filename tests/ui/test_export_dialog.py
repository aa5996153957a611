"""Export for the Auditor, driven from the window: the dialog's choices reach the file that is written."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from tests.ui.conftest import SAMPLE, open_in
from workbench.domain.period import Period
from workbench.ui.export_dialog import EXPORT_KINDS, ExportDialog


def _kind_index(key: str) -> int:
    return next(i for i, kind in enumerate(EXPORT_KINDS) if kind.key == key)


def test_the_dialog_reads_narrowing_options_and_names_the_file_by_kind(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path, "acme")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(_kind_index("xlsx"))
    assert dialog.destination.text().endswith(".xlsx") and Path(dialog.destination.text()).parent == tmp_path
    dialog.controls.setText("AC-01, AC-02")
    dialog.criteria.setText("cc 6.1; CC7.2")
    dialog.dated.setChecked(True)
    dialog.start.setDate(QDate(2026, 1, 1))
    dialog.end.setDate(QDate(2026, 6, 30))
    options = dialog.request().options
    assert options.controls == {"AC-01", "AC-02"} and options.criteria == {"CC6.1", "CC7.2"}
    assert (options.collected_from.isoformat(), options.collected_to.isoformat()) == ("2026-01-01", "2026-06-30")
    dialog.kind.setCurrentIndex(_kind_index("pdf"))
    assert dialog.destination.text().endswith(".pdf")
    dialog.kind.setCurrentIndex(_kind_index("requests"))
    assert not dialog.criteria.isEnabled() and dialog.request().options.criteria is None


def test_readiness_is_left_out_unless_the_box_is_ticked(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path, "acme")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(_kind_index("zip"))
    assert not dialog.readiness.isChecked() and not dialog.request().options.include_readiness
    dialog.readiness.setChecked(True)
    assert dialog.request().options.include_readiness
    dialog.kind.setCurrentIndex(_kind_index("requests"))
    assert not dialog.readiness.isEnabled() and not dialog.request().options.include_readiness


def test_the_date_filter_defaults_to_the_audit_period(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path, "acme", period=Period(date(2026, 1, 1), date(2026, 6, 30)))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(_kind_index("pdf"))
    assert (dialog.start.date(), dialog.end.date()) == (QDate(2026, 1, 1), QDate(2026, 6, 30))
    assert dialog.dated.isChecked() and dialog.start.isEnabled()
    options = dialog.request().options
    assert (options.collected_from, options.collected_to) == (date(2026, 1, 1), date(2026, 6, 30))
    dialog.dated.setChecked(False)  # everything, out-of-period evidence marked
    assert dialog.request().options.collected_from is None


def test_a_type1_as_of_day_leaves_the_date_filter_off(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path, "acme", period=Period(date(2026, 6, 30), date(2026, 6, 30)))
    qtbot.addWidget(dialog)
    assert not dialog.dated.isChecked() and dialog.request().options.collected_from is None


def test_the_window_gives_the_dialog_the_project_period(qtbot, window, monkeypatch):
    from workbench.ui import export_dialog  # the window imports the dialog from there when it is asked for

    seen = []

    class Watching(ExportDialog):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            seen.append((self.start.date().toPython(), self.end.date().toPython()))

        def exec(self):
            return ExportDialog.DialogCode.Rejected

    monkeypatch.setattr(export_dialog, "ExportDialog", Watching)
    open_in(qtbot, window, SAMPLE)
    settings = window.status.settings
    window.export_dialog()
    assert seen == [(settings.period_start, settings.period_end)]


def test_a_bad_criterion_is_explained_in_the_dialog_and_nothing_is_accepted(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path, "acme")
    qtbot.addWidget(dialog)
    dialog.criteria.setText("CC6.1, banana")
    dialog.export_button.click()
    assert "banana" in dialog.error.text()
    assert dialog.result() != ExportDialog.DialogCode.Accepted


@pytest.mark.parametrize("key", ["xlsx", "pdf"])
def test_the_window_exports_in_the_background_and_reports_the_file(qtbot, window, tmp_path, key):
    open_in(qtbot, window, SAMPLE)
    assert window.export_action.isEnabled()
    dialog = ExportDialog(tmp_path, "brightpath")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(_kind_index(key))
    dialog.controls.setText(", ".join(c.ref for c in _two_controls(window)))
    with qtbot.waitSignal(window.exported, timeout=60_000) as written:
        window.export(dialog.request())
    path = Path(written.args[0])
    assert path.exists() and path.parent == tmp_path
    if key == "xlsx":
        sheet = load_workbook(path)["Controls"]
        refs = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value]
        assert sorted(refs) == sorted(c.ref for c in _two_controls(window))
    else:
        assert path.read_bytes().startswith(b"%PDF")
    assert not zipfile.is_zipfile(path) or key == "xlsx"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def _two_controls(window):
    from workbench.services.controls import list_controls

    window.operations.wait(30)
    return list_controls(window.project)[:2]


def test_the_file_menu_opens_each_import_wizard_on_its_page(qtbot, window):
    assert not window.import_requests_action.isEnabled()
    open_in(qtbot, window, SAMPLE)
    window.import_requests_action.trigger()
    audit = window.step_pages["audit"]
    assert window.pages.currentWidget() is audit
    assert audit.import_wizard.isVisible() and "request" in audit.import_wizard.windowTitle().lower()
    audit.import_wizard.reject()
    window.import_controls_action.trigger()
    controls = window.step_pages["controls"]
    assert window.pages.currentWidget() is controls
    assert controls.import_wizard.isVisible() and "control" in controls.import_wizard.windowTitle().lower()
    controls.import_wizard.reject()
