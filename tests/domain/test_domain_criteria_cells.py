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
    ("CC6.1–6.3", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC6.1 to CC6.3", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC6.1-6.3, CC7.1", ("CC6.1", "CC6.2", "CC6.3", "CC7.1")),
    ("CC6.1-6.3 CC7.1", ("CC6.1", "CC6.2", "CC6.3", "CC7.1")),
    ("CC6.1–6.3 (access)", ("CC6.1", "CC6.2", "CC6.3")),
    ("Maps to CC6.1-6.3.", ("CC6.1", "CC6.2", "CC6.3")),
    ("CC6.1-A1.2", ("CC6.1", "A1.2")),
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


@pytest.mark.parametrize(("text", "expected", "note"), [
    ("CC6.1 - 2FA enforced", ("CC6.1",), "2FA enforced"),
    ("CC7.2 - 3 alert tiers", ("CC7.2",), "3 alert tiers"),
    ("CC6.1 — 8 users", ("CC6.1",), "8 users"),
    ("CC6.1-3", ("CC6.1",), "3"),
    ("CC6.1 to 2 admins", ("CC6.1",), "2 admins"),
    ("CC7.2 - 3.5 hours", ("CC7.2",), "3.5 hours"),
    ("CC7.2-3.5", ("CC7.2",), "3.5"),
    ("CC6.1 - 2 factor, A1.2", ("CC6.1", "A1.2"), "2 factor"),
    ("CC6.1 - 3 tiers per A1.2", ("CC6.1", "A1.2"), "3 tiers per A1.2"),
])
def test_text_after_an_id_is_a_note_with_a_warning_never_a_range(text: str, expected: tuple[str, ...],
                                                                  note: str) -> None:
    assert ids(text) == expected
    (warning,) = warnings(text)
    assert f"read as {expected[0]} and the note {note!r}, not as a range" in warning


def test_words_after_an_id_need_no_warning() -> None:
    assert parse_criteria_cell("CC6.1 - Logical access", KNOWN) == (("CC6.1",), ())


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


SERIES: dict[str, list[str]] = {}
for _criterion in sorted(KNOWN, key=lambda c: (c.rpartition(".")[0], int(c.rpartition(".")[2]))):
    SERIES.setdefault(_criterion.rpartition(".")[0], []).append(_criterion)
SAME_SERIES = st.sampled_from([s for s, members in SERIES.items() if len(members) >= 2]).flatmap(
    lambda series: st.lists(st.integers(0, len(SERIES[series]) - 1), min_size=2, max_size=2, unique=True).map(
        lambda pair: (series, *sorted(pair))))
DASHES = st.sampled_from(["-", " - ", "–", " – ", "—", " to ", " through "])


@given(SAME_SERIES, DASHES, st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_range_between_two_ids_of_one_series_reads_every_criterion_between(
        chosen: tuple[str, int, int], dash: str, shortened: bool) -> None:
    series, low, high = chosen
    members = SERIES[series]
    first, last = members[low], members[high]
    written_last = last.lstrip("ACIP") if shortened else last
    found, warned = parse_criteria_cell(f"{first}{dash}{written_last}", KNOWN)
    assert found == tuple(members[low:high + 1])
    assert warned == ()


NOTES = st.tuples(st.integers(0, 99), st.text(alphabet="abcdefghijklmnopqrstuvwxyz FA", max_size=20)).map(
    lambda pair: f"{pair[0]}{pair[1]}")


@given(st.sampled_from(ORDERED), DASHES, NOTES)
@settings(max_examples=300, deadline=None)
def test_an_id_then_a_dash_and_a_number_that_is_no_id_is_that_id_and_a_warned_note(
        criterion: str, dash: str, note: str) -> None:
    found, warned = parse_criteria_cell(f"{criterion}{dash}{note}", KNOWN)
    assert found == (criterion,)
    assert len(warned) == 1 and "not as a range" in warned[0]
