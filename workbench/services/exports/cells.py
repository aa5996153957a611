"""The one place that makes user text safe for spreadsheets: never a formula, always within Excel's limits."""

from __future__ import annotations

import re
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


def fit_text(text: str) -> tuple[str, list[str]]:
    """Return the text as an xlsx cell can hold it and the reasons it had to change (empty when it did not).

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
    if len(text) > MAX_CELL_CHARS // 2 and _utf16_length(text) > MAX_CELL_CHARS:
        total = len(text)
        text = text.encode("utf-16-le")[:MAX_CELL_CHARS * 2].decode("utf-16-le", "ignore")
        reasons.append(f"text of {total:,} characters cut to the first {len(text):,} "
                       f"(a cell holds at most {MAX_CELL_CHARS:,})")
    return text, reasons


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


class SheetWriter:
    """Appends rows to one write-only sheet: text never becomes a formula and oversized text is reported."""

    def __init__(self, sheet: WriteOnlyWorksheet, styles: SheetStyles, notices: list[TextNotice]) -> None:
        self.sheet, self.styles, self.notices = sheet, styles, notices
        self.row = 0

    def _styled(self, template: Cell, value: object) -> Cell:
        cell = Cell(self.sheet, row=1, column=1, style_array=template._style)
        cell.value = value
        return cell

    def text(self, value: str, column: int) -> str | Cell | None:
        """Return a text value as it must be appended: plain when harmless, else a quote-prefixed text cell."""
        if not value:
            return None
        if _NEEDS_FITTING.search(value) or len(value) > MAX_CELL_CHARS // 2:
            value, reasons = fit_text(value)
            where = f"{get_column_letter(column)}{self.row + 1}"
            self.notices.extend(TextNotice(self.sheet.title, where, reason) for reason in reasons)
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
                length = max(map(len, text.split("\n"))) if "\n" in text else len(text)
            if length + 2 > widths[index]:
                widths[index] = length + 2
    return [float(min(max(w, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)) for w in widths]


def set_table_layout(sheet: WriteOnlyWorksheet, titles: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Before any row is written: column widths, frozen header row and an autofilter over header and data."""
    for index, width in enumerate(column_widths(titles, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(titles), 1))}{len(rows) + 1}"
