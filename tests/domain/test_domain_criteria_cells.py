"""Reading criteria cells: notations, ranges, other frameworks, unknown ids, and properties over any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.catalog import read_catalog
from workbench.domain.criteria_cells import looks_like_criteria, parse_criteria_cell
from workbench.paths import catalog_path

KNOWN = frozenset(c.id for c in read_catalog(catalog_path()).criteria)
ORDERED = sorted(KNOWN)


def ids(text: str) -> tuple[str, ...]:
    return parse_criteria_cell(text, KNOWN)[0]


def warnings(text: str) -> tuple[str, ...]:
    return parse_criteria_cell(text, KNOWN)[1]


@pytest.mark.parametrize(("text", "expected"), [
    ("CC6.1", ("CC6.1",)),
    ("CC 6.1", ("CC6.1",)),
    ("cc6.1", ("CC6.1",)),
    ("SOC 2 CC6.1", ("CC6.1",)),
    ("CC6.1, CC6.2;CC7.1/CC7.2|A1.1\nPI1.1 C1.1", ("CC6.1", "CC6.2", "CC7.1", "CC7.2", "A1.1", "PI1.1", "C1.1")),
    ("CC6.1-CC6.3", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC6.1 - 6.3", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC6.1–CC6.3", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC1.1-CC1.5, A.5.1-A.5.3", ("CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5")),
    ("CC1.1 \nCC1.3", ("CC1.1", "CC1.3")),
    ("CC6.1, CC6.1", ("CC6.1",)),
    ("cc_2_1", ("CC2.1",)),
    ("CC6.1 Logical & Physical Access", ("CC6.1",)),
    ("CC7.2\xa0", ("CC7.2",)),
])
def test_notations(text: str, expected: tuple[str, ...]) -> None:
    assert ids(text) == expected
    assert warnings(text) == ()


def test_privacy_range_spans_series_in_catalog_order() -> None:
    assert ids("P1.1-P8.1") == tuple(c for c in ORDERED if c.startswith("P") and not c.startswith("PI"))


@pytest.mark.parametrize("text", ["A.9.2.1", "AC-2", "PCI 8.1", "ISO 27001 A.12.1.2", "NIST AC-2(1)", "CIS 4.1",
                                  "HIPAA 164.308(a)(1)", "N/A", "", "None", "-"])
def test_other_frameworks_and_nothing_words_are_ignored_quietly(text: str) -> None:
    assert ids(text) == ()
    assert warnings(text) == ()


def test_other_frameworks_next_to_criteria_are_dropped() -> None:
    assert ids("A.9.2.1, AC-2, PCI 8.1, CC7.1") == ("CC7.1",)


@pytest.mark.parametrize(("text", "phrase"), [
    ("CC10.1", "CC10.1 is not a 2017"),
    ("CC6.9", "CC6.9 is not a 2017"),
    ("CC2.4", "CC2.4 is not a 2017"),
    ("C1.3", "C1.3 is not a 2017"),
    ("P1.0", "P1.0 is a series heading"),
    ("CC1.0", "CC1.0 is a series heading"),
    ("CC6.3-CC6.1", "runs backwards"),
    ("Access stuff", "no Trust Services Criterion found"),
])
def test_well_formed_but_unknown_ids_warn(text: str, phrase: str) -> None:
    assert ids(text) == ()
    assert any(phrase in w for w in warnings(text)), warnings(text)


def test_known_ids_survive_next_to_unknown_ones() -> None:
    found, warned = parse_criteria_cell("CC6.1, CC6.9, P1.0", KNOWN)
    assert found == ("CC6.1",)
    assert len(warned) == 2


def test_looks_like_criteria() -> None:
    assert looks_like_criteria("see CC6.9")
    assert not looks_like_criteria("AC-2, A.9.2.1")


SEPARATORS = st.lists(st.sampled_from([",", ", ", ";", "; ", "/", " / ", "|", "\n", "\r\n", " ", "  ", "\t"]),
                      min_size=1, max_size=3).map("".join)


@given(st.lists(st.sampled_from(ORDERED), min_size=1, max_size=12, unique=True), st.data())
@settings(max_examples=300, deadline=None)
def test_any_valid_ids_joined_by_any_separators_parse_back(chosen: list[str], data: st.DataObject) -> None:
    text = chosen[0]
    for criterion_id in chosen[1:]:
        text += data.draw(SEPARATORS) + criterion_id
    found, warned = parse_criteria_cell(text, KNOWN)
    assert found == tuple(chosen)
    assert warned == ()


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_parsing_never_raises_and_only_returns_known_ids(text: str) -> None:
    found, warned = parse_criteria_cell(text, KNOWN)
    assert set(found) <= KNOWN
    assert len(found) == len(set(found))
    assert all(isinstance(w, str) for w in warned)


@given(st.text(alphabet="CcPIA0123456789.-–, ;/|\n", max_size=60))
@settings(max_examples=500, deadline=None)
def test_parsing_id_like_noise_never_raises(text: str) -> None:
    found, _ = parse_criteria_cell(text, KNOWN)
    assert set(found) <= KNOWN
