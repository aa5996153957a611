"""The controls page's remediation tasks: the list, its buttons, and the edits of a task."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from workbench.domain.entities import Task
from workbench.domain.enums import AssessmentStatus, TaskStatus
from workbench.services.controls import add_task, update_task
from workbench.ui.dates import shown_date
from workbench.ui.layouts import packed_row
from workbench.ui.pages.control_editor import TaskEditor
from workbench.ui.palette import state_text
from workbench.ui.tables import ColumnFit
from workbench.ui.undo import EditCommand

if TYPE_CHECKING:
    from workbench.ui.pages.controls import ControlsPage

TASK_TITLE, TASK_OWNER, TASK_DUE, TASK_STATUS, TASK_FOR = range(5)
ID_ROLE = Qt.ItemDataRole.UserRole


def quoted(title: str, limit: int = 40) -> str:
    """Return a title in quotes, cut short with an ellipsis past `limit` characters."""
    short = title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return f"“{short}”"


def format_date(value: Any) -> str:
    """Return a date as the GUI shows it ("" for none)."""
    return shown_date(value)


def task_values(task: Task) -> dict[str, Any]:
    """Return the fields of a task that its editor edits."""
    return {"title": task.title, "owner": task.owner, "due": task.due, "status": task.status,
            "description": task.description}


class TasksBox(QGroupBox):
    """Remediation tasks of the control library; its widgets are also reachable from the page."""

    def __init__(self, page: ControlsPage) -> None:
        super().__init__("Remediation tasks")
        self.page = page
        box_layout = QVBoxLayout(self)
        self.tasks = QTreeWidget()
        self.tasks.setObjectName("tasksTable")
        self.tasks.setAccessibleName("Remediation tasks")
        self.tasks.setRootIsDecorated(False)
        self.tasks.setUniformRowHeights(True)
        self.tasks.setAlternatingRowColors(True)
        self.tasks.setHeaderLabels(["Task", "Owner", "Due", "Status", "For"])
        self.column_fit = ColumnFit(self.tasks, TASK_TITLE, {TASK_OWNER: (80, 140), TASK_DUE: (90, 165),
                                                             TASK_STATUS: (70, 90), TASK_FOR: (70, 110)}, 150)
        self.tasks.itemActivated.connect(lambda *_: self.edit_task())
        self.tasks.currentItemChanged.connect(lambda *_: page.update_buttons())
        box_layout.addWidget(self.tasks, 1)
        self.add_button = QPushButton("Add task…")
        self.edit_button = QPushButton("Edit task…")
        self.done_button = QPushButton("Mark done")
        self.add_button.clicked.connect(lambda: self.add_task())
        self.edit_button.clicked.connect(lambda: self.edit_task())
        self.done_button.clicked.connect(lambda: self.mark_task_done())
        box_layout.addLayout(packed_row(self.add_button, self.edit_button, self.done_button))

    def show_tasks(self, tasks: tuple[Task, ...]) -> None:
        """List the tasks, overdue ones marked, keeping the current one current."""
        current = self.selected_task()
        self.tasks.clear()
        today = self.page.context.today()
        overdue = 0
        for task in tasks:
            item = QTreeWidgetItem([
                task.title, task.owner, format_date(task.due), task.status.label,
                " · ".join(x for x in (task.control_ref, task.criterion_id) if x),
            ])
            item.setData(TASK_TITLE, ID_ROLE, task.id)
            for column in range(item.columnCount()):  # the whole text of a cell too narrow for it
                item.setToolTip(column, item.text(column))
            if task.description:
                item.setToolTip(TASK_TITLE, f"{task.title}\n\n{task.description}")
            if task.status is not TaskStatus.DONE and task.due is not None and task.due < today:
                overdue += 1
                colour = state_text(AssessmentStatus.GAP, self.palette())
                bold = QFont(self.tasks.font())
                bold.setBold(True)
                item.setForeground(TASK_DUE, colour)
                item.setFont(TASK_DUE, bold)
                item.setText(TASK_DUE, f"{format_date(task.due)} (overdue)")
                item.setToolTip(TASK_DUE, item.text(TASK_DUE))
            self.tasks.addTopLevelItem(item)
            if current is not None and task.id == current.id:
                self.tasks.setCurrentItem(item)
        open_count = sum(1 for t in tasks if t.status is not TaskStatus.DONE)
        self.setTitle(f"Remediation tasks ({open_count} open, {overdue} overdue)")

    def selected_task(self) -> Task | None:
        """Return the task of the current tasks row, or None."""
        item = self.tasks.currentItem()
        data = self.page.data
        if item is None or data is None:
            return None
        task_id = item.data(TASK_TITLE, ID_ROLE)
        return next((t for t in data.library.tasks if t.id == task_id), None)

    def add_task(self) -> None:
        """Open the task editor for a new task (tied to the selected control by default)."""
        page = self.page
        if page.data is None:
            return
        control = page.selected_control()
        page.task_editor = TaskEditor(page.owner_names(), page.control_refs(), page.data.library.criteria,
                                      control_ref=control.ref if control else None, today=page.context.today(),
                                      parent=page)
        editor = page.task_editor
        editor.accepted.connect(lambda: self._submit_new_task(
            editor.values(), editor.control.currentData(), editor.criterion.currentData()))
        editor.guard(page.context.edits)
        editor.open()

    def _submit_new_task(self, values: dict[str, Any], control_ref: str | None, criterion_id: str | None) -> None:
        self.page.context.apply(EditCommand(f"Add task {quoted(values['title'])}", partial(
            add_task, control_ref=control_ref, criterion_id=criterion_id, **values)))

    def edit_task(self) -> None:
        """Open the task editor on the selected task."""
        page = self.page
        task = self.selected_task()
        if task is None or page.data is None:
            return
        page.task_editor = TaskEditor(page.owner_names(), page.control_refs(), page.data.library.criteria, task,
                                      today=page.context.today(), parent=page)
        editor = page.task_editor
        editor.accepted.connect(lambda: self._submit_task_edit(task, editor.values()))
        editor.guard(page.context.edits)
        editor.open()

    def mark_task_done(self) -> None:
        """Set the selected task's status to done."""
        task = self.selected_task()
        if task is not None and task.status is not TaskStatus.DONE:
            self._submit_task_edit(task, {**task_values(task), "status": TaskStatus.DONE})

    def _submit_task_edit(self, task: Task, values: dict[str, Any]) -> None:
        before = task_values(task)
        if values == before:
            return
        changed = [name for name in before if before[name] != values[name]]
        status: TaskStatus = values["status"]
        label = (f"Set task {quoted(task.title)} to {status.label}" if changed == ["status"]
                 else f"Edit task {quoted(task.title)}")
        self.page.context.apply(EditCommand(label, partial(update_task, task_id=task.id, **values)))
