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
