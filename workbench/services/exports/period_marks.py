"""How every export marks an evidence item against the audit period: in period, partly outside, OUT OF PERIOD or
undated."""

from __future__ import annotations

from workbench.domain.entities import Evidence
from workbench.domain.period import PeriodFit, period_fit, reflected_days
from workbench.services.exports.snapshot import ExportSnapshot

IN_PERIOD, OUT_OF_PERIOD, UNDATED, NO_PERIOD = "In period", "OUT OF PERIOD", "Undated", "No audit period set"
PARTLY_OUTSIDE = "PARTLY OUTSIDE THE PERIOD"


def reflects(evidence: Evidence) -> str:
    """Return the days the evidence reflects, as text: its stated range, else the day it was received."""
    if evidence.period_start is not None or evidence.period_end is not None:
        days = reflected_days(evidence.period_start, evidence.period_end, None)
        assert days is not None
        first, last = days
        return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    if evidence.collected_on is not None:
        return f"{evidence.collected_on.isoformat()} (received)"
    return "no date"


def period_mark(snapshot: ExportSnapshot, evidence: Evidence) -> str:
    """Return the item's mark: "In period", "PARTLY OUTSIDE THE PERIOD", "OUT OF PERIOD", "Undated" or "No audit
    period set"."""
    if snapshot.period is None:
        return NO_PERIOD
    fit = period_fit(snapshot.period, evidence.period_start, evidence.period_end, evidence.collected_on)
    if fit is None:
        return UNDATED
    return {PeriodFit.INSIDE: IN_PERIOD, PeriodFit.PARTLY_OUTSIDE: PARTLY_OUTSIDE}.get(fit, OUT_OF_PERIOD)


def period_answer(snapshot: ExportSnapshot, evidence: Evidence) -> str:
    """Return the workbook's "In period" cell: Yes, Partly, No, Undated (or No audit period set)."""
    mark = period_mark(snapshot, evidence)
    return {IN_PERIOD: "Yes", PARTLY_OUTSIDE: "Partly", OUT_OF_PERIOD: "No"}.get(mark, mark)


def period_line(snapshot: ExportSnapshot, evidence: Evidence) -> str:
    """Return the mark with the days reflected, e.g. "OUT OF PERIOD (reflects 2025-10-01 to 2025-10-31)"."""
    mark = period_mark(snapshot, evidence)
    return mark if mark == UNDATED else f"{mark} (reflects {reflects(evidence)})"


def period_tally(snapshot: ExportSnapshot) -> str:
    """Return how many items are marked out of period, partly outside and undated, as a cover says it."""
    marks = [period_mark(snapshot, evidence) for evidence in snapshot.evidence]
    partly = marks.count(PARTLY_OUTSIDE)
    return (f"{marks.count(OUT_OF_PERIOD)} of {len(marks)} items marked {OUT_OF_PERIOD}, "
            + (f"{partly} {PARTLY_OUTSIDE}, " if partly else "") + f"{marks.count(UNDATED)} undated")
