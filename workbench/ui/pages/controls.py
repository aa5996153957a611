"""Step 3, Implement controls: the control library, criteria coverage, templates and remediation tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Control, ControlDraft, Task
from workbench.domain.enums import AssessmentStatus, ControlStatus, Frequency, TaskStatus
from workbench.services.changes import Touched
from workbench.services.controls import (
    ControlLibrary,
    add_control,
    add_task,
    control_library,
    deletion_refusal,
    draft_of,
    remove_control,
    update_control,
    update_task,
)
from workbench.services.session import OpenProject
from workbench.services.templates import ControlTemplate, add_controls_from_templates, bundled_templates, templates_for
from workbench.ui.context import PageContext
from workbench.ui.import_wizard import ImportWizard
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.control_editor import ControlEditor, TaskEditor, plain_label
from workbench.ui.pages.controls_model import (
    CONTROL_ROLE,
    CRITERIA,
    EVIDENCE,
    FREQUENCY,
    NATURE,
    OWNER,
    REF,
    STATUS,
    TITLE,
    ControlItem,
    ControlsFilter,
    ControlsModel,
)
from workbench.ui.pages.templates_dialog import TemplatesDialog
from workbench.ui.palette import STATUS_COLOURS
from workbench.ui.undo import EditCommand

TASK_TITLE, TASK_OWNER, TASK_DUE, TASK_STATUS, TASK_FOR = range(5)
ID_ROLE = Qt.ItemDataRole.UserRole
COLUMN_WIDTHS = {REF: 80, OWNER: 210, FREQUENCY: 110, NATURE: 85, STATUS: 115, CRITERIA: 150, EVIDENCE: 70}


@dataclass(frozen=True, slots=True)
class ControlsData:
    """What the page shows: the library read from the project, and the template library."""

    library: ControlLibrary
    templates: tuple[ControlTemplate, ...]


def _quoted(title: str, limit: int = 40) -> str:
    short = title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return f"“{short}”"


def _format_date(value: Any) -> str:
    return value.strftime("%d %b %Y") if value is not None else ""


class ControlsPage(ProjectPage):
    """The control library in a sortable, filterable table, with coverage gaps and remediation tasks."""

    name = "controls"
    title = "Implement controls"
    shows = Touched.CONTROLS | Touched.TASKS | Touched.EVIDENCE | Touched.SETTINGS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: ControlsData | None = None
        self.editor: ControlEditor | None = None
        self.templates_dialog: TemplatesDialog | None = None
        self.import_wizard: ImportWizard | None = None
        self.task_editor: TaskEditor | None = None
        # Asks the user to confirm (title, text) -> bool; tests put an answer in its place.
        self.confirm: Callable[[str, str], bool] = self._ask
        self._select_ref: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        heading = plain_label("Implement controls")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        heading.setFont(font)
        self.summary = plain_label()
        self.summary.setObjectName("controlsSummary")
        layout.addWidget(heading)
        toolbar = self._build_toolbar()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        for button in (self.add_button, self.templates_button, self.import_button, self.edit_button,
                       self.delete_button):
            summary_row.addWidget(button)
        layout.addLayout(summary_row)
        layout.addLayout(toolbar)

        self.model = ControlsModel(self)
        self.proxy = ControlsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self._build_coverage(), 2)
        bottom_layout.addWidget(self._build_tasks(), 3)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([520, 240])
        layout.addWidget(splitter, 1)

        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, lambda: self.add_control(),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+Shift+T"), self, lambda: self.open_templates(),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+I"), self, lambda: self.open_import(),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, lambda: self.delete_control(),
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.frequency_filter)
        self.setTabOrder(self.frequency_filter, self.owner_filter)
        self.setTabOrder(self.owner_filter, self.table)
        self._update_buttons()

    # -- building -------------------------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search controls (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search controls")
        self.search.setMinimumWidth(200)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("All statuses", None)
        for status in ControlStatus:
            self.status_filter.addItem(status.label, status.value)
        self.frequency_filter = QComboBox()
        self.frequency_filter.setAccessibleName("Filter by frequency")
        self.frequency_filter.addItem("All frequencies", None)
        for frequency in Frequency:
            self.frequency_filter.addItem(frequency.label, frequency.value)
        self.frequency_filter.addItem("Frequency not set", "")
        self.owner_filter = QComboBox()
        self.owner_filter.setAccessibleName("Filter by owner")
        self.owner_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.owner_filter.setMinimumContentsLength(12)
        self.owner_filter.addItem("All owners", None)
        self.shown = plain_label()
        self.shown.setWordWrap(False)
        self.add_button = QPushButton("&Add control…")
        self.add_button.setToolTip("Add a control (Insert)")
        self.templates_button = QPushButton("From &templates…")
        self.templates_button.setToolTip("Add controls from the template library (Ctrl+Shift+T)")
        self.import_button = QPushButton("&Import…")
        self.import_button.setToolTip("Import controls from a spreadsheet (Ctrl+I)")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Edit the selected control (Enter or double-click)")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the selected control (Delete)")
        for widget, stretch in ((self.search, 3), (self.status_filter, 0), (self.frequency_filter, 0),
                                (self.owner_filter, 1), (self.shown, 0)):
            row.addWidget(widget, stretch)
        self.search.textChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.frequency_filter.currentIndexChanged.connect(self._filters_changed)
        self.owner_filter.currentIndexChanged.connect(self._filters_changed)
        self.add_button.clicked.connect(lambda: self.add_control())
        self.templates_button.clicked.connect(lambda: self.open_templates())
        self.import_button.clicked.connect(lambda: self.open_import())
        self.edit_button.clicked.connect(lambda: self.edit_control())
        self.delete_button.clicked.connect(lambda: self.delete_control())
        return row

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("controlsTable")
        table.setAccessibleName("Controls")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(REF, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for column, width in COLUMN_WIDTHS.items():
            table.setColumnWidth(column, width)
        table.activated.connect(lambda _index: self.edit_control())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        return table

    def _build_coverage(self) -> QGroupBox:
        self.coverage_box = QGroupBox("Criteria without a control")
        box_layout = QVBoxLayout(self.coverage_box)
        box_layout.addWidget(plain_label("Click a criterion to add a control for it from a template."))
        self.coverage = QListWidget()
        self.coverage.setObjectName("coverageList")
        self.coverage.setAccessibleName("Criteria without a control")
        self.coverage.setWordWrap(True)
        self.coverage.setSpacing(3)
        self.coverage.itemClicked.connect(self._coverage_chosen)
        self.coverage.itemActivated.connect(self._coverage_chosen)
        box_layout.addWidget(self.coverage, 1)
        return self.coverage_box

    def _build_tasks(self) -> QGroupBox:
        self.tasks_box = QGroupBox("Remediation tasks")
        box_layout = QVBoxLayout(self.tasks_box)
        self.tasks = QTreeWidget()
        self.tasks.setObjectName("tasksTable")
        self.tasks.setAccessibleName("Remediation tasks")
        self.tasks.setRootIsDecorated(False)
        self.tasks.setUniformRowHeights(True)
        self.tasks.setAlternatingRowColors(True)
        self.tasks.setHeaderLabels(["Task", "Owner", "Due", "Status", "For"])
        header = self.tasks.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TASK_TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((TASK_OWNER, 140), (TASK_DUE, 175), (TASK_STATUS, 90), (TASK_FOR, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tasks.setColumnWidth(column, width)
        self.tasks.itemActivated.connect(lambda *_: self.edit_task())
        self.tasks.currentItemChanged.connect(lambda *_: self._update_buttons())
        box_layout.addWidget(self.tasks, 1)
        buttons = QHBoxLayout()
        self.add_task_button = QPushButton("Add task…")
        self.edit_task_button = QPushButton("Edit task…")
        self.done_task_button = QPushButton("Mark done")
        for button in (self.add_task_button, self.edit_task_button, self.done_task_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add_task_button.clicked.connect(lambda: self.add_task())
        self.edit_task_button.clicked.connect(lambda: self.edit_task())
        self.done_task_button.clicked.connect(lambda: self.mark_task_done())
        box_layout.addLayout(buttons)
        return self.tasks_box

    # -- loading --------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> ControlsData:
        """Read the control library, its coverage and tasks, and the template library."""
        return ControlsData(control_library(project), bundled_templates())

    def show_data(self, data: ControlsData) -> None:
        """Fill the table, the filters, the coverage list and the tasks."""
        current = self.selected_control()
        select = self._select_ref or (current.ref if current else None)
        self._select_ref = None
        self.data = data
        library = data.library
        counts = library.evidence_counts
        self.model.set_rows([ControlItem(c, counts.get(c.ref, 0)) for c in library.controls])
        self._fill_owner_filter(library.controls)
        self._show_summary(library)
        self._show_count()
        if select is not None:
            self.select_control(select)
        self._show_coverage(library)
        self._show_tasks(library.tasks)
        self._update_buttons()

    def _fill_owner_filter(self, controls: tuple[Control, ...]) -> None:
        chosen = self.owner_filter.currentData()
        owners = sorted({c.owner.strip() for c in controls if c.owner.strip()}, key=str.casefold)
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        self.owner_filter.addItem("All owners", None)
        for owner in owners:
            self.owner_filter.addItem(owner, owner)
        self.owner_filter.addItem("No owner", "")
        index = self.owner_filter.findData(chosen) if chosen is not None else 0
        self.owner_filter.setCurrentIndex(max(index, 0))
        self.owner_filter.blockSignals(False)
        self.proxy.set_owner(self.owner_filter.currentData())

    def _show_summary(self, library: ControlLibrary) -> None:
        controls = library.controls
        implemented = sum(1 for c in controls if c.status is ControlStatus.IMPLEMENTED)
        in_progress = sum(1 for c in controls if c.status is ControlStatus.IN_PROGRESS)
        unmapped = sum(1 for c in controls if not c.criteria)
        without_evidence = sum(1 for c in controls if not library.evidence_counts.get(c.ref))
        self.summary.setText(
            f"{len(controls)} controls: {implemented} implemented, {in_progress} in progress, "
            f"{len(controls) - implemented - in_progress} not started  ·  {unmapped} not mapped to a criterion  ·  "
            f"{without_evidence} without evidence  ·  {len(library.uncovered)} in-scope criteria without a control"
        )

    def _show_count(self) -> None:
        self.shown.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} shown")

    def _show_coverage(self, library: ControlLibrary) -> None:
        self.coverage.clear()
        self.coverage_box.setTitle(f"Criteria without a control ({len(library.uncovered)})")
        if not library.uncovered:
            item = QListWidgetItem("Every in-scope criterion has at least one control.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.coverage.addItem(item)
            return
        for criterion in library.uncovered:
            item = QListWidgetItem(f"{criterion.id}  {criterion.summary}")
            item.setData(ID_ROLE, criterion.id)
            item.setToolTip(f"Add a control for {criterion.id}")
            item.setForeground(STATUS_COLOURS[AssessmentStatus.GAP])
            self.coverage.addItem(item)

    def _show_tasks(self, tasks: tuple[Task, ...]) -> None:
        current = self.selected_task()
        self.tasks.clear()
        today = self.context.today()
        overdue = 0
        for task in tasks:
            item = QTreeWidgetItem([
                task.title, task.owner, _format_date(task.due), task.status.label,
                " · ".join(x for x in (task.control_ref, task.criterion_id) if x),
            ])
            item.setData(TASK_TITLE, ID_ROLE, task.id)
            item.setToolTip(TASK_TITLE, task.description or task.title)
            if task.status is not TaskStatus.DONE and task.due is not None and task.due < today:
                overdue += 1
                colour = STATUS_COLOURS[AssessmentStatus.GAP]
                bold = QFont(self.tasks.font())
                bold.setBold(True)
                item.setForeground(TASK_DUE, colour)
                item.setFont(TASK_DUE, bold)
                item.setText(TASK_DUE, f"{_format_date(task.due)} (overdue)")
            self.tasks.addTopLevelItem(item)
            if current is not None and task.id == current.id:
                self.tasks.setCurrentItem(item)
        open_count = sum(1 for t in tasks if t.status is not TaskStatus.DONE)
        self.tasks_box.setTitle(f"Remediation tasks ({open_count} open, {overdue} overdue)")

    # -- selection and filters ------------------------------------------------------------------------

    def _filters_changed(self) -> None:
        self.proxy.set_search(self.search.text())
        status = self.status_filter.currentData()
        self.proxy.set_status(ControlStatus(status) if status is not None else None)
        self.proxy.set_frequency(self.frequency_filter.currentData())
        self.proxy.set_owner(self.owner_filter.currentData())
        self._show_count()
        self._update_buttons()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_control(self) -> Control | None:
        """Return the control of the current row, or None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(CONTROL_ROLE) if rows else None

    def select_control(self, ref: str) -> bool:
        """Make the control with this reference the current row (if it is shown); return True if found."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, REF)
            if index.data(CONTROL_ROLE).ref == ref:
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.table.scrollTo(index)
                return True
        return False

    def selected_task(self) -> Task | None:
        """Return the task of the current tasks row, or None."""
        item = self.tasks.currentItem()
        if item is None or self.data is None:
            return None
        task_id = item.data(TASK_TITLE, ID_ROLE)
        return next((t for t in self.data.library.tasks if t.id == task_id), None)

    def _update_buttons(self) -> None:
        loaded = self.data is not None
        has_control = self.selected_control() is not None
        task = self.selected_task()
        for button in (self.add_button, self.templates_button, self.add_task_button):
            button.setEnabled(loaded)
        self.edit_button.setEnabled(has_control)
        self.delete_button.setEnabled(has_control)
        self.edit_task_button.setEnabled(task is not None)
        self.done_task_button.setEnabled(task is not None and task.status is not TaskStatus.DONE)

    def _ask(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    # -- controls -------------------------------------------------------------------------------------

    def _owners(self) -> list[str]:
        if self.data is None:
            return []
        return [c.owner for c in self.data.library.controls] + [t.owner for t in self.data.library.tasks]

    def _refs(self) -> list[str]:
        return [c.ref for c in self.data.library.controls] if self.data else []

    def add_control(self, criteria: tuple[str, ...] = ()) -> None:
        """Open the editor for a new control (optionally with some criteria already ticked)."""
        if self.data is None:
            return
        self.editor = ControlEditor(self.data.library.criteria, self._owners(), self._refs(),
                                    preset_criteria=criteria, parent=self)
        editor = self.editor
        editor.accepted.connect(lambda: self._submit_new(editor.draft()))
        editor.guard(self.context.edits)
        editor.open()

    def _submit_new(self, draft: ControlDraft) -> None:
        self._select_ref = draft.ref
        self.context.apply(EditCommand(f"Add control {draft.ref}", partial(add_control, draft=draft)))

    def edit_control(self, ref: str | None = None) -> None:
        """Open the editor on a control (the selected one unless a reference is given)."""
        if self.data is None:
            return
        control = self.selected_control() if ref is None else next(
            (c for c in self.data.library.controls if c.ref == ref), None)
        if control is None:
            return
        self.editor = ControlEditor(self.data.library.criteria, self._owners(), self._refs(), control, parent=self)
        editor = self.editor
        editor.accepted.connect(lambda: self._submit_edit(control, editor.draft()))
        editor.guard(self.context.edits)
        editor.open()

    def _submit_edit(self, control: Control, draft: ControlDraft) -> None:
        if draft == draft_of(control):
            return
        self._select_ref = draft.ref
        # Refused if someone else changed the control since it was shown (team mode).
        self.context.apply(EditCommand(f"Edit control {control.ref}", partial(
            update_control, ref=control.ref, draft=draft, expected_version=control.version)))

    def delete_control(self, ref: str | None = None) -> None:
        """Delete a control after confirmation; one with evidence is refused with the reason."""
        if self.data is None:
            return
        control = self.selected_control() if ref is None else next(
            (c for c in self.data.library.controls if c.ref == ref), None)
        if control is None:
            return
        label = f"Delete control {control.ref}"
        evidence = self.data.library.evidence_counts.get(control.ref, 0)
        if evidence:
            self.context.fail(label, deletion_refusal(control.ref, evidence))
            return
        question = (
            f"Delete control {control.ref} {_quoted(control.title)}?\n\n"
            "Its criteria mappings go with it, and its tasks are unlinked; Edit > Undo puts everything back.\n"
            "A control that has evidence cannot be deleted, because its evidence records would be deleted too: "
            "remove the evidence or move it to another control first."
        )
        if not self.confirm(label, question):
            return
        self.context.apply(EditCommand(label, partial(remove_control, ref=control.ref)))

    # -- templates and coverage -----------------------------------------------------------------------

    def open_templates(self, criterion: str | None = None) -> None:
        """Open the template library (filtered to one criterion, its first template ticked, if given)."""
        if self.data is None:
            return
        titles = [c.title for c in self.data.library.controls]
        self.templates_dialog = TemplatesDialog(self.data.templates, self.data.library.criteria,
                                                criterion=criterion, existing_titles=titles, parent=self)
        dialog = self.templates_dialog
        dialog.accepted.connect(lambda: self.add_from_templates(dialog.selected_keys()))
        dialog.open()

    def open_import(self) -> None:
        """Open the wizard that imports controls from a spreadsheet (one undoable step)."""
        if self.context.project is None:
            return
        self.import_wizard = ImportWizard(self.context, parent=self)
        self.import_wizard.open()

    def add_from_templates(self, keys: list[str]) -> None:
        """Add one control per template key, as one undoable edit."""
        if not keys:
            return
        count = len(keys)

        def selected(added: list[Control]) -> None:
            if added:
                self._select_ref = added[0].ref

        label = f"Add {count} control{'' if count == 1 else 's'} from templates"
        self.context.apply(EditCommand(label, partial(add_controls_from_templates, keys=tuple(keys))),
                           on_success=selected)

    def _coverage_chosen(self, item: QListWidgetItem) -> None:
        criterion_id = item.data(ID_ROLE)
        if criterion_id is None or self.data is None:
            return
        for dialog in (self.templates_dialog, self.editor):
            if dialog is not None and dialog.isVisible():
                return  # a click that is part of a double-click: the dialog is already open
        if templates_for(criterion_id, self.data.templates):
            self.open_templates(criterion_id)
        else:
            self.add_control((criterion_id,))

    # -- tasks ----------------------------------------------------------------------------------------

    def add_task(self) -> None:
        """Open the task editor for a new task (tied to the selected control by default)."""
        if self.data is None:
            return
        control = self.selected_control()
        self.task_editor = TaskEditor(self._owners(), self._refs(), self.data.library.criteria,
                                      control_ref=control.ref if control else None, today=self.context.today(),
                                      parent=self)
        editor = self.task_editor
        editor.accepted.connect(lambda: self._submit_new_task(
            editor.values(), editor.control.currentData(), editor.criterion.currentData()))
        editor.guard(self.context.edits)
        editor.open()

    def _submit_new_task(self, values: dict[str, Any], control_ref: str | None, criterion_id: str | None) -> None:
        self.context.apply(EditCommand(f"Add task {_quoted(values['title'])}", partial(
            add_task, control_ref=control_ref, criterion_id=criterion_id, **values)))

    def edit_task(self) -> None:
        """Open the task editor on the selected task."""
        task = self.selected_task()
        if task is None or self.data is None:
            return
        self.task_editor = TaskEditor(self._owners(), self._refs(), self.data.library.criteria, task,
                                      today=self.context.today(), parent=self)
        editor = self.task_editor
        editor.accepted.connect(lambda: self._submit_task_edit(task, editor.values()))
        editor.guard(self.context.edits)
        editor.open()

    def mark_task_done(self) -> None:
        """Set the selected task's status to done."""
        task = self.selected_task()
        if task is not None and task.status is not TaskStatus.DONE:
            self._submit_task_edit(task, {**self._task_values(task), "status": TaskStatus.DONE})

    @staticmethod
    def _task_values(task: Task) -> dict[str, Any]:
        return {"title": task.title, "owner": task.owner, "due": task.due, "status": task.status,
                "description": task.description}

    def _submit_task_edit(self, task: Task, values: dict[str, Any]) -> None:
        before = self._task_values(task)
        if values == before:
            return
        changed = [name for name in before if before[name] != values[name]]
        status: TaskStatus = values["status"]
        label = (f"Set task {_quoted(task.title)} to {status.label}" if changed == ["status"]
                 else f"Edit task {_quoted(task.title)}")
        self.context.apply(EditCommand(label, partial(update_task, task_id=task.id, **values)))
