"""How the GUI shows dates: one way, the user's locale's, with the month by name (files keep ISO YYYY-MM-DD).

The format is the locale's long date without the weekday and with the month abbreviated: "3 Apr 2026" in
Britain, "Apr 3, 2026" in the United States, "3. Apr. 2026" in Germany, "2026年4月3日" in Japan. A month by name
reads the same whichever way round the locale puts day and month, so no date on screen is ambiguous.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QTime

_WEEKDAY = re.compile(r"d{4}")
_FORMAT_LETTERS = re.compile(r"[dMy]")
_formats: dict[str, str] = {}


def _medium(locale: QLocale) -> str:
    long = locale.dateFormat(QLocale.FormatType.LongFormat)
    pattern = _WEEKDAY.sub("", long).rstrip(" ,،")
    first = _FORMAT_LETTERS.search(pattern)
    pattern = pattern[first.start():] if first else ""  # words that only led into the weekday go with it
    pattern = re.sub(r"(?<!M)MMMM(?!M)", "MMM", re.sub(r"\s{2,}", " ", pattern))
    if not all(letter in pattern for letter in "dMy"):  # an unusual long format: the short one, with the century
        short = locale.dateFormat(QLocale.FormatType.ShortFormat)
        pattern = short if "yyyy" in short else short.replace("yy", "yyyy")
    return pattern


def date_format(locale: QLocale | None = None) -> str:
    """Return the Qt format of a date on screen in this locale (the user's when None), for text and date fields."""
    locale = locale or QLocale()
    key = locale.bcp47Name() + "|" + locale.name()
    found = _formats.get(key)
    if found is None:
        found = _formats[key] = _medium(locale)
    return found


def shown_date(value: date | None, missing: str = "") -> str:
    """Return a date as the GUI shows it (`missing` when there is none)."""
    if value is None:
        return missing
    locale = QLocale()
    return locale.toString(QDate(value.year, value.month, value.day), date_format(locale))


def shown_period(start: date | None, end: date | None, missing: str = "") -> str:
    """Return a range of days as "start – end" (one date when they are the same day or one is missing)."""
    if start is None or end is None or start == end:
        return shown_date(start or end, missing)
    return f"{shown_date(start)} – {shown_date(end)}"


def shown_moment(value: datetime) -> str:
    """Return a moment in local time: its date as shown_date, then the time of day in the locale's short form."""
    local = value.astimezone() if value.tzinfo else value
    time = QLocale().toString(QTime(local.hour, local.minute, local.second), QLocale.FormatType.ShortFormat)
    return f"{shown_date(local.date())} {time}"


def shown_month(value: date, year: bool = True) -> str:
    """Return a month by name as a chart's scale shows it ("April 2026", or "Apr" alone)."""
    locale = QLocale()
    if not year:
        return locale.standaloneMonthName(value.month, QLocale.FormatType.ShortFormat)
    return f"{locale.standaloneMonthName(value.month)} {locale.toString(QDate(value.year, 1, 1), 'yyyy')}"
