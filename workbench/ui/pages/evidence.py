"""Step 4, Collect evidence: files per control, their details and previews, and the Type II evidence calendar."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Control, Evidence
from workbench.domain.enums import ReportType
from workbench.domain.period import project_period
from workbench.services import evidence as evidence_service
from workbench.services.changes import Touched
from workbench.services.evidence import Cancelled, EvidenceEdit, EvidenceMeta, EvidenceOverview
from workbench.services.period import demand
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.labels import plain_label as _plain
from workbench.ui.layouts import labelled_row, pane, size_by_current_tab
from workbench.ui.operations import OperationContext
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.evidence_calendar_view import CalendarGrid, EvidenceCalendarView, build_grid
from workbench.ui.pages.evidence_dialog import EvidenceDetailsDialog
from workbench.ui.pages.evidence_empty import EvidenceEmptyState
from workbench.ui.pages.evidence_model import (
    SORT_ROLE,
    ControlsFilter,
    ControlsModel,
    EvidenceModel,
    format_date,
    format_period,
    format_size,
    period_mark,
)
from workbench.ui.pages.evidence_preview import EvidencePreviewWidget, PreparedPreview, prepare
from workbench.ui.pages.type2_models import Type2Data, fetch_type2
from workbench.ui.pages.type2_tab import Type2Tab
from workbench.ui.tables import ColumnFit, row_table
from workbench.ui.undo import EditCommand, LongEditCommand


def _table(model: Any, name: str, *, sortable: bool) -> QTableView:
    view = row_table(model, name, wrap=False, row_numbers=False)
    view.setSortingEnabled(sortable)
    return view


class EvidencePage(ProjectPage):
    """Evidence per control: add (dialog or drag and drop), edit, remove, preview, save a copy, open; the calendar."""

    name = "evidence"
    title = "Collect evidence"
    shows = Touched.EVIDENCE | Touched.CONTROLS | Touched.SETTINGS | Touched.POPULATIONS | Touched.SAMPLES

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAcceptDrops(True)
        self.overview: EvidenceOverview | None = None
        self.details_dialog: EvidenceDetailsDialog | None = None
        self._selected_ref: str | None = None
        self._selected_evidence: int | None = None
        self._preview_for: int | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        heading = _plain("4  Collect evidence")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        heading.setFont(font)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        self.export_button = QPushButton("E&xport for the auditor…")
        self.export_button.setObjectName("evidenceExport")
        self.export_button.setToolTip("Write the evidence package, the workbook or the binder for the CPA firm "
                                      "(Ctrl+E)")
        self.export_button.clicked.connect(context.export_requested)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)
        self.subtitle = _plain(
            "Attach the files that show each control operating: policies, logs, screenshots, configuration "
            "exports, reviews. Drop files on this page to add them to the selected control.")
        layout.addWidget(self.subtitle)
        self.message = _plain()
        self.message.setObjectName("evidenceMessage")
        layout.addWidget(self.message)

        self.empty = EvidenceEmptyState()  # instead of the tabs while the project has no controls
        self.empty.controls_requested.connect(lambda: context.page_requested.emit("controls"))
        self.empty.hide()
        layout.addWidget(self.empty, 1)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_evidence_tab(), "&Evidence")
        self.calendar = EvidenceCalendarView()
        self.calendar.control_requested.connect(self.show_control)
        self.calendar_note = _plain()
        calendar_tab = QWidget()
        calendar_layout = QVBoxLayout(calendar_tab)
        calendar_layout.addWidget(self.calendar_note)
        calendar_layout.addWidget(self.calendar, 1)
        self.calendar_index = self.tabs.addTab(calendar_tab, "Evidence &calendar")
        self.type2 = Type2Tab(context)
        self.type2.control_requested.connect(self.show_control)
        self.type2_index = self.tabs.addTab(self.type2, "&Type II")
        size_by_current_tab(self.tabs)
        self._update_buttons()

    # -- building ---------------------------------------------------------------------------------------

    def _build_evidence_tab(self) -> QWidget:
        tab = QWidget()
        outer = QHBoxLayout(tab)
        splitter = QSplitter()
        outer.addWidget(splitter)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search controls")
        self.search.setAccessibleName("Search controls")
        self.search.setClearButtonEnabled(True)
        self.without_evidence = QCheckBox("Only controls &without evidence")
        self.controls_model = ControlsModel()
        self.controls_filter = ControlsFilter()
        self.controls_filter.setSourceModel(self.controls_model)
        self.controls = _table(self.controls_filter, "Controls", sortable=False)
        self.controls.setObjectName("evidenceControls")
        # Controls arrive ordered by reference; fixed widths and no re-sorting keep 2,000 controls quick to show.
        header = self.controls.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ControlsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.controls.setColumnWidth(ControlsModel.REF, 70)
        self.controls.setColumnWidth(ControlsModel.COUNT, 70)
        self.controls.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.search.textChanged.connect(self.controls_filter.set_search)
        self.without_evidence.toggled.connect(self.controls_filter.set_without_evidence)
        self.controls.selectionModel().currentRowChanged.connect(self._control_changed)
        self.controls_count = _plain()
        splitter.addWidget(pane(self.search, self.without_evidence, self.controls, self.controls_count)[0])

        self.control_heading = _plain(bold=True, scale=1.2)
        self.control_demand = _plain()
        right, right_layout = pane(self.control_heading, self.control_demand)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add files…")
        self.add_button.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.add_button.setToolTip("Add files as evidence of the selected control (Ctrl+Shift+A); or drop them here")
        self.edit_button = QPushButton("E&dit…")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip("Remove the selected evidence (Delete); Edit > Undo puts it back")
        self.save_button = QPushButton("&Save a copy…")
        self.open_button = QPushButton("&Open")
        for button in (self.add_button, self.edit_button, self.remove_button, self.save_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_files)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button.clicked.connect(self.save_copy)
        self.open_button.clicked.connect(self.open_selected)

        self.evidence_model = EvidenceModel()
        self.evidence_sorted = QSortFilterProxyModel()
        self.evidence_sorted.setSortRole(SORT_ROLE)
        self.evidence_sorted.setSourceModel(self.evidence_model)
        self.evidence = _table(self.evidence_sorted, "Evidence of the selected control", sortable=True)
        self.evidence.sortByColumn(EvidenceModel.COLLECTED, Qt.SortOrder.AscendingOrder)
        self.evidence.setObjectName("evidenceTable")
        self.evidence_columns = ColumnFit(self.evidence, EvidenceModel.TITLE, {
            EvidenceModel.FILE: (100, 170), EvidenceModel.COLLECTED: (85, 85), EvidenceModel.PERIOD: (100, 150),
            EvidenceModel.IN_PERIOD: (90, 105), EvidenceModel.SOURCE: (90, 130), EvidenceModel.SIZE: (65, 65),
            EvidenceModel.SHA256: (90, 130)}, 200)
        self.evidence.selectionModel().currentRowChanged.connect(self._evidence_changed)
        self.evidence.doubleClicked.connect(lambda _index: self.edit_selected())
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.evidence)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)

        lower = QSplitter()
        details = QWidget()
        form = QFormLayout(details)
        form.setContentsMargins(0, 0, 0, 0)
        self.detail_title = _plain(selectable=True)
        self.detail_file = _plain(selectable=True)
        self.detail_collected = _plain()
        self.detail_period = _plain()
        self.detail_source = _plain(selectable=True)
        self.detail_size = _plain()
        self.detail_sha = QLineEdit()
        self.detail_sha.setReadOnly(True)
        self.detail_sha.setObjectName("evidenceSha256")
        self.detail_sha.setAccessibleName("SHA-256")
        self.detail_sha.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail_sha.setFrame(False)
        self.detail_sha.setToolTip("The SHA-256 of the stored bytes; it is checked again whenever a copy is written")
        self.detail_notes = _plain(selectable=True)
        for label, widget in (("Title", self.detail_title), ("File", self.detail_file),
                              ("Collected", self.detail_collected), ("Period covered", self.detail_period),
                              ("Source", self.detail_source), ("Size", self.detail_size),
                              ("Notes", self.detail_notes)):
            form.addRow(label, widget)
        self.preview = EvidencePreviewWidget()
        lower.addWidget(details)
        lower.addWidget(self.preview)
        lower.setSizes([380, 420])

        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 4, 0, 0)
        below_layout.addLayout(labelled_row("SHA-256", self.detail_sha))
        below_layout.addWidget(lower, 1)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(self.evidence)
        vertical.addWidget(below)
        vertical.setSizes([160, 420])
        right_layout.addWidget(vertical, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 900])
        self.setTabOrder(self.search, self.without_evidence)
        self.setTabOrder(self.without_evidence, self.controls)
        self.setTabOrder(self.controls, self.add_button)
        return tab

    # -- loading ----------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> tuple[EvidenceOverview, CalendarGrid | None, Type2Data]:
        """Read the controls, their evidence, the calendar laid out as a grid, and the Type II tests (worker)."""
        overview = evidence_service.evidence_overview(project)
        today = self.context.today()
        type2 = fetch_type2(project, today)
        grid = None
        if type2.period is not None and overview.settings.report_type is ReportType.TYPE2:
            grid = build_grid(type2.period, type2.controls, type2.populations, today)
        return overview, grid, type2

    def show_data(self, data: tuple[EvidenceOverview, CalendarGrid | None, Type2Data]) -> None:
        """Fill the controls list, the selected control's evidence, the calendar and the Type II tab."""
        overview, grid, type2 = data
        self.type2.set_data(type2)
        self.overview = overview
        keep_ref, keep_evidence = self._selected_ref, self._selected_evidence
        self.controls_model.set_rows([(c, overview.counts.get(c.ref, 0)) for c in overview.controls])
        self.evidence_model.set_period(project_period(overview.settings))
        self.empty.setVisible(not overview.controls)
        self.tabs.setVisible(bool(overview.controls))
        without = sum(1 for c in overview.controls if not overview.counts.get(c.ref))
        self.controls_count.setText(f"{len(overview.controls)} controls, {len(overview.evidence)} evidence items; "
                                    f"{without} controls without evidence")
        if grid is None:
            self.calendar_note.setText(
                "The evidence calendar is for Type II reports with an audit period: it lays out the occurrences "
                "each control's frequency demands over the observation window. This project is a "
                f"{overview.settings.report_type.label} report" + ("" if overview.settings.period_end else
                                                                " without an audit period") + ".")
            self.calendar_note.setVisible(True)
            self.calendar.setVisible(False)
        else:
            self.calendar_note.setText("")
            self.calendar_note.setVisible(False)
            self.calendar.setVisible(True)
            self.calendar.set_grid(grid)
        if keep_ref is None and overview.controls:
            keep_ref = overview.controls[0].ref
        self.select_control(keep_ref or "", keep_evidence)

    def select_control(self, ref: str, evidence_id: int | None = None) -> bool:
        """Select a control in the list (clearing filters hiding it) and, optionally, one of its evidence items."""
        row = self.controls_model.row_of(ref)
        if row < 0:
            self._selected_ref = None
            self._show_control(None)
            return False
        proxy_index = self.controls_filter.mapFromSource(self.controls_model.index(row, 0))
        if not proxy_index.isValid():
            self.search.clear()
            self.without_evidence.setChecked(False)
            proxy_index = self.controls_filter.mapFromSource(self.controls_model.index(row, 0))
        self._selected_evidence = evidence_id
        self.controls.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.controls.scrollTo(proxy_index)
        self._show_control(self.controls_model.control(row), evidence_id)
        return True

    def show_control(self, ref: str) -> None:
        """Switch to the Evidence tab with a control selected (from the calendar)."""
        self.tabs.setCurrentIndex(0)
        self.select_control(ref)
        self.controls.setFocus()

    def _control_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        control = self.controls_model.control(self.controls_filter.mapToSource(current).row())
        if control.ref != self._selected_ref:
            self._show_control(control, None)

    def _show_control(self, control: Control | None, evidence_id: int | None = None) -> None:
        self._selected_ref = control.ref if control else None
        if control is None or self.overview is None:
            self.control_heading.setText("No control selected")
            self.control_demand.setText("Add controls in step 3 first; evidence is attached to a control.")
            self.evidence_model.set_rows([])
            self._show_evidence(None)
            return
        self.control_heading.setText(f"{control.ref}  {control.title}")
        frequency = control.frequency.label if control.frequency else "no frequency set"
        owner = f"  ·  owner {control.owner}" if control.owner else ""
        self.control_demand.setText(f"{frequency}{owner}  ·  evidence needed: {demand(control)}")
        items = [e for e in self.overview.evidence if e.control_ref == control.ref]
        self.evidence_model.set_rows(items)
        if not (evidence_id is not None and self.select_evidence(evidence_id)) and items:
            self.select_evidence(self.evidence_model.evidence(
                self.evidence_sorted.mapToSource(self.evidence_sorted.index(0, 0)).row()).id)
        elif not items:
            self._show_evidence(None)

    def select_evidence(self, evidence_id: int) -> bool:
        """Select one of the shown control's evidence records by id; return False when it is not shown."""
        row = self.evidence_model.row_of(evidence_id)
        if row < 0:
            return False
        index = self.evidence_sorted.mapFromSource(self.evidence_model.index(row, 0))
        self.evidence.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show_evidence(self.evidence_model.evidence(row))
        return True

    def _evidence_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_evidence(self.evidence_model.evidence(self.evidence_sorted.mapToSource(current).row()))
        else:
            self._show_evidence(None)

    def selected_evidence(self) -> Evidence | None:
        """Return the evidence record selected on the right, or None."""
        index = self.evidence.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.evidence_model.evidence(self.evidence_sorted.mapToSource(index).row())

    def _show_evidence(self, item: Evidence | None) -> None:
        self._selected_evidence = item.id if item else None
        if item is None:
            for label in (self.detail_title, self.detail_file, self.detail_collected, self.detail_period,
                          self.detail_source, self.detail_size, self.detail_notes):
                label.setText("")
            self.detail_sha.clear()
            self._preview_for = None
            self.preview.show_message("No evidence yet: add files, or drop them on this page."
                                      if self._selected_ref else "Select a control.")
            self._update_buttons()
            return
        self.detail_title.setText(item.title)
        self.detail_file.setText(f"{item.filename}  ({item.media_type})")
        self.detail_collected.setText(format_date(item.collected_on) or "not recorded")
        mark = period_mark(self.evidence_model.period, item)
        self.detail_period.setText((format_period(item.period_start, item.period_end) or "not recorded")
                                   + (f"  ({mark})" if mark else ""))
        self.detail_source.setText(item.source)
        exact = f"{item.size:,} bytes"
        shown = format_size(item.size)
        self.detail_size.setText(shown if shown == exact or shown.endswith(" bytes") else f"{shown} ({exact})")
        self.detail_sha.setText(item.sha256)
        self.detail_sha.setCursorPosition(0)
        self.detail_notes.setText(item.notes)
        self._update_buttons()
        if self._preview_for != item.id:
            self._preview_for = item.id
            self.preview.show_message("Loading the preview…")
            evidence_id = item.id
            self.context.load(lambda project: prepare(evidence_id,
                                                      evidence_service.preview_evidence(project, evidence_id)),
                              self._show_preview)

    def _show_preview(self, prepared: PreparedPreview) -> None:
        if prepared.evidence_id == self._preview_for:
            self.preview.show_prepared(prepared)

    def _update_buttons(self) -> None:
        has_control = self._selected_ref is not None
        has_item = self._selected_evidence is not None
        self.add_button.setEnabled(has_control)
        for button in (self.edit_button, self.remove_button, self.save_button, self.open_button):
            button.setEnabled(has_item)

    # -- adding files -------------------------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for files to add to the selected control."""
        if self._selected_ref is None:
            return
        names, _ = QFileDialog.getOpenFileNames(self, f"Add evidence to {self._selected_ref}")
        if names:
            self.add_files([Path(n) for n in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept local files dragged onto the page."""
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Add the dropped files to the selected control."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def add_files(self, paths: list[Path]) -> None:
        """Ask for the details shared by the files, then add them to the selected control."""
        ref = self._selected_ref
        if ref is None:
            self.message.setText("Select a control first: evidence is attached to a control.")
            return
        names = ", ".join(p.name for p in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        dialog = EvidenceDetailsDialog(f"Add {len(paths)} file{'s' if len(paths) != 1 else ''} to {ref}: {names}",
                                       self.context.today(), self, files=len(paths))
        dialog.accepted.connect(lambda: self._ingest(ref, paths, dialog.details()))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.details_dialog = dialog
        dialog.guard(self.context.edits)
        dialog.open()

    def _forget_dialog(self, dialog: EvidenceDetailsDialog) -> None:
        if self.details_dialog is dialog:
            self.details_dialog = None
        dialog.deleteLater()

    def _ingest(self, ref: str, paths: list[Path], details: EvidenceEdit) -> None:
        meta = EvidenceMeta(ref, details.title, details.collected_on, details.period_start, details.period_end,
                            details.source, details.notes)
        files = f"{len(paths)} file{'s' if len(paths) != 1 else ''}"

        def done(added: list[Evidence] | None) -> None:
            if added is None:
                self.message.setText("Adding the files was cancelled; nothing was added.")
                return
            self.message.setText(f"Added {files} to {ref}.")
            self._selected_ref, self._selected_evidence = ref, added[-1].id if added else None

        def add(project: OpenProject, operation: OperationContext) -> Any:
            return evidence_service.add_evidence_files(project, paths, meta, operation.progress)

        self.context.apply(LongEditCommand(f"Add {files} to {ref}", add, cancelled=(Cancelled,)), on_success=done)

    # -- editing, removing ----------------------------------------------------------------------------------

    def edit_selected(self) -> None:
        """Open the details of the selected evidence for editing (undoable)."""
        item = self.selected_evidence()
        if item is None:
            return
        before = EvidenceEdit.of(item)
        dialog = EvidenceDetailsDialog(f"{item.filename} ({item.control_ref})", self.context.today(), self,
                                       current=before)
        dialog.accepted.connect(lambda: self._apply_edit(item, before, dialog.details()))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.details_dialog = dialog
        dialog.guard(self.context.edits)
        dialog.open()

    def _apply_edit(self, item: Evidence, before: EvidenceEdit, after: EvidenceEdit) -> None:
        if after == before:
            return
        # Refused if someone else changed the record since it was shown (team mode).
        self.context.apply(EditCommand(f"Edit evidence {item.title}", partial(
            evidence_service.update_evidence, evidence_id=item.id, edit=after, expected_version=item.version)))

    def remove_selected(self) -> None:
        """Remove the selected evidence record (undoable; its bytes stay in the project)."""
        item = self.selected_evidence()
        if item is None:
            return
        self._selected_evidence = None
        self.context.apply(EditCommand(f"Remove evidence {item.title}", partial(
            evidence_service.remove_evidence, evidence_id=item.id)),
            on_success=lambda _removed: self.message.setText(
                f"Removed {item.title} from {item.control_ref}; Edit > Undo puts it back."))

    # -- getting the bytes out --------------------------------------------------------------------------------

    def save_copy(self) -> None:
        """Save a copy of the selected evidence file (hash checked while writing; never overwrites)."""
        item = self.selected_evidence()
        if item is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, f"Save a copy of {item.filename}",
                                              evidence_service.safe_filename(item),
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not name:
            return
        evidence_id, destination, project = item.id, Path(name), self.context.project
        if project is None:
            return

        def work(operation: OperationContext) -> Path | None:
            try:
                return evidence_service.export_evidence(project, evidence_id, destination, operation.progress)
            except Cancelled:
                return None

        def done(path: Path | None) -> None:
            self.message.setText(f"Saved a copy to {path} (SHA-256 checked)." if path else
                                 "Saving the copy was cancelled; no file was left behind.")

        self.context.operations.run(work, done, lambda exc, trace: self.context.fail("Save a copy", exc, trace),
                                    label=f"Saving {item.filename}", parent=self.context.window)

    def open_selected(self) -> None:
        """Open a temporary, hash-checked copy of the selected evidence with the system's program for it."""
        item = self.selected_evidence()
        if item is None:
            return
        evidence_id = item.id

        def opened(path: Path) -> None:
            if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self.message.setText(f"Opened a temporary copy: {path}")
            else:
                self.message.setText(f"No program opens this kind of file; the copy is at {path}")

        project = self.context.project
        if project is None:
            return
        self.context.operations.run(lambda _op: evidence_service.export_to_temporary(project, evidence_id), opened,
                                    lambda exc, trace: self.context.fail(f"Open {item.filename}", exc, trace))
