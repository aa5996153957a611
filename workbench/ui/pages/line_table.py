"""A table of lines, two columns, with buttons to add and remove a line: what the CSOC and user-entity-control
editors share; each says what a line holds."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.layouts import packed_row


class LineTable(QWidget):
    """Two columns of lines (the first stretched), rows selected whole, Add and Remove buttons under them;
    `changed` is emitted on every edit. Each editor passes what its Add button does and reads the lines back."""

    changed = Signal()

    def __init__(self, headers: tuple[str, str], name: str, buttons: tuple[str, str], min_height: int,
                 add_new: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setAccessibleName(name)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(min_height)
        self.add_button = QPushButton(buttons[0])
        self.add_button.clicked.connect(lambda: add_new())
        self.remove_button = QPushButton(buttons[1])
        self.remove_button.clicked.connect(self.remove_line)
        layout.addWidget(self.table)
        layout.addLayout(packed_row(self.add_button, self.remove_button))

    def remove_line(self) -> None:
        """Remove the selected line."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def cell_text(self, row: int, column: int) -> str:
        """Return the text of a cell ("" where it holds no item)."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
