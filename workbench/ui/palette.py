"""Colours with a meaning, shared by every page (status colours read on light and dark palettes)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from workbench.domain.enums import AssessmentStatus

STATUS_COLOURS: dict[AssessmentStatus, QColor] = {
    AssessmentStatus.MET: QColor("#2e7d32"),
    AssessmentStatus.PARTIALLY_MET: QColor("#f2a900"),
    AssessmentStatus.GAP: QColor("#c62828"),
    AssessmentStatus.NOT_APPLICABLE: QColor("#8d99a6"),
    AssessmentStatus.NOT_ASSESSED: QColor("#cfd8dc"),
}
ACCENT = QColor("#1f5fa8")
TRACK = QColor(128, 128, 128, 60)

# The order statuses are listed and drawn in: best first, undecided last.
STATUS_ORDER: tuple[AssessmentStatus, ...] = (
    AssessmentStatus.MET,
    AssessmentStatus.PARTIALLY_MET,
    AssessmentStatus.GAP,
    AssessmentStatus.NOT_APPLICABLE,
    AssessmentStatus.NOT_ASSESSED,
)

# The timeline: one colour per step of the road (1..6), and the marks drawn over the bars.
STEP_COLOURS: dict[int, QColor] = {
    1: QColor("#5c6bc0"),
    2: QColor("#26a69a"),
    3: QColor("#ef8f00"),
    4: QColor("#7cb342"),
    5: QColor("#8e63b5"),
    6: QColor("#3f8fd2"),
}
CRITICAL = QColor("#c62828")
CPA_MILESTONE = QColor("#ad1457")
TODAY_LINE = QColor("#e53935")
OBSERVATION_SHADE = QColor(31, 95, 168, 38)
BASELINE_GHOST = QColor(110, 110, 110, 150)
DEPENDENCY = QColor(120, 120, 120)
