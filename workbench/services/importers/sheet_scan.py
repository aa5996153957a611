"""Measuring a workbook's sheets from their XML structure, streamed, before any reader allocates them.

python-calamine sizes a sheet's grid from the positions its cells claim: a single far-off cell makes it allocate
every cell up to there. This reads the real structure with expat, as the reader will (row and cell positions,
written or implied, however the XML quotes or spaces them), and reports for each sheet the last row and column that
hold a value and how many cells do. Styled empty cells and empty rows, however far down, count for nothing: the
reader skips them too. Document type declarations (and so entities) are refused.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import Any, NamedTuple
from xml.parsers import expat

_CHUNK = 1024 * 1024
_DIGITS = "0123456789"
FAR = 10**10  # stands for a row or column number too long to be real (calamine wraps such numbers around)


class ScanRefused(Exception):
    """The part cannot be measured: damaged XML, a document type declaration, or an invalid cell reference."""


class SheetExtent(NamedTuple):
    """What one sheet holds: the last row and column with a value (1-based, 0 when none) and its filled cells."""

    part: str  # the zip member read
    sheet: str | None  # the sheet's name, when the workbook names it
    rows: int
    columns: int
    filled: int  # cells holding a value, repeats counted
    repeated_row: int = 0  # ods: how often the most repeated filled row repeats
    repeated_at: int = 0  # ods: the first row of that repetition
    gaps: tuple[tuple[int, int, int, int], ...] = ()  # ods: runs of empty rows between filled ones (see scan_ods)
    exact: bool = True  # False for an upper bound (bound_worksheet): the XML was not parsed, only bounded

    @property
    def gap_rows(self) -> int:
        """Return how many rows the gaps hold."""
        return sum(gap[1] for gap in self.gaps)

    @property
    def label(self) -> str:
        """Return how a message names the sheet."""
        return f"sheet {self.sheet!r}" if self.sheet is not None else f"a sheet ({posixpath.basename(self.part)})"


def _refuse_doctype(*_args: object) -> None:
    raise ScanRefused("its XML declares a document type (entities); refusing it as unsafe")


def _parser(**options: Any) -> expat.XMLParserType:
    parser = expat.ParserCreate(**options)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.ordered_attributes = True
    return parser


def _feed(parser: expat.XMLParserType, archive: zipfile.ZipFile, part: str) -> None:
    """Stream one zip member through the parser; raise ScanRefused when it is not well-formed XML."""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ScanRefused(f"{part} is not well-formed XML ({expat.ErrorString(exc.code)}, line {exc.lineno})") from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attribute(attrs: list[str], name: str) -> str | None:
    for index in range(0, len(attrs), 2):
        if _local(attrs[index]) == name:
            return attrs[index + 1]
    return None


# -- xlsx ------------------------------------------------------------------------------------------------------------

_COLUMNS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """Return the 1-based column number of letters (A -> 1, XFD -> 16384); FAR when absurdly long."""
    known = _COLUMNS.get(letters)
    if known is not None:
        return known
    if not letters.isascii() or not letters.isalpha():
        raise ValueError(letters)
    if len(letters) > 7:
        return FAR
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    if len(letters) <= 3:
        _COLUMNS[letters] = number
    return number


def _row_number(text: str) -> int:
    if not text or len(text) > 9:
        if text and text.isascii() and text.isdigit():
            return FAR
        raise ValueError(text)
    number = int(text)
    if number < 1 or not text.isascii():
        raise ValueError(text)
    return number


def cell_position(ref: str) -> tuple[int, int]:
    """Return (row, column), 1-based, of a reference like "B7"; raise ValueError when it is not one."""
    letters = ref.rstrip(_DIGITS)
    return _row_number(ref[len(letters):]), column_number(letters)


_XLSX_KINDS = frozenset({"row", "c", "v", "is"})


def scan_worksheet(archive: zipfile.ZipFile, part: str, sheet: str | None = None) -> SheetExtent:
    """Measure one worksheet part: positions as calamine assigns them, counting only cells that hold a value."""
    row = 0  # the current row, 1-based; 0 before the first
    row_text = ""  # its number as written, when written plainly: most cells repeat it
    column = 1  # where the next cell without a reference goes
    here_row = here_column = 0  # the current cell
    last_row = last_column = filled = 0
    columns = _COLUMNS

    # The handler runs for every element of the sheet: the common cases come first and call nothing.
    def start(name: str, attrs: list[str]) -> None:
        nonlocal row, row_text, column, here_row, here_column, last_row, last_column, filled
        if name == "c":
            ref = attrs[1] if attrs and attrs[0] == "r" else _attribute(attrs, "r")
            if ref is None:
                here_row, here_column = row or 1, column
            else:
                letters = ref.rstrip(_DIGITS)
                known = columns.get(letters)
                if known is not None and ref[len(letters):] == row_text:
                    here_row, here_column = row, known
                else:
                    try:
                        here_row, here_column = cell_position(ref)
                    except ValueError:
                        raise ScanRefused(f"a cell reference ({ref[:20]!r}) is not valid") from None
            column = here_column + 1
        elif name == "v" or name == "is":
            filled += 1
            if here_row > last_row:
                last_row = here_row
            if here_column > last_column:
                last_column = here_column
        elif name == "row":
            ref = attrs[1] if attrs and attrs[0] == "r" else _attribute(attrs, "r")
            if ref is None:
                row += 1
                row_text = ""
            else:
                try:
                    row = _row_number(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
                except ValueError:
                    raise ScanRefused(f"a row number ({ref[:20]!r}) is not valid") from None
                row_text = ref if ref.isdigit() and ref[0] != "0" else ""
            column = 1
        elif ":" in name:  # a prefixed name (x:c): what matters is the local name, as for calamine
            local = _local(name)
            if local in _XLSX_KINDS:
                start(local, attrs)

    parser = _parser()
    parser.StartElementHandler = start
    _feed(parser, archive, part)
    return SheetExtent(part, sheet, last_row, last_column, filled)


# -- a quick upper bound, for plain sheets ---------------------------------------------------------------------------

# A cell's start tag with its reference written plainly as its first attribute (what Excel, LibreOffice and openpyxl
# write); the reference group stays empty for any other cell tag, which sends the part to the full scan.
_PLAIN_CELL = re.compile(rb'<c(?=[ \t\r\n/>])(?: r="([A-Z]{1,3}[1-9][0-9]{0,6})")?')
_PREFIXED = re.compile(rb":(?:c|v|is|row)[\s/>]")  # a prefixed element name that matters (or text that looks so)
_MAX_CARRY = 4 * 2**20  # bytes without a tag in them the quick bound will hold before leaving the part to the scan
_ASCII_DIGITS, _ASCII_LETTERS = repeat(b"0123456789"), repeat(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ROW_WIDTH = repeat(7)  # the most digits _PLAIN_CELL lets a row number have


def bound_worksheet(archive: zipfile.ZipFile, part: str, sheet: str | None = None) -> SheetExtent | None:
    """Return an upper bound of what scan_worksheet measures, found quickly; None when the part is not plain.

    Plain means: ASCII-compatible bytes (no NUL at the start: not UTF-16 or UTF-32), no comment, CDATA, document
    type or processing instruction after the XML declaration, no prefixed c, v, is or row element, and every cell
    tag starting `<c r="A1"`. Then every cell the reader places is one of the references found here, so their
    largest row and column bound the sheet, empty styled cells included, and every value is one of the `<v` or
    `<is` counted. The bound may be above the true extent, never below; a part that is not plain, or whose bound
    is too large, is measured exactly (a damaged one is named by the reader, or by that scan when the reader
    fails on it).
    """
    rows = filled = 0
    letters: set[bytes] = set()
    carry = b""
    first = True
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            data = carry + chunk
            if chunk:  # keep every tag whole: cut before the last "<"
                cut = data.rfind(b"<")
                if cut <= 0:
                    if len(data) > _MAX_CARRY:
                        return None
                    carry = data
                    continue
                data, carry = data[:cut], data[cut:]
            # "!" and "?" are rare in a sheet, and found far faster than the frequent "<" before them.
            if b"!" in data and b"<!" in data:
                return None
            start = 0
            if first:  # an encoding that is not ASCII-compatible (UTF-16, UTF-32) shows in its first bytes
                first = False
                if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
                    return None
                if data.startswith((b"<?xml", b"\xef\xbb\xbf<?xml")):
                    start = data.find(b"?>") + 2
                    if start < 2:
                        return None
            if (data.find(b"?", start) >= 0 and data.find(b"<?", start) >= 0) or _PREFIXED.search(data):
                return None
            cells = _PLAIN_CELL.findall(data)  # one reference each (b"" for a cell tag that is not plain)
            if cells:
                if b"" in cells:
                    return None
                letters.update(map(bytes.rstrip, cells, _ASCII_DIGITS))
                rows = max(rows, _largest(map(bytes.lstrip, cells, _ASCII_LETTERS)))
            filled += data.count(b"<v") + data.count(b"<is")
            if not chunk:
                break
    columns = max((column_number(text.decode("ascii")) for text in letters), default=0)
    return SheetExtent(part, sheet, rows, columns, filled)


def _largest(numbers: Iterable[bytes]) -> int:
    """Return the largest of decimal numbers of at most 7 digits written without leading zeros.

    Right-aligned with spaces (which sort before digits), their greatest as bytes is the greatest number.
    """
    return int(max(map(bytes.rjust, numbers, _ROW_WIDTH)))


MAX_RELATIONSHIPS = 40_000  # in one .rels part; a workbook has a few per sheet


def _relationships(archive: zipfile.ZipFile, rels: str, parts: dict[str, str]) -> list[tuple[str, str, str]]:
    """Return (id, type, part) for each relationship of a .rels part naming a part of the archive.

    A target is looked for as calamine looks for it and as the packaging rules resolve it; `parts` maps
    lower-cased names to the archive's names. What cannot be read is left to calamine to report.
    """
    found: list[tuple[str, str, str]] = []
    folder = posixpath.dirname(posixpath.dirname(rels))  # xl/_rels/workbook.xml.rels -> xl

    def start(name: str, attrs: list[str]) -> None:
        if _local(name) != "Relationship":
            return
        target = _attribute(attrs, "Target") or ""
        if "://" in target or _attribute(attrs, "TargetMode") == "External":
            return
        if len(found) >= MAX_RELATIONSHIPS:
            raise ScanRefused(f"{rels} lists more than {MAX_RELATIONSHIPS:,} relationships; refusing it as unsafe")
        key, kind = _attribute(attrs, "Id") or "", _attribute(attrs, "Type") or ""
        joined = f"{folder}/{target}" if folder else target
        for candidate in {target.lstrip("/"), target, joined, posixpath.normpath(joined), f"xl/{target}"}:
            part = parts.get(candidate.lower())
            if part is not None:
                found.append((key, kind, part))

    parser = _parser()
    parser.StartElementHandler = start
    try:
        _feed(parser, archive, rels)
    except ScanRefused as exc:
        if "unsafe" in str(exc):
            raise
    return found


def _sheet_names(archive: zipfile.ZipFile, workbook: str, ids: set[str]) -> dict[str, str]:
    """Return {relationship id: sheet name} for the workbook part's sheets among `ids` (empty when unreadable)."""
    names: dict[str, str] = {}

    def start(name: str, attrs: list[str]) -> None:
        if _local(name) == "sheet":
            key = next((attrs[i + 1] for i in range(0, len(attrs), 2) if _local(attrs[i]) == "id"), None)
            if key in ids and key not in names:
                names[key] = _attribute(attrs, "name") or ""

    parser = _parser()
    parser.StartElementHandler = start
    with contextlib.suppress(ScanRefused):
        _feed(parser, archive, workbook)
    return names


def _looks_like_sheet(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".xml") and ("sheet" in posixpath.basename(lower) or "worksheets/" in lower)


def sheet_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str | None], set[str]]:
    """Return the parts that may be read as a worksheet (part -> sheet name, when named), and those a relationship
    calls a sheet; refuse a flood of relationships as unsafe."""
    members = {info.filename for info in archive.infolist() if not info.is_dir()}
    by_lower = {name.lower(): name for name in members}
    sheets: dict[str, str | None] = {}  # part -> sheet name
    named: set[str] = set()  # parts a relationship calls a sheet: unreadable ones are damage, not noise
    for rels in sorted(name for name in members if name.lower().endswith(".rels")):
        relationships = [(key, kind, part) for key, kind, part in _relationships(archive, rels, by_lower)
                         if not part.lower().endswith((".bin", ".rels"))]
        if not relationships:
            continue
        # Whatever a <sheet> of the source part names is read as a sheet, whatever its relationship's type says.
        source = posixpath.join(posixpath.dirname(posixpath.dirname(rels)), posixpath.basename(rels)[:-5])
        source = by_lower.get(source.lower(), source)
        titles = _sheet_names(archive, source, {key for key, _, _ in relationships}) if source in members else {}
        for key, kind, part in relationships:
            if key in titles or "sheet" in kind.lower() or _looks_like_sheet(part):
                named.add(part)
                if sheets.get(part) is None:
                    sheets[part] = titles.get(key)
    for part in members:
        if _looks_like_sheet(part):
            sheets.setdefault(part, None)
    return sheets, named


def scan_xlsx(archive: zipfile.ZipFile, fits: Callable[[SheetExtent], bool] | None = None) -> list[SheetExtent]:
    """Measure every part that may be read as a worksheet: what any relationship calls a sheet, and look-alikes.

    With `fits`, a part whose quick upper bound (bound_worksheet) fits is taken at that bound, unscanned: its
    extent's `exact` is False. Every other part is scanned.
    """
    sheets, named = sheet_parts(archive)
    extents = []
    for part, sheet in sorted(sheets.items()):
        if fits is not None:
            bound = bound_worksheet(archive, part, sheet)
            if bound is not None and fits(bound):
                extents.append(bound._replace(exact=False))
                continue
        try:
            extents.append(scan_worksheet(archive, part, sheet))
        except ScanRefused as exc:
            if part in named or "document type" in str(exc):
                raise
    return extents


# -- ods -------------------------------------------------------------------------------------------------------------

def _repeat(attrs: list[str], name: str) -> int:
    text = _attribute(attrs, name)
    if text is None:
        return 1
    try:
        return max(1, _row_number(text.strip()))
    except ValueError:
        raise ScanRefused(f"a repeat count ({text[:20]!r}) is not valid") from None


class _Run:
    """Consecutive empty rows of an ods table: where they start, how many, and their bytes in content.xml."""

    __slots__ = ("count", "depth", "end", "row", "start")

    def __init__(self, row: int, count: int, start: int, depth: int) -> None:
        self.row = row  # 0-based index of the first
        self.count = count
        self.start = start
        self.depth = depth
        self.end = 0


def scan_ods(archive: zipfile.ZipFile, part: str = "content.xml") -> list[SheetExtent]:
    """Measure every table of an OpenDocument spreadsheet, repeated rows and cells counted as the reader expands them.

    Repeated empty rows and cells count for nothing unless something filled follows them; runs of empty rows
    between filled ones are reported as gaps (with their bytes), which a reader may squeeze out and put back.
    """
    extents: list[SheetExtent] = []
    depth = 0  # elements open
    table_depth = 0  # nested tables (in cells) are content of their cell, not rows of the sheet
    name: str | None = None
    row = 0  # rows finished so far in this table
    last_row = last_column = filled = 0
    repeated_row = repeated_at = 0
    row_repeat = 1
    row_start = row_depth = 0
    in_row = False
    column = 0  # cells finished so far in this row
    row_last_column = row_filled = 0
    cell_depth = 0  # >0 inside a cell
    cell_repeat = 1
    cell_filled = False
    run: _Run | None = None
    runs: list[_Run] = []

    def close_run(at: int) -> None:
        nonlocal run
        if run is not None:
            run.end = at
            runs.append(run)
            run = None

    def start(tag: str, attrs: list[str]) -> None:
        nonlocal depth, table_depth, name, row, last_row, last_column, filled, repeated_row, repeated_at
        nonlocal row_repeat, row_start, row_depth, in_row, column, row_last_column, row_filled
        nonlocal cell_depth, cell_repeat, cell_filled
        depth += 1
        if cell_depth:
            cell_depth += 1
            cell_filled = True  # a paragraph, a link, a nested table: something to read
            return
        local = _local(tag)
        if local == "table":
            table_depth += 1
            if table_depth == 1:
                name = _attribute(attrs, "name") or ""
                row = last_row = last_column = filled = repeated_row = repeated_at = 0
                runs.clear()
        elif table_depth != 1:
            return
        elif local == "table-row":
            if run is not None and run.depth != depth:
                close_run(parser.CurrentByteIndex)
            row_repeat = _repeat(attrs, "number-rows-repeated")
            row_start, row_depth, in_row = parser.CurrentByteIndex, depth, True
            column = row_last_column = row_filled = 0
        elif local in ("table-cell", "covered-table-cell"):
            cell_depth = 1
            cell_repeat = _repeat(attrs, "number-columns-repeated")
            cell_filled = _attribute(attrs, "value-type") is not None
        elif not in_row:
            close_run(parser.CurrentByteIndex)

    def end(tag: str) -> None:
        nonlocal depth, table_depth, row, last_row, last_column, filled, repeated_row, repeated_at
        nonlocal in_row, column, row_last_column, row_filled, cell_depth, run
        depth -= 1
        if cell_depth > 1:
            cell_depth -= 1
            return
        local = _local(tag)
        if cell_depth == 1:
            cell_depth = 0
            if cell_filled:
                row_last_column = column + cell_repeat
                row_filled += cell_repeat
            column += cell_repeat
        elif local == "table":
            table_depth -= 1
            if table_depth == 0:
                close_run(parser.CurrentByteIndex)
                gaps = tuple((r.row, r.count, r.start, r.end) for r in runs if r.row + r.count < last_row)
                extents.append(SheetExtent(part, name, last_row, last_column, filled, repeated_row, repeated_at,
                                           gaps))
        elif table_depth != 1:
            return
        elif local == "table-row":
            in_row = False
            if row_filled:
                close_run(row_start)
                last_row = row + row_repeat
                last_column = max(last_column, row_last_column)
                filled += row_filled * row_repeat
                if row_repeat > repeated_row:
                    repeated_row, repeated_at = row_repeat, row + 1
            elif run is None:
                run = _Run(row, row_repeat, row_start, row_depth)
            else:
                run.count += row_repeat
            row += row_repeat
        elif not in_row:
            close_run(parser.CurrentByteIndex)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _feed(parser, archive, part)
    return extents


def without_gaps(source: zipfile.ZipFile, target: zipfile.ZipFile, gaps: Iterable[tuple[int, int]],
                 part: str = "content.xml") -> None:
    """Copy an archive, leaving out the byte ranges `gaps` (start, end) of one part (empty rows; see scan_ods)."""
    spans = sorted(gaps)
    for info in source.infolist():
        copy = zipfile.ZipInfo(info.filename, info.date_time)
        copy.compress_type = info.compress_type
        with source.open(info) as reader, target.open(copy, "w") as writer:
            if info.filename != part:
                while chunk := reader.read(_CHUNK):
                    writer.write(chunk)
                continue
            offset = 0
            while chunk := reader.read(_CHUNK):
                end = offset + len(chunk)
                kept = 0
                for first, last in spans:
                    if last <= offset or first >= end:
                        continue
                    writer.write(chunk[kept:max(first - offset, kept)])
                    kept = max(kept, min(last, end) - offset)
                writer.write(chunk[kept:])
                offset = end


def estimated_bytes(extent: SheetExtent, per_cell: int, per_filled: int, *, squeezed: bool = False) -> int:
    """Return what reading the sheet costs the reader: its grid and its filled cells (without the gaps, squeezed)."""
    rows = extent.rows - extent.gap_rows if squeezed else extent.rows
    return rows * extent.columns * per_cell + extent.filled * per_filled
