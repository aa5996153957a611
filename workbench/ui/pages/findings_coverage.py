"""The Findings page's coverage view: each in-scope criterion with what the latest run of each tool and scope says of
it, the number of findings behind that, and which runs they came from (read on the worker)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.findings import FindingStatus
from workbench.domain.tool_runs import Coverage, StoredRun, latest_runs
from workbench.services.findings import CriterionCoverage, run_findings
from workbench.services.session import OpenProject
from workbench.ui.pages.register_model import Column


@dataclass(frozen=True)
class CoverageRow:
    """One in-scope criterion: its coverage, the findings mapped to it by status, and the runs they came from."""

    criterion: str
    summary: str
    coverage: Coverage
    counts: Counter[FindingStatus]
    runs: tuple[StoredRun, ...]  # those failing it first

    def count(self, status: FindingStatus) -> int:
        """Return how many findings of the latest runs with this status map to the criterion."""
        return self.counts[status]


def _tip(row: CoverageRow) -> str:
    if not row.runs:
        return f"No check of the latest tool runs maps to {row.criterion}: it needs evidence a person collects."
    runs = "; ".join(r.label for r in row.runs)
    return f"{row.criterion} is judged from {runs}. Double-click for its findings."


COVERAGE_COLUMNS = (
    Column("Criterion", lambda c: c.criterion, tip=_tip),
    Column("Coverage", lambda c: c.coverage.value.replace("_", " "), tip=_tip),
    *(Column(status.value.capitalize(), lambda c, s=status: str(c.count(s)), sort=lambda c, s=status: c.count(s),
             tip=_tip) for status in (FindingStatus.PASS, FindingStatus.FAIL, FindingStatus.MANUAL)),
    Column("Runs", lambda c: str(len(c.runs)), sort=lambda c: len(c.runs), tip=_tip),
    Column("What it asks", lambda c: c.summary, tip=lambda c: c.summary),
)


def coverage_rows(project: OpenProject, judged: Sequence[CriterionCoverage],
                  runs: Sequence[StoredRun]) -> list[CoverageRow]:
    """Return each criterion's coverage with the counts and runs behind it (worker thread)."""
    counts: dict[str, Counter[FindingStatus]] = {c.criterion: Counter() for c in judged}
    behind: dict[str, list[StoredRun]] = {c.criterion: [] for c in judged}
    for run in latest_runs(runs):
        mapped: dict[str, bool] = {}  # criterion -> whether this run fails a check mapped to it
        for finding in run_findings(project, run.id):
            for ref in finding.criteria:
                if ref in counts:
                    counts[ref][finding.status] += 1
                    mapped[ref] = mapped.get(ref, False) or finding.status is FindingStatus.FAIL
        for ref, failing in mapped.items():
            behind[ref].insert(0 if failing else len(behind[ref]), run)
    return [CoverageRow(c.criterion, c.summary, c.coverage, counts[c.criterion], tuple(behind[c.criterion]))
            for c in judged]
