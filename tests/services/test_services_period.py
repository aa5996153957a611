"""The Type II period over a project: expected windows per control, evidence in or out of period, add warnings."""

from __future__ import annotations

from datetime import date

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.evidence_checks import evidence_warnings
from workbench.services.period import (
    AUTOMATED_NOTE,
    calendar_document,
    evidence_in_period,
    project_calendar,
    project_period,
)
from workbench.services.project import get_settings
from workbench.services.session import OpenProject


def _control(project: OpenProject, ref: str, frequency: Frequency, since: date | None = None,
             nature: Nature | None = None) -> None:
    add_control(project, ControlDraft(ref, f"{ref} title", frequency=frequency, nature=nature,
                                      implemented_since=since))


def test_a_quarterly_control_implemented_mid_q1_expects_only_q2(new_project: OpenProject) -> None:
    project = new_project
    _control(project, "Q-1", Frequency.QUARTERLY, date(2026, 2, 15))
    period, controls, populations = project_calendar(project, date(2026, 5, 1))
    rows = [r for r in calendar_document(period, controls, populations, date(2026, 5, 1)) if r["control"] == "Q-1"]
    assert [(r["window_start"], r["window_end"], r["window"], r["status"]) for r in rows] == [
        ("2026-04-01", "2026-06-30", "2026-Q2", "not_due")]


def test_windows_are_covered_missing_or_not_due_by_evidence_and_today(new_project: OpenProject) -> None:
    project = new_project
    _control(project, "M-1", Frequency.MONTHLY)
    add_evidence_bytes(project, "jan.txt", b"jan", EvidenceMeta("M-1", collected_on=date(2026, 1, 20)))
    _period, controls, _ = project_calendar(project, date(2026, 3, 15))
    statuses = {w.label: w.status.value for w in controls[0].windows}
    assert statuses == {"2026-01": "covered", "2026-02": "missing", "2026-03": "not_due", "2026-04": "not_due",
                        "2026-05": "not_due", "2026-06": "not_due"}


def test_event_driven_controls_expect_a_population_and_automated_ones_one_test(new_project: OpenProject) -> None:
    project = new_project
    _control(project, "E-1", Frequency.EVENT_DRIVEN)
    _control(project, "A-1", Frequency.DAILY, nature=Nature.AUTOMATED)
    period, controls, populations = project_calendar(project, date(2026, 7, 15))
    rows = {r["control"]: r for r in calendar_document(period, controls, populations, date(2026, 7, 15))}
    assert rows["E-1"]["expects"] == "population" and rows["E-1"]["status"] == "missing"
    assert rows["A-1"]["note"] == AUTOMATED_NOTE and rows["A-1"]["window_end"] == "2026-06-30"


def test_evidence_reflecting_october_2025_is_out_of_period(new_project: OpenProject) -> None:
    project = new_project
    _control(project, "Q-1", Frequency.QUARTERLY)
    add_evidence_bytes(project, "old.txt", b"old", EvidenceMeta("Q-1", period_start=date(2025, 10, 1),
                                                                 period_end=date(2025, 10, 31)))
    add_evidence_bytes(project, "new.txt", b"new", EvidenceMeta("Q-1", collected_on=date(2026, 2, 1)))
    add_evidence_bytes(project, "none.txt", b"none", EvidenceMeta("Q-1"))
    period = project_period(get_settings(project))
    assert {e.filename: evidence_in_period(period, e) for e in list_evidence(project)} == {
        "old.txt": False, "new.txt": True, "none.txt": None}


def test_adding_points_out_future_dates_second_copies_and_undated_type2_items(new_project: OpenProject) -> None:
    project = new_project
    _control(project, "Q-1", Frequency.QUARTERLY)
    first = add_evidence_bytes(project, "a.txt", b"same", EvidenceMeta("Q-1", collected_on=date(2026, 2, 1))).value
    assert evidence_warnings(project, [first], date(2026, 3, 1)) == {}
    again = add_evidence_bytes(project, "b.txt", b"same", EvidenceMeta("Q-1")).value
    future = add_evidence_bytes(project, "c.txt", b"c", EvidenceMeta("Q-1", collected_on=date(2026, 5, 1))).value
    found = evidence_warnings(project, [again, future], date(2026, 3, 1))
    assert any("same SHA-256" in w for w in found[again.id]) and any("undated" in w for w in found[again.id])
    assert any("future" in w for w in found[future.id])
