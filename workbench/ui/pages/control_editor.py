"""The dialogs of the controls step: the control editor with its criteria picker, and the task editor."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.catalog import Criterion
from workbench.domain.entities import Control, ControlDraft, Task
from workbench.domain.enums import ControlStatus, Frequency, LabelledEnum, Nature, TaskStatus
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import date_edit, ok_button, ok_cancel, qdate, search_box, text_box
from workbench.ui.labels import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole
E = TypeVar("E", bound=LabelledEnum)


def owner_box(owners: Sequence[str], current: str = "") -> QComboBox:
    """Return an editable combo box offering the owners already in use."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(sorted({o for o in owners if o.strip()}, key=str.casefold))
    box.setCurrentText(current)
    box.lineEdit().setPlaceholderText("Who runs it (name and role)")
    return box


def enum_box(members: Sequence[LabelledEnum], current: LabelledEnum | None,
             none_label: str | None = None) -> QComboBox:
    """Return a combo box of enum members by label, holding their values (a leading 'not set' entry if asked)."""
    box = QComboBox()
    if none_label is not None:
        box.addItem(none_label, None)
    for member in members:
        box.addItem(member.label, member.value)  # the value: Qt hands string enums back as plain strings
    index = box.findData(current.value if current is not None else None)
    box.setCurrentIndex(max(index, 0))
    return box


def chosen(box: QComboBox, kind: type[E]) -> E | None:
    """Return the enum member chosen in an enum_box, or None for the 'not set' entry."""
    value = box.currentData()
    return kind(value) if value is not None else None


class OptionalDate(QWidget):
    """A date that may be left unset: a check box switching a date field on, cleared by unticking it."""

    def __init__(self, label: str, current: date | None, fallback: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.edit = date_edit(current or fallback, name=label)
        self.check.setChecked(current is not None)
        self.edit.setEnabled(current is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        """Return the date chosen, or None when it is not set."""
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        """Set the date (None: unset it)."""
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(qdate(value))


class CriteriaPicker(QWidget):
    """A checkable, filterable list of criteria grouped by series."""

    changed = Signal()

    def __init__(self, criteria: Sequence[Criterion], checked: Collection[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = search_box("Filter criteria (id or words)", "Filter criteria")
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Criteria")
        self.tree.setUniformRowHeights(True)
        self.selection = plain_label()
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.selection)
        self.items: dict[str, QTreeWidgetItem] = {}
        series: dict[str, QTreeWidgetItem] = {}
        wanted = set(checked)
        for criterion in criteria:
            parent_item = series.get(criterion.series)
            if parent_item is None:
                parent_item = QTreeWidgetItem(self.tree, [f"{criterion.series}  {criterion.series_title}"])
                parent_item.setFlags(parent_item.flags() | Qt.ItemFlag.ItemIsAutoTristate
                                     | Qt.ItemFlag.ItemIsUserCheckable)
                series[criterion.series] = parent_item
            item = QTreeWidgetItem(parent_item, [f"{criterion.id}  {criterion.summary}"])
            item.setData(0, ID_ROLE, criterion.id)
            item.setToolTip(0, item.text(0))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if criterion.id in wanted else Qt.CheckState.Unchecked)
            self.items[criterion.id] = item
        for parent_item in series.values():
            parent_item.setExpanded(any(
                parent_item.child(i).checkState(0) == Qt.CheckState.Checked for i in range(parent_item.childCount())
            ))
        self.tree.itemChanged.connect(self._item_changed)
        self._show_selection()

    def checked(self) -> tuple[str, ...]:
        """Return the ids of the checked criteria, in catalog order."""
        return tuple(cid for cid, item in self.items.items() if item.checkState(0) == Qt.CheckState.Checked)

    def set_checked(self, criterion_id: str, checked: bool) -> None:
        """Check or uncheck one criterion."""
        self.items[criterion_id].setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def visible_ids(self) -> list[str]:
        """Return the ids of the criteria the filter lets through."""
        return [cid for cid, item in self.items.items() if not item.isHidden()]

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, ID_ROLE) is not None:
            self._show_selection()
            self.changed.emit()

    def _show_selection(self) -> None:
        chosen = self.checked()
        self.selection.setText(f"{len(chosen)} selected: {', '.join(chosen)}" if chosen else "No criteria selected")

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        for index in range(self.tree.topLevelItemCount()):
            parent_item = self.tree.topLevelItem(index)
            series_text = parent_item.text(0).casefold()
            shown = 0
            for child_index in range(parent_item.childCount()):
                child = parent_item.child(child_index)
                haystack = f"{series_text} {child.text(0).casefold()}"
                hidden = bool(words) and not all(word in haystack for word in words)
                child.setHidden(hidden)
                shown += not hidden
            parent_item.setHidden(shown == 0)
            if words and shown:
                parent_item.setExpanded(True)


class ControlEditor(EditDialog):
    """Edits every field of a control (or a new one) and the criteria it is mapped to."""

    def __init__(self, criteria: Sequence[Criterion], owners: Sequence[str], taken_refs: Collection[str],
                 control: Control | None = None, *, preset_criteria: Collection[str] = (), suggested_ref: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = control
        self._taken = {ref for ref in taken_refs if control is None or ref != control.ref}
        self.setWindowTitle(f"Edit control {control.ref}" if control else "Add control")
        self.resize(980, 620)
        fields = QFormLayout()
        self.ref = QLineEdit(control.ref if control else suggested_ref)
        self.ref.setPlaceholderText("e.g. AC-01")
        self.title_edit = QLineEdit(control.title if control else "")
        self.title_edit.setPlaceholderText("What the control does, in a few words")
        self.owner = owner_box(owners, control.owner if control else "")
        self.frequency = enum_box(list(Frequency), control.frequency if control else None, "Not set")
        self.nature = enum_box(list(Nature), control.nature if control else None, "Not set")
        self.status = enum_box(list(ControlStatus), control.status if control else ControlStatus.NOT_STARTED)
        self.description = text_box(control.description if control else "",
                                    "How the control works: who does what, with which tool, and what record it leaves")
        self.notes = text_box(control.notes if control else "", "Anything else worth remembering", max_height=90)
        today = date.today()
        self.implemented_since = OptionalDate("Operating since", control.implemented_since if control else None,
                                              today)
        self.implemented_since.setToolTip("The day the control started operating: before it, the Type II period "
                                          "expects nothing of it")
        self.retired_on = OptionalDate("Retired on", control.retired_on if control else None, today)
        self.retired_on.setToolTip("The last day the control operated, if it was retired; after it nothing is "
                                   "expected")
        fields.addRow("&Reference", self.ref)
        fields.addRow("&Title", self.title_edit)
        fields.addRow("&Owner", self.owner)
        fields.addRow("&Frequency", self.frequency)
        fields.addRow("&Nature", self.nature)
        fields.addRow("&Status", self.status)
        fields.addRow("&Implemented", self.implemented_since)
        fields.addRow("Re&tired", self.retired_on)
        fields.addRow("&Description", self.description)
        fields.addRow("N&otes", self.notes)
        mapped = set(control.criteria if control else ()) | set(preset_criteria)
        self.picker = CriteriaPicker(criteria, mapped)
        picker_column = QVBoxLayout()
        picker_heading = QLabel("&Criteria this control helps meet")
        picker_heading.setBuddy(self.picker.filter)
        picker_column.addWidget(picker_heading)
        picker_column.addWidget(self.picker, 1)
        columns = QHBoxLayout()
        columns.addLayout(fields, 3)
        columns.addLayout(picker_column, 2)
        self.problem = plain_label()
        self.problem.setObjectName("editorProblem")
        self.buttons = ok_cancel(self, "Save" if control else "Add control")
        self.ok_button = ok_button(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.ref.textChanged.connect(self._validate)
        self.title_edit.textChanged.connect(self._validate)
        for field in (self.implemented_since, self.retired_on):
            field.check.toggled.connect(self._validate)
            field.edit.dateChanged.connect(self._validate)
        self._validate()
        (self.title_edit if control is None and suggested_ref else self.ref).setFocus()

    def _validate(self) -> None:
        ref, title = self.ref.text().strip(), self.title_edit.text().strip()
        problem = ""
        if not ref:
            problem = "Give the control a reference."
        elif ref in self._taken:
            problem = f"Another control already uses the reference {ref}."
        elif not title:
            problem = "Give the control a title."
        elif (since := self.implemented_since.value()) and (retired := self.retired_on.value()) and retired < since:
            problem = "A control cannot be retired before it was implemented."
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem)

    def refusal(self) -> str:
        """Return why the control cannot be saved as entered, or ""."""
        return self.problem.text()

    def values(self) -> ControlDraft:
        """Return the fields as entered."""
        return self.draft()

    def draft(self) -> ControlDraft:
        """Return the fields as entered."""
        return ControlDraft(
            ref=self.ref.text().strip(), title=self.title_edit.text().strip(),
            description=self.description.toPlainText().strip(), owner=self.owner.currentText().strip(),
            frequency=chosen(self.frequency, Frequency), nature=chosen(self.nature, Nature),
            status=chosen(self.status, ControlStatus) or ControlStatus.NOT_STARTED,
            notes=self.notes.toPlainText().strip(), criteria=self.picker.checked(),
            implemented_since=self.implemented_since.value(), retired_on=self.retired_on.value(),
        )


class TaskEditor(EditDialog):
    """Adds a remediation task, or edits one's title, owner, due date, status and description."""

    def __init__(self, owners: Sequence[str], control_refs: Sequence[str], criteria: Sequence[Criterion],
                 task: Task | None = None, *, control_ref: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = task
        self.setWindowTitle("Edit task" if task else "Add task")
        self.resize(560, 420)
        form = QFormLayout()
        self.title_edit = QLineEdit(task.title if task else "")
        self.title_edit.setPlaceholderText("What has to be done")
        self.owner = owner_box(owners, task.owner if task else "")
        self.has_due = QCheckBox("Due by")
        self.due = date_edit((task.due if task and task.due else None) or today or date.today())
        self.has_due.setChecked(bool(task and task.due) or task is None)
        self.due.setEnabled(self.has_due.isChecked())
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.status = enum_box(list(TaskStatus), task.status if task else TaskStatus.OPEN)
        self.description = text_box(task.description if task else "")
        form.addRow("&Title", self.title_edit)
        form.addRow("&Owner", self.owner)
        form.addRow("Due date", due_row)
        form.addRow("&Status", self.status)
        self.control = QComboBox()
        self.criterion = QComboBox()
        if task is None:  # links are chosen when the task is made
            self.control.addItem("No control", None)
            for ref in control_refs:
                self.control.addItem(ref, ref)
            self.control.setCurrentIndex(max(self.control.findData(control_ref), 0))
            self.criterion.addItem("No criterion", None)
            for criterion in criteria:
                self.criterion.addItem(criterion.id, criterion.id)
            form.addRow("For &control", self.control)
            form.addRow("For c&riterion", self.criterion)
        else:
            linked = ", ".join(x for x in (task.control_ref, task.criterion_id) if x) or "nothing"
            form.addRow("Linked to", plain_label(linked))
        form.addRow("&Description", self.description)
        self.buttons = ok_cancel(self, "Save" if task else "Add task")
        self.ok_button = ok_button(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(bool(self.title_edit.text().strip()))
        self.title_edit.setFocus()

    def refusal(self) -> str:
        """Return why the task cannot be saved as entered, or ""."""
        return "" if self.title_edit.text().strip() else "a task needs a title"

    def due_date(self) -> date | None:
        """Return the due date entered, or None."""
        return self.due.date().toPython() if self.has_due.isChecked() else None

    def values(self) -> dict[str, object]:
        """Return the editable fields as keyword arguments for the task services."""
        return {
            "title": self.title_edit.text().strip(), "owner": self.owner.currentText().strip(),
            "due": self.due_date(), "status": chosen(self.status, TaskStatus) or TaskStatus.OPEN,
            "description": self.description.toPlainText().strip(),
        }
