"""The details of one report on the report page: type, period, opinion, dates, auditor and notes."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.enums import Opinion, ReportType
from workbench.services import report as service
from workbench.ui.fields import date_edit, qdate, text_box
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row
from workbench.ui.pages.audit_fields import OptionalDateEdit


class ReportFields(QGroupBox):
    """The editable details of a report; its Save button is the page's to connect."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The report", parent)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.report_type = QComboBox()
        for kind in ReportType:
            self.report_type.addItem(kind.label, kind.value)
        self.report_type.currentIndexChanged.connect(self._type_changed)
        self.period_start = date_edit(name="Period start")
        self.period_end = date_edit(name="Period end")
        self.start_label = QLabel("Period &start")
        self.start_label.setBuddy(self.period_start)
        self.end_label = QLabel("Period &end")
        self.end_label.setBuddy(self.period_end)
        self.opinion = QComboBox()
        self.opinion.addItem("Not received yet", None)
        for opinion in Opinion:
            self.opinion.addItem(opinion.label, opinion.value)
        self.opinion.currentIndexChanged.connect(self._opinion_changed)
        self.opinion_explanation = plain_label()
        self.issued_on = OptionalDateEdit("Issued")
        self.issued_on.set_accessible_name("Issue date")
        self.auditor = QLineEdit()
        self.notes = text_box(max_height=80)
        self.bridge_letter = OptionalDateEdit("Dated")
        self.bridge_letter.set_accessible_name("Bridge letter date")
        self.bridge_letter.setToolTip("A bridge letter from management covers the time between the end of the "
                                      "report period and the next report.")
        self.next_cycle = OptionalDateEdit("Starts")
        self.next_cycle.set_accessible_name("Next cycle start")
        self.save_button = QPushButton("Record report")
        self.save_button.setDefault(True)
        form.addRow("&Type", self.report_type)
        form.addRow(self.start_label, self.period_start)
        form.addRow(self.end_label, self.period_end)
        form.addRow("&Opinion", self.opinion)
        form.addRow("", self.opinion_explanation)
        form.addRow("&Issue date", self.issued_on)
        form.addRow("&Auditor", self.auditor)
        form.addRow("&Notes", self.notes)
        form.addRow("&Bridge letter", self.bridge_letter)
        form.addRow("Ne&xt cycle", self.next_cycle)
        form.addRow(packed_row(self.save_button, right=True))

    def draft(self) -> service.ReportDraft:
        """Return the report details as entered."""
        value = self.opinion.currentData()
        return service.ReportDraft(
            ReportType(self.report_type.currentData()), self.period_start.date().toPython(),
            self.period_end.date().toPython(), Opinion(value) if value else None, self.issued_on.date(),
            self.auditor.text(), self.notes.toPlainText(), self.bridge_letter.date(), self.next_cycle.date(),
        )

    def fill(self, draft: service.ReportDraft, today: date) -> None:
        """Show a report's details (a missing date shows as today)."""
        self.report_type.setCurrentIndex(self.report_type.findData(draft.report_type.value))
        self.period_start.setDate(qdate(draft.period_start or today))
        self.period_end.setDate(qdate(draft.period_end or draft.period_start or today))
        self.opinion.setCurrentIndex(self.opinion.findData(draft.opinion.value if draft.opinion else None))
        self.issued_on.set_date(draft.issued_on)
        self.auditor.setText(draft.auditor)
        self.notes.setPlainText(draft.notes)
        self.bridge_letter.set_date(draft.bridge_letter_on)
        self.next_cycle.set_date(draft.next_cycle_start)
        self._type_changed()
        self._opinion_changed()

    def _type_changed(self) -> None:
        type1 = self.report_type.currentData() == ReportType.TYPE1.value
        self.start_label.setText("As of &date" if type1 else "Period &start")
        self.end_label.setVisible(not type1)
        self.period_end.setVisible(not type1)

    def _opinion_changed(self) -> None:
        value = self.opinion.currentData()
        self.opinion_explanation.setText(
            service.OPINION_EXPLANATIONS[Opinion(value)] if value else "Record the opinion once the report arrives."
        )
