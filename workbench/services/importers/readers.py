"""Reading spreadsheets (xlsx, xlsm, xlsb, xls, ods through python-calamine; CSV) into rows of cell values.

Workbooks are read in a child process (isolated.py) that runs under a memory allowance and measures each sheet's real
structure before reading it (where the allowance is enforced, an xlsx is first read unmeasured, and measured only
when that child refuses it or dies before its first rows); rows come back in batches. Whatever a file does to that
child, the caller gets one ImportFileError naming the file. CSV is read here, as text, under the same limits.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import pickle
import stat
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from workbench.domain.errors import WorkbenchError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
from workbench.services.importers import forked, isolated

MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_CELLS = 4_000_000  # rows x columns of a sheet's used area: the reader allocates ~32 bytes for each
MAX_GRID = isolated.MAX_GRID  # rows x columns as callers see a sheet (an ods's runs of empty rows cost nothing)
MAX_CELL_CHARS = isolated.MAX_CELL_CHARS
MAX_SHEET_BYTES = isolated.MAX_SHEET_BYTES  # what one sheet's rows may cost us, as Python objects
CHILD_MEMORY = isolated.MEMORY_ALLOWANCE  # address space of the reading child; with us, well under 500 MB
READ_BUDGET = isolated.READ_BUDGET  # what the child's scan lets calamine spend on one sheet, within CHILD_MEMORY
BATCH_ROWS = isolated.BATCH_ROWS
MAX_CSV_BYTES = 256 * 1024 * 1024
ISOLATED_TIMEOUT = 120  # seconds the reading child may take over one answer (the sheets, or one batch of rows)
END_GRACE = 2.0  # seconds a child told to end (its pipes closed) has to go before it is killed
CHILD_MODULE = "workbench.services.importers.isolated"
READ_UNMEASURED = True  # let the first child read an xlsx unmeasured where its memory allowance is enforced

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xla", ".xlam"})
_ZIP_MAGIC = b"PK"
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
    """An open spreadsheet file: its sheets, and the rows of any of them.

    Rows are lists of cell values ("" for an empty cell); treat them as read-only: equal empty rows may be one list.
    """

    def __init__(self, path: Path, sheets: list[SheetInfo]) -> None:
        self.path = path
        self.sheets = sheets
        self._cache: dict[str, list[list[Cell]]] = {}

    def iter_rows(self, sheet: str) -> Iterator[list[list[Cell]]]:
        """Yield the sheet's rows in batches, top to bottom."""
        raise TypeError(f"{type(self).__name__} must define iter_rows()")

    def rows(self, sheet: str) -> list[list[Cell]]:
        """Return every row of the sheet (the last sheet asked for is kept)."""
        cached = self._cache.get(sheet)
        if cached is not None:
            return cached
        self._cache = {}  # one sheet at a time: memory stays bounded by the largest sheet
        rows: list[list[Cell]] = []
        for batch in self.iter_rows(sheet):
            rows.extend(batch)
        self._cache = {sheet: rows}
        return rows

    def head(self, sheet: str, limit: int) -> list[list[Cell]]:
        """Return the sheet's first `limit` rows (every row of a shorter sheet)."""
        cached = self._cache.get(sheet)
        if cached is not None:
            return cached[:limit]
        rows: list[list[Cell]] = []
        for batch in self.iter_rows(sheet):
            rows.extend(batch)
            if len(rows) >= limit:
                break
        return rows[:limit]

    def sheet_height(self, sheet: str) -> int:
        """Return how many rows the sheet holds."""
        return len(self.rows(sheet))

    def close(self) -> None:
        """Release the file."""
        self._cache = {}

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _shown(path: Path) -> str:
    """Return the path as a message shows it: control characters (a line break in a name) escaped."""
    text = str(path)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _fail(path: Path, why: str) -> ImportFileError:
    return ImportFileError(_shown(path), why)


def _short(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:160]


def _batched(rows: list[list[Cell]]) -> Iterator[list[list[Cell]]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start:start + BATCH_ROWS]


def _limits() -> tuple[int, ...]:
    """Return the limits in the order isolated.Limits takes them (read at call time: tests lower them)."""
    return (MAX_ROWS, MAX_COLUMNS, MAX_CELLS, CHILD_MEMORY, MAX_CELL_CHARS, MAX_SHEET_BYTES, BATCH_ROWS, MAX_GRID,
            READ_BUDGET)


# -- the reading child ----------------------------------------------------------------------------------------------

class _Watch:
    """When the parent waits on the child, and whether the wait ran out (shared with the watching thread)."""

    __slots__ = ("deadline", "expired", "stopped")

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.expired = False
        self.stopped = threading.Event()


def _watch(process: subprocess.Popen[bytes] | forked.ForkedChild, watch: _Watch) -> None:
    """Kill the child when the parent has waited on one answer for longer than ISOLATED_TIMEOUT."""
    while not watch.stopped.wait(0.25):
        deadline = watch.deadline
        if deadline is not None and time.monotonic() > deadline:
            watch.expired = True
            with contextlib.suppress(OSError):
                process.kill()
            return


def _end(process: subprocess.Popen[bytes] | forked.ForkedChild, watch: _Watch) -> None:
    """End and reap the child, closing our ends of its pipes (idempotent; also run when forgotten).

    With its pipes closed the child finishes at once (cleaning up after itself); one that does not is killed.
    """
    watch.stopped.set()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            if stream is not None:
                stream.close()
    try:
        process.wait(timeout=END_GRACE)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            process.wait(timeout=10)


PIPE_BYTES = 2**20  # what the child may write ahead of us: a few batches of rows, read while we plan others


def _widen(stream: IO[bytes] | None) -> None:
    """Let the child write a few batches ahead into its pipe (Linux; elsewhere the pipe keeps its size)."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if stream is None or setting is None:
        return
    with contextlib.suppress(OSError):  # above the system's limit for unprivileged pipes: keep the default
        fcntl.fcntl(stream.fileno(), setting, PIPE_BYTES)


class _Child:
    """One reading child: requests go in on its stdin, pickled answers come back on its stdout."""

    def __init__(self, path: Path, measure: bool = True, *, fork: bool = False) -> None:
        self.path = path
        self.measure = measure
        limits = (*_limits(), int(measure))
        # In the bundle, sys.executable is the program itself, whose launcher runs `-m CHILD_MODULE` (packaging/).
        command = [sys.executable, "-m", CHILD_MODULE, str(path), *map(str, limits)]
        try:
            if fork and forked.can_fork(CHILD_MEMORY):  # the command line's first step: reading starts sooner
                self.process: subprocess.Popen[bytes] | forked.ForkedChild = forked.ForkedChild(str(path), limits)
            else:
                self.process = subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except OSError as exc:
            raise _fail(path, f"cannot start the spreadsheet reader ({exc.strerror or exc})") from None
        _widen(self.process.stdout)
        self.watch = _Watch()
        self._finalizer = weakref.finalize(self, _end, self.process, self.watch)
        threading.Thread(target=_watch, args=(self.process, self.watch), name="spreadsheet reader watch",
                         daemon=True).start()

    def send(self, message: tuple[Any, ...]) -> None:
        """Pass a request to the child."""
        stdin = self.process.stdin
        assert stdin is not None
        try:
            pickle.dump(message, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.flush()
        except OSError:
            raise self.failure() from None

    def receive(self) -> tuple[Any, ...]:
        """Return the child's next answer; raise ImportFileError when the child ended instead of answering."""
        self.watch.deadline = time.monotonic() + ISOLATED_TIMEOUT
        try:
            message = pickle.load(self.process.stdout)  # type: ignore[arg-type]  # our own child's plain values
        except Exception:  # end of file or a cut-off pickle: the child was killed or crashed
            raise self.failure() from None
        finally:
            self.watch.deadline = None
        if not isinstance(message, tuple) or len(message) != 2:
            raise self.failure()
        return message

    def failure(self) -> ImportFileError:
        """End the child; return the error that says why reading stopped."""
        self.stop()
        if self.watch.expired:
            return _fail(self.path, f"is too large or too damaged to read safely (reading took longer than "
                                    f"{ISOLATED_TIMEOUT} seconds)")
        return _fail(self.path, "is too large or too damaged to read safely (the reader stopped: it needed more "
                                f"than its {CHILD_MEMORY / 2**20:,.0f} MiB of memory, or the file broke it)")

    def stop(self) -> None:
        """Kill and reap the child."""
        self._finalizer()


_EARLY: dict[str, _Child] = {}  # reading children started before their workbook was opened (start_reading)
_WORKBOOK_SUFFIXES = frozenset((".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"))


def start_reading(path: Path | str, *, fork: bool = False) -> None:
    """Start the reading child of a workbook now, so that it opens and parses the file while the program loads.

    open_workbook() of the same path takes that child. Anything amiss (not a workbook, unreadable) is left for
    open_workbook to find and report; a child nobody takes is ended when the program ends. `fork`: fork the child
    where that is sound (forked.py), as the command line does before anything else.
    """
    path = Path(path)
    key = os.path.abspath(path)
    if key in _EARLY or path.suffix.lower() not in _WORKBOOK_SUFFIXES:
        return
    try:
        # Non-blocking, as open_workbook opens it: a named pipe must not hang us.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode) or \
                    not os.read(descriptor, 8).startswith((_ZIP_MAGIC, _OLE_MAGIC)):
                return
        finally:
            os.close(descriptor)
        _EARLY[key] = _Child(path, not READ_UNMEASURED, fork=fork)
    except (OSError, WorkbenchError):
        return


def _child_for(path: Path, measure: bool) -> _Child:
    """Return the child started early for this path (when it reads as asked), else a new one."""
    early = _EARLY.pop(os.path.abspath(path), None)
    if early is not None and early.measure == measure:
        return early
    if early is not None:
        early.stop()
    return _Child(path, measure)


class _ChildWorkbook(Workbook):
    """A workbook read by a child process, one sheet at a time.

    The first child reads unmeasured where the system enforces its memory allowance (see isolated.py); once one
    refuses the file or dies before a sheet's first rows, every later child measures first, and its answer stands.
    """

    def __init__(self, path: Path) -> None:
        self._child: _Child | None = None
        self._reading: object | None = None  # the sheet being streamed, until its last batch
        self._measure = not READ_UNMEASURED
        super().__init__(path, [])
        names = self._start()
        self.sheets = [SheetInfo(name, index, visible) for index, (name, visible) in enumerate(names)]

    def _measured_again(self, child: _Child) -> bool:
        """Return True when an unmeasured child failed, and so a measuring one should be asked (this one is ended)."""
        if self._measure or child.watch.expired:  # a measuring child's answer stands; a slow file stays stopped
            return False
        child.stop()
        self._measure = True
        return True

    def _start(self) -> list[tuple[str, bool]]:
        child = _child_for(self.path, self._measure)
        try:
            kind, payload = child.receive()
        except ImportFileError:
            if self._measured_again(child):
                return self._start()
            raise
        if kind == "error":
            if self._measured_again(child):
                return self._start()
            child.stop()
            raise _fail(self.path, payload)
        if kind == "bug":
            child.stop()
            raise RuntimeError(f"the spreadsheet reader failed on {self.path}:\n{payload}")
        if kind != "sheets":
            raise child.failure()
        self._child = child
        return payload

    def head(self, sheet: str, limit: int) -> list[list[Cell]]:
        """Return the sheet's first `limit` rows; the child reads no further (and the next read starts afresh)."""
        cached = self._cache.get(sheet)
        if cached is not None:
            return cached[:limit]
        rows: list[list[Cell]] = []
        for batch in self.iter_rows(sheet, limit):
            rows.extend(batch)
        return rows

    def iter_rows(self, sheet: str, limit: int | None = None) -> Iterator[list[list[Cell]]]:
        """Yield the sheet's rows in batches as the child reads them (with a limit, only that many rows)."""
        cached = self._cache.get(sheet)
        if cached is not None:
            yield from _batched(cached if limit is None else cached[:limit])
            return
        if sheet not in {info.name for info in self.sheets}:
            raise _fail(self.path, f"has no sheet named {sheet!r}")
        if self._reading is not None:  # another sheet left half read, its iterator still alive: start afresh
            self._drop()
        if self._child is None:  # closed, or dropped after a sheet was left half read
            self._start()
        child = self._child
        assert child is not None
        reading = self._reading = object()
        finished = False
        request = ("read", sheet) if limit is None else ("read", sheet, limit)
        sent = 0  # batches handed on
        try:
            child.send(request)
            while True:
                if self._reading is not reading:
                    raise RuntimeError(f"{self.path}: another sheet was read before this one was finished")
                try:
                    kind, payload = child.receive()
                except ImportFileError:
                    if sent or not self._measured_again(child):
                        raise
                    kind, payload = "again", None
                if kind == "error" and not sent and self._measured_again(child):
                    kind = "again"
                if kind == "again":  # ask a measuring child, whose answer stands
                    self._child = None
                    self._start()
                    child = self._child
                    assert child is not None
                    child.send(request)
                elif kind == "rows":
                    sent += 1
                    yield payload
                elif kind == "end":
                    finished = True
                    return
                elif kind == "error":
                    finished = True
                    raise _fail(self.path, payload)
                elif kind == "bug":
                    raise RuntimeError(f"the spreadsheet reader failed on {self.path}:\n{payload}")
                else:
                    raise child.failure()
        finally:
            if self._reading is reading:
                self._reading = None
                if not finished:  # the child is mid-answer (or gone): start afresh next time
                    self._drop()

    def _drop(self) -> None:
        child, self._child, self._reading = self._child, None, None
        if child is not None:
            child.stop()

    def close(self) -> None:
        """End the reading child and release the rows."""
        super().close()
        self._drop()


# -- CSV ------------------------------------------------------------------------------------------------------------

class _CsvWorkbook(Workbook):
    """A text file as a one-sheet workbook: its rows kept when it is small, else read again each time they are read."""

    def __init__(self, path: Path, rows: list[list[Cell]] | None, delimiter: str, encoding: str,
                 strict: bool = True) -> None:
        super().__init__(path, [SheetInfo(path.stem or path.name, 0, True)])
        self._rows = rows
        self.delimiter = delimiter
        self.encoding = encoding
        self.strict = strict

    def iter_rows(self, sheet: str) -> Iterator[list[list[Cell]]]:
        """Yield the file's rows in batches."""
        if self._rows is not None:
            yield from _batched(self._rows)
            return
        handle = _reopen(self.path)
        with handle:
            try:
                yield from _parsed(self.path, handle, self.encoding, self.delimiter, self.strict)
            except _NotStrict:  # it read strictly before: it changed since
                raise _fail(self.path, "changed while it was being read") from None

    def rows(self, sheet: str) -> list[list[Cell]]:
        """Return every row of the file."""
        return self._rows if self._rows is not None else super().rows(sheet)


_CHUNK = 1024 * 1024
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


def _utf16_without_bom(sample: bytes) -> str | None:
    """Return "utf-16-le" or "utf-16-be" when NUL bytes fill alternate positions, as in UTF-16 text; else None."""
    odd, even = sample[1::2], sample[0::2]
    pairs = len(odd)
    if pairs < 2:
        return None
    zeros_odd, zeros_even = odd.count(0), even.count(0)
    if zeros_odd >= pairs * 0.3 and zeros_even <= zeros_odd * 0.02:
        return "utf-16-le"
    if zeros_even >= pairs * 0.3 and zeros_odd <= zeros_even * 0.02:
        return "utf-16-be"
    return None


def _encoding(path: Path, handle: IO[bytes], sample: bytes) -> str:
    """Return how the text is encoded, reading it once; refuse NUL bytes and binary data, naming where they are."""
    if sample.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in sample and (guess := _utf16_without_bom(sample[: len(sample) // 2 * 2])) is not None:
        encoding = guess
    else:
        if b"\x00" in sample:
            controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
            if controls > len(sample) // 10:
                raise _fail(path, "is not a spreadsheet or a text (CSV) file: it holds binary data "
                                  f"(NUL and other control bytes from line {sample[:sample.find(0)].count(10) + 1})")
        return _eight_bit(path, handle)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace" if encoding == "utf-8-sig" else "strict")
    handle.seek(0)
    line = 1
    try:
        while chunk := handle.read(_CHUNK):
            text = decoder.decode(chunk)
            if "\x00" in text:
                line += text[: text.find("\x00")].count("\n")
                raise _fail(path, f"is a text file with a NUL character in it (line {line:,}); save it again as "
                                  "CSV from the program that made it")
            line += text.count("\n")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        what = "UTF-16 text without a byte-order mark" if encoding.startswith("utf-16-") else "UTF-16 text"
        raise _fail(path, f"looks like {what} but is damaged near line {line:,} ({exc.reason})") from None
    return encoding


def _eight_bit(path: Path, handle: IO[bytes]) -> str:
    """Return utf-8 when the whole file is valid UTF-8, else cp1252 or latin-1; refuse a NUL byte, saying where."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = cp1252 = True
    handle.seek(0)
    line = 1
    while chunk := handle.read(_CHUNK):
        nul = chunk.find(0)
        if nul >= 0:
            line += chunk[:nul].count(10)
            raise _fail(path, f"is a text file with a NUL byte in it (line {line:,}); save it again as CSV from "
                              "the program that made it")
        line += chunk.count(10)
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if cp1252:  # from the first chunk on: valid UTF-8 may hold bytes cp1252 does not define
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                cp1252 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return "cp1252" if cp1252 else "latin-1"


def _sniff(text: str) -> str:
    """Return the delimiter among , ; tab that splits the first lines most consistently."""
    best, best_score = ",", (-1, -1.0)
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            # A blank line is no row under any delimiter, so it says nothing about which one splits the file.
            widths = [len(row) for _, row in zip(range(30), (row for row in reader if row), strict=False)]
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


def _trim(row: list[Cell]) -> list[Cell]:
    end = len(row)
    while end and row[end - 1] in ("", None):
        end -= 1
    return row[:end]


def _csv_rows(path: Path, reader: Any, ended: list[int]) -> Iterator[list[Cell]]:
    """Yield the reader's rows within the row and column limits; `ended` keeps the line the last row ended on."""
    for count, row in enumerate(reader, start=1):
        ended[0] = reader.line_num
        if count > MAX_ROWS:
            raise _fail(path, f"has more than {MAX_ROWS:,} rows; split the file")
        if len(row) > MAX_COLUMNS:
            row = _trim(row)
            if len(row) > MAX_COLUMNS:
                raise _fail(path, f"has more than {MAX_COLUMNS:,} columns")
        yield row


class _NotStrict(Exception):
    """A stray quote that only a lenient reading of the file gets past."""


CSV_KEPT_BYTES = 8 * 2**20  # a text file up to this size keeps its rows; a larger one is read again when its rows are


def _parsed(path: Path, handle: IO[bytes], encoding: str, delimiter: str, strict: bool) -> Iterator[list[list[Cell]]]:
    """Yield a text file's rows in batches within the limits; raise ImportFileError saying why it cannot be read.

    Read strictly, a stray quote raises _NotStrict (read it again leniently); a file cut off inside a quoted cell
    is refused either way.
    """
    limits = isolated.Limits(*_limits())
    errors = "replace" if encoding == "utf-8-sig" else "strict"
    handle.seek(0)
    stream = io.TextIOWrapper(handle, encoding=encoding, errors=errors, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=strict)
    ended = [0]
    try:
        yield from isolated.batches(None, _csv_rows(path, reader, ended), limits)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise _fail(path, f"is cut off: it ends inside a quoted cell that opens in the row starting on line "
                              f"{ended[0] + 1:,}") from None
        if strict:
            raise _NotStrict from None
        raise _fail(path, f"is not a well-formed CSV file ({_short(exc)})") from None
    except UnicodeDecodeError as exc:
        raise _fail(path, f"is not valid {encoding} text ({exc.reason})") from None
    except isolated.Refused as exc:
        raise _fail(path, str(exc)) from None
    finally:
        stream.detach()  # the caller closes the file


def _open_csv(path: Path, handle: IO[bytes], size: int, limit: int) -> Workbook:
    if size > limit:
        raise _fail(path, f"the text file is larger than {limit // 2**20} MiB; split it")
    handle.seek(0)
    head = handle.read(65536)
    encoding = _encoding(path, handle, head)
    sample = head.decode(encoding, errors="ignore")  # the sample may end inside a character
    if not sample.strip() and size <= len(head):
        raise _fail(path, "the file is empty")
    delimiter = _sniff(sample)
    keep = size <= CSV_KEPT_BYTES
    for strict in (True, False):
        # Strict first, to notice a file cut off inside a quoted cell; lenient again for other stray quotes. The
        # whole file is read either way (every limit checked now); a large one's rows are not kept but read again.
        rows: list[list[Cell]] | None = [] if keep else None
        try:
            for batch in _parsed(path, handle, encoding, delimiter, strict):
                if rows is not None:
                    rows.extend(batch)
        except _NotStrict:
            continue
        return _CsvWorkbook(path, rows, delimiter, encoding, strict)
    raise AssertionError("a lenient reading raises no _NotStrict")


def _reopen(path: Path) -> IO[bytes]:
    """Open a text file again to read its rows once more, as open_workbook opened it (never blocking on a pipe)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _fail(path, "changed while it was being read (it is no longer a regular file)")
    return os.fdopen(descriptor, "rb")


# -- opening --------------------------------------------------------------------------------------------------------

def open_workbook(path: Path | str, text_limit: int = MAX_CSV_BYTES) -> Workbook:
    """Open a spreadsheet or CSV file for reading; raise ImportFileError saying why it cannot be used.

    A text file (CSV) is read as a stream, so its size limit is the caller's: a security tool's report may be larger.
    """
    path = Path(path)
    try:
        # Non-blocking, so a named pipe cannot hang us before we see what it is.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _fail(path, "the file does not exist") from None
    except IsADirectoryError:
        raise _fail(path, "is a folder, not a spreadsheet") from None
    except OSError as exc:
        if path.is_dir():
            raise _fail(path, "is a folder, not a spreadsheet") from None
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise _fail(path, "is a folder, not a spreadsheet")
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "is not a regular file (a pipe or a device); save the data to a file and import that")
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        if info.st_size == 0:
            raise _fail(path, "the file is empty")
        try:
            head = handle.read(8)
        except OSError as exc:
            raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
        suffix = path.suffix.lower()
        if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            return _ChildWorkbook(path)
        if suffix in SPREADSHEET_SUFFIXES:
            if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods", ".xlam"):
                raise _fail(path, "is not a spreadsheet (not a zip-based workbook; damaged or renamed?)")
            raise _fail(path, "is not a spreadsheet (no Excel signature; damaged or renamed?)")
        try:
            return _open_csv(path, handle, info.st_size, text_limit)
        except OSError as exc:
            raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
