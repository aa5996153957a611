"""Readiness rules: criteria counts, progress along the six steps, and the next actions to take."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.domain.enums import AssessmentStatus, Category
from workbench.domain.steps import STEP_TITLES


@dataclass(frozen=True, slots=True)
class CriteriaCounts:
    in_scope: int = 0
    met: int = 0
    partially_met: int = 0
    gap: int = 0
    not_applicable: int = 0
    not_assessed: int = 0

    @property
    def assessed(self) -> int:
        """Return how many in-scope criteria have a judgement other than 'not assessed'."""
        return self.in_scope - self.not_assessed


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """The figures the readiness rules need, gathered by the services from one project."""

    scope_checklist: tuple[tuple[str, bool], ...]
    criteria: CriteriaCounts
    criteria_without_controls: int
    controls_total: int
    controls_implemented: int
    controls_unmapped: int
    evidence_items: int
    controls_without_evidence: int
    firm_chosen: bool
    milestones_total: int
    milestones_done: int
    report_received: bool
    report_shared: bool
    open_tasks: int
    overdue_tasks: int
    open_requests: int
    exceptions_without_response: int = 0  # this cycle's report exceptions management has not answered yet
    register_actions: tuple[tuple[int, str], ...] = ()  # (step, sentence) the registers call for (risks, vendors)


@dataclass(frozen=True, slots=True)
class StepProgress:
    number: int
    title: str
    progress: float
    summary: str


def count_criteria(in_scope_ids: Iterable[str], statuses: Mapping[str, AssessmentStatus]) -> CriteriaCounts:
    """Count the in-scope criteria by assessment status (a criterion never judged is 'not assessed')."""
    tally = dict.fromkeys(AssessmentStatus, 0)
    total = 0
    for criterion_id in in_scope_ids:
        tally[statuses.get(criterion_id, AssessmentStatus.NOT_ASSESSED)] += 1
        total += 1
    return CriteriaCounts(
        in_scope=total,
        met=tally[AssessmentStatus.MET],
        partially_met=tally[AssessmentStatus.PARTIALLY_MET],
        gap=tally[AssessmentStatus.GAP],
        not_applicable=tally[AssessmentStatus.NOT_APPLICABLE],
        not_assessed=tally[AssessmentStatus.NOT_ASSESSED],
    )


def readiness(counts: CriteriaCounts) -> float:
    """Return readiness in [0, 1]: met criteria count whole, partially met ones half, N/A ones not at all."""
    applicable = counts.in_scope - counts.not_applicable
    if applicable <= 0:
        return 0.0
    return round((counts.met + 0.5 * counts.partially_met) / applicable, 4)


@dataclass(frozen=True, slots=True)
class CategoryReadiness:
    """One Trust Services Category's criteria counts and its readiness share."""

    category: Category
    counts: CriteriaCounts
    readiness: float


def readiness_by_category(
    criteria: Iterable[tuple[str, Category]], statuses: Mapping[str, AssessmentStatus]
) -> tuple[CategoryReadiness, ...]:
    """Return counts and readiness per category, for (criterion id, category) pairs, in category order."""
    grouped: dict[Category, list[str]] = {}
    for criterion_id, category in criteria:
        grouped.setdefault(category, []).append(criterion_id)
    result: list[CategoryReadiness] = []
    for category in Category:
        if category in grouped:
            counts = count_criteria(grouped[category], statuses)
            result.append(CategoryReadiness(category, counts, readiness(counts)))
    return tuple(result)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole > 0 else 0.0


def step_progress(facts: ProjectFacts) -> tuple[StepProgress, ...]:
    """Return the progress of each of the six steps, each in [0, 1], with a one-line summary."""
    done_items = sum(1 for _, done in facts.scope_checklist if done)
    criteria = facts.criteria
    covered = criteria.in_scope - facts.criteria_without_controls
    if facts.controls_total:
        controls_progress = round(
            (_share(facts.controls_implemented, facts.controls_total) + _share(covered, criteria.in_scope)) / 2, 4
        )
    else:
        controls_progress = 0.0
    with_evidence = facts.controls_total - facts.controls_without_evidence
    engagement_steps = (1 if facts.firm_chosen else 0) + facts.milestones_done
    report_progress = 1.0 if facts.report_shared else 0.5 if facts.report_received else 0.0
    values = (
        (_share(done_items, len(facts.scope_checklist)),
         f"{done_items} of {len(facts.scope_checklist)} scope items complete"),
        (_share(criteria.assessed, criteria.in_scope),
         f"{criteria.assessed} of {criteria.in_scope} criteria assessed"),
        (controls_progress,
         f"{facts.controls_implemented} of {facts.controls_total} controls implemented, "
         f"{covered} of {criteria.in_scope} criteria covered"),
        (_share(with_evidence, facts.controls_total),
         f"{with_evidence} of {facts.controls_total} controls have evidence"),
        (_share(engagement_steps, 1 + facts.milestones_total),
         ("firm chosen, " if facts.firm_chosen else "no firm chosen yet, ")
         + f"{facts.milestones_done} of {facts.milestones_total} milestones done"),
        (report_progress,
         "report shared" if facts.report_shared else "report received" if facts.report_received
         else "no report yet"),
    )
    return tuple(
        StepProgress(number, title, progress, summary)
        for number, (title, (progress, summary)) in enumerate(zip(STEP_TITLES, values, strict=True), start=1)
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def next_actions(facts: ProjectFacts, limit: int = 6) -> list[tuple[int, str]]:
    """Return up to `limit` (step number, sentence) pairs: what to do next, most pressing first."""
    actions: list[tuple[int, str]] = []
    if facts.overdue_tasks:
        actions.append((3, f"{_plural(facts.overdue_tasks, 'task')} overdue: reassign or reschedule"))
    if facts.exceptions_without_response:
        actions.append((6, f"Write management's response to {_plural(facts.exceptions_without_response, 'exception')}"
                           " the auditor found"))
    missing = [label for label, done in facts.scope_checklist if not done]
    if missing:
        first = missing[0][:1].lower() + missing[0][1:]  # "Describe DC1 ..." keeps its DC code in capitals
        actions.append((1, f"Complete the scope: {first}"
                           + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")))
    actions.extend(facts.register_actions)
    criteria = facts.criteria
    if criteria.not_assessed:
        noun = "criterion" if criteria.not_assessed == 1 else "criteria"
        actions.append((2, f"Assess {criteria.not_assessed} {noun} not yet assessed"))
    if criteria.gap:
        actions.append((2, f"Plan remediation for {_plural(criteria.gap, 'gap')}"))
    if facts.criteria_without_controls:
        noun = "criterion" if facts.criteria_without_controls == 1 else "criteria"
        actions.append((3, f"Map a control to {facts.criteria_without_controls} {noun} without one"))
    if facts.controls_unmapped:
        actions.append((3, f"Link {_plural(facts.controls_unmapped, 'control')} to criteria"))
    not_implemented = facts.controls_total - facts.controls_implemented
    if not_implemented:
        actions.append((3, f"Finish implementing {_plural(not_implemented, 'control')}"))
    if facts.controls_without_evidence:
        actions.append((4, f"Attach evidence to {_plural(facts.controls_without_evidence, 'control')}"))
    if not facts.firm_chosen:
        actions.append((5, "Choose a licensed CPA firm for the audit"))
    elif facts.open_requests:
        actions.append((5, f"Answer {_plural(facts.open_requests, 'open auditor request')}"))
    if facts.report_received and not facts.report_shared:
        actions.append((6, "Share the report with the customers who asked for it"))
    return actions[:limit]
