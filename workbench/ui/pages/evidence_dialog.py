"""The small dialog asking for an evidence item's details: title, collected date, period covered, source, notes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.services.evidence import EvidenceEdit
from workbench.ui.edit_dialog import EditDialog


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def _to_date(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _set(edit: QDateEdit, value: date) -> None:
    edit.setDate(QDate(value.year, value.month, value.day))


class EvidenceDetailsDialog(EditDialog):
    """Asks for the details of new evidence files (applied to all of them) or edits one record's details."""

    def __init__(self, heading: str, today: date, parent: QWidget | None = None, *,
                 files: int = 0, current: EvidenceEdit | None = None) -> None:
        super().__init__(parent)
        self.editing = current is not None
        self.setWindowTitle("Edit evidence" if self.editing else "Add evidence")
        layout = QVBoxLayout(self)
        intro = QLabel(heading)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)

        self.title = QLineEdit()
        if files > 1:
            self.title.setPlaceholderText("Leave empty to use each file's name")
        elif files == 1:
            self.title.setPlaceholderText("Leave empty to use the file's name")
        form.addRow("&Title", self.title)

        self.collected_set = QCheckBox("&Collected on")
        self.collected = _date_edit(today)
        self.collected_set.setChecked(True)
        self.collected_set.toggled.connect(self.collected.setEnabled)
        form.addRow(self.collected_set, self.collected)

        self.period_set = QCheckBox("&Period covered")
        self.period_start = _date_edit(today)
        self.period_end = _date_edit(today)
        period = QHBoxLayout()
        period.addWidget(self.period_start)
        to = QLabel("to")
        period.addWidget(to)
        period.addWidget(self.period_end)
        period.addStretch(1)
        for edit in (self.period_start, self.period_end):
            edit.setEnabled(False)
            self.period_set.toggled.connect(edit.setEnabled)
        form.addRow(self.period_set, period)

        self.source = QLineEdit()
        self.source.setPlaceholderText("Where it comes from, e.g. Okta admin console export")
        form.addRow("&Source", self.source)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)
        form.addRow("&Notes", self.notes)

        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if current is not None:
            self._fill(current)
        self.resize(520, self.sizeHint().height())

    def _fill(self, current: EvidenceEdit) -> None:
        self.title.setText(current.title)
        self.collected_set.setChecked(current.collected_on is not None)
        if current.collected_on:
            _set(self.collected, current.collected_on)
        has_period = current.period_start is not None or current.period_end is not None
        self.period_set.setChecked(has_period)
        if has_period:
            _set(self.period_start, current.period_start or current.period_end)  # type: ignore[arg-type]
            _set(self.period_end, current.period_end or current.period_start)  # type: ignore[arg-type]
        self.source.setText(current.source)
        self.notes.setPlainText(current.notes)

    def set_period(self, start: date, end: date) -> None:
        """Tick "Period covered" and set its two ends."""
        self.period_set.setChecked(True)
        _set(self.period_start, start)
        _set(self.period_end, end)

    def set_collected(self, value: date | None) -> None:
        """Set the collected date, or clear it with None."""
        self.collected_set.setChecked(value is not None)
        if value is not None:
            _set(self.collected, value)

    def details(self) -> EvidenceEdit:
        """Return what the dialog holds."""
        period = self.period_set.isChecked()
        return EvidenceEdit(
            title=self.title.text().strip(),
            collected_on=_to_date(self.collected) if self.collected_set.isChecked() else None,
            period_start=_to_date(self.period_start) if period else None,
            period_end=_to_date(self.period_end) if period else None,
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
