"""A layout that places its widgets left to right and starts a new line where the next one would not fit."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget

GAP = 6  # between widgets on a line, and between lines, unless the style says otherwise


class FlowLayout(QLayout):
    """Widgets at their natural size on one line, wrapped onto more lines in a narrow window (height for width).

    Widgets added after pack_right() sit at the line's right end while everything fits on one line.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None
        self._heights: dict[int, int] = {}  # height for a width, until the layout or a widget in it changes
        self.setContentsMargins(0, 0, 0, 0)

    def add_widgets(self, *widgets: QWidget) -> None:
        """Add widgets in reading order."""
        for widget in widgets:
            self.addWidget(widget)

    def pack_right(self) -> None:
        """Pack the widgets added from now on to the right end of the line, as long as everything fits on one."""
        self._right_from = len(self._items)

    # -- QLayout -------------------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._heights.clear()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        self._heights.clear()
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Asked again and again on every layout pass of the window (a page shown, a label's text changed): worked
        # out in Python each time it cost several milliseconds per pass.
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._place(QRect(0, 0, width, 0), apply=False)
        return height

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown) + self._gap(Qt.Orientation.Horizontal) * max(
            len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:
        """The widest widget: every other can go onto a line of its own."""
        size = QSize(0, 0)
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return self._with_margins(size)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    # -- placing -------------------------------------------------------------------------------------------

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gap(self, orientation: Qt.Orientation) -> int:
        parent = self.parentWidget()
        if parent is None:
            return GAP
        metric = (QStyle.PixelMetric.PM_LayoutHorizontalSpacing if orientation == Qt.Orientation.Horizontal
                  else QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        spacing = parent.style().pixelMetric(metric, None, parent)
        return spacing if spacing >= 0 else GAP

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        gap = self._gap(Qt.Orientation.Horizontal)
        lines: list[list[QLayoutItem]] = []
        used = 0
        for item in self._shown():
            item_width = item.sizeHint().width()
            if not lines or used + gap + item_width > width:
                lines.append([item])
                used = item_width
            else:
                lines[-1].append(item)
                used += gap + item_width
        return lines

    def _place(self, rect: QRect, *, apply: bool) -> int:
        """Lay the widgets out in `rect` if `apply`; return the height they take."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        lines = self._lines(area.width())
        right = self._packed_right() if len(lines) == 1 else []
        line_gap = self._gap(Qt.Orientation.Vertical)
        y = area.y()
        for line in lines:
            height = max(item.sizeHint().height() for item in line)
            if apply:
                self._place_line(line, right, QRect(area.x(), y, area.width(), height))
            y += height + line_gap
        taken = y - area.y() - (line_gap if lines else 0)
        return taken + margins.top() + margins.bottom()

    def _place_line(self, line: list[QLayoutItem], right: list[QLayoutItem], rect: QRect) -> None:
        gap = self._gap(Qt.Orientation.Horizontal)
        x = rect.x()
        right_start = rect.right() + 1 - sum(item.sizeHint().width() + gap for item in right) + gap
        for item in line:
            if right and item is right[0]:
                x = max(x, right_start)
            size = item.sizeHint()
            width = max(min(size.width(), rect.width()), item.minimumSize().width())  # a widget wider than a line
            top = rect.y() + (rect.height() - size.height()) // 2
            item.setGeometry(QRect(QPoint(x, top), QSize(width, size.height())))
            x += width + gap

    def _packed_right(self) -> list[QLayoutItem]:
        if self._right_from is None:
            return []
        return [item for item in self._items[self._right_from:] if not item.isEmpty()]
