"""Every export names the audit-trail chain head `workbench status --json` shows when it is made (DESIGN §4)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from workbench.domain.entities import ControlDraft
from workbench.services import plan
from workbench.services.controls import add_control
from workbench.services.documents.export import export_document
from workbench.services.engagement import add_request, list_requests
from workbench.services.exports.policy_document import export_policies
from workbench.services.exports.request_list import export_request_list
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTROLS
from workbench.services.plan_exports import ICS_CHAIN_HEAD, export_ics, export_plan_pdf, export_plan_xlsx
from workbench.services.policies import add_policies, publish
from workbench.services.project import project_status, status_document
from workbench.services.registers import export_register, list_register
from workbench.services.session import OpenProject

LABEL = "Audit-trail chain head"


def _status_head(project: OpenProject) -> str:
    return status_document(project, project_status(project))["audit_trail"]["head"]


def _status_entries(project: OpenProject) -> int:
    return status_document(project, project_status(project))["audit_trail"]["entries"]


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.1",)))
    return new_project


def _about(path: Path) -> tuple[list[str], dict[object, object], str | None]:
    book = openpyxl.load_workbook(path)
    rows = list(book["About"].iter_rows(values_only=True))
    assert rows[0] == ("Field", "Value")
    return book.sheetnames, dict(rows[1:]), book.properties.description


# -- table files: the request list and register export ---------------------------------------------------------

def test_the_request_list_xlsx_names_the_head_status_shows_and_follows_a_later_change(project: OpenProject,
                                                                                     tmp_path: Path) -> None:
    add_request(project, "PBC-01", "Access review")
    sheets, about, comments = _about(export_request_list(project, tmp_path / "first.xlsx"))
    head = _status_head(project)
    assert sheets[0] == "Requests" and sheets[-1] == "About"
    assert about[LABEL] == head and about["Audit-trail entries"] == _status_entries(project)
    assert comments == f"{LABEL}: {head} ({_status_entries(project)} entries)"

    add_request(project, "PBC-02", "Backup test")
    _, later, _ = _about(export_request_list(project, tmp_path / "second.xlsx"))
    assert later[LABEL] == _status_head(project) != head


def test_the_request_list_csv_stays_the_bare_table(project: OpenProject, tmp_path: Path) -> None:
    add_request(project, "PBC-01", "Access review")
    out = export_request_list(project, tmp_path / "requests.csv")
    text = out.read_text(encoding="utf-8-sig")
    assert _status_head(project) not in text
    rows = list(csv.reader(text.splitlines()))
    assert len(rows) == 2 and rows[1][0] == "PBC-01"


def test_the_request_list_xlsx_with_its_about_sheet_imports_back_unchanged(project: OpenProject,
                                                                          tmp_path: Path) -> None:
    from workbench.services.importers.engine import import_requests

    add_request(project, "PBC-01", "Access review")
    out = export_request_list(project, tmp_path / "requests.xlsx")
    before = list_requests(project)
    result = import_requests(project, out)
    assert (result["created"], result["updated"]) == (0, 0)
    assert list_requests(project) == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_register_export_names_the_head_in_an_xlsx_and_both_import_back(make_project, project_location,
                                                                        tmp_path: Path, suffix: str) -> None:
    source = make_project(project_location("source.soc2"))
    (tmp_path / "controls.csv").write_text("ID,Title\nAC-1,Access review\nCM-1,Change approval\n",
                                           encoding="utf-8")
    import_register(source, CONTROLS, tmp_path / "controls.csv")
    out = export_register(source, CONTROLS, tmp_path / f"controls{suffix}")
    head = _status_head(source)
    if suffix == ".xlsx":
        sheets, about, comments = _about(out)
        assert sheets == ["Controls", "About"]
        assert about[LABEL] == head and comments is not None and head in comments
    else:
        assert head not in out.read_text(encoding="utf-8-sig")
    target = make_project(project_location("target.soc2"))
    import_register(target, CONTROLS, out)
    assert list_register(target, CONTROLS) == list_register(source, CONTROLS)


# -- management documents: description, assertion, bridge letter -------------------------------------------------

def _pdf_text(path: Path) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(path).pages).split())


def _docx(path: Path) -> tuple[str, str]:
    book = docx.Document(str(path))
    cells = [cell.text for table in book.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in book.paragraphs] + cells), book.core_properties.keywords


def _first_table_facts(path: Path) -> dict[str, str]:
    table = docx.Document(str(path)).tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


@pytest.mark.parametrize("kind", ["description", "assertion", "bridge-letter"])
def test_management_documents_name_the_head_status_shows_in_both_formats(project: OpenProject, tmp_path: Path,
                                                                        kind: str) -> None:
    day = date(2026, 8, 1)
    export_document(project, kind, tmp_path / f"{kind}.docx", day)
    export_document(project, kind, tmp_path / f"{kind}.pdf", day)
    head, entries = _status_head(project), _status_entries(project)
    facts = _first_table_facts(tmp_path / f"{kind}.docx")
    assert facts[LABEL] == f"{head} ({entries} entries)"
    assert f"audit-trail chain head {head}" in _docx(tmp_path / f"{kind}.docx")[1]
    pdf = _pdf_text(tmp_path / f"{kind}.pdf")
    assert f"{LABEL} {head} ({entries} entries)" in pdf
    assert head in (PdfReader(tmp_path / f"{kind}.pdf").metadata.get("/Keywords") or "")


def test_a_document_exported_after_a_change_names_the_new_head(project: OpenProject, tmp_path: Path) -> None:
    export_document(project, "assertion", tmp_path / "before.docx", date(2026, 8, 1))
    before = _first_table_facts(tmp_path / "before.docx")[LABEL]
    add_control(project, ControlDraft("CM-1", "Change approval", criteria=("CC8.1",)))
    export_document(project, "assertion", tmp_path / "after.docx", date(2026, 8, 1))
    after = _first_table_facts(tmp_path / "after.docx")[LABEL]
    assert after.startswith(_status_head(project)) and after != before


# -- policies: one policy and the whole set ----------------------------------------------------------------------

@pytest.mark.parametrize("key", ["access-control", None], ids=["one policy", "every policy"])
def test_exported_policies_name_the_head_status_shows_in_both_formats(project: OpenProject, tmp_path: Path,
                                                                     key: str | None) -> None:
    add_policies(project, ["access-control", "encryption"])
    publish(project, "access-control", "Ana Ruiz", effective_on=date(2026, 2, 1), approved_on=date(2026, 1, 10))
    export_policies(project, tmp_path / "policies.docx", key)
    export_policies(project, tmp_path / "policies.pdf", key)
    head, entries = _status_head(project), _status_entries(project)
    facts = _first_table_facts(tmp_path / "policies.docx")
    assert facts[LABEL] == f"{head} ({entries} entries)"
    assert f"audit-trail chain head {head}" in _docx(tmp_path / "policies.docx")[1]
    assert f"{LABEL} {head} ({entries} entries)" in _pdf_text(tmp_path / "policies.pdf")
    assert head in (PdfReader(tmp_path / "policies.pdf").metadata.get("/Keywords") or "")


# -- the plan: calendar, task workbook, timeline -----------------------------------------------------------------

@pytest.fixture
def planned(project: OpenProject) -> OpenProject:
    plan.generate_plan(project, start=date(2025, 9, 1))
    return project


def test_the_plan_calendar_names_the_head_in_its_description_and_an_x_property(planned: OpenProject,
                                                                              tmp_path: Path) -> None:
    out = export_ics(planned, tmp_path / "plan.ics")
    head, entries = _status_head(planned), _status_entries(planned)
    unfolded = out.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert f"\r\nX-WR-CALDESC:{LABEL}: {head} ({entries} entries)\r\n" in unfolded
    assert f"\r\n{ICS_CHAIN_HEAD}:{head}\r\n" in unfolded
    calendar = Calendar.from_ical(out.read_bytes())
    assert str(calendar[ICS_CHAIN_HEAD]) == head and len(list(calendar.walk("VEVENT"))) > 0


def test_the_plan_workbook_names_the_head_on_an_about_sheet(planned: OpenProject, tmp_path: Path) -> None:
    sheets, about, comments = _about(export_plan_xlsx(planned, tmp_path / "plan.xlsx"))
    head = _status_head(planned)
    assert sheets == ["Plan", "About"]
    assert about[LABEL] == head and about["Audit-trail entries"] == _status_entries(planned)
    assert comments is not None and head in comments


def test_the_plan_timeline_names_the_head_on_every_page(planned: OpenProject, tmp_path: Path) -> None:
    out = export_plan_pdf(planned, tmp_path / "plan.pdf")
    head, entries = _status_head(planned), _status_entries(planned)
    reader = PdfReader(out)
    for page in reader.pages:
        assert f"{LABEL}: {head} ({entries} entries)" in " ".join(page.extract_text().split())
    assert head in (reader.metadata.get("/Subject") or "")


def test_a_plan_exported_after_a_change_names_the_new_head(planned: OpenProject, tmp_path: Path) -> None:
    first = _about(export_plan_xlsx(planned, tmp_path / "first.xlsx"))[1][LABEL]
    add_control(planned, ControlDraft("CM-1", "Change approval", criteria=("CC8.1",)))
    second = _about(export_plan_xlsx(planned, tmp_path / "second.xlsx"))[1][LABEL]
    assert second == _status_head(planned) != first
