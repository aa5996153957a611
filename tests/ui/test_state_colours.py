"""The colours the tables actually return for states read at WCAG AA (4.5:1) under a light and a dark palette."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from workbench.domain.entities import Control, Milestone, Request
from workbench.domain.enums import AssessmentStatus, RequestStatus
from workbench.domain.palette import AA_TEXT, contrast
from workbench.domain.period import WindowStatus
from workbench.services.period import ExpectedWindow
from workbench.ui.import_models import ProblemItem, ProblemsModel
from workbench.ui.pages.audit_models import MilestoneModel, RequestModel
from workbench.ui.pages.controls_model import CRITERIA, ControlItem, ControlsModel
from workbench.ui.pages.evidence_calendar_view import STATE_COLOURS
from workbench.ui.pages.type2_models import WindowsModel
from workbench.ui.palette import is_dark, state_text, words_on

FOREGROUND, BACKGROUND = 9, 8  # Qt.ItemDataRole.ForegroundRole, BackgroundRole
TODAY = date(2026, 4, 3)


def _dark() -> QPalette:
    """A dark palette as Qt's Fusion style draws one."""
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#323232"), (QPalette.ColorRole.Base, "#242424"),
                         (QPalette.ColorRole.AlternateBase, "#2b2b2b"), (QPalette.ColorRole.Text, "#f0f0f0"),
                         (QPalette.ColorRole.WindowText, "#f0f0f0"), (QPalette.ColorRole.Button, "#323232")):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    """The application's palette, light (the style's own) or dark, put back afterwards."""
    before = QApplication.palette()
    chosen = _dark() if request.param == "dark" else QApplication.style().standardPalette()
    QApplication.setPalette(chosen)
    assert is_dark() is (request.param == "dark")
    yield chosen
    QApplication.setPalette(before)


def _colour(value: object) -> str:
    return (value.color() if hasattr(value, "color") else value).name()  # a QBrush or a QColor


def _reads_on_backgrounds(value: object, palette: QPalette) -> None:
    words = _colour(value)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Window):
        background = palette.color(role).name()
        assert contrast(words, background) >= AA_TEXT, (words, background)


def test_words_in_state_colours_read_on_the_palette(palette):
    controls = ControlsModel()
    controls.set_rows([ControlItem(Control("AC-1", "Unmapped", id=1))])
    _reads_on_backgrounds(controls.index(0, CRITERIA).data(FOREGROUND), palette)

    requests = RequestModel()
    requests.set_rows([Request(1, "R-1", "Late", due=date(2026, 1, 5)),
                       Request(2, "R-2", "Done", status=RequestStatus.ACCEPTED),
                       Request(3, "R-3", "Again", status=RequestStatus.NEEDS_FOLLOW_UP)], today=TODAY)
    for row in range(3):
        _reads_on_backgrounds(requests.index(row, RequestModel.STATUS).data(FOREGROUND), palette)
    _reads_on_backgrounds(requests.index(0, RequestModel.REF).data(FOREGROUND), palette)

    milestones = MilestoneModel()
    milestones.set_rows([Milestone(1, "Kick-off", date(2026, 1, 5), date(2026, 1, 5)),
                         Milestone(2, "Fieldwork", date(2026, 2, 1))], today=TODAY)
    _reads_on_backgrounds(milestones.index(0, MilestoneModel.DONE).data(FOREGROUND), palette)
    _reads_on_backgrounds(milestones.index(1, MilestoneModel.DUE).data(FOREGROUND), palette)

    problems = ProblemsModel()
    problems.set_rows([ProblemItem(2, "A", "error", "bad"), ProblemItem(3, "B", "warning", "odd")])
    for row in range(2):
        _reads_on_backgrounds(problems.index(row, 2).data(FOREGROUND), palette)
    for status in AssessmentStatus:
        _reads_on_backgrounds(state_text(status), palette)


def test_rows_tinted_by_state_keep_the_palette_s_words_readable(palette):
    windows = WindowsModel()
    windows.set_rows([ExpectedWindow("Q1", date(2026, 1, 1), date(2026, 3, 31), status) for status in WindowStatus])
    text = palette.color(QPalette.ColorRole.Text).name()
    for row in range(len(WindowStatus)):
        tint = _colour(windows.index(row, WindowsModel.STATUS).data(BACKGROUND))
        assert contrast(text, tint) >= AA_TEXT, (text, tint)


def test_words_on_calendar_cells_read_on_every_state_s_fill():
    for fill in STATE_COLOURS.values():
        assert contrast(words_on(fill).name(), fill.name()) >= AA_TEXT, fill.name()
