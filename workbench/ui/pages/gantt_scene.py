"""The Gantt chart: bars per task coloured by step, arrows, the observation window, today, baselines, the scale.

A bar dragged sideways asks to move its task; its right edge dragged asks to stretch it. The scene only asks
(move_requested / resize_requested); the page makes the change and reloads, or snaps the bar back.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QSizePolicy,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.domain.schedule import ScheduledTask, is_working_day, next_working_day, working_days_between
from workbench.services.plan import PlanView
from workbench.ui.dates import shown_date
from workbench.ui.pages.gantt_rows import (
    HEADER_HEIGHT,
    ROW_HEIGHT,
    GanttRow,
    TimeScale,
    Zoom,
    task_tooltip,
)
from workbench.ui.palette import (
    ACCENT,
    BASELINE_GHOST,
    CPA_MILESTONE,
    CRITICAL,
    DEPENDENCY,
    OBSERVATION_SHADE,
    TODAY_LINE,
    TRACK,
    step_colour,
)

BAR_MARGIN = 6  # space above and below a bar inside its row
EDGE_GRIP = 6  # the last pixels of a bar stretch it instead of moving it
ARROW_GAP = 7
Z_WINDOW, Z_ARROW, Z_GHOST, Z_SUMMARY, Z_BAR, Z_TODAY, Z_HINT = range(1, 8)


def row_top(index: int) -> float:
    """Return the scene y where a row begins (rows start under the time scale)."""
    return HEADER_HEIGHT + index * ROW_HEIGHT


def snap_start(day: date, later: bool, holidays: frozenset[date] = frozenset()) -> date:
    """Return the working day a dragged start lands on: forward when dragged later, back when earlier."""
    if later:
        return next_working_day(day, holidays)
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


class TaskItem(QGraphicsItem):
    """A task's bar (or diamond for a milestone): shows progress and criticality; drag to move or stretch."""

    def __init__(self, task: ScheduledTask, row: int, scale: TimeScale) -> None:
        super().__init__()
        self.task = task
        self.scale = scale
        top = row_top(row)
        x0, x1 = scale.x(task.start), scale.x(task.end + timedelta(days=1))
        if task.milestone:
            size = ROW_HEIGHT - 2 * BAR_MARGIN + (6 if task.spec.kind == "cpa" else 2)
            centre = (x0 + x1) / 2
            self._base = QRectF(centre - size / 2, top + (ROW_HEIGHT - size) / 2, size, size)
        else:
            self._base = QRectF(x0, top + BAR_MARGIN, max(2.0, x1 - x0), ROW_HEIGHT - 2 * BAR_MARGIN)
        self.stretch = 0.0  # extra width while the right edge is dragged
        self.drag_days = 0  # calendar days moved or stretched by the drag under way
        self._mode: str | None = None
        self._press_x = 0.0
        spec = task.spec
        self.movable = spec.actual_start is None
        self.stretchable = not task.milestone and spec.actual_finish is None and spec.fixed_end is None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setToolTip(task_tooltip(task))
        self.setZValue(Z_BAR)
        self.setCursor(Qt.CursorShape.OpenHandCursor if self.movable else Qt.CursorShape.ArrowCursor)

    @property
    def key(self) -> str:
        """Return the task's key."""
        return self.task.key

    def bar_rect(self) -> QRectF:
        """Return the bar (or the diamond's box) in item coordinates, stretched while dragging."""
        return self._base.adjusted(0, 0, self.stretch, 0)

    def boundingRect(self) -> QRectF:
        return self.bar_rect().adjusted(-3, -3, 3, 3)

    def anchor_out(self) -> QPointF:
        """Return where an arrow to a successor leaves (the right end, middle)."""
        rect = self.bar_rect()
        return QPointF(rect.right(), rect.center().y())

    def anchor_in(self) -> QPointF:
        """Return where an arrow from a predecessor arrives (the left end, middle)."""
        rect = self.bar_rect()
        return QPointF(rect.left(), rect.center().y())

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = step_colour(self.task.step)
        if self.isSelected():
            pen = QPen(self.scene().palette().highlight().color(), 2.5)
        elif self.task.critical:
            pen = QPen(CRITICAL, 2)
        else:
            pen = QPen(colour.darker(150), 1)
        rect = self.bar_rect()
        if self.task.milestone:
            diamond = QPolygonF([QPointF(rect.center().x(), rect.top()), QPointF(rect.right(), rect.center().y()),
                                 QPointF(rect.center().x(), rect.bottom()), QPointF(rect.left(), rect.center().y())])
            painter.setPen(pen)
            painter.setBrush(CPA_MILESTONE if self.task.spec.kind == "cpa" else colour.darker(120))
            painter.drawPolygon(diamond)
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour.lighter(125))
        painter.drawRoundedRect(rect, 3, 3)
        done = max(0, min(100, self.task.spec.percent_complete))
        if done:
            painter.setBrush(colour.darker(115))
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), rect.width() * done / 100, rect.height()), 3, 3)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 3, 3)

    # -- dragging ---------------------------------------------------------------------------------------

    def _on_edge(self, x: float) -> bool:
        right = self.bar_rect().right()
        return self.stretchable and right - EDGE_GRIP <= x <= right + 3

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self._on_edge(event.pos().x()):
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.setCursor(Qt.CursorShape.OpenHandCursor if self.movable else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._mode = "stretch" if self._on_edge(event.pos().x()) else "move" if self.movable else None
        self._press_x = event.scenePos().x()
        self.drag_days = 0
        if self._mode == "move":
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._mode is None:
            return
        self.drag_to((event.scenePos().x() - self._press_x) / self.scale.pixels_per_day)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        mode, self._mode = self._mode, None
        if mode is not None and event.button() == Qt.MouseButton.LeftButton:
            self.setCursor(Qt.CursorShape.OpenHandCursor if self.movable else Qt.CursorShape.ArrowCursor)
            scene = self.scene()
            if isinstance(scene, GanttScene):
                scene.finish_drag(self, mode)

    def drag_to(self, days: float) -> None:
        """Follow the mouse: move (or stretch) by whole calendar days."""
        whole = round(days)
        if self._mode == "stretch":
            length = (self.task.end - self.task.start).days + 1
            whole = max(whole, 1 - length)
            self.prepareGeometryChange()
            self.stretch = whole * self.scale.pixels_per_day
        else:
            self.setPos(whole * self.scale.pixels_per_day, 0)
        self.drag_days = whole
        scene = self.scene()
        if isinstance(scene, GanttScene):
            scene.show_hint(self, self._mode or "move")

    def snap_back(self) -> None:
        """Return to the task's stored place (a refused or empty drag)."""
        self.prepareGeometryChange()
        self.stretch = 0.0
        self.drag_days = 0
        self.setPos(0, 0)
        self.update()


class GanttScene(QGraphicsScene):
    """The chart of one plan: rows as the list beside it shows them, on a time scale at the chosen zoom."""

    move_requested = Signal(str, object)  # task key, the new start (a date)
    resize_requested = Signal(str, int)  # task key, the new duration in working days

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time_scale: TimeScale | None = None
        self.rows: list[GanttRow] = []
        self.items_by_key: dict[str, TaskItem] = {}
        self.ghosts: dict[str, QGraphicsRectItem] = {}
        self.arrows: list[QGraphicsPathItem] = []
        self.window_item: QGraphicsRectItem | None = None
        self.today_item: QGraphicsLineItem | None = None
        self.observation: tuple[date, date] | None = None
        self.today: date | None = None
        self.holidays: frozenset[date] = frozenset()
        self.critical_links: frozenset[tuple[str, str]] = frozenset()
        self._hint: QGraphicsSimpleTextItem | None = None

    # -- building ---------------------------------------------------------------------------------------

    def show_plan(self, view: PlanView, rows: list[GanttRow], zoom: Zoom) -> None:
        """Draw the plan's rows at a zoom (replacing whatever was drawn)."""
        self.clear()
        self.items_by_key, self.ghosts, self.arrows = {}, {}, []
        self.window_item = self.today_item = self._hint = None
        self.rows = rows
        self.observation = view.observation
        self.today = view.today
        self.holidays = view.holidays
        self.critical_links = view.schedule.critical_links if view.schedule is not None else frozenset()
        days = [d for row in rows for d in (row.start, row.end)]
        days += [d for span in view.baseline.values() for d in span]
        if view.observation is not None:
            days += list(view.observation)
        if not days:
            self.time_scale = None
            self.setSceneRect(QRectF(0, 0, 1, HEADER_HEIGHT))
            return
        if min(days) - timedelta(days=60) <= view.today <= max(days) + timedelta(days=60):
            days.append(view.today)
        scale = self.time_scale = TimeScale.around(days, zoom)
        bottom = row_top(len(rows))
        self.setSceneRect(QRectF(0, 0, scale.width, bottom))
        for index, row in enumerate(rows):
            if row.task is None:
                self._add_summary(row, index, scale)
            else:
                item = TaskItem(row.task, index, scale)
                self.addItem(item)
                self.items_by_key[row.task.key] = item
        self._add_arrows()
        self._add_ghosts(view.baseline, scale)
        if view.observation is not None:
            start, end = view.observation
            x0, x1 = scale.x(start), scale.x(end + timedelta(days=1))
            self.window_item = self.addRect(QRectF(x0, HEADER_HEIGHT, x1 - x0, bottom - HEADER_HEIGHT),
                                            QPen(ACCENT, 1, Qt.PenStyle.DashLine), QBrush(OBSERVATION_SHADE))
            self.window_item.setZValue(Z_WINDOW)
            self.window_item.setToolTip(f"Observation window {shown_date(start)} – "
                                        f"{shown_date(end)}")
        if scale.contains(view.today):
            x = scale.x(view.today) + scale.pixels_per_day / 2
            self.today_item = self.addLine(x, HEADER_HEIGHT, x, bottom, QPen(TODAY_LINE, 2))
            self.today_item.setZValue(Z_TODAY)
            self.today_item.setToolTip(f"Today, {shown_date(view.today)}")

    def _add_summary(self, row: GanttRow, index: int, scale: TimeScale) -> None:
        x0, x1 = scale.x(row.start), scale.x(row.end + timedelta(days=1))
        y = row_top(index) + ROW_HEIGHT / 2 - 3
        path = QPainterPath()
        path.moveTo(x0, y + 10)
        path.lineTo(x0, y)
        path.lineTo(x1, y)
        path.lineTo(x1, y + 10)
        path.lineTo(x1 - 5, y + 5)
        path.lineTo(x0 + 5, y + 5)
        path.closeSubpath()
        colour = step_colour(row.step).darker(130)
        item = self.addPath(path, QPen(colour, 1), QBrush(colour))
        item.setZValue(Z_SUMMARY)

    def _add_arrows(self) -> None:
        for successor in self.items_by_key.values():
            for link in successor.task.spec.depends_on:
                predecessor = self.items_by_key.get(link.predecessor)
                if predecessor is None:
                    continue
                critical = (predecessor.key, successor.key) in self.critical_links
                self.arrows.append(self._add_arrow(predecessor.anchor_out(), successor.anchor_in(), critical))

    def _add_arrow(self, a: QPointF, b: QPointF, critical: bool) -> QGraphicsPathItem:
        """Draw a finish-to-start elbow from a to b, with its head at b."""
        path = QPainterPath(a)
        if b.x() - a.x() >= 2 * ARROW_GAP:
            path.lineTo(a.x() + ARROW_GAP, a.y())
            path.lineTo(a.x() + ARROW_GAP, b.y())
        else:  # the successor starts left of the predecessor's end: go round below the predecessor's row
            turn = a.y() + ROW_HEIGHT / 2 if b.y() > a.y() else a.y() - ROW_HEIGHT / 2
            path.lineTo(a.x() + ARROW_GAP, a.y())
            path.lineTo(a.x() + ARROW_GAP, turn)
            path.lineTo(b.x() - ARROW_GAP, turn)
            path.lineTo(b.x() - ARROW_GAP, b.y())
        path.lineTo(b)
        colour = CRITICAL if critical else DEPENDENCY
        item = self.addPath(path, QPen(colour, 1))
        head = QPainterPath()
        head.addPolygon(QPolygonF([b, QPointF(b.x() - 5, b.y() - 3.5), QPointF(b.x() - 5, b.y() + 3.5)]))
        self.addPath(head, QPen(colour, 1), QBrush(colour)).setZValue(Z_ARROW)
        item.setZValue(Z_ARROW)
        return item

    def _add_ghosts(self, baseline: dict[str, tuple[date, date]], scale: TimeScale) -> None:
        for index, row in enumerate(self.rows):
            if row.task is None or row.key not in baseline:
                continue
            start, end = baseline[row.key]
            x0, x1 = scale.x(start), scale.x(end + timedelta(days=1))
            rect = QRectF(x0, row_top(index) + ROW_HEIGHT - BAR_MARGIN + 1, max(2.0, x1 - x0), 3)
            ghost = self.addRect(rect, QPen(Qt.PenStyle.NoPen), QBrush(BASELINE_GHOST))
            ghost.setZValue(Z_GHOST)
            ghost.setToolTip(f"Baseline: {shown_date(start)} – {shown_date(end)}")
            self.ghosts[row.key] = ghost

    # -- selection and dragging ---------------------------------------------------------------------------

    def bar(self, key: str) -> TaskItem:
        """Return the item drawing a task."""
        return self.items_by_key[key]

    def selected_key(self) -> str | None:
        """Return the key of the selected task, if any."""
        chosen = [i for i in self.selectedItems() if isinstance(i, TaskItem)]
        return chosen[0].key if chosen else None

    def select_task(self, key: str | None) -> None:
        """Select a task's bar (or nothing)."""
        item = self.items_by_key.get(key or "")
        if item is not None and item.isSelected() and len(self.selectedItems()) == 1:
            return
        self.clearSelection()
        if item is not None:
            item.setSelected(True)

    def show_hint(self, item: TaskItem, mode: str) -> None:
        """Label the date a dragged bar would get."""
        task = item.task
        if mode == "stretch":
            text = f"Ends {shown_date(task.end + timedelta(days=item.drag_days))}"
        else:
            new_start = snap_start(task.start + timedelta(days=item.drag_days), item.drag_days > 0, self.holidays)
            text = f"Starts {shown_date(new_start)}"
        if self._hint is None:
            self._hint = self.addSimpleText("")
            self._hint.setZValue(Z_HINT)
            self._hint.setBrush(self.palette().text())
        self._hint.setText(text)
        rect = item.sceneBoundingRect()
        self._hint.setPos(rect.right() + 6, rect.top())
        self._hint.show()

    def finish_drag(self, item: TaskItem, mode: str) -> None:
        """Turn a finished drag into a move or resize request, or snap back when nothing changes."""
        if self._hint is not None:
            self._hint.hide()
        task, days = item.task, item.drag_days
        if mode == "move":
            new_start = snap_start(task.start + timedelta(days=days), days > 0, self.holidays)
            if new_start == task.start:
                item.snap_back()
                return
            self.move_requested.emit(task.key, new_start)
            return
        duration = max(1, working_days_between(task.start, task.end + timedelta(days=days), self.holidays))
        if duration == task.spec.duration:
            item.snap_back()
            return
        self.resize_requested.emit(task.key, duration)

    # -- painting -----------------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        palette = self.palette()
        painter.fillRect(rect, palette.base())
        scale = self.time_scale
        if scale is None:
            return
        bottom = row_top(len(self.rows))
        first = max(0, int((rect.top() - HEADER_HEIGHT) // ROW_HEIGHT))
        last = min(len(self.rows), int((rect.bottom() - HEADER_HEIGHT) // ROW_HEIGHT) + 1)
        for index in range(first, last):
            row = self.rows[index]
            band = QRectF(rect.left(), row_top(index), rect.width(), ROW_HEIGHT)
            if row.task is None:
                tint = QColor(step_colour(row.step))
                tint.setAlpha(28)
                painter.fillRect(band, tint)
            elif index % 2:
                painter.fillRect(band, palette.alternateBase())
        if scale.zoom is Zoom.WEEKS:
            day = max(scale.origin, scale.day_at(rect.left()))
            while day < scale.end and scale.x(day) <= rect.right():
                if not is_working_day(day, self.holidays):
                    painter.fillRect(QRectF(scale.x(day), HEADER_HEIGHT, scale.pixels_per_day,
                                            bottom - HEADER_HEIGHT), TRACK)
                day += timedelta(days=1)
        grid = QColor(palette.mid().color())
        for alpha, ticks in ((70, scale.lower_ticks()), (160, scale.upper_ticks())):  # the upper ticks darker
            grid.setAlpha(alpha)
            painter.setPen(QPen(grid, 1))
            for tick in ticks:
                x = scale.x(tick.start)
                if rect.left() <= x <= rect.right():
                    painter.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, bottom))


def paint_scale(painter: QPainter, scene: GanttScene, left: float, right: float, top: float) -> None:
    """Paint the time scale (two tiers, the observation window and today marked) across [left, right] at top."""
    scale = scene.time_scale
    palette = scene.palette()
    painter.save()
    painter.fillRect(QRectF(left, top, right - left, HEADER_HEIGHT), palette.window())
    if scale is None:
        painter.restore()
        return
    half = HEADER_HEIGHT / 2
    line = QPen(palette.mid().color(), 1)
    metrics = QFontMetricsF(painter.font())
    painter.setPen(line)
    painter.drawLine(QPointF(left, top + half), QPointF(right, top + half))
    painter.drawLine(QPointF(left, top + HEADER_HEIGHT - 0.5), QPointF(right, top + HEADER_HEIGHT - 0.5))
    for tick in scale.upper_ticks():
        x0, x1 = scale.x(tick.start), scale.x(tick.end)
        if x1 < left or x0 > right:
            continue
        painter.setPen(line)
        painter.drawLine(QPointF(x0, top), QPointF(x0, top + HEADER_HEIGHT))
        label_x = max(x0, left) + 5
        if x1 - label_x > metrics.horizontalAdvance(tick.label) + 4:
            painter.setPen(palette.windowText().color())
            painter.drawText(QRectF(label_x, top, x1 - label_x, half),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), tick.label)
    for tick in scale.lower_ticks():
        x0, x1 = scale.x(tick.start), scale.x(tick.end)
        if x1 < left or x0 > right:
            continue
        painter.setPen(line)
        painter.drawLine(QPointF(x0, top + half), QPointF(x0, top + HEADER_HEIGHT))
        if x1 - x0 > metrics.horizontalAdvance(tick.label) + 4:
            painter.setPen(palette.windowText().color())
            painter.drawText(QRectF(x0, top + half, x1 - x0, half), int(Qt.AlignmentFlag.AlignCenter), tick.label)
    if scene.observation is not None:
        start, end = scene.observation
        x0, x1 = scale.x(start), scale.x(end + timedelta(days=1))
        painter.fillRect(QRectF(x0, top + HEADER_HEIGHT - 4, x1 - x0, 4), ACCENT)
    if scene.today is not None and scale.contains(scene.today):
        x = scale.x(scene.today) + scale.pixels_per_day / 2
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TODAY_LINE)
        bottom = top + HEADER_HEIGHT
        painter.drawPolygon(QPolygonF([QPointF(x - 5, bottom - 8), QPointF(x + 5, bottom - 8), QPointF(x, bottom)]))
    painter.restore()


class GanttView(QGraphicsView):
    """Shows the scene with the time scale pinned to the top while the rows scroll under it."""

    def __init__(self, scene: GanttScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.gantt = scene
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The pinned scale is painted over the rows: a scrolled viewport must be repainted whole, not shifted.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Gantt chart")

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        top = self.mapToScene(0, 0).y()
        paint_scale(painter, self.gantt, rect.left(), rect.right() + 1, top)

    def mousePressEvent(self, event: object) -> None:
        if event.position().y() < HEADER_HEIGHT:  # the scale covers the rows scrolled under it
            event.accept()
            return
        super().mousePressEvent(event)


def render_image(scene: GanttScene, title: str, names_width: int = 300) -> QImage:
    """Draw the whole chart, the task names beside it and the scale above, as an image for slides."""
    rect = scene.sceneRect()
    image = QImage(int(names_width + rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    palette = scene.palette()
    image.fill(palette.base().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(QRectF(0, 0, names_width, HEADER_HEIGHT), palette.window())
    normal = QFont(painter.font())
    bold = QFont(normal)
    bold.setBold(True)
    metrics = QFontMetricsF(painter.font())
    painter.setPen(palette.windowText().color())
    painter.setFont(bold)
    painter.drawText(QRectF(10, 0, names_width - 20, HEADER_HEIGHT),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     QFontMetricsF(bold).elidedText(title, Qt.TextElideMode.ElideRight, names_width - 20))
    for index, row in enumerate(scene.rows):
        indent = 10 if row.task is None else 24
        painter.setFont(bold if row.task is None else normal)
        text = metrics.elidedText(row.title, Qt.TextElideMode.ElideRight, names_width - indent - 8)
        painter.drawText(QRectF(indent, row_top(index), names_width - indent - 8, ROW_HEIGHT),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
    painter.translate(names_width, 0)
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    paint_scale(painter, scene, 0, rect.width(), 0)
    painter.end()
    return image


class GanttLegend(QWidget):
    """One line explaining the marks on the chart."""

    ENTRIES = ("Critical", "Progress", "Milestone", "CPA milestone", "Observation window", "Baseline", "Today")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Legend: " + ", ".join(self.ENTRIES))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        x, mid = 2.0, self.height() / 2
        colour = step_colour(3)
        for entry in self.ENTRIES:
            box = QRectF(x, mid - 6, 22, 12)
            painter.setPen(Qt.PenStyle.NoPen)
            if entry == "Critical":
                painter.setBrush(colour.lighter(135))
                painter.setPen(QPen(CRITICAL, 2))
                painter.drawRoundedRect(box, 3, 3)
            elif entry == "Progress":
                painter.setBrush(colour.lighter(135))
                painter.drawRoundedRect(box, 3, 3)
                painter.setBrush(colour.darker(115))
                painter.drawRoundedRect(QRectF(box.left(), box.top(), 11, 12), 3, 3)
            elif entry in ("Milestone", "CPA milestone"):
                c = box.center()
                painter.setBrush(CPA_MILESTONE if entry == "CPA milestone" else colour.darker(120))
                painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - 7), QPointF(c.x() + 7, c.y()),
                                               QPointF(c.x(), c.y() + 7), QPointF(c.x() - 7, c.y())]))
            elif entry == "Observation window":
                painter.setBrush(OBSERVATION_SHADE)
                painter.setPen(QPen(ACCENT, 1, Qt.PenStyle.DashLine))
                painter.drawRect(box)
            elif entry == "Baseline":
                painter.fillRect(QRectF(box.left(), mid + 2, 22, 3), BASELINE_GHOST)
            else:
                painter.fillRect(QRectF(box.center().x() - 1, box.top() - 2, 2, 16), TODAY_LINE)
            painter.setPen(self.palette().windowText().color())
            text_x = box.right() + 5
            width = metrics.horizontalAdvance(entry)
            painter.drawText(QRectF(text_x, 0, width + 2, self.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), entry)
            x = text_x + width + 16
        painter.end()
