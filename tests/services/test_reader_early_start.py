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
