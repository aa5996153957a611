"""Normalising cell values: frequencies, statuses, natures, dates (never guessing day/month) and numbers as text."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.domain.import_values import (
    AmbiguousDateError,
    cell_text,
    excel_serial_date,
    identifier_problem,
    looks_like_formula,
    parse_date,
    parse_frequency,
    parse_nature,
    parse_status,
    shown_identifier,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Annual", Frequency.ANNUAL), ("Annually", Frequency.ANNUAL), ("YEARLY", Frequency.ANNUAL),
    ("Semi-annual", Frequency.SEMI_ANNUAL), ("Semi-Annually", Frequency.SEMI_ANNUAL),
    ("Twice a year", Frequency.SEMI_ANNUAL),
    ("Quarterly", Frequency.QUARTERLY), ("Qtrly", Frequency.QUARTERLY), ("Monthly", Frequency.MONTHLY),
    ("Weekly", Frequency.WEEKLY), ("Daily", Frequency.DAILY), ("Continuous", Frequency.CONTINUOUS),
    ("Ongoing", Frequency.CONTINUOUS), ("Real-time", Frequency.CONTINUOUS), ("Per event", Frequency.EVENT_DRIVEN),
    ("As needed", Frequency.EVENT_DRIVEN), ("Ad hoc", Frequency.EVENT_DRIVEN), ("Ad-hoc", Frequency.EVENT_DRIVEN),
    ("Event-driven", Frequency.EVENT_DRIVEN), ("Multiple times a day", Frequency.MULTIPLE_TIMES_DAILY),
    ("multiple_times_daily", Frequency.MULTIPLE_TIMES_DAILY),
    ("Annually and upon significant change", Frequency.ANNUAL), (" monthly ", Frequency.MONTHLY),
])
def test_frequencies(text: str, expected: Frequency) -> None:
    assert parse_frequency(text) is expected


def test_blank_and_unknown_frequency() -> None:
    assert parse_frequency("  ") is None
    with pytest.raises(ValueError, match="not a frequency"):
        parse_frequency("Fortnightly-ish")


@pytest.mark.parametrize(("text", "expected"), [
    ("Implemented", ControlStatus.IMPLEMENTED), ("In place", ControlStatus.IMPLEMENTED),
    ("active", ControlStatus.IMPLEMENTED), ("In Progress", ControlStatus.IN_PROGRESS),
    ("in_progress", ControlStatus.IN_PROGRESS), ("Partially implemented", ControlStatus.IN_PROGRESS),
    ("Not started", ControlStatus.NOT_STARTED), ("to_do", ControlStatus.NOT_STARTED),
    ("Planned", ControlStatus.NOT_STARTED),
])
def test_statuses(text: str, expected: ControlStatus) -> None:
    assert parse_status(text) is expected


def test_unknown_status_and_nature() -> None:
    assert parse_status("") is None
    assert parse_nature("") is None
    with pytest.raises(ValueError):
        parse_status("deprecated")
    with pytest.raises(ValueError):
        parse_nature("Detective")


@pytest.mark.parametrize(("text", "expected"), [
    ("Manual", Nature.MANUAL), ("IT-dependent manual", Nature.MANUAL), ("Automated", Nature.AUTOMATED),
    ("automatic", Nature.AUTOMATED), ("System", Nature.AUTOMATED),
])
def test_natures(text: str, expected: Nature) -> None:
    assert parse_nature(text) is expected


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 3, 4), date(2026, 3, 4)),
    (datetime(2026, 3, 4, 15, 30), date(2026, 3, 4)),
    (46085, date(2026, 3, 4)),
    (46085.75, date(2026, 3, 4)),
    ("2026-03-04", date(2026, 3, 4)),
    ("2026-03-04T10:00:00Z", date(2026, 3, 4)),
    ("2026/3/4", date(2026, 3, 4)),
    ("20260304", date(2026, 3, 4)),
    ("25/03/2026", date(2026, 3, 25)),
    ("03/25/2026", date(2026, 3, 25)),
    ("04/04/2026", date(2026, 4, 4)),
    ("4 March 2026", date(2026, 3, 4)),
    ("04-Mar-2026", date(2026, 3, 4)),
    ("March 4, 2026", date(2026, 3, 4)),
    ("Sept 4th, 2026", date(2026, 9, 4)),
    ("", None),
    (None, None),
])
def test_dates(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_ambiguous_dates_are_never_guessed() -> None:
    with pytest.raises(AmbiguousDateError, match=r"day or the month"):
        parse_date("03/04/2026")
    assert parse_date("03/04/2026", day_first=True) == date(2026, 4, 3)
    assert parse_date("03/04/2026", day_first=False) == date(2026, 3, 4)


@pytest.mark.parametrize("value", ["31/02/2026", "not a date", "2026-13-01", True, -5, 10**9])
def test_bad_dates(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


DATES = st.dates(min_value=date(1901, 1, 1), max_value=date(9999, 12, 31))


@given(DATES)
@settings(max_examples=300, deadline=None)
def test_iso_text_and_serials_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert excel_serial_date(serial + 0.5) == day


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)), st.sampled_from(["/", "-", "."]))
@settings(max_examples=300, deadline=None)
def test_numeric_text_is_read_or_called_ambiguous_never_misread(day: date, sep: str) -> None:
    text = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    if day.day <= 12 and day.day != day.month:
        with pytest.raises(AmbiguousDateError):
            parse_date(text)
        assert parse_date(text, day_first=True) == day
    else:
        assert parse_date(text) == day


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()))
@settings(max_examples=500, deadline=None)
def test_date_parser_raises_only_value_errors(value: object) -> None:
    try:
        result = parse_date(value)
    except ValueError:
        return
    assert result is None or isinstance(result, date)


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), ("=SUM(A1)", "=SUM(A1)"), ("+1", "+1"), ("@who", "@who"), (12.0, "12"), (1.5, "1.5"),
    (7, "7"), (True, "TRUE"), (datetime(2026, 3, 4), "2026-03-04"), (date(2026, 3, 4), "2026-03-04"),
    (timedelta(hours=1), "1:00:00"),
])
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("AC-1\nB", "holds a line break (U+000A)"),
    ("AC-1\r2", "holds a line break (U+000D)"),
    ("AC\u20281", "holds a line break (U+2028)"),
    ("AC\t1", "holds a control character (U+0009)"),
    ("AC\x001", "holds a control character (U+0000)"),
    ("AC-\u202e1", "holds a bidirectional-text control (U+202E)"),
    ("\u202aAC-1", "holds a bidirectional-text control (U+202A)"),
    ("AC\u2066-1\u2069", "holds a bidirectional-text control (U+2066)"),
    ("AC\u200f1", "holds a bidirectional-text control (U+200F)"),
    ("AC\u200b-1", "holds a zero-width character (U+200B)"),
    ("\ufeffAC-1", "holds a zero-width character (U+FEFF)"),
    ("AC\u00ad1", "holds an invisible or unassigned character (U+00AD)"),
])
def test_identifiers_with_hidden_characters_are_refused(text: str, problem: str) -> None:
    assert identifier_problem(text) == problem


@pytest.mark.parametrize("text", ["AC-1", "CC6.1", "Ctrl 12", "ÄÖ-1", "アクセス-1", "A/B_C.1"])
def test_plain_identifiers_pass(text: str) -> None:
    assert identifier_problem(text) is None
    assert shown_identifier(text) == text


def test_shown_identifier_writes_hidden_characters_as_codes() -> None:
    assert shown_identifier("AC-\u202e1\n") == "AC-\\u202e1\\u000a"


@given(st.text(max_size=40))
@settings(max_examples=500, deadline=None)
def test_an_identifier_is_refused_exactly_when_its_shown_form_differs(text: str) -> None:
    assert (identifier_problem(text) is None) == (shown_identifier(text) == text)


@pytest.mark.parametrize(("text", "formula"), [
    ("=CONCAT(A2,B2)", True), ("=_xlfn.TEXTJOIN(CHAR(10),TRUE,HK2:IP2)", True), ('=A4&" title"', True),
    ("= B2", True), ("=Sheet1!A1", True), ("='My sheet'!A1", True), ("  =IF(A1>0,1,0)", True),
    ("Access reviews", False), ("== heading ==", False), ("= 5 users", False), ("", False), ("a=b", False),
])
def test_formula_text(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula
