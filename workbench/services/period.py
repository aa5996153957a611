"""The Type II period over a project: each control's expected windows and their status, evidence in or out of period.

The rules are domain/period.py's (DESIGN.md section 6); this module reads the project and applies them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from workbench.domain.entities import Control, Evidence, ProjectSettings
from workbench.domain.enums import Frequency, Nature, ReportType
from workbench.domain.occurrences import Occurrence
from workbench.domain.period import (
    WINDOW_OF,
    EvidenceDates,
    Period,
    PeriodFit,
    Window,
    WindowKind,
    WindowStatus,
    expected_windows,
    in_period,
    period_fit,
    project_period,
    reflected_days,
)
from workbench.domain.testing import Population
from workbench.services.linked_records import occurrences
from workbench.services.session import OpenProject

AUTOMATED_NOTE = "tested once (relies on IT general controls)"
TESTED_ONCE = "tested once"  # the label of an automated control's one window, and its sample item's key
WINDOWS, POPULATION, AUTOMATED, NONE = "windows", "population", "automated", "none"


def evidence_in_period(period: Period | None, evidence: Evidence) -> bool | None:
    """Return True when what the evidence reflects lies inside the period, False when not (even partly); None when
    undated or no period."""
    if period is None:
        return None
    return in_period(period, evidence.period_start, evidence.period_end, evidence.collected_on)


def evidence_period_fit(period: Period | None, evidence: Evidence) -> PeriodFit | None:
    """Return whether what the evidence reflects lies inside, partly outside or outside the period; None when
    undated or no period."""
    if period is None:
        return None
    return period_fit(period, evidence.period_start, evidence.period_end, evidence.collected_on)


_LABEL_OF: dict[WindowKind, Callable[[date], str]] = {
    WindowKind.DAY: date.isoformat,
    WindowKind.WEEK: lambda start: "{}-W{:02d}".format(*start.isocalendar()[:2]),
    WindowKind.MONTH: lambda start: f"{start.year}-{start.month:02d}",
    WindowKind.QUARTER: lambda start: f"{start.year}-Q{(start.month - 1) // 3 + 1}",
    WindowKind.HALF_YEAR: lambda start: f"{start.year}-H{(start.month - 1) // 6 + 1}",
}


def window_label(kind: WindowKind, window: Window) -> str:
    """Return a window's short name, used as its key when windows are sampled ("2026-Q2", "2026-03", "2026-W05")."""
    name = _LABEL_OF.get(kind)
    return name(window.start) if name else f"year to {window.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class ExpectedWindow:
    """One window a control must have operated in, its name, and whether evidence covers it."""

    label: str
    start: date
    end: date
    status: WindowStatus
    evidence_ids: tuple[int, ...] = ()
    records: tuple[str, ...] = ()  # the register records that show the control operated in it (services/linked_records)


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


_DEMAND = {WindowKind.DAY: "every day", WindowKind.WEEK: "every week", WindowKind.MONTH: "every month",
           WindowKind.QUARTER: "every quarter", WindowKind.HALF_YEAR: "every half year",
           WindowKind.YEAR: "once in the 12 months ending at the period's end"}


def demand(control: Control) -> str:
    """Return, in words, what the period expects of a control."""
    if control.nature is Nature.AUTOMATED:
        return "tested once (automated; relies on the IT general controls)"
    if control.frequency is Frequency.EVENT_DRIVEN:
        return "a population of every event in the period, then a sample"
    if control.frequency is None:
        return "frequency not set"
    return _DEMAND[WINDOW_OF[control.frequency]]


Dated = Evidence | EvidenceDates  # what coverage needs of an evidence item: its id and dates


def _evidence_days(items: Iterable[Dated]) -> list[tuple[int, tuple[date, date]]]:
    return [(e.id, days) for e in items
            if (days := reflected_days(e.period_start, e.period_end, e.collected_on)) is not None]


@lru_cache(maxsize=512)
def _expected(period: Period, frequency: Frequency, since: date | None, retired: date | None) -> tuple[Window, ...]:
    """The windows of one frequency and life; shared by the many controls alike (a 2,000-control project)."""
    return tuple(expected_windows(period, frequency, since, retired))


def _coverage(windows: Sequence[Window], days: Sequence[tuple[int, tuple[date, date]]], today: date,
              ) -> list[tuple[WindowStatus, tuple[int, ...]]]:
    """Return each window's status and the evidence covering it.

    Windows of one frequency follow one another without overlapping, so each span of days finds its windows by
    bisection instead of being tried against every window (365 daily windows times many items add up).
    """
    hits: list[list[int]] = [[] for _ in windows]
    ends = [w.end for w in windows]
    for evidence_id, (first, last) in days:
        index = bisect_left(ends, first)  # the first window ending on or after the span's first day
        while index < len(windows) and windows[index].start <= last:
            hits[index].append(evidence_id)
            index += 1
    return [(WindowStatus.COVERED if ids else WindowStatus.MISSING if window.end < today else WindowStatus.NOT_DUE,
             tuple(sorted(ids))) for window, ids in zip(windows, hits, strict=True)]


def life_window(control: Control, period: Period) -> tuple[Window, ...]:
    """Return one window over the control's life in the period (none when it lies outside): an automated control is
    tested once."""
    first = max(period.start, control.implemented_since) if control.implemented_since else period.start
    last = min(period.end, control.retired_on) if control.retired_on else period.end
    return (Window(first, last),) if first <= last else ()


def control_period(control: Control, period: Period, evidence: Iterable[Dated], today: date,
                   records: Sequence[Occurrence] = ()) -> ControlPeriod:
    """Return what the period expects of one control and how its evidence (and the register records that show it
    operated: a restore test, a vendor review) answer it."""
    if control.frequency is Frequency.EVENT_DRIVEN and control.nature is not Nature.AUTOMATED:
        return ControlPeriod(control, POPULATION, (), "expects a population of every event in the period")
    if control.nature is Nature.AUTOMATED:
        expects, windows, note = AUTOMATED, life_window(control, period), AUTOMATED_NOTE
        labels = [TESTED_ONCE for _ in windows]
    elif control.frequency is None:
        return ControlPeriod(control, NONE, (), "no frequency: nothing expected until one is set")
    else:
        expects, note = WINDOWS, ""
        windows = _expected(period, control.frequency, control.implemented_since, control.retired_on)
        kind = WINDOW_OF[control.frequency]
        labels = [window_label(kind, w) for w in windows]
    covered = _coverage(windows, _evidence_days(evidence), today)
    if records:
        shown = _coverage(windows, [(i, (r.day, r.day)) for i, r in enumerate(records)], today)
        covered = [(status if status is WindowStatus.COVERED or not hits else WindowStatus.COVERED, ids)
                   for (status, ids), (_, hits) in zip(covered, shown, strict=True)]
        names = [tuple(records[i].label for i in hits) for _, hits in shown]
    else:
        names = [() for _ in windows]
    return ControlPeriod(control, expects, tuple(
        ExpectedWindow(label, w.start, w.end, status, ids, found)
        for label, w, (status, ids), found in zip(labels, windows, covered, names, strict=True)), note)


def period_of_controls(controls: Sequence[Control], evidence: Iterable[Evidence], period: Period, today: date,
                       records: Mapping[str, Sequence[Occurrence]] | None = None) -> list[ControlPeriod]:
    """Return each control's expected windows with their status, in the controls' order."""
    by_control: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_control.setdefault(item.control_ref, []).append(item)
    found = records or {}
    return [control_period(c, period, by_control.get(c.ref, ()), today, found.get(c.ref, ())) for c in controls]


def past_missing(settings: ProjectSettings, controls: Sequence[Control], dates: Mapping[int, Sequence[Dated]],
                 population_refs: Collection[str], today: date,
                 records: Mapping[str, Sequence[Occurrence]] | None = None) -> list[tuple[date, str]]:
    """Return (window end, control ref) for each expected window of a Type II period that is over with no evidence.

    An event-driven control without a population counts once the period is over. Only evidence dates are
    needed (by control id, as the store's dates_by_control gives them), which keeps the dashboard cheap.
    """
    period = project_period(settings)
    if period is None or settings.report_type is not ReportType.TYPE2:
        return []
    missing: list[tuple[date, str]] = []
    for control in controls:
        item = control_period(control, period, dates.get(control.id, ()), today, (records or {}).get(control.ref, ()))
        missing.extend((w.end, control.ref) for w in item.windows if w.status is WindowStatus.MISSING)
        if item.expects == POPULATION and control.ref not in population_refs and period.end < today:
            missing.append((period.end, control.ref))
    return missing


def project_calendar(project: OpenProject, today: date | None = None) -> tuple[Period | None, list[ControlPeriod],
                                                                             dict[str, Population]]:
    """Return the project's period, each control's expected windows (status as of `today`), and the populations."""
    today = today or project.now().date()
    with project.uow() as uow:
        settings = uow.settings.get()
        controls = uow.controls.list()
        evidence = uow.evidence.list()
        populations = {p.control_ref: p for p in uow.populations.list()}
        records = occurrences(uow)
    period = project_period(settings)
    if period is None:
        return None, [], populations
    return period, period_of_controls(controls, evidence, period, today, records), populations


def calendar_document(period: Period | None, controls: Sequence[ControlPeriod],
                      populations: Mapping[str, Population], today: date) -> list[dict[str, object]]:
    """Return the calendar as `workbench calendar --json` prints it: one entry per expected window or population."""
    rows: list[dict[str, object]] = []
    for item in controls:
        ref = item.control.ref
        for window in item.windows:
            rows.append({"control": ref, "window_start": window.start.isoformat(),
                         "window_end": window.end.isoformat(), "status": window.status.value,
                         "window": window.label, "expects": item.expects, "note": item.note,
                         "evidence": list(window.evidence_ids), "records": list(window.records)})
        if item.expects == POPULATION and period is not None:
            facts = populations.get(ref)
            status = WindowStatus.COVERED if facts else (
                WindowStatus.MISSING if period.end < today else WindowStatus.NOT_DUE)
            rows.append({"control": ref, "window_start": period.start.isoformat(),
                         "window_end": period.end.isoformat(), "status": status.value, "window": "population",
                         "expects": POPULATION, "note": item.note,
                         "population": None if facts is None else {
                             "rows": facts.row_count, "out_of_period": facts.out_of_period,
                             "imported_at": facts.imported_at}})
    return rows
