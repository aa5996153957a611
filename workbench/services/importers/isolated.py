"""Reading xlsb, xls and ods workbooks in a child process with a memory allowance.

python-calamine loads these formats whole and sizes its cell grid from what the file claims, so a forged file
can ask for gigabytes before any check of ours could run. The child reads the workbook under an address-space
limit and hands back plain rows; if the file asks for too much, only the child dies.

Run as `python -m workbench.services.importers.isolated PATH MAX_ROWS MAX_COLUMNS MAX_CELLS`; prints a pickle.
"""

from __future__ import annotations

import pickle
import sys
from typing import Any

MEMORY_ALLOWANCE = 2 * 1024**3  # bytes of address space for the child, interpreter included


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the row and cell limits below still apply
        return
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_ALLOWANCE, MEMORY_ALLOWANCE))


def read_all(path: str, max_rows: int, max_columns: int, max_cells: int) -> dict[str, Any]:
    """Return {"sheets": [(name, visible)], "rows": {name: rows}} or {"error": why} for one workbook."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
    except python_calamine.PasswordError:
        return {"error": "the workbook is password-protected; save an unprotected copy and import that"}
    except Exception as exc:  # CalamineError, XmlError, format mismatches
        return {"error": f"is not a readable spreadsheet ({' '.join(str(exc).split())[:160]})"}
    sheets = [(str(m.name), m.visible == python_calamine.SheetVisibleEnum.Visible) for m in book.sheets_metadata]
    rows: dict[str, list[list[Any]]] = {}
    for name, _visible in sheets:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as exc:
            return {"error": f"sheet {name!r} cannot be read: the file is damaged ({' '.join(str(exc).split())[:160]})"}
        if sheet.total_height > max_rows:
            return {"error": f"sheet {name!r} has more than {max_rows:,} rows; split the file"}
        if sheet.total_width > max_columns:
            return {"error": f"sheet {name!r} has more than {max_columns:,} columns"}
        if sheet.total_height * sheet.total_width > max_cells:
            return {"error": f"sheet {name!r} spans {sheet.total_height:,} rows by {sheet.total_width:,} columns; "
                             "too large to read"}
        rows[name] = sheet.to_python(skip_empty_area=False)
    return {"sheets": sheets, "rows": rows}


def main(argv: list[str]) -> int:
    """Read the workbook named in argv under the memory allowance and print the pickled result."""
    _limit_memory()
    path, max_rows, max_columns, max_cells = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    result = read_all(path, max_rows, max_columns, max_cells)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
