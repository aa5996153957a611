"""Finding the next step: Export for the auditor on the dashboard and the evidence page, a welcome screen without a
disabled sidebar, an empty evidence page that says what to do, and an import preview that shows each row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt

from tests.ui.conftest import SAMPLE, open_in, wait_until_idle
from tests.ui.test_import_wizard import _to_mapping, messy_register
from workbench.services.project import NewProject, create_project
from workbench.ui import export_dialog
from workbench.ui.export_dialog import ExportDialog

WAIT_MS = 20_000


def _watch_export_dialog(monkeypatch) -> list[str]:
    """Replace the export dialog with one that records its project name and is cancelled at once."""
    opened: list[str] = []

    class Watching(ExportDialog):
        def __init__(self, folder, stem, *args, **kwargs):
            super().__init__(folder, stem, *args, **kwargs)
            opened.append(stem)

        def exec(self):
            return ExportDialog.DialogCode.Rejected

    monkeypatch.setattr(export_dialog, "ExportDialog", Watching)
    return opened


def _show_loaded(qtbot, window, name: str):
    """Show a step page in the window and wait until it shows the project's data."""
    page = window.step_pages[name]
    if not page.loaded_once:
        with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
            window.show_page(name)
    else:
        window.show_page(name)
    return page


def test_the_dashboards_export_button_opens_the_export_dialog(qtbot, window, monkeypatch):
    opened = _watch_export_dialog(monkeypatch)
    assert not window.dashboard.export_button.isEnabled()  # nothing to export before a project is shown
    open_in(qtbot, window, SAMPLE)
    window.show()
    button = window.dashboard.export_button
    assert button.isEnabled() and button.isVisible() and button.text().replace("&", "") == "Export for the auditor…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [window.project.path.stem]


def test_the_evidence_pages_export_button_opens_the_export_dialog(qtbot, window, monkeypatch):
    opened = _watch_export_dialog(monkeypatch)
    open_in(qtbot, window, SAMPLE)
    window.show()
    page = _show_loaded(qtbot, window, "evidence")
    assert page.export_button.isVisible() and page.export_button.text().replace("&", "") == "Export for the auditor…"
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert opened == [window.project.path.stem]
    assert window.current_page() == "evidence"


def test_the_welcome_screen_shows_no_disabled_navigation(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    assert window.current_page() == "welcome"
    assert not window.navigation.isVisible()  # no list of pages that cannot be opened yet
    assert window.welcome.isVisible() and window.welcome.new_button.isVisible()
    open_in(qtbot, window, SAMPLE)
    assert window.navigation.isVisible() and window.navigation.isEnabled()
    assert window.navigation.width() >= window.navigation.minimumWidth()  # back at its width, not squeezed
    window.close_project()
    qtbot.waitUntil(lambda: window.current_page() == "welcome", timeout=WAIT_MS)
    assert not window.navigation.isVisible()


def test_an_empty_projects_evidence_page_says_what_to_do_and_leads_there(qtbot, window, tmp_path):
    path = tmp_path / "empty.soc2"
    create_project(path, NewProject("Empty Co")).close()
    open_in(qtbot, window, path)
    window.show()
    page = _show_loaded(qtbot, window, "evidence")
    assert page.empty.isVisible() and not page.tabs.isVisible()
    text = page.empty.text.text()
    assert "no controls yet" in text and "step 3" in text and "add its files" in text
    assert page.empty.button.isVisible()
    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "controls"
    assert window.navigation.currentItem().data(Qt.ItemDataRole.UserRole) == "controls"


def test_a_project_with_controls_shows_the_evidence_tabs_not_the_empty_state(qtbot, window):
    open_in(qtbot, window, SAMPLE)
    window.show()
    page = _show_loaded(qtbot, window, "evidence")
    assert page.tabs.isVisible() and not page.empty.isVisible()


def _cells(model) -> dict[str, dict[str, str]]:
    """Return the preview as the user reads it: {row number: {header: cell text}}."""
    return {model.index(row, 0).data(): {model.HEADERS[column]: model.index(row, column).data()
                                         for column in range(model.columnCount())}
            for row in range(model.rowCount())}


def test_the_import_preview_lists_each_rows_label_and_criteria(qtbot, page_context, tmp_path):
    wizard = _to_mapping(qtbot, page_context, messy_register(tmp_path / "register.xlsx"))
    model = wizard.plan_model
    assert model.HEADERS == ("Row", "Control ID", "Title", "Criteria", "Action")
    rows = _cells(model)
    assert rows["6"] == {"Row": "6", "Control ID": "IMP-01", "Title": "Access reviews", "Criteria": "CC6.1, CC6.2",
                         "Action": "create"}
    assert rows["7"]["Title"] == "MFA enforced" and rows["7"]["Criteria"] == "CC6.1, CC6.6"
    assert rows["10"]["Title"] == "Backups" and rows["10"]["Criteria"] == "A1.2"  # CC10.1 is no criterion
    # The action says why only where the word alone does not.
    assert rows["8"]["Action"] == "merge: same control as row 6: criteria merged"
    assert rows["5"]["Action"] == "skip: section heading 'Access control'"
    assert rows["11"]["Action"].startswith("problem: no control ID")
    assert len({cells["Title"] for cells in rows.values() if cells["Action"] == "create"}) == 5
    action = model.action
    assert model.index(3, action).data(Qt.ItemDataRole.ToolTipRole) == rows["8"]["Action"]  # in full when elided


def test_the_import_preview_names_the_fields_an_update_changes(qtbot, page_context, tmp_path):
    from workbench.services.controls import list_controls

    wait_until_idle(qtbot, page_context)
    existing = list_controls(page_context.project)[0]
    book = Workbook()
    sheet = book.active
    sheet.append(["Control ID", "Title", "Owner"])
    sheet.append([existing.ref, existing.title, "Someone Else"])
    sheet.append(["NEW-01", "A new control", existing.owner])
    path = tmp_path / "owners.xlsx"
    book.save(path)
    wizard = _to_mapping(qtbot, page_context, Path(path))
    rows = _cells(wizard.plan_model)
    assert rows["2"]["Control ID"] == existing.ref and rows["2"]["Title"] == existing.title
    assert rows["2"]["Action"] == "update: Owner"
    assert rows["3"]["Action"] == "create" and rows["3"]["Title"] == "A new control"
