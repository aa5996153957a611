"""Finding the table in a workbook: the sheet that holds the register, and its header row below any titles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.mapping import best_field, guess_mapping, normalize_header
from workbench.services.importers.readers import Cell, Workbook

HEADER_SEARCH_ROWS = 40
SAMPLE_ROWS = 200
SIDE_SHEET = re.compile(
    r"\b(cover|dashboard|summary|instructions?|read ?me|about|guide|lists?|lookups?|dropdowns?|legend|"
    r"change ?log|record of changes|revisions?|version|history|overview|contents|toc|charts?|stats|statistics|"
    r"settings|config)\b",
    re.IGNORECASE,
)


def is_side_sheet(name: str) -> bool:
    """Return True for a sheet that usually holds no register (cover, dashboard, lists, instructions...)."""
    return SIDE_SHEET.search(name) is not None


_REGISTER_SHEET = re.compile(r"(control|register|matrix|library|inventory|catalog|mapping)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of one sheet, with where its header is and the header texts (one per column)."""

    sheet: str
    header_row: int  # the spreadsheet's own 1-based row number
    headers: list[str]
    rows: list[list[Cell]]  # every row of the sheet; data starts at index header_row

    def data(self) -> list[tuple[int, list[Cell]]]:
        """Return (1-based row number, cells) for every row below the header."""
        return [(index + 1, row) for index, row in enumerate(self.rows) if index >= self.header_row]


def blank(cell: Cell) -> bool:
    """Return True for an empty cell (None, "" or only spaces)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def filled_count(row: Sequence[Cell]) -> int:
    """Return how many cells of the row hold something."""
    count = len(row) - row.count("") - row.count(None)  # counted in C: this runs on every row of every sheet
    if count:
        count -= sum(1 for cell in row if cell.__class__ is str and cell.isspace())
    return count


def _header_score(rows: list[list[Cell]], index: int) -> float:
    row = rows[index]
    filled = [cell for cell in row if not blank(cell)]
    if len(filled) < 2:
        return -1.0
    texts = [c for c in filled if isinstance(c, str) and len(c) <= 120 and not _numeric(c)]
    known = sum(1 for c in texts if len(c) <= 60 and best_field(normalize_header(c)) >= 0.6)
    following = sum(1 for r in rows[index + 1:index + 6] if filled_count(r) >= 2)
    distinct = len({normalize_header(c) for c in texts})
    return known * 3 + distinct * 0.5 + following * 0.3 - (len(filled) - len(texts)) * 1.0


def _numeric(text: str) -> bool:
    return re.fullmatch(r"[-+]?[\d.,%\s]+", text) is not None


def find_header_row(rows: list[list[Cell]]) -> int | None:
    """Return the 0-based index of the row most like a header among the first rows, or None."""
    best, best_score = None, 0.0
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        score = _header_score(rows, index)
        if score > best_score:
            best, best_score = index, score
    return best


def headers_of(row: Sequence[Cell], width: int) -> list[str]:
    """Return the header texts of a row, padded to width; a blank header is named by its column letter."""
    headers: list[str] = []
    for index in range(width):
        cell = row[index] if index < len(row) else None
        text = "" if blank(cell) else str(cell).strip()
        headers.append(text or f"Column {column_letter(index)}")
    return headers


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def samples(rows: list[list[Cell]], start: int, width: int) -> list[list[Cell]]:
    """Return up to SAMPLE_ROWS data values per column, from row index start on."""
    columns: list[list[Cell]] = [[] for _ in range(width)]
    taken = 0
    for row in rows[start:]:
        if filled_count(row) < 2:
            continue
        for index in range(min(width, len(row))):
            columns[index].append(row[index])
        taken += 1
        if taken >= SAMPLE_ROWS:
            break
    return columns


def _width(rows: list[list[Cell]], header_index: int) -> int:
    header = rows[header_index]
    width = len(header)
    while width and blank(header[width - 1]):
        width -= 1
    data_width = max((len(r) for r in rows[header_index + 1:header_index + 1 + SAMPLE_ROWS]), default=0)
    return max(width, min(data_width, width + 5)) if width else data_width


def table_at(sheet: str, rows: list[list[Cell]], header_index: int) -> Table:
    """Return the table of a sheet whose header sits at this 0-based row index."""
    width = _width(rows, header_index)
    return Table(sheet, header_index + 1, headers_of(rows[header_index], width), rows)


def _sheet_score(name: str, rows: list[list[Cell]]) -> tuple[float, int | None]:
    header_index = find_header_row(rows)
    if header_index is None:
        return -1.0, None
    table = table_at(name, rows, header_index)
    mapping = guess_mapping(table.headers, samples(rows, header_index + 1, len(table.headers)))
    data_rows = _data_rows(rows, header_index + 1, cap=2000)
    if data_rows == 0:
        return -1.0, header_index
    score = (10 if "ref" in mapping else 0) + (10 if "title" in mapping else 0) + (15 if "criteria" in mapping else 0)
    score += 3 * len(mapping) + min(data_rows, 2000) / 200
    if _REGISTER_SHEET.search(name):
        score += 4
    return score, header_index


def _data_rows(rows: list[list[Cell]], start: int, cap: int) -> int:
    """Return how many rows from index start on hold two or more values, counting no further than cap."""
    found = 0
    for index in range(start, len(rows)):
        if filled_count(rows[index]) >= 2:
            found += 1
            if found >= cap:
                break
    return found


def find_table(workbook: Workbook, sheet: str | None = None, header_row: int | None = None) -> Table:
    """Return the table to import: the named sheet or the likeliest register, at the given or found header row."""
    source = str(workbook.path)
    if header_row is not None and header_row < 1:
        raise WorkbenchError(source, f"{header_row} is not a row number; rows start at 1")
    names = [s.name for s in workbook.sheets]
    if sheet is not None:
        chosen = next((n for n in names if n == sheet), None) or next(
            (n for n in names if n.casefold() == sheet.strip().casefold()), None)
        if chosen is None:
            raise WorkbenchError(source, f"has no sheet named {sheet!r} (sheets: {', '.join(map(repr, names))})")
        candidates = [chosen]
    else:
        visible = [s.name for s in workbook.sheets if s.visible]
        main = [n for n in visible if not SIDE_SHEET.search(n)]
        candidates = main or visible or names
    best: tuple[float, str, int | None] | None = None
    for name in candidates:
        rows = workbook.rows(name)
        if header_row is not None:
            score, index = (0.0, header_row - 1)
        else:
            score, index = _sheet_score(name, rows)
        if best is None or score > best[0]:
            best = (score, name, index)
        if len(candidates) == 1:
            break
    assert best is not None
    _, name, index = best
    rows = workbook.rows(name)
    if not any(filled_count(r) for r in rows):
        raise WorkbenchError(source, f"sheet {name!r} is empty")
    if header_row is not None:
        if not 1 <= header_row <= len(rows) or filled_count(rows[header_row - 1]) == 0:
            raise WorkbenchError(source, f"row {header_row} of sheet {name!r} is empty or missing; it cannot be "
                                         "the header row")
        index = header_row - 1
    if index is None:
        raise WorkbenchError(source, f"no header row found in sheet {name!r}; name it with --header-row")
    table = table_at(name, rows, index)
    if not any(filled_count(r) for r in rows[index + 1:]):
        raise WorkbenchError(source, f"sheet {name!r} has headers but no data rows below row {index + 1}")
    return table
