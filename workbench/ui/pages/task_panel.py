"""The side panel beside the Gantt chart: edit the selected task's name, length, links, pins and progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.schedule import Link, ScheduledTask, TaskSpec
from workbench.ui.dates import shown_date
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row
from workbench.ui.pages.audit_fields import OptionalDateEdit
from workbench.ui.pages.gantt_rows import step_title

MAX_DAYS = 2000
MAX_LAG = 500
PINNED_HINT = "Pin the start to a date (an auditor's slot, say); unpinned, it follows its predecessors"


class DependencyRow(QWidget):
    """One predecessor and its lag in working days, with a button that removes the row."""

    removed = Signal(object)

    def __init__(self, choices: Sequence[tuple[str, str]], link: Link | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.predecessor = QComboBox()
        self.predecessor.setAccessibleName("Predecessor")
        for key, name in choices:
            self.predecessor.addItem(name, key)
        self.lag = QSpinBox()
        self.lag.setRange(0, MAX_LAG)
        self.lag.setPrefix("+")
        self.lag.setSuffix(" d")
        self.lag.setAccessibleName("Lag in working days")
        self.lag.setToolTip("Working days between the predecessor's finish and this task's start")
        remove = QToolButton()
        remove.setText("✕")
        remove.setAccessibleName("Remove this dependency")
        remove.setToolTip("Remove this dependency")
        remove.clicked.connect(lambda: self.removed.emit(self))
        layout.addWidget(self.predecessor, 1)
        layout.addWidget(self.lag)
        layout.addWidget(remove)
        if link is not None:
            index = self.predecessor.findData(link.predecessor)
            self.predecessor.setCurrentIndex(max(index, 0))
            self.lag.setValue(link.lag)

    def link(self) -> Link | None:
        """Return the dependency as chosen (None when there is nothing to choose from)."""
        key = self.predecessor.currentData()
        return Link(key, self.lag.value()) if key else None


class TaskPanel(QGroupBox):
    """Edits one task; `edited` carries the new TaskSpec when the user applies (the page makes the change)."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Task", parent)
        self.task: ScheduledTask | None = None
        self._choices: list[tuple[str, str]] = []
        self.rows: list[DependencyRow] = []
        outer = QVBoxLayout(self)
        self.hint = plain_label("Select a task in the list or the chart to edit it.")
        outer.addWidget(self.hint)
        self.form_widget = QWidget()
        form = QFormLayout(self.form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        self.step = plain_label()
        self.dates = plain_label()
        self.name = QLineEdit()
        self.name.setAccessibleName("Task name")
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DAYS)
        self.duration.setSuffix(" working days")
        self.duration.setAccessibleName("Duration in working days")
        self.duration.setToolTip("0 makes the task a one-day milestone")
        self.dependencies = QVBoxLayout()
        self.dependencies.setContentsMargins(0, 0, 0, 0)
        dependency_box = QWidget()
        dependency_layout = QVBoxLayout(dependency_box)
        dependency_layout.setContentsMargins(0, 0, 0, 0)
        dependency_layout.addLayout(self.dependencies)
        self.add_dependency_button = QPushButton("Add dependency")
        self.add_dependency_button.clicked.connect(lambda: self._add_row(None))
        dependency_layout.addWidget(self.add_dependency_button)
        self.pinned = OptionalDateEdit("")
        self.pinned.set_accessible_name("Pinned start")
        self.pinned.setToolTip(PINNED_HINT)
        self.actual_start = OptionalDateEdit("")
        self.actual_start.set_accessible_name("Actual start")
        self.actual_finish = OptionalDateEdit("")
        self.actual_finish.set_accessible_name("Actual finish")
        self.percent = QSpinBox()
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.percent.setAccessibleName("Percent complete")
        form.addRow(self.step)
        form.addRow(self.dates)
        form.addRow("&Name", self.name)
        form.addRow("&Length", self.duration)
        form.addRow("After", dependency_box)
        form.addRow("Pinned", self.pinned)
        form.addRow("Started", self.actual_start)
        form.addRow("Finished", self.actual_finish)
        form.addRow("&Complete", self.percent)
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.clicked.connect(self.revert)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setToolTip("Apply the changes to the plan (Ctrl+Return)")
        self.apply_button.clicked.connect(self.apply)
        form.addRow(packed_row(self.revert_button, self.apply_button, right=True))
        outer.addWidget(self.form_widget)
        outer.addStretch(1)
        self.name.returnPressed.connect(self.apply)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.apply, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.show_task(None, [])

    def show_task(self, task: ScheduledTask | None, tasks: Sequence[ScheduledTask]) -> None:
        """Edit this task (or show the hint when none is selected); `tasks` are the plan's, for predecessors."""
        self.task = task
        self._choices = [(t.key, t.name) for t in tasks if task is None or t.key != task.key]
        self.hint.setVisible(task is None)
        self.form_widget.setVisible(task is not None)
        self._fill()

    def keep_typing(self, task: ScheduledTask, tasks: Sequence[ScheduledTask]) -> None:
        """Take a fresh reading of the task being edited without touching what the user typed."""
        self.task = task
        self._choices = [(t.key, t.name) for t in tasks if t.key != task.key]

    def revert(self) -> None:
        """Show the task's stored fields again, dropping what was typed."""
        self._fill()

    def _fill(self) -> None:
        task = self.task
        for row in list(self.rows):
            self._remove_row(row)
        if task is None:
            return
        spec = task.spec
        self.step.setText(step_title(spec.step))
        when = shown_date(task.start) if task.milestone else \
            f"{shown_date(task.start)} – {shown_date(task.end)}"
        self.dates.setText(f"{when}  ·  " + ("critical" if task.critical else "done" if spec.done else
                                             f"slack {task.slack} working days"))
        self.name.setText(spec.name)
        self.name.setCursorPosition(0)
        self.duration.setValue(spec.duration)
        spans = spec.fixed_end is not None
        self.duration.setEnabled(not spans)
        self.duration.setToolTip("The task spans its pinned dates" if spans else "0 makes the task a one-day milestone")
        for link in spec.depends_on:
            self._add_row(link)
        self.pinned.set_date(spec.fixed_start)
        self.actual_start.set_date(spec.actual_start)
        self.actual_finish.set_date(spec.actual_finish)
        self.percent.setValue(spec.percent_complete)

    def _add_row(self, link: Link | None) -> None:
        row = DependencyRow(self._choices, link)
        row.removed.connect(self._remove_row)
        self.rows.append(row)
        self.dependencies.addWidget(row)

    def _remove_row(self, row: DependencyRow) -> None:
        self.rows.remove(row)
        self.dependencies.removeWidget(row)
        row.deleteLater()

    def spec(self) -> TaskSpec | None:
        """Return the task as edited, or None when no task is shown."""
        if self.task is None:
            return None
        old = self.task.spec
        links: dict[str, Link] = {}
        for row in self.rows:
            link = row.link()
            if link is not None:
                links.setdefault(link.predecessor, link)
        pinned = self.pinned.date()
        fixed_end = old.fixed_end
        if old.fixed_start is not None and fixed_end is not None:  # a pinned span moves whole, or unpins whole
            fixed_end = None if pinned is None else fixed_end + (pinned - old.fixed_start)
        return replace(old, name=self.name.text().strip(), duration=self.duration.value(),
                       depends_on=tuple(links.values()), fixed_start=pinned, fixed_end=fixed_end,
                       actual_start=self.actual_start.date(), actual_finish=self.actual_finish.date(),
                       percent_complete=self.percent.value())

    def apply(self) -> None:
        """Hand the edited task to the page, when anything changed."""
        spec = self.spec()
        if spec is not None and self.task is not None and spec != self.task.spec:
            self.edited.emit(spec)
