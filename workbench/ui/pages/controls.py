"""Step 3, Implement controls: the control library, criteria coverage, templates and remediation tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.control_templates import ControlTemplate, TemplateSet, templates_present
from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import AssessmentStatus, ControlStatus, TaskStatus
from workbench.services.changes import Touched
from workbench.services.controls import (
    ControlLibrary,
    add_control,
    control_library,
    deletion_refusal,
    draft_of,
    remove_control,
    update_control,
)
from workbench.services.session import OpenProject
from workbench.services.templates import TemplateApplication, apply_templates, bundled_library, templates_for
from workbench.ui.context import PageContext
from workbench.ui.import_wizard import ImportWizard
from workbench.ui.labels import plain_label
from workbench.ui.layouts import split
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.control_editor import ControlEditor, TaskEditor
from workbench.ui.pages.controls_filters import FilterBar
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
    SortableRows,
    sortable_rows,
)
from workbench.ui.pages.controls_tasks import ID_ROLE, TasksBox, quoted
from workbench.ui.pages.templates_dialog import TemplatesDialog
from workbench.ui.palette import state_text
from workbench.ui.tables import ColumnFit, row_table
from workbench.ui.undo import EditCommand

# The other columns' (smallest, preferred) widths: the title takes the rest, at least TITLE_LEAST (tables.ColumnFit).
COLUMN_WIDTHS = {REF: (60, 75), OWNER: (100, 170), FREQUENCY: (80, 110), NATURE: (70, 85), STATUS: (100, 115),
                 CRITERIA: (80, 140), EVIDENCE: (62, 70)}
TITLE_LEAST = 260


@dataclass(frozen=True, slots=True)
class ControlsData:
    """What the page shows: the library read from the project, and the template library."""

    library: ControlLibrary
    templates: tuple[ControlTemplate, ...]
    template_sets: tuple[TemplateSet, ...] = ()
    rows: SortableRows | None = None  # the table's rows with their sort values, made on the worker


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
        self.model = ControlsModel(self)
        self.proxy = ControlsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filters = FilterBar(self.model, self.proxy, self.update_buttons)
        self.search, self.status_filter = self.filters.search, self.filters.status_filter
        self.frequency_filter, self.owner_filter = self.filters.frequency_filter, self.filters.owner_filter
        self.shown = self.filters.shown
        self._build_buttons()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        for button in (self.add_button, self.templates_button, self.import_button, self.edit_button,
                       self.delete_button):
            summary_row.addWidget(button)
        layout.addLayout(summary_row)
        self.applied_note = plain_label()  # what the last use of the templates did
        self.applied_note.setObjectName("templatesApplied")
        self.applied_note.setVisible(False)
        layout.addWidget(self.applied_note)
        layout.addLayout(self.filters)
        self.table = self._build_table()
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self._build_coverage(), 2)
        self.tasks_box = TasksBox(self)
        self.tasks = self.tasks_box.tasks
        self.add_task_button, self.edit_task_button, self.done_task_button = \
            self.tasks_box.add_button, self.tasks_box.edit_button, self.tasks_box.done_button
        bottom_layout.addWidget(self.tasks_box, 3)
        layout.addWidget(split(self.table, bottom, stretch=(3, 1), sizes=(520, 240), vertical=True,
                               collapsible=False), 1)

        QShortcut(QKeySequence.StandardKey.Find, self, self.filters.focus_search,
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
        self.update_buttons()

    # -- building -------------------------------------------------------------------------------------

    def _build_buttons(self) -> None:
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
        self.add_button.clicked.connect(lambda: self.add_control())
        self.templates_button.clicked.connect(lambda: self.open_templates())
        self.import_button.clicked.connect(lambda: self.open_import())
        self.edit_button.clicked.connect(lambda: self.edit_control())
        self.delete_button.clicked.connect(lambda: self.delete_control())

    def _build_table(self) -> QTableView:
        table = row_table(self.proxy, "Controls", sort_column=REF, stripes=True, wrap=False, row_numbers=False)
        table.setObjectName("controlsTable")
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.horizontalHeader().setHighlightSections(False)
        self.column_fit = ColumnFit(table, TITLE, COLUMN_WIDTHS, TITLE_LEAST)
        table.activated.connect(lambda _index: self.edit_control())
        table.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
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

    # -- loading --------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> ControlsData:
        """Read the control library, its coverage and tasks, and the template library."""
        templates = bundled_library()
        library = control_library(project)
        counts = library.evidence_counts
        rows = sortable_rows([ControlItem(c, counts.get(c.ref, 0)) for c in library.controls])
        return ControlsData(library, templates.templates, templates.sets, rows)

    def show_data(self, data: ControlsData) -> None:
        """Fill the table, the filters, the coverage list and the tasks."""
        current = self.selected_control()
        select = self._select_ref or (current.ref if current else None)
        self._select_ref = None
        self.data = data
        library = data.library
        counts = library.evidence_counts
        self.model.set_rows(data.rows or [ControlItem(c, counts.get(c.ref, 0)) for c in library.controls])
        self.filters.fill_owners(library.controls)
        self._show_summary(library)
        self.filters.show_count()
        if select is not None:
            self.select_control(select)
        self._show_coverage(library)
        self.tasks_box.show_tasks(library.tasks)
        self.update_buttons()

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
            item.setForeground(state_text(AssessmentStatus.GAP, self.palette()))
            self.coverage.addItem(item)

    # -- selection and filters ------------------------------------------------------------------------

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

    def update_buttons(self) -> None:
        """Enable the buttons that have something to act on."""
        loaded = self.data is not None
        has_control = self.selected_control() is not None
        task = self.tasks_box.selected_task()
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

    def owner_names(self) -> list[str]:
        """Return the owners named on controls and tasks, for the editors' suggestions."""
        if self.data is None:
            return []
        return [c.owner for c in self.data.library.controls] + [t.owner for t in self.data.library.tasks]

    def control_refs(self) -> list[str]:
        """Return the references of every control."""
        return [c.ref for c in self.data.library.controls] if self.data else []

    def _control(self, ref: str | None) -> Control | None:
        """Return the control with this reference, or the selected one when no reference is given."""
        if self.data is None:
            return None
        if ref is None:
            return self.selected_control()
        return next((c for c in self.data.library.controls if c.ref == ref), None)

    def add_control(self, criteria: tuple[str, ...] = ()) -> None:
        """Open the editor for a new control (optionally with some criteria already ticked)."""
        if self.data is None:
            return
        self.editor = ControlEditor(self.data.library.criteria, self.owner_names(), self.control_refs(),
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
        control = self._control(ref)
        if self.data is None or control is None:
            return
        self.editor = ControlEditor(self.data.library.criteria, self.owner_names(), self.control_refs(), control,
                                    parent=self)
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
        control = self._control(ref)
        if self.data is None or control is None:
            return
        label = f"Delete control {control.ref}"
        evidence = self.data.library.evidence_counts.get(control.ref, 0)
        if evidence:
            self.context.fail(label, deletion_refusal(control.ref, evidence))
            return
        question = (
            f"Delete control {control.ref} {quoted(control.title)}?\n\n"
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
        present = templates_present(self.data.library.controls, self.data.templates)
        self.templates_dialog = TemplatesDialog(self.data.templates, self.data.library.criteria,
                                                sets=self.data.template_sets, criterion=criterion, present=present,
                                                parent=self)
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
        """Apply the templates (one control each, unless already applied) as one undoable edit; say what it did."""
        if not keys:
            return
        count = len(keys)

        def applied(result: TemplateApplication) -> None:
            if result.created:
                self._select_ref = result.created[0].ref
            self.applied_note.setText(result.summary() + ".")
            self.applied_note.setVisible(True)

        label = f"Add {count} control{'' if count == 1 else 's'} from templates"
        self.context.apply(EditCommand(label, partial(apply_templates, names=tuple(keys))), on_success=applied)

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
