"""The small dialog asking for an evidence item's details: title, collected date, period covered, source, notes."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.services.evidence import EvidenceEdit
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import date_edit, ok_cancel, qdate, set_field, text_box
from workbench.ui.labels import plain_label


class EvidenceDetailsDialog(EditDialog):
    """Asks for the details of new evidence files (applied to all of them) or edits one record's details."""

    def __init__(self, heading: str, today: date, parent: QWidget | None = None, *,
                 files: int = 0, current: EvidenceEdit | None = None) -> None:
        super().__init__(parent)
        self.editing = current is not None
        self.setWindowTitle("Edit evidence" if self.editing else "Add evidence")
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(heading))
        form = QFormLayout()
        layout.addLayout(form)

        self.title = QLineEdit()
        if files > 1:
            self.title.setPlaceholderText("Leave empty to use each file's name")
        elif files == 1:
            self.title.setPlaceholderText("Leave empty to use the file's name")
        form.addRow("&Title", self.title)

        self.collected_set = QCheckBox("&Collected on")
        self.collected = date_edit(today)
        self.collected_set.setChecked(True)
        self.collected_set.toggled.connect(self.collected.setEnabled)
        form.addRow(self.collected_set, self.collected)

        self.period_set = QCheckBox("&Period covered")
        self.period_start = date_edit(today)
        self.period_end = date_edit(today)
        period = QHBoxLayout()
        period.addWidget(self.period_start)
        period.addWidget(plain_label("to", wrap=False))
        period.addWidget(self.period_end)
        period.addStretch(1)
        for edit in (self.period_start, self.period_end):
            edit.setEnabled(False)
            self.period_set.toggled.connect(edit.setEnabled)
        form.addRow(self.period_set, period)

        self.source = QLineEdit()
        self.source.setPlaceholderText("Where it comes from, e.g. Okta admin console export")
        form.addRow("&Source", self.source)
        self.notes = text_box(fixed_height=80)
        form.addRow("&Notes", self.notes)

        self.problem = plain_label()
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = ok_cancel(self, on_ok=self._accept_if_valid)
        layout.addWidget(self.buttons)
        if current is not None:
            self._fill(current)
        self.resize(520, self.sizeHint().height())

    def _fill(self, current: EvidenceEdit) -> None:
        set_field(self.title, current.title)
        self.collected_set.setChecked(current.collected_on is not None)
        if current.collected_on:
            self.collected.setDate(qdate(current.collected_on))
        has_period = current.period_start is not None or current.period_end is not None
        self.period_set.setChecked(has_period)
        if has_period:
            self.period_start.setDate(qdate(current.period_start or current.period_end))  # type: ignore[arg-type]
            self.period_end.setDate(qdate(current.period_end or current.period_start))  # type: ignore[arg-type]
        set_field(self.source, current.source)
        self.notes.setPlainText(current.notes)

    def set_period(self, start: date, end: date) -> None:
        """Tick "Period covered" and set its two ends."""
        self.period_set.setChecked(True)
        self.period_start.setDate(qdate(start))
        self.period_end.setDate(qdate(end))

    def set_collected(self, value: date | None) -> None:
        """Set the collected date, or clear it with None."""
        self.collected_set.setChecked(value is not None)
        if value is not None:
            self.collected.setDate(qdate(value))

    def details(self) -> EvidenceEdit:
        """Return what the dialog holds."""
        period = self.period_set.isChecked()
        return EvidenceEdit(
            title=self.title.text().strip(),
            collected_on=self.collected.date().toPython() if self.collected_set.isChecked() else None,
            period_start=self.period_start.date().toPython() if period else None,
            period_end=self.period_end.date().toPython() if period else None,
            source=self.source.text().strip(),
            notes=self.notes.toPlainText(),
        )

    def values(self) -> EvidenceEdit:
        """Return what the dialog holds."""
        return self.details()

    def refusal(self) -> str:
        """Return why the details cannot be saved as they stand, or ""."""
        details = self.details()
        if details.period_start and details.period_end and details.period_end < details.period_start:
            return "The period covered ends before it starts."
        if self.editing and not details.title:
            return "The title cannot be empty."
        return ""

    def _accept_if_valid(self) -> None:
        refusal = self.refusal()
        if refusal:
            self._refuse(refusal)
            (self.period_end if "period" in refusal else self.title).setFocus()
            return
        self.accept()

    def _refuse(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
