"""The one import engine over every kind: crosswalks, generated IDs, scope, formats, round trips and exact undo."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import DEFAULT_SPEC
from tests.services.test_services_import_formats import _ods, _row
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Category
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control, list_controls
from workbench.services.engagement import list_requests
from workbench.services.importers.engine import apply_plan, choose_mapping, import_register, revert_import
from workbench.services.importers.json_rows import read_json_table, records_at
from workbench.services.importers.kinds import CONTROLS, REQUESTS, SPECS, spec_named
from workbench.services.importers.plan import plan_table
from workbench.services.importers.sources import read_table
from workbench.services.importers.spec import ImportOptions, RegisterSpec
from workbench.services.registers import export_register, list_register
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest

ROWS: dict[str, list[tuple[str, ...]]] = {
    "controls": [("Control ID", "Title", "Owner", "TSC"), ("AC-1", "Access reviews", "Jane", "CC6.1, CC6.2"),
                 ("AC-2", "MFA", "Ana", "CC6.6"), ("AC-3", "+1 reviewer signs", "@ops", "")],
    "requests": [("Request ID", "Item requested", "Owner", "Due date", "TSC"),
                 ("PBC-1", "User listing", "Jane", "2026-03-15", "CC6.1"),
                 ("PBC-2", "Board minutes", "+1 555 0100", "2026-04-01", "CC1.2")],
    "risks": [("Risk ID", "Scenario", "Owner", "Likelihood", "Impact", "Treatment", "Controls"),
              ("R-1", "Phishing steals credentials", "Tomas", "4", "4", "mitigate", ""),
              ("R-2", "Region outage", "Jordan", "2", "5", "accept", "")],
    "vendors": [("Vendor ID", "Vendor", "Owner", "Data it touches", "Criticality"),
                ("V-1", "Okta", "Aisha", "customer data", "high"), ("V-2", "Slack", "Ben", "internal", "medium")],
    "vendor-reports": [("Report ID", "Vendor", "Reviewed by", "Report", "Period end", "User entity controls"),
                       ("VR-1", "Okta", "Aisha", "SOC 2 Type II", "2026-03-31", "Manage users\nUse MFA"),
                       ("VR-2", "Datadog", "Aisha", "SOC 3", "2025-12-31", "")],
    "incidents": [("Incident ID", "Title", "Root cause", "Detected on", "Severity", "Customers notified"),
                  ("INC-1", "Phishing email clicked", "A user clicked a link", "2026-04-02", "SEV2", "no"),
                  ("INC-2", "API outage", "A bad deploy", "2026-05-10", "SEV1", "yes")],
    "continuity-tests": [("Test ID", "Scenario", "Participants", "Date", "RTO target", "RTO achieved"),
                         ("CT-1", "Restore the database", "Jordan", "2026-05-01", "4h", "2h"),
                         ("CT-2", "Fail over to the other region", "Priya, Jordan", "2026-06-15", "8 hours", "6 h")],
    "people": [("Employee ID", "Name", "Email", "Start date", "End date", "Access removed"),
               ("E-1", "Ann Lee", "ann@acme.test", "2026-01-05", "", ""),
               ("E-2", "Bob Roy", "bob@acme.test", "2025-03-01", "2026-04-30", "2026-05-01")],
    "policies": [("Policy key", "Title", "Owner", "Review every (months)", "Criteria"),
                 ("POL-1", "Access Control Policy", "Ann", "12", "CC6.1"), ("POL-2", "Backup Policy", "Ben", "24", "")],
}


# The kinds whose rows are records of their own, keyed one by one, with nothing asked of the import as a whole;
# a population (one control's list, replaced whole on re-import, its control a required detail) has its own tests
# in test_services_period.py and test_services_period_samples.py.
# Signatures refer to the project's policies and people, and add to them rather than update: they have their own
# tests in test_policies.py. A kind reading its own files (a tool's report) has its own tests in test_findings.py.
RECORD_SPECS = tuple(spec for spec in SPECS if not any(detail.required for detail in spec.details)
                     and spec.kind != "acknowledgements" and spec.reader is None)
CRITERIA_SPECS = tuple(spec for spec in RECORD_SPECS if "criteria" in spec.names)


def digest(project: OpenProject) -> str:
    """The project's content without its history (audit trail, its head, row versions)."""
    with project.file.engine.connect() as connection:
        return content_digest(connection, history=False)


def write(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """Write rows as the file's suffix says: xlsx, csv, ods or json (records keyed by the header row)."""
    if path.suffix == ".xlsx":
        book = Workbook()
        for row in rows:
            book.active.append(list(row))
        book.save(path)
    elif path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    elif path.suffix == ".ods":
        _ods(path, {"Register": "".join(_row(*map(str, row)) for row in rows)})
    else:
        path.write_text(json.dumps([dict(zip(rows[0], row, strict=True)) for row in rows[1:]]), encoding="utf-8")
    return path


def criteria_by_ref(project: OpenProject) -> dict[str, tuple[str, ...]]:
    return {c.ref: c.criteria for c in list_controls(project)}


# -- crosswalks, generated IDs, scope -------------------------------------------------------------------------

def test_a_crosswalk_gives_one_control_per_id_with_all_its_criteria(new_project: OpenProject, tmp_path: Path) -> None:
    path = write(tmp_path / "crosswalk.xlsx", [
        ("Control ID", "Control", "SOC 2"),
        ("AC-1", "Access reviews", "CC6.1"),  # 2
        ("AC-1", "Access reviews", "CC6.2"),  # 3: the same control, another criterion
        ("AC-1", "", "CC6.3"),  # 4: a continuation row without the title
        ("AC-2", "MFA", "CC6.6"),  # 5
        ("AC-2", "Multi-factor authentication", "CC6.1"),  # 6: another title: a warning naming it
    ])
    result = import_register(new_project, CONTROLS, path)
    assert (result["created"], result["merged"], result["skipped"]) == (2, 3, 0)
    assert criteria_by_ref(new_project) == {"AC-1": ("CC6.1", "CC6.2", "CC6.3"), "AC-2": ("CC6.1", "CC6.6")}
    assert {c.ref: c.title for c in list_controls(new_project)} == {"AC-1": "Access reviews", "AC-2": "MFA"}
    (warning,) = result["problems"]
    assert (warning["row"], warning["level"], warning["field"]) == (6, "warning", "title")
    assert "'Multi-factor authentication' (row 5: 'MFA')" in warning["message"]
    again = import_register(new_project, CONTROLS, path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_a_register_without_ids_imports_with_generated_ids_the_same_each_time(new_project: OpenProject,
                                                                               tmp_path: Path) -> None:
    rows = [("Control", "Owner", "TSC"), ("Access reviews", "Jane", "CC6.1"), ("MFA", "Ana", "CC6.6"),
            ("Access reviews", "", "CC6.2")]  # a title seen again: the same control, criteria merged
    path = write(tmp_path / "noids.csv", rows)
    with pytest.raises(WorkbenchError, match="no column holds the control ID"):
        import_register(new_project, CONTROLS, path)
    first = import_register(new_project, CONTROLS, path, generate_ids=True)
    assert (first["created"], first["merged"]) == (2, 1)
    controls = {c.title: c for c in list_controls(new_project)}
    assert controls["Access reviews"].criteria == ("CC6.1", "CC6.2")
    assert all(c.ref.startswith("CTL-") and len(c.ref) == 10 for c in controls.values())
    again = import_register(new_project, CONTROLS, path, generate_ids=True)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_a_generated_id_never_takes_another_records_id(new_project: OpenProject, tmp_path: Path) -> None:
    path = write(tmp_path / "noids.csv", [("Control ID", "Control", "Owner"), ("", "Access reviews", "Jane")])
    wanted = import_register(new_project, CONTROLS, path, generate_ids=True, dry_run=True)["preview"][0]["ref"]
    add_control(new_project, ControlDraft(wanted, "Something else entirely"))
    result = import_register(new_project, CONTROLS, path, generate_ids=True)
    assert result["created"] == 1
    (made,) = [c for c in list_controls(new_project) if c.title == "Access reviews"]
    assert made.ref.startswith(wanted) and len(made.ref) > len(wanted)
    assert import_register(new_project, CONTROLS, path, generate_ids=True)["unchanged"] == 1


@pytest.mark.parametrize("spec", CRITERIA_SPECS, ids=lambda s: s.kind)
def test_criteria_outside_the_projects_categories_are_warned_of_and_not_linked(
        new_project: OpenProject, tmp_path: Path, spec: RegisterSpec) -> None:
    path = write(tmp_path / "scope.csv", [(spec.field(spec.key).label, spec.field(spec.label).label, "Criteria"),
                                          ("X-1", "Backups", "A1.2, CC7.2, PI1.1")])
    result = import_register(new_project, spec, path)
    assert result["criteria_links"] == 1
    (warning,) = result["problems"]
    assert warning["field"] == "criteria" and "A1.2, PI1.1 are outside this project's categories" in warning["message"]
    (record,) = list_register(new_project, spec)
    assert record["criteria"] == ["CC7.2"]


# -- every format, every kind: a re-import creates nothing; an export imports back unchanged ----------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".ods", ".json"])
@pytest.mark.parametrize("spec", RECORD_SPECS, ids=lambda s: s.kind)
def test_reimporting_any_format_creates_nothing(new_project: OpenProject, tmp_path: Path, spec: RegisterSpec,
                                                suffix: str) -> None:
    path = write(tmp_path / f"register{suffix}", ROWS[spec.kind])
    first = import_register(new_project, spec, path)
    assert first["created"] == len(ROWS[spec.kind]) - 1
    assert first["problems"] == []  # the owner '@ops' is a handle, not a formula (QA I3)
    assert (first["sheet"] is None) == (suffix == ".json")
    again = import_register(new_project, spec, path)
    assert (again["created"], again["updated"]) == (0, 0)
    assert again["unchanged"] == first["created"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("spec", RECORD_SPECS, ids=lambda s: s.kind)
def test_export_then_import_round_trips(make_project: Callable[..., OpenProject], project_location: Callable,
                                        tmp_path: Path, spec: RegisterSpec, suffix: str) -> None:
    source = make_project(project_location("source.soc2"))
    import_register(source, CONTROLS, write(tmp_path / "controls.csv", ROWS["controls"]))
    import_register(source, spec, write(tmp_path / "register.csv", [*ROWS[spec.kind], (
        "Q-9", "=HYPERLINK(\"http://x\")", "@owner", *(("",) * (len(ROWS[spec.kind][0]) - 3)))]))
    out = export_register(source, spec, tmp_path / f"out{suffix}")
    if suffix == ".xlsx":
        sheet = load_workbook(out).active
        assert [c.value for c in sheet[1]] == [f.label for f in spec.fields]
        assert "=HYPERLINK(\"http://x\")" in [c.value for c in sheet["B"]]
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    target = make_project(project_location("target.soc2"))
    import_register(target, CONTROLS, write(tmp_path / "controls.csv", ROWS["controls"]))
    first = import_register(target, spec, out)
    assert first["columns"] == {f.name: f.label for f in spec.fields}
    assert list_register(target, spec) == list_register(source, spec)
    again = import_register(target, spec, out)
    assert (again["created"], again["updated"]) == (0, 0)
    with pytest.raises(WorkbenchError, match=r"\.xlsx or \.csv, not \.pdf"):
        export_register(source, spec, tmp_path / "out.pdf")


# -- apply and undo --------------------------------------------------------------------------------------------

def _plan(project: OpenProject, spec: RegisterSpec, path: Path, **options: Any) -> Any:
    table = read_table(path, spec)
    with project.uow() as uow:
        mapping = choose_mapping(uow, spec, table, (), str(path))
        return plan_table(uow, spec, table, mapping, str(path), ImportOptions(**options))


@pytest.mark.parametrize("spec", RECORD_SPECS, ids=lambda s: s.kind)
def test_undo_of_an_import_restores_the_project_exactly(new_project: OpenProject, tmp_path: Path,
                                                        spec: RegisterSpec) -> None:
    import_register(new_project, spec, write(tmp_path / "first.xlsx", ROWS[spec.kind][:2]))  # one record to update
    changed = [list(row) for row in ROWS[spec.kind]]
    changed[1][2] = "Someone else"
    path = write(tmp_path / "second.csv", changed)
    before = digest(new_project)
    applied = apply_plan(new_project, _plan(new_project, spec, path)).value
    assert (applied.document["created"], applied.document["updated"]) == (len(changed) - 2, 1)
    assert digest(new_project) != before
    revert_import(new_project, applied)
    assert digest(new_project) == before  # records, remembered layouts and the request list's layout alike
    again = apply_plan(new_project, applied.plan).value  # redo
    assert again.document["created"] == applied.document["created"]


def test_apply_refuses_a_preview_the_project_has_moved_past(new_project: OpenProject, tmp_path: Path) -> None:
    path = write(tmp_path / "register.csv", ROWS["controls"])
    plan = _plan(new_project, CONTROLS, path)
    add_control(new_project, ControlDraft("AC-2", "MFA, added meanwhile"))
    before = digest(new_project)
    with pytest.raises(WorkbenchError, match=r"changed since the import was previewed \(row 3 \(AC-2\) would now be "
                                             r"update, not create\); nothing was imported"):
        apply_plan(new_project, plan)
    assert digest(new_project) == before


def test_requests_refer_to_controls_case_insensitively(new_project: OpenProject, tmp_path: Path) -> None:
    add_control(new_project, ControlDraft("AC-1", "Access reviews"))
    path = write(tmp_path / "pbc.csv", [("Request ID", "Request", "Related Control"), ("R-1", "Listing", "ac-1")])
    result = import_register(new_project, REQUESTS, path)
    assert result["control_links"] == 1 and list_requests(new_project)[0].control_ref == "AC-1"


# -- JSON documents and kinds by name --------------------------------------------------------------------------

def test_a_json_document_is_read_by_a_path_with_nested_keys_flattened(tmp_path: Path) -> None:
    document = {"Results": [{"Target": "api", "Vulnerabilities": [
        {"ID": "CVE-1", "Owner": {"name": "Jane"}, "Criteria": ["CC7.1", "CC7.2"]},
        {"ID": "CVE-2", "Owner": {"name": "Bo"}, "Criteria": []}]}, {"Target": "web"}]}
    assert [v["ID"] for v in records_at(document, "Results[].Vulnerabilities[]")] == ["CVE-1", "CVE-2"]
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    table = read_json_table(path, "Results[].Vulnerabilities[]")
    assert table.headers == ["ID", "Owner.name", "Criteria"]
    assert [row for _, row in table.data()] == [["CVE-1", "Jane", "CC7.1, CC7.2"], ["CVE-2", "Bo", ""]]
    for text, phrase in (("[", "is not a JSON document"), ("[" * 100_000, "is not a JSON document|nested too deep"),
                         ("{}", "holds no records")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(WorkbenchError, match=phrase):
            read_json_table(path)


def test_kinds_are_named_by_plural_or_singular() -> None:
    assert spec_named("Controls") is CONTROLS and spec_named("request") is REQUESTS
    assert spec_named("risk").kind == "risks" and spec_named("Vendor_Report").kind == "vendor-reports"
    with pytest.raises(WorkbenchError, match="'widget' : is not a kind of register; use one of controls, requests"):
        spec_named("widget")


def test_every_export_header_maps_back_to_its_field() -> None:
    from workbench.services.importers.mapping import guess_mapping

    for spec in SPECS:
        headers = [f.label for f in spec.fields]
        assert guess_mapping(spec, headers, []) == {f.name: i for i, f in enumerate(spec.fields)}, spec.kind


def test_an_all_category_project_links_every_criterion(make_project: Callable[..., OpenProject],
                                                       project_location: Callable, tmp_path: Path) -> None:
    project = make_project(project_location("all.soc2"), replace(DEFAULT_SPEC, categories=tuple(Category)))
    path = write(tmp_path / "scope.csv", [("Control ID", "Title", "TSC"), ("X-1", "Backups", "A1.2, CC7.2, PI1.1")])
    assert import_register(project, CONTROLS, path)["criteria_links"] == 3
