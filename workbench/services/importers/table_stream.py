"""Finding a register's table without reading the whole sheet first: its head is read, the rest streams on.

The table a streamed import gets holds the rows up to its header and enough below it for the header, the column
widths and the column samples to be found as from the whole sheet; its `more` reads the other rows in batches,
once, and ends the reading child when done. Among several candidate sheets, each is judged by its first HEAD_ROWS
rows (the whole sheet when shorter), then the chosen one is streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.json_rows import is_json, read_document, read_json_table
from workbench.services.importers.kinds import SPECS
from workbench.services.importers.readers import Cell, Workbook, open_workbook
from workbench.services.importers.spec import RegisterSpec
from workbench.services.importers.table import (
    SAMPLE_ROWS,
    Table,
    candidate_sheets,
    checked_header,
    filled_count,
    find_header_row,
    sheet_score,
    table_at,
)

HEAD_ROWS = 5_000  # rows of each of several candidate sheets read to choose among them


class _Head:
    """A sheet's rows read so far, and a way to read on (batch by batch) when a check needs a row further down."""

    def __init__(self, rows: list[list[Cell]], more: Iterator[list[list[Cell]]] | None) -> None:
        self.rows = rows
        self.more = more

    def _pull(self) -> bool:
        if self.more is None:
            return False
        batch = next(self.more, None)
        if batch is None:
            self.more = None
            return False
        self.rows.extend(batch)
        return True

    def reach(self, count: int) -> None:
        """Read on until `count` rows are read or the sheet ends."""
        while len(self.rows) < count and self._pull():
            pass

    def find(self, start: int, wanted: Callable[[list[Cell]], bool], count: int = 1) -> bool:
        """Read on until `count` rows from index `start` on are `wanted`; return whether they were found."""
        found, index = 0, start
        while True:
            while index < len(self.rows):
                if wanted(self.rows[index]):
                    found += 1
                    if found >= count:
                        return True
                index += 1
            if not self._pull():
                return False


def _filled(row: list[Cell]) -> bool:
    return filled_count(row) > 0


def _sample(row: list[Cell]) -> bool:
    return filled_count(row) >= 2


def _closing(batches: Iterator[list[list[Cell]]] | None, workbook: Workbook) -> Iterator[list[list[Cell]]]:
    """Yield the remaining batches, then end the workbook's reading child (also when the import stops early)."""
    try:
        if batches is not None:
            yield from batches
    finally:
        workbook.close()


def _chosen(workbook: Workbook, spec: RegisterSpec, candidates: Sequence[str], header_row: int | None,
            rivals: Sequence[RegisterSpec]) -> tuple[str, _Head]:
    """Return the likeliest candidate sheet of this kind and its head, judged by each one's first rows."""
    if len(candidates) == 1:
        return candidates[0], _Head([], workbook.iter_rows(candidates[0]))
    best: tuple[float, str, list[list[Cell]]] | None = None
    for name in candidates:
        rows = workbook.head(name, HEAD_ROWS)
        index = find_header_row(spec, rows) if header_row is None else header_row - 1
        score = sheet_score(spec, rivals, name, rows, index)
        if best is None or score > best[0]:
            best = (score, name, rows)
    assert best is not None
    _, name, rows = best
    if len(rows) < HEAD_ROWS:  # read whole already
        return name, _Head(rows, None)
    return name, _Head([], workbook.iter_rows(name))


def find_streamed_table(workbook: Workbook, spec: RegisterSpec, sheet: str | None = None,
                        header_row: int | None = None, rivals: Sequence[RegisterSpec] = ()) -> Table:
    """Return the table to import as find_table does, reading only the head of the sheet; the rest streams on."""
    source = str(workbook.path)
    if header_row is not None and header_row < 1:
        raise WorkbenchError(source, f"{header_row} is not a row number; rows start at 1")
    name, head = _chosen(workbook, spec, candidate_sheets(workbook, spec, sheet), header_row, rivals)
    head.reach(HEAD_ROWS if header_row is None else max(HEAD_ROWS, header_row))
    rows = head.rows
    index = find_header_row(spec, rows) if header_row is None else header_row - 1
    if not head.find(0, _filled):
        raise WorkbenchError(source, f"sheet {name!r} is empty")
    index = checked_header(source, name, rows, header_row, index)
    head.reach(index + 1 + SAMPLE_ROWS)  # what the column widths look at
    if not head.find(index + 1, _filled):
        raise WorkbenchError(source, f"sheet {name!r} has headers but no data rows below row {index + 1}")
    head.find(index + 1, _sample, SAMPLE_ROWS)  # what the column samples take
    table = table_at(name, rows, index)
    return Table(table.sheet, table.header_row, table.headers, rows, more=_closing(head.more, workbook))


def streams(spec: RegisterSpec) -> bool:
    """Return True for a kind whose records can be written as they are planned (its records adapter says so)."""
    return bool(getattr(spec.records, "streams", False))


def reread_rows(source: Path | str, spec: RegisterSpec, table: Table, numbers: set[int]) -> dict[int, list[Cell]]:
    """Return the rows of these 1-based numbers of a table's file, read again (to quote a row already let go).

    Raise WorkbenchError when the file no longer has the table where it was (it changed while it was imported).
    """
    if table.document:
        again = read_json_table(source, spec.json_path)
        return {number: again.rows[number - 1] for number in numbers if number <= len(again.rows)}
    again = stream_table(source, spec, table.sheet, table.header_row)
    try:
        if again.headers != table.headers:
            raise WorkbenchError(str(source), "changed while it was being imported; nothing was imported: "
                                              "import it again")
        found: dict[int, list[Cell]] = {}
        for batch in again.stream():
            found.update((number, row) for number, row in batch if number in numbers)
            if len(found) == len(numbers):
                break
        return found
    finally:
        again.release()


def stream_table(source: Path | str, spec: RegisterSpec, sheet: str | None = None,
                 header_row: int | None = None) -> Table:
    """Return the table of this kind in a file, streamed (a JSON document is read whole); see read_table."""
    if spec.reader is not None:
        return spec.reader(Path(source))
    if is_json(source):
        return read_document(source, spec.json_path, sheet, header_row)
    workbook = open_workbook(source)
    try:
        return find_streamed_table(workbook, spec, sheet, header_row, rivals=SPECS)
    except BaseException:
        workbook.close()
        raise
