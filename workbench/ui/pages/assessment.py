"""Step 2, the readiness assessment: judge every in-scope criterion and turn gaps into remediation tasks."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.enums import AssessmentStatus, Category
from workbench.services.assessment import (
    AssessmentOverview,
    CriterionRow,
    assess,
    assessment_overview,
    create_remediation_task,
)
from workbench.services.changes import Touched
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.fields import search_box
from workbench.ui.layouts import split
from workbench.ui.pages.assessment_bars import CategoryBars
from workbench.ui.pages.assessment_detail import REMEDIABLE, STATUS_KEYS, CriterionPanel, refusal
from workbench.ui.pages.assessment_model import (
    COL_CONTROLS,
    COL_ID,
    COL_NOTE,
    COL_STATUS,
    COL_SUMMARY,
    CRITERION_ID_ROLE,
    ROW_ROLE,
    AssessmentFilter,
    AssessmentTreeModel,
)
from workbench.ui.pages.base import ProjectPage
from workbench.ui.palette import STATUS_ORDER
from workbench.ui.pending_edits import FormEdit
from workbench.ui.tables import ColumnFit
from workbench.ui.undo import EditCommand

_KEY_STATUS: dict[str, AssessmentStatus] = {key: status for status, key in STATUS_KEYS.items()}
_FORWARD = (
    QAbstractItemView.CursorAction.MoveDown,
    QAbstractItemView.CursorAction.MovePageDown,
    QAbstractItemView.CursorAction.MoveHome,
    QAbstractItemView.CursorAction.MoveNext,
)


def status_label(criterion_id: str, status: AssessmentStatus) -> str:
    """Return the undo label of a status change, e.g. "Set CC6.1 to Met"."""
    return f"Set {criterion_id} to {status.label}"


class CriteriaTree(QTreeView):
    """The criteria list: arrow keys pass over headings; number keys ask for a status."""

    status_key = Signal(object)  # AssessmentStatus

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        status = _KEY_STATUS.get(event.text())
        if status is not None and modifiers == Qt.KeyboardModifier.NoModifier:
            self.status_key.emit(status)
            event.accept()
            return
        super().keyPressEvent(event)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        forward = action in _FORWARD
        while index.isValid() and not index.data(CRITERION_ID_ROLE):
            index = self.indexBelow(index) if forward else self.indexAbove(index)
        return index if index.isValid() else self.currentIndex()


class AssessmentPage(ProjectPage):
    """Every in-scope criterion by category and series, a panel to judge one, and readiness per category."""

    name = "assessment"
    title = "Readiness assessment"
    shows = Touched.ASSESSMENT | Touched.CONTROLS | Touched.TASKS | Touched.SETTINGS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._data: AssessmentOverview | None = None
        self._order: dict[str, int] = {}
        self._moving_back = False  # the selection is being put back on a criterion whose typing stays
        layout = self.column(self.title, "Judge every criterion in scope against what you do today. A gap or a "
                             "partially met criterion can become a remediation task in one click.")
        layout.setSpacing(10)

        filters = QHBoxLayout()
        self.search = search_box("Search id, summary or note (Ctrl+F)", "Search criteria")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("All statuses", None)
        for status in STATUS_ORDER:
            self.status_filter.addItem(status.label, status)
        self.category_filter = QComboBox()
        self.category_filter.setAccessibleName("Filter by category")
        self.category_filter.addItem("All categories", None)
        self.unmapped_only = QCheckBox("&Without controls only")
        self.shown = QLabel()
        self.shown.setTextFormat(Qt.TextFormat.PlainText)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.category_filter)
        filters.addWidget(self.unmapped_only)
        filters.addStretch(1)
        filters.addWidget(self.shown)
        layout.addLayout(filters)

        self.model = AssessmentTreeModel(self)
        self.proxy = AssessmentFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = CriteriaTree()
        self.tree.setObjectName("criteriaTree")
        self.tree.setAccessibleName("Criteria")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setIndentation(12)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree_columns = ColumnFit(self.tree, COL_SUMMARY, {
            COL_ID: (80, 80), COL_STATUS: (105, 118), COL_CONTROLS: (60, 110), COL_NOTE: (40, 140)}, 140)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        bars_box = QGroupBox("Readiness per category")
        bars_layout = QVBoxLayout(bars_box)
        self.bars = CategoryBars()
        bars_layout.addWidget(self.bars)
        self.panel = CriterionPanel()
        side_layout.addWidget(bars_box)
        side_layout.addWidget(self.panel, 1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(360)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(split(self.tree, scroll, stretch=(3, 1), sizes=(680, 380)), 1)

        self.search.textChanged.connect(self._filter_text)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self._refiltered(self.proxy.set_status, self.status_filter_value())
        )
        self.category_filter.currentIndexChanged.connect(
            lambda _i: self._refiltered(self.proxy.set_category, self.category_filter_value())
        )
        self.unmapped_only.toggled.connect(lambda on: self._refiltered(self.proxy.set_without_controls, on))
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.status_key.connect(self.set_status)
        self.panel.apply_requested.connect(self.apply)
        self.panel.task_requested.connect(self.create_task)
        find = QShortcut(QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_search)
        context.failed.connect(self._resync)
        self.judgement = context.edits.watch(FormEdit(
            title=lambda: f"the judgement of {self.panel.criterion_id()}", read=self.panel.typed,
            stored=self.panel.saved, submit=self._submit_typed, show=self.panel.revert,
            problem=lambda _values: self.panel.refusal_text()), self.panel)

    # -- loading --------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> AssessmentOverview:
        """Read the criteria, readiness per category and remediation tasks (worker thread)."""
        return assessment_overview(project)

    def show_data(self, data: AssessmentOverview) -> None:
        """Fill the tree, the filters, the bars and the panel, keeping the selected criterion."""
        keep = self.selected_id()
        self._data = data
        self._order = {row.criterion.id: number for number, row in enumerate(data.rows)}
        self._fill_categories([row.criterion.category for row in data.rows])
        self.model.set_rows(data.rows)
        self.bars.set_categories(data.categories)
        self._decorate()
        self._reselect(keep)

    def _fill_categories(self, categories: list[Category]) -> None:
        wanted = list(dict.fromkeys(categories))
        present = [Category(self.category_filter.itemData(i)) for i in range(1, self.category_filter.count())]
        if present == wanted:
            return
        chosen = self.category_filter_value()
        self.category_filter.blockSignals(True)
        while self.category_filter.count() > 1:
            self.category_filter.removeItem(1)
        for category in wanted:
            self.category_filter.addItem(category.label, category)
        self.category_filter.setCurrentIndex(max(0, self.category_filter.findData(chosen.value)) if chosen else 0)
        self.category_filter.blockSignals(False)
        self.proxy.set_category(self.category_filter_value())

    # -- what is shown --------------------------------------------------------------------------------

    def status_filter_value(self) -> AssessmentStatus | None:
        """Return the status the list is filtered by, or None for all."""
        value = self.status_filter.currentData()  # Qt hands a str enum back as a plain str
        return AssessmentStatus(value) if value else None

    def category_filter_value(self) -> Category | None:
        """Return the category the list is filtered by, or None for all."""
        value = self.category_filter.currentData()
        return Category(value) if value else None

    def visible_criteria(self) -> list[str]:
        """Return the ids of the criteria the filters leave visible, top to bottom."""
        return self.proxy.visible_criteria()

    def selected_id(self) -> str | None:
        """Return the id of the selected criterion, or None."""
        rows = self.tree.selectionModel().selectedRows(0)
        if not rows:
            return None
        return rows[0].data(CRITERION_ID_ROLE) or None

    def select(self, criterion_id: str) -> bool:
        """Select a criterion in the list; return False when it is not visible."""
        index = self.proxy.mapFromSource(self.model.criterion_index(criterion_id))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        return True

    def _reselect(self, wanted: str | None) -> None:
        visible = self.visible_criteria()
        if not visible:
            self.tree.selectionModel().clear()
            self._show_panel(None)
            return
        if wanted is None or wanted not in self._order:
            target = visible[0]
        else:
            # The criterion may have left the filtered list: move on to the next one still shown.
            after = [c for c in visible if self._order.get(c, -1) >= self._order[wanted]]
            target = after[0] if after else visible[-1]
        if target == self.selected_id():
            self._show_panel(self._row(target))
        else:
            self.select(target)

    def _decorate(self) -> None:
        """Span headings over every column, open every group and count what is shown."""
        def walk(parent: QModelIndex) -> None:
            for number in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(number, 0, parent)
                if not index.data(CRITERION_ID_ROLE):
                    self.tree.setFirstColumnSpanned(number, parent, True)
                    walk(index)

        walk(QModelIndex())
        self.tree.expandAll()
        total = self.model.row_count_of_criteria()
        shown = len(self.visible_criteria())
        self.shown.setText(f"Showing {shown} of {total} criteria" if shown != total else f"{total} criteria")

    def _refiltered(self, setter: Callable[[Any], None], value: object) -> None:
        keep = self.selected_id()
        setter(value)
        self._decorate()
        self._reselect(keep)

    def _filter_text(self, text: str) -> None:
        self._refiltered(self.proxy.set_text, text)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _row(self, criterion_id: str | None) -> CriterionRow | None:
        if criterion_id is None:
            return None
        index = self.model.criterion_index(criterion_id)
        return index.data(ROW_ROLE) if index.isValid() else None

    def _show_panel(self, row: CriterionRow | None) -> None:
        tasks = self._data.tasks.get(row.criterion.id, ()) if row is not None and self._data is not None else ()
        shown = self.panel.row()
        if row is not None and shown is not None and shown.criterion.id == row.criterion.id \
                and self.judgement.pending():
            self.panel.keep_typing(row, tasks)  # a reload while the user types: the typing stays
            return
        self.panel.show_row(row, tasks, self.context.today())

    def _selection_changed(self) -> None:
        if self._moving_back:
            return
        shown = self.panel.row()
        if shown is not None and shown.criterion.id != self.selected_id() \
                and not self.context.edits.leave(self.judgement):
            self._moving_back = True  # keep editing: the selection goes back to the criterion being edited
            try:
                self.select(shown.criterion.id)
            finally:
                self._moving_back = False
            return
        self._show_panel(self._row(self.selected_id()))

    def _resync(self) -> None:
        """After a failed change the list may show a status that was not saved: read it again."""
        if self.isVisible() and self.context.project is not None:
            self.reload()

    # -- edits ----------------------------------------------------------------------------------------

    def set_status(self, status: AssessmentStatus) -> None:
        """Set the selected criterion's status at once, keeping the panel's note (the number keys)."""
        if self._row(self.selected_id()) is None:
            return
        self.panel.choose(status)
        if refusal(status, self.panel.note_text()):
            self.panel.note.setFocus(Qt.FocusReason.OtherFocusReason)  # the panel shows why
            return
        self.judgement.save()

    def apply(self) -> None:
        """Save the status and note chosen in the panel as one undoable command."""
        if self.panel.row() is not None and not self.panel.refusal_text():
            self.judgement.save()

    def _submit_typed(self, _typed: object) -> None:
        row, status = self.panel.row(), self.panel.chosen_status()
        if row is not None and status is not None and not self.panel.refusal_text():
            self._submit(row, status, self.panel.note_text())

    def _submit(self, row: CriterionRow, status: AssessmentStatus, note: str) -> None:
        criterion_id = row.criterion.id
        before_status, before_note = row.assessment.status, row.assessment.note
        if status is before_status and note == before_note:
            return
        label = status_label(criterion_id, status) if status is not before_status else f"Edit note of {criterion_id}"
        version = row.assessment.version  # refused if someone else changed it since
        self.context.apply(EditCommand(label, partial(assess, criterion=criterion_id, status=status, note=note,
                                                      expected_version=version)),
                           on_failure=lambda _message: self.judgement.refused())
        # Show the new judgement now, so that a second quick edit captures the right previous values (and the
        # version this edit will leave: each change bumps it by one).
        updated = replace(row, assessment=replace(row.assessment, status=status, note=note, version=version + 1))
        self.model.update_row(updated)
        if self.selected_id() == criterion_id:
            self._show_panel(updated)
        elif criterion_id not in self.visible_criteria():  # the status filter hides it now: go on to the next
            self._decorate()
            self._reselect(criterion_id)

    def create_task(self) -> None:
        """Create a remediation task for the selected gap or partially met criterion (undo deletes it)."""
        row = self.panel.row()
        if row is None or row.assessment.status not in REMEDIABLE:
            return
        criterion_id = row.criterion.id
        title = f"Remediate {criterion_id}: " + textwrap.shorten(row.criterion.summary, 80, placeholder="…")
        owner, due = self.panel.owner_text(), self.panel.due_date()
        self.context.apply(EditCommand(f"Create remediation task for {criterion_id}", partial(
            create_remediation_task, criterion_id=criterion_id, title=title, owner=owner, due=due)))
