"""The system description on DC1-DC9: texts, CSOCs and CUEC criteria read back from a reopened project, and the
description the documents print with what the project's records fill in."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft, Csoc
from workbench.domain.enums import AssessmentStatus, ComponentKind, SubserviceMethod
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.incidents import Incident, Severity
from workbench.services import description, scope
from workbench.services.assessment import assess
from workbench.services.controls import add_control
from workbench.services.incidents import INCIDENTS
from workbench.services.register_records import add_record
from workbench.services.session import OpenProject


def test_sections_and_parts_are_saved_undone_and_read_back(new_project: OpenProject, reopen: Any) -> None:
    change = description.save_section(new_project, "dc1", "Analytics for retailers.")
    description.save_section(new_project, "dc3.data", "Point-of-sale events.")
    assert description.read_section(new_project, "dc1") == "Analytics for retailers."
    later = description.save_section(new_project, "dc1", "Something else")
    assert later.inverse is not None and change.inverse is not None
    later.inverse(new_project)  # undo: the text before the edit is back
    with pytest.raises(ValidationError, match="unknown"):
        description.read_section(new_project, "dc10")
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        assert description.read_section(again, "dc3.data") == "Point-of-sale events."
        assert description.read_section(again, "dc1") == "Analytics for retailers."


def test_csocs_are_added_edited_removed_with_criteria_and_undone(new_project: OpenProject, reopen: Any) -> None:
    aws = scope.add_subservice(new_project, "AWS", "Hosting", SubserviceMethod.CARVE_OUT).value
    first = description.add_csoc(new_project, aws, "AWS restricts physical access", ["cc6.4"]).value.csocs[0]
    added = description.add_csoc(new_project, aws, "AWS keeps power and cooling", ["A1.2", "CC7.2"])
    second = added.value.csocs[1]
    assert (first.criteria, second.criteria) == (("CC6.4",), ("CC7.2", "A1.2"))  # catalog order
    edited = description.update_csoc(new_project, aws, Csoc(first.id, "AWS guards its data centres", ("CC6.4",)))
    removed = description.remove_csoc(new_project, aws, second.id)
    assert [c.text for c in removed.value.csocs] == ["AWS guards its data centres"]
    removed.inverse(new_project)  # undo: the CSOC is back with its id and criteria
    with pytest.raises(ValidationError, match=r"'ZZ9\.9' is not a Trust Services Criterion"):
        description.add_csoc(new_project, aws, "Bad", ["ZZ9.9"])
    with pytest.raises(ValidationError, match="cannot be empty"):
        description.add_csoc(new_project, aws, "  ")
    with pytest.raises(NotFoundError):
        description.remove_csoc(new_project, aws, 999)
    assert edited.value.csocs[0].text == "AWS guards its data centres"
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        (stored,) = scope.get_scope(again).subservices
        assert stored.csocs == (Csoc(first.id, "AWS guards its data centres", ("CC6.4",)), second)


def test_cuec_criteria_are_saved_and_undone(new_project: OpenProject, reopen: Any) -> None:
    cuec_id = scope.add_cuec(new_project, "Customers review their users.", ["CC6.2"]).value
    change = description.set_cuec_criteria(new_project, cuec_id, ["CC6.2", "cc6.3"])
    assert change.value.criteria == ("CC6.2", "CC6.3")
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        assert scope.get_scope(again).cuecs[0].criteria == ("CC6.2", "CC6.3")
        change.inverse(again)
        assert scope.get_scope(again).cuecs[0].criteria == ("CC6.2",)


def _filled(project: OpenProject) -> None:
    scope.set_description(project, {"dc1": "Dashboards.", "dc9": "A second region."})
    scope.add_component(project, ComponentKind.SOFTWARE, "API", "The public API")
    scope.add_subservice(project, "AWS", "Hosting", SubserviceMethod.CARVE_OUT, "Type II",
                         (Csoc(0, "AWS restricts physical access", ("CC6.4",)),))
    scope.add_cuec(project, "Customers review their users.", ("CC6.2",))
    add_control(project, ControlDraft("AC-1", "Access review", criteria=("CC6.2",), implemented_since=date(2026, 3, 1)))
    add_control(project, ControlDraft("OLD-1", "Retired", criteria=("CC6.2",), retired_on=date(2025, 6, 1)))
    assess(project, "CC6.5", AssessmentStatus.NOT_APPLICABLE, "No physical media leave the cloud.")
    add_record(project, INCIDENTS, Incident(0, "INC-1", "Database outage", date(2026, 2, 3), severity=Severity.HIGH))
    add_record(project, INCIDENTS, Incident(0, "INC-2", "Typo on a page", date(2026, 2, 4), severity=Severity.LOW))
    add_record(project, INCIDENTS, Incident(0, "INC-3", "Before the period", date(2025, 2, 4),
                                            severity=Severity.CRITICAL))


def test_system_description_fills_what_the_project_knows(new_project: OpenProject, reopen: Any) -> None:
    _filled(new_project)
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        d = description.get_system_description(again)
        with again.uow() as uow:
            missing = description.description_unwritten(uow)
    assert (d.organization, d.system_name, d.report_type) == ("Acme Ltd", "Acme Cloud", "type2")
    assert d.categories == ("Security",)
    assert [s.code for s in d.sections] == [f"DC{n}" for n in range(1, 10)]
    assert all(s.checklist for s in d.sections)
    assert d.section("DC1").text == "Dashboards."
    assert [p.title for p in d.section("DC3").parts] == ["Infrastructure", "Software", "People", "Procedures", "Data"]
    assert d.section("DC3").tables[0].rows == (("Software", "API", "The public API", "yes"),)
    assert [r[0] for r in d.section("DC4").tables[0].rows] == ["INC-1"]
    dc5 = {row[0]: row[2] for row in d.section("DC5").tables[0].rows}
    assert dc5["CC6.2"] == "AC-1 Access review" and dc5["CC6.5"] == "Not applicable (see DC8)"
    assert dc5["CC1.1"] == "No control mapped yet" and len(dc5) == 33
    assert d.section("DC6").tables[0].rows == (("1", "Customers review their users.", "CC6.2"),)
    organisations, aws = d.section("DC7").tables
    assert organisations.rows == (("AWS", "Hosting", "Carve-out", "Type II"),)
    assert aws.rows == (("1", "AWS restricts physical access", "CC6.4"),)
    not_applicable, left_out = d.section("DC8").tables
    assert [(r[0], r[2]) for r in not_applicable.rows] == [("CC6.5", "No physical media leave the cloud.")]
    assert [r[0] for r in left_out.rows] == ["Availability", "Confidentiality", "Processing integrity", "Privacy"]
    assert d.section("DC9").text == "A second region."
    assert d.section("DC9").tables[0].rows == (("2026-03-01", "Control AC-1 Access review began operating"),)
    assert missing == ["DC2 Principal service commitments and system requirements", "DC3 Infrastructure",
                       "DC3 Software", "DC3 People", "DC3 Procedures", "DC3 Data"]
