"""The editor of the user entity controls a vendor's report expects of us: one line each, and the control of ours
that meets it (or none yet)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QTableWidgetItem, QWidget

from workbench.domain.vendors import UserControl
from workbench.ui.pages.line_table import LineTable

NOT_MAPPED = "Not mapped yet"


class UserControlsEditor(LineTable):
    """A table of (what the report expects of us, our control); values() and set_values() as the form needs."""

    def __init__(self, controls: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(("Expected of us", "Our control"), "User entity controls", ("Add a line", "Remove the line"),
                         140, self.add_new, parent)
        self.controls = tuple(controls)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def add_new(self) -> None:
        """Add an empty line."""
        self.add_line(UserControl(""))

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

    def set_values(self, controls: Sequence[UserControl] | None) -> None:
        """Show these user entity controls."""
        self.table.setRowCount(0)
        for control in controls or ():
            self.add_line(control)

    def values(self) -> tuple[UserControl, ...]:
        """Return the lines that hold text, with the control chosen for each."""
        found = []
        for row in range(self.table.rowCount()):
            text = self.cell_text(row, 0).strip()
            box = self.table.cellWidget(row, 1)
            if text:
                found.append(UserControl(text, box.currentData() if isinstance(box, QComboBox) else None))
        return tuple(found)
