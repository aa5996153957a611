"""The editor of the user entity controls a vendor's report expects of us: one line each, and the control of ours
that meets it (or none yet)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.vendors import UserControl
from workbench.ui.layouts import packed_row

NOT_MAPPED = "Not mapped yet"


class UserControlsEditor(QWidget):
    """A table of (what the report expects of us, our control); values() and set_values() as the form needs."""

    changed = Signal()

    def __init__(self, controls: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls = tuple(controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Expected of us", "Our control"])
        self.table.setAccessibleName("User entity controls")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(140)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton("Add a line")
        self.add_button.clicked.connect(lambda: self.add_line(UserControl("")))
        self.remove_button = QPushButton("Remove the line")
        self.remove_button.clicked.connect(self.remove_line)
        layout.addWidget(self.table)
        layout.addLayout(packed_row(self.add_button, self.remove_button))

    def add_line(self, control: UserControl) -> None:
        """Add one user entity control at the end."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(control.text))
        box = QComboBox()
        box.addItem(NOT_MAPPED, None)
        for ref in self.controls:
            box.addItem(ref, ref)
        box.setCurrentIndex(max(box.findData(control.control_ref), 0))
        box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(row, 1, box)
        self.changed.emit()

    def remove_line(self) -> None:
        """Remove the selected line."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def set_values(self, controls: Sequence[UserControl] | None) -> None:
        """Show these user entity controls."""
        self.table.setRowCount(0)
        for control in controls or ():
            self.add_line(control)

    def values(self) -> tuple[UserControl, ...]:
        """Return the lines that hold text, with the control chosen for each."""
        found = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            text = item.text().strip() if item is not None else ""
            box = self.table.cellWidget(row, 1)
            if text:
                found.append(UserControl(text, box.currentData() if isinstance(box, QComboBox) else None))
        return tuple(found)
