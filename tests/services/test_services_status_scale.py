"""A big project's status stays cheap: the same evidence gaps without whole calendars, no evidence bytes read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.entities import Control, ControlDraft, Evidence, ProjectSettings
from workbench.domain.enums import Category, ControlStatus, Frequency, ReportType
from workbench.domain.period import EvidenceDates, project_period
from workbench.services.controls import add_control, control_library
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, evidence_overview, list_evidence
from workbench.services.period import POPULATION, past_missing, period_of_controls
from workbench.services.project import project_status, status_document
from workbench.services.session import OpenProject

START = date(2026, 1, 1)
days = st.integers(min_value=-400, max_value=600).map(lambda n: START + timedelta(days=n))
maybe_day = st.none() | days


def _settings(report_type: ReportType, start: date | None, end: date | None) -> ProjectSettings:
    return ProjectSettings("Gap Co", "", report_type, (Category.SECURITY,), start, end)


@st.composite
def projects(draw: Any) -> tuple[ProjectSettings, list[Control], list[Evidence], date]:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(min_value=-5, max_value=500)))
    report_type = draw(st.sampled_from([ReportType.TYPE2, ReportType.TYPE2, ReportType.TYPE1]))
    frequencies = [None, *Frequency]
    controls = [Control(id=i + 1, ref=f"C-{i}", title="", frequency=draw(st.sampled_from(frequencies)),
                        status=ControlStatus.NOT_STARTED)
                for i in range(draw(st.integers(min_value=0, max_value=6)))]
    evidence = []
    for number in range(draw(st.integers(min_value=0, max_value=25)) if controls else 0):
        control = draw(st.sampled_from(controls))
        evidence.append(Evidence(id=number + 1, control_ref=control.ref, title="e", filename="e.txt", sha256="0" * 64,
                                 size=1, media_type="text/plain", collected_on=draw(maybe_day),
                                 period_start=draw(maybe_day), period_end=draw(maybe_day)))
    return _settings(report_type, start, end), controls, evidence, draw(days)


@settings(max_examples=300, deadline=None)
@given(projects())
def test_the_dashboards_missing_windows_are_the_calendars_that_are_over(
        case: tuple[Any, list[Control], list[Evidence], date]) -> None:
    settings_, controls, evidence, today = case
    by_id = {c.ref: c.id for c in controls}
    dates: dict[int, list[EvidenceDates]] = {}
    for item in evidence:
        dates.setdefault(by_id[item.control_ref], []).append(
            EvidenceDates(item.id, item.collected_on, item.period_start, item.period_end))
    period = project_period(settings_)
    expected = []
    if period is not None and settings_.report_type is ReportType.TYPE2:
        for entry in period_of_controls(controls, evidence, period, today):
            expected += [(w.end, entry.control.ref) for w in entry.windows if w.status.value == "missing"]
            if entry.expects == POPULATION and period.end < today:
                expected.append((period.end, entry.control.ref))  # no population imported
    assert past_missing(settings_, controls, dates, set(), today) == expected


@pytest.fixture
def bytes_statements() -> Iterator[list[str]]:
    """Every SQL statement on the evidence bytes (the chunks table) run while the test runs."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "evidence_chunks" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    yield seen
    event.remove(Engine, "before_cursor_execute", before)


def test_listing_and_counting_evidence_never_reads_its_bytes(new_project: OpenProject,
                                                             bytes_statements: list[str]) -> None:
    add_control(new_project, ControlDraft("AC-1", "Access review", frequency=Frequency.WEEKLY, criteria=("CC6.1",)))
    for number in range(3):
        add_evidence_bytes(new_project, f"log{number}.txt", f"review {number}\n".encode() * 100,
                           EvidenceMeta("AC-1", collected_on=date(2026, 2, 2 + number)))
    bytes_statements.clear()
    status = project_status(new_project, today=date(2026, 12, 31))
    assert status_document(new_project, status)["evidence"]["items"] == 3
    assert len(list_evidence(new_project)) == 3
    assert evidence_overview(new_project).counts == {"AC-1": 3}
    assert control_library(new_project).evidence_counts == {"AC-1": 3}
    assert bytes_statements == []
