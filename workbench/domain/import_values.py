"""Reading cell values written by people: frequencies, statuses, natures, dates, numbers stored as text, IDs."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from workbench.domain.enums import ControlStatus, Frequency, Nature

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
# 1901-01-01 .. 9999-12-31: a number below 367 in a date column is a count (days, a score), never a date of 1900
MIN_SERIAL, MAX_SERIAL = 367, 2958465


class AmbiguousDateError(ValueError):
    """A date like 03/04/2026 that reads as two different days; the user has to say which order is meant."""


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


_FREQUENCY_WORDS: tuple[tuple[str, Frequency], ...] = (
    ("multiple times a day", Frequency.MULTIPLE_TIMES_DAILY),
    ("multiple times per day", Frequency.MULTIPLE_TIMES_DAILY),
    ("multiple times daily", Frequency.MULTIPLE_TIMES_DAILY),
    ("several times a day", Frequency.MULTIPLE_TIMES_DAILY),
    ("many times a day", Frequency.MULTIPLE_TIMES_DAILY),
    ("hourly", Frequency.MULTIPLE_TIMES_DAILY),
    ("semi annual", Frequency.SEMI_ANNUAL),
    ("semiannual", Frequency.SEMI_ANNUAL),
    ("semi annually", Frequency.SEMI_ANNUAL),
    ("semiannually", Frequency.SEMI_ANNUAL),
    ("bi annual", Frequency.SEMI_ANNUAL),
    ("biannual", Frequency.SEMI_ANNUAL),
    ("bi annually", Frequency.SEMI_ANNUAL),
    ("half yearly", Frequency.SEMI_ANNUAL),
    ("twice a year", Frequency.SEMI_ANNUAL),
    ("twice yearly", Frequency.SEMI_ANNUAL),
    ("every 6 months", Frequency.SEMI_ANNUAL),
    ("every six months", Frequency.SEMI_ANNUAL),
    ("annual", Frequency.ANNUAL),
    ("annually", Frequency.ANNUAL),
    ("yearly", Frequency.ANNUAL),
    ("once a year", Frequency.ANNUAL),
    ("every year", Frequency.ANNUAL),
    ("per year", Frequency.ANNUAL),
    ("quarterly", Frequency.QUARTERLY),
    ("qtrly", Frequency.QUARTERLY),
    ("qtly", Frequency.QUARTERLY),
    ("every quarter", Frequency.QUARTERLY),
    ("every 3 months", Frequency.QUARTERLY),
    ("monthly", Frequency.MONTHLY),
    ("every month", Frequency.MONTHLY),
    ("once a month", Frequency.MONTHLY),
    ("weekly", Frequency.WEEKLY),
    ("every week", Frequency.WEEKLY),
    ("once a week", Frequency.WEEKLY),
    ("daily", Frequency.DAILY),
    ("every day", Frequency.DAILY),
    ("once a day", Frequency.DAILY),
    ("nightly", Frequency.DAILY),
    ("continuous", Frequency.CONTINUOUS),
    ("continuously", Frequency.CONTINUOUS),
    ("ongoing", Frequency.CONTINUOUS),
    ("real time", Frequency.CONTINUOUS),
    ("realtime", Frequency.CONTINUOUS),
    ("always on", Frequency.CONTINUOUS),
    ("automated continuous", Frequency.CONTINUOUS),
    ("per event", Frequency.EVENT_DRIVEN),
    ("event driven", Frequency.EVENT_DRIVEN),
    ("event based", Frequency.EVENT_DRIVEN),
    ("as needed", Frequency.EVENT_DRIVEN),
    ("as required", Frequency.EVENT_DRIVEN),
    ("when needed", Frequency.EVENT_DRIVEN),
    ("ad hoc", Frequency.EVENT_DRIVEN),
    ("adhoc", Frequency.EVENT_DRIVEN),
    ("on demand", Frequency.EVENT_DRIVEN),
    ("per occurrence", Frequency.EVENT_DRIVEN),
    ("upon occurrence", Frequency.EVENT_DRIVEN),
    ("per change", Frequency.EVENT_DRIVEN),
    ("per request", Frequency.EVENT_DRIVEN),
    ("upon request", Frequency.EVENT_DRIVEN),
    ("on occurrence", Frequency.EVENT_DRIVEN),
    ("triggered", Frequency.EVENT_DRIVEN),
    ("upon hire", Frequency.EVENT_DRIVEN),
    ("upon termination", Frequency.EVENT_DRIVEN),
)
_FREQUENCY_EXACT = {words: frequency for words, frequency in _FREQUENCY_WORDS}
_FREQUENCY_EXACT.update({_words(f.value): f for f in Frequency} | {_words(f.label): f for f in Frequency})


def parse_frequency(text: str) -> Frequency | None:
    """Return the frequency a cell names (None when blank); raise ValueError when none matches."""
    words = _words(text)
    if not words:
        return None
    if words in _FREQUENCY_EXACT:
        return _FREQUENCY_EXACT[words]
    # "Annually and upon significant change": the earliest recognised phrase wins.
    padded = f" {words} "
    best: tuple[int, int, Frequency] | None = None
    for phrase, frequency in _FREQUENCY_WORDS:
        at = padded.find(f" {phrase} ")
        if at >= 0 and (best is None or (at, -len(phrase)) < (best[0], best[1])):
            best = (at, -len(phrase), frequency)
    if best is None:
        raise ValueError(f"{text.strip()!r} is not a frequency we know")
    return best[2]


_STATUS_WORDS: dict[str, ControlStatus] = {
    "implemented": ControlStatus.IMPLEMENTED, "in place": ControlStatus.IMPLEMENTED,
    "operating": ControlStatus.IMPLEMENTED, "operational": ControlStatus.IMPLEMENTED,
    "effective": ControlStatus.IMPLEMENTED, "complete": ControlStatus.IMPLEMENTED,
    "completed": ControlStatus.IMPLEMENTED, "done": ControlStatus.IMPLEMENTED, "active": ControlStatus.IMPLEMENTED,
    "live": ControlStatus.IMPLEMENTED, "yes": ControlStatus.IMPLEMENTED, "fully implemented": ControlStatus.IMPLEMENTED,
    "in progress": ControlStatus.IN_PROGRESS, "partially implemented": ControlStatus.IN_PROGRESS,
    "partial": ControlStatus.IN_PROGRESS, "partially": ControlStatus.IN_PROGRESS, "wip": ControlStatus.IN_PROGRESS,
    "work in progress": ControlStatus.IN_PROGRESS, "underway": ControlStatus.IN_PROGRESS,
    "under way": ControlStatus.IN_PROGRESS, "started": ControlStatus.IN_PROGRESS,
    "being implemented": ControlStatus.IN_PROGRESS, "on hold": ControlStatus.IN_PROGRESS,
    "not started": ControlStatus.NOT_STARTED, "to do": ControlStatus.NOT_STARTED, "todo": ControlStatus.NOT_STARTED,
    "planned": ControlStatus.NOT_STARTED, "not implemented": ControlStatus.NOT_STARTED,
    "no": ControlStatus.NOT_STARTED, "gap": ControlStatus.NOT_STARTED, "missing": ControlStatus.NOT_STARTED,
    "open": ControlStatus.NOT_STARTED, "new": ControlStatus.NOT_STARTED, "draft": ControlStatus.NOT_STARTED,
    "not in place": ControlStatus.NOT_STARTED,
}


def parse_status(text: str) -> ControlStatus | None:
    """Return the control status a cell names (None when blank); raise ValueError when none matches."""
    words = _words(text)
    if not words:
        return None
    if words in _STATUS_WORDS:
        return _STATUS_WORDS[words]
    try:
        return ControlStatus(ControlStatus.parse(text))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a control status we know") from None


_NATURE_WORDS: dict[str, Nature] = {
    "manual": Nature.MANUAL, "manually": Nature.MANUAL, "it dependent manual": Nature.MANUAL,
    "it dependent": Nature.MANUAL, "itdm": Nature.MANUAL, "human": Nature.MANUAL, "m": Nature.MANUAL,
    "automated": Nature.AUTOMATED, "automatic": Nature.AUTOMATED, "auto": Nature.AUTOMATED,
    "system": Nature.AUTOMATED, "system enforced": Nature.AUTOMATED, "it automated": Nature.AUTOMATED,
    "a": Nature.AUTOMATED, "automation": Nature.AUTOMATED,
}


def parse_nature(text: str) -> Nature | None:
    """Return manual/automated for a cell (None when blank); raise ValueError when it is neither."""
    words = _words(text)
    if not words:
        return None
    if words in _NATURE_WORDS:
        return _NATURE_WORDS[words]
    raise ValueError(f"{text.strip()!r} is neither manual nor automated")


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ][0-9:.]+(?:z|[+-]\d{2}:?\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?: [0-9:.]+)?$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]+)\.?,?[ -](\d{2}|\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        return 2000 + value if value < 70 else 1900 + value
    return value


def _make(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{original!r} is not a real date") from None


def excel_serial_date(serial: float) -> date:
    """Return the date of an Excel (1900 system) serial number; raise ValueError when out of range."""
    if isinstance(serial, bool) or not MIN_SERIAL <= serial <= MAX_SERIAL:
        raise ValueError(f"{serial!r} is not an Excel date serial")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object, *, day_first: bool | None = None) -> date | None:
    """Return the date a cell holds (None when blank).

    Accepts dates, datetimes, Excel serials, ISO text, and text whose day and month cannot be confused.
    Text such as 03/04/2026 raises AmbiguousDateError unless `day_first` says which order the file uses;
    anything else that is not a date raises ValueError.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return excel_serial_date(value)
    text = " ".join(str(value).replace("\xa0", " ").split()).lower()
    if not text:
        return None
    if match := _ISO.match(text):
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), str(value))
    if match := _COMPACT.match(text):
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), str(value))
    if match := _NUMERIC.match(text):
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if first > 12 and second <= 12:
            return _make(year, second, first, str(value))
        if second > 12 and first <= 12:
            return _make(year, first, second, str(value))
        if first == second:
            return _make(year, first, second, str(value))
        if day_first is None:
            raise AmbiguousDateError(
                f"{str(value).strip()!r} could be {first:02d} {_month_name(second)} or {second:02d} "
                f"{_month_name(first)}; say whether the file writes the day or the month first"
            )
        day, month = (first, second) if day_first else (second, first)
        return _make(year, month, day, str(value))
    if match := _DAY_MONTH_NAME.match(text):
        month = _MONTHS.get(match.group(2))
        if month is not None:
            return _make(_year(match.group(3)), month, int(match.group(1)), str(value))
    if match := _MONTH_NAME_DAY.match(text):
        month = _MONTHS.get(match.group(1))
        if month is not None:
            return _make(int(match.group(3)), month, int(match.group(2)), str(value))
    raise ValueError(f"{str(value).strip()!r} is not a date we can read")


def order_contradiction(value: object, *, day_first: bool | None) -> str | None:
    """Return why a date text contradicts the order the user gave (None when it does not, or no order was given).

    With month first, 25/03/2026 can only be 25 March: the file writes the day first after all, so its other
    dates (03/04/2026) are probably being read the wrong way round.
    """
    if day_first is None or not isinstance(value, str):
        return None
    match = _NUMERIC.match(" ".join(value.replace("\xa0", " ").split()))
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if day_first and second > 12 >= first:
        day, month, written, asked = second, first, "month first", "day first"
    elif not day_first and first > 12 >= second:
        day, month, written, asked = first, second, "day first", "month first"
    else:
        return None
    return (f"{value.strip()!r} can only be {written} ({day} {_month_name(month)} {_year(match.group(3))}), "
            f"yet the import reads dates {asked}; the file's other dates may be read the wrong way round")


def _month_name(month: int) -> str:
    names = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
    return names[month - 1] if 1 <= month <= 12 else f"month {month}"


def cell_text(value: object) -> str:
    """Return a cell's value as the text a person typed: 12.0 -> "12", dates as ISO, None -> ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_FORMULA = re.compile(r"^=\s*(?:[A-Za-z_][A-Za-z0-9_.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b|'[^']+'!|[A-Za-z0-9_]+!)")


def looks_like_formula(text: str) -> bool:
    """Return True for text that is a spreadsheet formula ("=CONCAT(A2,B2)", "=B2&C2"), not its value."""
    return _FORMULA.match(text.strip()) is not None


_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C))
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")


def _unsafe_kind(char: str) -> str | None:
    if char in "\r\n\u2028\u2029\x85\x0b\x0c":
        return "a line break"
    if char in _BIDI:
        return "a bidirectional-text control"
    if char in _ZERO_WIDTH:
        return "a zero-width character"
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if category in ("Cf", "Co", "Cs", "Cn"):
        return "an invisible or unassigned character"
    return None


def identifier_problem(text: str) -> str | None:
    """Return why an identifier (already trimmed) is unusable, e.g. "holds a line break (U+000A)", or None."""
    for char in text:
        kind = _unsafe_kind(char)
        if kind is not None:
            return f"holds {kind} (U+{ord(char):04X})"
    return None


def shown_identifier(text: str) -> str:
    """Return an identifier with every invisible or control character written as its code: "AC-1\\u202e"."""
    return "".join(f"\\u{ord(c):04x}" if _unsafe_kind(c) is not None else c for c in text)
