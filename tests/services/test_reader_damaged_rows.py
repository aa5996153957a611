"""A reader error met while a sheet's rows are read is refused as damage naming the sheet; ours stay ours."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from workbench.services.importers import isolated


class _Sheet:
    start, end = (0, 0), (2, 1)

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def iter_rows(self) -> Iterator[list[Any]]:
        yield ["AC-1", "Access"]
        raise self.error


class _Book:
    def __init__(self, error: BaseException) -> None:
        self.sheet = _Sheet(error)

    def get_sheet_by_name(self, _name: str) -> _Sheet:
        return self.sheet


def _reader(error: BaseException) -> isolated.Reader:
    reader = object.__new__(isolated.Reader)
    reader.limits, reader.gaps, reader.bounded = isolated.Limits(100, 10, 1000), {}, {}
    reader.book = _Book(error)
    return reader


def test_a_value_the_reader_cannot_convert_is_damage() -> None:
    with pytest.raises(isolated.Refused, match=r"sheet 'Controls' cannot be read: the file is damaged \(bad date\)"):
        list(_reader(ValueError("bad date")).batches("Controls"))


@pytest.mark.parametrize("error", [MemoryError(), isolated.Refused("too long")])
def test_running_out_of_memory_and_our_refusals_pass_through(error: BaseException) -> None:
    with pytest.raises(type(error)):
        list(_reader(error).batches("Controls"))
