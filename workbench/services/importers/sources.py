"""Reading a register's table from a file: the likeliest sheet of a workbook for its kind, or a JSON document."""

from __future__ import annotations

from pathlib import Path

from workbench.services.importers.json_rows import is_json, read_document
from workbench.services.importers.kinds import SPECS
from workbench.services.importers.readers import open_workbook
from workbench.services.importers.spec import RegisterSpec
from workbench.services.importers.table import Table, find_table


def read_table(source: Path | str, spec: RegisterSpec, sheet: str | None = None,
               header_row: int | None = None) -> Table:
    """Return the table of this kind in a file: a named or likeliest sheet, or the records of a JSON document."""
    if spec.reader is not None:
        return spec.reader(Path(source)).complete()  # a kind's own reader streams its rows (table_stream.py)
    if is_json(source):
        return read_document(source, spec.json_path, sheet, header_row)
    with open_workbook(source) as workbook:
        return find_table(workbook, spec, sheet, header_row, rivals=SPECS)
