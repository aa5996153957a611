"""The detail panel of the assessment page: one criterion's status and note, and its remediation tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Task
from workbench.domain.enums import AssessmentStatus
from workbench.services.assessment import CriterionRow
from workbench.ui.dates import shown_date
from workbench.ui.fields import date_edit, text_box
from workbench.ui.labels import plain_label as _plain
from workbench.ui.palette import STATUS_COLOURS, text_style

# The keys that set a status from the criteria list, and the order of the choices in the panel.
STATUS_KEYS: dict[AssessmentStatus, str] = {
    AssessmentStatus.MET: "1",
    AssessmentStatus.PARTIALLY_MET: "2",
    AssessmentStatus.GAP: "3",
    AssessmentStatus.NOT_APPLICABLE: "4",
    AssessmentStatus.NOT_ASSESSED: "0",
}
REMEDIABLE = (AssessmentStatus.GAP, AssessmentStatus.PARTIALLY_MET)
JUSTIFICATION_NEEDED = (
    "'Not applicable' needs a justification for the auditor: say in the note why it does not apply."
)
TASK_DUE_DAYS = 30


def refusal(status: AssessmentStatus, note: str) -> str:
    """Return why a status with this note cannot be saved, or "" when it can."""
    if status is AssessmentStatus.NOT_APPLICABLE and not note.strip():
        return JUSTIFICATION_NEEDED
    return ""


def task_line(task: Task) -> str:
    """Return one line describing a task: title, owner, due date and status."""
    details = [task.status.label.lower()]
    if task.owner:
        details.insert(0, task.owner)
    if task.due is not None:
        details.insert(len(details) - 1, f"due {shown_date(task.due)}")
    return f"• {task.title} ({', '.join(details)})"


class CriterionPanel(QGroupBox):
    """Edits one criterion's judgement; emits apply_requested and task_requested for the page to act on."""

    apply_requested = Signal()
    task_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Criterion", parent)
        self._row: CriterionRow | None = None
        layout = QVBoxLayout(self)
        self.heading = _plain(bold=True)
        self.summary = _plain()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.controls = _plain()
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.controls)

        self.status_buttons: dict[AssessmentStatus, QRadioButton] = {}
        self.status_group = QButtonGroup(self)
        grid = QGridLayout()
        grid.setContentsMargins(0, 4, 0, 0)
        for position, (status, key) in enumerate(STATUS_KEYS.items()):
            button = QRadioButton(f"{status.label}  ({key})")
            button.setToolTip(f"Press {key} in the criteria list to set this status directly")
            swatch = QPixmap(12, 12)
            swatch.fill(STATUS_COLOURS[status])
            button.setIcon(QIcon(swatch))
            self.status_group.addButton(button)
            self.status_buttons[status] = button
            grid.addWidget(button, position // 2, position % 2)
            button.toggled.connect(self._update_state)
        layout.addLayout(grid)

        note_label = _plain("&Note (what exists, what is missing, or why it does not apply)")
        note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note = text_box(placeholder="e.g. MFA is enforced for the admin console; the VPN still accepts "
                             "passwords.", fixed_height=72)
        self.note.textChanged.connect(self._update_state)
        note_label.setBuddy(self.note)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        self.reason = _plain()
        self.reason.setObjectName("refusalReason")
        self.reason.setStyleSheet(text_style(AssessmentStatus.GAP, self.palette()))
        self.reason.hide()
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton("&Save judgement")
        self.apply_button.setToolTip("Save the status and note (Ctrl+Return)")
        self.apply_button.clicked.connect(self._apply)
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setToolTip("Put back the saved status and note")
        self.revert_button.clicked.connect(self.revert)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        save = QShortcut(QKeySequence("Ctrl+Return"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self._apply)

        self.remediation = QGroupBox("Remediation")
        remediation = QVBoxLayout(self.remediation)
        self.tasks = _plain()
        remediation.addWidget(self.tasks)
        form = QFormLayout()
        self.task_owner = QLineEdit()
        self.task_owner.setPlaceholderText("optional")
        self.task_due = date_edit()
        form.addRow("Task &owner", self.task_owner)
        form.addRow("&Due", self.task_due)
        remediation.addLayout(form)
        self.task_button = QPushButton("Create remediation &task")
        self.task_button.clicked.connect(self.task_requested)
        remediation.addWidget(self.task_button)
        layout.addWidget(self.remediation)
        layout.addStretch(1)
        self.show_row(None, ())

    # -- what the page reads --------------------------------------------------------------------------

    def row(self) -> CriterionRow | None:
        """Return the criterion shown, or None."""
        return self._row

    def criterion_id(self) -> str:
        """Return the id of the criterion shown, or ""."""
        return self._row.criterion.id if self._row is not None else ""

    def typed(self) -> tuple[AssessmentStatus | None, str] | None:
        """Return the status and note as chosen and typed (None when no criterion is shown)."""
        return (self.chosen_status(), self.note_text()) if self._row is not None else None

    def saved(self) -> tuple[AssessmentStatus | None, str] | None:
        """Return the criterion's stored status and note (None when no criterion is shown)."""
        row = self._row
        return (row.assessment.status, row.assessment.note) if row is not None else None

    def chosen_status(self) -> AssessmentStatus | None:
        """Return the status chosen in the panel."""
        return next((s for s, b in self.status_buttons.items() if b.isChecked()), None)

    def note_text(self) -> str:
        """Return the note as typed, trimmed."""
        return self.note.toPlainText().strip()

    def owner_text(self) -> str:
        """Return the owner typed for a new remediation task."""
        return self.task_owner.text().strip()

    def due_date(self) -> date:
        """Return the due date chosen for a new remediation task."""
        return self.task_due.date().toPython()  # type: ignore[no-any-return]

    # -- what the page sets ---------------------------------------------------------------------------

    def show_row(self, row: CriterionRow | None, tasks: Sequence[Task], today: date | None = None) -> None:
        """Show a criterion with its saved judgement and tasks (None: nothing selected)."""
        self._row = row
        enabled = row is not None
        for widget in (*self.status_buttons.values(), self.note, self.apply_button, self.revert_button):
            widget.setEnabled(enabled)
        if row is None:
            self.heading.setText("No criterion selected")
            self.summary.setText("Choose a criterion in the list to judge it. Arrow keys move through the list; "
                                 "1 met, 2 partially met, 3 gap, 4 not applicable, 0 not assessed.")
            self.controls.setText("")
            self.note.setPlainText("")
            self.tasks.setText("")
            self._update_state()
            return
        criterion = row.criterion
        self.heading.setText(f"{criterion.id}  ·  {criterion.series_title}")
        self.summary.setText(criterion.summary)
        self.controls.setText(
            f"Controls: {', '.join(row.controls)}" if row.controls
            else "No control is mapped to this criterion yet (map one on step 3)."
        )
        self.status_buttons[row.assessment.status].setChecked(True)
        self.note.setPlainText(row.assessment.note)
        self.tasks.setText("\n".join(task_line(t) for t in tasks) if tasks else "No remediation task yet.")
        self.task_due.setDate(QDate((today or date.today()) + timedelta(days=TASK_DUE_DAYS)))
        self._update_state()

    def keep_typing(self, row: CriterionRow, tasks: Sequence[Task]) -> None:
        """Take a fresh reading of the criterion being edited without touching what the user typed."""
        self._row = row
        self.tasks.setText("\n".join(task_line(t) for t in tasks) if tasks else "No remediation task yet.")
        self._update_state()

    def choose(self, status: AssessmentStatus) -> None:
        """Select a status in the panel (not saved until applied)."""
        self.status_buttons[status].setChecked(True)

    def refusal_text(self) -> str:
        """Return why the panel's status and note cannot be saved, or ""."""
        status = self.chosen_status()
        return refusal(status, self.note_text()) if status is not None else ""

    def is_dirty(self) -> bool:
        """Return True when the chosen status or note differs from what is saved."""
        row = self._row
        if row is None:
            return False
        return self.chosen_status() is not row.assessment.status or self.note_text() != row.assessment.note

    # -- internals ------------------------------------------------------------------------------------

    def _update_state(self) -> None:
        reason = self.refusal_text() if self._row is not None else ""
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.apply_button.setEnabled(self._row is not None and self.is_dirty() and not reason)
        self.revert_button.setEnabled(self.is_dirty())
        remediable = self._row is not None and self._row.assessment.status in REMEDIABLE
        for widget in (self.task_owner, self.task_due, self.task_button):
            widget.setEnabled(remediable)
        self.task_button.setToolTip(
            "Add a task to close this gap (undo removes it)" if remediable
            else "Only a criterion saved as a gap or partially met needs a remediation task"
        )

    def _apply(self) -> None:
        if self.apply_button.isEnabled():
            self.apply_requested.emit()

    def revert(self) -> None:
        """Show the saved status and note again, dropping what was chosen and typed."""
        row = self._row
        if row is not None:
            self.status_buttons[row.assessment.status].setChecked(True)
            self.note.setPlainText(row.assessment.note)
