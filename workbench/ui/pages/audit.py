"""Step 5, Engage a CPA firm: the firm and contacts, the engagement milestones and closing checklist, and the request
list (PBC)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.engagement_checks import CheckItem, CheckState
from workbench.domain.entities import Control, Engagement, Evidence, Milestone, Request
from workbench.domain.enums import RequestStatus
from workbench.services import engagement as service
from workbench.services.changes import Touched
from workbench.services.controls import list_controls
from workbench.services.evidence import list_evidence
from workbench.services.identity import current_actor
from workbench.services.importers.kinds import REQUESTS
from workbench.services.request_evidence import link_evidence
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import search_box
from workbench.ui.import_wizard import ImportWizard
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row, split
from workbench.ui.pages.audit_checks import ChecksBox
from workbench.ui.pages.audit_dialogs import LinkEvidenceDialog, MilestoneDialog, RequestDialog
from workbench.ui.pages.audit_firm import FirmBox
from workbench.ui.pages.audit_models import MilestoneModel, RequestFilter, RequestModel
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.dialog_edits import ask_then_apply
from workbench.ui.pending_edits import FormEdit
from workbench.ui.tables import ColumnFit, row_table, select_row, selected_record
from workbench.ui.undo import EditCommand


@dataclass(frozen=True, slots=True)
class AuditData:
    """What the page shows, read on the worker."""

    engagement: Engagement
    milestones: list[Milestone]
    requests: list[Request]
    controls: list[Control]
    evidence: list[Evidence]
    checks: list[tuple[CheckItem, CheckState]]


class AuditPage(ProjectPage):
    """The engagement with the CPA firm, as the user manages it during the audit."""

    name = "audit"
    title = "Engage a CPA firm"
    shows = Touched.ENGAGEMENT | Touched.REQUESTS | Touched.CONTROLS | Touched.EVIDENCE

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: AuditData | None = None
        self._select_next: str | None = None  # a request to select once the page shows it
        self.dialog: EditDialog | None = None
        self.import_wizard: ImportWizard | None = None
        layout = self.column("5  Engage a CPA firm")
        self.summary = plain_label()
        self.summary.setObjectName("auditSummary")
        layout.addWidget(self.summary)

        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.firm_box = FirmBox()
        self.firm_box.save_button.clicked.connect(self.save_engagement)
        self.firm_box.revert_button.clicked.connect(lambda: self.firm_details.discard())
        for field in (self.firm_box.firm, self.firm_box.lead_auditor, self.firm_box.email, self.firm_box.phone):
            field.returnPressed.connect(self.save_engagement)
        top_layout.addWidget(self.firm_box, 2)
        self.checks = ChecksBox()
        self.checks.toggled.connect(self.tick_check)
        self.engagement_tabs = QTabWidget()
        self.engagement_tabs.addTab(self._milestone_box(), "&Milestones")
        self.engagement_tabs.addTab(self.checks, "Closing chec&klist")
        self.engagement_tabs.setTabToolTip(1, "Representation letter and subsequent events")
        top_layout.addWidget(self.engagement_tabs, 3)
        layout.addWidget(split(top, self._request_box(), stretch=(2, 3), vertical=True), 1)
        self.firm_details = context.edits.watch(FormEdit(
            title=lambda: "the CPA firm's details", read=self.firm_box.typed,
            stored=lambda: self.data.engagement if self.data is not None else self.firm_box.typed(),
            submit=self._submit_engagement,
            show=lambda: self.firm_box.fill(self.data.engagement if self.data else Engagement()),
            problem=lambda typed: service.email_refusal(typed.email)), self.firm_box)

    # -- building ---------------------------------------------------------------------------------------

    def _milestone_box(self) -> QGroupBox:
        box = QGroupBox("Engagement milestones")
        layout = QVBoxLayout(box)
        self.milestone_model = MilestoneModel()
        self.milestone_view = row_table(self.milestone_model, "Engagement milestones", stripes=True, wrap=False,
                                        row_numbers=False)
        header = self.milestone_view.horizontalHeader()
        header.setSectionResizeMode(MilestoneModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MilestoneModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MilestoneModel.DONE, QHeaderView.ResizeMode.ResizeToContents)
        self.milestone_view.doubleClicked.connect(lambda _i: self.edit_milestone())
        self.milestone_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.milestone_view, 1)
        self.standard_button = QPushButton("Add the standard milestones")
        self.standard_button.setToolTip("Engagement letter, kickoff, control design questionnaire, fieldwork, "
                                        "management assertion, representation letter, draft and final report")
        self.standard_button.clicked.connect(self.add_standard_milestones)
        layout.addWidget(self.standard_button)
        self.add_milestone_button = QPushButton("Add milestone…")
        self.add_milestone_button.clicked.connect(self.add_milestone)
        self.edit_milestone_button = QPushButton("Edit…")
        self.edit_milestone_button.clicked.connect(self.edit_milestone)
        self.done_button = QPushButton("Mark done")
        self.done_button.clicked.connect(self.toggle_milestone_done)
        self.remove_milestone_button = QPushButton("Remove")
        self.remove_milestone_button.clicked.connect(self.remove_milestone)
        layout.addLayout(packed_row(self.add_milestone_button, self.edit_milestone_button, self.done_button,
                                    self.remove_milestone_button))
        QShortcut(QKeySequence.StandardKey.Delete, self.milestone_view, self.remove_milestone,
                  context=Qt.ShortcutContext.WidgetShortcut)
        return box

    def _request_box(self) -> QGroupBox:
        box = QGroupBox("The auditor's request list (PBC)")
        layout = QVBoxLayout(box)
        filters = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show requests with status")
        self.status_filter.addItem("All requests", None)
        for status in RequestStatus:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.addItem("Overdue", RequestFilter.OVERDUE_FILTER)
        self.search = search_box("Search ref, item, owner, control or criteria", "Search requests")
        self.request_count = plain_label(wrap=False)
        filters.addWidget(plain_label("Show", wrap=False))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.request_count)
        layout.addLayout(filters)

        self.request_model = RequestModel()
        self.request_filter = RequestFilter()
        self.request_filter.setSourceModel(self.request_model)
        self.request_view = row_table(self.request_filter, "Request list", sort_column=RequestModel.REF, stripes=True,
                                      wrap=False, row_numbers=False)
        self.request_columns = ColumnFit(self.request_view, RequestModel.ITEM, {
            RequestModel.REF: (70, 80), RequestModel.CRITERIA: (80, 130), RequestModel.CONTROL: (65, 80),
            RequestModel.OWNER: (100, 170), RequestModel.DUE: (90, 95), RequestModel.STATUS: (90, 150),
            RequestModel.EVIDENCE: (65, 70)}, 220)
        self.request_view.doubleClicked.connect(lambda _i: self.edit_request())
        self.request_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.request_view, 1)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)

        row = QHBoxLayout()
        self.add_request_button = QPushButton("&Add request…")
        self.add_request_button.clicked.connect(self.add_request)
        self.edit_request_button = QPushButton("&Edit request…")
        self.edit_request_button.clicked.connect(self.edit_request)
        self.remove_request_button = QPushButton("&Remove request")
        self.remove_request_button.clicked.connect(self.remove_request)
        self.link_evidence_button = QPushButton("&Link evidence…")
        self.link_evidence_button.setToolTip("Link evidence files to the selected request; the returned request "
                                             "list shows them under Evidence provided")
        self.link_evidence_button.clicked.connect(self.link_evidence)
        self.import_button = QPushButton("&Import request list…")
        self.import_button.setToolTip("Import the auditor's request list (PBC) from a spreadsheet (Ctrl+Shift+I)")
        self.import_button.clicked.connect(lambda: self.open_import())
        for button in (self.add_request_button, self.edit_request_button, self.link_evidence_button,
                       self.remove_request_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, lambda: self.open_import(),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Delete, self.request_view, self.remove_request,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return box

    # -- loading ----------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> AuditData:
        """Read the engagement, milestones, requests, and the controls and evidence they can refer to."""
        engagement, milestones = service.get_engagement(project)
        return AuditData(engagement, milestones, service.list_requests(project), list_controls(project),
                         list_evidence(project), service.engagement_checks(project))

    def show_data(self, data: AuditData) -> None:
        """Fill the firm form, the milestones and the request list."""
        typing = self.firm_details.pending()  # what the user is still typing stays
        self.data = data
        today = self.context.today()
        if not typing:
            self.firm_box.fill(data.engagement)
        selected_milestone = self.selected_milestone()
        self.milestone_model.set_rows(data.milestones, today)
        self.checks.set_checks(data.checks)
        self._select(self.milestone_view, [m.id for m in data.milestones],
                     selected_milestone.id if selected_milestone else None, self.milestone_view.model())
        selected_request = self.selected_request()
        wanted = self._select_next or (selected_request.ref if selected_request else None)
        self._select_next = None
        self.request_model.set_rows(data.requests, today)
        if wanted is not None:
            self.select_request(wanted)
        self.standard_button.setVisible(not data.milestones)
        done = sum(1 for m in data.milestones if m.done_on is not None)
        waiting = [r for r in data.requests if r.status in (RequestStatus.OPEN, RequestStatus.NEEDS_FOLLOW_UP)]
        overdue = sum(1 for r in data.requests if service.is_overdue(r, today))
        firm = data.engagement.firm or "No CPA firm chosen yet"
        self.summary.setText(
            f"{firm}  ·  {done} of {len(data.milestones)} milestones done  ·  {len(data.requests)} requests, "
            f"{len(waiting)} waiting on you, {overdue} overdue"
        )
        self._apply_filter()
        self._update_buttons()

    def _apply_filter(self) -> None:
        self.request_filter.set_status(self.status_filter.currentData())
        self.request_filter.set_search(self.search.text())
        self.request_count.setText(f"{self.request_filter.rowCount()} of {self.request_model.rowCount()} shown")
        self._update_buttons()

    def _select(self, view: QTableView, ids: list[int], wanted: int | None, model: Any) -> None:
        if wanted is not None and wanted in ids:
            select_row(view, model.index(ids.index(wanted), 0))

    def _update_buttons(self) -> None:
        milestone = self.selected_milestone()
        request = self.selected_request()
        for button in (self.edit_milestone_button, self.done_button, self.remove_milestone_button):
            button.setEnabled(milestone is not None)
        self.done_button.setText("Mark not done" if milestone and milestone.done_on else "Mark done")
        self.edit_request_button.setEnabled(request is not None)
        self.remove_request_button.setEnabled(request is not None)
        self.link_evidence_button.setEnabled(request is not None)

    # -- selection --------------------------------------------------------------------------------------

    def selected_milestone(self) -> Milestone | None:
        """Return the milestone selected in the table, if any."""
        return selected_record(self.milestone_view)

    def select_milestone(self, name: str) -> None:
        """Select a milestone by name."""
        ids = [m.id for m in self.milestone_model.rows]
        match = next((m.id for m in self.milestone_model.rows if m.name == name), None)
        self._select(self.milestone_view, ids, match, self.milestone_model)
        self._update_buttons()

    def selected_request(self) -> Request | None:
        """Return the request selected in the table, if any."""
        return selected_record(self.request_view)

    def select_request(self, ref: str) -> None:
        """Select a request by its reference (when the filter shows it)."""
        for row in range(self.request_filter.rowCount()):
            index = self.request_filter.index(row, 0)
            if index.data() == ref:
                select_row(self.request_view, index)
                self.request_view.scrollTo(index)
        self._update_buttons()

    # -- edits ------------------------------------------------------------------------------------------

    def open_import(self) -> None:
        """Open the wizard that imports the auditor's request list from a spreadsheet (one undoable step)."""
        if self.context.project is None:
            return
        self.import_wizard = ImportWizard(self.context, parent=self, spec=REQUESTS)
        self.import_wizard.open()

    def save_engagement(self) -> None:
        """Record the firm and contacts as typed (undoable)."""
        if self.data is not None:
            self.firm_details.commit()

    def _submit_engagement(self, after: Engagement) -> None:
        self.context.apply(EditCommand("Edit engagement", partial(service.save_engagement, engagement=after)),
                           on_failure=lambda _message: self.firm_details.refused())

    def add_milestone(self) -> None:
        """Ask for a new milestone and add it (undoable)."""
        ask_then_apply(self, MilestoneDialog(None, self), lambda name, due, done: EditCommand(
            f"Add milestone {name.strip()}", partial(service.add_milestone, name=name, due=due, done_on=done)))

    def edit_milestone(self) -> None:
        """Edit the selected milestone (undoable)."""
        before = self.selected_milestone()
        ask_then_apply(self, MilestoneDialog(before, self) if before else None, lambda name, due, done: EditCommand(
            f"Edit milestone {before.name}", partial(service.update_milestone, milestone_id=before.id, name=name,
                                                     due=due, done_on=done)))

    def toggle_milestone_done(self) -> None:
        """Mark the selected milestone done today, or not done again (undoable)."""
        milestone = self.selected_milestone()
        if milestone is None:
            return
        done_on = None if milestone.done_on else self.context.today()
        label = f"Mark {milestone.name} {'done' if done_on else 'not done'}"
        self.context.apply(EditCommand(label, partial(service.set_milestone_done, milestone_id=milestone.id,
                                                      done_on=done_on)))

    def remove_milestone(self) -> None:
        """Remove the selected milestone (undoable)."""
        milestone = self.selected_milestone()
        if milestone is not None:
            self.context.apply(EditCommand(f"Remove milestone {milestone.name}", partial(
                service.remove_milestone, milestone_id=milestone.id)))

    def tick_check(self, key: str, ticked: bool) -> None:
        """Tick (today, by the current user) or untick an item of the closing checklist (undoable)."""
        state = CheckState(key, self.context.today(), current_actor()) if ticked else CheckState(key)
        label = "Tick" if ticked else "Untick"
        self.context.apply(EditCommand(f"{label} checklist item", partial(service.set_check, state=state)),
                           on_failure=lambda _message: self.reload())

    def add_standard_milestones(self) -> None:
        """Add the standard milestones to an empty list (undoable)."""
        self.context.apply(EditCommand("Add the standard milestones", service.add_standard_milestones))

    def add_request(self) -> None:
        """Ask for a new request, with its control and linked evidence, and add it (undoable)."""
        if self.data is None:
            return
        dialog = RequestDialog(None, self.data.controls, self.data.evidence, self)

        def accepted() -> None:
            draft = dialog.draft()
            self.context.apply(EditCommand(f"Add request {draft.ref.strip()}", partial(
                service.add_request_draft, draft=draft)),
                on_success=lambda _id: setattr(self, "_select_next", draft.ref.strip()))

        self.open_dialog(dialog, accepted)

    def edit_request(self) -> None:
        """Edit the selected request (undoable)."""
        before = self.selected_request()
        if before is None or self.data is None:
            return
        dialog = RequestDialog(before, self.data.controls, self.data.evidence, self)

        def accepted() -> None:
            draft = replace(dialog.draft(), description=before.description)
            self.context.apply(EditCommand(f"Edit request {before.ref}", partial(
                service.update_request, request_id=before.id, draft=draft)))

        self.open_dialog(dialog, accepted)

    def remove_request(self) -> None:
        """Remove the selected request (undoable)."""
        request = self.selected_request()
        if request is not None:
            self.context.apply(EditCommand(f"Remove request {request.ref}", partial(
                service.remove_request, request_id=request.id)))

    def link_evidence(self) -> None:
        """Ask which evidence to link to the selected request and link it (undoable)."""
        request = self.selected_request()
        if request is None or self.data is None:
            return
        dialog = LinkEvidenceDialog(request, self.data.evidence, self)

        def accepted() -> None:
            chosen = dialog.values()
            noun = "evidence" if len(chosen) == 1 else f"{len(chosen)} evidence files"
            self.context.apply(EditCommand(f"Link {noun} to request {request.ref}", partial(
                link_evidence, request_id=request.id, evidence_ids=chosen)))

        self.open_dialog(dialog, accepted)
