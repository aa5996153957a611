"""Finding the table in a workbook: the sheet that holds a kind of register, and its header row below any titles."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.mapping import (
    foreign_headers,
    guess_mapping,
    label_named,
    normalize_header,
    scorer,
)
from workbench.services.importers.readers import Cell, Workbook
from workbench.services.importers.spec import RegisterSpec

HEADER_SEARCH_ROWS = 40
SAMPLE_ROWS = 200
SIDE_SHEET = re.compile(
    r"\b(cover|dashboard|summary|instructions?|read ?me|about|guide|lists?|picklists?|lookups?|dropdowns?|legend|"
    r"change ?log|record of changes|revisions?|version|history|overview|contents|toc|charts?|stats|statistics|"
    r"settings|config|validation)\b",
    re.IGNORECASE,
)


def is_side_sheet(name: str, spec: RegisterSpec | None = None) -> bool:
    """Return True for a sheet that usually holds no register (cover, dashboard, lists...), unless named for it."""
    if spec is not None and spec.sheet_hint.search(name):
        return False
    return SIDE_SHEET.search(name) is not None


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of one sheet (or JSON document), with where its header is and the header texts (one per column).

    A streamed table (see table_stream.py) holds only its first rows; `more` reads the others, once, batch by batch.
    """

    sheet: str
    header_row: int  # the spreadsheet's own 1-based row number; 0 when the headers are no row (JSON)
    headers: list[str]
    rows: list[list[Cell]]  # every row of the sheet (streamed: the first ones); data starts at index header_row
    document: bool = False  # read from a JSON document: no sheet, rows numbered from 1 as records
    more: Iterator[list[list[Cell]]] | None = dataclass_field(default=None, compare=False, repr=False)

    def data(self) -> list[tuple[int, list[Cell]]]:
        """Return (1-based row number, cells) for every row below the header (a streamed table: see stream())."""
        if self.more is not None:
            raise RuntimeError("a streamed table's rows are read with stream(), or complete() first")
        return [(index + 1, row) for index, row in enumerate(self.rows) if index >= self.header_row]

    def stream(self) -> Iterator[list[tuple[int, list[Cell]]]]:
        """Yield the (1-based row number, cells) of the rows below the header in batches, reading on as needed."""
        first = [(index + 1, row) for index, row in enumerate(self.rows) if index >= self.header_row]
        if first:
            yield first
        number = len(self.rows)
        for batch in self.more or ():
            yield [(number + offset, row) for offset, row in enumerate(batch, start=1)]
            number += len(batch)

    def complete(self) -> Table:
        """Return the table with every row read (itself when it is not streamed)."""
        if self.more is None:
            return self
        rows = list(self.rows)
        for batch in self.more:
            rows.extend(batch)
        return replace(self, rows=rows, more=None)

    def release(self) -> None:
        """Stop reading a streamed table's rows (ending its reading child); nothing for a table read whole."""
        close = getattr(self.more, "close", None)
        if close is not None:
            close()

    @property
    def where(self) -> str:
        """Return how a message names the place the table came from: "sheet 'Controls'" or "the document"."""
        return "the document" if self.document else f"sheet {self.sheet!r}"


def blank(cell: Cell) -> bool:
    """Return True for an empty cell (None, "" or only spaces)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


_IS_STR = str.__instancecheck__


def filled_count(row: Sequence[Cell]) -> int:
    """Return how many cells of the row hold something."""
    count = len(row) - row.count("") - row.count(None)  # counted in C: this runs on every row of every sheet
    if count:
        count -= sum(map(str.isspace, filter(_IS_STR, row)))
    return count


def _numeric(text: str) -> bool:
    return re.fullmatch(r"[-+]?[\d.,%\s]+", text) is not None


def _header_score(spec: RegisterSpec, rows: list[list[Cell]], index: int) -> float:
    filled = [cell for cell in rows[index] if not blank(cell)]
    if len(filled) == 1 and isinstance(filled[0], str):
        # A one-column list (an auditor's selection of keys) has a one-cell header: it must name the key plainly.
        return 3.0 if scorer(spec).score(spec.key, normalize_header(filled[0])) >= 0.9 else -1.0
    if len(filled) < 2:
        return -1.0
    texts = [c for c in filled if isinstance(c, str) and len(c) <= 120 and not _numeric(c)]
    own = scorer(spec)
    normalized = [normalize_header(c) for c in texts]
    known = sum(1 for c, header in zip(texts, normalized, strict=True) if len(c) <= 60 and
                own.names_a_field(header, 0.6))
    following = sum(1 for r in rows[index + 1:index + 6] if filled_count(r) >= 2)
    distinct = len(set(normalized))
    return known * 3 + distinct * 0.5 + following * 0.3 - (len(filled) - len(texts)) * 1.0


def find_header_row(spec: RegisterSpec, rows: list[list[Cell]]) -> int | None:
    """Return the 0-based index of the row most like this kind's header among the first rows, or None."""
    best, best_score = None, 0.0
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        score = _header_score(spec, rows, index)
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


def table_samples(table: Table) -> list[list[Cell]]:
    """Return the sample of each column of a table's data."""
    return samples(table.rows, table.header_row, len(table.headers))


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


def _data_rows(rows: list[list[Cell]], start: int, cap: int) -> int:
    """Return how many rows from index start on hold two or more values, counting no further than cap."""
    found = 0
    for index in range(start, len(rows)):
        if filled_count(rows[index]) >= 2:
            found += 1
            if found >= cap:
                break
    return found


def sheet_score(spec: RegisterSpec, rivals: Sequence[RegisterSpec], name: str, rows: list[list[Cell]],
                header_index: int | None) -> float:
    """Return how likely a sheet holds this kind's register, its header at this index."""
    if header_index is None or header_index >= len(rows):
        return -1.0
    table = table_at(name, rows, header_index)
    mapping = guess_mapping(spec, table.headers, samples(rows, header_index + 1, len(table.headers)))
    data_rows = _data_rows(rows, header_index + 1, cap=2000)
    if data_rows == 0:
        return -1.0
    score = 0.0
    for field, weight in spec.sheet_weights.items():
        if field in mapping:
            named = field != spec.label or label_named(spec, table.headers, mapping)
            score += weight if named else weight * spec.fallback_credit
    score += 3 * len(mapping) + data_rows / 200
    if spec.sheet_hint.search(name):
        score += 4
    elif spec.sheet_avoid is not None and spec.sheet_avoid.search(name):
        score -= 4
    # Another kind's telling columns (a control register's title, frequency or nature) mark its sheet.
    return score - 6 * foreign_headers(spec, rivals, table.headers)


def _sheet_named(workbook: Workbook, sheet: str) -> str:
    names = [s.name for s in workbook.sheets]
    chosen = next((n for n in names if n == sheet), None) or next(
        (n for n in names if n.casefold() == sheet.strip().casefold()), None)
    if chosen is None:
        raise WorkbenchError(str(workbook.path), f"has no sheet named {sheet!r} "
                                                 f"(sheets: {', '.join(map(repr, names))})")
    return chosen


def candidate_sheets(workbook: Workbook, spec: RegisterSpec, sheet: str | None) -> list[str]:
    """Return the sheets that may hold the table: the one named, else the visible ones that are no side sheets."""
    if sheet is not None:
        return [_sheet_named(workbook, sheet)]
    visible = [s.name for s in workbook.sheets if s.visible]
    return [n for n in visible if not is_side_sheet(n, spec)] or visible or [s.name for s in workbook.sheets]


def checked_header(source: str, name: str, rows: list[list[Cell]], header_row: int | None,
                   index: int | None) -> int:
    """Return the header row's index, or raise WorkbenchError when the named row is blank or none was found."""
    if header_row is not None and (header_row > len(rows) or filled_count(rows[header_row - 1]) == 0):
        raise WorkbenchError(source, f"row {header_row} of sheet {name!r} is empty or missing; it cannot be "
                                     "the header row")
    if index is None:
        raise WorkbenchError(source, f"no header row found in sheet {name!r}; name it with --header-row")
    return index


def find_table(workbook: Workbook, spec: RegisterSpec, sheet: str | None = None, header_row: int | None = None,
               rivals: Sequence[RegisterSpec] = ()) -> Table:
    """Return the table to import: the named sheet or the likeliest one of this kind, at the given or found header."""
    source = str(workbook.path)
    if header_row is not None and header_row < 1:
        raise WorkbenchError(source, f"{header_row} is not a row number; rows start at 1")
    candidates = candidate_sheets(workbook, spec, sheet)
    best: tuple[float, str, int | None] | None = None
    for name in candidates:
        rows = workbook.rows(name)
        index = find_header_row(spec, rows) if header_row is None else header_row - 1
        score = 0.0 if len(candidates) == 1 else sheet_score(spec, rivals, name, rows, index)
        if best is None or score > best[0]:
            best = (score, name, index)
    assert best is not None
    _, name, index = best
    rows = workbook.rows(name)
    if not any(filled_count(r) for r in rows):
        raise WorkbenchError(source, f"sheet {name!r} is empty")
    index = checked_header(source, name, rows, header_row, index)
    table = table_at(name, rows, index)
    if not any(filled_count(r) for r in rows[index + 1:]):
        raise WorkbenchError(source, f"sheet {name!r} has headers but no data rows below row {index + 1}")
    return table
