"""Small painted widgets: the readiness ring, the criteria bar, and a progress card for a step."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from workbench.ui.palette import ACCENT, TRACK


class ReadinessRing(QWidget):
    """A ring filled to the readiness share, with the percentage in its centre."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self.setMinimumSize(150, 150)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(170, 170)

    def value(self) -> float:
        """Return the share shown, in [0, 1]."""
        return self._value

    def set_value(self, value: float) -> None:
        """Show a share in [0, 1]."""
        self._value = max(0.0, min(1.0, value))
        self.setToolTip(f"Readiness {self._value:.0%}")
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 16
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        pen = QPen(TRACK, 14, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawArc(rect, 0, 360 * 16)
        pen.setColor(ACCENT)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        if self._value > 0:
            painter.drawArc(rect, 90 * 16, -round(self._value * 360 * 16))
        painter.setPen(self.palette().windowText().color())
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(rect.adjusted(0, -12, 0, -12), Qt.AlignmentFlag.AlignCenter, f"{self._value:.0%}")
        small = QFont(self.font())
        painter.setFont(small)
        painter.drawText(rect.adjusted(0, 30, 0, 30), Qt.AlignmentFlag.AlignCenter, "ready")
        painter.end()


class SegmentBar(QWidget):
    """A horizontal bar split into coloured segments proportional to their counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[tuple[int, QColor, str]] = []
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_segments(self, segments: Sequence[tuple[int, QColor, str]]) -> None:
        """Show (count, colour, label) segments."""
        self._segments = [s for s in segments if s[0] > 0]
        self.setToolTip("\n".join(f"{label}: {count}" for count, _, label in self._segments))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = sum(count for count, _, _ in self._segments)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(rect, 4, 4)
        x = rect.left()
        for count, colour, _label in self._segments:
            width = rect.width() * count / total if total else 0
            painter.setBrush(colour)
            painter.drawRect(QRectF(x, rect.top(), width, rect.height()))
            x += width
        painter.end()


class StepCard(QFrame):
    """A clickable card for one of the six steps: number, title, progress and a one-line summary."""

    activated = Signal(int)

    def __init__(self, number: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setObjectName("stepCard")
        self.setStyleSheet("QFrame#stepCard { border-radius: 6px; }")  # on the card, not the whole application
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = QLabel(f"<b>{number}</b>&nbsp;&nbsp;{title}")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (self.title, self.bar, self.summary):
            layout.addWidget(widget)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_progress(self, progress: float, summary: str) -> None:
        """Show the step's progress share and summary."""
        self.bar.setValue(round(progress * 100))
        self.summary.setText(summary)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            self.activated.emit(self.number)
        super().mouseReleaseEvent(event)
