"""Readiness per Trust Services Category, painted as one stacked horizontal bar per category."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.domain.enums import AssessmentStatus
from workbench.domain.readiness import CategoryReadiness, CriteriaCounts
from workbench.ui.palette import STATUS_COLOURS, STATUS_ORDER, TRACK

BAR_HEIGHT = 12
ROW_GAP = 10


def status_count(counts: CriteriaCounts, status: AssessmentStatus) -> int:
    """Return how many criteria of a CriteriaCounts have this status."""
    return int(getattr(counts, status.value))


def counts_line(counts: CriteriaCounts) -> str:
    """Return a short sentence of the counts shown under a bar."""
    parts = [f"{counts.met} met"] + [f"{count} {words}" for count, words in (
        (counts.partially_met, "partially met"), (counts.gap, "gap" if counts.gap == 1 else "gaps"),
        (counts.not_applicable, "not applicable"), (counts.not_assessed, "to assess")) if count]
    return f"{', '.join(parts)} (of {counts.in_scope})"


class CategoryBars(QWidget):
    """For each category: its name and readiness share, a bar split by status, and the counts in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: tuple[CategoryReadiness, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Readiness per category")

    def categories(self) -> tuple[CategoryReadiness, ...]:
        """Return the categories drawn, in order."""
        return self._items

    def set_categories(self, items: Sequence[CategoryReadiness]) -> None:
        """Draw these categories' counts and readiness."""
        self._items = tuple(items)
        lines = [f"{i.category.label}: {i.readiness:.0%} ready; {counts_line(i.counts)}" for i in self._items]
        self.setToolTip("\n".join(lines))
        self.setAccessibleDescription("; ".join(lines))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        metrics = QFontMetrics(self.font())
        return metrics.height() + 4 + BAR_HEIGHT + 2 + self._small_metrics().height()

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        return font

    def _small_metrics(self) -> QFontMetrics:
        return QFontMetrics(self._small_font())

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._items))
        return QSize(320, rows * self._row_height() + (rows - 1) * ROW_GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().windowText().color()
        line = QFontMetrics(self.font()).height()
        small = self._small_font()
        small_line = self._small_metrics().height()
        width = float(self.width())
        y = 0.0
        for item in self._items:
            painter.setPen(text_colour)
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            label_rect = QRectF(0, y, width, line)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             item.category.label)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{item.readiness:.0%} ready")
            y += line + 4
            bar = QRectF(0.5, y, width - 1, BAR_HEIGHT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(bar, 3, 3)
            x = bar.left()
            total = item.counts.in_scope
            for status in STATUS_ORDER:
                count = status_count(item.counts, status)
                if not count or not total:
                    continue
                segment = bar.width() * count / total
                painter.setBrush(STATUS_COLOURS[status])
                painter.drawRect(QRectF(x, bar.top(), segment, bar.height()))
                x += segment
            y += BAR_HEIGHT + 2
            painter.setPen(text_colour)
            painter.setFont(small)
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(QRectF(0, y, width, small_line), left, counts_line(item.counts))
            y += small_line + ROW_GAP
        painter.end()
