"""The Findings page: security tools' runs (imported reports), the findings of the run picked (filtered by status and
severity), what the latest runs say of each in-scope criterion, and what changed since another run of the same tool
and scope. A failing check becomes a task; a run is filed as evidence of a control at the date its data reflects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSplitter, QTabWidget, QWidget

from workbench.domain.findings import FindingStatus
from workbench.domain.tool_runs import StoredRun
from workbench.services.changes import Touched
from workbench.services.controls import list_controls
from workbench.services.findings import (
    compare_runs,
    criteria_coverage,
    import_report,
    list_runs,
    make_task,
    run_findings,
    use_as_evidence,
)
from workbench.services.importers.spec import ImportCancelled
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.dates import shown_date
from workbench.ui.import_pages import plural
from workbench.ui.labels import plain_label
from workbench.ui.layouts import labelled_row, packed_row, pane, size_by_current_tab, split
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.file_edits import file_to_open
from workbench.ui.pages.findings_coverage import COVERAGE_COLUMNS, CoverageRow, coverage_rows
from workbench.ui.pages.findings_model import (
    DIFF_COLUMNS,
    FINDING_COLUMNS,
    RUN_COLUMNS,
    SEVERITY_CHOICES,
    STATUS_CHOICES,
    FindingsModel,
    changes,
    comparable,
)
from workbench.ui.pages.register_model import Choice, RecordsFilter
from workbench.ui.tables import row_table, selected_record
from workbench.ui.undo import EditCommand, LongEditCommand

SPLITTER_KEY = "findings/splitter"
CANCELLED = "Import cancelled; nothing was added."
REPORT_FILES = "Tool reports (*.json *.csv *.txt);;All files (*)"
EMPTY = ("No tool runs yet. Import a report a security tool wrote (Prowler CSV, OCSF or ASFF JSON, AWS Security Hub "
         "findings, the AWS IAM credential report, Steampipe or Powerpipe results, Trivy JSON) with Import a report: "
         "it is kept as evidence with the date its data reflects.")


@dataclass(frozen=True)
class FindingsData:
    """What the page shows: the runs, coverage per in-scope criterion, and the controls a run may evidence."""

    runs: tuple[StoredRun, ...]
    coverage: tuple[CoverageRow, ...]
    controls: tuple[str, ...]


def _fetch(project: OpenProject) -> FindingsData:
    runs = list_runs(project)
    return FindingsData(tuple(runs), tuple(coverage_rows(project, criteria_coverage(project), runs)),
                        tuple(c.ref for c in list_controls(project)))


def _remembered(splitter: QSplitter, settings: QSettings | None) -> None:
    """Give the splitter the sizes the user last left it at, and remember each move (with a window's settings)."""
    if settings is None:
        return
    state = settings.value(SPLITTER_KEY)
    if isinstance(state, QByteArray) and not state.isEmpty():
        splitter.restoreState(state)
    splitter.splitterMoved.connect(lambda *_args: settings.setValue(SPLITTER_KEY, splitter.saveState()))


def _combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class FindingsPage(ProjectPage):
    """Tool runs and their findings."""

    name = "findings"
    title = "Findings"
    shows = Touched.FINDINGS | Touched.EVIDENCE | Touched.CONTROLS | Touched.SETTINGS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: FindingsData | None = None
        self.wanted: int | None = None  # the run to pick once the list shows it (one just imported)
        layout = self.column("Findings", "Reports of the security tools you already run, kept as evidence: which "
                                         "checks fail, what changed since the last run, and which criteria they cover.")
        self.summary = plain_label(EMPTY)
        self.summary.setObjectName("findingsSummary")
        layout.addWidget(self.summary)
        self.runs_model = FindingsModel(RUN_COLUMNS, self)
        self.runs_view = row_table(RecordsFilter(self.runs_model), "Tool runs", sort_column=0, row_numbers=False,
                                   wrap=False)
        self.runs_view.selectionModel().selectionChanged.connect(lambda *_args: self._picked())
        # at least three runs and the header show however small the window, so the run picked is never hidden
        self.runs_view.setMinimumHeight(self.runs_view.horizontalHeader().sizeHint().height()
                                        + 3 * self.runs_view.verticalHeader().defaultSectionSize()
                                        + self.runs_view.horizontalScrollBar().sizeHint().height() + 4)
        self.import_button = QPushButton("&Import a report…")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.control = _combo("Control", [])
        self.control.currentIndexChanged.connect(lambda _index: self._enable())
        self.evidence_button = QPushButton("&Use as evidence")
        self.evidence_button.clicked.connect(lambda: self.use_as_evidence())
        self.task_button = QPushButton("Make a &task")
        self.task_button.clicked.connect(lambda: self.make_task())
        top, top_layout = pane(self.runs_view)
        buttons = packed_row(self.import_button, self.evidence_button, self.task_button)
        buttons.insertLayout(2, labelled_row("Co&ntrol", self.control))
        top_layout.addLayout(buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._findings_tab(), "&Findings")
        self.tabs.addTab(self._coverage_tab(), "C&overage")
        self.tabs.addTab(self._diff_tab(), "&Difference")
        size_by_current_tab(self.tabs)
        self.splitter = split(top, self.tabs, stretch=(1, 3), vertical=True, collapsible=False)
        _remembered(self.splitter, getattr(context.window, "settings", None))
        layout.addWidget(self.splitter, 1)
        self._picked()

    def _findings_tab(self) -> QWidget:
        self.status = _combo("Status", [("Any status", None), *((c.label, c) for c in STATUS_CHOICES)])
        self.severity = _combo("Severity", [("Any severity", None), *((c.label, c) for c in SEVERITY_CHOICES)])
        self.criterion = _combo("Criterion", [("Any criterion", None)])
        for combo in (self.status, self.severity, self.criterion):
            combo.currentIndexChanged.connect(lambda _index: self._filter())
        self.findings_model = FindingsModel(FINDING_COLUMNS, self)
        self.findings_filter = RecordsFilter(self.findings_model)
        self.findings_view = row_table(self.findings_filter, "Findings", sort_column=0, row_numbers=False, wrap=False)
        self.findings_view.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        box, box_layout = pane()
        box_layout.addLayout(packed_row(self.status, self.severity, self.criterion))
        box_layout.addWidget(self.findings_view, 1)
        return box

    def _coverage_tab(self) -> QWidget:
        self.coverage_model = FindingsModel(COVERAGE_COLUMNS, self)
        self.coverage_view = row_table(RecordsFilter(self.coverage_model), "Coverage", row_numbers=False, wrap=False)
        self.coverage_view.doubleClicked.connect(lambda _index: self.show_criterion())
        box, _layout = pane(plain_label("What the latest run of each tool and scope says of each in-scope criterion: "
                                        "automated pass, automated fail, manual only, or nothing, with the findings "
                                        "behind it. Double-click a criterion for its findings."),
                            self.coverage_view)
        return box

    def _diff_tab(self) -> QWidget:
        self.compare = _combo("Compare with", [])
        self.compare.currentIndexChanged.connect(lambda _index: self._compare())
        self.diff_note = QLabel("Pick a run, then another run of the same tool and scope to compare it with.")
        self.diff_note.setWordWrap(True)
        self.diff_model = FindingsModel(DIFF_COLUMNS, self)
        self.diff_view = row_table(RecordsFilter(self.diff_model), "Difference", row_numbers=False, wrap=False)
        box, box_layout = pane()
        box_layout.addLayout(labelled_row("Compare &with", self.compare))
        box_layout.addWidget(self.diff_note)
        box_layout.addWidget(self.diff_view, 1)
        return box

    # -- loading ------------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> FindingsData:
        """Read the runs, coverage and controls (worker thread)."""
        return _fetch(project)

    def show_data(self, data: FindingsData) -> None:
        """Fill the runs, the coverage and the control choice; keep the run picked."""
        chosen = self.selected_run()
        self.data = data
        self.runs_model.set_rows(list(data.runs))
        self.coverage_model.set_rows(list(data.coverage))
        for view in (self.runs_view, self.coverage_view):
            view.resizeColumnsToContents()
        self.control.blockSignals(True)
        self.control.clear()
        for ref in data.controls:
            self.control.addItem(ref, ref)
        self.control.blockSignals(False)
        kept = self.criterion.currentData()
        self.criterion.blockSignals(True)
        self.criterion.clear()
        self.criterion.addItem("Any criterion", None)
        for row in data.coverage:
            self.criterion.addItem(row.criterion, row.criterion)
        self.criterion.setCurrentIndex(max(self.criterion.findData(kept), 0))
        self.criterion.blockSignals(False)
        failing = sum(r.failed for r in data.runs)
        self.summary.setText(EMPTY if not data.runs else
                             f"{plural(len(data.runs), 'tool run')}, {plural(failing, 'failing finding')} in all. "
                             f"Pick a run to see its findings; filing it as evidence dates it the day its data "
                             f"reflects.")
        wanted, self.wanted = self.wanted, None
        self._select(wanted or (chosen.id if chosen is not None else (data.runs[-1].id if data.runs else None)))
        self._picked()

    def selected_run(self) -> StoredRun | None:
        """Return the run picked, if any."""
        return selected_record(self.runs_view)

    def _select(self, run_id: int | None) -> None:
        proxy = self.runs_view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data() == str(run_id):
                self.runs_view.selectRow(row)
                self.runs_view.scrollTo(proxy.index(row, 0))
                return

    def _picked(self) -> None:
        run = self.selected_run()
        self.findings_model.set_rows([])
        self.compare.blockSignals(True)
        self.compare.clear()
        others = comparable(self.data.runs, run) if run is not None and self.data is not None else []
        for other in others:
            self.compare.addItem(other.label, other.id)
        self.compare.blockSignals(False)
        if run is not None:
            if run.control_ref:
                self.control.setCurrentIndex(max(self.control.findData(run.control_ref), 0))
            self.context.load(lambda project: run_findings(project, run.id), self._show_findings)
        self._compare()
        self._enable()

    def _show_findings(self, findings: list[Any]) -> None:
        self.findings_model.set_rows(findings)
        self.findings_view.resizeColumnsToContents()
        self._enable()

    def _filter(self) -> None:
        status, severity = self.status.currentData(), self.severity.currentData()
        criterion = self.criterion.currentData()
        self.findings_filter.set_choice(Choice("", lambda f: (status is None or status.keeps(f))
                                               and (severity is None or severity.keeps(f))
                                               and (criterion is None or criterion in f.criteria)))

    def _compare(self) -> None:
        run, other = self.selected_run(), self.compare.currentData()
        self.diff_model.set_rows([])
        if run is None or other is None:
            self.diff_note.setText("Pick a run, then another run of the same tool and scope to compare it with."
                                   if run is None or not self.compare.count() else "")
            if run is not None and not self.compare.count():
                self.diff_note.setText(f"No other run of {run.run.tool} on {run.run.scope or 'this scope'} to compare "
                                       f"with yet: import the next report of the same account.")
            return
        self.context.load(lambda project: compare_runs(project, run.id, other), self._show_diff)

    def _show_diff(self, result: tuple[StoredRun, StoredRun, Any]) -> None:
        old, new, diff = result
        self.diff_note.setText(f"From {old.label} to {new.label}: {plural(len(diff.new_failures), 'new failure')}, "
                               f"{len(diff.fixed)} fixed, {len(diff.still_failing)} still failing.")
        self.diff_model.set_rows(changes(diff))
        self.diff_view.resizeColumnsToContents()

    def _enable(self) -> None:
        run, ref = self.selected_run(), self.control.currentData()
        finding = selected_record(self.findings_view)
        evidence_why = ("Pick a run to file as evidence." if run is None else
                        "Add a control first: a run is filed as evidence of a control." if not ref else
                        f"Run {run.id} is already evidence of {ref}; choose another control."
                        if run.evidence_id is not None and run.control_ref == ref else "")
        self.evidence_button.setEnabled(not evidence_why)
        self.evidence_button.setToolTip(evidence_why or f"File run {run.id}'s report as evidence of {ref}, dated "
                                                        f"{shown_date(run.reflects_on)}, the day its data reflects.")
        task_why = ("Pick a run, then one of its failing findings." if run is None else
                    "Pick a failing finding in the Findings tab." if finding is None else
                    f"Only a failing check becomes a task; {finding.check_id} is {finding.status.value}."
                    if finding.status is not FindingStatus.FAIL else "")
        self.task_button.setEnabled(not task_why)
        self.task_button.setToolTip(task_why or f"Add a task to fix {finding.check_id} on every resource it fails.")

    def show_criterion(self) -> None:
        """Show the findings mapped to the criterion picked in the coverage view, in the run that explains it."""
        row = selected_record(self.coverage_view)
        if row is None:
            return
        self.criterion.setCurrentIndex(max(self.criterion.findData(row.criterion), 0))
        if row.runs:
            self._select(row.runs[0].id)
        self.tabs.setCurrentIndex(0)

    # -- edits --------------------------------------------------------------------------------------------

    def import_file(self, path: Path | str | None = None) -> None:
        """Import a tool's report (asks for it when no path is given) as one undoable edit, on the worker."""
        source = file_to_open(self, "Import a tool's report", REPORT_FILES, path)
        if source is None:
            return
        self.context.apply(LongEditCommand(f"Import findings from {source.name}",
                                           lambda project, operation: import_report(project, source,
                                                                                    progress=operation.progress),
                                           cancelled=(ImportCancelled,)), on_success=self._imported)

    def _imported(self, result: dict[str, Any] | None) -> None:
        if result is None:  # cancelled: nothing was imported
            self.summary.setText(f"{CANCELLED} {self.summary.text().removeprefix(CANCELLED).lstrip()}")
            return
        self.wanted = result.get("run")
        self._select(self.wanted)

    def use_as_evidence(self) -> None:
        """File the picked run as evidence of the control chosen, at the date its data reflects (undoable)."""
        run, ref = self.selected_run(), self.control.currentData()
        if run is not None and ref:
            self.context.apply(EditCommand(f"Use run {run.id} as evidence of {ref}",
                                           partial(use_as_evidence, run_id=run.id, control_ref=ref)))

    def make_task(self) -> None:
        """Add a task to fix the picked failing check (undoable)."""
        run, finding = self.selected_run(), selected_record(self.findings_view)
        if run is not None and finding is not None:
            self.context.apply(EditCommand(f"Make a task for {finding.check_id}",
                                           partial(make_task, run_id=run.id, check_id=finding.check_id)))
