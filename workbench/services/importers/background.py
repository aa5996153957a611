"""Reading a spreadsheet on a thread of its own while the rest of the program loads.

python-calamine parses without holding the GIL, so a command that starts the read first and imports the
storage layer meanwhile pays for the two only once. This module imports no storage code on purpose.
"""

from __future__ import annotations

import threading
from pathlib import Path

from workbench.services.importers.sources import read_table
from workbench.services.importers.spec import RegisterSpec
from workbench.services.importers.table import Table
from workbench.services.importers.table_stream import stream_table, streams


class TableReader:
    """Opens a file and finds the table of a kind in the background; `table()` waits for the answer."""

    def __init__(self, source: Path | str, spec: RegisterSpec, sheet: str | None = None,
                 header_row: int | None = None) -> None:
        self._source, self._spec, self._sheet, self._header_row = Path(source), spec, sheet, header_row
        self._table: Table | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="spreadsheet reader", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            read = stream_table if streams(self._spec) else read_table  # a streamed table's head only: see stream.py
            self._table = read(self._source, self._spec, self._sheet, self._header_row)
        except BaseException as exc:  # handed to the caller, who reports it as if it had read the file itself
            self._error = exc

    def table(self) -> Table:
        """Return the table found, or raise what reading the file raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._table is not None
        return self._table
