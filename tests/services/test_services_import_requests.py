"""Importing the auditor's request list (PBC): a firm's template, CSV exports, re-imports, dry runs, bad files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from workbench.domain.entities import ControlDraft, Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.engagement import draft_of, list_requests, update_request
from workbench.services.evidence import EvidenceMeta, add_evidence_files
from workbench.services.importers.engine import ImportCancelled, import_requests
from workbench.services.importers.kinds.requests import parse_request_status
from workbench.services.integrity import check_project
from workbench.services.session import OpenProject

HEADER = ["PBC #", "Request", "Description", "TSC\nReference", "Related Control", "Assignee", "Due Date",
          "Internal Status", "Auditor Status", "Evidence Link", "Priority", "Overdue?"]


def with_controls(project: OpenProject) -> OpenProject:
    """Give the project the controls a request list refers to."""
    for ref, title in (("AC-01", "Access reviews"), ("AC-02", "MFA"), ("OP-01", "Backups")):
        add_control(project, ControlDraft(ref, title, criteria=("CC6.1",)))
    return project


def firm_template(path: Path) -> Path:
    """A CPA firm's PBC template: instructions and a hidden list sheet first; a title block above the table."""
    book = Workbook()
    instructions = book.active
    instructions.title = "Instructions"
    instructions["A1"] = "How to use this request list"
    instructions.append(["Step", "What to do"])
    instructions.append(["1", "Upload each item to the portal"])
    instructions.append(["2", "Set the internal status"])
    lists = book.create_sheet("Lists")
    lists.append(["Status", "Priority"])
    lists.append(["Open", "High"])
    lists.append(["Submitted", "Low"])
    lists.sheet_state = "hidden"
    sheet = book.create_sheet("PBC Requests")
    sheet["A1"] = "Example CPA LLP - SOC 2 Type II Information Request List"
    sheet.merge_cells("A1:L1")
    sheet["A2"] = "Client: Acme Ltd"
    sheet["A3"] = "Period: 2026-01-01 to 2026-06-30"
    sheet.append([])
    sheet.append(HEADER)  # row 5
    sheet.append(["Access control"])  # row 6: a section
    sheet.merge_cells("A6:L6")
    rows: list[list[Any]] = [
        ["PBC-001", "User access listing for production", "Export from the IdP with roles", "CC6.1; CC6.2",
         "AC-01", "Jane Doe", datetime(2026, 3, 15), "Open", "Not reviewed", "", "High", ""],  # 7
        ["PBC-002", "Quarterly access review evidence", "", "CC 6.2, cc6.3", "ac-02", "Ana Müller",
         "2026-03-20", "Submitted", "Under review", "https://portal/2", "Medium", ""],  # 8
        ["PBC-003", "Termination tickets", "Sample of leavers", "CC6.1-CC6.3", "AC-99", "HR team",
         "15/03/2026", "accepted", "Accepted", "", "Low", ""],  # 9: unknown control
        ["PBC-004", "Backup restore test", "", "A1.2 CC10.1", "OP-01", "Ops", "03/04/2026",
         "Needs more info", "", "", "", "Yes"],  # 10: ambiguous date, unknown criterion
        ["PBC-002", "Quarterly access review again", "", "CC6.1", "", "Bob", "2026-04-01", "Open", "", "", "",
         ""],  # 11: duplicate
        [None] * 12,  # 12: blank
    ]
    for row in rows:
        sheet.append(row)
    sheet.append(["Operations"])  # 13: a section
    sheet.merge_cells("A13:L13")
    sheet.append(["PBC-005", "Change tickets sample", "=not a formula", "CC8.1", "", "+1 555 0100", 46111,
                  "follow-up", "Rejected", "", "High", ""])  # 14: Excel serial date, text like a formula
    sheet["C14"].data_type = "s"
    sheet.append(["", "Incident log", "", "CC7.3", "", "", "", "", "", "", "", ""])  # 15: no ID
    sheet.append(["PBC-007", "", "Only a description", "CC7.2", "", "", "", "", "", "", "", ""])  # 16: no item
    sheet.append([8, "Vendor list", "", "CC9.2", "", "Finance", "March 30, 2026", "Mostly done", "", "", "",
                  ""])  # 17: a numeric id, an unknown status
    book.active = 2
    book.save(path)
    return path


def by_ref(project: OpenProject) -> dict[str, Request]:
    return {r.ref: r for r in list_requests(project)}


def problem_rows(result: dict[str, Any], level: str | None = None) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in result["problems"]:
        if level is None or p["level"] == level:
            found.setdefault(p["row"], []).append(p["message"])
    return found


def test_firm_template_finds_sheet_header_and_columns(new_project: OpenProject, tmp_path: Path) -> None:
    result = import_requests(with_controls(new_project), firm_template(tmp_path / "pbc.xlsx"))
    assert result["sheet"] == "PBC Requests"
    assert result["header_row"] == 5
    assert result["columns"] == {
        "ref": "PBC #", "item": "Request", "description": "Description", "criteria": "TSC Reference",
        "control": "Related Control", "owner": "Assignee", "due": "Due Date", "status": "Internal Status",
        "auditor_status": "Auditor Status", "priority": "Priority",
    }
    assert (result["created"], result["updated"], result["unchanged"]) == (6, 0, 0)
    assert result["skipped"] == 5  # two sections, the duplicate, the row without an ID, the row without an item
    assert result["control_links"] == 3
    assert result["criteria_links"] == 2 + 2 + 3 + 0 + 1 + 1  # PBC-004's A1.2 is outside the project's scope


def test_stored_requests_read_back_on_a_reopened_project(new_project: OpenProject, tmp_path: Path,
                                                         reopen: Callable[[Path], Any]) -> None:
    import_requests(with_controls(new_project), firm_template(tmp_path / "pbc.xlsx"))
    new_project.close()
    with reopen(new_project.path) as project:
        stored = by_ref(project)
    assert set(stored) == {"PBC-001", "PBC-002", "PBC-003", "PBC-004", "PBC-005", "8"}
    first = stored["PBC-001"]
    assert (first.item, first.description, first.tsc_refs, first.control_ref, first.owner, first.due,
            first.status, first.auditor_status, first.priority) == (
        "User access listing for production", "Export from the IdP with roles", ("CC6.1", "CC6.2"), "AC-01",
        "Jane Doe", date(2026, 3, 15), RequestStatus.OPEN, "Not reviewed", "High")
    second = stored["PBC-002"]
    assert (second.item, second.tsc_refs, second.control_ref, second.due, second.status) == (
        "Quarterly access review evidence", ("CC6.2", "CC6.3"), "AC-02", date(2026, 3, 20),
        RequestStatus.SUBMITTED)
    third = stored["PBC-003"]
    assert (third.tsc_refs, third.control_ref, third.due, third.status) == (
        ("CC6.1", "CC6.2", "CC6.3"), None, date(2026, 3, 15), RequestStatus.ACCEPTED)
    fourth = stored["PBC-004"]
    assert (fourth.tsc_refs, fourth.control_ref, fourth.due, fourth.status) == (
        (), "OP-01", None, RequestStatus.NEEDS_FOLLOW_UP)  # A1.2 is Availability: not in this project's scope
    fifth = stored["PBC-005"]
    assert (fifth.description, fifth.owner, fifth.due, fifth.status, fifth.auditor_status) == (
        "=not a formula", "+1 555 0100", date(2026, 3, 30), RequestStatus.NEEDS_FOLLOW_UP, "Rejected")
    numbered = stored["8"]
    assert (numbered.item, numbered.due, numbered.status) == ("Vendor list", date(2026, 3, 30), RequestStatus.OPEN)


def test_every_problem_is_reported_on_its_row(new_project: OpenProject, tmp_path: Path) -> None:
    result = import_requests(with_controls(new_project), firm_template(tmp_path / "pbc.xlsx"))
    problems = problem_rows(result)
    assert set(problems) == {9, 10, 11, 14, 15, 16, 17}
    # '=not a formula' (text) starts as a formula does: noted, kept as its text (QA I3); the phone number is not
    assert problems[14] == ["description: '=not a formula' starts as a formula does (a spreadsheet would run it); "
                            "the cell is read as its text, not a computed result"]
    assert any("'AC-99' is not a control of this project" in m for m in problems[9])
    assert any("'03/04/2026' could be" in m and "due date left unset" in m for m in problems[10])
    assert any("CC10.1" in m for m in problems[10])
    assert "PBC-002 already appears on row 8" in problems[11][0]
    assert any("'Mostly done' is not a request status" in m for m in problems[17])
    assert set(problem_rows(result, "error")) == {15, 16}


def test_reimport_creates_nothing_and_updates_by_ref_keeping_ids_and_evidence(
        new_project: OpenProject, tmp_path: Path) -> None:
    project = with_controls(new_project)
    path = firm_template(tmp_path / "pbc.xlsx")
    import_requests(project, path)
    before = by_ref(project)
    again = import_requests(project, path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 6)
    assert by_ref(project) == before

    proof = tmp_path / "listing.csv"
    proof.write_text("user,role\njane,admin\n", encoding="utf-8")
    (evidence,) = add_evidence_files(project, [proof], EvidenceMeta("AC-01", "User listing")).value
    update_request(project, before["PBC-001"].id, replace(draft_of(before["PBC-001"]), evidence_ids=(evidence.id,)))

    from openpyxl import load_workbook
    book = load_workbook(path)
    book["PBC Requests"]["F7"] = "John Roe"
    book["PBC Requests"]["I7"] = "Accepted"
    book["PBC Requests"]["F8"] = "Ana M."
    book.save(path)
    third = import_requests(project, path)
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 2, 4)
    after = by_ref(project)
    assert len(after) == 6
    assert (after["PBC-001"].owner, after["PBC-001"].auditor_status) == ("John Roe", "Accepted")
    assert after["PBC-001"].id == before["PBC-001"].id
    assert after["PBC-001"].evidence_ids == (evidence.id,)
    assert after["PBC-002"].owner == "Ana M."
    assert all(result.ok for result in check_project(project))


def test_dry_run_writes_nothing_and_previews_every_row(new_project: OpenProject, tmp_path: Path,
                                                        reopen: Callable[[Path], Any]) -> None:
    result = import_requests(with_controls(new_project), firm_template(tmp_path / "pbc.xlsx"), dry_run=True)
    assert result["dry_run"] is True and result["created"] == 6
    assert list_requests(new_project) == []
    actions = {row["row"]: (row["action"], row["reason"]) for row in result["preview"]}
    assert actions[6] == ("skip", "section heading 'Access control'")
    assert actions[7][0] == "create" and actions[11][0] == "skip" and actions[15][0] == "problem"
    assert actions[16] == ("problem", "request PBC-007 does not say what is requested")
    new_project.close()
    with reopen(new_project.path) as project:
        assert list_requests(project) == []


def test_dry_run_after_import_previews_updates_and_unchanged(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "pbc.csv"
    path.write_text("Request ID,Evidence Requested,Owner\nR-1,Policy set,Jane\nR-2,Org chart,Bob\n", encoding="utf-8")
    import_requests(new_project, path)
    path.write_text("Request ID,Evidence Requested,Owner\nR-1,Policy set,Jane\nR-2,Org chart,Rob\nR-3,Board "
                    "minutes,Ann\n", encoding="utf-8")
    preview = import_requests(new_project, path, dry_run=True)["preview"]
    assert [(p["ref"], p["action"]) for p in preview] == [("R-1", "unchanged"), ("R-2", "update"), ("R-3", "create")]
    assert by_ref(new_project)["R-2"].owner == "Bob"


def test_csv_export_with_bom_semicolons_and_request_description(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "requests.csv"
    text = (
        "Req #;Request Description;SOC 2 Ref;Control ID;Responsible;Due;Status;Priority\n"
        "1;\"Security policy,\nsigned\";CC1.1 / CC2.2;AC-01;Jürgen;2026-02-28;uploaded;P1\n"
        "2;Risk assessment;CC3.1|CC3.2;;Sam;28.02.2026;complete;P2\n"
        "3;Vendor reviews;cc9.2;OP-01, AC-02;Lee;;in progress;\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = import_requests(with_controls(new_project), path)
    assert result["columns"] == {"ref": "Req #", "item": "Request Description", "criteria": "SOC 2 Ref",
                                 "control": "Control ID", "owner": "Responsible", "due": "Due",
                                 "status": "Status", "priority": "Priority"}
    stored = by_ref(new_project)
    assert stored["1"].item == "Security policy,\nsigned"
    assert (stored["1"].tsc_refs, stored["1"].owner, stored["1"].status) == (
        ("CC1.1", "CC2.2"), "Jürgen", RequestStatus.SUBMITTED)
    assert (stored["2"].due, stored["2"].status, stored["2"].priority) == (
        date(2026, 2, 28), RequestStatus.ACCEPTED, "P2")
    assert (stored["3"].control_ref, stored["3"].due, stored["3"].status) == ("OP-01", None, RequestStatus.OPEN)
    assert any("OP-01 is linked, AC-02 not" in m for m in problem_rows(result)[4])


def test_ambiguous_dates_are_read_when_the_order_is_given(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "pbc.csv"
    path.write_text("ID,Item,Due Date\nR-1,Policies,03/04/2026\n", encoding="utf-8")
    result = import_requests(new_project, path, dry_run=True)
    assert "could be 03 April or 04 March" in result["problems"][0]["message"]
    import_requests(new_project, path, day_first=True)
    assert by_ref(new_project)["R-1"].due == date(2026, 4, 3)
    import_requests(new_project, path)  # ambiguous again: the stored date is kept, not guessed over
    assert by_ref(new_project)["R-1"].due == date(2026, 4, 3)


def test_overrides_and_remembered_mapping(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "pbc.csv"
    path.write_text("Ticket,What we need,Notes,Who\nT-1,Org chart,Latest version,Jane\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="no column holds the request ID"):
        import_requests(new_project, path)
    result = import_requests(new_project, path, overrides=[("Ticket", "ref"), ("What we need", "item"),
                                                           ("Who", "owner"), ("Notes", "none")])
    assert result["columns"] == {"ref": "Ticket", "item": "What we need", "owner": "Who"}
    again = import_requests(new_project, path)  # the same layout: the mapping is remembered
    assert again["columns"] == result["columns"] and again["unchanged"] == 1
    with pytest.raises(WorkbenchError, match="'colour' is not a request field"):
        import_requests(new_project, path, overrides=[("Who", "colour")])
    with pytest.raises(WorkbenchError, match="no column is headed 'Missing'"):
        import_requests(new_project, path, overrides=[("Missing", "ref")])


def test_request_list_sheet_is_chosen_over_a_control_register(new_project: OpenProject, tmp_path: Path) -> None:
    book = Workbook()
    controls = book.active
    controls.title = "Controls"
    controls.append(["Control ID", "Control Title", "Owner", "TSC"])
    for i in range(30):
        controls.append([f"C-{i}", f"Control {i}", "Jane", "CC6.1"])
    requests = book.create_sheet("IRL")
    requests.append(["Request ID", "Item Requested", "Owner", "Due Date", "Status"])
    requests.append(["IRL-1", "Network diagram", "Ops", "2026-05-01", "Open"])
    requests.append(["IRL-2", "Asset inventory", "IT", "2026-05-02", "Provided"])
    book.save(tmp_path / "both.xlsx")
    result = import_requests(new_project, tmp_path / "both.xlsx")
    assert (result["sheet"], result["created"]) == ("IRL", 2)
    assert by_ref(new_project)["IRL-2"].status is RequestStatus.SUBMITTED
    result = import_requests(new_project, tmp_path / "both.xlsx", sheet="irl", header_row=1, dry_run=True)
    assert result["unchanged"] == 2
    with pytest.raises(WorkbenchError, match="no sheet named 'Nope'"):
        import_requests(new_project, tmp_path / "both.xlsx", sheet="Nope")


@pytest.mark.parametrize(("name", "content", "phrase"), [
    ("missing.xlsx", None, "the file does not exist"),
    ("empty.csv", b"", "the file is empty"),
    ("junk.xlsx", bytes(range(256)) * 20, "is not a spreadsheet"),
    ("truncated.xlsx", b"PK\x03\x04" + b"\x00" * 200, "damaged or truncated"),
    ("headers.csv", b"Request ID,Request,Owner\n", "headers but no data rows"),
])
def test_a_broken_file_gives_one_clean_error_and_leaves_the_project_alone(
        new_project: OpenProject, tmp_path: Path, name: str, content: bytes | None, phrase: str) -> None:
    import_requests(new_project, _one_request(tmp_path))
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbenchError) as caught:
        import_requests(new_project, path)
    assert str(path) in str(caught.value) and phrase in str(caught.value)
    assert "\n" not in str(caught.value)
    assert list(by_ref(new_project)) == ["R-1"]


def _one_request(tmp_path: Path) -> Path:
    path = tmp_path / "one.csv"
    path.write_text("Request ID,Request\nR-1,Policies\n", encoding="utf-8")
    return path


def test_a_failure_midway_writes_nothing(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("\n".join(["PBC #,Request,TSC"] + [f"P-{i},Item {i},CC6.1" for i in range(1200)]),
                    encoding="utf-8")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 3

    with pytest.raises(ImportCancelled):
        import_requests(new_project, path, progress=progress)
    assert list_requests(new_project) == []
    assert import_requests(new_project, path)["created"] == 1200


@pytest.mark.parametrize(("text", "status"), [
    ("Open", RequestStatus.OPEN), ("Not Started", RequestStatus.OPEN), ("in progress", RequestStatus.OPEN),
    ("Submitted", RequestStatus.SUBMITTED), ("PROVIDED", RequestStatus.SUBMITTED),
    ("Uploaded", RequestStatus.SUBMITTED), ("Submitted - awaiting auditor review", RequestStatus.SUBMITTED),
    ("Accepted", RequestStatus.ACCEPTED), ("Closed", RequestStatus.ACCEPTED), ("Complete", RequestStatus.ACCEPTED),
    ("Follow up", RequestStatus.NEEDS_FOLLOW_UP), ("Follow-up", RequestStatus.NEEDS_FOLLOW_UP),
    ("Rejected", RequestStatus.NEEDS_FOLLOW_UP), ("Needs more info", RequestStatus.NEEDS_FOLLOW_UP),
    ("needs_follow_up", RequestStatus.NEEDS_FOLLOW_UP), ("", None),
])
def test_request_status_words(text: str, status: RequestStatus | None) -> None:
    assert parse_request_status(text) is status


def test_unknown_request_status_is_refused() -> None:
    with pytest.raises(ValueError, match="'Mostly done' is not a request status"):
        parse_request_status("Mostly done")
