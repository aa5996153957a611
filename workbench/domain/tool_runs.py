"""Tool runs as the project keeps them (with their counts, control and evidence), and coverage per criterion."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workbench.domain.findings import FindingStatus, ToolRun


@dataclass(frozen=True, slots=True)
class StoredRun:
    """A run in the project: the run as read, its id, the control it evidences, its evidence record, its counts."""

    id: int
    run: ToolRun
    control_ref: str
    evidence_id: int | None
    imported_at: str
    passed: int = 0
    failed: int = 0
    manual: int = 0
    muted: int = 0

    @property
    def reflects_on(self) -> date:
        """Return the day (UTC) the run's data reflects."""
        return self.run.reflects_at.date()

    @property
    def total(self) -> int:
        """Return how many findings the run holds."""
        return self.passed + self.failed + self.manual + self.muted

    @property
    def label(self) -> str:
        """Return how lists name the run: "#3 prowler (aws 1234) 2026-01-05"."""
        scope = f" ({self.run.scope})" if self.run.scope else ""
        return f"#{self.id} {self.run.tool}{scope} {self.reflects_on.isoformat()}"


class Coverage(StrEnum):
    """What the tools' latest runs say of one criterion."""

    AUTOMATED_PASS = "automated_pass"  # checks ran and none failed
    AUTOMATED_FAIL = "automated_fail"  # at least one check failed
    MANUAL_ONLY = "manual_only"  # only checks the tool leaves to a person
    NOTHING = "nothing"  # no check maps to it


def coverage(criteria: Sequence[str], statuses: Iterable[tuple[Iterable[str], FindingStatus]]
             ) -> dict[str, Coverage]:
    """Return each criterion's coverage from (criteria, status) of the findings of the runs that count."""
    seen: dict[str, set[FindingStatus]] = {ref: set() for ref in criteria}
    for refs, status in statuses:
        for ref in refs:
            if ref in seen:
                seen[ref].add(status)
    return {ref: _judged(found) for ref, found in seen.items()}


def _judged(found: set[FindingStatus]) -> Coverage:
    if FindingStatus.FAIL in found:
        return Coverage.AUTOMATED_FAIL
    if FindingStatus.PASS in found:
        return Coverage.AUTOMATED_PASS
    if FindingStatus.MANUAL in found:
        return Coverage.MANUAL_ONLY
    return Coverage.NOTHING


def latest_runs(runs: Iterable[StoredRun]) -> list[StoredRun]:
    """Return the latest run (by the time its data reflects) of each tool and scope."""
    latest: dict[tuple[str, str], StoredRun] = {}
    for stored in runs:
        key = (stored.run.tool, stored.run.scope)
        if key not in latest or stored.run.reflects_at > latest[key].run.reflects_at:
            latest[key] = stored
    return sorted(latest.values(), key=lambda s: s.id)
