"""A workbook's reading child may be started before the workbook is opened (readers.start_reading, as the import
command does while the program loads): opening the same file then reads through that child, with the same rows;
anything that is not a workbook starts nothing, and a named pipe never hangs the start."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from workbench.services.importers import readers
from workbench.services.importers.readers import open_workbook


def _register(path: Path, sheets: tuple[str, ...] = ("Controls",)) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        sheet.append(["Control ID", "Title"])
        for number in range(1, 3001):
            sheet.append([f"{name[:2].upper()}-{number}", f"{name} control {number}"])
    book.save(path)
    return path


def _rows(path: Path, sheet: str) -> list[list[object]]:
    workbook = open_workbook(path)
    try:
        return [row for batch in workbook.iter_rows(sheet) for row in batch]
    finally:
        workbook.close()


@pytest.mark.parametrize("sheets", [("Controls",), ("Read me", "Controls")])
def test_the_child_started_early_is_the_one_that_reads(tmp_path: Path, sheets: tuple[str, ...]) -> None:
    path = _register(tmp_path / "register.xlsx", sheets)
    expected = _rows(path, "Controls")  # read the usual way

    readers.start_reading(path)
    early = readers._EARLY[os.path.abspath(path)]
    workbook = open_workbook(path)
    try:
        assert workbook._child is early  # taken, not started again
        rows = [row for batch in workbook.iter_rows("Controls") for row in batch]
    finally:
        workbook.close()
    assert not readers._EARLY
    assert rows == expected
    assert rows[0] == ["Control ID", "Title"] and rows[-1] == ["CO-3000", "Controls control 3000"]


def test_what_is_not_a_workbook_starts_nothing(tmp_path: Path) -> None:
    csv = tmp_path / "register.csv"
    csv.write_text("Control ID,Title\nAC-1,Access\n", encoding="utf-8")
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_text("Control ID,Title\n", encoding="utf-8")
    for path in (csv, renamed, tmp_path / "missing.xlsx", tmp_path):
        readers.start_reading(path)
    assert not readers._EARLY


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes in the file system are a POSIX thing")
def test_a_named_pipe_does_not_hang_the_start(tmp_path: Path) -> None:
    pipe = tmp_path / "register.xlsx"
    os.mkfifo(pipe)
    readers.start_reading(pipe)  # returns at once: opened without blocking, seen not to be a regular file
    assert not readers._EARLY


FORKED_READ = """
import json, os, sys
from workbench.cli.front import _read_ahead
from workbench.services.importers import readers

if len(sys.argv) > 3:  # an allowance lowered for the test, the scan told to let the sheet through
    readers.CHILD_MEMORY, readers.READ_BUDGET = int(sys.argv[3]), 2**30
_read_ahead(["P.soc2", sys.argv[1]], fork=True)  # as `workbench import-controls P.soc2 FILE` does first
child = readers._EARLY[os.path.abspath(sys.argv[1])]
kind = type(child.process).__name__
workbook = readers.open_workbook(sys.argv[1])
try:
    rows = [row for batch in workbook.iter_rows(sys.argv[2]) for row in batch]
    print(json.dumps({"kind": kind, "rows": rows}))
except readers.ImportFileError as exc:
    print(json.dumps({"kind": kind, "error": str(exc)}))
finally:
    workbook.close()
print(json.dumps({"pid_alive": child.process.poll() is None}))
"""


def _forked_read(path: Path, sheet: str, *memory: int) -> tuple[dict[str, object], dict[str, object]]:
    import json
    import subprocess

    result = subprocess.run([sys.executable, "-c", FORKED_READ, str(path), sheet, *map(str, memory)],
                            capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    first, last = result.stdout.splitlines()
    return json.loads(first), json.loads(last)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux only")
def test_the_command_line_forks_its_reading_child_which_reads_as_a_started_one(tmp_path: Path) -> None:
    path = _register(tmp_path / "register.xlsx", ("Read me", "Controls"))
    read, ended = _forked_read(path, "Controls")
    assert read["kind"] == "ForkedChild"  # one thread at the command line's start: forked, not started afresh
    assert read["rows"] == _rows(path, "Controls")  # the same rows as a child started afresh reads (under pytest)
    assert ended == {"pid_alive": False}  # closed with the workbook, and reaped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux only")
def test_a_forked_child_is_held_to_the_memory_allowance(tmp_path: Path) -> None:
    from tests.services.test_reader_child import _wide

    path = _wide(tmp_path / "wide.xlsx", 60_000)  # 1.56 million cells: ~150 MB for calamine
    read, ended = _forked_read(path, "Controls", 96 * 2**20)
    assert read["kind"] == "ForkedChild"
    assert str(read.get("error", "")).startswith(f"{path} : is too large or too damaged to read safely"), read
    assert "96 MiB" in str(read["error"]) and ended == {"pid_alive": False}


TWO_FORKED = """
import os, sys, time
from workbench.services.importers import readers

first, second = sys.argv[1:3]
readers.start_reading(first, fork=True)
readers.start_reading(second, fork=True)  # forked after the first: it must not hold the first child's pipes open
child = readers._EARLY[os.path.abspath(first)]
assert type(child.process).__name__ == "ForkedChild", type(child.process)
workbook = readers.open_workbook(first)
started = time.monotonic()
workbook.close()  # its pipes closed: the child ends at once, not after END_GRACE and a kill
print(f"{time.monotonic() - started:.3f} {child.process.returncode}")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux only")
def test_a_child_forked_after_another_does_not_keep_the_first_one_waiting(tmp_path: Path) -> None:
    import subprocess

    first, second = _register(tmp_path / "first.xlsx"), _register(tmp_path / "second.xlsx")
    result = subprocess.run([sys.executable, "-c", TWO_FORKED, str(first), str(second)], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    seconds, code = result.stdout.split()
    assert float(seconds) < readers.END_GRACE / 2 and code == "0"  # ended by itself, not killed


def test_only_an_import_reads_its_workbook_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import front

    register = _register(tmp_path / "register.xlsx")
    offered: list[list[str]] = []
    monkeypatch.setattr(front, "_read_ahead", lambda arguments, fork: offered.append(list(arguments)))
    missing = str(tmp_path / "missing.soc2")
    front.main(["register", "export", missing, "controls", str(register)])  # an export's output: never read
    front.main(["import-controls", missing, str(register)])
    assert offered == [[missing, str(register)]]
