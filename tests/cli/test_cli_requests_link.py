"""`workbench requests link|unlink` as a real process, read back through `export requests`' Evidence provided."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_cli_import_requests import assert_one_error_line, run
from workbench.domain.entities import ControlDraft
from workbench.services.controls import add_control
from workbench.services.engagement import add_request, list_requests
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.session import OpenProject, open_project


@pytest.fixture
def folder(tmp_path: Path, make_project: Callable[..., OpenProject]) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "work"
    path.mkdir()
    project = make_project(path / "acme.soc2")
    add_control(project, ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.1",)))
    add_control(project, ControlDraft("BK-1", "Backups restored yearly", criteria=("CC7.4",)))
    ids = {
        "restore": add_evidence_bytes(project, "=restore-test.pdf", b"%PDF-1.4 restore",
                                      EvidenceMeta("BK-1", collected_on=date(2026, 3, 2))).value.id,
        "q1": add_evidence_bytes(project, "access-review-q1.pdf", b"%PDF-1.4 q1",
                                 EvidenceMeta("AC-1", period_start=date(2026, 1, 1),
                                              period_end=date(2026, 3, 31))).value.id,
        "old": add_evidence_bytes(project, "access-review-2025.pdf", b"%PDF-1.4 old",
                                  EvidenceMeta("AC-1", collected_on=date(2025, 10, 5))).value.id,
    }
    add_request(project, "PBC-01", "Evidence of the quarterly access reviews", control_ref="AC-1")
    add_request(project, "PBC-02", "Backup restore test")
    project.close()
    return path, ids


def _evidence_provided(path: Path) -> dict[str, str | None]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    ref, column = rows[0].index("Ref"), rows[0].index("Evidence provided")
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    return {row[ref]: row[column] for row in rows[1:]}


def test_link_then_export_lists_the_requests_and_its_controls_evidence(folder: tuple[Path, dict[str, int]]) -> None:
    path, ids = folder
    linked = run(path, "requests", "link", "acme.soc2", "PBC-02", "--evidence", ids["restore"], "--json")
    assert linked.returncode == 0, linked.stderr
    assert json.loads(linked.stdout) == {"request": "PBC-02", "linked": [ids["restore"]], "already_linked": []}
    again = run(path, "requests", "link", "acme.soc2", "PBC-02", "--evidence", ids["restore"])
    assert again.returncode == 0 and "already linked" in again.stdout
    assert run(path, "requests", "link", "acme.soc2", "PBC-01", "--evidence", ids["q1"]).returncode == 0

    exported = run(path, "export", "requests", "acme.soc2", "back.xlsx")
    assert exported.returncode == 0, exported.stderr
    cells = _evidence_provided(path / "back.xlsx")
    with open_project(path / "acme.soc2") as project:
        sha = {e.filename: e.sha256[:12] for e in list_evidence(project)}
    assert cells["PBC-02"] == f"=restore-test.pdf (SHA-256 {sha['=restore-test.pdf']}…)"  # text, not a formula
    assert cells["PBC-01"] == (f"access-review-q1.pdf (SHA-256 {sha['access-review-q1.pdf']}…)\n"
                               f"control AC-1: access-review-2025.pdf (SHA-256 {sha['access-review-2025.pdf']}…) "
                               "OUT OF PERIOD")

    unlinked = run(path, "requests", "unlink", "acme.soc2", "PBC-02", "--evidence", ids["restore"])
    assert unlinked.returncode == 0, unlinked.stderr
    with open_project(path / "acme.soc2") as project:
        stored = {r.ref: r.evidence_ids for r in list_requests(project)}
    assert stored == {"PBC-01": (ids["q1"],), "PBC-02": ()}


def test_unknown_request_or_evidence_is_one_error_line_and_changes_nothing(
        folder: tuple[Path, dict[str, int]]) -> None:
    path, ids = folder
    before = (path / "acme.soc2").read_bytes()
    assert_one_error_line(run(path, "requests", "link", "acme.soc2", "PBC-99", "--evidence", ids["q1"]),
                          "request PBC-99", "does not exist")
    assert_one_error_line(run(path, "requests", "link", "acme.soc2", "PBC-01", "--evidence", "999"),
                          "evidence 999", "does not exist")
    assert_one_error_line(run(path, "requests", "link", "acme.soc2", "PBC-01", "--evidence", "abc"), "--evidence")
    assert_one_error_line(run(path, "requests", "unlink", "acme.soc2", "PBC-01", "--evidence", ids["old"]),
                          "request PBC-01", "not linked")
    assert (path / "acme.soc2").read_bytes() == before


def test_month_first_import_warns_naming_file_row_and_column(folder: tuple[Path, dict[str, int]]) -> None:
    path, _ = folder
    (path / "pbc.csv").write_text("Request ID,Request,Due Date\nPBC-10,User listing,03/04/2026\n"
                                  "PBC-11,Access review,25/03/2026\n", encoding="utf-8")
    result = run(path, "import-requests", "acme.soc2", "pbc.csv", "--month-first")
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "can only be" in line]
    assert line.strip().startswith("row 3 warning: due: pbc.csv, column C ('Due Date'): '25/03/2026' can only be "
                                   "day first (25 March 2026), yet the import reads dates month first")
