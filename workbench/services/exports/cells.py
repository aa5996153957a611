"""The one place that makes user text safe for spreadsheets: never a formula, always within Excel's limits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
WIDTH_SAMPLE_ROWS = 300
BREAK_WINDOW = 1_000  # a part of a long text ends at the last space or line break in its last this many characters
LONG_TEXT_SHEET = "Long text"
LONG_TEXT_HEADERS = ("Used in", "Part", "Parts", "Text")
LONG_TEXT_WIDTH = 100
# OWASP: a cell beginning with one of these is read as a formula (tab and CR by themselves too; NUL per ASVS).
_FORMULA_START = frozenset("=+-@")
_RISKY_START = frozenset("=+-@\t\r\n\0 ")
# Characters an xlsx cell cannot hold: C0 controls other than tab, LF and CR; lone surrogates; U+FFFE/U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_FITTING = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")  # the above, and CR
_ERROR_CODES = frozenset(ERROR_CODES)


def formula_like(text: str) -> bool:
    """Return True when a spreadsheet could read the text as a formula (OWASP CSV-injection rule)."""
    if not text:
        return False
    first = text[0]
    if first in _FORMULA_START or first in "\t\r\0":
        return True
    return text.lstrip(" \t\r\n")[:1] in _FORMULA_START if first in " \n" else False


def csv_safe(text: str) -> str:
    """Return text for a CSV cell: formula-looking text prefixed with a single quote, as OWASP advises."""
    return "'" + text if formula_like(text) else text


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean_text(text: str) -> tuple[str, list[str]]:
    """Return the text with LF line ends and without characters a cell cannot hold, and why it changed.

    Line ends become LF, the only line break a cell keeps (an XML reader turns a bare CR into LF anyway);
    that alone is not reported.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reasons: list[str] = []
    bad = len(_ILLEGAL.findall(text))
    if bad:
        text = _ILLEGAL.sub("\ufffd", text)
        reasons.append(f"{bad} control character{'s' if bad != 1 else ''} a spreadsheet cannot hold "
                       "replaced with \ufffd")
    return text, reasons


def fit_text(text: str) -> tuple[str, list[str]]:
    """Return the text as ONE xlsx cell can hold it (cut to the limit) and the reasons it had to change.

    The exports do not cut: SheetWriter with a LongTexts keeps a longer text whole on its own sheet.
    """
    text, reasons = clean_text(text)
    if too_long(text):
        total = len(text)
        text = text.encode("utf-16-le")[:MAX_CELL_CHARS * 2].decode("utf-16-le", "ignore")
        reasons.append(f"text of {total:,} characters cut to the first {len(text):,} "
                       f"(a cell holds at most {MAX_CELL_CHARS:,})")
    return text, reasons


def too_long(text: str) -> bool:
    """Return True when the text is longer than one cell holds (counted in UTF-16 code units, as Excel does)."""
    return len(text) > MAX_CELL_CHARS // 2 and (len(text) > MAX_CELL_CHARS or _utf16_length(text) > MAX_CELL_CHARS)


def _part_end(text: str, start: int, room: int) -> int:
    """Return where a part of text beginning at start ends so that it holds at most `room` UTF-16 code units.

    A part ends after a space or line break near its end when there is one, so words stay whole.
    """
    end = min(start + room, len(text))
    over = _utf16_length(text[start:end]) - room
    while over > 0:  # characters beyond U+FFFF count twice: drop half the excess in characters until it fits
        drop = (over + 1) // 2
        over -= _utf16_length(text[end - drop:end])
        end -= drop
    if end < len(text):
        window = max(end - BREAK_WINDOW, start + 1)
        space = max(text.rfind(" ", window, end), text.rfind("\n", window, end))
        if space >= 0:
            end = space + 1
    return end


def split_text(text: str, room: int = MAX_CELL_CHARS) -> list[str]:
    """Return the text as consecutive parts of at most `room` UTF-16 code units each; joined they give it back."""
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = _part_end(text, start, room)
        parts.append(text[start:end])
        start = end
    return parts


@dataclass(frozen=True, slots=True)
class TextNotice:
    """A piece of user text that could not be written as it was: where it went and what was done to it."""

    sheet: str
    cell: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.reason}"


class SheetStyles:
    """Cell styles built once per workbook and copied onto each cell that needs one."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.header = self._template(sheet, font=Font(bold=True, color="FFFFFF"),
                                     fill=PatternFill("solid", fgColor="1F4E78"),
                                     alignment=Alignment(vertical="top", wrap_text=True))
        self.quoted = self._template(sheet, quotePrefix=True)
        self.date = self._template(sheet, number_format=DATE_FORMAT)
        self.datetime = self._template(sheet, number_format=DATETIME_FORMAT)

    @staticmethod
    def _template(sheet: WriteOnlyWorksheet, **style: object) -> Cell:
        cell = Cell(sheet, row=1, column=1)
        for name, value in style.items():
            setattr(cell, name, value)
        return cell


class LongTexts:
    """Texts longer than a cell holds, kept whole on a sheet of their own: one row per part, parts in order.

    The cell the text belongs in shows its beginning and says which rows of that sheet hold the whole text;
    joining the Text cells of those rows gives the text back exactly (line ends as LF). A text used in several
    cells is kept once, its rows naming every cell.
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        taken_names = {name.casefold() for name in taken}
        name, number = LONG_TEXT_SHEET, 1
        while name.casefold() in taken_names:
            number += 1
            name = f"{LONG_TEXT_SHEET} ({number})"
        self.name = name
        self.rows = 0
        self._groups: list[tuple[list[str], list[str]]] = []  # (cells using the text, its parts)
        self._placed: dict[str, tuple[int, int, list[str]]] = {}  # text -> (first row, last row, its cells)

    def place(self, sheet: str, cell: str, text: str) -> tuple[int, int]:
        """Keep a text for the sheet; return the first and last row of its parts there."""
        where = f"{sheet}!{cell}"
        if text in self._placed:
            first, last, cells = self._placed[text]
            cells.append(where)
            return first, last
        parts = split_text(text)
        first, last = self.rows + 2, self.rows + len(parts) + 1  # row 1 is the header
        cells = [where]
        self._groups.append((cells, parts))
        self._placed[text] = (first, last, cells)
        self.rows += len(parts)
        return first, last

    def write(self, workbook: Workbook, styles: SheetStyles | None, notices: list[TextNotice]) -> None:
        """Add the sheet after the others when any text was kept; a workbook without long text gets none."""
        if not self._groups:
            return
        rows = [(", ".join(cells), number, len(parts), part)
                for cells, parts in self._groups for number, part in enumerate(parts, start=1)]
        sheet = workbook.create_sheet(self.name)
        set_table_layout(sheet, LONG_TEXT_HEADERS, rows)
        sheet.column_dimensions[get_column_letter(len(LONG_TEXT_HEADERS))].width = LONG_TEXT_WIDTH
        writer = SheetWriter(sheet, styles or SheetStyles(sheet), notices)
        writer.header(LONG_TEXT_HEADERS)
        for row in rows:
            writer.append(row)


def continued_marker(total: int, sheet: str, first: int, last: int) -> str:
    """Return the words that end a cell showing only the beginning of a long text."""
    return f"\n… [continued: the whole text ({total:,} characters) is in sheet '{sheet}', rows {first} to {last}]"


class SheetWriter:
    """Appends rows to one write-only sheet: text never becomes a formula and oversized text is reported.

    Text longer than a cell holds is kept whole in `long_texts` (the cell shows its beginning and where the
    rest is); without one it is cut to the limit.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, styles: SheetStyles, notices: list[TextNotice],
                 long_texts: LongTexts | None = None) -> None:
        self.sheet, self.styles, self.notices, self.long_texts = sheet, styles, notices, long_texts
        self.row = 0

    def _styled(self, template: Cell, value: object) -> Cell:
        cell = Cell(self.sheet, row=1, column=1, style_array=template._style)
        cell.value = value
        return cell

    def _fitted(self, value: str, column: int) -> str:
        where = f"{get_column_letter(column)}{self.row + 1}"
        value, reasons = clean_text(value)
        if too_long(value):
            if self.long_texts is None:
                value, cut = fit_text(value)
                reasons += cut
            else:
                total = len(value)
                first, last = self.long_texts.place(self.sheet.title, where, value)
                marker = continued_marker(total, self.long_texts.name, first, last)
                value = value[:_part_end(value, 0, MAX_CELL_CHARS - _utf16_length(marker))] + marker
                reasons.append(f"text of {total:,} characters is longer than a cell holds ({MAX_CELL_CHARS:,}): "
                               f"the cell shows its beginning; sheet '{self.long_texts.name}' rows {first} to "
                               f"{last} hold the whole text")
        self.notices.extend(TextNotice(self.sheet.title, where, reason) for reason in reasons)
        return value

    def text(self, value: str, column: int) -> str | Cell | None:
        """Return a text value as it must be appended: plain when harmless, else a quote-prefixed text cell."""
        if not value:
            return None
        if _NEEDS_FITTING.search(value) or len(value) > MAX_CELL_CHARS // 2:
            value = self._fitted(value, column)
        first = value[0]
        if (first in _RISKY_START and formula_like(value)) or (first == "#" and value in _ERROR_CODES):
            cell = Cell(self.sheet, row=1, column=1, style_array=self.styles.quoted._style)
            cell.value = value
            cell.data_type = "s"  # text, whatever it looks like: never a formula or an error value
            return cell
        return value

    def value(self, value: object, column: int) -> object:
        """Return any value as it must be appended (dates as real date cells, text through text())."""
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return self.text(value, column)
        if isinstance(value, datetime):
            return self._styled(self.styles.datetime, value.replace(tzinfo=None) if value.tzinfo else value)
        if isinstance(value, date):
            return self._styled(self.styles.date, value)
        if isinstance(value, time | timedelta):
            return value
        return self.text(str(value), column)

    def header(self, titles: Sequence[str]) -> None:
        """Append the bold, filled header row."""
        cells = []
        for column, title in enumerate(titles, start=1):
            text = self.text(title, column)
            quoted = isinstance(text, Cell)
            cell = self._styled(self.styles.header, text.value if quoted else text)
            cell.data_type = "s"
            if quoted:
                cell.quotePrefix = True
            cells.append(cell)
        self.sheet.append(cells)
        self.row += 1

    def append(self, values: Iterable[object]) -> None:
        """Append one data row."""
        self.sheet.append([self.value(v, column) for column, v in enumerate(values, start=1)])
        self.row += 1


def discard_workbook(workbook: Workbook) -> None:
    """Finish and delete the temporary sheet files of a write-only workbook that will not be saved."""
    for sheet in workbook.worksheets:
        with suppress(Exception):  # the sheet may have failed half-way; only its temporary file matters here
            if not sheet.closed:
                sheet.close()
        writer = getattr(sheet, "_writer", None)
        if writer is not None:
            with suppress(OSError, ValueError):
                writer.cleanup()


def _shown_width(line: str) -> int:
    """Return how many character widths a line takes: wide (East Asian) characters count twice."""
    if line.isascii() or len(line) > MAX_COLUMN_WIDTH * 2:
        return len(line)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def column_widths(titles: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Return a width per column from the header and a sample of the rows, capped so prose wraps."""
    widths = [len(t) + 4 for t in titles]  # room for the autofilter button
    for row in rows[:WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row[:len(widths)]):
            if value is None:
                continue
            if isinstance(value, datetime):
                length = 16
            elif isinstance(value, date):
                length = 10
            else:
                text = value if isinstance(value, str) else str(value)
                length = max(map(_shown_width, text.split("\n"))) if "\n" in text else _shown_width(text)
            if length + 2 > widths[index]:
                widths[index] = length + 2
    return [float(min(max(w, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)) for w in widths]


def set_table_layout(sheet: WriteOnlyWorksheet, titles: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Before any row is written: column widths, frozen header row and an autofilter over header and data."""
    for index, width in enumerate(column_widths(titles, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(titles), 1))}{len(rows) + 1}"
