"""The structural scan: real positions of filled cells, however the XML writes them; ods gaps squeezed out and back."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.services.test_reader_hostile import _MAIN, _cell, _ods, _row, inline, xlsx
from workbench.services.importers.sheet_scan import (
    FAR,
    ScanRefused,
    SheetExtent,
    bound_worksheet,
    cell_position,
    scan_ods,
    scan_xlsx,
    without_gaps,
)


def _extent(path: Path) -> tuple[int, int, int]:
    with zipfile.ZipFile(path) as archive:
        (extent,) = scan_xlsx(archive)
    assert extent.sheet == "Controls"
    return extent.rows, extent.columns, extent.filled


@pytest.mark.parametrize(("ref", "position"), [
    ("A1", (1, 1)), ("xfd1048576", (1_048_576, 16_384)), ("AB012", (12, 28)), ("A1234567890", (FAR, 1)),
    ("ZZZZZZZZ1", (1, FAR)),
])
def test_cell_positions(ref: str, position: tuple[int, int]) -> None:
    assert cell_position(ref) == position


@pytest.mark.parametrize("ref", ["A", "1", "A0", "A-1", " A1", "A1 ", "Ä1", "A\u0661"])
def test_what_is_not_a_cell_reference(ref: str) -> None:
    with pytest.raises(ValueError):
        cell_position(ref)


def test_only_filled_cells_count(tmp_path: Path) -> None:
    rows = ('<row r="5"><c r="E5" s="1"/><c r="D5" t="inlineStr"><is><t>x</t></is></c></row>'
            '<row r="900000"><c r="Z900000" s="2"/></row>')
    assert _extent(xlsx(tmp_path / "a.xlsx", rows)) == (5, 4, 7)


def test_implicit_positions_follow_calamine(tmp_path: Path) -> None:
    # A row without r follows the last; a cell without r follows the last cell of its row (or starts at A).
    rows = '<row><c><v>1</v></c><c r="F3"><v>2</v></c><c><v>3</v></c></row><row r="7"><c><v>4</v></c></row>'
    assert _extent(xlsx(tmp_path / "a.xlsx", rows)) == (7, 7, 10)


def test_the_reference_may_come_after_other_attributes(tmp_path: Path) -> None:
    rows = "<row spans='1:2' r = '9' ><c s='1' t='n' r='K9'><v>1</v></c></row>"
    assert _extent(xlsx(tmp_path / "a.xlsx", rows)) == (9, 11, 7)


def test_every_sheet_a_relationship_names_is_measured(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", '<row r="3">' + inline("B3", "x") + "</row>", part="xl/odd/place.xml")
    with zipfile.ZipFile(path) as archive:
        assert [(e.part, e.sheet, e.rows) for e in scan_xlsx(archive)] == [("xl/odd/place.xml", "Controls", 3)]


def test_a_look_alike_sheet_nobody_names_is_measured_too(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/worksheets/sheet9.xml", '<worksheet><sheetData><row r="7"><c r="C7"><v>1</v></c></row>'
                                                     "</sheetData></worksheet>")
        archive.writestr("xl/worksheets/sheet8.xml", "not xml at all")  # nobody reads it: not an error
    with zipfile.ZipFile(path) as archive:
        assert {(e.part, e.rows) for e in scan_xlsx(archive)} == {("xl/worksheets/sheet1.xml", 2),
                                                                  ("xl/worksheets/sheet9.xml", 7)}


def test_a_document_type_is_refused_anywhere(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", prolog='<!DOCTYPE worksheet SYSTEM "http://example.com/x.dtd">')
    with zipfile.ZipFile(path) as archive, pytest.raises(ScanRefused, match="document type"):
        scan_xlsx(archive)


def test_ods_repeats_count_and_empty_runs_between_filled_rows_are_gaps(tmp_path: Path) -> None:
    content = (_row("ID", "Title") + '<table:table-row table:number-rows-repeated="5"><table:table-cell/>'
               "</table:table-row>" + '<table:table-row table:number-rows-repeated="2">' + _cell("a")
               + '<table:table-cell table:number-columns-repeated="3"/>' + _cell("b") + "</table:table-row>"
               + '<table:table-row table:number-rows-repeated="100"><table:table-cell/></table:table-row>')
    path = _ods(tmp_path / "a.ods", {"Controls": content})
    with zipfile.ZipFile(path) as archive:
        (extent,) = scan_ods(archive)
    assert (extent.sheet, extent.rows, extent.columns, extent.filled) == ("Controls", 8, 5, 6)
    assert [(row, count) for row, count, _start, _end in extent.gaps] == [(1, 5)]  # the trailing run is no gap


def test_squeezing_the_gaps_out_leaves_the_other_rows_as_they_were(tmp_path: Path) -> None:
    import python_calamine

    gap = '<table:table-row table:number-rows-repeated="7"><table:table-cell/></table:table-row>'
    path = _ods(tmp_path / "a.ods", {"Controls": _row("ID") + gap + _row("AC-1") + gap + gap + _row("AC-2"),
                                     "Other": _row("x") + gap + _row("y")})
    with zipfile.ZipFile(path) as archive:
        extents = scan_ods(archive)
    assert [[(r, c) for r, c, _s, _e in e.gaps] for e in extents] == [[(1, 7), (9, 14)], [(1, 7)]]
    squeezed = tmp_path / "squeezed.ods"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(squeezed, "w") as target:
        without_gaps(source, target, [(start, end) for e in extents for _r, _c, start, end in e.gaps])
    book = python_calamine.CalamineWorkbook.from_path(str(squeezed))
    assert book.get_sheet_by_name("Controls").to_python() == [["ID"], ["AC-1"], ["AC-2"]]
    assert book.get_sheet_by_name("Other").to_python() == [["x"], ["y"]]


# -- the quick upper bound (plain sheets are bounded, not parsed) ---------------------------------------------------

def _bound_and_exact(path: Path) -> tuple[tuple[int, int, int] | None, tuple[int, int, int]]:
    with zipfile.ZipFile(path) as archive:
        (exact,) = scan_xlsx(archive)
        bound = bound_worksheet(archive, exact.part, exact.sheet)
    return (None if bound is None else (bound.rows, bound.columns, bound.filled)), (exact.rows, exact.columns,
                                                                                   exact.filled)


@pytest.mark.parametrize("rows", [
    "",
    '<row r="999999">' + inline("D999999", "z") + "</row>",
    '<row r="5"><c r="E5" s="1"/>' + inline("D5", "x") + '</row><row r="900000"><c r="Z900000" s="2"/></row>',
    '<row r="7"><c r="C7" t="s"><v>3</v></c><c r="D7"><f>A1+1</f></c></row>',
])
def test_the_bound_of_a_plain_sheet_is_never_below_the_scan(tmp_path: Path, rows: str) -> None:
    bound, exact = _bound_and_exact(xlsx(tmp_path / "a.xlsx", rows))
    assert bound is not None and all(b >= e for b, e in zip(bound, exact, strict=True)), (bound, exact)


@pytest.mark.parametrize(("rows", "prolog"), [
    ("<row r='3'><c r='XFD3'><v>1</v></c></row>", ""),  # single quotes
    ('<row r="3"><c r = "XFD3"><v>1</v></c></row>', ""),  # spaces around =
    ('<row r="3"><c s="1" r="XFD3"><v>1</v></c></row>', ""),  # the reference not first
    ('<row r="3"><c><v>1</v></c></row>', ""),  # no reference: a position implied
    ('<row r="3"><c r="xfd3"><v>1</v></c></row>', ""),  # lower case
    ('<row r="3"><x:c r="XFD3"><x:v>1</x:v></x:c></row>', ""),  # a prefix
    ('<row r="3"><c r="A03"><v>1</v></c></row>', ""),  # a leading zero
    ('<!-- <c r="A1"> --><row r="3"><c r="B3"><v>1</v></c></row>', ""),  # a comment
    ('<row r="3"><c r="B3"><v><![CDATA[1]]></v></c></row>', ""),  # CDATA
    ("", '<!DOCTYPE worksheet SYSTEM "x.dtd">'),  # a document type
    ('<?pi here?><row r="3"><c r="B3"><v>1</v></c></row>', ""),  # a processing instruction
])
def test_a_sheet_that_is_not_plain_gets_no_bound(tmp_path: Path, rows: str, prolog: str) -> None:
    assert _bound_without_scan(xlsx(tmp_path / "a.xlsx", rows, prolog=prolog)) is None


def _bound_without_scan(path: Path) -> SheetExtent | None:
    with zipfile.ZipFile(path) as archive:
        return bound_worksheet(archive, "xl/worksheets/sheet1.xml")


def test_utf16_gets_no_bound(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as archive:
        text = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    utf16 = tmp_path / "utf16.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(utf16, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
            target.writestr(info, data)
    assert _bound_without_scan(utf16) is None


def test_a_bound_is_taken_where_it_fits_and_a_far_cell_is_still_scanned(tmp_path: Path) -> None:
    from workbench.services.importers.isolated import Limits, check_zip
    from workbench.services.importers.readers import _limits

    limits = Limits(*_limits())
    assert check_zip(str(xlsx(tmp_path / "plain.xlsx")), limits).bounded == {"Controls": "xl/worksheets/sheet1.xml"}
    far = xlsx(tmp_path / "far.xlsx", '<row r="3"><c r="XFD3"><v>1</v></c></row>')
    with pytest.raises(Exception, match="reaches column XFD"):
        check_zip(str(far), limits)


def test_broken_xml_the_bound_let_through_is_named_damaged_by_the_scan_when_read(tmp_path: Path) -> None:
    from workbench.services.importers.readers import ImportFileError, open_workbook

    sheet = f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    path = xlsx(tmp_path / "broken.xlsx", sheet=sheet)  # cut off: no closing tags
    with pytest.raises(ImportFileError, match=r"is damaged \(.*not well-formed XML") as caught, \
            open_workbook(path) as book:
        book.rows("Controls")
    assert "\n" not in str(caught.value)
