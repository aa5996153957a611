"""What the Type II tab shows, read on the worker, and its thin table models (tested without a window)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from workbench.domain.entities import Evidence
from workbench.domain.enums import AssessmentStatus
from workbench.domain.period import Period, WindowStatus
from workbench.domain.testing import Population, Sample, SampleItem, SampleResult
from workbench.services import evidence as evidence_service
from workbench.services import populations as population_service
from workbench.services import samples as sample_service
from workbench.services.period import AUTOMATED, NONE, POPULATION, ControlPeriod, ExpectedWindow, project_calendar
from workbench.services.session import OpenProject
from workbench.ui.labels import plain_tip
from workbench.ui.pages.evidence_model import format_date
from workbench.ui.palette import state_tint
from workbench.ui.row_model import Index, RowTableModel

STATUS_TEXT = {WindowStatus.COVERED: "covered", WindowStatus.MISSING: "MISSING", WindowStatus.NOT_DUE: "not due"}
# The state whose row tint a window's status takes (light or dark, as the palette is).
STATUS_STATES = {WindowStatus.COVERED: AssessmentStatus.MET, WindowStatus.MISSING: AssessmentStatus.GAP,
                 WindowStatus.NOT_DUE: AssessmentStatus.NOT_ASSESSED}
RESULT_TEXT = {None: "not tested", SampleResult.PASS: "pass", SampleResult.EXCEPTION: "EXCEPTION"}


@dataclass(frozen=True, slots=True)
class Type2Data:
    """Everything the Type II tab shows: the period, each control's windows, populations, samples, evidence."""

    period: Period | None
    controls: tuple[ControlPeriod, ...] = ()
    populations: dict[str, Population] = field(default_factory=dict)
    samples: dict[str, Sample] = field(default_factory=dict)
    evidence: dict[int, Evidence] = field(default_factory=dict)
    table_sizes: dict[str, int] = field(default_factory=dict)  # the sample table's size for each control
    table_name: str = ""
    missing: tuple[tuple[str, str], ...] | None = None  # still_missing(), worked out with the rest on the worker

    def control(self, ref: str) -> ControlPeriod | None:
        """Return one control's period, or None."""
        return next((c for c in self.controls if c.control.ref == ref), None)


def _table_size(tables: Any, item: ControlPeriod, population: Population | None) -> int:
    table = tables.get(None)
    if item.expects == AUTOMATED:  # tested once, as services.samples draws it
        return min(1, population.row_count if population is not None else len(item.windows))
    if population is not None:
        return int(table.for_population(population.row_count))
    count = len(item.windows)
    if not count or item.control.frequency is None:
        return count
    return min(table.for_frequency(item.control.frequency) or count, count)


def fetch_type2(project: OpenProject, today: date) -> Type2Data:
    """Read the Type II picture of the project (worker thread)."""
    period, controls, _facts = project_calendar(project, today)
    populations = {p.control_ref: p for p in population_service.list_populations(project)}
    samples = {s.control_ref: s for s in sample_service.list_samples(project)}
    evidence = {e.id: e for e in evidence_service.list_evidence(project)}
    tables = sample_service.sample_tables()
    sizes = {c.control.ref: _table_size(tables, c, populations.get(c.control.ref)) for c in controls}
    data = Type2Data(period, tuple(controls), populations, samples, evidence, sizes, tables.get(None).name)
    return replace(data, missing=tuple(still_missing(data)))  # tens of thousands of windows to look through


def expectation(item: ControlPeriod, population: Population | None) -> str:
    """Return what the period expects of a control and how it stands, in a few words."""
    if item.expects == POPULATION:
        return f"population: {population.row_count:,} rows" if population else "population: not imported"
    if item.expects == AUTOMATED:
        return "automated: tested once" + (" (covered)" if item.windows and not item.missing and any(
            w.status is WindowStatus.COVERED for w in item.windows) else "")
    if item.expects == NONE:
        return "no frequency set"
    covered = sum(1 for w in item.windows if w.status is WindowStatus.COVERED)
    return f"{covered} of {len(item.windows)} windows covered"


def sample_state(sample: Sample | None) -> str:
    """Return a sample's size and results in a few words."""
    if sample is None:
        return "no sample"
    passed = sum(1 for i in sample.items if i.result is SampleResult.PASS)
    exceptions = sum(1 for i in sample.items if i.result is SampleResult.EXCEPTION)
    open_ = sample.size - passed - exceptions
    parts = [f"{sample.size} drawn", f"{passed} pass"]
    if exceptions:
        parts.append(f"{exceptions} exception{'s' if exceptions != 1 else ''}")
    if open_:
        parts.append(f"{open_} to test")
    return ", ".join(parts)


def still_missing(data: Type2Data) -> list[tuple[str, str]]:
    """Return (control ref, what is missing) for everything the period still lacks, in the controls' order."""
    found: list[tuple[str, str]] = []
    for item in data.controls:
        ref = item.control.ref
        labels = [w.label for w in item.windows if w.status is WindowStatus.MISSING]
        if labels and item.expects == AUTOMATED:
            found.append((ref, "no evidence of its one test in the period"))
        elif labels:
            shown = ", ".join(labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
            found.append((ref, f"no evidence for {'the ' if shown.startswith('year') else ''}{shown}"))
        population = data.populations.get(ref)
        if item.expects == POPULATION:
            if population is None:
                found.append((ref, "no population imported"))
                continue
            if not population.evidence_ids:
                found.append((ref, "population without completeness-and-accuracy evidence"))
            if population.out_of_period:
                found.append((ref, f"{population.out_of_period} population items dated outside the period"))
            if ref not in data.samples:
                found.append((ref, "no sample drawn"))
        sample = data.samples.get(ref)
        if sample is not None:
            untested = sum(1 for i in sample.items if i.result is None)
            if untested:
                found.append((ref, f"{untested} sample item{'s' if untested != 1 else ''} not tested yet"))
    return found


class Type2ControlsModel(RowTableModel[ControlPeriod]):
    """One row per control: what the period expects of it, its sample, and whether anything is missing."""

    REF, TITLE, EXPECTS, SAMPLE = range(4)
    HEADERS = ("Ref", "Control", "Expected", "Sample")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.data_: Type2Data = Type2Data(None)

    def set_data(self, data: Type2Data) -> None:
        """Show the controls of the Type II picture."""
        self.data_ = data
        self.set_rows(data.controls)

    def row_of(self, ref: str) -> int:
        """Return the row of a control by reference, or -1."""
        return next((i for i, c in enumerate(self.rows) if c.control.ref == ref), -1)

    def _needs_attention(self, item: ControlPeriod) -> bool:
        ref = item.control.ref
        return bool(item.missing) or (item.expects == POPULATION and ref not in self.data_.populations)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        ref = item.control.ref
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.REF:
                return ref
            if column == self.TITLE:
                return item.control.title
            if column == self.EXPECTS:
                return expectation(item, self.data_.populations.get(ref))
            return sample_state(self.data_.samples.get(ref))
        if role == Qt.ItemDataRole.ToolTipRole:  # the cell's whole text, then what the period expects and why
            shown = f"{ref}  {item.control.title}" if column in (self.REF, self.TITLE) else str(self.data(index))
            return plain_tip(f"{shown}\n{item.note}" if item.note and item.note != shown else shown)
        if role == Qt.ItemDataRole.BackgroundRole and column == self.EXPECTS and self._needs_attention(item):
            return state_tint(AssessmentStatus.GAP)
        return None


class WindowsModel(RowTableModel[ExpectedWindow]):
    """One control's expected windows and whether evidence covers each."""

    WINDOW, FROM, TO, STATUS, EVIDENCE = range(5)
    HEADERS = ("Window", "From", "To", "Status", "Evidence")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        window = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            count = len(window.evidence_ids)
            return (window.label, format_date(window.start), format_date(window.end), STATUS_TEXT[window.status],
                    f"{count} item{'s' if count != 1 else ''}" if count else "")[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == self.STATUS:
            return state_tint(STATUS_STATES[window.status])
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(str(self.data(index))) or None
        return None


class SampleItemsModel(RowTableModel[SampleItem]):
    """The items of one control's sample with their results."""

    KEY, DAY, RESULT, NOTE, EVIDENCE = range(5)
    HEADERS = ("Item", "Date", "Result", "Note", "Evidence")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.evidence: dict[int, Evidence] = {}

    def row_of(self, key: str) -> int:
        """Return the row of a sample item by key, or -1."""
        return next((i for i, item in enumerate(self.rows) if item.key == key), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            evidence = self.evidence.get(item.evidence_id) if item.evidence_id is not None else None
            return (item.key, format_date(item.day), RESULT_TEXT[item.result], item.note,
                    evidence.title if evidence else "")[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == self.RESULT and item.result is not None:
            return state_tint(AssessmentStatus.MET if item.result is SampleResult.PASS else AssessmentStatus.GAP)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(str(self.data(index))) or None
        return None
