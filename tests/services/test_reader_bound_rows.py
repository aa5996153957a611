"""The quick bound's row: the greatest a cell names, wherever it stands; text holding "!" or "?" stays plain."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.services.test_reader_hostile import inline, xlsx
from workbench.services.importers.sheet_scan import bound_worksheet


def _bound_row(path: Path) -> int | None:
    with zipfile.ZipFile(path) as archive:
        found = bound_worksheet(archive, "xl/worksheets/sheet1.xml")
    return None if found is None else found.rows


@pytest.mark.parametrize(("rows", "expected"), [
    ('<row r="9">' + inline("B9", "x") + '</row><row r="10">' + inline("A10", "y") + "</row>", 10),
    ('<row r="3">' + inline("C30000", "far") + inline("A3", "x") + '</row><row r="9">' + inline("B9", "y")
     + "</row>", 30000),
    ('<row r="2">' + inline("A2", "Why? Because!") + inline("B2", "a &lt;? b") + "</row>", 2),
])
def test_the_bound_names_the_greatest_row(tmp_path: Path, rows: str, expected: int) -> None:
    assert _bound_row(xlsx(tmp_path / "a.xlsx", rows)) == expected
