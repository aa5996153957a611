"""The representation-letter and subsequent-events checklist on the engagement page: one tick box per item, showing
when and by whom it was ticked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from workbench.domain.engagement_checks import CheckItem, CheckState
from workbench.ui.dates import shown_date
from workbench.ui.labels import plain_label

KEY_ROLE = Qt.ItemDataRole.UserRole


def item_text(item: CheckItem, state: CheckState) -> str:
    """Return what a line shows: the item, and when and by whom it was ticked."""
    if state.done_on is None:
        return item.text
    return f"{item.text} (ticked {shown_date(state.done_on)} by {state.done_by})"


class ChecksBox(QGroupBox):
    """Emits toggled(key, ticked) when the user ticks or unticks an item; set_checks() shows the stored states."""

    toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Representation letter and subsequent events", parent)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Tick each item when it is done; the date and your name are recorded, and "
                                     "Edit > Undo takes a tick back."))
        self.list = QListWidget()
        self.list.setAccessibleName("Representation letter and subsequent events checklist")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemChanged.connect(self._changed)
        layout.addWidget(self.list, 1)
        self._filling = False

    def set_checks(self, checks: Sequence[tuple[CheckItem, CheckState]]) -> None:
        """Show every item with its state, under its group's heading."""
        self._filling = True
        try:
            self.list.clear()
            group = ""
            for item, state in checks:
                if item.group != group:
                    group = item.group
                    heading = QListWidgetItem(group)
                    font = QFont(heading.font())
                    font.setBold(True)
                    heading.setFont(font)
                    heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    self.list.addItem(heading)
                line = QListWidgetItem(item_text(item, state))
                line.setData(KEY_ROLE, item.key)
                line.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                line.setCheckState(Qt.CheckState.Checked if state.done else Qt.CheckState.Unchecked)
                self.list.addItem(line)
        finally:
            self._filling = False

    def line(self, key: str) -> QListWidgetItem | None:
        """Return the line of an item."""
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY_ROLE) == key:
                return self.list.item(row)
        return None

    def _changed(self, line: QListWidgetItem) -> None:
        key = line.data(KEY_ROLE)
        if not self._filling and key:
            self.toggled.emit(key, line.checkState() == Qt.CheckState.Checked)
