"""Every page (each of its tabs), the welcome page, the new-project wizard, the export dialog and the import wizard,
shown at 1280x820 and 1100x620 on the sample project: the window keeps the size asked for, no text is cut off
(wider or taller than its label, button or group; cut off by a parent), no "&" is shown literally or swallowed,
and a field too short for its text shows its start."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QFileDialog, QMessageBox, QPushButton, QWizard
from shiboken6 import isValid

from tests.ui.conftest import open_in
from tests.ui.layout_check import every_tab, problems, settle
from tests.ui.test_import_wizard import messy_register
from workbench.domain.period import Period
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.main_window import PAGES
from workbench.ui.new_project_wizard import NewProjectWizard

SIZES = ((1280, 820), (1100, 620))
# A button ending in "…" opens a dialog; these open a file dialog (or an export or import run through elsewhere).
FILE_PICKERS = re.compile(r"files|import|attach|save a copy|browse|selection|export|open|restore", re.IGNORECASE)


def _idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.operations.busy, timeout=20_000)
    settle()


def _look(window, where: str, size: tuple[int, int]) -> list[str]:
    """Return what is wrong with the window as it is shown, and put its size back if it had to grow."""
    found = [f"{where}: {problem}" for problem in problems(window)]
    if window.size().toTuple() != size:
        found.append(f"{where}: the window needs {window.width()}x{window.height()}, not {size[0]}x{size[1]}")
        window.resize(*size)
        settle()
    return found


def _select_first_rows(root) -> None:
    """Pick the first row of every table or list on show that has nothing picked, as a user looking closer would."""
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None and model.rowCount() and not view.selectionModel().hasSelection():
            view.setCurrentIndex(model.index(0, 0))


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def sized_window(request, qtbot, window):
    """The main window at one of the sizes, shown."""
    window.resize(*request.param)
    window.show()
    qtbot.waitExposed(window)
    settle()
    return window, request.param


def test_every_page_and_tab_fits_the_window_and_shows_its_text(qtbot, sized_window, sample_copy):
    window, size = sized_window
    found = _look(window, "welcome", size)
    open_in(qtbot, window, sample_copy)
    for page in PAGES:
        window.show_page(page.name)
        shown = window.pages.currentWidget()
        if not getattr(shown, "loaded_once", True):
            qtbot.waitUntil(lambda shown=shown: shown.loaded_once, timeout=20_000)
        _idle(qtbot, window)
        for tab in every_tab(shown):
            where = f"{page.name} > {tab}" if tab else page.name
            _idle(qtbot, window)
            found += _look(window, where, size)
            _select_first_rows(shown)
            _idle(qtbot, window)
            found += _look(window, f"{where}, first rows picked", size)
    assert not found, "\n".join(found)


def test_new_project_wizard_pages_and_export_dialog_show_all_their_text(qtbot, sized_window, tmp_path):
    window, size = sized_window
    wizard = NewProjectWizard(tmp_path, date(2026, 5, 6), window)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.organization, "Example Analytics, Inc.")
    found: list[str] = []
    for page in wizard.pages:
        settle()
        found += [f"wizard, {page.title()}: {problem}" for problem in problems(wizard)]
        if page is wizard.pages[-1]:
            wizard.encrypt.setChecked(True)
            settle()
            found += [f"wizard, {page.title()}, encrypted: {problem}" for problem in problems(wizard)]
        else:
            qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.pages[-1]
    wizard.reject()

    for period in (None, (date(2026, 4, 1), date(2026, 9, 30))):
        dialog = ExportDialog(tmp_path, "brightpath-analytics", window, Period(*period) if period else None)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        for index in range(dialog.kind.count()):
            dialog.kind.setCurrentIndex(index)
            settle()
            found += [f"export dialog, {dialog.kind.currentText()}: {problem}" for problem in problems(dialog)]
        dialog.reject()
    assert not found, "\n".join(found)
    assert window.size().toTuple() == size


def test_import_wizard_pages_show_all_their_text(qtbot, sized_window, sample_copy, tmp_path):
    window, _size = sized_window
    open_in(qtbot, window, sample_copy)
    window.show_page("controls")
    controls = window.step_pages["controls"]
    qtbot.waitUntil(lambda: controls.loaded_once, timeout=20_000)
    controls.open_import()
    wizard = controls.import_wizard
    qtbot.waitExposed(wizard)
    wizard.path_edit.setFocus()
    qtbot.keyClicks(wizard.path_edit, str(messy_register(tmp_path / "register.xlsx")))
    qtbot.keyClick(wizard.path_edit, Qt.Key.Key_Return)
    _idle(qtbot, window)
    found: list[str] = []
    seen = set()
    while wizard.currentId() not in seen:
        seen.add(wizard.currentId())
        found += [f"import wizard, {wizard.currentPage().title()}: {problem}" for problem in problems(wizard)]
        which = QWizard.WizardButton.CommitButton if wizard.currentPage().isCommitPage() else \
            QWizard.WizardButton.NextButton
        button = wizard.button(which)
        if not (button.isVisible() and button.isEnabled()):
            break
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        _idle(qtbot, window)  # a page may read on the worker before the wizard moves on
    assert len(seen) >= 4, f"the wizard stopped after {len(seen)} pages"
    assert not found, "\n".join(found)
    wizard.reject()


class DialogWatcher:
    """Looks at each dialog a click opens, modal or not, then closes it unchanged."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.seen: list[str] = []
        self.looking = False
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.look)

    def look(self) -> None:
        """Check every dialog on show, then close it."""
        if self.looking:
            return  # the timer fired again while this look let events through
        self.looking = True
        try:
            self._look()
        finally:
            self.looking = False

    def _look(self) -> None:
        settle()
        for top in [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]:
            if not isValid(top):
                continue  # a dialog closed a moment ago, deleted by now
            if not isinstance(top, QFileDialog):
                self.seen.append(top.windowTitle())
                self.found += [f"dialog {top.windowTitle()!r}: {problem}" for problem in problems(top)]
            if isinstance(top, QMessageBox):
                top.close()
            else:
                top.reject()


def test_every_dialog_a_page_opens_shows_all_its_text(qtbot, window, sample_copy):
    window.resize(1100, 620)
    window.show()
    open_in(qtbot, window, sample_copy)
    watcher = DialogWatcher()
    for page in PAGES:
        window.show_page(page.name)
        shown = window.pages.currentWidget()
        if not getattr(shown, "loaded_once", True):
            qtbot.waitUntil(lambda shown=shown: shown.loaded_once, timeout=20_000)
        for _tab in every_tab(shown):
            _idle(qtbot, window)
            _select_first_rows(shown)
            _idle(qtbot, window)
            for button in shown.findChildren(QPushButton):
                text = button.text().replace("&", "")
                if button.isVisible() and button.isEnabled() and text.endswith("…") and not FILE_PICKERS.search(text):
                    watcher.timer.start()
                    button.click()
                    _idle(qtbot, window)
                    watcher.look()
                    watcher.timer.stop()
    assert len(watcher.seen) >= 15, watcher.seen
    assert not watcher.found, "\n".join(watcher.found)
