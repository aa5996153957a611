"""The CPA firm and its contacts, as the engagement page edits them."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QPushButton, QWidget

from workbench.domain.entities import Engagement
from workbench.services.engagement import cleaned_engagement
from workbench.ui.fields import set_field, text_box
from workbench.ui.layouts import packed_row


class FirmBox(QGroupBox):
    """Firm, lead auditor, email, phone and notes; its Save and Revert buttons are the page's to connect."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("CPA firm and contacts", parent)
        form = QFormLayout(self)
        self.firm = QLineEdit()
        self.lead_auditor = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.notes = text_box(placeholder="Fees, scope letter, portal address, anything worth remembering",
                              max_height=70)
        self.save_button = QPushButton("&Save firm details")
        self.revert_button = QPushButton("Re&vert")
        form.addRow("&Firm", self.firm)
        form.addRow("&Lead auditor", self.lead_auditor)
        form.addRow("E&mail", self.email)
        form.addRow("&Phone", self.phone)
        form.addRow("N&otes", self.notes)
        form.addRow(packed_row(self.revert_button, self.save_button, right=True))

    def typed(self) -> Engagement:
        """Return the firm and contacts as typed (trimmed, as they would be recorded)."""
        return cleaned_engagement(Engagement(self.firm.text(), self.lead_auditor.text(), self.email.text(),
                                             self.phone.text(), self.notes.toPlainText()))

    def fill(self, engagement: Engagement) -> None:
        """Show the firm and contacts as recorded."""
        set_field(self.firm, engagement.firm)
        set_field(self.lead_auditor, engagement.lead_auditor)
        set_field(self.email, engagement.email)
        set_field(self.phone, engagement.phone)
        self.notes.setPlainText(engagement.notes)
