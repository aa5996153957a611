"""Peak memory of reading hostile workbooks, the caller and the reading child together, stays well under 500 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services.test_reader_hostile import _cell, _ods, _row, inline, xlsx
from workbench.services.importers.readers import CHILD_MEMORY

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; ru_maxrss is in KiB on Linux")

BUDGET = 500 * 2**20

# Runs in a process of its own, so the figures are this read's alone: the peak resident size of its own memory
# (VmHWM: ru_maxrss would count what the test process held when it started this one) and the reaped child's.
READ = """
import json, resource, sys
from workbench.services.importers.readers import ImportFileError, open_workbook
outcome, count = "read", 0
try:
    with open_workbook(sys.argv[1]) as book:
        for sheet in book.sheets:
            count += len(book.rows(sheet.name))
except ImportFileError as exc:
    outcome = str(exc)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"outcome": outcome, "rows": count, "parent": peak * 1024,
                  "child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


def _measure(path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, timeout=120,
                          check=True)
    figures = json.loads(done.stdout)
    parent, child = figures["parent"], figures["child"]
    assert isinstance(parent, int) and isinstance(child, int)
    assert parent + child < BUDGET, figures
    assert child <= CHILD_MEMORY, figures
    return figures


def test_900000_repeated_empty_rows_in_an_ods_read_in_little_memory(tmp_path: Path) -> None:
    header = ["Control ID", "Title", "TSC", *(f"Extra {i}" for i in range(4, 13))]
    gap = ('<table:table-row table:number-rows-repeated="900000"><table:table-cell '
           'table:number-columns-repeated="12"/></table:table-row>')
    path = _ods(tmp_path / "gap.ods", {"Controls": _row(*header) + _row("AC-1", "One", "CC6.1") + gap
                                       + _row("AC-3", "Three", "CC8.1")})
    figures = _measure(path)
    assert figures["outcome"] == "read" and figures["rows"] == 900_003
    assert figures["parent"] + figures["child"] < 250 * 2**20, figures  # type: ignore[operator]


def test_a_filled_row_repeated_900000_times_is_refused_before_it_is_read(tmp_path: Path) -> None:
    repeated = '<table:table-row table:number-rows-repeated="900000">' + _cell("x") + _cell("y") + "</table:table-row>"
    figures = _measure(_ods(tmp_path / "repeat.ods", {"Controls": _row("ID", "Title") + repeated}))
    assert "repeats a filled row" in str(figures["outcome"])
    assert figures["child"] < 100 * 2**20, figures  # type: ignore[operator]


def test_a_far_cell_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "far.xlsx", "<row r='1048576'>" + inline("XFD1048576", "z").replace('"', "'") + "</row>")
    figures = _measure(path)
    assert "reaches row 1,048,576" in str(figures["outcome"])
    assert figures["child"] < 100 * 2**20, figures  # type: ignore[operator]


def test_a_far_cell_within_the_limits_is_read_within_the_budget(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "far.xlsx", '<row r="999999">' + inline("D999999", "z") + "</row>")
    figures = _measure(path)
    assert figures["outcome"] == "read" and figures["rows"] == 999_999
