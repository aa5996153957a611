"""Reading spreadsheets (xlsx, xlsm, xlsb, xls, ods through python-calamine; CSV) into rows of cell values.

Hostile files fail fast with one WorkbenchError naming the file: not a spreadsheet, damaged, empty, encrypted,
a zip that declares more than MAX_UNCOMPRESSED bytes, or more than MAX_ROWS rows / MAX_COLUMNS columns.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError

MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # what a zip-based workbook may declare, all parts together
MAX_CSV_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_CELLS = 12_000_000  # rows x columns of a sheet's used area; the reader allocates that many cells at once

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xla", ".xlam"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Cell = Any  # str | int | float | bool | date | datetime | time | timedelta | None


class ImportFileError(WorkbenchError):
    """The file cannot be read as a spreadsheet."""


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """One sheet of a workbook: its name, position and whether Excel shows it."""

    name: str
    index: int
    visible: bool


class Workbook:
    """An open spreadsheet file: its sheets, and the rows of any of them."""

    def __init__(self, path: Path, sheets: list[SheetInfo]) -> None:
        self.path = path
        self.sheets = sheets

    def rows(self, sheet: str) -> list[list[Cell]]:
        """Return every row of the sheet as a list of cell values ("" or None for empty cells)."""
        raise TypeError(f"{type(self).__name__} must define rows()")

    def sheet_height(self, sheet: str) -> int:
        """Return how many rows the sheet holds."""
        return len(self.rows(sheet))

    def close(self) -> None:
        """Release the file."""

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _fail(path: Path, why: str) -> ImportFileError:
    return ImportFileError(str(path), why)


class _CalamineWorkbook(Workbook):
    def __init__(self, path: Path, book: Any, sheets: list[SheetInfo]) -> None:
        super().__init__(path, sheets)
        self._book = book
        self._cache: dict[str, list[list[Cell]]] = {}

    def rows(self, sheet: str) -> list[list[Cell]]:
        """Return every row of the sheet, refusing sheets past the row and column limits."""
        if sheet in self._cache:
            return self._cache[sheet]
        try:
            data = self._book.get_sheet_by_name(sheet)
            if data.total_height > MAX_ROWS:
                raise _fail(self.path, f"sheet {sheet!r} has more than {MAX_ROWS:,} rows; split the file")
            rows: list[list[Cell]] = []
            for row in data.to_python(skip_empty_area=False):
                if len(row) > MAX_COLUMNS:
                    row = _trim(row)
                    if len(row) > MAX_COLUMNS:
                        raise _fail(self.path, f"sheet {sheet!r} has more than {MAX_COLUMNS:,} columns")
                rows.append(row)
        except ImportFileError:
            raise
        except Exception as exc:  # calamine reports damaged parts with a variety of exceptions
            raise _fail(self.path, f"sheet {sheet!r} cannot be read: the file is damaged ({_short(exc)})") from None
        self._cache = {sheet: rows}  # keep one sheet: memory stays bounded by the largest sheet
        return rows

    def close(self) -> None:
        """Release the file."""
        self._cache = {}
        with contextlib.suppress(Exception):  # closing twice, or a book that failed half-way
            self._book.close()


def _trim(row: list[Cell]) -> list[Cell]:
    end = len(row)
    while end and row[end - 1] in ("", None):
        end -= 1
    return row[:end]


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


class _CsvWorkbook(Workbook):
    def __init__(self, path: Path, rows: list[list[Cell]], delimiter: str, encoding: str) -> None:
        super().__init__(path, [SheetInfo(path.stem or path.name, 0, True)])
        self._rows = rows
        self.delimiter = delimiter
        self.encoding = encoding

    def rows(self, sheet: str) -> list[list[Cell]]:
        """Return every row of the file."""
        return self._rows


def open_workbook(path: Path | str) -> Workbook:
    """Open a spreadsheet or CSV file for reading; raise ImportFileError saying why it cannot be used."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise _fail(path, "the file does not exist") from None
    except IsADirectoryError:
        raise _fail(path, "is a folder, not a spreadsheet") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise _fail(path, "the file is empty")
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC) or head.startswith(b"PK"):
        if _check_zip(path) & _LOADED_WHOLE:
            return _open_isolated(path)
        return _open_calamine(path)
    if head.startswith(_OLE_MAGIC):
        _check_ole(path)
        return _open_isolated(path)
    if suffix in SPREADSHEET_SUFFIXES:
        if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods", ".xlam"):
            raise _fail(path, "is not a spreadsheet (not a zip-based workbook; damaged or renamed?)")
        raise _fail(path, "is not a spreadsheet (no Excel signature; damaged or renamed?)")
    return _open_csv(path, size)


_LOADED_WHOLE = frozenset({"xl/workbook.bin", "content.xml"})  # xlsb and ods: calamine loads these whole


def _check_zip(path: Path) -> set[str]:
    """Refuse unsafe or foreign zip files; return the names of the archive's parts."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise _fail(path, f"the workbook holds {len(members):,} parts; refusing it as unsafe")
            declared = sum(member.file_size for member in members)
            if declared > MAX_UNCOMPRESSED:
                raise _fail(path, f"the workbook would unpack to {declared / 2**20:,.0f} MiB "
                                  f"(limit {MAX_UNCOMPRESSED / 2**20:,.0f} MiB); refusing it as unsafe")
            names = {member.filename for member in members}
            if any(member.flag_bits & 0x1 for member in members):
                raise _fail(path, "the workbook is password-protected; save an unprotected copy and import that")
            for member in members:
                if _SHEET_PART.match(member.filename):
                    _check_sheet_extent(path, archive, member)
    except zipfile.BadZipFile:
        raise _fail(path, "is damaged or truncated (not a complete zip archive)") from None
    except ImportFileError:
        raise
    except Exception as exc:  # zlib, struct and OS errors from a damaged archive
        raise _fail(path, f"is damaged or truncated ({_short(exc)})") from None
    if not ({"[Content_Types].xml", "mimetype"} & names):
        raise _fail(path, "is a zip archive but not a spreadsheet")
    return names


_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_CHUNK = 4 * 1024 * 1024


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _largest_number(numbers: set[bytes]) -> int:
    return int(max(numbers, key=lambda digits: (len(digits.lstrip(b"0")), digits.lstrip(b"0")))) if numbers else 0


def _check_sheet_extent(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a worksheet whose cell references reach past the limits (the reader would allocate them all)."""
    row_numbers: set[bytes] = set()
    column_letters: set[bytes] = set()
    tail = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            cut = data.rfind(b"<")
            body, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            # Sets of the distinct texts, compared at the end: converting every reference costs more than the read.
            row_numbers.update(_CELL_REF_ROWS.findall(body))
            column_letters.update(_CELL_REF_COLUMNS.findall(body))
    max_row = _largest_number(row_numbers)
    max_column = max((_column_number(letters) for letters in column_letters), default=0)
    name = member.filename.rsplit("/", 1)[-1]
    if max_row > MAX_ROWS:
        raise _fail(path, f"a sheet ({name}) claims {max_row:,} rows, more than the {MAX_ROWS:,} we read")
    if max_column > MAX_COLUMNS:
        raise _fail(path, f"a sheet ({name}) claims {max_column:,} columns, more than the {MAX_COLUMNS:,} we read")
    if max_row * max(max_column, 1) > MAX_CELLS:
        raise _fail(path, f"a sheet ({name}) spans {max_row:,} rows by {max_column:,} columns; too large to read")


# Both start with a literal so the scan skips quickly to each reference (whatever whitespace precedes it);
# `<row r="7">` matches the first only. Another attribute ending in r can only make the guard stricter.
_CELL_REF_ROWS = re.compile(rb'r="[A-Z]{0,4}([0-9]{1,9})"')
_CELL_REF_COLUMNS = re.compile(rb'r="([A-Z]{1,4})[0-9]')


def _check_ole(path: Path) -> None:
    """A password-protected xlsx is an OLE container with an EncryptedPackage stream; refuse it plainly."""
    with path.open("rb") as handle:
        start = handle.read(1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in start or b"EncryptionInfo" in start or \
            "EncryptionInfo".encode("utf-16-le") in start:
        raise _fail(path, "the workbook is password-protected; save an unprotected copy and import that")


def _open_calamine(path: Path) -> Workbook:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = [
            SheetInfo(str(meta.name), index, meta.visible == python_calamine.SheetVisibleEnum.Visible)
            for index, meta in enumerate(book.sheets_metadata)
        ]
    except python_calamine.PasswordError:
        raise _fail(path, "the workbook is password-protected; save an unprotected copy and import that") from None
    except Exception as exc:  # XmlError (entities refused), ZipError, CalamineError and format mismatches
        raise _fail(path, f"is not a readable spreadsheet ({_short(exc)})") from None
    if not sheets:
        raise _fail(path, "the workbook has no sheets")
    return _CalamineWorkbook(path, book, sheets)


ISOLATED_TIMEOUT = 300  # seconds a child may spend reading one workbook


class _IsolatedWorkbook(Workbook):
    def __init__(self, path: Path, sheets: list[SheetInfo], rows: dict[str, list[list[Cell]]]) -> None:
        super().__init__(path, sheets)
        self._rows = rows

    def rows(self, sheet: str) -> list[list[Cell]]:
        """Return every row of the sheet (read, within the limits, by the child process)."""
        return self._rows[sheet]

    def close(self) -> None:
        """Release the rows."""
        self._rows = {}


def _open_isolated(path: Path) -> Workbook:
    """Read an xlsb, xls or ods workbook in a child process under a memory allowance (see isolated.py)."""
    import pickle
    import subprocess
    import sys

    command = [sys.executable, "-m", "workbench.services.importers.isolated", str(path),
               str(MAX_ROWS), str(MAX_COLUMNS), str(MAX_CELLS)]
    try:
        child = subprocess.run(command, capture_output=True, timeout=ISOLATED_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise _fail(path, f"reading took longer than {ISOLATED_TIMEOUT} seconds; refusing it as unsafe") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    if child.returncode != 0 or not child.stdout:
        raise _fail(path, "is too large or too damaged to read safely (reading it needed more memory than allowed)")
    result = pickle.loads(child.stdout)  # our own child's answer: plain cell values, never the file's bytes
    if "error" in result:
        raise _fail(path, result["error"])
    sheets = [SheetInfo(name, index, visible) for index, (name, visible) in enumerate(result["sheets"])]
    if not sheets:
        raise _fail(path, "the workbook has no sheets")
    return _IsolatedWorkbook(path, sheets, result["rows"])


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _fail(path, "claims to be UTF-16 text but is damaged") from None
    if b"\x00" in data[:4096]:
        raise _fail(path, "is not a spreadsheet or a text (CSV) file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff(text: str) -> str:
    """Return the delimiter among , ; tab that splits the first lines most consistently."""
    sample = text[:65536]
    best, best_score = ",", (-1, -1.0)
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            widths = [len(row) for _, row in zip(range(30), reader, strict=False)]
        except csv.Error:
            continue
        widths = widths[:-1] if len(widths) > 1 else widths  # the sample may cut the last row short
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (1 if common > 1 else 0, widths.count(common) / len(widths) * common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(path: Path, size: int) -> Workbook:
    if size > MAX_CSV_BYTES:
        raise _fail(path, f"the text file is larger than {MAX_CSV_BYTES // 2**20} MiB; split it")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    text, encoding = _decode(path, data)
    if "\x00" in text:
        raise _fail(path, "is not a spreadsheet or a text (CSV) file")
    if not text.strip():
        raise _fail(path, "the file is empty")
    delimiter = _sniff(text)
    rows: list[list[Cell]] = []
    try:
        for count, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if count > MAX_ROWS:
                raise _fail(path, f"has more than {MAX_ROWS:,} rows; split the file")
            if len(row) > MAX_COLUMNS:
                row = _trim(row)
                if len(row) > MAX_COLUMNS:
                    raise _fail(path, f"has more than {MAX_COLUMNS:,} columns")
            rows.append(row)
    except csv.Error as exc:
        raise _fail(path, f"is not a well-formed CSV file ({_short(exc)})") from None
    return _CsvWorkbook(path, rows, delimiter, encoding)


def iter_nonempty(rows: list[list[Cell]]) -> Iterator[tuple[int, list[Cell]]]:
    """Yield (1-based row number, cells) for rows with at least one non-blank cell."""
    for number, row in enumerate(rows, start=1):
        if any(not _blank(cell) for cell in row):
            yield number, row


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
