"""The Holidays dialog of the Timeline page: the days nobody works on the plan besides weekends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.domain.holidays import format_holidays, parse_holidays
from workbench.ui.labels import plain_label

EXPLANATION = ("Days nobody works on the plan besides Saturdays and Sundays: tasks skip them and take longer. "
               "One date per line (YYYY-MM-DD); what follows a date on its line, such as its name, is ignored.")
REFIT_HINT = ("The preparation is fitted to end just before the audit period; a holiday inside it only fits when "
              "the plan is generated again. That replaces changes made to its tasks (Edit > Undo brings them back).")


class HolidaysDialog(QDialog):
    """Edits the list of holidays; Save is offered only while every line reads as a date."""

    def __init__(self, holidays: Iterable[date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Holidays")
        self.resize(460, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLANATION))
        self.text = QPlainTextEdit(format_holidays(holidays))
        self.text.setAccessibleName("Holidays, one date per line")
        self.text.setPlaceholderText("2026-12-25 Christmas Day\n2027-01-01 New Year's Day")
        layout.addWidget(self.text, 1)
        self.problem = plain_label()
        layout.addWidget(self.problem)
        self.refit = QCheckBox("&Generate the plan again from its template around them")
        self.refit.setToolTip(REFIT_HINT)
        layout.addWidget(self.refit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()

    def days(self) -> frozenset[date]:
        """Return the dates typed (the empty set while a line does not read)."""
        try:
            return parse_holidays(self.text.toPlainText())
        except WorkbenchError:
            return frozenset()

    def _check(self) -> None:
        try:
            days = parse_holidays(self.text.toPlainText())
        except WorkbenchError as exc:
            message = str(exc)
            self.problem.setText(message[:1].upper() + message[1:])
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        count = len(days)
        self.problem.setText(f"{count} holiday{'s' if count != 1 else ''}" if count else "No holidays.")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
