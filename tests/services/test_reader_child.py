"""The reading child: same rows as calamine gives, in batches; ended and reaped on close; its death one clear error."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.services.test_reader_hostile import _ods, _row, inline, xlsx
from workbench.services.importers import readers
from workbench.services.importers.readers import ImportFileError, open_workbook


def _calamine_rows(path: Path, sheet: str) -> list[list[object]]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    finally:
        book.close()


def _typed_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Cover"
    first["C3"] = "Starts at C3"
    first["E5"] = 12.5
    data = book.create_sheet("Controls")
    data.append(["Control ID", "Due", "Count", "Ratio", "Done", "At", "Notes"])
    for i in range(5000):
        data.append([f"AC-{i}", dt.date(2026, 1, 1) + dt.timedelta(days=i % 365), i, i / 7, i % 2 == 0,
                     dt.datetime(2026, 3, 1, 9, 30) + dt.timedelta(minutes=i), "" if i % 3 else "note"])
    hidden = book.create_sheet("Lists")
    hidden.sheet_state = "hidden"
    hidden.append(["Monthly", "Quarterly"])
    book.save(path)
    return path


def test_rows_are_calamines_rows_from_cell_a1(tmp_path: Path) -> None:
    path = _typed_xlsx(tmp_path / "typed.xlsx")
    with open_workbook(path) as book:
        assert [(s.name, s.visible) for s in book.sheets] == [("Cover", True), ("Controls", True), ("Lists", False)]
        for sheet in ("Cover", "Controls", "Lists"):
            assert book.rows(sheet) == _calamine_rows(path, sheet), sheet
        assert book.rows("Cover")[2] == ["", "", "Starts at C3", "", ""]
        assert book.sheet_height("Controls") == 5001


def test_ods_rows_are_calamines_rows(tmp_path: Path) -> None:
    typed = ('<table:table-row><table:table-cell office:value-type="float" office:value="3.5"><text:p>3.5</text:p>'
             '</table:table-cell><table:table-cell office:value-type="date" office:date-value="2026-02-03">'
             '<text:p>03/02/2026</text:p></table:table-cell><table:table-cell office:value-type="boolean" '
             'office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>')
    path = _ods(tmp_path / "typed.ods", {"Controls": _row("ID", "Due", "Done") + typed
                                         + '<table:table-row table:number-rows-repeated="3"><table:table-cell/>'
                                           "</table:table-row>" + _row("AC-9", "", "x")})
    assert open_workbook(path).rows("Controls") == _calamine_rows(path, "Controls")


def test_rows_come_in_batches(tmp_path: Path) -> None:
    path = _typed_xlsx(tmp_path / "typed.xlsx")
    with open_workbook(path) as book:
        batches = list(book.iter_rows("Controls"))
        assert [len(batch) for batch in batches] == [2000, 2000, 1001]
        assert [row for batch in batches for row in batch] == _calamine_rows(path, "Controls")


def test_a_sheet_left_half_read_leaves_the_next_read_whole(tmp_path: Path) -> None:
    path = _typed_xlsx(tmp_path / "typed.xlsx")
    with open_workbook(path) as book:
        child = book._child  # type: ignore[attr-defined]
        for _batch in book.iter_rows("Controls"):
            break
        assert child.process.wait(timeout=10) is not None  # dropped mid-answer: ended and reaped
        assert book.rows("Controls") == _calamine_rows(path, "Controls")
        assert book.rows("Lists") == [["Monthly", "Quarterly"]]


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts descriptors through /proc")
def test_closing_ends_and_reaps_the_child_and_leaks_no_descriptor(tmp_path: Path) -> None:
    path = _typed_xlsx(tmp_path / "typed.xlsx")
    before = _open_descriptors()
    processes = []
    for _ in range(5):
        book = open_workbook(path)
        book.rows("Lists")
        processes.append(book._child.process)  # type: ignore[attr-defined]
        book.close()
    assert all(process.returncode is not None for process in processes)
    assert _open_descriptors() == before


def test_a_forgotten_workbook_ends_its_child(tmp_path: Path) -> None:
    import gc

    book = open_workbook(_typed_xlsx(tmp_path / "typed.xlsx"))
    process = book._child.process  # type: ignore[attr-defined]
    del book
    gc.collect()
    assert process.returncode is not None


def _wide(path: Path, rows: int) -> Path:
    """A sheet of `rows` rows by 26 columns (numbers), written by hand."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = "".join(f'<row r="{n}">' + "".join(f'<c r="{letter}{n}"><v>{n}</v></c>' for letter in letters) + "</row>"
                   for n in range(1, rows + 1))
    return xlsx(path, sheet=f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
                            f'/2006/main"><sheetData>{body}</sheetData></worksheet>')


def test_a_child_killed_by_its_memory_allowance_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    path = _wide(tmp_path / "wide.xlsx", 60_000)  # 1.56 million cells: ~150 MB for calamine
    monkeypatch.setattr(readers, "CHILD_MEMORY", 96 * 2**20)
    monkeypatch.setattr(readers, "READ_BUDGET", 2**30)  # the scan lets it through; the allowance stops it
    with pytest.raises(ImportFileError) as caught, open_workbook(path) as book:
        book.rows("Controls")
    message = str(caught.value)
    assert message.startswith(f"{path} : is too large or too damaged to read safely"), message
    assert "96 MiB" in message


def test_a_child_killed_mid_sheet_is_one_clear_error(tmp_path: Path) -> None:
    path = _wide(tmp_path / "wide.xlsx", 20_000)
    with open_workbook(path) as book:
        batches = book.iter_rows("Controls")
        assert len(next(batches)) == readers.BATCH_ROWS
        os.kill(book._child.process.pid, signal.SIGKILL)  # type: ignore[attr-defined]
        with pytest.raises(ImportFileError, match="too large or too damaged to read safely"):
            list(batches)
        assert len(book.rows("Controls")) == 20_000  # a fresh child reads it again


def test_a_child_that_takes_too_long_is_stopped(tmp_path: Path, monkeypatch) -> None:
    # Five million elements for the full scan to walk (the comment keeps the quick bound out): more than a second.
    path = xlsx(tmp_path / "slow.xlsx", "<!-- a comment -->" + "<x/>" * 5_000_000)
    monkeypatch.setattr(readers, "ISOLATED_TIMEOUT", 0.3)
    monkeypatch.setattr(readers, "READ_UNMEASURED", False)  # a child that measures the sheet as it opens the file
    with pytest.raises(ImportFileError, match=r"too large or too damaged to read safely \(reading took longer than"):
        open_workbook(path)


def test_the_sheet_named_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="has no sheet named 'Nope'"), \
            open_workbook(xlsx(tmp_path / "one.xlsx", '<row r="3">' + inline("A3", "x") + "</row>")) as book:
        book.rows("Nope")



def test_reading_another_sheet_while_one_is_half_read_gives_right_rows(tmp_path: Path) -> None:
    path = _typed_xlsx(tmp_path / "typed.xlsx")
    with open_workbook(path) as book:
        first = book.iter_rows("Controls")
        next(first)
        assert book.rows("Lists") == [["Monthly", "Quarterly"]]
        with pytest.raises(RuntimeError, match="another sheet was read"):
            next(first)
        assert book.rows("Controls") == _calamine_rows(path, "Controls")


def _children_started(monkeypatch) -> list[bool]:
    """Record whether each reading child started measures the workbook first."""
    started: list[bool] = []
    original = readers._Child.__init__

    def spy(self, path: Path, measure: bool = True) -> None:
        started.append(measure)
        original(self, path, measure)

    monkeypatch.setattr(readers._Child, "__init__", spy)
    return started


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory allowance is enforced on Linux only")
def test_a_plain_workbook_is_read_by_one_child_that_does_not_measure_it(tmp_path: Path, monkeypatch) -> None:
    started = _children_started(monkeypatch)
    path = _typed_xlsx(tmp_path / "typed.xlsx")
    with open_workbook(path) as book:
        assert book.rows("Controls") == _calamine_rows(path, "Controls")
    assert started == [False]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory allowance is enforced on Linux only")
def test_a_far_cell_an_unmeasured_child_cannot_read_is_refused_in_the_scans_words(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    started = _children_started(monkeypatch)
    path = xlsx(tmp_path / "far.xlsx", '<row r="1048576">' + inline("XFD1048576", "z") + "</row>")
    with pytest.raises(ImportFileError, match="reaches row 1,048,576") as caught, open_workbook(path) as book:
        book.rows("Controls")
    assert "\n" not in str(caught.value)
    assert started == [False, True]  # the unmeasured child died allocating the grid; a measuring one explained
