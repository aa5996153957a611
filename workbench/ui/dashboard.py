"""The dashboard: readiness, progress along the six steps, key counts and the next actions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.enums import AssessmentStatus
from workbench.domain.steps import STEP_TITLES
from workbench.ui.dates import shown_date
from workbench.ui.labels import plain_label as _plain_label
from workbench.ui.labels import plain_tip
from workbench.ui.palette import STATUS_COLOURS, STATUS_ORDER, state_text
from workbench.ui.widgets import ReadinessRing, SegmentBar, StepCard

if TYPE_CHECKING:  # the services' store loads with the project, after the window is drawn
    from workbench.services.project import ProjectStatus


TARGET_PAGE, TARGET_TAB = Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 2  # where a next action leads


def _format_date(value: date | None) -> str:
    return shown_date(value, "not set")


class DashboardPage(QScrollArea):
    """Shows a ProjectStatus; emits step_requested(n) when a step card is clicked, export_requested for the export."""

    step_requested = Signal(int)
    page_requested = Signal(str, str)  # a next action done on another page than its step's: (page, tab on it)
    export_requested = Signal()  # the Export for the Auditor button: the window opens its export dialog

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(16)

        self.organization = _plain_label(bold=True, scale=1.7)
        self.organization.setObjectName("dashboardOrganization")
        self.subtitle = _plain_label()
        heading = QHBoxLayout()
        heading.addWidget(self.organization, 1)
        # The one thing every project ends with, where it is seen first (also File > Export for the Auditor).
        self.export_button = QPushButton("E&xport for the auditor…")
        self.export_button.setObjectName("dashboardExport")
        self.export_button.setToolTip("Write the PDF package, the workbook, the binder or the request list "
                                      "for the CPA firm (Ctrl+E)")
        self.export_button.clicked.connect(self.export_requested)
        self.export_button.setEnabled(False)  # until a project's status is shown (the start-up frame has none)
        heading.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(heading)
        layout.addWidget(self.subtitle)

        self.warnings_box = QGroupBox("An auditor would question")
        warnings_layout = QVBoxLayout(self.warnings_box)
        self.warnings = self._step_list("auditorWarnings")
        warnings_layout.addWidget(self.warnings)
        layout.addWidget(self.warnings_box)

        top = QHBoxLayout()
        layout.addLayout(top)
        readiness_box = QGroupBox("Readiness against the Trust Services Criteria")
        readiness_layout = QHBoxLayout(readiness_box)
        self.ring = ReadinessRing()
        readiness_layout.addWidget(self.ring)
        criteria_column = QVBoxLayout()
        self.criteria_bar = SegmentBar()
        criteria_column.addWidget(self.criteria_bar)
        self.criteria_legend: dict[AssessmentStatus, QLabel] = {}
        legend = QGridLayout()
        for index, status in enumerate(STATUS_ORDER):
            swatch = QLabel()
            swatch.setFixedSize(12, 12)
            swatch.setStyleSheet(f"background:{STATUS_COLOURS[status].name()}; border-radius:2px;")
            label = _plain_label()
            self.criteria_legend[status] = label
            legend.addWidget(swatch, index, 0)
            legend.addWidget(label, index, 1)
        criteria_column.addLayout(legend)
        self.category_grid = QGridLayout()
        criteria_column.addLayout(self.category_grid)
        self.category_rows: list[tuple[QLabel, QProgressBar]] = []
        criteria_column.addStretch(1)
        readiness_layout.addLayout(criteria_column, 1)
        top.addWidget(readiness_box, 3)

        counts_box = QGroupBox("At a glance")
        counts_layout = QVBoxLayout(counts_box)
        self.controls_count = _plain_label()
        self.evidence_count = _plain_label()
        self.tasks_count = _plain_label()
        self.trail = _plain_label()
        self.trail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.controls_count, self.evidence_count, self.tasks_count, self.trail):
            counts_layout.addWidget(label)
        counts_layout.addStretch(1)
        top.addWidget(counts_box, 2)

        steps_box = QGroupBox("The road to the report")
        grid = QGridLayout(steps_box)
        self.step_cards: list[StepCard] = []
        for index, title in enumerate(STEP_TITLES):
            card = StepCard(index + 1, title)
            card.setCursor(Qt.CursorShape.PointingHandCursor)
            card.activated.connect(self.step_requested)
            grid.addWidget(card, index // 3, index % 3)
            self.step_cards.append(card)
        layout.addWidget(steps_box)

        lists = QHBoxLayout()
        layout.addLayout(lists)
        actions_box = QGroupBox("Next actions")
        actions_layout = QVBoxLayout(actions_box)
        self.next_actions = self._step_list("nextActions")
        actions_layout.addWidget(self.next_actions)
        lists.addWidget(actions_box, 1)
        agenda_box = QGroupBox("Overdue and due in the next 30 days")
        agenda_layout = QVBoxLayout(agenda_box)
        self.agenda = self._step_list("agenda")
        agenda_layout.addWidget(self.agenda)
        lists.addWidget(agenda_box, 1)
        layout.addStretch(1)

    def _step_list(self, name: str) -> QListWidget:
        """A frameless list whose items open the step they name (its number in UserRole)."""
        items = QListWidget()
        items.setObjectName(name)
        items.setFrameShape(QFrame.Shape.NoFrame)
        items.setTextElideMode(Qt.TextElideMode.ElideRight)
        items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        items.itemActivated.connect(self._activated)
        return items

    def _activated(self, item: QListWidgetItem) -> None:
        """Open where an item's action is done: its page and tab when it names one, else its step's page."""
        page, step = item.data(TARGET_PAGE), item.data(Qt.ItemDataRole.UserRole)
        if page:
            self.page_requested.emit(page, item.data(TARGET_TAB) or "")
        elif step is not None:  # "Nothing pressing" opens nothing
            self.step_requested.emit(int(step))

    def criteria_legend_text(self, status: str) -> str:
        """Return the legend line shown for one assessment status (by its value)."""
        return self.criteria_legend[AssessmentStatus(status)].text()

    def show_status(self, status: ProjectStatus) -> None:
        """Fill every part of the dashboard from a project status."""
        settings, facts, counts = status.settings, status.facts, status.criteria
        self.export_button.setEnabled(True)
        self.organization.setText(settings.organization)
        categories = ", ".join(c.label for c in settings.categories)
        if settings.report_type.value == "type1":
            when = f"as of {_format_date(settings.period_start)}"
        else:
            when = f"{_format_date(settings.period_start)} to {_format_date(settings.period_end)}"
        self.subtitle.setText(
            f"{settings.system_name or 'System not named yet'}  ·  {settings.report_type.label}  ·  "
            f"{categories}  ·  {when}"
        )
        self.ring.set_value(status.readiness)
        values = {
            AssessmentStatus.MET: counts.met,
            AssessmentStatus.PARTIALLY_MET: counts.partially_met,
            AssessmentStatus.GAP: counts.gap,
            AssessmentStatus.NOT_APPLICABLE: counts.not_applicable,
            AssessmentStatus.NOT_ASSESSED: counts.not_assessed,
        }
        self.criteria_bar.set_segments([(values[s], STATUS_COLOURS[s], s.label) for s in STATUS_ORDER])
        for state, label in self.criteria_legend.items():
            label.setText(f"{state.label}: {values[state]} of {counts.in_scope}")
        self.controls_count.setText(
            f"Controls: {facts.controls_total} ({facts.controls_implemented} implemented, "
            f"{facts.controls_unmapped} not linked to criteria)"
        )
        self.evidence_count.setText(
            f"Evidence: {facts.evidence_items} files; {facts.controls_without_evidence} controls have none yet"
        )
        self.tasks_count.setText(f"Tasks: {facts.open_tasks} open, {facts.overdue_tasks} overdue")
        self.trail.setText(
            f"Audit trail: {status.audit_entries} entries, chain head {status.audit_head[:16]}…"
        )
        self.trail.setToolTip(status.audit_head)
        for card, step in zip(self.step_cards, status.steps, strict=True):
            card.set_progress(step.progress, step.summary)
        self.next_actions.clear()
        if not status.next_actions:
            self.next_actions.addItem("Nothing pressing: every step is on track.")
        for step_number, text in status.next_actions:
            item = QListWidgetItem(f"Step {step_number}  ·  {text}")
            item.setData(Qt.ItemDataRole.UserRole, step_number)
            target = status.targets.get(text)
            if target is not None:
                item.setData(TARGET_PAGE, target.page)
                item.setData(TARGET_TAB, target.tab)
            item.setToolTip(plain_tip(item.text()))  # whole, when the list is too narrow for it
            self.next_actions.addItem(item)
        self.agenda.clear()
        for entry in status.agenda:
            when = "overdue" if entry.overdue else "due"
            item = QListWidgetItem(f"{_format_date(entry.due)}  ·  {when}  ·  {entry.text}")
            item.setData(Qt.ItemDataRole.UserRole, entry.step)
            item.setToolTip(plain_tip(item.text()))
            if entry.overdue:
                item.setForeground(state_text(AssessmentStatus.GAP, self.palette()))
            self.agenda.addItem(item)
        if not status.agenda:
            self.agenda.addItem("Nothing overdue or due soon.")
        rows = max(self.next_actions.count(), self.agenda.count(), 1)
        for widget in (self.next_actions, self.agenda):
            widget.setFixedHeight(rows * (widget.sizeHintForRow(0) + 2) + 8)
        self._show_warnings(status)
        self._show_categories(status)

    def _show_warnings(self, status: ProjectStatus) -> None:
        self.warnings.clear()
        for warning in status.warnings:
            item = QListWidgetItem(f"Step {warning.step}  ·  {warning.text}")
            item.setData(Qt.ItemDataRole.UserRole, warning.step)
            item.setToolTip(warning.text)
            item.setForeground(state_text(AssessmentStatus.GAP, self.palette()))
            self.warnings.addItem(item)
        self.warnings_box.setVisible(bool(status.warnings))
        if status.warnings:
            self.warnings.setFixedHeight(len(status.warnings) * (self.warnings.sizeHintForRow(0) + 2) + 8)

    def _show_categories(self, status: ProjectStatus) -> None:
        while len(self.category_rows) < len(status.categories):
            label, bar = _plain_label(), QProgressBar()
            label.setWordWrap(False)
            bar.setRange(0, 100)
            bar.setMaximumHeight(16)
            row = len(self.category_rows)
            self.category_grid.addWidget(label, row, 0)
            self.category_grid.addWidget(bar, row, 1)
            self.category_rows.append((label, bar))
        for index, (label, bar) in enumerate(self.category_rows):
            visible = index < len(status.categories)
            label.setVisible(visible)
            bar.setVisible(visible)
            if visible:
                entry = status.categories[index]
                label.setText(f"{entry.category.label} ({entry.counts.met} of {entry.counts.in_scope} met)")
                bar.setValue(round(entry.readiness * 100))
                bar.setAccessibleName(f"{entry.category.label} readiness")
