"""The Timeline page: the plan as a Gantt chart beside its task list, with templates, zoom, baseline and exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import WorkbenchError
from workbench.domain.schedule import TaskSpec
from workbench.services import plan as service
from workbench.services.changes import Touched
from workbench.services.plan_exports import export_ics, export_plan_pdf, export_plan_xlsx
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.dates import date_format
from workbench.ui.flow_layout import FlowLayout
from workbench.ui.labels import plain_label
from workbench.ui.layouts import strip
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.gantt_rows import HEADER_HEIGHT, KEY_ROLE, ROW_HEIGHT, PlanListModel, Zoom, gantt_rows
from workbench.ui.pages.gantt_scene import GanttLegend, GanttScene, GanttView, render_image
from workbench.ui.pages.holidays_dialog import HolidaysDialog
from workbench.ui.pages.task_panel import TaskPanel
from workbench.ui.palette import text_style
from workbench.ui.pending_edits import FormEdit
from workbench.ui.undo import EditCommand

DAYS_PER_MONTH = 365.25 / 12
EMPTY_TEXT = (
    "This project has no plan yet. A plan turns the six steps into a schedule you can trust and move: "
    "planning, the readiness assessment, remediation, policies and evidence, the observation window, the "
    "auditor's fieldwork and the report, with the CPA firm's milestones and the dependencies between them. "
    "Choose a template (or keep the one suggested for this project) and generate a plan; then drag bars to "
    "move or stretch tasks, and watch what depends on them follow."
)


# kind -> (menu text, file dialog filter, file suffix)
EXPORTS: dict[str, tuple[str, str, str]] = {
    "ics": ("Calendar of milestones and deadlines (ICS)…", "Calendar files (*.ics)", ".ics"),
    "xlsx": ("Task table (xlsx)…", "Excel workbooks (*.xlsx)", ".xlsx"),
    "pdf": ("Printable timeline (PDF)…", "PDF documents (*.pdf)", ".pdf"),
    "png": ("Image for slides (PNG)…", "PNG images (*.png)", ".png"),
}
EXPORTERS: dict[str, Callable[[OpenProject, Path], Path]] = {
    "ics": export_ics,
    "xlsx": export_plan_xlsx,
    "pdf": export_plan_pdf,
}


class StartDateDialog(QDialog):
    """Asks on which day a newly generated plan starts (suggested: today, or earlier when the period forces it)."""

    def __init__(self, start: date, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Generate plan")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("The new plan replaces the current one (Edit > Undo brings it back). "
                                     "The observation window stays on the audit period when one is set."))
        if today is not None and start < today:
            layout.addWidget(plain_label(
                f"The audit period begins too soon to prepare from today, even squeezed: the suggested start is "
                f"{format_date(start)}, and the timeline will list the tasks already late."))
        form = QFormLayout()
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(date_format())
        self.start.setAccessibleName("Plan start")
        form.addRow("&Start on", self.start)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Generate")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def start_date(self) -> date:
        """Return the day chosen."""
        picked = self.start.date()
        return date(picked.year(), picked.month(), picked.day())


def plan_summary(data: service.PlanView) -> str:
    """Return the one-line summary of a plan: its span, tasks, observation window and slippage."""
    plan = data.schedule
    assert plan is not None
    months = ((plan.end - plan.start).days + 1) / DAYS_PER_MONTH
    critical = sum(1 for t in plan.tasks if t.critical)
    parts = [f"{format_date(plan.start)} – {format_date(plan.end)}, {months:.1f} months",
             f"{len(plan.tasks)} tasks, {critical} critical"]
    if data.observation is not None:
        parts.append(f"observation window {format_date(data.observation[0])} – {format_date(data.observation[1])}")
    if data.baseline:
        late = sum(1 for days in plan.slippage(data.baseline).values() if days > 0)
        parts.append(f"baseline saved, {late} task{'s' if late != 1 else ''} finishing later")
    return "  ·  ".join(parts)


def late_note(data: service.PlanView) -> str:
    """Return what the plan has already late today, naming the first few tasks ("" when nothing is)."""
    late = data.late
    if not late:
        return ""
    named = ", ".join(t.name for t in late[:3]) + (f" and {len(late) - 3} more" if len(late) > 3 else "")
    return (f"Already late on {format_date(data.today)}: {len(late)} task{'s' if len(late) != 1 else ''} should "
            f"have started or finished before today ({named}). Record what is done in the task panel, or move "
            "the rest.")


class TimelinePage(ProjectPage):
    """The plan from scope to report: drag bars to move or stretch tasks; every change is undoable."""

    name = "timeline"
    title = "Timeline"
    shows = Touched.PLAN | Touched.SETTINGS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: service.PlanView | None = None
        self.zoom = Zoom.MONTHS
        self.dialog: QDialog | None = None
        self.last_export: Path | None = None
        self._shown_template: str | None = None
        self._syncing = False
        self._placed = False  # the chart has been scrolled to the plan once
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(plain_label("Timeline", bold=True, scale=1.5))
        self.summary = plain_label()
        self.summary.setObjectName("timelineSummary")
        layout.addWidget(self.summary)
        self.late = plain_label()
        self.late.setObjectName("timelineLate")
        self.late.setStyleSheet(text_style(AssessmentStatus.GAP, self.palette()))
        self.late.hide()
        layout.addWidget(self.late)
        layout.addLayout(self._toolbar())
        self.status = plain_label()
        self.status.hide()
        layout.addWidget(self.status)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._empty_state())
        self.stack.addWidget(self._gantt())
        layout.addWidget(self.stack, 1)
        self.task_form = context.edits.watch(FormEdit(
            title=lambda: f"the task {self.panel.task.name if self.panel.task else ''}".strip(),
            read=self.panel.spec, stored=lambda: self.panel.task.spec if self.panel.task else None,
            submit=self.edit_task, show=self.panel.revert,
            problem=lambda spec: service.task_refusal(spec) if spec is not None else ""), self.panel)

    # -- building ---------------------------------------------------------------------------------------

    def _toolbar(self) -> FlowLayout:
        """The plan's controls in three groups side by side, wrapping onto a second line in a narrow window."""
        plan_group, plan = strip()
        zoom_group, zoom_row = strip()
        baseline_group, baseline = strip()
        row = FlowLayout()
        row.add_widgets(plan_group, zoom_group)
        row.pack_right()
        row.addWidget(baseline_group)
        self.template = QComboBox()
        self.template.setAccessibleName("Plan template")
        self.template.addItem("Suggested for this project", None)
        for key, label in service.TEMPLATES.items():
            self.template.addItem(label, key)
        self.generate_button = QPushButton("&Generate plan…")
        self.generate_button.setToolTip("Replace the plan with a fresh one from the chosen template")
        self.generate_button.clicked.connect(self.generate)
        plan.addWidget(plain_label("Template", wrap=False))
        plan.addWidget(self.template)
        plan.addWidget(self.generate_button)
        self.holidays_button = QPushButton("&Holidays…")
        self.holidays_button.setToolTip("Days nobody works on the plan besides weekends; tasks skip them")
        self.holidays_button.clicked.connect(self.edit_holidays)
        plan.addWidget(self.holidays_button)
        zoom_row.addSpacing(10)
        self.zoom_group = QButtonGroup(self)
        self.zoom_buttons: dict[Zoom, QToolButton] = {}
        for zoom in Zoom:
            button = QToolButton()
            button.setText(zoom.value)
            button.setCheckable(True)
            button.setChecked(zoom is self.zoom)
            button.setAccessibleName(f"Zoom to {zoom.value.lower()}")
            button.setToolTip(f"Zoom to {zoom.value.lower()} (Ctrl++ and Ctrl+- step through them)")
            button.clicked.connect(lambda _checked=False, z=zoom: self.set_zoom(z))
            self.zoom_group.addButton(button)
            self.zoom_buttons[zoom] = button
            zoom_row.addWidget(button)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._step_zoom(-1),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._step_zoom(1),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.baseline_button = QPushButton("Save &baseline")
        self.baseline_button.setToolTip("Keep today's dates to measure slippage against (drawn as thin grey bars)")
        self.baseline_button.clicked.connect(self.save_baseline)
        baseline.addWidget(self.baseline_button)
        self.clear_baseline_button = QPushButton("C&lear baseline")
        self.clear_baseline_button.setToolTip("Forget the saved baseline (Edit > Undo brings it back)")
        self.clear_baseline_button.clicked.connect(self.clear_baseline)
        self.clear_baseline_button.setEnabled(False)
        baseline.addWidget(self.clear_baseline_button)
        self.export_button = QToolButton()
        self.export_button.setText("E&xport")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for kind, (text, _filter, _suffix) in EXPORTS.items():
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.export(k))
            self.export_actions[kind] = action
        self.export_button.setMenu(menu)
        baseline.addWidget(self.export_button)
        return row

    def _empty_state(self) -> QWidget:
        self.empty_widget = QWidget()
        layout = QVBoxLayout(self.empty_widget)
        layout.addStretch(1)
        layout.addWidget(plain_label("No plan yet", bold=True, scale=1.3), 0, Qt.AlignmentFlag.AlignHCenter)
        text = plain_label(EMPTY_TEXT)
        text.setMaximumWidth(620)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.empty_generate_button = QPushButton("Generate plan…")
        self.empty_generate_button.clicked.connect(self.generate)
        layout.addWidget(self.empty_generate_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return self.empty_widget

    def _gantt(self) -> QWidget:
        self.gantt_widget = QWidget()
        layout = QVBoxLayout(self.gantt_widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = PlanListModel()
        self.list_view = QTableView()
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName("Plan tasks")
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setWordWrap(False)
        self.list_view.setShowGrid(False)
        # The list and the chart scroll as one: same row height, same header height, scroll bars in step.
        self.list_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        rows = self.list_view.verticalHeader()
        rows.hide()
        rows.setMinimumSectionSize(ROW_HEIGHT)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.list_view.horizontalHeader()
        header.setFixedHeight(HEADER_HEIGHT)
        header.setSectionResizeMode(PlanListModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (PlanListModel.START, PlanListModel.END, PlanListModel.SLACK):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.scene = GanttScene(self)
        self.chart = GanttView(self.scene)
        self.panel = TaskPanel()
        self.panel.setMinimumWidth(270)
        self.panel.setMaximumWidth(360)
        self.panel.hide()  # shown while a task is selected
        self.splitter.addWidget(self.list_view)
        self.splitter.addWidget(self.chart)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([380, 700, 280])
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(GanttLegend())
        list_bar, chart_bar = self.list_view.verticalScrollBar(), self.chart.verticalScrollBar()
        list_bar.valueChanged.connect(chart_bar.setValue)
        chart_bar.valueChanged.connect(list_bar.setValue)
        self.list_view.selectionModel().selectionChanged.connect(lambda *_: self._list_selected())
        self.scene.selectionChanged.connect(self._chart_selected)
        self.scene.move_requested.connect(self.move_task)
        self.scene.resize_requested.connect(self.resize_task)
        self.panel.edited.connect(lambda _spec: self.task_form.commit())
        QShortcut(QKeySequence.StandardKey.Cancel, self.gantt_widget, lambda: self.select_task(None),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return self.gantt_widget

    # -- loading ----------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> service.PlanView:
        """Read the plan, scheduled, with its observation window and baseline."""
        return service.plan_view(project, self.context.today())

    def show_data(self, data: service.PlanView) -> None:
        """Show the plan (or the empty state), keeping the selection and the scroll position."""
        self.data = data
        if data.template != self._shown_template:
            self._shown_template = data.template
            self.template.setCurrentIndex(max(0, self.template.findData(data.template)))
        plan = data.schedule
        has_plan = plan is not None and bool(plan.tasks)
        for widget in (*self.zoom_buttons.values(), self.baseline_button, self.export_button):
            widget.setEnabled(has_plan)
        self.baseline_button.setText("Replace &baseline" if data.baseline else "Save &baseline")
        self.clear_baseline_button.setEnabled(bool(data.baseline))
        count = len(data.holidays)
        self.holidays_button.setText(f"&Holidays ({count})…" if count else "&Holidays…")
        self.late.setText(late_note(data))
        self.late.setVisible(bool(self.late.text()))
        if not has_plan:
            self.stack.setCurrentWidget(self.empty_widget)
            self.summary.setText("No plan yet.")
            self.model.set_rows([])
            self.scene.show_plan(data, [], self.zoom)
            self.panel.show_task(None, [])
            self._placed = False
            return
        self.stack.setCurrentWidget(self.gantt_widget)
        self.summary.setText(plan_summary(data))
        self._draw()

    def _draw(self) -> None:
        """Redraw the list and the chart from the data shown, at the current zoom."""
        data = self.data
        if data is None or data.schedule is None:
            return
        selected = self.selected_key()
        scale = self.scene.time_scale
        left_day = scale.day_at(self.chart.horizontalScrollBar().value()) if scale and self._placed else None
        top = self.chart.verticalScrollBar().value()
        rows = gantt_rows(data.schedule)
        self._syncing = True
        self.model.set_rows(rows)
        self.list_view.clearSpans()
        for index, row in enumerate(rows):
            if row.task is None:
                self.list_view.setSpan(index, 0, 1, len(PlanListModel.HEADERS))
        self.scene.show_plan(data, rows, self.zoom)
        self._syncing = False
        if left_day is not None:
            self.chart.horizontalScrollBar().setValue(int(self.scene.time_scale.x(left_day)))
        else:
            self.chart.horizontalScrollBar().setValue(0)
            self._placed = True
        self.chart.verticalScrollBar().setValue(top)
        self.select_task(selected)

    # -- selection --------------------------------------------------------------------------------------

    def selected_key(self) -> str | None:
        """Return the key of the selected task, if any."""
        rows = self.list_view.selectionModel().selectedRows()
        return (rows[0].data(KEY_ROLE) or None) if rows else None

    def select_task(self, key: str | None) -> None:
        """Select a task in the list and the chart, and show it in the side panel."""
        row = self.model.row_of(key) if key else None
        if row is None:
            self.list_view.clearSelection()
        else:
            index = self.model.index(row, 0)
            self.list_view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                   | QItemSelectionModel.SelectionFlag.Rows)
            self.list_view.scrollTo(index)
        self._list_selected()

    def _list_selected(self) -> None:
        if self._syncing:
            return
        key = self.selected_key()
        shown = self.panel.task
        if shown is not None and shown.key != key and not self.context.edits.leave(self.task_form):
            self.select_task(shown.key)  # keep editing the task in the panel
            return
        self._syncing = True
        self.scene.select_task(key)
        self._syncing = False
        plan = self.data.schedule if self.data else None
        task = plan.task(key) if plan is not None and key else None
        if task is not None and shown is not None and task.key == shown.key and self.task_form.pending():
            self.panel.keep_typing(task, plan.tasks if plan is not None else [])  # a reload while typing
        elif task is None or self.panel.task != task:
            self.panel.show_task(task, plan.tasks if plan is not None else [])
        self.panel.setVisible(task is not None)
        if key:  # once the panel has taken its room from the chart
            QTimer.singleShot(0, lambda: self._reveal(key))

    def _reveal(self, key: str) -> None:
        item = self.scene.items_by_key.get(key)
        if item is not None:
            self.chart.ensureVisible(item.sceneBoundingRect(), 40, HEADER_HEIGHT + 10)

    def _chart_selected(self) -> None:
        if self._syncing:
            return
        key = self.scene.selected_key()
        if key is not None and key != self.selected_key():
            self.select_task(key)

    # -- zoom -------------------------------------------------------------------------------------------

    def set_zoom(self, zoom: Zoom) -> None:
        """Show weeks, months or quarters, keeping the same day at the left edge."""
        self.zoom_buttons[zoom].setChecked(True)
        if zoom is self.zoom:
            return
        self.zoom = zoom
        self._draw()

    def _step_zoom(self, direction: int) -> None:
        zooms = list(Zoom)
        index = min(max(zooms.index(self.zoom) + direction, 0), len(zooms) - 1)
        self.set_zoom(zooms[index])

    # -- edits ------------------------------------------------------------------------------------------

    def _spec(self, key: str) -> TaskSpec:
        assert self.data is not None and self.data.schedule is not None
        return self.data.schedule.task(key).spec

    def _snap_back(self, key: str) -> None:
        item = self.scene.items_by_key.get(key)
        if item is not None:
            item.snap_back()

    def move_task(self, key: str, new_start: date) -> None:
        """Move a task to start on new_start (undoable); a refused move puts its bar back."""
        self.context.apply(EditCommand(f"Move {self._spec(key).name}", partial(
            service.move_task, key=key, new_start=new_start)), on_failure=lambda _message: self._snap_back(key))

    def resize_task(self, key: str, duration: int) -> None:
        """Give a task a new length in working days (undoable); a refused change puts its bar back."""
        self.context.apply(EditCommand(f"Change duration of {self._spec(key).name}", partial(
            service.resize_task, key=key, duration=duration)), on_failure=lambda _message: self._snap_back(key))

    def edit_task(self, spec: TaskSpec) -> None:
        """Store the side panel's edit of a task (undoable)."""
        self.context.apply(EditCommand(f"Edit {self._spec(spec.key).name}", partial(service.update_task, spec=spec)),
                           on_failure=lambda _message: self.task_form.refused())

    def generate(self) -> None:
        """Ask for the start day, then replace the plan with one from the chosen template (undoable)."""
        if self.data is None:
            return
        today = self.context.today()
        dialog = StartDateDialog(self.data.suggested_start or today, self, today)
        self.dialog = dialog

        def accepted() -> None:
            self.generate_plan(dialog.start_date())

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def generate_plan(self, start: date) -> None:
        """Replace the plan with a fresh one from the chosen template, starting on start (undoable)."""
        if self.data is None:
            return
        self._placed = False
        self.context.apply(EditCommand("Generate plan", partial(
            service.generate_plan, template=self.template.currentData(), start=start)))

    def edit_holidays(self) -> None:
        """Ask for the plan's holidays, then store them and reschedule (undoable)."""
        if self.data is None:
            return
        dialog = HolidaysDialog(self.data.holidays, self)
        self.dialog = dialog

        def accepted() -> None:
            self.context.apply(EditCommand("Set holidays", partial(
                service.set_holidays, days=dialog.days(), refit=dialog.refit.isChecked())))

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def save_baseline(self) -> None:
        """Keep the current dates as the baseline (replacing any saved one); undo puts the previous one back."""
        if self.data is not None:
            label = "Replace baseline" if self.data.baseline else "Save baseline"
            self.context.apply(EditCommand(label, service.set_baseline))

    def clear_baseline(self) -> None:
        """Forget the saved baseline (undoable)."""
        if self.data is not None and self.data.baseline:
            self.context.apply(EditCommand("Clear baseline", service.clear_baseline))

    # -- exports ----------------------------------------------------------------------------------------

    def export(self, kind: str, path: Path | None = None) -> None:
        """Write the plan as a calendar, a task table, a printable PDF or an image (asks where when no path)."""
        project = self.context.project
        if project is None or self.data is None or self.data.schedule is None:
            return
        text, file_filter, suffix = EXPORTS[kind]
        if path is None:
            folder = project.path.parent if isinstance(project.path, Path) else Path.home()  # a server: no folder
            default = folder / f"{project.path.stem} plan{suffix}"
            chosen, _ = QFileDialog.getSaveFileName(self, text.rstrip("…"), str(default), file_filter)
            if not chosen:
                return
            path = Path(chosen)

        def exported(written: Any) -> None:
            self.last_export = Path(written)
            self.status.setText(f"Saved {self.last_export}")
            self.status.show()

        if kind == "png":
            settings = self.data.settings
            image = render_image(self.scene, f"{settings.organization} · {settings.system_name}".strip(" ·"))
            if not image.save(str(path), "PNG"):
                self.context.fail("Export the plan", WorkbenchError(f"image {path}", "could not be written there"))
                return
            exported(path)
            return
        exporter = EXPORTERS[kind]
        target = path
        self.context.operations.run(lambda _operation: exporter(project, target), exported,
                                    lambda exc, trace: self.context.fail("Export the plan", exc, trace),
                                    label=f"Exporting {target.name}", parent=self.context.window)
