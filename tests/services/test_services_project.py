"""Creating a project, the audit period, and the status document of the command-line contract."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import AssessmentStatus, Category, ControlStatus, ReportType
from workbench.domain.errors import ProjectFileError, ValidationError
from workbench.services.assessment import assess
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.integrity import check_project
from workbench.services.project import (
    NewProject,
    audit_period,
    create_project,
    get_settings,
    project_status,
    status_document,
    update_settings,
)
from workbench.services.session import OpenProject

ALL = tuple(Category)

# -- create_project -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "expected_categories", "in_scope"),
    [
        ((), (Category.SECURITY,), 33),
        ((Category.SECURITY,), (Category.SECURITY,), 33),
        ((Category.AVAILABILITY,), (Category.SECURITY, Category.AVAILABILITY), 36),
        ((Category.PRIVACY, Category.AVAILABILITY), (Category.SECURITY, Category.AVAILABILITY, Category.PRIVACY), 54),
        (ALL, ALL, 61),
    ],
)
def test_security_is_always_in_scope(
    make_project: Callable[..., OpenProject], project_location: Any, reopen: Any,
    categories: tuple[Category, ...], expected_categories: tuple[Category, ...], in_scope: int,
) -> None:
    path = project_location("p.soc2")
    make_project(path, NewProject("Acme", categories=categories)).close()
    with reopen(path) as project:
        assert get_settings(project).categories == expected_categories
        assert project_status(project).criteria.in_scope == in_scope


def test_type2_with_availability_has_36_criteria_in_scope(
    make_project: Callable[..., OpenProject], project_location: Any, reopen: Any
) -> None:
    start, end = audit_period(ReportType.TYPE2, date(2026, 1, 1), 6)
    path = project_location("p.soc2")
    make_project(path, NewProject("Acme", "Acme Cloud", ReportType.TYPE2, (Category.AVAILABILITY,), start, end)).close()
    with reopen(path) as project:
        document = status_document(project, project_status(project))
    assert document["criteria"]["in_scope"] == 36
    assert document["criteria"]["not_assessed"] == 36
    assert document["project"]["report_type"] == "type2"
    assert document["project"]["categories"] == ["security", "availability"]
    assert document["project"]["period"] == {"start": "2026-01-01", "end": "2026-06-30"}


def test_type1_period_is_one_date(make_project: Callable[..., OpenProject], project_location: Any, reopen: Any) -> None:
    start, end = audit_period(ReportType.TYPE1, date(2026, 9, 30), None)
    assert start == end == date(2026, 9, 30)
    path = project_location("p.soc2")
    make_project(path, NewProject("Acme", report_type=ReportType.TYPE1, period_start=start, period_end=end)).close()
    with reopen(path) as project:
        settings = get_settings(project)
    assert settings.report_type is ReportType.TYPE1
    assert settings.period_start == settings.period_end == date(2026, 9, 30)


def test_created_project_records_catalog_and_creation_time(new_project: OpenProject, clock: Any,
                                                           reopen: Any) -> None:
    new_project.close()
    with reopen(new_project.path) as project:
        settings = get_settings(project)
    assert settings.catalog_version == "2017-rev2022"
    assert settings.catalog_name.startswith("2017 Trust Services Criteria")
    assert settings.created_at == clock()
    assert isinstance(settings.created_at, datetime)


def test_names_are_trimmed(make_project: Callable[..., OpenProject], project_location: Any, reopen: Any) -> None:
    path = project_location("p.soc2")
    make_project(path, NewProject("  Acme Ltd  ", "  Acme Cloud ")).close()
    with reopen(path) as project:
        settings = get_settings(project)
    assert (settings.organization, settings.system_name) == ("Acme Ltd", "Acme Cloud")


@pytest.mark.parametrize(
    ("spec", "what"),
    [
        (NewProject("   "), "--org"),
        (NewProject("Acme", period_start=date(2026, 6, 1), period_end=date(2026, 5, 31)), "audit period"),
    ],
)
def test_create_project_validation_errors_make_no_file(project_location: Any, holds_no_project: Any, clock: Any,
                                                       spec: NewProject, what: str) -> None:
    location = project_location("p.soc2")
    with pytest.raises(ValidationError) as caught:
        create_project(location, spec, clock=clock)
    assert caught.value.what == what
    assert holds_no_project(location)


def test_create_project_refuses_an_existing_file(new_project: OpenProject, clock: Any,
                                                 fingerprint: Callable[[Path], Any]) -> None:
    new_project.close()
    before = fingerprint(new_project.path)
    with pytest.raises(ProjectFileError, match=r"already exists|already holds tables"):
        create_project(new_project.path, NewProject("Other"), clock=clock)
    assert fingerprint(new_project.path) == before


# -- audit_period -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 1, 1), None, date(2026, 6, 30)),  # default: six months
        (date(2026, 1, 1), 6, date(2026, 6, 30)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
        (date(2026, 7, 1), 12, date(2027, 6, 30)),
        (date(2026, 1, 15), 1, date(2026, 2, 14)),
        (date(2026, 3, 1), 3, date(2026, 5, 31)),
        (date(2026, 11, 1), 3, date(2027, 1, 31)),
        (date(2026, 1, 1), 24, date(2027, 12, 31)),
        (date(2027, 2, 1), 1, date(2027, 2, 28)),
        (date(2028, 2, 1), 1, date(2028, 2, 29)),
    ],
)
def test_type2_period_runs_whole_months_inclusive(start: date, months: int | None, end: date) -> None:
    assert audit_period(ReportType.TYPE2, start, months) == (start, end)


@pytest.mark.parametrize(
    ("start", "months"),
    [(date(2026, 1, 31), 1), (date(2025, 12, 31), 2), (date(2026, 8, 31), 6), (date(2024, 2, 29), 12)],
)
def test_period_from_a_month_end_ends_in_the_right_month(start: date, months: int) -> None:
    # Plain day arithmetic would spill into the following month (31 January + 1 month = 3 March).
    _, end = audit_period(ReportType.TYPE2, start, months)
    expected_month = (start.month - 1 + months) % 12 + 1
    assert end is not None
    assert end.month == expected_month
    assert end.year == start.year + (start.month - 1 + months) // 12
    assert end.day >= 27  # the day before "the same day" that many months on, clamped to the month's end


def test_period_of_jan_31_plus_one_month_stays_in_february() -> None:
    _, end = audit_period(ReportType.TYPE2, date(2026, 1, 31), 1)
    assert end is not None and end.month == 2 and end.year == 2026
    assert end == date(2026, 2, 27)  # the day before "the same day" a month on (28 February)


def test_no_start_means_no_period() -> None:
    assert audit_period(ReportType.TYPE2, None, None) == (None, None)
    assert audit_period(ReportType.TYPE1, None, None) == (None, None)


@pytest.mark.parametrize(
    ("report_type", "start", "months", "phrase"),
    [
        (ReportType.TYPE2, None, 6, "needs a period start"),
        (ReportType.TYPE1, date(2026, 1, 1), 6, "Type I"),
        (ReportType.TYPE2, date(2026, 1, 1), 0, "between 1 and 24"),
        (ReportType.TYPE2, date(2026, 1, 1), 25, "between 1 and 24"),
        (ReportType.TYPE2, date(2026, 1, 1), -3, "between 1 and 24"),
    ],
)
def test_bad_period_arguments(report_type: ReportType, start: date | None, months: int, phrase: str) -> None:
    with pytest.raises(ValidationError, match=phrase) as caught:
        audit_period(report_type, start, months)
    assert caught.value.what == "--period-months"


# -- settings ---------------------------------------------------------------------------------------------


def test_update_settings_persists_and_keeps_security(new_project: OpenProject, reopen: Any) -> None:
    update_settings(new_project, categories=(Category.CONFIDENTIALITY,), system_name="Acme API")
    new_project.close()
    with reopen(new_project.path) as project:
        settings = get_settings(project)
    assert settings.categories == (Category.SECURITY, Category.CONFIDENTIALITY)
    assert settings.system_name == "Acme API"


def test_update_settings_refuses_bad_values(new_project: OpenProject, reopen: Any) -> None:
    with pytest.raises(ValidationError):
        update_settings(new_project, organization="  ")
    with pytest.raises(ValidationError):
        update_settings(new_project, period_end=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        update_settings(new_project, created_at=None)
    new_project.close()
    with reopen(new_project.path) as project:
        settings = get_settings(project)
    assert settings.organization == "Acme Ltd" and settings.period_end == date(2026, 6, 30)


# -- status -----------------------------------------------------------------------------------------------

CONTRACT = {
    "project": {"organization", "system", "report_type", "categories", "period"},
    "criteria": {"in_scope", "met", "partially_met", "gap", "not_applicable", "not_assessed"},
    "controls": {"total", "implemented", "unmapped"},
    "evidence": {"items", "controls_without_evidence"},
}


def test_status_document_has_the_contract_keys(new_project: OpenProject) -> None:
    document = status_document(new_project, project_status(new_project))
    assert set(CONTRACT) | {"steps", "readiness"} <= set(document)
    for key, fields in CONTRACT.items():
        assert fields <= set(document[key]), key
    assert set(document["project"]["period"]) >= {"start", "end"}
    assert len(document["steps"]) == 6
    for number, step in enumerate(document["steps"], start=1):
        assert {"number", "title", "progress"} <= set(step)
        assert step["number"] == number
        assert 0.0 <= step["progress"] <= 1.0
    assert [s["title"] for s in document["steps"]] == [
        "Define scope", "Readiness assessment", "Implement controls", "Collect evidence", "Engage a CPA firm",
        "Receive and share the report",
    ]
    assert isinstance(document["readiness"], float)


def test_status_reflects_work_done(new_project: OpenProject, reopen: Any) -> None:
    assess(new_project, "CC1.1", AssessmentStatus.MET)
    assess(new_project, "CC1.2", AssessmentStatus.PARTIALLY_MET)
    assess(new_project, "CC1.3", AssessmentStatus.GAP)
    assess(new_project, "CC1.4", AssessmentStatus.NOT_APPLICABLE, "No board: two founders")
    add_control(new_project, ControlDraft("GOV-1", "Code of conduct", status=ControlStatus.IMPLEMENTED,
                                          criteria=("CC1.1",)))
    add_control(new_project, ControlDraft("GOV-2", "Unmapped control"))
    add_evidence_bytes(new_project, "conduct.txt", b"signed\n", EvidenceMeta("GOV-1"))
    new_project.close()
    with reopen(new_project.path) as project:
        document = status_document(project, project_status(project))
    assert document["criteria"] == {
        "in_scope": 33, "met": 1, "partially_met": 1, "gap": 1, "not_applicable": 1, "not_assessed": 29,
    }
    assert document["controls"] == {"total": 2, "implemented": 1, "unmapped": 1}
    assert document["evidence"] == {"items": 1, "controls_without_evidence": 1}
    assert document["readiness"] == pytest.approx(1.5 / 32, abs=1e-4)
    assert document["steps"][1]["progress"] == pytest.approx(4 / 33, abs=1e-4)


def test_check_project_passes_on_a_sound_project(new_project: OpenProject) -> None:
    results = check_project(new_project)
    assert [r.name for r in results] == ["database integrity", "evidence hashes", "audit trail chain"]
    assert all(r.ok for r in results)


def test_the_agenda_sums_up_evidence_missing_for_past_windows(project_location) -> None:
    from workbench.domain.entities import ControlDraft
    from workbench.domain.enums import Frequency
    from workbench.services.controls import add_control
    from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
    from workbench.services.project import project_status

    spec = NewProject("Gap Co", report_type=ReportType.TYPE2,
                      period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    with create_project(project_location("gaps.soc2"), spec) as project:
        add_control(project, ControlDraft("QR-1", "Quarterly review", frequency=Frequency.QUARTERLY,
                                          criteria=("CC4.1",)))
        add_evidence_bytes(project, "q1.txt", b"Q1 review", EvidenceMeta("QR-1", collected_on=date(2026, 3, 20)))
        during = project_status(project, today=date(2026, 5, 1))
        after = project_status(project, today=date(2026, 7, 15))
    assert not any(item.step == 4 for item in during.agenda)  # Q2 has not ended yet on 1 May
    (gap,) = [item for item in after.agenda if item.step == 4]
    assert gap.overdue and gap.due == date(2026, 6, 30)
    assert "1 past window" in gap.text and "QR-1" in gap.text


def test_the_status_of_the_sample_runs_no_orm_query(sample_location, reopen) -> None:
    """The dashboard's first status reads plain rows: an ORM query would make the first showing configure every
    mapper and compile each query through the ORM (most of its time at start-up)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    orm_queries: list[str] = []

    def note(state: Any) -> None:
        if state.is_orm_statement:
            orm_queries.append(str(state.statement))

    event.listen(Session, "do_orm_execute", note)
    try:
        with reopen(sample_location()) as project:
            status = project_status(project)
    finally:
        event.remove(Session, "do_orm_execute", note)
    assert orm_queries == []
    assert status.settings.organization == "Brightpath Analytics, Inc." and status.facts.controls_total > 0


def test_a_read_sees_what_its_unit_of_work_changed_before_saving(new_project: OpenProject, reopen: Any) -> None:
    from dataclasses import replace

    from workbench.domain.entities import DESCRIPTION_KEYS

    organization = get_settings(new_project).organization
    with new_project.uow() as uow:
        uow.settings.save(replace(uow.settings.get(), organization="Renamed Co"))
        uow.description.set(DESCRIPTION_KEYS[0], "Our platform")
        assert uow.settings.get().organization == "Renamed Co"  # plain reads send pending changes first
        assert uow.description.get_all()[DESCRIPTION_KEYS[0]] == "Our platform"
    path = new_project.path
    new_project.close()
    with reopen(path) as project:  # never committed: nothing was kept
        assert get_settings(project).organization == organization != "Renamed Co"
