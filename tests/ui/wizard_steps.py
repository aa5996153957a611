"""Driving the import wizard as a user does: type the file's path, then Next (or Import) up to the result page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.ui.conftest import wait_until_idle
from workbench.ui.import_wizard import PROBLEMS_PAGE, RESULT_PAGE, ImportWizard


def import_through_wizard(qtbot, wizard: ImportWizard, context, path: Path) -> ImportWizard:
    """Give the wizard a file and click through to its result; no row may have an error on the way."""
    wizard.path_edit.setFocus()
    qtbot.keyClicks(wizard.path_edit, str(path))
    qtbot.keyClick(wizard.path_edit, Qt.Key.Key_Return)
    wait_until_idle(qtbot, context)
    while wizard.currentId() != RESULT_PAGE:
        page = wizard.currentPage()
        button = wizard.button(QWizard.WizardButton.CommitButton if page.isCommitPage()
                               else QWizard.WizardButton.NextButton)
        assert button.isEnabled(), wizard.currentId()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_until_idle(qtbot, context)
        if wizard.currentId() == PROBLEMS_PAGE:
            assert "0 with errors" in wizard.counts_label.text()
    return wizard
