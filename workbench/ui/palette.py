"""Colours with a meaning, shared by every page: workbench/domain/palette.py's colours as QColors.

Fills are the same on every palette; words in a state's colour and row tints follow the palette (light or dark)
so that they keep WCAG AA contrast: ask state_text / state_tint with the widget's palette, or the application's.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from workbench.domain import palette as colours
from workbench.domain.enums import AssessmentStatus

STATUS_COLOURS: dict[AssessmentStatus, QColor] = {status: QColor(tone.fill) for status, tone in colours.TONES.items()}
ACCENT = QColor(colours.ACCENT)
TRACK = QColor(128, 128, 128, 60)

# The order statuses are listed and drawn in: best first, undecided last.
STATUS_ORDER: tuple[AssessmentStatus, ...] = colours.STATE_ORDER

# The timeline: one colour per step of the road (1..6), and the marks drawn over the bars.
STEP_COLOURS: dict[int, QColor] = {step: QColor(value) for step, value in colours.STEP_COLOURS.items()}
CRITICAL = QColor(colours.CRITICAL)
CPA_MILESTONE = QColor(colours.CPA_MILESTONE)
TODAY_LINE = QColor(colours.TODAY_LINE)
OBSERVATION_SHADE = QColor(31, 95, 168, 38)  # ACCENT, see-through over the chart
BASELINE_GHOST = QColor(110, 110, 110, 150)
DEPENDENCY = QColor(colours.DEPENDENCY)


def step_colour(step: int | None) -> QColor:
    """Return the colour of a step of the road (grey for a task with none)."""
    return QColor(colours.step_colour(step))


def is_dark(palette: QPalette | None = None) -> bool:
    """Return True when the palette (the application's when None) draws light words on dark backgrounds."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def state_text(status: AssessmentStatus, palette: QPalette | None = None) -> QColor:
    """Return the colour of words in a state's colour on this palette's backgrounds (AA contrast)."""
    return QColor(colours.TONES[status].text(is_dark(palette)))


def accent_text(palette: QPalette | None = None) -> QColor:
    """Return the colour of words in the accent colour on this palette's backgrounds (AA contrast)."""
    return QColor(colours.ACCENT_TONE.text(is_dark(palette)))


def state_tint(status: AssessmentStatus, palette: QPalette | None = None) -> QColor:
    """Return the background of a row in this state under this palette's text (AA contrast)."""
    return QColor(colours.TONES[status].tint(is_dark(palette)))


def words_on(fill: QColor) -> QColor:
    """Return the colour of words drawn on a fill: black or white, whichever has more contrast."""
    return QColor(colours.ink_on(fill.name()))


def text_style(status: AssessmentStatus, palette: QPalette | None = None) -> str:
    """Return a style-sheet rule giving a label's words a state's colour."""
    return f"color: {state_text(status, palette).name()};"
