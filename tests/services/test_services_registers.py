"""The registers behind CC3, CC7, CC9 and A1 (issue 21), through the services: import in a company's own words,
re-import, the heat map, signing, vendor reports' user entity controls, incidents and continuity tests, and what
they count for (evidence in the calendar, next actions, the workbook and the PDF package)."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.services.test_export_pdf import _outline, _text
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.domain.risks import heat_map
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.exports.pdf_package import export_pdf
from workbench.services.exports.workbook import export_xlsx
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTINUITY_TESTS, INCIDENTS, RISKS, VENDOR_REPORTS
from workbench.services.incidents import incident_register, incidents_section, use_as_population
from workbench.services.period import project_calendar
from workbench.services.populations import get_population
from workbench.services.project import project_status
from workbench.services.register_records import update_record
from workbench.services.registers import list_register
from workbench.services.risks import RISKS as RISK_RECORDS
from workbench.services.risks import risk_register, sign_assessment, start_assessment
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest

RISK_ROWS = [
    ("Threat", "Asset", "L", "I", "Inherent", "Mitigation", "Residual L", "Residual I", "Residual", "Owner"),
    ("Phishing steals an engineer's credentials", "Production", "4", "4", "16", "MFA and training", "2", "3", "6",
     "Tomas"),
    ("Insider alters billing records", "Billing", "2", "5", "10", "Dual approval of refunds", "1", "4", "", "Dana"),
    ("Region outage", "Availability", "2", "5", "10", "Multi-AZ", "", "", "", "Jordan"),
    ("Vendor breach", "Customer data", "", "", "12", "Vendor reviews", "", "", "6", "Aisha"),
]


def write_csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def digest(project: OpenProject) -> str:
    with project.file.engine.connect() as connection:
        return content_digest(connection, history=False)


def controls(project: OpenProject) -> None:
    add_control(project, ControlDraft("RM-01", "Annual risk assessment", frequency=Frequency.ANNUAL,
                                      nature=Nature.MANUAL, criteria=("CC3.1", "CC3.2")))
    add_control(project, ControlDraft("AC-01", "MFA", frequency=Frequency.CONTINUOUS, nature=Nature.AUTOMATED,
                                      criteria=("CC6.1",)))
    add_control(project, ControlDraft("BC-03", "Quarterly restore test", frequency=Frequency.QUARTERLY,
                                      nature=Nature.MANUAL, criteria=("CC7.5",)))
    add_control(project, ControlDraft("IR-02", "Incident logging", frequency=Frequency.EVENT_DRIVEN,
                                      nature=Nature.MANUAL, criteria=("CC7.3", "CC7.4")))


def test_a_risk_register_in_its_own_words_imports_once_and_lands_on_the_heat_map(new_project, tmp_path):
    path = write_csv(tmp_path / "risks.csv", RISK_ROWS)
    first = import_register(new_project, RISKS, path)
    assert first["columns"] == {"scenario": "Threat", "asset": "Asset", "likelihood": "L", "impact": "I",
                                "inherent": "Inherent", "treatment_text": "Mitigation", "residual_likelihood":
                                "Residual L", "residual_impact": "Residual I", "residual": "Residual",
                                "owner": "Owner"}
    assert (first["created"], first["problems"]) == (4, [])
    again = import_register(new_project, RISKS, path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)

    risks = {r.scenario: r for r in risk_register(new_project).risks}
    assert [r.ref for r in risk_register(new_project).risks] == ["R-001", "R-002", "R-003", "R-004"]
    breach = risks["Vendor breach"]
    assert (breach.inherent, breach.residual, breach.likelihood) == (12, 6, None)  # scores kept without parts
    inherent, residual = heat_map(risks.values()), heat_map(risks.values(), residual=True)
    assert inherent.at(4, 4) == ("R-001",) and inherent.at(2, 5) == ("R-002", "R-003")
    assert residual.at(2, 3) == ("R-001",) and residual.at(1, 4) == ("R-002",)
    assert inherent.unplaced == ("R-004",) and residual.unplaced == ("R-003", "R-004")
    listed = {r["ref"]: r for r in list_register(new_project, RISKS)}
    assert (listed["R-001"]["inherent"], listed["R-001"]["residual"], listed["R-004"]["inherent"]) == (16, 6, 12)


def test_a_score_that_contradicts_its_parts_is_warned_of_and_the_product_used(new_project, tmp_path):
    path = write_csv(tmp_path / "risks.csv", [("Risk", "Likelihood", "Impact", "Risk score"), ("Outage", "3", "4",
                                                                                                "20")])
    (warning,) = import_register(new_project, RISKS, path)["problems"]
    assert warning["field"] == "inherent" and "the sheet says 20, but 3 x 4 is 12" in warning["message"]
    assert risk_register(new_project).risks[0].inherent == 12


def test_a_signed_assessment_refuses_edits_and_the_next_starts_from_its_risks(new_project, tmp_path):
    controls(new_project)
    import_register(new_project, RISKS, write_csv(tmp_path / "risks.csv", RISK_ROWS))
    signed = sign_assessment(new_project, "Priya Natarajan", date(2026, 2, 20)).value
    assert (signed.signed_on, signed.control_ref) == (date(2026, 2, 20), "RM-01")

    register = risk_register(new_project)
    assert register.read_only
    with pytest.raises(WorkbenchError, match=r"risk R-001 : the risk assessment signed 2026-02-20 by Priya "
                                             r"Natarajan is read-only; start the next assessment"):
        update_record(new_project, RISK_RECORDS, replace(register.risks[0], owner="Someone"))
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match="is read-only"):
        import_register(new_project, RISKS, write_csv(tmp_path / "more.csv", [("Threat", "Owner"), ("Flood", "Ben")]))
    assert digest(new_project) == before

    # Its PDF is evidence of the risk-assessment control, dated at the signing: the calendar counts it.
    (evidence,) = list_evidence(new_project, "RM-01")
    assert (evidence.collected_on, evidence.filename) == (date(2026, 2, 20), "risk-assessment-2026-02-20.pdf")
    pdf = _text(PdfReader(evidence.filename and _saved(new_project, evidence.id, tmp_path)))
    assert "Signed on 2026-02-20 by Priya Natarajan" in pdf and "R-001" in pdf
    _, calendar, _ = project_calendar(new_project, date(2026, 7, 15))
    (annual,) = [c for c in calendar if c.control.ref == "RM-01"]
    assert annual.windows[0].evidence_ids == (evidence.id,) and annual.windows[0].status.value == "covered"

    start_assessment(new_project, date(2026, 3, 1))
    renewed = risk_register(new_project)
    assert not renewed.read_only and len(renewed.assessments) == 2
    assert [(r.ref, r.scenario, r.inherent) for r in renewed.risks] == [
        (r.ref, r.scenario, r.inherent) for r in register.risks]
    update_record(new_project, RISK_RECORDS, replace(renewed.risks[0], owner="Someone"))
    from workbench.services.risks import assessment_risks

    assert assessment_risks(new_project, signed.id)[0].owner == "Tomas"  # the signed snapshot is as signed


def _saved(project: OpenProject, evidence_id: int, folder: Path) -> Path:
    from workbench.services.evidence import export_evidence

    return export_evidence(project, evidence_id, folder / "copy.pdf")


def test_a_vendor_report_with_an_unmapped_user_control_is_a_next_action_and_in_the_workbook(new_project, tmp_path):
    controls(new_project)
    path = write_csv(tmp_path / "reports.csv", [
        ("Vendor", "Report type", "Period end", "Opinion", "Reviewed on", "CUECs"),
        ("Okta", "SOC 2 Type II", "2026-01-31", "Unqualified", "2026-02-20",
         "Customers manage their own users [AC-01]\nCustomers protect their API tokens"),
    ])
    result = import_register(new_project, VENDOR_REPORTS, path)
    assert (result["created"], result["vendors_added"]) == (1, ["VEN-" + result["vendors_added"][0][4:]])
    (listed,) = list_register(new_project, VENDOR_REPORTS)
    assert (listed["kind"], listed["report_type"], listed["vendor"]) == ("soc2", "type2", "Okta")
    assert listed["user_controls"] == "Customers manage their own users [AC-01]\nCustomers protect their API tokens"
    actions = [text for _, text in project_status(new_project).next_actions]
    assert "Map 1 user entity control vendors expect of us to our controls (Okta: 'Customers protect their API " \
           "tokens')" in actions

    book = load_workbook(export_xlsx(new_project, tmp_path / "book.xlsx").path)
    rows = [[c.value for c in row] for row in book["Vendor user controls"].iter_rows()]
    assert rows == [["Vendor", "Report", "Expected of us", "Our control"],
                    ["Okta", "VR-001", "Customers manage their own users", "AC-01"],
                    ["Okta", "VR-001", "Customers protect their API tokens", "not mapped"]]
    again = import_register(new_project, VENDOR_REPORTS, path)
    assert (again["created"], again["unchanged"], again["vendors_added"]) == (0, 1, [])


def test_incidents_and_dr_tests_import_and_reimport_and_count_for_their_controls(new_project, tmp_path):
    controls(new_project)
    incidents = write_csv(tmp_path / "incidents.csv", [
        ("Ticket", "Summary", "Opened", "Closed", "Sev", "RCA", "Customers notified", "Control"),
        ("INC-2026-014", "Pipeline backlog delayed dashboards", "2026-02-03", "2026-02-04", "SEV2",
         "Queue workers ran out of memory", "yes", "IR-02"),
        ("INC-2026-021", "Phishing email reported", "2026-03-01", "2026-03-01", "P4", "", "no", "IR-02"),
    ])
    tests = write_csv(tmp_path / "dr.csv", [
        ("Exercise", "Type", "Date", "RTO", "Actual RTO", "RPO", "Actual RPO", "Issues", "Control"),
        ("Restore Aurora to the recovery account", "Restore test", "2026-02-10", "4h", "1h 30min", "15 min",
         "5 min", "", "BC-03"),
        ("Fail over to us-west-2", "DR", "2026-02-25", "8 hours", "9 h", "1:00", "0:20", "DNS TTL too long", ""),
    ])
    for spec, path, count in ((INCIDENTS, incidents, 2), (CONTINUITY_TESTS, tests, 2)):
        first = import_register(new_project, spec, path)
        assert (first["created"], first["problems"]) == (count, []), first["problems"]
        again = import_register(new_project, spec, path)
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, count)
    register = incident_register(new_project)
    backlog, phishing = register.incidents
    assert (backlog.severity.value, backlog.customers_notified, phishing.severity.value) == ("high", True, "low")
    restore, failover = register.tests
    assert (restore.rto_achieved, restore.rpo_target, failover.rto_target, failover.rpo_target) == (90, 15, 480, 60)
    assert restore.result() == "targets met" and failover.result() == "RTO missed (9 h against 8 h)"
    assert "INC-2026-014 (2026-02-03): Pipeline backlog delayed dashboards; severity high; cause: Queue workers " \
           "ran out of memory; customers notified" in incidents_section(new_project)
    assert "Phishing" not in incidents_section(new_project)

    # The restore test covers BC-03's first quarter in the calendar, like evidence would.
    _, calendar, _ = project_calendar(new_project, date(2026, 7, 15))
    (quarterly,) = [c for c in calendar if c.control.ref == "BC-03"]
    assert [(w.label, w.status.value, w.records) for w in quarterly.windows] == [
        ("2026-Q1", "covered", ("Restore test CT-001",)), ("2026-Q2", "missing", ())]
    # The incident register is IR-02's population, and undo puts back what was there.
    change = use_as_population(new_project, "IR-02")
    population = get_population(new_project, "IR-02")
    assert population is not None and population.row_count == 2 and population.info.source.startswith("Incident")
    change.inverse(new_project)
    assert get_population(new_project, "IR-02") is None


def test_register_list_and_the_workbook_sheet_hold_the_same_risks(new_project, tmp_path):
    controls(new_project)
    import_register(new_project, RISKS, write_csv(tmp_path / "risks.csv", [
        *RISK_ROWS, ("=HYPERLINK(\"http://x\")", "", "3", "3", "", "", "", "", "", "@ops")]))
    listed = list_register(new_project, RISKS)
    sheet = load_workbook(export_xlsx(new_project, tmp_path / "book.xlsx").path)["Risks"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    labels = {f.label: f for f in RISKS.fields}
    assert rows[0] == [f.label for f in RISKS.fields]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    read_back = []
    for row in rows[1:]:
        record = {}
        for header, cell in zip(rows[0], row, strict=True):
            field = labels[header]
            value = "" if cell is None else cell
            if field.parse is not None and isinstance(value, str):
                value = field.parse(value)
            record[field.name] = value
        read_back.append(record)
    expected = [{name: _as_cell(value) for name, value in row.items()} for row in listed]
    assert [{name: _as_cell(value) for name, value in row.items()} for row in read_back] == expected
    assert len(expected) == 5 and expected[-1]["scenario"] == "=HYPERLINK(\"http://x\")"
    grid = list(load_workbook(tmp_path / "book.xlsx")["Risk heat map"].iter_rows(values_only=True))
    assert grid[0][:3] == ("Inherent: likelihood", "Impact 1", "Impact 2") and grid[0][7] == "Residual: likelihood"
    assert grid[2][0] == 4 and grid[2][4] == "R-001"  # likelihood 4, impact 4
    assert grid[4][0] == 2 and grid[4][5] == "R-002, R-003" and grid[4][10] == "R-001"
    assert grid[6][:2] == ("Not on the map", "R-004")


def _as_cell(value: object) -> object:
    """A listed value as a cell holds it: lists joined, None and "" alike, choices by their value."""
    if isinstance(value, list):
        return ", ".join(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return getattr(value, "value", value)


def test_the_pdf_package_has_a_top_level_section_per_register_with_the_heat_map(new_project, tmp_path):
    controls(new_project)
    import_register(new_project, RISKS, write_csv(tmp_path / "risks.csv", RISK_ROWS))
    import_register(new_project, VENDOR_REPORTS, write_csv(tmp_path / "r.csv", [
        ("Vendor", "Period end", "CUECs"), ("Okta <b>bold</b>", "2026-01-31", "Manage users")]))
    import_register(new_project, INCIDENTS, write_csv(tmp_path / "i.csv", [("Incident", "Date"), ("Outage",
                                                                                                 "2026-02-01")]))
    import_register(new_project, CONTINUITY_TESTS, write_csv(tmp_path / "t.csv", [("Test", "Date"),
                                                                                  ("Restore", "2026-02-01")]))
    reader = PdfReader(export_pdf(new_project, tmp_path / "package.pdf"))
    top = [title for depth, title, _ in _outline(reader) if depth == 0]
    assert top[-4:] == ["Risk register", "Vendors and their reports", "Incidents", "Continuity tests"]
    assert ("Heat maps" in [title for depth, title, _ in _outline(reader) if depth == 1])
    text = _text(reader)
    assert "Inherent (likelihood x impact)" in text and "Residual (after treatment)" in text
    assert "Okta <b>bold</b>" in text and "NOT MAPPED" in text


def test_bad_register_files_get_one_error_naming_the_file_and_change_nothing(new_project, tmp_path):
    before = digest(new_project)
    no_scenario = write_csv(tmp_path / "no-scenario.csv", [("Owner", "L", "I"), ("Tomas", "4", "4")])
    with pytest.raises(WorkbenchError, match=r"no-scenario\.csv : no column holds the risk scenario"):
        import_register(new_project, RISKS, no_scenario)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(WorkbenchError, match=r"broken\.xlsx"):
        import_register(new_project, RISKS, broken)
    assert digest(new_project) == before
    bad_level = write_csv(tmp_path / "levels.csv", [("Threat", "L", "I"), ("Outage", "9", "high")])
    (warning,) = import_register(new_project, RISKS, bad_level)["problems"]
    assert (warning["row"], warning["field"]) == (2, "likelihood")
    assert "9 is outside the scale of 1 to 5" in warning["message"]
    assert risk_register(new_project).risks[0].impact == 4


def test_a_project_built_from_the_template_library_links_its_registers_to_the_template_controls(new_project,
                                                                                                  tmp_path):
    from workbench.domain.register_controls import control_for
    from workbench.services.controls import list_controls
    from workbench.services.templates import apply_templates

    made = {c.title: c.ref for c in apply_templates(new_project, ["first-year-saas"]).value.created}
    controls = list_controls(new_project)
    assert control_for(controls, "restore") == made["Quarterly backup restore test"]
    assert control_for(controls, "incident") == made["Incidents recorded and worked to resolution"]
    assert control_for(controls, "vendor-report") == made["Subservice organisations' SOC reports reviewed"]
    import_register(new_project, RISKS, write_csv(tmp_path / "risks.csv", RISK_ROWS))
    signed = sign_assessment(new_project, "Dana Whitfield").value
    assert signed.control_ref == made["Yearly risk assessment"]


def test_the_registers_next_actions(new_project, tmp_path):
    controls(new_project)
    import_register(new_project, RISKS, write_csv(tmp_path / "risks.csv", [
        ("Threat", "L", "I", "Controls"), ("Phishing", "4", "4", "AC-01"), ("Insider fraud", "2", "5", "")]))
    sign_assessment(new_project, "Priya Natarajan", date(2025, 1, 15))  # the clock reads 2026-03-02
    from workbench.services.importers.kinds import VENDORS

    import_register(new_project, VENDORS, write_csv(tmp_path / "vendors.csv", [
        ("Vendor", "Subservice organisation", "Data it touches"), ("CloudCo", "Carve-out", "Customer data"),
        ("ChatCo", "No", "Internal data")]))
    import_register(new_project, VENDOR_REPORTS, write_csv(tmp_path / "reports.csv", [
        ("Vendor", "Period end", "Reviewed on"), ("ChatCo", "2024-12-31", "2025-02-01")]))
    actions = [text for _, text in project_status(new_project).next_actions]
    assert "Link a treating control to 1 risk (R-002)" in actions
    assert "Sign the risk assessment: the last one was signed 2025-01-15, more than 12 months ago" in actions
    assert "Get newer SOC reports: the period of 1 report ended more than 12 months ago (ChatCo)" in actions
    assert "Review the SOC report of 1 critical vendor (CloudCo)" in actions
