"""The project settings part of the scope page; each finished edit becomes one change request."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from workbench.domain.entities import ProjectSettings
from workbench.domain.enums import Category, ReportType
from workbench.services.project import audit_period
from workbench.ui.dates import shown_date
from workbench.ui.fields import date_edit, set_field
from workbench.ui.flow_layout import FlowLayout

NOT_SET = QDate(2000, 1, 1)  # the lowest date an editor offers; shown as "Not set"
REPORT_HINTS = {
    ReportType.TYPE1: "Type I: your controls are suitably designed as of one date.",
    ReportType.TYPE2: "Type II: your controls are designed and operate effectively over the audit period "
                      "(usually 3 to 12 months).",
}
CATEGORY_HINTS = {
    Category.SECURITY: "Always included: the common criteria every SOC 2 report covers.",
    Category.AVAILABILITY: "When customers rely on your uptime or recovery commitments.",
    Category.CONFIDENTIALITY: "When you hold information customers have marked as confidential.",
    Category.PROCESSING_INTEGRITY: "When your system processes transactions that must be complete and accurate.",
    Category.PRIVACY: "When you collect, use or keep personal information about individuals.",
}
REPORT_CHOICES = ((ReportType.TYPE1, "Type I: as of one date"), (ReportType.TYPE2, "Type II: over a period"))


def _long_date(value: date | None) -> str:
    return shown_date(value, "not set")


_FIRST_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop  # a label beside rows that wrap


class SettingsForm(QWidget):
    """Organisation, system, report type, audit period and categories.

    Emits change_requested(label, changes): keyword arguments for services.project.update_settings (whose
    Change knows how to undo them).
    """

    change_requested = Signal(str, object)  # object: the values must stay Python objects

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings: ProjectSettings | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setHorizontalSpacing(10)
        self.organization = QLineEdit()
        self.organization.setPlaceholderText("e.g. Example Analytics, Inc.")
        self.system = QLineEdit()
        self.system.setPlaceholderText("e.g. Example Analytics Platform")
        self.report_type = QComboBox()
        for report_type, label in REPORT_CHOICES:
            self.report_type.addItem(label, report_type)
        self.period_start = self._date_edit()
        self.period_end = self._date_edit()
        self.start_label = QLabel("&Audit period:")
        self.start_label.setBuddy(self.period_start)
        self.to_label = QLabel("to")
        self.report_hint = QLabel()
        self.report_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.report_hint.setWordWrap(True)
        self.categories: dict[Category, QCheckBox] = {}
        category_row = FlowLayout()  # wraps in a narrow window
        for category in Category:
            box = QCheckBox(category.label)
            box.setToolTip(CATEGORY_HINTS[category])
            if category is Category.SECURITY:
                box.setChecked(True)
                box.setEnabled(False)
            else:
                box.clicked.connect(self._categories_clicked)
            self.categories[category] = box
            category_row.addWidget(box)

        organization_label = QLabel("&Organisation:")
        organization_label.setBuddy(self.organization)
        system_label = QLabel("S&ystem:")
        system_label.setBuddy(self.system)
        report_label = QLabel("Re&port:")
        report_label.setBuddy(self.report_type)
        grid.addWidget(organization_label, 0, 0)
        grid.addWidget(self.organization, 0, 1)
        grid.addWidget(system_label, 0, 2)
        grid.addWidget(self.system, 0, 3)
        grid.addWidget(report_label, 1, 0, _FIRST_LINE)
        period = QWidget()  # the audit period moves under the report type in a narrow window
        dates = QHBoxLayout(period)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(8)
        dates.addSpacing(4)
        for widget in (self.start_label, self.period_start, self.to_label, self.period_end):
            dates.addWidget(widget)
        report_row = FlowLayout()
        report_row.add_widgets(self.report_type, period)
        report_label.setMinimumHeight(self.report_type.sizeHint().height())  # level with the first line
        grid.addLayout(report_row, 1, 1, 1, 3)
        categories_label = QLabel("Categories:")
        categories_label.setMinimumHeight(self.categories[Category.SECURITY].sizeHint().height())
        grid.addWidget(categories_label, 2, 0, _FIRST_LINE)
        grid.addLayout(category_row, 2, 1, 1, 3)
        grid.addWidget(self.report_hint, 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.organization.editingFinished.connect(self._organization_finished)
        self.system.editingFinished.connect(self._system_finished)
        self.report_type.activated.connect(self._report_type_chosen)
        self.period_start.editingFinished.connect(self._start_finished)
        self.period_end.editingFinished.connect(self._end_finished)
        self.period_start.calendarWidget().clicked.connect(lambda _d: QTimer.singleShot(0, self._start_finished))
        self.period_end.calendarWidget().clicked.connect(lambda _d: QTimer.singleShot(0, self._end_finished))
        self.setTabOrder(self.organization, self.system)
        self.setTabOrder(self.system, self.report_type)
        self.setTabOrder(self.report_type, self.period_start)
        self.setTabOrder(self.period_start, self.period_end)

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = date_edit()
        edit.setMinimumDate(NOT_SET)
        edit.setSpecialValueText("Not set")
        return edit

    @staticmethod
    def _date_of(edit: QDateEdit) -> date | None:
        value = edit.date()
        return None if value == NOT_SET else date(value.year(), value.month(), value.day())

    @staticmethod
    def _set_date(edit: QDateEdit, value: date | None) -> None:
        edit.setDate(QDate(value.year, value.month, value.day) if value else NOT_SET)

    # -- showing ------------------------------------------------------------------------------------------

    def set_settings(self, settings: ProjectSettings) -> None:
        """Show the stored settings; a text field the user is still typing in keeps its typing."""
        self._settings = settings
        for edit, value in ((self.organization, settings.organization), (self.system, settings.system_name)):
            if not edit.isModified() and edit.text() != value:
                set_field(edit, value)
        self.report_type.setCurrentIndex(self.report_type.findData(settings.report_type))
        self._set_date(self.period_start, settings.period_start)
        self._set_date(self.period_end, settings.period_end)
        type1 = settings.report_type is ReportType.TYPE1
        self.start_label.setText("&As of:" if type1 else "&Audit period:")
        self.to_label.setVisible(not type1)
        self.period_end.setVisible(not type1)
        self.report_hint.setText(REPORT_HINTS[settings.report_type])
        for category, box in self.categories.items():
            box.setChecked(category in settings.categories)

    def revert(self) -> None:
        """Show the stored settings again, dropping anything typed but not saved."""
        if self._settings is not None:
            self.organization.setModified(False)
            self.system.setModified(False)
            self.set_settings(self._settings)

    # -- edits --------------------------------------------------------------------------------------------

    def typed_names(self) -> tuple[str, str]:
        """Return the organisation and system names as typed (trimmed)."""
        return self.organization.text().strip(), self.system.text().strip()

    def stored_names(self) -> tuple[str, str]:
        """Return the organisation and system names as stored (as typed before any settings were shown)."""
        settings = self._settings
        return (settings.organization, settings.system_name) if settings is not None else self.typed_names()

    def commit_names(self) -> None:
        """Ask to save the organisation and system names as typed, each when it differs from what is stored."""
        self._organization_finished()
        self._system_finished()

    def _request(self, label: str, changes: dict[str, Any]) -> None:
        self.change_requested.emit(label, changes)

    def _organization_finished(self) -> None:
        self.organization.setModified(False)
        settings, text = self._settings, self.organization.text().strip()
        if settings is None or text == settings.organization:
            return
        self._request(f"Set organisation to {text}", {"organization": text})

    def _system_finished(self) -> None:
        self.system.setModified(False)
        settings, text = self._settings, self.system.text().strip()
        if settings is None or text == settings.system_name:
            return
        label = f"Set system name to {text}" if text else "Clear the system name"
        self._request(label, {"system_name": text})

    def _report_type_chosen(self, index: int) -> None:
        settings, chosen = self._settings, ReportType(self.report_type.itemData(index))
        if settings is None or chosen is settings.report_type:
            return
        start, end = audit_period(chosen, settings.period_start, None)
        self._request(f"Set report type to {chosen.label}",
                      {"report_type": chosen, "period_start": start, "period_end": end})

    def _start_finished(self) -> None:
        settings, start = self._settings, self._date_of(self.period_start)
        if settings is None or start == settings.period_start:
            return
        if settings.report_type is ReportType.TYPE1:
            changes: dict[str, Any] = {"period_start": start, "period_end": start}
            label = f"Set as-of date to {_long_date(start)}"
        else:
            end = settings.period_end
            if start is None:
                end = None
            elif end is None or end < start:
                end = audit_period(ReportType.TYPE2, start, None)[1]
            changes = {"period_start": start, "period_end": end}
            label = f"Set audit period start to {_long_date(start)}"
        self._request(label, changes)

    def _end_finished(self) -> None:
        settings, end = self._settings, self._date_of(self.period_end)
        if settings is None or settings.report_type is ReportType.TYPE1 or end == settings.period_end:
            return
        self._request(f"Set audit period end to {_long_date(end)}", {"period_end": end})

    def _categories_clicked(self) -> None:
        settings = self._settings
        if settings is None:
            return
        chosen = tuple(c for c, box in self.categories.items() if box.isChecked())
        added = [c.label for c in chosen if c not in settings.categories]
        removed = [c.label for c in settings.categories if c not in chosen]
        if not added and not removed:
            return
        label = f"Add {', '.join(added)} to the scope" if added else f"Remove {', '.join(removed)} from the scope"
        self._request(label, {"categories": chosen})
