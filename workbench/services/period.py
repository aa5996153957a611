"""The Type II period over a project: each control's expected windows and their status, evidence in or out of period.

The rules are domain/period.py's (DESIGN.md section 6); this module reads the project and applies them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from workbench.domain.entities import Control, Evidence
from workbench.domain.enums import Frequency, Nature
from workbench.domain.period import (
    WINDOW_OF,
    Period,
    Window,
    WindowKind,
    WindowStatus,
    expected_windows,
    in_period,
    project_period,
    reflected_days,
    window_status,
)
from workbench.services.session import OpenProject

AUTOMATED_NOTE = "tested once (relies on IT general controls)"
WINDOWS, POPULATION, AUTOMATED, NONE = "windows", "population", "automated", "none"


def evidence_in_period(period: Period | None, evidence: Evidence) -> bool | None:
    """Return True/False when the evidence reflects days in/out of the period; None when undated or no period."""
    if period is None:
        return None
    return in_period(period, evidence.period_start, evidence.period_end, evidence.collected_on)


def window_label(kind: WindowKind, window: Window) -> str:
    """Return a window's short name, used as its key when windows are sampled ("2026-Q2", "2026-03", "2026-W05")."""
    start = window.start
    if kind is WindowKind.DAY:
        return start.isoformat()
    if kind is WindowKind.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if kind is WindowKind.MONTH:
        return f"{start.year}-{start.month:02d}"
    if kind is WindowKind.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind is WindowKind.HALF_YEAR:
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.isoformat()}..{window.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class ExpectedWindow:
    """One window a control must have operated in, its name, and whether evidence covers it."""

    label: str
    start: date
    end: date
    status: WindowStatus
    evidence_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ControlPeriod:
    """What the period expects of one control: windows, a population (event-driven), or one test (automated)."""

    control: Control
    expects: str  # WINDOWS | POPULATION | AUTOMATED | NONE
    windows: tuple[ExpectedWindow, ...] = ()
    note: str = ""

    @property
    def missing(self) -> int:
        """Return how many expected windows have no evidence although they are over."""
        return sum(1 for w in self.windows if w.status is WindowStatus.MISSING)


def _evidence_days(items: Iterable[Evidence]) -> list[tuple[int, tuple[date, date]]]:
    return [(e.id, days) for e in items
            if (days := reflected_days(e.period_start, e.period_end, e.collected_on)) is not None]


def _windows(control: Control, period: Period, days: Sequence[tuple[int, tuple[date, date]]], today: date,
             ) -> tuple[ExpectedWindow, ...]:
    kind = WINDOW_OF.get(control.frequency) if control.frequency is not None else None
    if kind is None:
        return ()
    result = []
    for window in expected_windows(period, control.frequency, control.implemented_since, control.retired_on):
        status = window_status(window, [span for _, span in days], today)
        covering = tuple(i for i, (first, last) in days if window.overlaps(first, last))
        result.append(ExpectedWindow(window_label(kind, window), window.start, window.end, status, covering))
    return tuple(result)


def _automated(control: Control, period: Period, days: Sequence[tuple[int, tuple[date, date]]], today: date,
               ) -> tuple[ExpectedWindow, ...]:
    """One window over the control's life in the period: an automated control is tested once."""
    first = max(period.start, control.implemented_since) if control.implemented_since else period.start
    last = min(period.end, control.retired_on) if control.retired_on else period.end
    if first > last:
        return ()
    window = Window(first, last)
    status = window_status(window, [span for _, span in days], today)
    covering = tuple(i for i, (a, b) in days if window.overlaps(a, b))
    return (ExpectedWindow(f"{first.isoformat()}..{last.isoformat()}", first, last, status, covering),)


def control_period(control: Control, period: Period, evidence: Iterable[Evidence], today: date) -> ControlPeriod:
    """Return what the period expects of one control and how its evidence answers it."""
    days = _evidence_days(evidence)
    if control.nature is Nature.AUTOMATED:
        return ControlPeriod(control, AUTOMATED, _automated(control, period, days, today), AUTOMATED_NOTE)
    if control.frequency is Frequency.EVENT_DRIVEN:
        return ControlPeriod(control, POPULATION, (), "expects a population of every event in the period")
    windows = _windows(control, period, days, today)
    if control.frequency is None:
        return ControlPeriod(control, NONE, (), "no frequency: nothing expected until one is set")
    return ControlPeriod(control, WINDOWS, windows)


def period_of_controls(controls: Sequence[Control], evidence: Sequence[Evidence], period: Period, today: date,
                       ) -> list[ControlPeriod]:
    """Return each control's expected windows with their status, in the controls' order."""
    by_control: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_control.setdefault(item.control_ref, []).append(item)
    return [control_period(c, period, by_control.get(c.ref, ()), today) for c in controls]


@dataclass(frozen=True, slots=True)
class PopulationFacts:
    """What the calendar says of an event-driven control's population."""

    rows: int
    out_of_period: int
    imported_at: str


def project_calendar(project: OpenProject, today: date | None = None) -> tuple[Period | None, list[ControlPeriod],
                                                                             dict[str, PopulationFacts]]:
    """Return the project's period, each control's expected windows (status as of `today`), and the populations."""
    today = today or project.now().date()
    with project.uow() as uow:
        settings = uow.settings.get()
        controls = uow.controls.list()
        evidence = uow.evidence.list()
        populations = {p.control_ref: PopulationFacts(p.row_count, p.out_of_period, p.imported_at)
                       for p in uow.populations.list()}
    period = project_period(settings)
    if period is None:
        return None, [], populations
    return period, period_of_controls(controls, evidence, period, today), populations


def calendar_document(period: Period | None, controls: Sequence[ControlPeriod],
                      populations: Mapping[str, PopulationFacts], today: date) -> list[dict[str, object]]:
    """Return the calendar as `workbench calendar --json` prints it: one entry per expected window or population."""
    rows: list[dict[str, object]] = []
    for item in controls:
        ref = item.control.ref
        for window in item.windows:
            rows.append({"control": ref, "window_start": window.start.isoformat(),
                         "window_end": window.end.isoformat(), "status": window.status.value,
                         "window": window.label, "expects": item.expects, "note": item.note,
                         "evidence": list(window.evidence_ids)})
        if item.expects == POPULATION and period is not None:
            facts = populations.get(ref)
            status = WindowStatus.COVERED if facts else (
                WindowStatus.MISSING if period.end < today else WindowStatus.NOT_DUE)
            rows.append({"control": ref, "window_start": period.start.isoformat(),
                         "window_end": period.end.isoformat(), "status": status.value, "window": "population",
                         "expects": POPULATION, "note": item.note,
                         "population": None if facts is None else {
                             "rows": facts.rows, "out_of_period": facts.out_of_period,
                             "imported_at": facts.imported_at}})
    return rows
