"""Dialogs of step 6: an exception with management's response, and an entry of the distribution log."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from workbench.domain.entities import ReportException
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel, text_box
from workbench.ui.pages.audit_fields import OptionalDateEdit


class ExceptionDialog(EditDialog):
    """What the auditor found, where, and how management responds."""

    def __init__(self, exception: ReportException | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit exception" if exception else "Add exception")
        self.resize(620, 360)
        form = QFormLayout(self)
        self.reference = QLineEdit(exception.reference if exception else "")
        self.reference.setPlaceholderText("criterion or control, e.g. CC6.2 / AC-03")
        self.description = text_box(exception.description if exception else "")
        self.response = text_box(exception.management_response if exception else "")
        form.addRow("&Reference", self.reference)
        form.addRow("&Exception noted", self.description)
        form.addRow("&Management response", self.response)
        self.buttons = ok_cancel(self)
        form.addRow(self.buttons)

    def values(self) -> tuple[str, str, str]:
        """Return (reference, description, management response) as entered."""
        return self.reference.text(), self.description.toPlainText(), self.response.toPlainText()

    def refusal(self) -> str:
        """Return why the exception cannot be saved as entered, or ""."""
        return "" if self.description.toPlainText().strip() else "describe what the auditor found"


class DistributionDialog(EditDialog):
    """One recipient of the report."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log who received the report")
        form = QFormLayout(self)
        self.recipient = QLineEdit()
        self.organization = QLineEdit()
        self.nda = QLineEdit()
        self.nda.setPlaceholderText("the NDA the recipient signed")
        self.sent_on = OptionalDateEdit("Sent")
        self.sent_on.set_accessible_name("Date sent")
        self.sent_on.set_date(today)
        form.addRow("&Recipient", self.recipient)
        form.addRow("&Organisation", self.organization)
        form.addRow("&NDA reference", self.nda)
        form.addRow("&Date sent", self.sent_on)
        self.buttons = ok_cancel(self)
        form.addRow(self.buttons)

    def values(self) -> tuple[str, str, str, date | None]:
        """Return (recipient, organisation, NDA reference, date sent) as entered."""
        return self.recipient.text(), self.organization.text(), self.nda.text(), self.sent_on.date()

    def refusal(self) -> str:
        """Return why the entry cannot be saved as entered, or ""."""
        return "" if self.recipient.text().strip() else "say who received the report"
