"""Small widgets shared by the engagement and report pages: an optional date field and plain labels."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from workbench.ui.dates import shown_date
from workbench.ui.fields import date_edit, qdate


def format_date(value: date | None, missing: str = "") -> str:
    """Return a date as the pages show it (the user's locale: '14 Oct 2026' in Britain), or `missing`."""
    return shown_date(value, missing)


class OptionalDateEdit(QWidget):
    """A date that may be left unset: a check box switches the date field on and off."""

    changed = Signal()

    def __init__(self, label: str = "Set", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.enabled_box = QCheckBox(label)
        self.edit = date_edit(date.today())
        self.edit.setEnabled(False)
        self.enabled_box.toggled.connect(self.edit.setEnabled)
        self.enabled_box.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        layout.addWidget(self.enabled_box)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.enabled_box)

    def set_accessible_name(self, name: str) -> None:
        """Name both parts for screen readers."""
        self.enabled_box.setAccessibleName(f"{name} set")
        self.edit.setAccessibleName(name)

    def set_date(self, value: date | None) -> None:
        """Show a date, or leave the field unset."""
        self.enabled_box.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(qdate(value))

    def date(self) -> date | None:
        """Return the date entered, or None when unset."""
        if not self.enabled_box.isChecked():
            return None
        return self.edit.date().toPython()
