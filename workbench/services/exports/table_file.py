"""One table written as a spreadsheet (xlsx) or CSV: every text made safe (cells.py), the file replaced whole.

An xlsx also carries the audit-trail chain head, when given, on a last "About" sheet and in its Comments property.
A CSV stays a bare table (headers, then rows) that imports again unchanged, so it carries no chain head.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.import_values import cell_text
from workbench.services.exports.output import Progress, Steps, atomic_output

if TYPE_CHECKING:
    from workbench.services.exports.cells import TextNotice
    from workbench.services.exports.chain_head import ChainHead

ROWS_PER_STEP = 50


def _csv_value(value: object) -> str:
    from workbench.services.exports.cells import csv_safe

    if isinstance(value, str):
        return csv_safe(value)
    return cell_text(value)


def _write_csv(path: Path, headers: list[str], rows: list[list[object]], steps: Steps) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_csv_value(h) for h in headers])
        for index, row in enumerate(rows, start=1):
            writer.writerow([_csv_value(v) for v in row])
            if index % ROWS_PER_STEP == 0:
                steps.advance()


def _write_xlsx(path: Path, sheet_name: str, headers: list[str], rows: list[list[object]], steps: Steps,
                notices: list[TextNotice], chain: ChainHead | None) -> None:
    # openpyxl is imported only when writing, so that importing a request list does not pay for it.
    from openpyxl import Workbook

    from workbench.services.exports.cells import (
        LongTexts,
        SheetStyles,
        SheetWriter,
        discard_workbook,
        set_table_layout,
    )

    workbook = Workbook(write_only=True)
    title = "".join("_" if ch in "\\/?*[]:" else ch for ch in sheet_name).strip("'")[:31].strip() or "Sheet1"
    try:
        sheet = workbook.create_sheet(title)
        set_table_layout(sheet, headers, rows)
        styles = SheetStyles(sheet)
        long_texts = LongTexts([title])
        writer = SheetWriter(sheet, styles, notices, long_texts)
        writer.header(headers)
        for index, row in enumerate(rows, start=1):
            writer.append(row)
            if index % ROWS_PER_STEP == 0:
                steps.advance()
        long_texts.write(workbook, styles, notices)
        if chain is not None:
            from workbench.services.exports.chain_head import write_about_sheet

            write_about_sheet(workbook, styles, chain.rows())
            workbook.properties.description = chain.line
        workbook.save(path)
    except BaseException:
        discard_workbook(workbook)
        raise


def write_table_file(destination: Path | str, sheet_name: str, headers: list[str], rows: list[list[object]],
                     progress: Progress | None = None, notices: list[TextNotice] | None = None,
                     chain: ChainHead | None = None) -> Path:
    """Write headers and rows as xlsx (or CSV for a .csv name), replacing the file only once complete.

    An xlsx given the audit-trail `chain` head shows it on an "About" sheet after the table and in its properties.
    Text an xlsx cell cannot hold as it is gets fitted and reported into `notices` when a list is given; text
    longer than a cell holds is kept whole on a "Long text" sheet, the cell showing its beginning.
    """
    destination = Path(destination)
    steps = Steps(destination, len(rows) // ROWS_PER_STEP + 1, progress)
    with atomic_output(destination) as temporary:
        if destination.suffix.lower() == ".csv":
            _write_csv(temporary, headers, rows, steps)
        else:
            _write_xlsx(temporary, sheet_name, headers, rows, steps, notices if notices is not None else [], chain)
        steps.advance()
    return destination
