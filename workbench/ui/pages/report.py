"""Step 6, Receive and share: the report, its exceptions, who received it, the bridge letter and next cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Distribution, ProjectSettings, ReportException
from workbench.domain.enums import AssessmentStatus, ReportType
from workbench.services import report as service
from workbench.services.changes import Touched
from workbench.services.engagement import get_engagement
from workbench.services.evidence import Cancelled
from workbench.services.project import get_settings
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.dialog_edits import ask_then_apply
from workbench.ui.pages.report_dialogs import DistributionDialog, ExceptionDialog
from workbench.ui.pages.report_fields import ReportFields
from workbench.ui.pages.report_models import DistributionModel, ExceptionModel
from workbench.ui.palette import state_text
from workbench.ui.pending_edits import FormEdit
from workbench.ui.tables import ColumnFit, row_table, selected_record
from workbench.ui.undo import EditCommand, LongEditCommand

NEW_REPORT = -1


@dataclass(frozen=True, slots=True)
class ReportPageData:
    """What the page shows, read on the worker."""

    settings: ProjectSettings
    firm: str
    records: list[service.ReportRecord]


def _table(model: ExceptionModel | DistributionModel, name: str) -> QTableView:
    view = row_table(model, name, row_numbers=False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return view


def blank_report(data: ReportPageData | None, today: date) -> service.ReportDraft:
    """Return a new report's details, prefilled from the project's settings and the firm."""
    settings = data.settings if data else None
    return service.cleaned_report(service.ReportDraft(
        settings.report_type if settings else ReportType.TYPE2,
        settings.period_start if settings and settings.period_start else today,
        settings.period_end if settings and settings.period_end else today,
        auditor=data.firm if data else "",
    ))


def describe(record: service.ReportRecord) -> str:
    """Return the one-line name of a report used in the report chooser."""
    r = record.report
    if r.report_type is ReportType.TYPE1:
        when = f"as of {format_date(r.period_start)}"
    else:
        when = f"{format_date(r.period_start)} to {format_date(r.period_end)}"
    issued = f", issued {format_date(r.issued_on)}" if r.issued_on else ", not issued yet"
    return f"{r.report_type.label} report, {when}{issued}"


class ReportPage(ProjectPage):
    """The SOC 2 report once it arrives, and what happens with it afterwards."""

    name = "report"
    title = "Receive and share"
    shows = Touched.REPORT | Touched.SETTINGS | Touched.ENGAGEMENT

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: ReportPageData | None = None
        self.current_id: int | None = None  # the report shown (NEW_REPORT: a new one); None until loaded
        self.dialog: EditDialog | None = None
        self._blank = service.ReportDraft(ReportType.TYPE2, None, None)  # a new report's details, as prefilled
        layout = self.column("6  Receive and share the report")
        chooser = QHBoxLayout()
        self.report_choice = QComboBox()
        self.report_choice.setAccessibleName("Report shown")
        self.report_choice.activated.connect(self._choose_report)
        self.remove_report_button = QPushButton("Remove report")
        self.remove_report_button.clicked.connect(self.remove_report)
        chooser.addWidget(plain_label("Report", wrap=False))
        chooser.addWidget(self.report_choice, 1)
        chooser.addWidget(self.remove_report_button)
        layout.addLayout(chooser)
        self.warning = plain_label()
        self.warning.setObjectName("opinionWarning")
        palette = self.warning.palette()
        palette.setColor(QPalette.ColorRole.WindowText, state_text(AssessmentStatus.GAP, palette))
        self.warning.setPalette(palette)
        layout.addWidget(self.warning)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        self.fields = ReportFields()
        self.fields.save_button.clicked.connect(self.save_report)
        columns.addWidget(self.fields, 2)
        right = QVBoxLayout()
        right.addWidget(self._file_box())
        right.addWidget(self._exceptions_box(), 3)
        right.addWidget(self._distribution_box(), 2)
        columns.addLayout(right, 3)
        self.details = context.edits.watch(FormEdit(
            title=lambda: "the report's details" if self.record() is not None else "the new report",
            read=self._typed, stored=self._stored, submit=self._submit, show=self._show_record,
            problem=service.report_refusal), self.fields)

    # -- building ---------------------------------------------------------------------------------------

    def _file_box(self) -> QGroupBox:
        box = QGroupBox("Report file")
        layout = QVBoxLayout(box)
        self.file_label = plain_label()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setObjectName("reportFileSha")
        layout.addWidget(self.file_label)
        self.attach_button = QPushButton("Attach &PDF…")
        self.attach_button.clicked.connect(lambda: self.attach_file())
        self.save_copy_button = QPushButton("Save a &copy…")
        self.save_copy_button.clicked.connect(lambda: self.save_file_copy())
        layout.addLayout(packed_row(self.attach_button, self.save_copy_button))
        return box

    def _exceptions_box(self) -> QGroupBox:
        box = QGroupBox("Exceptions and management responses")
        layout = QVBoxLayout(box)
        self.exception_model = ExceptionModel()
        self.exception_view = _table(self.exception_model, "Exceptions")
        self.exception_columns = ColumnFit(self.exception_view, ExceptionModel.DESCRIPTION, {
            ExceptionModel.REFERENCE: (100, 140), ExceptionModel.RESPONSE: (120, 200)}, 200)
        self.exception_view.doubleClicked.connect(lambda _i: self.edit_exception())
        layout.addWidget(self.exception_view, 1)
        self.add_exception_button = QPushButton("Add exception…")
        self.add_exception_button.clicked.connect(self.add_exception)
        self.edit_exception_button = QPushButton("Edit…")
        self.edit_exception_button.clicked.connect(self.edit_exception)
        self.remove_exception_button = QPushButton("Remove")
        self.remove_exception_button.clicked.connect(self.remove_exception)
        layout.addLayout(packed_row(self.add_exception_button, self.edit_exception_button,
                                    self.remove_exception_button))
        return box

    def _distribution_box(self) -> QGroupBox:
        box = QGroupBox("Distribution log")
        layout = QVBoxLayout(box)
        self.distribution_model = DistributionModel()
        self.distribution_view = _table(self.distribution_model, "Distribution log")
        layout.addWidget(self.distribution_view, 1)
        self.add_distribution_button = QPushButton("Log a recipient…")
        self.add_distribution_button.clicked.connect(self.add_distribution)
        self.remove_distribution_button = QPushButton("Remove entry")
        self.remove_distribution_button.clicked.connect(self.remove_distribution)
        layout.addLayout(packed_row(self.add_distribution_button, self.remove_distribution_button))
        return box

    # -- loading ----------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> ReportPageData:
        """Read the project settings, the firm's name and every recorded report."""
        return ReportPageData(get_settings(project), get_engagement(project)[0].firm,
                              service.list_report_records(project))

    def show_data(self, data: ReportPageData) -> None:
        """Fill the chooser and show the current report (or a new one prefilled from the project)."""
        typing = self.details.pending()  # what the user is still typing stays
        shown = self.current_id
        self.data = data
        ids = [r.id for r in data.records]
        if self.current_id is None or (self.current_id != NEW_REPORT and self.current_id not in ids):
            self.current_id = ids[0] if ids else NEW_REPORT
        self.report_choice.clear()
        for record in data.records:
            self.report_choice.addItem(describe(record), record.id)
        self.report_choice.addItem("Record a new report…", NEW_REPORT)
        self.report_choice.setCurrentIndex(self.report_choice.findData(self.current_id))
        self._show_record(keep_typing=typing and self.current_id == shown)

    def record(self) -> service.ReportRecord | None:
        """Return the report shown, or None while a new one is being entered."""
        if self.data is None:
            return None
        return next((r for r in self.data.records if r.id == self.current_id), None)

    def _choose_report(self, index: int) -> None:
        if not self.context.edits.leave(self.details):  # keep editing the report shown
            self.report_choice.setCurrentIndex(self.report_choice.findData(self.current_id))
            return
        self.current_id = int(self.report_choice.itemData(index))
        self._show_record()

    def _show_record(self, *, keep_typing: bool = False) -> None:
        record = self.record()
        self._blank = blank_report(self.data, self.context.today())
        self.details.confirm = record is None  # a new report is recorded when the user says so
        if not keep_typing:
            self.fields.fill(self._stored(), self.context.today())
        self.fields.save_button.setText("Save report" if record else "Record report")
        self.remove_report_button.setEnabled(record is not None)
        self.exception_model.set_rows(list(record.report.exceptions) if record else [])
        self.distribution_model.set_rows(list(record.report.distributions) if record else [])
        for button in (self.attach_button, self.add_exception_button, self.edit_exception_button,
                       self.remove_exception_button, self.add_distribution_button, self.remove_distribution_button):
            button.setEnabled(record is not None)
        self.save_copy_button.setEnabled(record is not None and record.file is not None)
        if record is None:
            self.file_label.setText("Record the report first; then attach the PDF the auditor delivered.")
        elif record.file is None:
            self.file_label.setText("No file attached yet.")
        else:
            self.file_label.setText(f"PDF, {record.file.size:,} bytes\nSHA-256 {record.file.sha256}")
        warning = service.opinion_warning(record) if record else None
        self.warning.setText(warning or "")
        self.warning.setVisible(warning is not None)

    # -- edits ------------------------------------------------------------------------------------------

    def _typed(self) -> service.ReportDraft:
        return service.cleaned_report(self.fields.draft())

    def _stored(self) -> service.ReportDraft:
        if self.data is None:
            return self._typed()  # nothing shown yet, so nothing typed either
        record = self.record()
        return service.cleaned_report(record.draft()) if record is not None else self._blank

    def save_report(self) -> None:
        """Record a new report, or save the changes to the one shown (undoable)."""
        if self.record() is None or self.details.pending():
            self.details.save()

    def _submit(self, draft: service.ReportDraft) -> None:
        record = self.record()
        refused = self.details.refused
        if record is None:
            def chosen(report_id: int) -> None:
                self.current_id = report_id

            self.context.apply(EditCommand("Record report", partial(service.add_report_draft, draft=draft)),
                               on_success=chosen, on_failure=lambda _message: refused())
        elif draft != service.cleaned_report(record.draft()):
            self.context.apply(EditCommand("Edit report", partial(service.update_report, report_id=record.id,
                                                                  draft=draft)),
                               on_failure=lambda _message: refused())

    def remove_report(self) -> None:
        """Remove the report shown, with its exceptions and distribution log (undoable)."""
        record = self.record()
        if record is not None:
            self.context.apply(EditCommand("Remove report", partial(service.remove_report, report_id=record.id)))

    def selected_exception(self) -> ReportException | None:
        """Return the exception selected in its table, if any."""
        return selected_record(self.exception_view)

    def selected_distribution(self) -> Distribution | None:
        """Return the distribution entry selected in its table, if any."""
        return selected_record(self.distribution_view)

    def add_exception(self) -> None:
        """Ask for an exception and record it (undoable)."""
        record = self.record()
        ask_then_apply(self, ExceptionDialog(None, self) if record else None, lambda reference, description, response:
                       EditCommand(f"Add exception {reference.strip()}".strip(), partial(
                           service.add_exception, report_id=record.id, reference=reference, description=description,
                           management_response=response)))

    def edit_exception(self) -> None:
        """Edit the selected exception and its response (undoable)."""
        before = self.selected_exception()
        ask_then_apply(self, ExceptionDialog(before, self) if before else None, lambda reference, description, response:
                       EditCommand(f"Edit exception {before.reference}".strip(), partial(
                           service.update_exception, exception_id=before.id, reference=reference,
                           description=description, management_response=response)))

    def remove_exception(self) -> None:
        """Remove the selected exception (undoable)."""
        gone = self.selected_exception()
        if self.record() is not None and gone is not None:
            self.context.apply(EditCommand(f"Remove exception {gone.reference}".strip(), partial(
                service.remove_exception, exception_id=gone.id)))

    def add_distribution(self) -> None:
        """Ask who received the report and log it (undoable)."""
        record = self.record()
        ask_then_apply(self, DistributionDialog(self.context.today(), self) if record else None,
                       lambda recipient, organization, nda, sent_on: EditCommand(
                           f"Send report to {recipient.strip()}", partial(
                               service.add_distribution, report_id=record.id, recipient=recipient,
                               organization=organization, nda_reference=nda, sent_on=sent_on)))

    def remove_distribution(self) -> None:
        """Remove the selected entry of the distribution log (undoable)."""
        entry = self.selected_distribution()
        if self.record() is not None and entry is not None:
            self.context.apply(EditCommand(f"Remove {entry.recipient} from the distribution log", partial(
                service.remove_distribution, distribution_id=entry.id)))

    def attach_file(self, path: Path | str | None = None) -> None:
        """Store a PDF as the report's file (asks for it when no path is given); runs with progress, undoable."""
        record = self.record()
        if record is None:
            return
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Attach the report PDF", "", "PDF files (*.pdf)")
            if not chosen:
                return
            path = chosen
        report_id, source = record.id, Path(path)
        self.context.apply(LongEditCommand(
            "Attach report file",
            lambda p, operation: service.attach_report_file(p, report_id, source, operation.progress),
            cancelled=(Cancelled,)))

    def save_file_copy(self, destination: Path | str | None = None) -> None:
        """Write a copy of the report's file (asks where when no destination is given)."""
        record = self.record()
        if record is None or record.file is None:
            return
        if destination is None:
            end = record.report.period_end
            name = f"SOC 2 {record.report.report_type.label} report {end.isoformat() if end else ''}".rstrip() + ".pdf"
            chosen, _ = QFileDialog.getSaveFileName(self, "Save a copy of the report", name, "PDF files (*.pdf)")
            if not chosen:
                return
            destination = chosen
        report_id, target = record.id, Path(destination)
        self.context.load(lambda p: service.save_report_file_copy(p, report_id, target), lambda _path: None,
                          label="Save a copy of the report")
