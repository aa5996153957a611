"""Hostile workbooks (issue 15): each gives one clear ImportFileError naming the file, or reads right when harmless."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.ods_files import ods_cell, ods_row, write_ods
from workbench.services.importers.readers import ImportFileError, open_workbook

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


_cell, _row, _ods = ods_cell, ods_row, write_ods


def inline(ref: str, text: str) -> str:
    """Return an inline-string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


REGISTER = ('<row r="1">' + inline("A1", "Control ID") + inline("B1", "Title") + inline("C1", "TSC") + "</row>"
            '<row r="2">' + inline("A2", "AC-1") + inline("B2", "Access reviews") + inline("C2", "CC6.1") + "</row>")
REGISTER_ROWS = [["Control ID", "Title", "TSC"], ["AC-1", "Access reviews", "CC6.1"]]


def xlsx(path: Path, rows: str = "", *, part: str = "xl/worksheets/sheet1.xml", prolog: str = "",
         dimension: str = "A1:C2", sheet: str | None = None) -> Path:
    """Write a one-sheet workbook ("Controls") by hand: the register, then `rows`, in the part named."""
    body = sheet if sheet is not None else (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{REGISTER}{rows}</sheetData></worksheet>")
    target = part[len("xl/"):] if part.startswith("xl/") else "/" + part
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/{part}" ContentType="{_CT}.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship '
                                        f'Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                                        "</Relationships>")
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
                                            '<sheets><sheet name="Controls" sheetId="1" r:id="rId1"/></sheets>'
                                            "</workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">'
                                                       f'<Relationship Id="rId1" Type="{_REL}/worksheet" '
                                                       f'Target="{target}"/></Relationships>')
        archive.writestr(part, body)
    return path


def refused(path: Path, *phrases: str) -> str:
    """Open and read every sheet; return the one-line error, checking it names the file and says each phrase."""
    with pytest.raises(ImportFileError) as caught, open_workbook(path) as book:
        for sheet in book.sheets:
            book.rows(sheet.name)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message, message
    for phrase in phrases:
        assert phrase in message, message
    return message


def read(path: Path, sheet: str = "Controls") -> list[list[object]]:
    """Return the rows of a sheet."""
    with open_workbook(path) as book:
        return book.rows(sheet)


# -- far cells, however written ------------------------------------------------------------------------------------

def test_a_far_cell_in_single_quotes_is_refused(tmp_path: Path) -> None:
    far = "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>z</t></is></c></row>"
    path = xlsx(tmp_path / "quotes.xlsx", far)
    refused(path, "sheet 'Controls' reaches row 1,048,576", "too large")


def test_spaces_around_equals_are_read_as_the_parser_reads_them(tmp_path: Path) -> None:
    far = '<row r = "2500000" ><c r = "A2500000"  t = "inlineStr"><is><t>z</t></is></c></row>'
    refused(xlsx(tmp_path / "spaces.xlsx", far), "reaches row 2,500,000")


def test_a_far_cell_within_the_limits_is_read_with_empty_rows_between(tmp_path: Path) -> None:
    rows = read(xlsx(tmp_path / "far.xlsx", '<row r = "900000"><c r = "B900000" t="inlineStr"><is><t>z</t></is></c>'
                                            "</row>"))
    assert len(rows) == 900_000
    assert rows[:2] == REGISTER_ROWS and rows[2] == ["", "", ""] and rows[-1] == ["", "z", ""]


@pytest.mark.parametrize("part", ["xl/data/controls.xml", "xl/worksheets/more/sheet1.xml", "controls.xml"])
def test_a_sheet_stored_anywhere_is_measured(tmp_path: Path, part: str) -> None:
    path = xlsx(tmp_path / "elsewhere.xlsx", '<row r="1048576">' + inline("XFD1048576", "z") + "</row>", part=part)
    refused(path, "reaches row 1,048,576")


def test_cells_without_references_count_where_they_fall(tmp_path: Path) -> None:
    run = '<c t="inlineStr"><is><t>z</t></is></c>' * 1500
    refused(xlsx(tmp_path / "no-r.xlsx", f'<row r="900000">{run}</row>'), "1,500 columns", "more than the 1,000")


def test_rows_without_numbers_follow_the_last(tmp_path: Path) -> None:
    rows = read(xlsx(tmp_path / "implicit.xlsx", "<row>" + '<c t="inlineStr"><is><t>AC-2</t></is></c>' * 2 + "</row>"))
    assert rows == [*REGISTER_ROWS, ["AC-2", "AC-2", ""]]


def test_a_ten_digit_row_number_is_refused(tmp_path: Path) -> None:
    refused(xlsx(tmp_path / "ten.xlsx", '<row r="1234567890">' + inline("A1234567890", "z") + "</row>"),
            "too large")


def test_a_reference_that_is_not_one_is_refused_as_damage(tmp_path: Path) -> None:
    refused(xlsx(tmp_path / "bad-ref.xlsx", '<row r="3">' + inline("A-3", "z") + "</row>"), "is damaged")


def test_a_far_cell_in_lower_case_or_with_a_prefix_is_measured(tmp_path: Path) -> None:
    sheet = (f'<?xml version="1.0"?><x:worksheet xmlns:x="{_MAIN}"><x:sheetData><x:row r="1">'
             '<x:c r="a1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c></x:row><x:row r="1048000">'
             '<x:c r="zz1048000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    refused(xlsx(tmp_path / "prefixed.xlsx", sheet=sheet), "reaches row 1,048,000")


# -- harmless far-off things ---------------------------------------------------------------------------------------

def test_styled_empty_cells_and_empty_rows_far_down_are_harmless(tmp_path: Path) -> None:
    far = ('<row r="500000" spans="1:3" ht="15" customHeight="1"/><row r="1048576"><c r="A1048576" s="1"/>'
           '<c r="XFD1048576" s="1"/></row>')
    assert read(xlsx(tmp_path / "styled.xlsx", far, dimension="A1:XFD1048576")) == REGISTER_ROWS


def test_a_formula_without_a_value_far_down_is_harmless(tmp_path: Path) -> None:
    assert read(xlsx(tmp_path / "formula.xlsx", '<row r="1048576"><c r="XFD1048576"><f>1+1</f></c></row>')) \
        == REGISTER_ROWS


# -- unsafe XML ----------------------------------------------------------------------------------------------------

def test_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    message = refused(xlsx(tmp_path / "laughs.xlsx", '<row r="3">' + inline("A3", "&lol2;") + "</row>",
                           prolog=prolog), "unsafe")
    assert "lol" not in message.replace("laughs", "")


def test_broken_xml_in_a_sheet_is_damage(tmp_path: Path) -> None:
    refused(xlsx(tmp_path / "broken.xlsx", sheet="<worksheet><sheetData><row r='1'>"), "is damaged")


# -- the per-cell limit --------------------------------------------------------------------------------------------

def test_a_cell_longer_than_a_spreadsheet_holds_is_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "long.xlsx", '<row r="12">' + inline("A12", "AC-2") + inline("C12", "M" * 32_768) + "</row>")
    message = refused(path, "sheet 'Controls'", "row 12, column C", "too long", "32,768 characters", "32,767")
    assert "MMMM" not in message


def test_a_cell_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    rows = read(xlsx(tmp_path / "limit.xlsx", '<row r="3">' + inline("B3", "M" * 32_767) + "</row>"))
    assert rows[2][1] == "M" * 32_767


# -- ods -----------------------------------------------------------------------------------------------------------

def test_an_ods_with_900000_empty_rows_between_its_rows_reads_every_row(tmp_path: Path) -> None:
    header = ["Control ID", "Title", "TSC", *(f"Extra {i}" for i in range(4, 13))]
    gap = ('<table:table-row table:number-rows-repeated="900000"><table:table-cell '
           'table:number-columns-repeated="12"/></table:table-row>')
    path = _ods(tmp_path / "gap.ods", {"Controls": _row(*header) + _row("AC-1", "One", "CC6.1") + gap
                                       + _row("AC-3", "Three", "CC8.1")})
    rows = read(path)
    assert len(rows) == 900_003
    assert rows[0] == header and rows[1][:3] == ["AC-1", "One", "CC6.1"]
    assert rows[2] == [""] * 12 and rows[900_001] == [""] * 12
    assert rows[-1] == ["AC-3", "Three", "CC8.1", *[""] * 9]


def test_an_ods_repeating_a_filled_row_900000_times_is_refused_saying_so(tmp_path: Path) -> None:
    repeated = '<table:table-row table:number-rows-repeated="900000">' + _cell("x") + _cell("y") + "</table:table-row>"
    path = _ods(tmp_path / "repeat.ods", {"Controls": _row("ID", "Title") + repeated})
    refused(path, "repeats a filled row 900,000 times (from row 2)")


def test_ods_trailing_styled_rows_and_columns_are_harmless(tmp_path: Path) -> None:
    wide = '<table:table-cell table:number-columns-repeated="16381"/>'
    rows = "".join("<table:table-row>" + _cell(a) + _cell(b) + wide + "</table:table-row>"
                   for a, b in [("ID", "Title"), ("AC-1", "One")])
    rows += ('<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
             'table:number-columns-repeated="16384"/></table:table-row>')
    assert read(_ods(tmp_path / "trailing.ods", {"Controls": rows})) == [["ID", "Title"], ["AC-1", "One"]]


def test_an_ods_filled_cell_repeated_across_16000_columns_is_refused(tmp_path: Path) -> None:
    wide = ('<table:table-row><table:table-cell table:number-columns-repeated="16000" office:value-type="string">'
            "<text:p>z</text:p></table:table-cell></table:table-row>")
    refused(_ods(tmp_path / "wide.ods", {"Controls": _row("ID", "Title") + wide}), "16,000 columns")


def test_an_ods_document_type_declaration_is_refused(tmp_path: Path) -> None:
    path = _ods(tmp_path / "laughs.ods", {"Controls": _row("ID", "Title")})
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode()
    forged = tmp_path / "forged.ods"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "content.xml":
                data = content.replace("?>", '?><!DOCTYPE x [<!ENTITY a "b">]>', 1).encode()
            target.writestr(info, data)
    refused(forged, "unsafe")


# -- the file itself -----------------------------------------------------------------------------------------------

def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    refused(pipe, "not a regular file")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    refused(folder, "is a folder")


def test_a_line_break_in_the_name_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken\nbook.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 60)
    with pytest.raises(ImportFileError) as caught:
        open_workbook(path)
    assert "\n" not in str(caught.value) and "broken\\nbook.xlsx" in str(caught.value)


def _retargeted(path: Path, part: str, target: str, kind: str = "styles") -> Path:
    """The register whose sheet sits at `part`, named by a relationship of another type with this target."""
    xlsx(path, '<row r="1048576">' + inline("XFD1048576", "z") + "</row>", part=part)
    forged = path.with_name("forged-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = (f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                        f'Type="{_REL}/{kind}" Target="{target}"/></Relationships>').encode()
            copy.writestr(info, data)
    return forged


@pytest.mark.parametrize(("part", "target"), [("xl/data/stuff.xml", "data/stuff.xml"),
                                              ("xl/../evil.xml", "../evil.xml"),
                                              ("top.xml", "/top.xml")])
def test_whatever_a_sheet_entry_names_is_measured_whatever_the_relationship_type(tmp_path: Path, part: str,
                                                                               target: str) -> None:
    refused(_retargeted(tmp_path / "retarget.xlsx", part, target), "reaches row 1,048,576")


def test_a_flood_of_relationships_is_refused(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "rels.xlsx")
    forged = tmp_path / "flood.xlsx"
    flood = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                    for i in range(1, 40_002))
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">{flood}</Relationships>'.encode()
            copy.writestr(info.filename, data)
    refused(forged, "more than 40,000 relationships", "unsafe")
