"""Reading a workbook (xlsx, xlsm, xlsb, xls, ods) in a child process with a memory allowance.

python-calamine sizes its cell grid from what the file claims, so a forged file can ask for gigabytes. The child
first measures every sheet from the file's real XML structure (sheet_scan), refuses what is past the limits, and
only then lets calamine read, under an address-space limit: if the file still asks for too much, only the child
dies, and the parent reports it as one clear error.

Where that limit is enforced (Linux), the parent may ask the child to let calamine read an xlsx's sheets without
measuring them first (MEASURE 0): the limit alone keeps a forged grid from costing more than the allowance, and
measuring a large sheet costs about as much as reading it. Whenever such a child refuses the file or dies before
it sent a sheet's first rows, the parent asks a measuring child again, whose answer (the scan's own words) stands.

Run as `python -m workbench.services.importers.isolated PATH ROWS COLUMNS CELLS [MEMORY CHARS SHEET_BYTES BATCH
GRID BUDGET [MEASURE]]` (see Limits). It writes a stream of pickles on stdout: first ("sheets", [(name, visible)]) or
("error", why); then, for each ("read", sheet) pickled on stdin (or ("read", sheet, n) for its first n rows),
("rows", [row, ...]) batches ending with ("end", count) or ("error", why). ("bug", traceback) reports a failure of
its own. It exits when stdin ends.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, BinaryIO, NamedTuple

from workbench.services.importers import sheet_scan

MEMORY_ALLOWANCE = 320 * 2**20  # bytes of address space for the child, interpreter included
MAX_CELL_CHARS = 32_767  # what a spreadsheet program accepts in one cell
MAX_SHEET_BYTES = 96 * 2**20  # what one sheet's rows may cost the caller as Python objects (200,000 rows: ~75)
BATCH_ROWS = 2_000
MAX_GRID = 12_000_000
MAX_UNCOMPRESSED = 512 * 2**20  # what a zip-based workbook may declare, all parts together
MAX_ZIP_MEMBERS = 10_000
READ_BUDGET = MEMORY_ALLOWANCE - 96 * 2**20  # what the scan lets calamine spend on one sheet; the rest is for
# the interpreter, calamine itself and the shared strings
# What calamine spends per cell of a sheet's grid and per filled cell (measured with python-calamine 0.9.1).
XLSX_COSTS = (32, 64)
ODS_COSTS = (64, 96)
_ZIP_MAGIC = b"PK"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PASSWORD = "the workbook is password-protected; save an unprotected copy and import that"


class Refused(Exception):
    """The workbook cannot be read; the message says why (the parent adds the file's name)."""


class Limits(NamedTuple):
    """What the child reads at most."""

    rows: int
    columns: int
    cells: int  # of the grid calamine allocates for a sheet
    memory: int = MEMORY_ALLOWANCE
    chars: int = MAX_CELL_CHARS
    sheet_bytes: int = MAX_SHEET_BYTES
    batch: int = BATCH_ROWS
    grid: int = MAX_GRID  # cells of a sheet as the caller sees it (an ods's runs of empty rows included)
    budget: int = READ_BUDGET  # bytes calamine may spend reading one sheet, as the scan estimates them
    measure: int = 1  # 0: an xlsx's sheets are read unmeasured, the memory limit guarding (where it is enforced)


class CellTooLong(Refused):
    """A cell holds more characters than a spreadsheet cell may (counted as they count them, in UTF-16 units)."""

    def __init__(self, sheet: str | None, row: int, column: int, text: str, limit: int) -> None:
        where = f" of sheet {sheet!r}" if sheet is not None else ""
        units = utf16_length(text)
        size = f"{len(text):,} characters" + (f", {units:,} as spreadsheet programs count them"
                                              if units != len(text) else "")
        super().__init__(f"the cell at row {row:,}, column {column_letters(column)}{where} is too long ({size}; "
                         f"the limit is {limit:,}, what spreadsheet programs accept)")


def utf16_length(text: str) -> int:
    """Return the text's length in UTF-16 code units, as spreadsheet programs count a cell's characters."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def column_letters(number: int) -> str:
    """Return the letters of a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _short(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:160]


def limit_memory(allowance: int) -> bool:
    """Lower this process's address-space limit to the allowance (where the system has such limits).

    Return True when the limit is set on a system known to enforce it (Linux).
    """
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the structural limits still apply
        return False
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            allowance = min(allowance, hard)
        resource.setrlimit(resource.RLIMIT_AS, (allowance, allowance))
    except (ValueError, OSError):  # a system that will not lower it (macOS may not enforce it either)
        return False
    with contextlib.suppress(ValueError, OSError):  # a reader stopped by the limit leaves no core file behind
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    return sys.platform.startswith("linux")


# -- checking the container and measuring the sheets -------------------------------------------------------------

class Measured(NamedTuple):
    """What measuring a zip-based workbook found: whether it was measured, and the ods gaps to squeeze out."""

    measured: bool
    gaps: dict[str, tuple[tuple[int, int, int, int], ...]]  # sheet -> (row, count, start, end) of its empty runs
    bounded: Mapping[str, str] = MappingProxyType({})  # sheet -> part taken at its quick bound (see scan_xlsx)


def check_zip(path: str, limits: Limits) -> Measured:
    """Refuse an unsafe or foreign zip, or sheets past the limits, before calamine reads any part.

    An xlsb's binary records are not measured (the memory allowance and the limits checked after reading guard
    it), nor an xlsx's sheets when `limits.measure` is 0 (see the module's docstring). An ods whose runs of empty
    rows would make it too large to read comes back with those runs as gaps.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise Refused(f"the workbook holds {len(members):,} parts; refusing it as unsafe")
            declared = sum(member.file_size for member in members)
            if declared > MAX_UNCOMPRESSED:
                raise Refused(f"the workbook would unpack to {declared / 2**20:,.0f} MiB "
                              f"(limit {MAX_UNCOMPRESSED / 2**20:,.0f} MiB); refusing it as unsafe")
            if any(member.flag_bits & 0x1 for member in members):
                raise Refused(_PASSWORD)
            names = {member.filename for member in members}
            if not ({"[Content_Types].xml", "mimetype"} & names):
                raise Refused("is a zip archive but not a spreadsheet")
            if "content.xml" in names and "xl/workbook.xml" not in names:
                extents, costs = sheet_scan.scan_ods(archive), ODS_COSTS
            elif "xl/workbook.bin" in names:
                return Measured(False, {})
            elif not limits.measure:
                sheet_scan.sheet_parts(archive)  # what its relationships name is still checked
                return Measured(False, {})
            else:
                costs = XLSX_COSTS
                extents = sheet_scan.scan_xlsx(archive, lambda bound: fits(bound, limits, costs))
    except zipfile.BadZipFile:
        raise Refused("is damaged or truncated (not a complete zip archive)") from None
    except sheet_scan.ScanRefused as exc:
        text = str(exc)
        raise Refused(text if "unsafe" in text else f"is damaged ({text})") from None
    except (Refused, MemoryError):
        raise
    except Exception as exc:  # zlib, struct and OS errors from a damaged archive
        raise Refused(f"is damaged or truncated ({_short(exc)})") from None
    squeeze = {}
    for extent in extents:
        if check_extent(extent, limits, costs):
            squeeze[extent.sheet or ""] = extent.gaps
    bounded = {extent.sheet: extent.part for extent in extents if not extent.exact and extent.sheet is not None}
    return Measured(True, squeeze, bounded)


def fits(extent: sheet_scan.SheetExtent, limits: Limits, costs: tuple[int, int]) -> bool:
    """Return True when a sheet of this extent passes check_extent without squeezing."""
    try:
        return not check_extent(extent, limits, costs)
    except Refused:
        return False


def explain_damage(path: str, part: str) -> str | None:
    """Return why the scan refuses a part the reader could not read (a quick bound let it through), or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet_scan.scan_worksheet(archive, part)
    except sheet_scan.ScanRefused as exc:
        text = str(exc)
        return text if "unsafe" in text else f"is damaged ({text})"
    except Exception:  # the archive itself: the reader's own message says enough
        return None
    return None


def check_extent(extent: sheet_scan.SheetExtent, limits: Limits, costs: tuple[int, int]) -> bool:
    """Refuse a sheet whose measured size is past the row, column or cell limits or the memory budget.

    Return True when the sheet fits only with its gaps (runs of empty rows) squeezed out.
    """
    label = extent.label
    if extent.rows > limits.rows:
        raise Refused(f"{label} reaches row {extent.rows:,}, more than the {limits.rows:,} rows we read; "
                      "too large to read")
    if extent.columns > limits.columns:
        raise Refused(f"{label} reaches column {column_letters(min(extent.columns, 10**6))} ({extent.columns:,} "
                      f"columns), more than the {limits.columns:,} columns we read")
    if extent.rows * extent.columns > limits.grid:
        refuse_size(extent, limits)
    for squeezed in (False, True):
        rows = extent.rows - extent.gap_rows if squeezed else extent.rows
        if rows * extent.columns <= limits.cells and \
                sheet_scan.estimated_bytes(extent, *costs, squeezed=squeezed) <= limits.budget:
            return squeezed
    refuse_size(extent, limits)
    return False


def refuse_size(extent: sheet_scan.SheetExtent, limits: Limits) -> None:
    """Raise Refused for a sheet too large to read, naming what makes it so."""
    if extent.repeated_row >= 1000 and extent.repeated_row * 2 >= extent.rows:
        raise Refused(f"{extent.label} repeats a filled row {extent.repeated_row:,} times (from row "
                      f"{extent.repeated_at:,}); too large to read safely: delete the repeated rows")
    raise Refused(f"{extent.label} spans {extent.rows:,} rows by {extent.columns:,} columns "
                  f"({extent.filled:,} filled cells); too large to read safely: split it")


def check_ole(path: str) -> None:
    """A password-protected xlsx is an OLE container with an EncryptedPackage stream; refuse it plainly."""
    with open(path, "rb") as handle:
        start = handle.read(1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in start or b"EncryptionInfo" in start or \
            "EncryptionInfo".encode("utf-16-le") in start:
        raise Refused(_PASSWORD)


# -- reading ---------------------------------------------------------------------------------------------------------

class Reader:
    """One open workbook in the child: its sheets, and their rows in batches."""

    _prepared: tuple[str, Any] | None = None  # a sheet parsed before it was asked for (see prepare)

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.gaps: dict[str, list[tuple[int, int]]] = {}  # sheet -> (row, count): empty rows put back while reading
        with open(path, "rb") as handle:
            head = handle.read(8)
        measured = Measured(False, {})
        if head.startswith(_ZIP_MAGIC):
            measured = check_zip(path, limits)
        elif head.startswith(_OLE_MAGIC):
            check_ole(path)
        import python_calamine

        self.bounded = measured.bounded
        self._copy: str | None = self._squeezed(measured.gaps) if measured.gaps else None
        try:
            self.book = python_calamine.CalamineWorkbook.from_path(self._copy or path)
            self.sheets = [(str(meta.name), meta.visible == python_calamine.SheetVisibleEnum.Visible)
                           for meta in self.book.sheets_metadata]
        except python_calamine.PasswordError:
            raise Refused(_PASSWORD) from None
        except Exception as exc:  # XmlError (entities refused), ZipError, CalamineError and format mismatches
            raise Refused(f"is not a readable spreadsheet ({_short(exc)})") from None
        finally:
            self._remove_copy()  # calamine has read an ods whole by now (where the system lets us remove it)
        if not self.sheets:
            raise Refused("the workbook has no sheets")

    def _remove_copy(self) -> None:
        if self._copy is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._copy)
                self._copy = None

    def close(self) -> None:
        """Release the workbook and the squeezed copy, if any."""
        with contextlib.suppress(Exception):  # closing a book calamine could not fully open
            self.book.close()
        self._remove_copy()

    def _squeezed(self, gaps: dict[str, tuple[tuple[int, int, int, int], ...]]) -> str:
        """Write a copy of the ods without the gaps' rows (calamine would allocate every cell of them)."""
        import tempfile

        spans = [(start, end) for runs in gaps.values() for _row, _count, start, end in runs]
        for sheet, runs in gaps.items():
            self.gaps[sheet] = [(row, count) for row, count, _start, _end in runs]
        handle, target = tempfile.mkstemp(suffix=".ods", prefix="workbench-")
        os.close(handle)
        try:
            with zipfile.ZipFile(self.path) as source, zipfile.ZipFile(target, "w") as copy:
                sheet_scan.without_gaps(source, copy, spans)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
        return target

    def _damage(self, name: str) -> str | None:
        """Return the scan's words for a sheet calamine could not read, when only its quick bound was taken."""
        part = self.bounded.get(name)
        return None if part is None else explain_damage(self.path, part)

    def prepare(self, name: str) -> None:
        """Parse a sheet before it is asked for: the parent, still loading, asks for the only sheet there is."""
        try:
            self._prepared = (name, self.book.get_sheet_by_name(name))
        except (Exception, MemoryError):  # asked for, the sheet is parsed again and its failure reported then
            self._prepared = None

    def batches(self, name: str) -> Iterator[list[list[Any]]]:
        """Yield the sheet's rows in batches; raise Refused past the limits (a cell too long, too much to keep)."""
        limits = self.limits
        prepared, self._prepared = self._prepared, None
        try:
            sheet = prepared[1] if prepared is not None and prepared[0] == name else self.book.get_sheet_by_name(name)
        except Exception as exc:  # calamine reports damaged parts with a variety of exceptions
            raise Refused(self._damage(name) or f"sheet {name!r} cannot be read: the file is damaged "
                                                f"({_short(exc)})") from None
        start, end = sheet.start, sheet.end
        if start is None or end is None:
            return
        height, width = end[0] + 1, end[1] + 1
        if height > limits.rows:
            raise Refused(f"sheet {name!r} has more than {limits.rows:,} rows; too large to read")
        if width > limits.columns:
            raise Refused(f"sheet {name!r} has more than {limits.columns:,} columns")
        if height * width > limits.cells:
            raise Refused(f"sheet {name!r} spans {height:,} rows by {width:,} columns; too large to read safely: "
                          "split it")
        rows: Iterator[list[Any]] = sheet.iter_rows()
        if start[1]:  # calamine's rows start at the first used column; ours at column A
            pad = [""] * start[1]
            rows = (pad + row for row in rows)
        gaps = self.gaps.get(name)
        if gaps:
            rows = _put_back(rows, gaps)
        try:
            yield from batches(name, rows, limits)
        except (Refused, MemoryError, OSError):
            raise
        except Exception as exc:  # calamine's errors (a value it cannot convert), met as its rows are read
            raise Refused(f"sheet {name!r} cannot be read: the file is damaged ({_short(exc)})") from None


def _put_back(rows: Iterator[list[Any]], gaps: list[tuple[int, int]]) -> Iterator[list[Any]]:
    """Yield the rows with each gap's empty rows back in its place (gaps lie between rows, so one follows each)."""
    pending = sorted(gaps)
    index = 0  # the row number (0-based) the next row has in the original sheet
    for row in rows:
        while pending and pending[0][0] == index:
            _row, count = pending.pop(0)
            blank = [""] * len(row)
            for _ in range(count):
                yield blank
            index += count
        yield row
        index += 1


def batches(name: str | None, rows: Iterable[list[Any]], limits: Limits) -> Iterator[list[list[Any]]]:
    """Group rows into batches, sharing equal strings and empty rows within a batch (the caller gets one object).

    `name` is the sheet's, for messages (None for a CSV file). Raise Refused for a cell longer than the limit, or
    when the rows would cost the caller more than it keeps.
    """
    chars, budget, size = limits.chars, limits.sheet_bytes, limits.batch
    batch: list[list[Any]] = []
    shared: dict[str, str] = {}
    empty: dict[int, list[Any]] = {}
    cost = 0
    known_string = shared.get
    for number, row in enumerate(rows, start=1):
        width = len(row)
        if row.count("") == width:
            same = empty.get(width)
            if same is None:
                same = empty[width] = row
                cost += 64 + 8 * width
            batch.append(same)
            cost += 8
        else:
            cost += 64 + 8 * width
            for index, value in enumerate(row):
                if value.__class__ is str:
                    if value:
                        known = known_string(value)
                        if known is None:
                            length = len(value)
                            if length > chars // 2 and utf16_length(value) > chars:
                                raise CellTooLong(name, number, index + 1, value, chars)
                            shared[value] = value
                            cost += 56 + length
                        else:
                            row[index] = known
                else:
                    cost += 32
            batch.append(row)
        if cost > budget:
            subject = f"sheet {name!r}" if name is not None else "the file"
            raise Refused(f"{subject} holds more than we keep in memory at once (over "
                          f"{budget / 2**20:,.0f} MiB of cell values by row {number:,}); split it")
        if len(batch) >= size:
            yield batch
            batch, shared, empty = [], {}, {}
            known_string = shared.get
    if batch:
        yield batch


# -- the conversation with the parent -------------------------------------------------------------------------------

def _streams() -> tuple[BinaryIO, BinaryIO]:
    # A windowed program may start without sys.stdin/sys.stdout even when its parent gives it pipes.
    stdin = sys.stdin.buffer if sys.stdin is not None else open(0, "rb", closefd=False)  # noqa: SIM115
    stdout = sys.stdout.buffer if sys.stdout is not None else open(1, "wb", closefd=False)  # noqa: SIM115
    return stdin, stdout


def serve(path: str, limits: Limits, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Open the workbook, say which sheets it has, then answer each request for a sheet's rows until stdin ends."""
    def send(message: tuple[Any, ...]) -> None:
        pickle.dump(message, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()

    try:
        reader = Reader(path, limits)
    except Refused as exc:
        send(("error", str(exc)))
        return
    except MemoryError:
        send(("error", _too_large(limits)))
        return
    except OSError as exc:
        send(("error", f"cannot be read ({exc.strerror or exc})"))
        return
    except Exception:  # a bug of ours, not the file's doing: the parent raises it as one
        send(("bug", _traceback()))
        return
    try:
        send(("sheets", reader.sheets))
        if len(reader.sheets) == 1:  # the only sheet is the one the parent will ask for: parse it meanwhile
            reader.prepare(reader.sheets[0][0])
        while True:
            try:
                request = pickle.load(stdin)
            except EOFError:
                return
            kind, name = request[0], request[1]
            limit = request[2] if len(request) > 2 else None  # ("read", sheet, n): only its first n rows
            if kind != "read":
                return
            count = 0
            try:
                for batch in reader.batches(name):
                    if limit is not None and count + len(batch) >= limit:
                        send(("rows", batch[:limit - count]))
                        count = limit
                        break
                    count += len(batch)
                    send(("rows", batch))
            except Refused as exc:
                send(("error", str(exc)))
                continue
            except MemoryError:
                send(("error", _too_large(limits)))
                return
            except OSError:
                raise  # the parent went away
            except Exception:
                send(("bug", _traceback()))
                return
            send(("end", count))
    finally:
        reader.close()


def _traceback() -> str:
    import traceback  # only for our own failures: the child starts faster without it

    return traceback.format_exc()


def _too_large(limits: Limits) -> str:
    return f"is too large to read safely (reading it needed more than {limits.memory / 2**20:,.0f} MiB)"


def serve_with_limits(path: str, numbers: list[int], stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Read the workbook under the memory allowance the limits name (Limits' order), answering over these streams."""
    limits = Limits(*numbers)
    if not limit_memory(limits.memory):  # nothing else stops a forged grid: measure every sheet first
        limits = limits._replace(measure=1)
    with contextlib.suppress(BrokenPipeError):  # the parent closed the workbook mid-sheet
        serve(path, limits, stdin, stdout)


def main(argv: list[str]) -> int:
    """Read the workbook named in argv under the memory allowance, talking pickles over stdin and stdout."""
    stdin, stdout = _streams()
    serve_with_limits(argv[0], [int(value) for value in argv[1:]], stdin, stdout)
    return 0


if __name__ == "__main__":
    main(sys.argv[1:])
    with contextlib.suppress(OSError, AttributeError):  # a windowed program may have no sys.stdout
        sys.stdout.flush()
    os._exit(0)  # everything is sent and cleaned up: the parent waits for us, so skip the interpreter's teardown
