"""The 5x5 risk heat maps drawn with QPainter: inherent beside residual, each risk's reference in its cell."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from workbench.domain.risks import HeatMap, Risk, band, heat_map

CELL, MARGIN, TITLE = 38, 22, 18
MIN_CELL = 22  # the cells shrink to this in a short window, so that both maps stay in view
BANDS = {"high": QColor("#f4b6b0"), "medium": QColor("#fbe3a6"), "low": QColor("#cfe8c9")}
MAX_SHOWN = 3  # references written in a cell; the tooltip lists them all


def _height(cell: int) -> int:
    """Return the height both maps take with cells of side `cell`."""
    return 2 * (TITLE + 5 * cell + MARGIN) + 8


class HeatMapView(QWidget):
    """Two heat maps side by side; the maps' contents are readable as `inherent` and `residual`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inherent = HeatMap({}, ())
        self.residual = HeatMap({}, ())
        self.setAccessibleName("Risk heat maps")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def set_risks(self, risks: Sequence[Risk]) -> None:
        """Place the risks on both maps and draw them again."""
        self.inherent, self.residual = heat_map(risks), heat_map(risks, residual=True)
        self.setToolTip(self._unplaced())
        self.update()

    def _unplaced(self) -> str:
        lines = [f"Not on the {name} map (no likelihood and impact): {', '.join(grid.unplaced)}"
                 for name, grid in (("inherent", self.inherent), ("residual", self.residual)) if grid.unplaced]
        return "\n".join(lines)

    def sizeHint(self) -> QSize:
        return QSize(MARGIN + 5 * CELL + 12, _height(CELL))

    def minimumSizeHint(self) -> QSize:
        return QSize(MARGIN + 5 * CELL + 12, _height(MIN_CELL))

    def _cell(self) -> int:
        """Return the side of a cell: as large as the height allows, from MIN_CELL to CELL."""
        return max(MIN_CELL, min(CELL, (self.height() - _height(0)) // 10))

    def _origin(self, residual: bool) -> tuple[float, float]:
        """Return the top left of a map's grid: the residual map below the inherent one."""
        return MARGIN, TITLE + ((5 * self._cell() + MARGIN + TITLE + 8) if residual else 0)

    def cell_at(self, x: float, y: float) -> tuple[bool, int, int] | None:
        """Return (residual, likelihood, impact) of the cell under a point, or None."""
        cell = self._cell()
        for residual in (False, True):
            left, top = self._origin(residual)
            column, row = int((x - left) // cell), int((y - top) // cell)
            if x >= left and y >= top and 0 <= column < 5 and 0 <= row < 5:
                return residual, 5 - row, column + 1
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        cell = self._cell()
        for residual, grid in ((False, self.inherent), (True, self.residual)):
            left, top = self._origin(residual)
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(QRectF(left, top - TITLE, 5 * cell, TITLE), Qt.AlignmentFlag.AlignLeft,
                             "Residual risk" if residual else "Inherent risk")
            font.setBold(False)
            font.setPointSizeF(max(font.pointSizeF() * 0.8, 6.0))
            painter.setFont(font)
            for likelihood in range(1, 6):
                painter.drawText(QRectF(left - MARGIN, top + (5 - likelihood) * cell, MARGIN - 2, cell),
                                 Qt.AlignmentFlag.AlignCenter, f"L{likelihood}")
                for impact in range(1, 6):
                    rect = QRectF(left + (impact - 1) * cell, top + (5 - likelihood) * cell, cell - 1, cell - 1)
                    painter.fillRect(rect, BANDS[band(likelihood * impact)])
                    refs = grid.at(likelihood, impact)
                    if refs:
                        fit = min(MAX_SHOWN, max(1, cell // painter.fontMetrics().height()))  # lines in a cell
                        text = "\n".join(refs) if len(refs) <= fit else \
                            f"{len(refs)} risks" if cell == CELL else str(len(refs))
                        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            for impact in range(1, 6):
                painter.drawText(QRectF(left + (impact - 1) * cell, top + 5 * cell, cell, MARGIN),
                                 Qt.AlignmentFlag.AlignCenter, f"I{impact}")
            font.setPointSizeF(font.pointSizeF() / 0.8)
        painter.end()

    def mouseMoveEvent(self, event: object) -> None:
        position = event.position()  # type: ignore[attr-defined]
        found = self.cell_at(position.x(), position.y())
        if found is None:
            return
        residual, likelihood, impact = found
        refs = (self.residual if residual else self.inherent).at(likelihood, impact)
        what = "residual" if residual else "inherent"
        text = f"{what} likelihood {likelihood}, impact {impact}: " + (", ".join(refs) if refs else "no risks")
        QToolTip.showText(event.globalPosition().toPoint(), text, self)  # type: ignore[attr-defined]
