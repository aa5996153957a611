"""CSV under the issue 15 rules: messages say what is true (NUL bytes, UTF-16 without a byte-order mark, a file cut
off inside quotes), and a cell longer than a spreadsheet holds is refused by row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.importers.readers import ImportFileError, open_workbook

GOOD = [["Control ID", "Title", "TSC"], ["AC-1", "Access reviews", "CC6.1"], ["AC-2", "Multi-factor sign-in", "CC6.2"]]


def _text(rows: list[list[str]]) -> str:
    return "".join(",".join(row) + "\r\n" for row in rows)


def _rows(path: Path) -> list[list[object]]:
    with open_workbook(path) as book:
        return book.rows(book.sheets[0].name)


def _refused(path: Path, *phrases: str) -> str:
    with pytest.raises(ImportFileError) as caught:
        _rows(path)
    message = str(caught.value)
    assert message.startswith(f"{path} : ") and "\n" not in message and "\x00" not in message, message
    for phrase in phrases:
        assert phrase in message, message
    return message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_utf16(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(_text([*GOOD, ["AC-3", "Café policy", "CC1.1"]]).encode(encoding))
    assert _rows(path) == [*GOOD, ["AC-3", "Café policy", "CC1.1"]]


def test_utf16_with_a_byte_order_mark_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(_text(GOOD).replace(",", "\t"), encoding="utf-16")
    assert _rows(path) == GOOD


def test_damaged_utf16_without_a_byte_order_mark_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes(_text(GOOD).encode("utf-16-le") + "\udc00".encode("utf-16-le", "surrogatepass"))
    _refused(path, "UTF-16 text without a byte-order mark", "damaged")


def test_a_nul_byte_in_text_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(_text([GOOD[0], GOOD[1], ["AC-2", "Multi\x00factor", "CC6.2"]]).encode())
    _refused(path, "NUL byte", "line 3")


def test_a_nul_byte_past_the_first_block_is_found(tmp_path: Path) -> None:
    rows = [GOOD[0], *([["AC-1", "x" * 100, "CC6.1"]] * 2000), ["AC-2", "a\x00b", "CC6.2"]]
    path = tmp_path / "late-nul.csv"
    path.write_bytes(_text(rows).encode())
    _refused(path, "NUL byte", "line 2,002")


def test_binary_data_is_not_called_text(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n\x00\x01\x02\x00" * 100)
    _refused(path, "not a spreadsheet or a text (CSV) file", "binary")


def test_a_cell_longer_than_a_spreadsheet_holds_is_named_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(_text([GOOD[0], GOOD[1], ["AC-2", "M" * 40_000, "CC6.2"]]), encoding="utf-8")
    message = _refused(path, "row 3, column B", "too long", "40,000 characters", "32,767")
    assert "MMMM" not in message


def test_a_file_cut_off_inside_quotes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(_text(GOOD) + 'AC-3,"Change appr', encoding="utf-8")
    _refused(path, "ends inside a quoted cell", "line 4")


def test_a_stray_quote_after_a_quoted_cell_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text('Control ID,Title,TSC\r\nAC-1,"Access" reviews,CC6.1\r\nAC-2,5" screen,CC6.2\r\n', encoding="utf-8")
    assert _rows(path) == [GOOD[0], ["AC-1", "Access reviews", "CC6.1"], ["AC-2", '5" screen', "CC6.2"]]


def test_cp1252_text_still_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes("Control ID;Title;TSC\r\nS-1;Café policy;CC1.1\r\n".encode("cp1252"))
    assert _rows(path) == [["Control ID", "Title", "TSC"], ["S-1", "Café policy", "CC1.1"]]


def test_rows_come_in_batches_that_add_up_to_the_rows(tmp_path: Path) -> None:
    from workbench.services.importers.readers import BATCH_ROWS

    rows = [GOOD[0], *([f"AC-{i}", f"Title {i}", "CC6.1"] for i in range(BATCH_ROWS + 5))]
    path = tmp_path / "many.csv"
    path.write_text(_text(rows), encoding="utf-8")
    with open_workbook(path) as book:
        batches = list(book.iter_rows(book.sheets[0].name))
        assert [len(b) for b in batches] == [BATCH_ROWS, 6]
        assert [row for batch in batches for row in batch] == book.rows(book.sheets[0].name) == rows


def test_bytes_neither_utf8_nor_cp1252_read_as_latin1(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("Control ID,Title\r\nAC-1,ā\r\n".encode() + b"AC-2,caf\xe9\r\n")  # \xc4\x81, then a lone \xe9
    assert _rows(path) == [["Control ID", "Title"], ["AC-1", "\xc4\x81"], ["AC-2", "café"]]


def test_the_cell_limit_counts_as_spreadsheet_programs_do(tmp_path: Path) -> None:
    path = tmp_path / "emoji.csv"
    path.write_text(_text([GOOD[0], ["AC-1", "\U0001f600" * 20_000, "CC6.1"]]), encoding="utf-8")
    _refused(path, "row 2, column B", "20,000 characters, 40,000 as spreadsheet programs count them")
