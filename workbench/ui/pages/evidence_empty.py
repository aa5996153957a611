"""What the evidence page shows while the project has no controls: what to do first, and a button leading there."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from workbench.ui.labels import plain_label

EMPTY_TEXT = (
    "This project has no controls yet, and evidence is always attached to a control. First add your controls in "
    "step 3, Implement controls: start from a template set or import your control register. Then come back here, "
    "select a control and add its files (or drop them on this page)."
)


class EvidenceEmptyState(QWidget):
    """The sentence saying what to do and the button to step 3; emits controls_requested when it is pressed."""

    controls_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceEmpty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 24, 0, 0)
        self.text = plain_label(EMPTY_TEXT)
        self.text.setObjectName("evidenceEmptyText")
        layout.addWidget(self.text)
        self.button = QPushButton("Go to step &3, Implement controls")
        self.button.setObjectName("evidenceToControls")
        self.button.clicked.connect(self.controls_requested)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
