"""A register's control cell, as risks, incidents and vendor reports read it: the project's controls linked (in any
case), the rest named in a warning on the row, and a cell naming several where one is kept said so."""

from __future__ import annotations

from pathlib import Path

from tests.services.test_services_registers import controls, write_csv
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import INCIDENTS, RISKS, VENDOR_REPORTS
from workbench.services.registers import list_register
from workbench.services.session import OpenProject


def _warnings(report: dict) -> list[tuple[int, str, str]]:
    return [(p["row"], p["field"], p["message"]) for p in report["problems"]]


def test_a_risk_links_every_control_it_names_and_warns_of_the_others(new_project: OpenProject,
                                                                     tmp_path: Path) -> None:
    controls(new_project)
    path = write_csv(tmp_path / "risks.csv", [("Threat", "Owner", "Controls"),
                                               ("Phishing", "Tomas", "ac-01; RM-01, XX-9"), ("Outage", "Jordan", "")])
    report = import_register(new_project, RISKS, path)
    assert _warnings(report) == [
        (2, "controls", "controls: 'XX-9' is not a control of this project; not linked")]
    assert [(r["scenario"], r["controls"]) for r in list_register(new_project, RISKS)] == [
        ("Phishing", ["AC-01", "RM-01"]), ("Outage", [])]


def test_an_incident_links_one_control_and_says_which_it_left(new_project: OpenProject, tmp_path: Path) -> None:
    controls(new_project)
    path = write_csv(tmp_path / "incidents.csv", [("Incident", "Detected", "Control"),
                                                   ("Backlog", "2026-02-03", "ir-02, AC-01"),
                                                   ("Phishing", "2026-03-01", "ZZ-1")])
    report = import_register(new_project, INCIDENTS, path)
    assert _warnings(report) == [
        (2, "control", "control: one control is linked; IR-02 is, AC-01 not"),
        (3, "control", "control: 'ZZ-1' is not a control of this project; not linked")]
    assert [(r["title"], r["control"]) for r in list_register(new_project, INCIDENTS)] == [
        ("Backlog", "IR-02"), ("Phishing", None)]


def test_a_vendor_report_links_its_review_control(new_project: OpenProject, tmp_path: Path) -> None:
    controls(new_project)
    path = write_csv(tmp_path / "reports.csv", [("Vendor", "Report", "Review control"),
                                                 ("Okta", "SOC 2 Type II", "rm-01"),
                                                 ("Slack", "SOC 2 Type II", "NOPE")])
    report = import_register(new_project, VENDOR_REPORTS, path)
    assert _warnings(report) == [
        (3, "control", "control: 'NOPE' is not a control of this project; not linked")]
    assert [(r["vendor"], r["control"]) for r in list_register(new_project, VENDOR_REPORTS)] == [
        ("Okta", "RM-01"), ("Slack", None)]
