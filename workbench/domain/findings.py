"""Findings read from security tools' reports: one tool run, its findings, and what changed between two runs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

SEVERITIES = ("critical", "high", "medium", "low", "informational")


class FindingStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MANUAL = "manual"
    MUTED = "muted"


@dataclass(frozen=True, slots=True)
class ToolRun:
    """One run of a tool: what it was, what it scanned, when its data reflects, and the report file's hash."""

    tool: str
    version: str
    format: str
    scope: str
    reflects_at: datetime  # UTC
    sha256: str
    source_name: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One check on one resource, as the tool judged it; `row` is its 1-based position in the file."""

    check_id: str
    check_title: str
    resource: str
    status: FindingStatus
    severity: str
    criteria: tuple[str, ...]
    service: str
    region: str
    detail: str
    row: int

    @property
    def key(self) -> tuple[str, str]:
        """Return what identifies the same finding in another run of the same tool: check and resource."""
        return (self.check_id, self.resource)


@dataclass(frozen=True, slots=True)
class RunDiff:
    """What changed between two runs: failures that are new, failures fixed since, and failures still there."""

    new_failures: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    still_failing: tuple[Finding, ...]


def diff_runs(old: Iterable[Finding], new: Iterable[Finding]) -> RunDiff:
    """Compare two runs by (check, resource): `fixed` holds the old run's findings, the others the new run's.

    Fixed means failing before and not now (passing, muted, left to a person, or no longer reported: the resource
    gone from a run of the same scope). A key reported twice in one run counts once, at its first row.
    """
    old_failing = {f.key: f for f in old if f.status is FindingStatus.FAIL}
    new_failing: dict[tuple[str, str], Finding] = {}
    for finding in new:
        if finding.status is FindingStatus.FAIL:
            new_failing.setdefault(finding.key, finding)
    new_failures = tuple(f for key, f in new_failing.items() if key not in old_failing)
    still = tuple(f for key, f in new_failing.items() if key in old_failing)
    fixed = tuple(f for key, f in old_failing.items() if key not in new_failing)
    return RunDiff(_ordered(new_failures), _ordered(fixed), _ordered(still))


def _ordered(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: f.key))


def severity_of(text: object) -> str:
    """Return a tool's severity as one of SEVERITIES ("" when it gives none we know); "info"/"none" -> informational."""
    word = str(text or "").strip().lower()
    if word in SEVERITIES:
        return word
    return {"info": "informational", "information": "informational", "none": "informational",
            "moderate": "medium", "unknown": "", "negligible": "low"}.get(word, "")


_CRITERION = re.compile(r"^\s*(cc|a|c|pi|p)[\s_.-]*(\d+)(?:[\s_.-]+(\d+))?\s*$", re.IGNORECASE)


def criterion_ref(text: str) -> str:
    """Return a tool's spelling of a criterion as the catalog writes it (cc_2_1 -> CC2.1); "" when it is none."""
    match = _CRITERION.match(text)
    if match is None:
        return ""
    series, major, minor = match.groups()
    if minor is None:
        return ""  # a series heading (CC2), not a criterion
    return f"{series.upper()}{int(major)}.{int(minor)}"


def criteria_of(texts: Iterable[str]) -> tuple[str, ...]:
    """Return the criteria among these spellings, each once, in catalog order."""
    found = {ref for ref in map(criterion_ref, texts) if ref}
    return tuple(sorted(found, key=_criterion_order))


_SERIES_ORDER = {"CC": 0, "A": 1, "C": 2, "PI": 3, "P": 4}


def _criterion_order(ref: str) -> tuple[int, int, int]:
    series = ref.rstrip("0123456789.")
    major, _, minor = ref[len(series):].partition(".")
    return (_SERIES_ORDER.get(series, 9), int(major), int(minor))
