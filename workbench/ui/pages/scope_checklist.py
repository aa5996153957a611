"""The scope checklist: what step 1 still needs, as a live list of done and missing items."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QListWidget, QListWidgetItem, QProgressBar, QVBoxLayout, QWidget

from workbench.domain.enums import AssessmentStatus
from workbench.ui.labels import plain_label
from workbench.ui.palette import STATUS_COLOURS

DONE_ROLE = Qt.ItemDataRole.UserRole


def status_icon(done: bool) -> QIcon:
    """Return a small round icon: the 'met' colour when done, the 'gap' colour when missing."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(STATUS_COLOURS[AssessmentStatus.MET if done else AssessmentStatus.GAP])
    painter.drawEllipse(QRectF(1, 1, 12, 12))
    painter.end()
    return QIcon(pixmap)


class ChecklistPanel(QWidget):
    """Shows (item, done) pairs; emits item_activated(text) when the user opens one."""

    item_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = plain_label()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.list = QListWidget()
        self.list.setAccessibleName("Scope checklist")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda item: self.item_activated.emit(item.text()))
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.list, 1)

    def set_items(self, items: Sequence[tuple[str, bool]]) -> None:
        """Show the checklist: missing items first, so the next thing to do is on top."""
        self.list.clear()
        done = sum(1 for _, ok in items if ok)
        self.bar.setRange(0, max(1, len(items)))
        self.bar.setValue(done)
        missing = len(items) - done
        self.summary.setText(
            f"{done} of {len(items)} done." + (f" {missing} still missing." if missing else " Scope is complete.")
        )
        for text, ok in sorted(items, key=lambda pair: pair[1]):
            item = QListWidgetItem(status_icon(ok), text)
            item.setData(DONE_ROLE, ok)
            item.setToolTip("Done" if ok else "Missing")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{'Done' if ok else 'Missing'}: {text}")
            self.list.addItem(item)

    def states(self) -> dict[str, bool]:
        """Return what the list shows, item text to done."""
        return {self.list.item(i).text(): bool(self.list.item(i).data(DONE_ROLE)) for i in range(self.list.count())}
