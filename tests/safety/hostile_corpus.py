"""A corpus of hostile spreadsheet and CSV files for the importers (issue 15), and what importing each must do.

Every entry names one hostile input, builds it in a folder (zip + hand-written XML for crafted xlsx and ods,
openpyxl for ordinary xlsx, raw bytes for the rest) and says what a user must see when importing it:

- `Refused`: `workbench import-controls` exits 2 with one `error:` line naming the file and matching a pattern;
- `Imports`: it succeeds, creating exactly the controls listed (with their criteria) and reporting the problems
  listed at their rows; rows not listed as errors raise none;
- `Either`: both are acceptable (a far-off but harmless cell may be read or refused), as long as the outcome is
  one of the two.

Files stay small on disk (the largest, a part that inflates to 2 GB, is 2 MB) and the whole corpus is
built in a few seconds. Run `python -m tests.safety.hostile_corpus FOLDER` to write it out for a manual look.
"""

from __future__ import annotations

import os
import re
import struct
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

# -- what an import must do ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """The import exits 2 with one `error:` line matching `pattern`; it names the file (or `names` instead)."""

    pattern: str
    names: str | None = None  # a regex the line may match instead of naming the file (an option's own error)


@dataclass(frozen=True)
class Imports:
    """The import succeeds: exactly these controls (ref -> criteria) exist after it, with these problems reported.

    `problems` are (row, level or None for any, regex on the message); the rows of error-level problems reported
    must be exactly the error rows listed here. `titles` are checked when given.
    """

    controls: Mapping[str, tuple[str, ...]]
    problems: tuple[tuple[int, str | None, str], ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def error_rows(self) -> set[int]:
        """Return the rows that must be reported as errors."""
        return {row for row, level, _ in self.problems if level == "error"}


@dataclass(frozen=True)
class Either:
    """Reading it or refusing it are both right; whichever happens must be done properly."""

    imports: Imports
    refused: Refused


Expectation = Refused | Imports | Either


@dataclass(frozen=True)
class Case:
    """One hostile input: its name, the class of attack or accident it stands for, how to build it, the outcome."""

    name: str
    about: str
    build: Callable[[Path], Path]
    expect: Expectation
    args: tuple[str, ...] = ()  # further options for import-controls
    forbidden: tuple[str, ...] = ()  # text that must reach neither the output nor the project


# -- the ordinary register every builder starts from ---------------------------------------------------------------

HEADER = ("Control ID", "Title", "TSC")
GOOD_ROWS = (
    ("AC-1", "Access reviews", "CC6.1"),
    ("AC-2", "Multi-factor sign-in", "CC6.2"),
    ("AC-3", "Change approval", "CC8.1"),
)
GOOD = {ref: (criterion,) for ref, _, criterion in GOOD_ROWS}
GOOD_TITLES = {ref: title for ref, title, _ in GOOD_ROWS}
ALL_GOOD = Imports(GOOD, titles=GOOD_TITLES)
WITHOUT_AC2 = {ref: criteria for ref, criteria in GOOD.items() if ref != "AC-2"}

FILE_DAMAGED = r"damaged|truncated|not a (readable )?spreadsheet|cannot be read"
TOO_LARGE = r"rows|columns|large|unsafe|limit|[0-9] ?Mi?B"
XML_REFUSED = r"entit|DTD|DOCTYPE|unsafe|not a readable|damaged|cannot be read"
LAUGHS = "lol" * 8  # what an expanded entity bomb would leave in a cell


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """Return rows as CSV text (fields quoted when they hold a comma, quote or line break)."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            if any(ch in cell for ch in ',"\n\r'):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(",".join(cells))
    return "\r\n".join(lines) + "\r\n"


def _register(*rows: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [HEADER, *rows]


# -- zip archives written by hand (sizes and flags as we say, pre-compressed parts) --------------------------------


@dataclass(frozen=True)
class Member:
    """One part of a zip archive as it goes on disk: deflated bytes, CRC, the size it declares, flags."""

    name: str
    compressed: bytes
    crc: int
    size: int
    flags: int = 0

    def declaring(self, size: int) -> Member:
        """Return the part claiming another uncompressed size (in both headers)."""
        return Member(self.name, self.compressed, self.crc, size, self.flags)


def member(name: str, data: bytes | str) -> Member:
    """Return a deflated part holding `data`."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, packer.compress(raw) + packer.flush(), zlib.crc32(raw), len(raw))


def repeated_member(name: str, head: bytes, block: bytes, count: int, tail: bytes, *, checksum: bool = True) -> Member:
    """Return a part of head + block * count + tail, deflated without ever holding it whole (a bomb in KB).

    Without `checksum` the CRC is left 0 (for a part that lies about its size anyway: no reader gets that far).
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert first == again, "a full flush makes every block compress alike"
    end = packer.compress(tail) + packer.flush()
    crc = 0
    if checksum:
        crc = zlib.crc32(head)
        for _ in range(count):
            crc = zlib.crc32(block, crc)
        crc = zlib.crc32(tail, crc)
    return Member(name, start + first * count + end, crc, len(head) + len(block) * count + len(tail))


def write_zip(path: Path, members: Iterable[Member]) -> Path:
    """Write a zip archive of already-deflated members, headers exactly as the members declare them."""
    body = bytearray()
    central = bytearray()
    count = 0
    for part in members:
        name = part.name.encode("utf-8")
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, part.flags, 8, 0, 0x21, part.crc,
                            len(part.compressed), part.size, len(name), 0) + name + part.compressed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, part.flags, 8, 0, 0x21, part.crc,
                               len(part.compressed), part.size, len(name), 0, 0, 0, 0, 0, offset) + name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path


# -- xlsx by hand --------------------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyBorder="1"/></cellXfs></styleSheet>'
)


def column_letters(number: int) -> str:
    """Return the letters of a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xrow(number: int, *texts: str) -> str:
    """Return one worksheet row of inline-string cells, each with its reference."""
    cells = "".join(f'<c r="{column_letters(i)}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
                    for i, text in enumerate(texts, start=1) if text)
    return f'<row r="{number}">{cells}</row>'


def register_rows(first: int = 1) -> str:
    """Return the header and the good rows as worksheet rows, starting at row `first`."""
    rows = [HEADER, *GOOD_ROWS]
    return "".join(xrow(first + i, *row) for i, row in enumerate(rows))


def sheet_xml(rows: str, *, dimension: str = "A1:C4", prolog: str = "") -> str:
    """Return a worksheet part around rows (a DOCTYPE or other prolog text may go before the root)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<worksheet xmlns="{_MAIN}">'
            f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')


def xlsx_members(sheet: str | bytes | Member, *, part: str = "xl/worksheets/sheet1.xml",
                 shared_strings: str | bytes | None = None) -> list[Member]:
    """Return the parts of a one-sheet workbook ("Controls") whose worksheet is `sheet`, stored at `part`."""
    target = part[len("xl/"):] if part.startswith("xl/") else "/" + part
    shared_type = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
    shared_rel = (f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                  if shared_strings is not None else "")
    members = [
        member("[Content_Types].xml",
               '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
               'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
               f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
               f'<Override PartName="/{part}" ContentType="{_CT}.worksheet+xml"/>'
               f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
               f'{shared_type if shared_strings is not None else ""}</Types>'),
        member("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
               f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        member("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
               f'xmlns:r="{_REL}"><sheets><sheet name="Controls" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        member("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
               f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="{target}"/>'
               f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>{shared_rel}</Relationships>'),
        member("xl/styles.xml", _STYLES),
        sheet if isinstance(sheet, Member) else member(part, sheet),
    ]
    if shared_strings is not None:
        members.append(member("xl/sharedStrings.xml", shared_strings))
    return members


def write_xlsx(path: Path, sheet: str | bytes | Member, *, part: str = "xl/worksheets/sheet1.xml",
               shared_strings: str | bytes | None = None) -> Path:
    """Write a hand-made one-sheet workbook (see xlsx_members)."""
    return write_zip(path, xlsx_members(sheet, part=part, shared_strings=shared_strings))


def good_xlsx(path: Path, rows: str = "", *, dimension: str = "A1:C4", prolog: str = "") -> Path:
    """Write the good register, with further raw rows after it."""
    return write_xlsx(path, sheet_xml(register_rows() + rows, dimension=dimension, prolog=prolog))


def _shared_sheet(titles_index: int) -> str:
    """A sheet whose AC-2 title is shared string number `titles_index`; the rest inline."""
    rows = [xrow(1, *HEADER), xrow(2, *GOOD_ROWS[0]),
            '<row r="3"><c r="A3" t="inlineStr"><is><t>AC-2</t></is></c>'
            f'<c r="B3" t="s"><v>{titles_index}</v></c><c r="C3" t="inlineStr"><is><t>CC6.2</t></is></c></row>',
            xrow(4, *GOOD_ROWS[2])]
    return sheet_xml("".join(rows))


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def _sst(*strings: str | bytes, prolog: str = "") -> bytes:
    items = b"".join(b"<si><t>" + (s if isinstance(s, bytes) else s.encode("utf-8")) + b"</t></si>" for s in strings)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="{_MAIN}" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">').encode() + items + b"</sst>"


# -- the xlsx builders ------------------------------------------------------------------------------------------------


def far_cell_single_quotes(folder: Path) -> Path:
    """A cell at XFD1048576 whose reference is written with single quotes."""
    far = "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>z</t></is></c></row>"
    return good_xlsx(folder / "far-cell-single-quotes.xlsx", far)


def far_cell_spaces_around_equals(folder: Path) -> Path:
    """A cell on row 900,000 whose reference has spaces around the `=` (r = "A900000")."""
    far = '<row r = "900000"><c r = "A900000" t="inlineStr"><is><t>z</t></is></c></row>'
    return good_xlsx(folder / "far-cell-spaces.xlsx", far)


def _far_sheet() -> str:
    return sheet_xml(register_rows() + xrow(1048576, *([""] * 16383), "z"))


def sheet_outside_worksheets(folder: Path) -> Path:
    """The worksheet (with a cell at XFD1048576) stored at xl/data/controls.xml, named by the workbook's rels."""
    return write_xlsx(folder / "sheet-elsewhere.xlsx", _far_sheet(), part="xl/data/controls.xml")


def sheet_in_worksheets_subfolder(folder: Path) -> Path:
    """The worksheet (with a cell at XFD1048576) one folder below xl/worksheets/."""
    return write_xlsx(folder / "sheet-subfolder.xlsx", _far_sheet(), part="xl/worksheets/more/sheet1.xml")


def cells_without_references(folder: Path) -> Path:
    """Row 900,000 holds a run of 1,500 cells without an `r` attribute: a width no reference declares."""
    run = '<c t="inlineStr"><is><t>z</t></is></c>' * 1500
    return good_xlsx(folder / "cells-without-r.xlsx", f'<row r="900000">{run}</row>')


def ten_digit_row(folder: Path) -> Path:
    """A cell on row 1,234,567,890 (ten digits)."""
    far = '<row r="1234567890"><c r="A1234567890" t="inlineStr"><is><t>z</t></is></c></row>'
    return good_xlsx(folder / "ten-digit-row.xlsx", far)


def styled_empty_cell_far_down(folder: Path) -> Path:
    """A styled but empty cell at A1048576, as Excel leaves after formatting a whole column (harmless)."""
    return good_xlsx(folder / "styled-empty-far.xlsx", '<row r="1048576"><c r="A1048576" s="1"/></row>',
                     dimension="A1:C1048576")


def empty_rows_far_down(folder: Path) -> Path:
    """Empty rows with heights far down the sheet, on row 500,000 and on the last row Excel has (harmless)."""
    rows = ('<row r="500000" spans="1:3" ht="15" customHeight="1"/>'
            '<row r="1048576" spans="1:3" ht="15" customHeight="1"/>')
    return good_xlsx(folder / "empty-rows-far.xlsx", rows)


def forged_dimension(folder: Path) -> Path:
    """A worksheet whose <dimension> claims the whole grid, A1:XFD1048576, over four real rows."""
    return good_xlsx(folder / "forged-dimension.xlsx", dimension="A1:XFD1048576")


def zip_bomb_declared(folder: Path) -> Path:
    """The worksheet declares (in both zip headers) that it unpacks to 4 GB."""
    members = xlsx_members(sheet_xml(register_rows()))
    members[-1] = members[-1].declaring(0xFFFFFF00)
    return write_zip(folder / "zip-bomb-declared.xlsx", members)


def zip_bomb_lying(folder: Path) -> Path:
    """The worksheet declares 2 KB but its deflate stream inflates to 2 GB of spaces."""
    head = sheet_xml(register_rows()).encode()
    bomb = repeated_member("xl/worksheets/sheet1.xml", head[:-len(b"</sheetData></worksheet>")], b" " * 2**20,
                           2048, b"</sheetData></worksheet>", checksum=False)
    return write_zip(folder / "zip-bomb-lying.xlsx", xlsx_members(bomb.declaring(2048)))


def whitespace_part(folder: Path) -> Path:
    """An honest worksheet of 500 MB, nearly all whitespace between rows (under the 512 MB the guard allows)."""
    rows = register_rows().encode()
    head = sheet_xml("").encode().replace(b"</sheetData></worksheet>", b"") + rows[: rows.index(b'<row r="3"')]
    tail = rows[rows.index(b'<row r="3"'):] + b"</sheetData></worksheet>"
    part = repeated_member("xl/worksheets/sheet1.xml", head, b" " * 2**20, 500, tail)
    return write_zip(folder / "whitespace-500mb.xlsx", xlsx_members(part))


def laughs_in_shared_strings(folder: Path) -> Path:
    """A billion-laughs entity bomb in sharedStrings.xml, used by the AC-2 title."""
    return write_xlsx(folder / "laughs-shared-strings.xlsx", _shared_sheet(0),
                      shared_strings=_sst("&lol9;", prolog=BILLION_LAUGHS))


def laughs_in_sheet(folder: Path) -> Path:
    """A billion-laughs entity bomb in the worksheet itself."""
    rows = register_rows() + '<row r="5"><c r="A5" t="inlineStr"><is><t>AC-4</t></is></c>' \
                             '<c r="B5" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return write_xlsx(folder / "laughs-sheet.xlsx", sheet_xml(rows, prolog=BILLION_LAUGHS))


def external_entity(folder: Path) -> Path:
    """An external entity pointing at /etc/passwd, used as a title."""
    prolog = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return write_xlsx(folder / "external-entity.xlsx", _shared_sheet(0), shared_strings=_sst("&xxe;", prolog=prolog))


def truncated_xlsx(folder: Path) -> Path:
    """A good workbook cut in half."""
    whole = good_xlsx(folder / "whole.xlsx").read_bytes()
    path = folder / "truncated-half.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def truncated_xlsx_directory(folder: Path) -> Path:
    """A good workbook missing its last 40 bytes (the end of the central directory)."""
    whole = good_xlsx(folder / "whole.xlsx").read_bytes()
    path = folder / "truncated-directory.xlsx"
    path.write_bytes(whole[:-40])
    return path


def _padded_parts(folder: Path, name: str, count: int) -> Path:
    filler = member("xl/media/unused.bin", b"x")
    extra = (Member(f"xl/media/unused{i}.bin", filler.compressed, filler.crc, filler.size) for i in range(count))
    return write_zip(folder / name, [*xlsx_members(sheet_xml(register_rows())), *extra])


def thousands_of_parts(folder: Path) -> Path:
    """A good workbook with 12,000 further one-byte parts (more than any reader should walk)."""
    return _padded_parts(folder, "parts-12000.xlsx", 12_000)


def many_parts_allowed(folder: Path) -> Path:
    """A good workbook with 5,000 further one-byte parts (many, but under the limit)."""
    return _padded_parts(folder, "parts-5000.xlsx", 5_000)


def password_flag(folder: Path) -> Path:
    """A workbook whose zip parts are marked encrypted (zip's traditional password protection)."""
    members = [Member(m.name, m.compressed, m.crc, m.size, flags=1) for m in xlsx_members(sheet_xml(register_rows()))]
    return write_zip(folder / "zip-password.xlsx", members)


def _ole_header() -> bytes:
    """A compound-file (OLE) header: 512-byte sectors, its one FAT sector at 0 and its directory at sector 1."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<I", header, 76, 0)
    header[80:512] = b"\xff" * 432
    return bytes(header)


def _ole_entry(name: str, kind: int, *, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
    """One 128-byte directory entry of a compound file (an empty stream, or the root storage)."""
    entry = bytearray(128)
    encoded = name.encode("utf-16-le") + b"\0\0"
    entry[0:len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded), kind, 1, 0xFFFFFFFF, right, child)
    struct.pack_into("<IQ", entry, 116, 0xFFFFFFFE, 0)
    return bytes(entry)


def encrypted_ole(folder: Path) -> Path:
    """A password-protected xlsx as Excel saves it: a compound file holding EncryptionInfo and EncryptedPackage."""
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * 504
    directory = (_ole_entry("Root Entry", 5, child=1) + _ole_entry("EncryptionInfo", 2, right=2)
                 + _ole_entry("EncryptedPackage", 2) + bytes(128))
    path = folder / "password-protected.xlsx"
    path.write_bytes(_ole_header() + fat + directory)
    return path


def renamed_text(folder: Path) -> Path:
    """A text file renamed to .xlsx."""
    path = folder / "renamed-text.xlsx"
    path.write_text("These are my notes about controls, not a workbook.\nAC-1 access reviews\n", encoding="utf-8")
    return path


def empty_file(folder: Path) -> Path:
    """An empty .xlsx."""
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def uncomputed_formula_title(folder: Path) -> Path:
    """AC-2's title is a formula saved without a computed value (as openpyxl and many scripts write them)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Controls"
    sheet.append(HEADER)
    sheet.append(GOOD_ROWS[0])
    sheet.append(["AC-2", '=CONCATENATE("Multi-factor", " sign-in")', "CC6.2"])
    sheet.append(GOOD_ROWS[2])
    path = folder / "uncomputed-formula.xlsx"
    book.save(path)
    return path


def deeply_nested(folder: Path) -> Path:
    """AC-2's title cell holds 100,000 nested unknown elements around its text."""
    depth = 100_000
    nested = "<x>" * depth + "Multi-factor sign-in" + "</x>" * depth
    rows = (xrow(1, *HEADER) + xrow(2, *GOOD_ROWS[0])
            + f'<row r="3"><c r="A3" t="inlineStr"><is><t>AC-2</t></is></c><c r="B3" t="inlineStr"><is><t>'
            f'{nested}</t></is></c><c r="C3" t="inlineStr"><is><t>CC6.2</t></is></c></row>' + xrow(4, *GOOD_ROWS[2]))
    return write_xlsx(folder / "deeply-nested.xlsx", sheet_xml(rows))


def invalid_utf8(folder: Path) -> Path:
    """AC-2's title, a shared string, holds bytes that are not UTF-8."""
    return write_xlsx(folder / "invalid-utf8.xlsx", _shared_sheet(0),
                      shared_strings=_sst(b"Multi-factor \xff\xfe\xc3( sign-in"))


def huge_shared_string(folder: Path) -> Path:
    """AC-2's title is one shared string of 20 million characters."""
    head = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>').encode()
    strings = repeated_member("xl/sharedStrings.xml", head, b"A" * 2**20, 20, b"</t></si></sst>")
    members = xlsx_members(_shared_sheet(0), shared_strings="")
    members[-1] = strings
    return write_zip(folder / "huge-shared-string.xlsx", members)


def _wide_book(path: Path, width: int) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Controls"
    sheet.append([*HEADER, *(f"Extra {i}" for i in range(4, width + 1))])
    for ref, title, criterion in GOOD_ROWS:
        sheet.append([ref, title, criterion, *(f"{ref} {i}" for i in range(4, width + 1))])
    book.save(path)
    return path


def too_many_columns(folder: Path) -> Path:
    """A sheet with 1,001 filled columns."""
    return _wide_book(folder / "columns-1001.xlsx", 1001)


# -- ods ------------------------------------------------------------------------------------------------------------

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods_row(*texts: str, after: str = "") -> str:
    """Return one table row of string cells (and raw XML after them, inside the row)."""
    cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(t)}</text:p></table:table-cell>'
                    for t in texts)
    return f"<table:table-row>{cells}{after}</table:table-row>"


def ods_content(rows: str, *, prolog: str = "") -> str:
    """Return the content.xml of a one-table spreadsheet ("Controls") around rows."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {_ODS_NS} office:version="1.2">'
            f'<office:body><office:spreadsheet><table:table table:name="Controls">{rows}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>")


def write_ods(path: Path, content: str) -> Path:
    """Write an OpenDocument spreadsheet whose content.xml is `content`."""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return write_zip(path, [member("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                            member("META-INF/manifest.xml", manifest), member("content.xml", content)])


def ods_repeated_rows(folder: Path) -> Path:
    """A 12-column register with an empty row repeated 900,000 times between AC-2 and AC-3."""
    header = [*HEADER, *(f"Extra {i}" for i in range(4, 13))]
    rows = (ods_row(*header) + ods_row(*GOOD_ROWS[0]) + ods_row(*GOOD_ROWS[1])
            + '<table:table-row table:number-rows-repeated="900000">'
            '<table:table-cell table:number-columns-repeated="12"/></table:table-row>' + ods_row(*GOOD_ROWS[2]))
    return write_ods(folder / "repeated-900000.ods", ods_content(rows))


def ods_trailing_styled_rows(folder: Path) -> Path:
    """The styled empty rows and columns LibreOffice writes after the data, to the end of its grid (harmless)."""
    wide = '<table:table-cell table:number-columns-repeated="1021"/>'
    rows = "".join(ods_row(*row, after=wide) for row in [HEADER, *GOOD_ROWS])
    rows += ('<table:table-row table:style-name="ro1" table:number-rows-repeated="1048572">'
             '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    return write_ods(folder / "trailing-styled.ods", ods_content(rows))


def ods_repeated_columns(folder: Path) -> Path:
    """Every row ends in an empty cell repeated 16,381 times (harmless)."""
    wide = '<table:table-cell table:number-columns-repeated="16381"/>'
    rows = "".join(ods_row(*row, after=wide) for row in [HEADER, *GOOD_ROWS])
    return write_ods(folder / "repeated-columns.ods", ods_content(rows))


def ods_laughs(folder: Path) -> Path:
    """A billion-laughs entity bomb in content.xml."""
    rows = "".join(ods_row(*row) for row in [HEADER, *GOOD_ROWS]) + ods_row("AC-4", "&lol9;").replace("&amp;", "&")
    return write_ods(folder / "laughs.ods", ods_content(rows, prolog=BILLION_LAUGHS))


def ods_truncated(folder: Path) -> Path:
    """A good OpenDocument spreadsheet cut off two thirds of the way."""
    whole = write_ods(folder / "whole.ods", ods_content("".join(ods_row(*row) for row in [HEADER, *GOOD_ROWS])))
    data = whole.read_bytes()
    path = folder / "truncated.ods"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


# -- xls, csv and what is not a file --------------------------------------------------------------------------------


def xls_truncated(folder: Path) -> Path:
    """An .xls that stops right after its compound-file header."""
    path = folder / "truncated.xls"
    path.write_bytes(_ole_header() + b"\x09\x08\x10\x00\x00\x06\x05\x00")
    return path


def _csv(folder: Path, name: str, rows: Iterable[Iterable[str]], encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def csv_nul(folder: Path) -> Path:
    """A CSV with a NUL byte inside AC-2's title."""
    return _csv(folder, "nul-byte.csv", _register(GOOD_ROWS[0], ("AC-2", "Multi\x00factor sign-in", "CC6.2"),
                                                    GOOD_ROWS[2]))


def csv_utf16_without_bom(folder: Path) -> Path:
    """A UTF-16 (little-endian) CSV without a byte-order mark."""
    return _csv(folder, "utf16-no-bom.csv", _register(*GOOD_ROWS), encoding="utf-16-le")


def csv_long_cell(folder: Path) -> Path:
    """AC-2's title is 40,000 characters, more than the 32,767 a spreadsheet cell holds."""
    return _csv(folder, "long-cell.csv", _register(GOOD_ROWS[0], ("AC-2", "M" * 40_000, "CC6.2"), GOOD_ROWS[2]))


def csv_truncated(folder: Path) -> Path:
    """A CSV that stops inside a quoted field of its last row."""
    path = folder / "truncated.csv"
    text = csv_text(_register(GOOD_ROWS[0], GOOD_ROWS[1]))
    path.write_text(text + 'AC-3,"Change appr', encoding="utf-8")
    return path


def _bad_id(name: str, ref: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return _csv(folder, name, _register(GOOD_ROWS[0], (ref, "Multi-factor sign-in", "CC6.2"), GOOD_ROWS[2]))

    build.__doc__ = f"AC-2's ID written as {ref!r}."
    return build


def csv_criteria_text_after_dash(folder: Path) -> Path:
    """Criteria cells with words after a dash: `CC6.1 - 2FA enforced` is CC6.1 and a remark, not a range."""
    return _csv(folder, "criteria-remark.csv", _register(
        ("AC-1", "Access reviews", "CC6.1 - 2FA enforced"), GOOD_ROWS[1], GOOD_ROWS[2]))


def csv_criteria_ranges(folder: Path) -> Path:
    """Criteria ranges with a hyphen and with an en dash: `CC6.1-CC6.3` and `CC6.1–6.3`."""
    return _csv(folder, "criteria-ranges.csv", _register(
        ("AC-1", "Access reviews", "CC6.1-CC6.3"), ("AC-2", "Multi-factor sign-in", "CC6.1–6.3"), GOOD_ROWS[2]))


def csv_ids_differing_in_case(folder: Path) -> Path:
    """Row 3 repeats AC-1's ID in lower case."""
    return _csv(folder, "ids-case.csv", _register(GOOD_ROWS[0], ("ac-1", "Access reviews again", "CC6.3"),
                                                    GOOD_ROWS[1], GOOD_ROWS[2]))


def csv_too_many_columns(folder: Path) -> Path:
    """A CSV with 1,001 filled columns."""
    extra = [f"Extra {i}" for i in range(4, 1002)]
    return _csv(folder, "columns-1001.csv", [[*HEADER, *extra], *([*row, *extra] for row in GOOD_ROWS)])


def good_csv(folder: Path) -> Path:
    """The good register as CSV (used with a bad --header-row)."""
    return _csv(folder, "register.csv", _register(*GOOD_ROWS))


def a_folder(folder: Path) -> Path:
    """A folder named like a workbook."""
    path = folder / "folder.xlsx"
    path.mkdir()
    return path


def a_fifo(folder: Path) -> Path:
    """A named pipe with no writer: opening it for reading would block forever."""
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def a_symlink_loop(folder: Path) -> Path:
    """A symbolic link that points at itself through another."""
    first, second = folder / "loop.xlsx", folder / "loop-back.xlsx"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first


def newline_name_good(folder: Path) -> Path:
    """A good register whose file name contains a line break."""
    return _csv(folder, "controls\nregister.csv", _register(*GOOD_ROWS))


def newline_name_damaged(folder: Path) -> Path:
    """A damaged workbook whose file name contains a line break."""
    path = folder / "broken\nworkbook.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 60)
    return path


# -- the corpus -----------------------------------------------------------------------------------------------------

CORPUS: tuple[Case, ...] = (
    # crafted xlsx: far-off cells the old guard did not see
    Case("xlsx_far_cell_single_quotes", "far cell reference in single quotes", far_cell_single_quotes,
         Refused(TOO_LARGE)),
    Case("xlsx_far_cell_spaces_around_equals", "far cell reference with spaces around =",
         far_cell_spaces_around_equals, Either(ALL_GOOD, Refused(TOO_LARGE))),
    Case("xlsx_sheet_outside_worksheets", "worksheet part outside xl/worksheets/", sheet_outside_worksheets,
         Refused(TOO_LARGE)),
    Case("xlsx_sheet_in_worksheets_subfolder", "worksheet part in a folder below xl/worksheets/",
         sheet_in_worksheets_subfolder, Refused(TOO_LARGE)),
    Case("xlsx_cells_without_references", "a run of cells without r in a far row", cells_without_references,
         Refused(TOO_LARGE)),
    Case("xlsx_ten_digit_row", "a ten-digit row number", ten_digit_row, Refused(TOO_LARGE)),
    # harmless far-off things: must import
    Case("xlsx_styled_empty_cell_far_down", "styled empty cell at A1048576", styled_empty_cell_far_down, ALL_GOOD),
    Case("xlsx_empty_rows_far_down", "empty rows far down", empty_rows_far_down, ALL_GOOD),
    Case("xlsx_forged_dimension", "forged <dimension ref=A1:XFD1048576>", forged_dimension,
         Either(ALL_GOOD, Refused(TOO_LARGE))),
    # zip bombs and odd archives
    Case("xlsx_zip_bomb_declared", "a part declaring 4 GB", zip_bomb_declared, Refused(r"unsafe|unpack|too large")),
    Case("xlsx_zip_bomb_lying", "a part declaring 2 KB that inflates to 2 GB", zip_bomb_lying,
         Refused(FILE_DAMAGED + "|unsafe")),
    Case("xlsx_whitespace_500mb", "an honest 500 MB part of whitespace", whitespace_part,
         Either(ALL_GOOD, Refused(TOO_LARGE + "|unpack"))),
    Case("xlsx_thousands_of_parts", "12,000 parts", thousands_of_parts, Refused(r"parts|unsafe")),
    Case("xlsx_many_parts_allowed", "5,000 parts, under the limit", many_parts_allowed, ALL_GOOD),
    Case("xlsx_zip_password_flag", "zip parts flagged encrypted", password_flag, Refused(r"password|encrypt")),
    Case("xlsx_encrypted_ole", "password-protected workbook (OLE EncryptedPackage)", encrypted_ole,
         Refused(r"password|encrypt")),
    # XML attacks
    Case("xlsx_laughs_in_shared_strings", "billion laughs in sharedStrings.xml", laughs_in_shared_strings,
         Refused(XML_REFUSED), forbidden=(LAUGHS,)),
    Case("xlsx_laughs_in_sheet", "billion laughs in the worksheet", laughs_in_sheet, Refused(XML_REFUSED),
         forbidden=(LAUGHS,)),
    Case("xlsx_external_entity", "external entity naming /etc/passwd", external_entity, Refused(XML_REFUSED),
         forbidden=("root:",)),
    Case("xlsx_deeply_nested", "100,000 nested elements in a cell", deeply_nested,
         Either(Imports(GOOD), Refused(XML_REFUSED + "|nest|deep"))),
    Case("xlsx_invalid_utf8", "invalid UTF-8 in a shared string", invalid_utf8,
         Either(Imports(GOOD), Refused(r"UTF-8|encoding|" + FILE_DAMAGED))),
    Case("xlsx_huge_shared_string", "one shared string of 20 million characters", huge_shared_string,
         Either(Imports(WITHOUT_AC2, ((3, "error", r"title"),)), Refused(TOO_LARGE + "|long")),
         forbidden=("A" * 40_000,)),
    # truncated and not-what-they-claim
    Case("xlsx_truncated_half", "xlsx cut in half", truncated_xlsx, Refused(FILE_DAMAGED)),
    Case("xlsx_truncated_directory", "xlsx missing the end of its central directory", truncated_xlsx_directory,
         Refused(FILE_DAMAGED)),
    Case("xlsx_renamed_text", "a text file renamed .xlsx", renamed_text, Refused(r"not a spreadsheet|renamed")),
    Case("xlsx_empty_file", "an empty file", empty_file, Refused(r"empty")),
    Case("xls_truncated", "xls cut after its header", xls_truncated, Refused(FILE_DAMAGED)),
    Case("ods_truncated", "ods cut at two thirds", ods_truncated, Refused(FILE_DAMAGED)),
    Case("csv_truncated_in_quotes", "CSV ending inside a quoted field", csv_truncated,
         Either(Imports({"AC-1": ("CC6.1",), "AC-2": ("CC6.2",)}, ((4, "error", r"."),)),
                Refused(FILE_DAMAGED + r"|quote|well-formed|ends"))),
    # ordinary xlsx with awkward content
    Case("xlsx_uncomputed_formula_title", "a title that is a formula without a saved value",
         uncomputed_formula_title,
         Imports(WITHOUT_AC2, ((3, "error", r"title|formula"),)), forbidden=("CONCATENATE",)),
    Case("xlsx_too_many_columns", "1,001 filled columns", too_many_columns, Refused(r"columns")),
    # ods
    Case("ods_repeated_rows_900000", "an empty row repeated 900,000 times", ods_repeated_rows, ALL_GOOD),
    Case("ods_trailing_styled_rows", "LibreOffice's styled rows to the end of the grid", ods_trailing_styled_rows,
         ALL_GOOD),
    Case("ods_repeated_columns", "an empty cell repeated 16,381 times in each row", ods_repeated_columns, ALL_GOOD),
    Case("ods_laughs", "billion laughs in content.xml", ods_laughs, Refused(XML_REFUSED), forbidden=(LAUGHS,)),
    # csv
    Case("csv_nul_byte", "a NUL byte in a cell", csv_nul,
         Either(Imports(WITHOUT_AC2, ((3, "error", r"."),)), Refused(r"NUL|text|binary")), forbidden=("\x00",)),
    Case("csv_utf16_without_bom", "UTF-16 without a byte-order mark", csv_utf16_without_bom,
         Either(ALL_GOOD, Refused(r"UTF-16"))),
    Case("csv_cell_40000_characters", "a 40,000-character cell", csv_long_cell,
         Refused(r"row 3, column B .*too long .*32,767"), forbidden=("M" * 32_768,)),
    Case("csv_id_control_character", "an ID with a control character", _bad_id("id-control.csv", "AC-\x072"),
         Imports(WITHOUT_AC2, ((3, "error", r"(?i)\bID\b"),)), forbidden=("\x07",)),
    Case("csv_id_line_break", "an ID with a line break", _bad_id("id-line-break.csv", "AC-\n2"),
         Imports(WITHOUT_AC2, ((3, "error", r"(?i)\bID\b"),))),
    Case("csv_id_bidi_override", "an ID with a right-to-left override", _bad_id("id-bidi.csv", "\u202eAC-2"),
         Imports(WITHOUT_AC2, ((3, "error", r"(?i)\bID\b"),)), forbidden=("\u202e",)),
    Case("csv_criteria_text_after_dash", "criteria `CC6.1 - 2FA enforced`", csv_criteria_text_after_dash,
         Imports(GOOD, ((2, "warning", r"^criteria"),))),
    Case("csv_criteria_ranges", "criteria ranges `CC6.1-CC6.3` and `CC6.1–6.3`", csv_criteria_ranges,
         Imports({"AC-1": ("CC6.1", "CC6.2", "CC6.3"), "AC-2": ("CC6.1", "CC6.2", "CC6.3"), "AC-3": ("CC8.1",)})),
    Case("csv_ids_differing_in_case", "IDs differing only in case", csv_ids_differing_in_case,
         Imports(GOOD, ((3, None, r"(?i)AC-1"),), titles={"AC-1": "Access reviews"})),
    Case("csv_too_many_columns", "1,001 filled columns", csv_too_many_columns, Refused(r"columns")),
    # what is not a spreadsheet file at all, and awkward arguments
    Case("header_row_zero", "--header-row 0", good_csv, Refused(r"header.row|row 0", names=r"--header-row"),
         args=("--header-row", "0")),
    Case("source_is_a_folder", "a directory as SOURCE", a_folder, Refused(r"folder|directory|not a file")),
    Case("source_is_a_fifo", "a FIFO as SOURCE (must not block)", a_fifo,
         Refused(r"not a (regular )?file|pipe|FIFO|special")),
    Case("source_is_a_symlink_loop", "a symlink loop as SOURCE", a_symlink_loop,
         Refused(r"link|loop|does not exist|cannot be read")),
    Case("name_with_newline_good", "a good register whose name has a line break", newline_name_good, ALL_GOOD),
    Case("name_with_newline_damaged", "a damaged workbook whose name has a line break", newline_name_damaged,
         Refused(FILE_DAMAGED)),
)

BY_NAME: dict[str, Case] = {case.name: case for case in CORPUS}
assert len(BY_NAME) == len(CORPUS), "corpus names are unique"


def name_fragments(path: Path) -> list[str]:
    """Return the printable pieces of a file name (split at control characters): what an error line must show."""
    return [piece for piece in re.split(r"[\x00-\x1f\x7f]+", path.name) if piece]


def build_all(folder: Path) -> dict[str, Path]:
    """Build every case in a subfolder of its own; return {name: path}."""
    built = {}
    for case in CORPUS:
        place = folder / case.name
        place.mkdir(parents=True, exist_ok=True)
        built[case.name] = case.build(place)
    return built


def main(argv: list[str]) -> int:
    """Write the corpus into the folder named on the command line and list it."""
    if len(argv) != 1:
        print("usage: python -m tests.safety.hostile_corpus FOLDER", file=sys.stderr)
        return 2
    for name, path in build_all(Path(argv[0])).items():
        size = path.lstat().st_size if not path.is_dir() else 0
        print(f"{name:40} {size:>10,}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
