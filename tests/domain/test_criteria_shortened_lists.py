"""A list of criteria in one series written shortened after the first ("CC6.1, 6.2, 6.3"), as crosswalks do."""

from __future__ import annotations

import pytest

from workbench.domain.criteria_cells import parse_criteria_cell

KNOWN = frozenset({f"CC{a}.{b}" for a in range(1, 10) for b in range(1, 9)} | {"A1.1", "A1.2", "A1.3"})


@pytest.mark.parametrize(("text", "ids"), [
    ("CC6.1, 6.2, 6.3", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC6.1/6.2", ("CC6.1", "CC6.2")),
    ("CC6.1 & 6.2", ("CC6.1", "CC6.2")),
    ("CC6.1 and 6.7", ("CC6.1", "CC6.7")),
    ("CC6.1; 6.2", ("CC6.1", "CC6.2")),
    ("CC6.1, 6.3-6.5, A1.1, 1.2", ("CC6.1", "CC6.3", "CC6.4", "CC6.5", "A1.1", "A1.2")),
    ("CC6.1-6.3, 7.1", ("CC6.1", "CC6.2", "CC6.3", "CC7.1")),
])
def test_a_shortened_id_after_a_separator_keeps_the_series(text: str, ids: tuple[str, ...]) -> None:
    assert parse_criteria_cell(text, KNOWN) == (ids, ())


@pytest.mark.parametrize(("text", "ids", "warning"), [
    ("CC7.2 / 3.5 hours", ("CC7.2",), "'/ 3.5' after CC7.2 is not read as a criterion (write CC3.5 to mean one)"),
    ("CC6.1-.3", ("CC6.1",), "'CC6.1-.3' is read as CC6.1 and the note '.3'"),
])
def test_a_number_that_is_not_read_is_warned_of(text: str, ids: tuple[str, ...], warning: str) -> None:
    found, warnings = parse_criteria_cell(text, KNOWN)
    assert found == ids and len(warnings) == 1 and warnings[0].startswith(warning)


@pytest.mark.parametrize("text", ["CC6.1, 164.312", "CC6.1, 8.2.3", "CC6.1 (v2.0)"])
def test_other_frameworks_numbers_are_not_criteria(text: str) -> None:
    assert parse_criteria_cell(text, KNOWN) == (("CC6.1",), ())
