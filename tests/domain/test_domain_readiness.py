"""Readiness rules: criteria counts, the readiness figure, progress per step, next actions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workbench.domain.enums import AssessmentStatus as S
from workbench.domain.readiness import (
    CriteriaCounts,
    ProjectFacts,
    count_criteria,
    next_actions,
    readiness,
    step_progress,
)

STEP_TITLES_OF_THE_DESIGN = [
    "Define scope",
    "Readiness assessment",
    "Implement controls",
    "Collect evidence",
    "Engage a CPA firm",
    "Receive and share the report",
]


def facts(**changes: object) -> ProjectFacts:
    """A project mid-way: some scope done, some criteria judged, a few controls."""
    base = ProjectFacts(
        scope_checklist=(("Name the organisation", True), ("Name the system", True),
                         ("Set the audit period", True), ("Describe: services provided", False)),
        criteria=CriteriaCounts(in_scope=8, met=2, partially_met=1, gap=1, not_applicable=1, not_assessed=3),
        criteria_without_controls=2,
        controls_total=4,
        controls_implemented=1,
        controls_unmapped=1,
        evidence_items=5,
        controls_without_evidence=1,
        firm_chosen=True,
        milestones_total=3,
        milestones_done=1,
        report_received=True,
        report_shared=False,
        open_tasks=3,
        overdue_tasks=2,
        open_requests=1,
    )
    return replace(base, **changes)


def finished() -> ProjectFacts:
    return facts(
        scope_checklist=(("Name the organisation", True),),
        criteria=CriteriaCounts(in_scope=4, met=3, not_applicable=1),
        criteria_without_controls=0, controls_total=2, controls_implemented=2, controls_unmapped=0,
        controls_without_evidence=0, milestones_total=2, milestones_done=2, report_received=True,
        report_shared=True, open_tasks=0, overdue_tasks=0, open_requests=0,
    )


# -- counting -------------------------------------------------------------------------------------------


def test_count_criteria_tallies_in_scope_ids_only() -> None:
    statuses = {
        "CC1.1": S.MET, "CC1.2": S.PARTIALLY_MET, "CC1.3": S.GAP, "CC1.4": S.NOT_APPLICABLE,
        "CC1.5": S.NOT_ASSESSED, "A1.1": S.MET,  # A1.1 is not in scope: ignored
    }
    counts = count_criteria(["CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC2.1"], statuses)
    assert counts == CriteriaCounts(in_scope=6, met=1, partially_met=1, gap=1, not_applicable=1, not_assessed=2)
    assert counts.assessed == 4


def test_count_criteria_of_nothing() -> None:
    assert count_criteria([], {"CC1.1": S.MET}) == CriteriaCounts()


# -- readiness ------------------------------------------------------------------------------------------


def test_readiness_counts_met_whole_partial_half_and_excludes_not_applicable() -> None:
    counts = CriteriaCounts(in_scope=10, met=4, partially_met=2, gap=1, not_applicable=2, not_assessed=1)
    assert readiness(counts) == pytest.approx((4 + 0.5 * 2) / 8)


def test_not_applicable_is_not_the_same_as_a_gap() -> None:
    with_na = CriteriaCounts(in_scope=4, met=2, not_applicable=2)
    with_gap = CriteriaCounts(in_scope=4, met=2, gap=2)
    assert readiness(with_na) == 1.0
    assert readiness(with_gap) == 0.5


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (CriteriaCounts(), 0.0),
        (CriteriaCounts(in_scope=3, not_applicable=3), 0.0),
        (CriteriaCounts(in_scope=3, not_assessed=3), 0.0),
        (CriteriaCounts(in_scope=3, partially_met=3), 0.5),
        (CriteriaCounts(in_scope=3, met=1, not_assessed=2), pytest.approx(1 / 3, abs=1e-4)),
    ],
)
def test_readiness_edges(counts: CriteriaCounts, expected: float) -> None:
    assert readiness(counts) == expected


# -- step progress ---------------------------------------------------------------------------------------


def test_step_progress_values_and_titles() -> None:
    steps = step_progress(facts())
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6]
    assert [s.title for s in steps] == STEP_TITLES_OF_THE_DESIGN
    assert [s.progress for s in steps] == [
        0.75,   # 3 of 4 scope items
        0.625,  # 5 of 8 criteria assessed
        0.5,    # (1 of 4 controls implemented + 6 of 8 criteria covered) / 2
        0.75,   # 3 of 4 controls have evidence
        0.5,    # firm chosen + 1 of 3 milestones, out of 1 + 3
        0.5,    # report received, not yet shared
    ]
    assert steps[0].summary == "3 of 4 scope items complete"
    assert steps[1].summary == "5 of 8 criteria assessed"
    assert steps[2].summary == "1 of 4 controls implemented, 6 of 8 criteria covered"
    assert steps[3].summary == "3 of 4 controls have evidence"
    assert steps[4].summary == "firm chosen, 1 of 3 milestones done"
    assert steps[5].summary == "report received"


def test_step_progress_of_an_empty_project_is_zero_everywhere() -> None:
    empty = facts(
        scope_checklist=(("Name the organisation", False),), criteria=CriteriaCounts(in_scope=5, not_assessed=5),
        criteria_without_controls=5, controls_total=0, controls_implemented=0, controls_unmapped=0,
        evidence_items=0, controls_without_evidence=0, firm_chosen=False, milestones_total=0,
        milestones_done=0, report_received=False, report_shared=False,
    )
    steps = step_progress(empty)
    assert [s.progress for s in steps] == [0.0] * 6
    assert steps[4].summary == "no firm chosen yet, 0 of 0 milestones done"
    assert steps[5].summary == "no report yet"


def test_step_progress_of_a_finished_project_is_complete_everywhere() -> None:
    steps = step_progress(finished())
    assert [s.progress for s in steps] == [1.0] * 6
    assert steps[5].summary == "report shared"


def test_every_step_stays_between_zero_and_one() -> None:
    for variant in (facts(), finished(), facts(controls_total=1, controls_implemented=1, criteria_without_controls=0)):
        assert all(0.0 <= s.progress <= 1.0 for s in step_progress(variant))


# -- next actions ----------------------------------------------------------------------------------------


def test_next_actions_most_pressing_first() -> None:
    assert next_actions(facts()) == [
        (3, "2 tasks overdue: reassign or reschedule"),
        (1, "Complete the scope: describe: services provided"),
        (2, "Assess 3 criteria not yet assessed"),
        (2, "Plan remediation for 1 gap"),
        (3, "Map a control to 2 criteria without one"),
        (3, "Link 1 control to criteria"),
    ]


def test_next_actions_respects_the_limit() -> None:
    assert next_actions(facts(), limit=2) == next_actions(facts())[:2]
    assert len(next_actions(facts(), limit=20)) == 10


def test_next_actions_later_steps() -> None:
    actions = next_actions(facts(), limit=20)
    assert actions[6:] == [
        (3, "Finish implementing 3 controls"),
        (4, "Attach evidence to 1 control"),
        (5, "Answer 1 open auditor request"),
        (6, "Share the report with the customers who asked for it"),
    ]


def test_next_actions_without_a_firm_asks_to_choose_one() -> None:
    actions = next_actions(facts(firm_chosen=False), limit=20)
    assert (5, "Choose a licensed CPA firm for the audit") in actions
    assert not any(text.startswith("Answer") for _, text in actions)


def test_next_actions_singular_forms() -> None:
    actions = next_actions(facts(overdue_tasks=1, criteria=CriteriaCounts(in_scope=8, met=7, not_assessed=1),
                                 criteria_without_controls=1), limit=20)
    assert (3, "1 task overdue: reassign or reschedule") in actions
    assert (2, "Assess 1 criterion not yet assessed") in actions
    assert (3, "Map a control to 1 criterion without one") in actions


def test_nothing_left_to_do() -> None:
    assert next_actions(finished()) == []
