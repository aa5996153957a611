"""What the Findings page lists: tool runs, one run's findings, coverage per criterion and the difference between two
runs, each as columns of the registers' table model, coloured by what they mean (failing, passing, left to a person)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from workbench.domain.enums import AssessmentStatus
from workbench.domain.findings import SEVERITIES, Finding, FindingStatus
from workbench.domain.tool_runs import Coverage, StoredRun
from workbench.ui.dates import shown_date
from workbench.ui.pages.register_model import Choice, Column, RecordsModel
from workbench.ui.palette import state_text

_STATUS_STATE = {FindingStatus.FAIL: AssessmentStatus.GAP, FindingStatus.PASS: AssessmentStatus.MET,
                 FindingStatus.MANUAL: AssessmentStatus.PARTIALLY_MET}
_COVERAGE_STATE = {Coverage.AUTOMATED_FAIL: AssessmentStatus.GAP, Coverage.AUTOMATED_PASS: AssessmentStatus.MET,
                   Coverage.MANUAL_ONLY: AssessmentStatus.PARTIALLY_MET}
_SEVERITY_ORDER = {word: index for index, word in enumerate(SEVERITIES)}
_STATUS_ORDER = {status: index for index, status in enumerate((FindingStatus.FAIL, FindingStatus.MANUAL,
                                                                FindingStatus.PASS, FindingStatus.MUTED))}


@dataclass(frozen=True)
class Changed:
    """One row of the difference between two runs: what happened to a failing check on a resource."""

    change: str  # "new failure", "fixed", "still failing"
    finding: Finding


RUN_COLUMNS = (
    Column("Run", lambda r: str(r.id), sort=lambda r: r.id),
    Column("Tool", lambda r: r.run.tool),
    Column("Scope", lambda r: r.run.scope),
    Column("Data of", lambda r: shown_date(r.reflects_on), sort=lambda r: r.reflects_on),
    Column("Passed", lambda r: str(r.passed), sort=lambda r: r.passed),
    Column("Failed", lambda r: str(r.failed), sort=lambda r: r.failed),
    Column("Manual", lambda r: str(r.manual), sort=lambda r: r.manual),
    Column("Control", lambda r: r.control_ref),
    Column("Evidence", lambda r: "filed" if r.evidence_id is not None else ""),
    Column("Format", lambda r: r.run.format),
)
FINDING_COLUMNS = (
    Column("Status", lambda f: f.status.value, sort=lambda f: 10 * _STATUS_ORDER[f.status]
           + _SEVERITY_ORDER.get(f.severity, 9)),  # failing first, the most severe first among them
    Column("Severity", lambda f: f.severity, sort=lambda f: _SEVERITY_ORDER.get(f.severity, 9)),
    Column("Check", lambda f: f.check_id, tip=lambda f: f"{f.check_id}: {f.check_title}"),
    Column("Resource", lambda f: f.resource),
    Column("Criteria", lambda f: ", ".join(f.criteria)),
    Column("Service", lambda f: f.service),
    Column("Region", lambda f: f.region),
    Column("Detail", lambda f: f.detail),
)
DIFF_COLUMNS = (
    Column("Change", lambda c: c.change),
    Column("Check", lambda c: c.finding.check_id, tip=lambda c: f"{c.finding.check_id}: {c.finding.check_title}"),
    Column("Resource", lambda c: c.finding.resource),
    Column("Severity", lambda c: c.finding.severity),
    Column("Criteria", lambda c: ", ".join(c.finding.criteria)),
)
STATUS_CHOICES = tuple(Choice(status.value.capitalize(), lambda f, s=status: f.status is s) for status in FindingStatus)
SEVERITY_CHOICES = tuple(Choice(word.capitalize(), lambda f, w=word: f.severity == w) for word in SEVERITIES)


def _state(record: Any) -> AssessmentStatus | None:
    if isinstance(record, Finding):
        return _STATUS_STATE.get(record.status)
    if isinstance(record, Changed):
        return AssessmentStatus.MET if record.change == "fixed" else AssessmentStatus.GAP
    coverage = getattr(record, "coverage", None)
    return _COVERAGE_STATE.get(coverage) if isinstance(coverage, Coverage) else None


class FindingsModel(RecordsModel):
    """Rows coloured by what they mean: failing red, passing green, left to a person amber."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            state = _state(self.rows[index.row()])
            return state_text(state) if state is not None else None
        return super().data(index, role)


def changes(diff: Any) -> list[Changed]:
    """Return the rows of a RunDiff: new failures, then fixed, then still failing."""
    return ([Changed("new failure", f) for f in diff.new_failures] + [Changed("fixed", f) for f in diff.fixed]
            + [Changed("still failing", f) for f in diff.still_failing])


def comparable(runs: Sequence[StoredRun], chosen: StoredRun) -> list[StoredRun]:
    """Return the other runs of the chosen run's tool and scope, latest first."""
    return sorted((r for r in runs if r.id != chosen.id and (r.run.tool, r.run.scope) == (chosen.run.tool,
                                                                                          chosen.run.scope)),
                  key=lambda r: r.run.reflects_at, reverse=True)
