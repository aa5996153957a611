"""A dialog that ticks evidence records to link to something (an auditor's request, a population)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from workbench.domain.entities import Evidence
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import search_box
from workbench.ui.labels import plain_label


class EvidencePicker(EditDialog):
    """Ticks evidence to link to something: one control's evidence first, what is linked already left out."""

    def __init__(self, title: str, heading: str, evidence: Sequence[Evidence], *, linked: Collection[int] = (),
                 first: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(680, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(heading))
        self.search = search_box("Filter evidence by title, file or control", "Filter evidence")
        layout.addWidget(self.search)
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence to link")
        linked_ids = set(linked)
        free = [e for e in evidence if e.id not in linked_ids]
        for e in sorted(free, key=lambda e: e.control_ref != first):  # stable: the control's first
            item = QListWidgetItem(f"{e.control_ref}  ·  {e.title}  ({e.filename})")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.evidence.addItem(item)
        layout.addWidget(self.evidence, 1)
        if not self.evidence.count():
            layout.addWidget(plain_label("Every evidence record is linked already, or the project "
                                         "has none yet: add evidence on the evidence page."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self._filter)
        self.evidence.itemChanged.connect(lambda _item: self._update_ok())
        self._update_ok()

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.evidence.count()):
            item = self.evidence.item(row)
            item.setHidden(not all(word in item.text().lower() for word in words))

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.values()))

    def set_checked(self, evidence_id: int, checked: bool = True) -> None:
        """Tick (or untick) one evidence record."""
        for row in range(self.evidence.count()):
            item = self.evidence.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == evidence_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def values(self) -> tuple[int, ...]:
        """Return the ids of the evidence ticked."""
        return tuple(int(self.evidence.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.evidence.count())
                     if self.evidence.item(row).checkState() == Qt.CheckState.Checked)

    def refusal(self) -> str:
        """Return why nothing can be linked yet, or ""."""
        return "" if self.values() else "tick the evidence to link"
