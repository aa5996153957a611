"""Regressions of issue 15: what a user gets from registers written for these tests (ranges, identifiers,
formulas, default columns and sheets), read back from the project after the import."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from workbench.domain.errors import WorkbenchError
from workbench.services.controls import list_controls
from workbench.services.importers.engine import import_controls, import_requests
from workbench.services.session import OpenProject


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """Write a workbook with these sheets (first one active), each a list of rows."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def criteria_by_ref(project: OpenProject) -> dict[str, tuple[str, ...]]:
    return {c.ref: tuple(sorted(c.criteria)) for c in list_controls(project)}


def messages(result: dict[str, Any], row: int, level: str | None = None) -> list[str]:
    return [p["message"] for p in result["problems"] if p["row"] == row and (level is None or p["level"] == level)]


def requests_by_ref(project: OpenProject) -> dict[str, Any]:
    with project.uow() as uow:
        return {r.ref: r for r in uow.requests.list()}


# -- ranges and notes in criteria cells -------------------------------------------------------------------

def test_text_after_a_criterion_is_a_note_never_a_range(new_project: OpenProject, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "register.xlsx", {"Controls": [
        ("Control ID", "Title", "TSC"),
        ("AC-1", "MFA", "CC6.1 - 2FA enforced"),  # 2
        ("AC-2", "Alerting", "CC7.2 - 3 alert tiers"),  # 3
        ("AC-3", "Admins", "CC6.1 — 8 users"),  # 4
        ("AC-4", "Access", "CC6.1-CC6.3"),  # 5
        ("AC-5", "Access again", "CC6.1–6.3"),  # 6
    ]})
    result = import_controls(new_project, path)
    assert criteria_by_ref(new_project) == {
        "AC-1": ("CC6.1",), "AC-2": ("CC7.2",), "AC-3": ("CC6.1",),
        "AC-4": ("CC6.1", "CC6.2", "CC6.3"), "AC-5": ("CC6.1", "CC6.2", "CC6.3"),
    }
    for row, note in ((2, "2FA enforced"), (3, "3 alert tiers"), (4, "8 users")):
        (warning,) = messages(result, row)
        assert warning.startswith("criteria: ") and f"the note {note!r}, not as a range" in warning
    assert messages(result, 5) == messages(result, 6) == []
    assert result["criteria_links"] == 9


# -- identifiers -----------------------------------------------------------------------------------------

def test_hidden_characters_in_an_id_are_an_error_at_its_row_and_column(new_project: OpenProject,
                                                                       tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "register.xlsx", {"Controls": [
        ("Title", "Control ID", "TSC"),
        ("Fine", "  AC-1  ", "CC6.1"),  # 2: surrounding space is trimmed
        ("Override", "AC-\u202e2", "CC6.1"),  # 3
        ("Isolate", "\u2066AC-3\u2069", "CC6.1"),  # 4
        ("Break", "AC\n4", "CC6.1"),  # 5
        ("Zero width", "AC\u200b-5", "CC6.1"),  # 6
        ("Control char", "AC\t-6", "CC6.1"),  # 7
        ("Also fine", "AC-7", "CC6.2"),  # 8
    ]})
    result = import_controls(new_project, path)
    assert criteria_by_ref(new_project) == {"AC-1": ("CC6.1",), "AC-7": ("CC6.2",)}
    assert result["created"] == 2
    for row, code in ((3, "U+202E"), (4, "U+2066"), (5, "U+000A"), (6, "U+200B"), (7, "U+0009")):
        (error,) = messages(result, row, "error")
        assert error.startswith("ref: ") and "column B ('Control ID')" in error and code in error, error
    assert "AC-\\u202e2" in messages(result, 3)[0]  # the hidden character is shown, not passed on


def test_ids_differing_only_in_case_are_one_control_and_keep_the_first_spelling(new_project: OpenProject,
                                                                                tmp_path: Path) -> None:
    first = write_csv(tmp_path / "first.csv", [
        ("Control ID", "Title", "TSC"),
        ("AC-1", "Access reviews", "CC6.1"),
        ("ac-1", "Access reviews (lower case)", "CC6.2"),  # 3: the same control, a duplicate (not a crosswalk row)
    ])
    result = import_controls(new_project, first)
    assert criteria_by_ref(new_project) == {"AC-1": ("CC6.1",)}
    (warning,) = messages(result, 3, "warning")
    assert "already appears on row 2 as AC-1" in warning and "differ only in case" in warning

    again = write_csv(tmp_path / "again.csv", [
        ("Control ID", "Title", "TSC"),
        ("Ac-1", "Access reviews", "CC6.1, CC6.3"),  # 2: updates AC-1, which keeps its spelling
    ])
    result = import_controls(new_project, again)
    assert (result["created"], result["updated"]) == (0, 1)
    assert criteria_by_ref(new_project) == {"AC-1": ("CC6.1", "CC6.3")}
    assert any("keeps the spelling AC-1" in m for m in messages(result, 2, "warning"))
    assert import_controls(new_project, again)["unchanged"] == 1


def test_request_ids_differing_only_in_case_update_the_request(new_project: OpenProject, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pbc.csv", [("Request ID", "Request", "Status"), ("PBC-1", "Access list", "Open")])
    import_requests(new_project, path)
    path = write_csv(tmp_path / "pbc2.csv", [("Request ID", "Request", "Status"),
                                             ("pbc-1", "Access list", "Submitted"),
                                             ("PBC-\u202e2", "Backups", "Open"),
                                             ("PBC\x073", "Bell", "Open")])
    result = import_requests(new_project, path)
    requests = requests_by_ref(new_project)
    assert set(requests) == {"PBC-1"}
    assert requests["PBC-1"].status.value == "submitted"
    assert (result["created"], result["updated"]) == (0, 1)
    for row, code in ((3, "U+202E"), (4, "U+0007")):
        (error,) = messages(result, row, "error")
        assert "column A ('Request ID')" in error and code in error


# -- a title holding a formula the spreadsheet never computed ----------------------------------------------

def test_an_uncomputed_title_formula_is_imported_as_text_with_a_warning(new_project: OpenProject,
                                                                        tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [
        ("Control ID", "Title", "TSC"),
        ("AC-1", "=CONCAT(A2,B2)", "CC6.1"),
        ("AC-2", "=CONCAT(A3,B3)", ""),
    ])
    result = import_controls(new_project, path)
    titles = {c.ref: c.title for c in list_controls(new_project)}
    assert titles == {"AC-1": "=CONCAT(A2,B2)", "AC-2": "=CONCAT(A3,B3)"}
    for row in (2, 3):
        (warning,) = messages(result, row)
        assert warning.startswith("title: ") and "formula the spreadsheet never computed" in warning


def test_an_uncomputed_title_formula_read_as_empty_is_no_section_heading(new_project: OpenProject,
                                                                         tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Controls"
    sheet.append(["Control ID", "Title", "TSC"])
    sheet.append(["AC-1", "Access reviews", "CC6.1"])
    sheet.append(["Operations"])  # 3: a section heading
    sheet.append(["AC-2", '=A3&" backups"', None])  # 4: openpyxl saves no value, the reader sees an empty cell
    book.save(tmp_path / "register.xlsx")
    result = import_controls(new_project, tmp_path / "register.xlsx", dry_run=True)
    preview = {r["row"]: (r["action"], r["reason"]) for r in result["preview"]}
    assert preview[3] == ("skip", "section heading 'Operations'")
    assert preview[4][0] in ("problem", "create")
    if preview[4][0] == "problem":  # the reader gave an empty cell: the row is an error, not a heading
        (error,) = messages(result, 4, "error")
        assert "AC-2 has no title" in error and "formula" in error
    else:  # the reader gave the formula text
        assert any("formula" in m for m in messages(result, 4, "warning"))


def test_a_lone_formula_is_no_section_heading(new_project: OpenProject, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [
        ("Control ID", "Title", "TSC"), ("AC-1", "Access", "CC6.1"), ("", "=CONCAT(A2,B2)", ""),
    ])
    result = import_controls(new_project, path, dry_run=True)
    (error,) = messages(result, 3, "error")
    assert "no control ID" in error and "=CONCAT(A2,B2)" in error


# -- default columns -------------------------------------------------------------------------------------

CCF_HEADER = ("Control Domain", "Control Name", "CCF ID", "Control Description", "Control Type", "Audit Artifacts",
              "SOC 2 Ref#", "ISO 27001:2013 Ref#", "PCI DSS v3.2.1 Ref#", "MLPS Ref #", "FedRAMP Ref #")
CCF_ROWS = (
    ("Asset Management", "Inventory", "AM-01", "An inventory of assets is kept", "Preventive", "Asset list",
     "CC6.1\nCC3.2", "A.8.1.1", "2.4", "8.1.4.1\n8.1.4.2", "CM-8"),
    ("Asset Management", "Labels", "AM-02", "Assets are labelled", "Preventive", "Labels", "CC6.1", "A.8.2.2", "",
     "8.1.4.1", ""),
    ("Identity and Access", "Reviews", "IAM-01", "Access is reviewed", "Detective", "Reviews", "CC6.2\nCC6.3",
     "A.9.2.5", "7.1", "", "AC-2"),
    ("Identity and Access", "MFA", "IAM-02", "MFA is enforced", "Preventive", "Config", "CC6.1", "A.9.4.2", "8.3",
     "8.1.4.1", "IA-2"),
)


@pytest.mark.parametrize("mlps_first", [False, True])
def test_a_multi_framework_register_takes_its_own_id_not_another_frameworks_refs(
        new_project: OpenProject, tmp_path: Path, mlps_first: bool) -> None:
    order = list(range(len(CCF_HEADER)))
    if mlps_first:  # another framework's references left of the register's own ID
        order.insert(2, order.pop(CCF_HEADER.index("MLPS Ref #")))
    rows = [("Adobe-style Common Controls Framework",), tuple(CCF_HEADER[i] for i in order)]
    rows += [tuple(row[i] for i in order) for row in CCF_ROWS]
    path = write_xlsx(tmp_path / "ccf.xlsx", {"CCF Open Source": rows})
    result = import_controls(new_project, path)
    assert result["header_row"] == 2
    assert result["columns"]["ref"] == "CCF ID"
    assert result["columns"]["criteria"] == "SOC 2 Ref#"
    assert criteria_by_ref(new_project) == {
        "AM-01": ("CC3.2", "CC6.1"), "AM-02": ("CC6.1",), "IAM-01": ("CC6.2", "CC6.3"), "IAM-02": ("CC6.1",),
    }


def test_a_row_counter_gives_way_to_the_registers_own_id(new_project: OpenProject, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "erl.xlsx", {"Evidence Request List": [
        ("#", "ERL #", "Area of Focus", "Documentation Artifact", "Artifact Description"),
        (1, "E-GOV-01", "Governance", "Charter - Cybersecurity Program", "Evidence of a governance program."),
        (2, "E-GOV-02", "Governance", "Charter - Privacy Program", "Evidence of a privacy steering committee."),
        (3, "E-AST-01", "Assets", "Asset Inventory", "The list of assets with owners."),
    ]})
    result = import_requests(new_project, path)
    assert result["columns"] == {"ref": "ERL #", "item": "Documentation Artifact",
                                 "description": "Artifact Description"}
    requests = requests_by_ref(new_project)
    assert set(requests) == {"E-GOV-01", "E-GOV-02", "E-AST-01"}
    assert requests["E-AST-01"].item == "Asset Inventory"
    assert requests["E-AST-01"].description == "The list of assets with owners."


@pytest.mark.parametrize(("header", "item", "description"), [
    (("Reference #", "Notes", "Description", "Owner"), "Description", "Notes"),
    (("Request ID", "Comments", "Documentation Artifact", "Status"), "Documentation Artifact", "Comments"),
    (("PBC #", "Notes", "Requested Artefact", "Due Date"), "Requested Artefact", "Notes"),
    (("Request #", "Notes", "Requested"), "Requested", "Notes"),
])
def test_a_request_item_never_comes_from_notes_or_comments(new_project: OpenProject, tmp_path: Path,
                                                            header: tuple[str, ...], item: str,
                                                            description: str) -> None:
    values = {"Notes": "ask Jane first", "Comments": "ask Jane first", "Owner": "Jane", "Status": "Open",
              "Due Date": "2026-03-01", item: "Quarterly access review evidence"}
    path = write_csv(tmp_path / "pbc.csv", [header, ["PBC-1", *(values[h] for h in header[1:])],
                                            ["PBC-2", *(values[h] for h in header[1:])]])
    result = import_requests(new_project, path)
    assert result["columns"]["ref"] == header[0]
    assert result["columns"]["item"] == item
    assert result["columns"]["description"] == description
    requests = requests_by_ref(new_project)
    assert {r.item for r in requests.values()} == {"Quarterly access review evidence"}
    assert {r.description for r in requests.values()} == {"ask Jane first"}


# -- default sheets --------------------------------------------------------------------------------------

CONTROL_SHEET = [("ID", "Name", "Description", "Owner", "Status", "TSC")] + [
    (f"C-{i}", f"Control {i}", f"What control {i} does", "Jane", "Implemented", "CC6.1") for i in range(1, 15)]
REQUEST_SHEET = [("Request #", "Request", "Due")] + [
    (f"R-{i}", f"Evidence {i}", "2026-03-01") for i in range(1, 5)]


@pytest.mark.parametrize("names", [("Controls", "Requests"), ("Sheet1", "Sheet2"), ("Control Register", "PBC")])
def test_each_import_finds_its_own_sheet_in_a_workbook_holding_both(new_project: OpenProject, tmp_path: Path,
                                                                    names: tuple[str, str]) -> None:
    path = write_xlsx(tmp_path / "both.xlsx", {names[0]: CONTROL_SHEET, names[1]: REQUEST_SHEET})
    requests = import_requests(new_project, path)
    assert requests["sheet"] == names[1]
    assert set(requests_by_ref(new_project)) == {"R-1", "R-2", "R-3", "R-4"}
    controls = import_controls(new_project, path)
    assert controls["sheet"] == names[0]
    assert len(list_controls(new_project)) == 14


# -- what the user is told -------------------------------------------------------------------------------

@pytest.mark.parametrize(("importer", "what"), [(import_controls, "the control ID"),
                                                (import_requests, "the request ID")])
def test_no_column_errors_name_the_sheet_and_its_headers(new_project: OpenProject, tmp_path: Path, importer: Any,
                                                         what: str) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", {"Evidence List": [
        ("Name", "Details", "Provided By"), ("Backups", "Backup logs", "Ops"), ("Access", "Review", "IT")]})
    with pytest.raises(WorkbenchError) as raised:
        importer(new_project, path)
    message = str(raised.value)
    assert f"no column holds {what} in sheet 'Evidence List'" in message
    assert "(its headers: 'Name', 'Details', 'Provided By')" in message


@pytest.mark.parametrize("importer", [import_controls, import_requests])
def test_a_tools_findings_report_is_no_register_its_codes_are_no_ids(new_project: OpenProject, tmp_path: Path,
                                                                     importer: Any) -> None:
    """A findings report (OCSF-like JSON) has small repeated codes in "severity_id": they are never taken as IDs."""
    findings = [{"severity_id": severity, "status_id": 1, "finding_info": {"title": f"Check {n}", "uid": "<uid>"},
                 "risk_details": "Why this matters"} for n, severity in enumerate((2, 3, 3, 3, 4, 2), start=1)]
    path = tmp_path / "findings.ocsf.json"
    path.write_text(json.dumps(findings), encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"no column holds the (control|request) ID .*--map"):
        importer(new_project, path)
    assert criteria_by_ref(new_project) == {} and requests_by_ref(new_project) == {}


def run_cli(cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())


@pytest.mark.file_only("the command line opens a project file")
@pytest.mark.parametrize("command", ["import-controls", "import-requests"])
def test_header_row_zero_says_rows_start_at_one(new_project: OpenProject, tmp_path: Path, command: str) -> None:
    path = write_csv(tmp_path / "register.csv", [("Control ID", "Title"), ("AC-1", "Access")])
    new_project.close()
    result = run_cli(tmp_path, command, new_project.path, path, "--header-row", "0", "--json")
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "rows start at 1" in line


@pytest.mark.file_only("the command line opens a project file")
def test_the_cli_reads_back_what_the_json_report_promised(new_project: OpenProject, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [
        ("Control ID", "Title", "TSC"), ("AC-1", "MFA", "CC6.1 - 2FA enforced"), ("ac-1", "Again", "CC6.2"),
        ("AC-\u202e2", "Spoofed", "CC6.1"), ("AC-3", "Access", "CC6.1–6.3"),
    ])
    new_project.close()
    result = run_cli(tmp_path, "import-controls", new_project.path, path, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {(p["row"], p["level"]) for p in report["problems"]} == {(2, "warning"), (3, "warning"), (4, "error")}
    listed = run_cli(tmp_path, "controls", new_project.path, "--json")
    assert listed.returncode == 0, listed.stderr
    assert {c["ref"]: sorted(c["criteria"]) for c in json.loads(listed.stdout)} == {
        "AC-1": ["CC6.1"], "AC-3": ["CC6.1", "CC6.2", "CC6.3"]}


def test_scf_evidence_request_list_is_keyed_by_its_erl_numbers(new_project: OpenProject) -> None:
    path = Path("/work/shared/realworld/scf-2022.3_secure-controls-framework.xlsx")
    for folder in Path(__file__).resolve().parents:
        if (folder / "shared" / "realworld" / path.name).is_file():
            path = folder / "shared" / "realworld" / path.name
            break
    if not path.is_file():
        pytest.skip(f"{path.name} is not here (the real-world test material is not checked in)")
    result = import_requests(new_project, path, dry_run=True)
    assert result["sheet"] == "Evidence Request List 2022.3"
    assert result["columns"] == {"ref": "ERL #", "item": "Documentation Artifact",
                                 "description": "Artifact Description"}
    assert result["created"] == 177 and result["problems"] == []
    assert all(row["ref"].startswith("E-") for row in result["preview"])
