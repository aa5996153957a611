"""Importing control registers: messy consultant workbooks, SaaS CSV exports, re-imports, and hostile files."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import list_controls
from workbench.services.importers.engine import ImportCancelled, import_controls
from workbench.services.importers.readers import open_workbook
from workbench.services.session import OpenProject

HEADER = ["Ctrl #", "Control Activity", "Control Description", "Control Owner", "Freq.", "TSC\nRef(s)", "Status",
          "Manual / Automated", "Comments"]


def _text_cell(sheet: Any, ref: str, value: str) -> None:
    """Write a string that looks like a formula as plain text (as a user typing '=... would get)."""
    sheet[ref] = value
    sheet[ref].data_type = "s"


def consultant_register(path: Path) -> Path:
    """A consultant's register: cover, dashboard and hidden list sheets first; title rows; merged sections."""
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["B2"] = "Acme Ltd"
    cover["B4"] = "SOC 2 readiness - control register"
    cover["B6"] = "Prepared by Example Advisory"
    dashboard = book.create_sheet("Dashboard")
    dashboard.append(["Status", "Count"])
    dashboard.append(["Implemented", 3])
    dashboard.append(["In progress", 2])
    lists = book.create_sheet("Lists")
    lists.append(["Frequency", "Status"])
    for freq, status in (("Annual", "Implemented"), ("Quarterly", "In progress"), ("Monthly", "Not started")):
        lists.append([freq, status])
    lists.sheet_state = "hidden"
    sheet = book.create_sheet("Control Register")
    sheet["A1"] = "Acme Ltd - SOC 2 control register"
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "Version 3, reviewed 2026-01-05"
    sheet.append([])
    sheet.append(HEADER)  # row 4
    sheet.append(["Access control"])  # row 5, a section
    sheet.merge_cells("A5:I5")
    rows: list[list[Any]] = [
        ["AC-01", "Access reviews", "Quarterly review of user access", "Jane Doe", "Qtrly", "CC6.1, CC 6.2; cc6.3",
         "Implemented", "Manual", ""],  # 6
        ["AC-02", "MFA enforced", "MFA on every system", "Ana Müller", "Continuous", "SOC 2 CC6.1 / CC6.6",
         "In progress", "Automated", "via SSO"],  # 7
        ["AC-03", "Offboarding", "Access removed within 24h", "  HR team ", "As needed", "CC6.1-CC6.3",
         "Not started", "Manual", ""],  # 8
        ["AC-01", "Access reviews again", "", "Someone", "Annual", "CC6.1", "", "", ""],  # 9 duplicate
        [None, None, None, None, None, None, None, None, None],  # 10 blank
    ]
    for row in rows:
        sheet.append(row)
    sheet.append(["Operations"])  # 11 section
    sheet.merge_cells("A11:I11")
    sheet.append(["OP-01", "Backups", "Daily backups tested", "Ops", "Daily", "A1.2 A.12.3.1 CC10.1",
                  "Implemented", "Automated", ""])  # 12
    sheet.append(["OP-02", "Change approval", "Changes approved", "Dev lead", "Per event",
                  "CC8.1\nISO A.14.2.2\nNIST CM-3", "done", "Manual", ""])  # 13
    sheet.append(["OP-03", "Monitoring", "Alerts reviewed", "SRE", "Fortnightly-ish", "P1.0, CC7.2", "",
                  "", ""])  # 14
    sheet.append(["", "Orphan control without an ID", "", "", "", "CC1.1", "", "", ""])  # 15
    sheet.append(["OP-04", "", "No title here", "", "", "CC1.1", "", "", ""])  # 16
    sheet.append([12, "Numbered control", "", "", "", "CC2.1", "", "", ""])  # 17
    sheet.append(["OP-06", "", "", "", "", "", "", "", ""])  # 18: a lone ID (a title formula never computed?)
    _text_cell(sheet, "A19", "FX-01")
    _text_cell(sheet, "B19", '=HYPERLINK("http://evil.example","click")')
    _text_cell(sheet, "D19", "+1 555 0100")
    _text_cell(sheet, "I19", "@channel -- note")
    sheet["F19"] = "CC9.2"
    book.active = 3
    book.save(path)
    return path


def controls_by_ref(project: OpenProject) -> dict[str, Any]:
    return {c.ref: c for c in list_controls(project)}


def problem_rows(result: dict[str, Any], level: str | None = None) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for p in result["problems"]:
        if level is None or p["level"] == level:
            found.setdefault(p["row"], []).append(p["message"])
    return found


def test_consultant_register_imports_right_sheet_header_columns_and_values(new_project: OpenProject,
                                                                           tmp_path: Path) -> None:
    result = import_controls(new_project, consultant_register(tmp_path / "register.xlsx"))
    assert result["sheet"] == "Control Register"
    assert result["header_row"] == 4
    assert result["columns"] == {
        "ref": "Ctrl #", "title": "Control Activity", "description": "Control Description",
        "owner": "Control Owner", "frequency": "Freq.", "criteria": "TSC Ref(s)", "status": "Status",
        "nature": "Manual / Automated", "notes": "Comments",
    }
    controls = controls_by_ref(new_project)
    assert set(controls) == {"AC-01", "AC-02", "AC-03", "OP-01", "OP-02", "OP-03", "12", "FX-01"}
    expected = {
        "AC-01": (("CC6.1", "CC6.2", "CC6.3"), "Jane Doe"),
        "AC-02": (("CC6.1", "CC6.6"), "Ana Müller"),
        "AC-03": (("CC6.1", "CC6.2", "CC6.3"), "HR team"),
        "OP-01": ((), "Ops"),  # A1.2 is Availability, outside this Security-only project
        "OP-02": (("CC8.1",), "Dev lead"),
        "OP-03": (("CC7.2",), "SRE"),
        "12": (("CC2.1",), ""),
        "FX-01": (("CC9.2",), "+1 555 0100"),
    }
    for ref, (criteria, owner) in expected.items():
        assert tuple(sorted(controls[ref].criteria)) == criteria, ref
        assert controls[ref].owner == owner, ref
    assert controls["AC-01"].title == "Access reviews"  # the first of the repeated rows gives the title
    assert controls["AC-01"].frequency is Frequency.QUARTERLY
    assert controls["AC-01"].status is ControlStatus.IMPLEMENTED
    assert controls["AC-02"].nature is Nature.AUTOMATED
    assert controls["AC-03"].frequency is Frequency.EVENT_DRIVEN
    assert controls["OP-02"].status is ControlStatus.IMPLEMENTED
    assert controls["OP-03"].frequency is None
    assert controls["FX-01"].title == '=HYPERLINK("http://evil.example","click")'
    assert controls["FX-01"].notes == "@channel -- note"

    assert result["created"] == 8
    assert result["criteria_links"] == 12
    assert result["rows"] == 14  # non-blank rows below the header, sections included
    assert result["merged"] == 1  # row 9 names AC-01 again: its criteria join row 6's
    assert result["skipped"] == 5  # two sections and the three error rows
    problems = problem_rows(result)
    assert set(problems) == {9, 12, 14, 15, 16, 18, 19}
    assert "AC-01 already appears on row 6; its criteria are merged into it" in problems[9][0]
    assert "title 'Access reviews again' (row 6: 'Access reviews')" in problems[9][0]
    assert any("CC10.1" in m for m in problems[12])
    assert any("A1.2 is outside this project's categories (Availability not in scope); not linked" in m
               for m in problems[12])
    assert any("Fortnightly-ish" in m for m in problems[14]) and any("P1.0" in m for m in problems[14])
    assert set(problem_rows(result, "error")) == {15, 16, 18}
    assert "control OP-06 has no title" in problems[18][0]  # not skipped as a section heading
    assert "formula" in problems[19][0]  # imported as its text, with a warning


def test_reimport_creates_nothing_and_updates_by_ref(new_project: OpenProject, tmp_path: Path) -> None:
    path = consultant_register(tmp_path / "register.xlsx")
    import_controls(new_project, path)
    again = import_controls(new_project, path)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 8)
    assert len(list_controls(new_project)) == 8

    from openpyxl import load_workbook
    book = load_workbook(path)
    book["Control Register"]["D6"] = "John Roe"
    book.save(path)
    third = import_controls(new_project, path)
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 7)
    assert controls_by_ref(new_project)["AC-01"].owner == "John Roe"


def test_dry_run_writes_nothing_and_previews_every_row(new_project: OpenProject, tmp_path: Path) -> None:
    result = import_controls(new_project, consultant_register(tmp_path / "r.xlsx"), dry_run=True)
    assert result["created"] == 8
    assert list_controls(new_project) == []
    actions = {row["row"]: row["action"] for row in result["preview"]}
    assert actions[5] == "skip" and actions[6] == "create" and actions[9] == "merge" and actions[15] == "problem"


def test_cancel_leaves_the_project_untouched(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["Control ID,Title,TSC"] + [f"C-{i},Control {i},CC6.1" for i in range(1200)]
    path.write_text("\n".join(lines), encoding="utf-8")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 2

    with pytest.raises(ImportCancelled):
        import_controls(new_project, path, progress=progress)
    assert list_controls(new_project) == []


def test_sheet_and_header_row_and_overrides(new_project: OpenProject, tmp_path: Path) -> None:
    path = consultant_register(tmp_path / "r.xlsx")
    result = import_controls(new_project, path, sheet="control register", header_row=4,
                             overrides=[("Comments", "none"), ("Control Description", "notes")], dry_run=True)
    assert result["columns"]["notes"] == "Control Description"
    assert "description" not in result["columns"]
    with pytest.raises(WorkbenchError, match="no sheet named 'Nope'"):
        import_controls(new_project, path, sheet="Nope")
    with pytest.raises(WorkbenchError, match="no column is headed 'Missing'"):
        import_controls(new_project, path, overrides=[("Missing", "ref")])
    with pytest.raises(WorkbenchError, match="'colour' is not a control field"):
        import_controls(new_project, path, overrides=[("Comments", "colour")])


def test_an_id_longer_than_the_store_keeps_is_reported_on_its_row(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"Control ID,Title\nOK-1,Fine\n{'L' * 129},Too long an ID\n", encoding="utf-8")
    result = import_controls(new_project, path)
    assert result["created"] == 1
    assert list(problem_rows(result, "error")) == [3] and "longer than 128" in problem_rows(result)[3][0]
    assert list(controls_by_ref(new_project)) == ["OK-1"]


def test_a_mapping_is_remembered_for_the_same_layout(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Key,Thing,Bucket\nK-1,First,CC6.1\nK-2,Second,CC7.1\n", encoding="utf-8")
    first = import_controls(new_project, path, overrides=[("Thing", "title"), ("Key", "ref")])
    assert first["columns"] == {"ref": "Key", "title": "Thing", "criteria": "Bucket"}
    other = tmp_path / "odd2.csv"
    other.write_text("Key,Thing,Bucket\nK-3,Third,CC8.1\n", encoding="utf-8")
    second = import_controls(new_project, other)
    assert second["columns"] == first["columns"]
    assert second["created"] == 1


def test_csv_utf8_bom_comma_with_multiline_cells(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = ('Control ID,Control Name,Description,Owner,Frequency,SOC 2 Ref#\r\n'
            'SEC-1,"Encryption, at rest","Line one\nLine two",Zoë Ångström,Annually,"CC6.1\nCC6.7"\r\n'
            'SEC-2,=cmd|\' /C calc\'!A0,"quoted ""word""",Łukasz,Monthly,CC7.2\r\n')
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = import_controls(new_project, path)
    assert result["created"] == 2
    # The DDE payload is imported as text, and noted as a formula (QA I3), the only problem.
    assert [(p["row"], p["level"], p["field"]) for p in result["problems"]] == [(3, "warning", "title")]
    assert "formula the spreadsheet never computed" in result["problems"][0]["message"]
    controls = controls_by_ref(new_project)
    assert controls["SEC-1"].title == "Encryption, at rest"
    assert controls["SEC-1"].description == "Line one\nLine two"
    assert controls["SEC-1"].owner == "Zoë Ångström"
    assert controls["SEC-1"].criteria == ("CC6.1", "CC6.7")
    assert controls["SEC-2"].title == "=cmd|' /C calc'!A0"
    assert controls["SEC-2"].description == 'quoted "word"'


def test_csv_utf16_tab_and_cp1252_semicolon(new_project: OpenProject, tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text("Control ID\tTitle\tTSC\nU-1\tJosé's control\tCC6.1 - 6.3\n", encoding="utf-16")
    semi = tmp_path / "semi.csv"
    semi.write_bytes("Ref;Title;Criteria;Owner\nS-1;Café policy;CC1.1;Renée\n".encode("cp1252"))
    first = import_controls(new_project, utf16)
    second = import_controls(new_project, semi)
    assert first["created"] == 1 and second["created"] == 1
    controls = controls_by_ref(new_project)
    assert controls["U-1"].title == "José's control"
    assert controls["U-1"].criteria == ("CC6.1", "CC6.2", "CC6.3")
    assert controls["S-1"].owner == "Renée"
    assert controls["S-1"].title == "Café policy"


# -- hostile files -----------------------------------------------------------------------------------

def _zip_with_declared_size(path: Path, source: Path, claimed: int) -> Path:
    data = bytearray(source.read_bytes())
    central = data.find(b"PK\x01\x02")
    assert central > 0
    struct.pack_into("<I", data, central + 24, claimed)  # uncompressed size in the central directory
    path.write_bytes(bytes(data))
    return path


def _patched_sheet(path: Path, source: Path, change: Any) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as forged:
        for info in original.infolist():
            payload = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                payload = change(payload.decode("utf-8")).encode("utf-8")
            forged.writestr(info.filename, payload)
    return path


def _simple_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Control ID", "Title", "TSC"])
    sheet.append(["C-1", "One", "CC6.1"])
    book.save(path)
    return path


def _hostile(tmp_path: Path, kind: str) -> Path:
    good = _simple_xlsx(tmp_path / "good.xlsx")
    target = tmp_path / f"{kind}.xlsx"
    if kind == "random":
        target.write_bytes(random.Random(4).randbytes(5000))
    elif kind == "truncated":
        target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "headers_only":
        book = Workbook()
        book.active.append(["Control ID", "Title", "TSC"])
        book.save(target)
    elif kind == "zip_bomb_declared":
        _zip_with_declared_size(target, good, 0xFFFFFF00)
    elif kind == "far_cell":
        _patched_sheet(target, good, lambda s: s.replace(
            "</sheetData>", '<row r="1048000"><c r="ALL1048000" t="inlineStr"><is><t>z</t></is></c></row>'
                            "</sheetData>"))
    elif kind == "far_cell_tab_separated":  # whitespace other than a space before the reference
        _patched_sheet(target, good, lambda s: s.replace(
            "</sheetData>", '<row r="2"><c\tr="AZ900000" t="inlineStr"><is><t>z</t></is></c></row></sheetData>'))
    elif kind == "far_column":
        _patched_sheet(target, good, lambda s: s.replace(
            "</sheetData>", '<row r="3"><c r="XFD3" t="inlineStr"><is><t>z</t></is></c></row></sheetData>'))
    elif kind == "xml_entities":
        _patched_sheet(target, good, lambda s: s.replace(
            "<worksheet", '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet', 1
        ).replace("<v>", "<v>&lol2;", 1))
    elif kind == "encrypted":
        target.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
                           + b"\0" * 2000)
    elif kind == "not_a_spreadsheet_zip":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif kind == "binary_csv":
        target = tmp_path / "binary.csv"
        target.write_bytes(b"a,b\n\x00\x01\x02\x00" * 100)
    return target


@pytest.mark.parametrize(("kind", "phrase"), [
    ("random", "not a spreadsheet"),
    ("truncated", "damaged or truncated"),
    ("empty", "empty"),
    ("headers_only", "no data rows"),
    ("zip_bomb_declared", "unpack to"),
    ("far_cell", "rows"),
    ("far_cell_tab_separated", "too large"),
    ("far_column", "columns"),
    ("encrypted", "password-protected"),
    ("not_a_spreadsheet_zip", "not a spreadsheet"),
    ("binary_csv", "not a spreadsheet or a text"),
])
def test_hostile_files_give_one_clean_error_and_leave_the_project_alone(
        new_project: OpenProject, tmp_path: Path, kind: str, phrase: str) -> None:
    path = _hostile(tmp_path, kind)
    with pytest.raises(WorkbenchError) as caught:
        import_controls(new_project, path)
    assert str(path) in str(caught.value)
    assert phrase in str(caught.value)
    assert "\n" not in str(caught.value)
    assert list_controls(new_project) == []


def test_xml_entities_are_never_expanded(new_project: OpenProject, tmp_path: Path) -> None:
    path = _hostile(tmp_path, "xml_entities")
    try:
        result = import_controls(new_project, path, dry_run=True)
    except WorkbenchError as exc:
        assert str(path) in str(exc)
        return
    assert "lol" not in repr(result)


def test_corrupted_workbooks_only_ever_raise_the_clean_error(new_project: OpenProject, tmp_path: Path) -> None:
    good = consultant_register(tmp_path / "good.xlsx").read_bytes()
    rng = random.Random(2026)
    outcomes = {"ok": 0, "error": 0}
    for attempt in range(40):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position] = rng.randrange(256)
        if attempt % 5 == 0:
            data = data[: rng.randrange(len(data))]
        path = tmp_path / f"fuzz{attempt}.xlsx"
        path.write_bytes(bytes(data))
        try:
            import_controls(new_project, path, dry_run=True)
            outcomes["ok"] += 1
        except WorkbenchError as exc:
            assert str(path) in str(exc)
            outcomes["error"] += 1
    assert outcomes["error"] > 0


def test_reader_reports_sheets_and_visibility(tmp_path: Path) -> None:
    with open_workbook(consultant_register(tmp_path / "r.xlsx")) as book:
        assert [(s.name, s.visible) for s in book.sheets] == [
            ("Cover", True), ("Dashboard", True), ("Lists", False), ("Control Register", True)]
        rows = book.rows("Control Register")
        assert rows[3][0] == "Ctrl #"


def test_an_applied_plan_can_be_reverted_as_one_step(new_project, tmp_path) -> None:
    from openpyxl import Workbook

    from workbench.domain.entities import ControlDraft
    from workbench.services.controls import add_control, list_controls
    from workbench.services.importers.engine import apply_plan, choose_mapping, revert_import
    from workbench.services.importers.kinds import CONTROLS
    from workbench.services.importers.plan import plan_table
    from workbench.services.importers.sources import read_table

    add_control(new_project, ControlDraft("AC-1", "Old title", owner="Old owner", criteria=("CC6.1",)))
    book = Workbook()
    sheet = book.active
    sheet.append(["Control ID", "Control", "Owner", "TSC"])
    sheet.append(["AC-1", "New title", "New owner", "CC6.2"])
    sheet.append(["AC-2", "Brand new", "Someone", "CC7.1"])
    source = tmp_path / "register.xlsx"
    book.save(source)
    table = read_table(source, CONTROLS)
    with new_project.uow() as uow:
        plan = plan_table(uow, CONTROLS, table, choose_mapping(uow, CONTROLS, table, (), str(source)), str(source))
    applied = apply_plan(new_project, plan).value
    assert (applied.document["created"], applied.document["updated"]) == (1, 1)
    assert {c.ref: c.title for c in list_controls(new_project)} == {"AC-1": "New title", "AC-2": "Brand new"}
    revert_import(new_project, applied)
    (restored,) = list_controls(new_project)
    assert (restored.ref, restored.title, restored.owner, restored.criteria) == ("AC-1", "Old title", "Old owner",
                                                                                ("CC6.1",))
