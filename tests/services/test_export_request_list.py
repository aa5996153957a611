"""The auditor's request list goes back in the auditor's own columns, with our status and evidence filled in."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import Workbook

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import RequestStatus
from workbench.services.controls import add_control
from workbench.services.engagement import add_request, draft_of, list_requests, update_request
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.exports.cells import TextNotice
from workbench.services.exports.output import ExportCancelled
from workbench.services.exports.request_list import (
    EVIDENCE_PROVIDED,
    WORKBENCH_STATUS,
    export_request_list,
    request_layout,
)
from workbench.services.importers.engine import import_requests
from workbench.services.session import OpenProject

HEADERS = ["Auditor comments", "Due Date", "Request ID", "Status", "TSC Reference", "Evidence Requested", "Owner",
           "Date sent"]
ROWS = [
    ["Need both halves of the year", date(2026, 5, 1), "PBC-03", "Open", "CC6.1", "User access review", "Ana",
     date(2026, 3, 1)],
    ["+ see prior year", date(2026, 5, 8), "PBC-01", "Open", "CC7.4", "Backup restore test", "Dana",
     date(2026, 3, 2)],
    [None, None, "PBC-02", "Open", "", "Information security policy", "", date(2026, 3, 3)],
]


def _pbc(path: Path, headers: list[str] = HEADERS, rows: list[list[object]] = ROWS) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "PBC List"
    sheet.append(["Acme Ltd - SOC 2 Type II - information request list"])
    sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # the auditor's "+ see prior year" is text in their file too
    workbook.save(path)
    return path


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.1",)))
    return new_project


def _read(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[str], list[dict[str, object]]]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    return sheet, headers, [dict(zip(headers, row, strict=False)) for row in rows[1:]]


def test_round_trip_keeps_the_auditors_columns_and_carries_our_status(project: OpenProject,
                                                                       tmp_path: Path) -> None:
    result = import_requests(project, _pbc(tmp_path / "pbc.xlsx"))
    assert result["created"] == 3  # "Auditor comments" may map to the description: either way it comes back
    evidence = add_evidence_bytes(project, "restore-test.pdf", b"%PDF-1.4 restore", EvidenceMeta("AC-1")).value
    backup = next(r for r in list_requests(project) if r.ref == "PBC-01")
    update_request(project, backup.id, replace(draft_of(backup), status=RequestStatus.SUBMITTED,
                                               owner="Dana Ops", evidence_ids=(evidence.id,)))
    add_request(project, "PBC-00", "Added after the import")

    out = export_request_list(project, tmp_path / "returned.xlsx")
    sheet, headers, rows = _read(out)
    assert sheet.title == "PBC List"
    assert headers == [*HEADERS, EVIDENCE_PROVIDED]
    assert [r["Request ID"] for r in rows] == ["PBC-03", "PBC-01", "PBC-02", "PBC-00"]
    assert [r["Auditor comments"] for r in rows] == ["Need both halves of the year", "+ see prior year", None, None]
    assert [r["Date sent"] for r in rows] == [datetime(2026, 3, 1), datetime(2026, 3, 2), datetime(2026, 3, 3), None]
    assert [r["Status"] for r in rows] == ["Open", "Submitted", "Open", "Open"]
    assert rows[1]["Owner"] == "Dana Ops" and rows[1]["Due Date"] == datetime(2026, 5, 8)
    assert rows[1][EVIDENCE_PROVIDED] == f"restore-test.pdf (SHA-256 {evidence.sha256[:12]}…)"
    assert rows[3]["Evidence Requested"] == "Added after the import"
    comment = sheet["A3"]
    assert comment.value == "+ see prior year" and comment.data_type == "s" and comment.quotePrefix
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I5"


def test_csv_output_is_excel_friendly_and_formula_safe(project: OpenProject, tmp_path: Path) -> None:
    import_requests(project, _pbc(tmp_path / "pbc.xlsx"))
    out = export_request_list(project, tmp_path / "returned.csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows[0] == [*HEADERS, EVIDENCE_PROVIDED]
    by_ref = {row[2]: row for row in rows[1:]}
    assert by_ref["PBC-01"][0] == "'+ see prior year"
    assert by_ref["PBC-01"][1] == "2026-05-08" and by_ref["PBC-01"][7] == "2026-03-02"


def test_a_list_without_a_status_column_gets_ours_appended(project: OpenProject, tmp_path: Path) -> None:
    headers = ["Ref", "Request", "Auditor notes for client", "Evidence provided"]
    rows: list[list[object]] = [["R-1", "Org chart", "Current one", "their note"], ["R-2", "Policies", None, None]]
    import_requests(project, _pbc(tmp_path / "pbc.xlsx", headers, rows))
    r2 = next(r for r in list_requests(project) if r.ref == "R-2")
    update_request(project, r2.id, replace(draft_of(r2), status=RequestStatus.ACCEPTED))
    _, got, records = _read(export_request_list(project, tmp_path / "back.xlsx"))
    assert got == [*headers, WORKBENCH_STATUS]
    assert [r[WORKBENCH_STATUS] for r in records] == ["Open", "Accepted"]
    assert [r["Evidence provided"] for r in records] == [None, None]  # our (empty) evidence, not their cell
    assert [r["Auditor notes for client"] for r in records] == ["Current one", None]


def test_without_an_import_our_columns_are_used_and_import_back(
        project: OpenProject, tmp_path: Path, make_project: Callable[..., OpenProject], project_location: Any) -> None:
    add_request(project, "Q-2", "=HYPERLINK(\"http://x\",\"y\")", tsc_refs=("CC6.1",), control_ref="AC-1",
                owner="Ana", due=date(2026, 7, 1), status=RequestStatus.NEEDS_FOLLOW_UP, description="-details")
    add_request(project, "Q-1", "Org chart")
    assert request_layout(project) is None
    out = export_request_list(project, tmp_path / "ours.xlsx")
    sheet, headers, rows = _read(out)
    assert headers[:3] == ["Ref", "Item", "Description"] and EVIDENCE_PROVIDED in headers
    assert [r["Ref"] for r in rows] == ["Q-1", "Q-2"]
    assert rows[1]["Item"] == "=HYPERLINK(\"http://x\",\"y\")" and sheet["B3"].quotePrefix

    fresh = make_project(project_location("fresh.soc2"))
    add_control(fresh, ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.1",)))
    import_requests(fresh, out)

    def fields(p: OpenProject) -> list[tuple[object, ...]]:
        return [(r.ref, r.item, r.description, r.tsc_refs, r.control_ref, r.owner, r.due, r.status)
                for r in list_requests(p)]

    assert fields(fresh) == fields(project)


def test_a_dry_run_remembers_nothing_and_a_new_import_merges(project: OpenProject, tmp_path: Path) -> None:
    pbc = _pbc(tmp_path / "pbc.xlsx")
    import_requests(project, pbc, dry_run=True)
    assert request_layout(project) is None
    import_requests(project, pbc)
    layout = request_layout(project)
    assert layout is not None and layout.source == "pbc.xlsx" and layout.sheet == "PBC List"
    assert layout.headers == HEADERS and layout.mapping["ref"] == 2
    later = [["Second batch", None, "PBC-04", "Open", "", "Network diagram", "", date(2026, 4, 1)]]
    import_requests(project, _pbc(tmp_path / "pbc2.xlsx", HEADERS, later))
    _, _, rows = _read(export_request_list(project, tmp_path / "back.xlsx"))
    assert [r["Request ID"] for r in rows] == ["PBC-03", "PBC-01", "PBC-02", "PBC-04"]
    assert rows[0]["Auditor comments"] == "Need both halves of the year"
    assert rows[3]["Auditor comments"] == "Second batch"


def test_long_text_is_reported_and_cancel_leaves_nothing(project: OpenProject, tmp_path: Path) -> None:
    add_request(project, "Q-1", "Org chart", description="y" * 40_000)
    notices: list[TextNotice] = []
    out = export_request_list(project, tmp_path / "ours.xlsx", notices=notices)
    sheet, _, _ = _read(out)
    assert len(sheet["C2"].value) <= 32_767 and "sheet 'Long text', rows 2 to 3" in sheet["C2"].value
    parts = openpyxl.load_workbook(out)["Long text"].iter_rows(min_row=2, values_only=True)
    assert "".join(row[3] for row in parts) == "y" * 40_000
    assert [(n.sheet, n.cell) for n in notices] == [("Requests", "C2")]
    target = tmp_path / "cancelled.xlsx"
    with pytest.raises(ExportCancelled):
        export_request_list(project, target, progress=lambda done, total: False)
    assert not target.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
