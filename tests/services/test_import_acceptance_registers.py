"""What a new user's own register files do on import (found by the acceptance check of issues 21 and 22): each
column's values land in the field its header names."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTINUITY_TESTS, INCIDENTS, PEOPLE, RISKS, VENDOR_REPORTS
from workbench.services.registers import list_register
from workbench.services.risks import risk_register, sign_assessment, start_assessment
from workbench.services.session import OpenProject


def write_csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_scenario_column_is_the_scenario_even_beside_a_test_column(new_project: OpenProject,
                                                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dr.csv", [
        ("Test", "Scenario", "Type", "Date", "RTO target", "RTO achieved"),
        ("DR-1", "Restore the production database from backup", "restore", "2026-03-01", "4h", "3h"),
        ("DR-2", "Fail over to the second region", "dr", "2026-06-01", "8h", "10h"),
    ])
    result = import_register(new_project, CONTINUITY_TESTS, path)
    assert result["columns"]["scenario"] == "Scenario"
    scenarios = sorted(row["scenario"] for row in list_register(new_project, CONTINUITY_TESTS))
    assert scenarios == ["Fail over to the second region", "Restore the production database from backup"]


def test_a_level_or_duration_that_is_not_one_is_left_unset_and_said_so(new_project: OpenProject,
                                                                        tmp_path: Path) -> None:
    risks = write_csv(tmp_path / "risks.csv", [
        ("ID", "Scenario", "Likelihood", "Impact"),
        ("R-1", "Laptop stolen", "-1", "3.5"),
        ("R-2", "Phishing", "4 - Likely", "3 (moderate)"),
    ])
    result = import_register(new_project, RISKS, risks)
    read = {row["ref"]: (row["likelihood"], row["impact"]) for row in list_register(new_project, RISKS)}
    assert read == {"R-1": (None, None), "R-2": (4, 3)}
    said = [p["message"] for p in result["problems"]]
    assert any("-1 is outside the scale" in m for m in said) and any("3.5 is not a whole number" in m for m in said)

    tests = write_csv(tmp_path / "dr.csv", [
        ("Scenario", "Date", "RTO target", "RTO achieved"),
        ("Restore the database", "2026-03-01", "2-4h", "-3h"),
    ])
    result = import_register(new_project, CONTINUITY_TESTS, tests)
    (row,) = list_register(new_project, CONTINUITY_TESTS)
    assert (row["rto_target"], row["rto_achieved"]) == (None, None)
    assert sum("is not one duration" in p["message"] for p in result["problems"]) == 2


def test_dates_out_of_their_order_are_kept_and_warned_of(new_project: OpenProject, tmp_path: Path) -> None:
    people = write_csv(tmp_path / "staff.csv", [
        ("Employee ID", "Name", "Email", "Start date", "End date"),
        ("E-1", "Ann Lee", "ann@example.com", "2026-06-01", "2026-03-01"),
        ("E-2", "Bob Roe", "bob@example.com", "2026-01-05", "2026-03-01"),
    ])
    incidents = write_csv(tmp_path / "incidents.csv", [
        ("ID", "Title", "Detected", "Resolved"), ("I-1", "Laptop lost", "2026-06-10", "2026-05-01")])
    reports = write_csv(tmp_path / "reports.csv", [
        ("ID", "Vendor", "Report", "Period start", "Period end"), ("VR-1", "Acme", "SOC 2 Type II", "2026-09-30",
                                                                   "2025-10-01")])
    said = {}
    for spec, path in ((PEOPLE, people), (INCIDENTS, incidents), (VENDOR_REPORTS, reports)):
        said[spec.kind] = [(p["row"], p["message"]) for p in import_register(new_project, spec, path)["problems"]]
    assert said["people"] == [(2, "end_date: 2026-03-01 is before start_date 2026-06-01; kept as the file says, "
                                  "check it")]
    assert [row for row, _ in said["incidents"]] == [2] and "resolved_on: 2026-05-01" in said["incidents"][0][1]
    ((row, message),) = said["vendor-reports"]
    assert row == 2 and message.startswith("period_end: 2025-10-01 is before period_start")
    ann = next(r for r in list_register(new_project, PEOPLE) if r["ref"] == "E-1")
    assert (ann["start_date"], ann["end_date"]) == ("2026-06-01", "2026-03-01")


def test_a_report_kind_that_cannot_be_read_is_left_unset_not_made_soc_2(new_project: OpenProject,
                                                                         tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reports.csv", [
        ("ID", "Vendor", "Report", "Period end"), ("VR-1", "Acme", "PCI DSS AOC", "2026-06-30"),
        ("VR-2", "Beta", "SOC 2 Type II", "2026-06-30")])
    (problem,) = import_register(new_project, VENDOR_REPORTS, path)["problems"]
    assert problem["message"].endswith("report left unset")
    kinds = {row["ref"]: row["kind"] for row in list_register(new_project, VENDOR_REPORTS)}
    assert kinds == {"VR-1": None, "VR-2": "soc2"}


def test_a_small_number_in_a_date_column_is_not_a_date_of_1900(new_project: OpenProject, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Title", "Detected", "Resolved"])
    sheet.append(["I-1", "Laptop lost", 3, 46095])  # 3 days to resolve in the wrong column; 46095 is 14 March 2026
    book.save(tmp_path / "incidents.xlsx")
    (problem,) = import_register(new_project, INCIDENTS, tmp_path / "incidents.xlsx")["problems"]
    assert problem["message"].startswith("detected_on: 3") and "is not an Excel date serial" in problem["message"]
    (row,) = list_register(new_project, INCIDENTS)
    assert (row["detected_on"], row["resolved_on"]) == (None, "2026-03-14")


def test_the_next_assessment_cannot_be_signed_before_the_one_it_follows(new_project: OpenProject,
                                                                         tmp_path: Path) -> None:
    import_register(new_project, RISKS, write_csv(tmp_path / "risks.csv", [("Threat", "L", "I"), ("Flood", "2", "3")]))
    sign_assessment(new_project, "Priya", date(2026, 2, 20))
    start_assessment(new_project)
    with pytest.raises(WorkbenchError, match=r"cannot be signed on 2025-01-10, before the assessment it follows "
                                             r"\(signed 2026-02-20 by Priya\)"):
        sign_assessment(new_project, "Priya", date(2025, 1, 10))
    assert not risk_register(new_project).read_only
    assert sign_assessment(new_project, "Priya", date(2026, 2, 20)).value.signed_on == date(2026, 2, 20)


def test_an_opinion_given_as_exceptions_alone_is_left_unset_with_a_warning(new_project: OpenProject,
                                                                          tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reports.csv", [
        ("Vendor", "Period end", "Opinion"),
        ("Okta", "2026-01-31", "With exceptions"),
        ("Slack", "2026-01-31", "Unqualified (exceptions noted)"),
        ("Zoom", "2026-01-31", "Qualified"),
    ])
    result = import_register(new_project, VENDOR_REPORTS, path)
    listed = {row["vendor"]: row["opinion"] for row in list_register(new_project, VENDOR_REPORTS)}
    assert listed == {"Okta": None, "Slack": "unqualified", "Zoom": "qualified"}
    (warning,) = [p["message"] for p in result["problems"] if p["field"] == "opinion"]
    assert warning.startswith("opinion: 'With exceptions' says the tests found exceptions, not the opinion")
    assert "left unset" in warning
