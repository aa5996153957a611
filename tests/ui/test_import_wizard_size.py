"""The import wizard fits a 1280x720 screen: it opens no larger than the screen has room for, can be made smaller
down to a minimum that fits there, and at that minimum every page still shows its table and its buttons (the
mapping page's fields scroll when a kind has many)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget, QWizard

from tests.services.test_policies import STAFF
from tests.services.test_services_registers import write_csv
from tests.ui.conftest import wait_until_idle
from workbench.services.importers.kinds import spec_named
from workbench.ui.import_pages import PREVIEW_LEAST_WIDTH
from workbench.ui.import_wizard import (
    MAPPING_PAGE,
    MINIMUM,
    PREFERRED,
    PROBLEMS_PAGE,
    SHEET_PAGE,
    ImportWizard,
    opening_size,
)

TITLE_BAR, TASKBAR = 32, 48
SMALLEST = QSize(40, 20)


def test_it_opens_within_a_small_screen_and_its_minimum_fits_1280x720():
    small = QSize(1280, 720 - TASKBAR)
    assert MINIMUM.width() <= 1280 and MINIMUM.height() + TITLE_BAR <= small.height()
    opened = opening_size(small)
    assert opened.height() + TITLE_BAR <= small.height() and opened.width() <= 1280
    assert opened.expandedTo(MINIMUM) == opened
    assert opening_size(QSize(1920, 1080 - TASKBAR)) == PREFERRED


def _in_view(widget: QWidget, wizard: ImportWizard, least: QSize = SMALLEST) -> bool:
    """Return True when the widget is shown, at least this big, and wholly inside the wizard."""
    place = QRect(widget.mapTo(wizard, QPoint(0, 0)), widget.size())
    return widget.isVisible() and wizard.rect().contains(place) and \
        place.width() >= least.width() and place.height() >= least.height()


def _buttons_in_view(wizard: ImportWizard) -> None:
    shown = [QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton,
             QWizard.WizardButton.CommitButton if wizard.currentPage().isCommitPage()
             else QWizard.WizardButton.NextButton]
    for which in shown:
        assert _in_view(wizard.button(which), wizard), which


def _next(qtbot, wizard: ImportWizard, context) -> None:
    button = wizard.button(QWizard.WizardButton.CommitButton if wizard.currentPage().isCommitPage()
                           else QWizard.WizardButton.NextButton)
    assert button.isEnabled(), wizard.currentId()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)


def test_at_its_minimum_every_page_keeps_its_table_and_buttons(qtbot, page_context, tmp_path):
    wizard = ImportWizard(page_context, spec=spec_named("people"))  # 17 fields: the tallest mapping form
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.resize(400, 300)  # as small as the user can drag it
    qtbot.waitUntil(lambda: wizard.size() == MINIMUM)
    _buttons_in_view(wizard)
    assert _in_view(wizard.path_edit, wizard)
    about = wizard.findChild(QLabel, "fileAbout")  # what the file is: whole, all its lines (276 characters)
    assert about.text() == spec_named("people").texts["file"] and _in_view(about, wizard)
    assert about.height() >= about.heightForWidth(about.width())

    wizard.path_edit.setFocus()
    qtbot.keyClicks(wizard.path_edit, str(write_csv(tmp_path / "staff.csv", STAFF)))
    qtbot.keyClick(wizard.path_edit, Qt.Key.Key_Return)
    wait_until_idle(qtbot, page_context)
    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == SHEET_PAGE and wizard.size() == MINIMUM
    assert _in_view(wizard.rows_view, wizard, QSize(300, 100))
    _buttons_in_view(wizard)

    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == MAPPING_PAGE and wizard.size() == MINIMUM
    assert _in_view(wizard.plan_view, wizard, QSize(PREVIEW_LEAST_WIDTH - 20, 150))
    assert wizard.plan_model.rowCount() == 6
    _buttons_in_view(wizard)
    fields = wizard.findChild(QWidget, "mappingFields")
    assert fields.verticalScrollBar().isVisible()  # the 17 fields scroll rather than push the buttons off
    last = list(wizard.field_boxes.values())[-1]
    fields.ensureWidgetVisible(last)
    assert _in_view(last, wizard, QSize(120, 15))

    _next(qtbot, wizard, page_context)
    assert wizard.currentId() == PROBLEMS_PAGE and wizard.size() == MINIMUM
    assert _in_view(wizard.problems_view, wizard, QSize(400, 150))
    _buttons_in_view(wizard)
