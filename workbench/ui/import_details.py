"""The import wizard's import-level details (a population's control, source, query ...), asked as the spec declares."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from workbench.services.importers.spec import RegisterSpec


class DetailsForm(QWidget):
    """One line per detail of the kind's RegisterSpec, some preset by the page that opened the wizard."""

    changed = Signal()

    def __init__(self, spec: RegisterSpec, preset: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        form = QFormLayout(self)
        form.setContentsMargins(0, 8, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        for detail in spec.details:
            edit = QLineEdit((preset or {}).get(detail.name, ""))
            edit.setAccessibleName(detail.name)
            edit.setPlaceholderText(detail.help + (" (required)" if detail.required else ""))
            edit.textChanged.connect(lambda _text: self.changed.emit())
            self.edits[detail.name] = edit
            form.addRow(detail.name.replace("_", " ").capitalize() + ("*" if detail.required else ""), edit)
        self.setVisible(bool(spec.details))

    def values(self) -> tuple[tuple[str, str], ...]:
        """Return the details filled in, as ImportOptions.details takes them."""
        return tuple((name, edit.text().strip()) for name, edit in self.edits.items() if edit.text().strip())

    def complete(self) -> bool:
        """Return True when every required detail is filled in."""
        return all(self.edits[d.name].text().strip() for d in self.spec.details if d.required)
