"""How the registers' cells read: yes or no, a 1-5 level, a 1-25 score, a duration, one word of a short list."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")

LEVELS = range(1, 6)  # likelihood and impact are rated 1 (lowest) to 5 (highest)
MAX_SCORE = 25


def words(text: str) -> str:
    """Return text lower-cased with every run of other characters than letters and digits as one space."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower()).split())


_YES = frozenset({"yes", "y", "true", "t", "1", "x", "ja", "oui", "si", "checked", "done", "notified"})
_NO = frozenset({"no", "n", "false", "f", "0", "none", "not notified", "n a", "na", "not applicable", "nein", "non"})


def parse_yes_no(text: str) -> bool | None:
    """Return True or False for a yes/no cell (None when blank); raise ValueError for anything else."""
    said = words(text)
    if not said:
        return None
    if said in _YES or said.startswith("yes "):
        return True
    if said in _NO or said.startswith("no "):
        return False
    raise ValueError(f"{str(text).strip()[:40]!r} is not yes or no")


_LEVEL_WORDS: dict[str, int] = {
    **dict.fromkeys(("very low", "rare", "remote", "negligible", "insignificant", "minimal", "very unlikely"), 1),
    **dict.fromkeys(("low", "unlikely", "minor", "improbable"), 2),
    **dict.fromkeys(("medium", "moderate", "possible", "occasional", "med", "mid"), 3),
    **dict.fromkeys(("high", "likely", "major", "probable", "significant"), 4),
    **dict.fromkeys(("very high", "almost certain", "certain", "severe", "catastrophic", "critical", "extreme",
                     "frequent"), 5),
}


def _whole(text: str, what: str) -> int:
    cleaned = str(text).strip().replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"{str(text).strip()[:40]!r} is not a {what}") from None
    if not number.is_integer():
        raise ValueError(f"{cleaned} is not a whole number")
    return int(number)


def parse_level(text: str) -> int | None:
    """Return a likelihood or impact from 1 to 5 (a number, or a word such as "High"); None when blank."""
    said = words(text)
    if not said:
        return None
    if said in _LEVEL_WORDS:
        return _LEVEL_WORDS[said]
    # A number then words ("4 - likely", "3 (moderate)"); any other cell is read whole, so "3.5" or "-1" is refused.
    labelled = re.fullmatch(r"(\d+)\s*[-–:(.]*\s*[a-z].*", str(text).strip(), re.IGNORECASE | re.DOTALL)
    level = int(labelled.group(1)) if labelled else _whole(str(text), "level from 1 to 5")
    if level not in LEVELS:
        raise ValueError(f"{level} is outside the scale of 1 to 5")
    return level


def parse_score(text: str) -> int | None:
    """Return a risk score from 1 to 25 (likelihood times impact); None when blank."""
    said = str(text).strip()
    if not said:
        return None
    score = _whole(said, "score")
    if not 1 <= score <= MAX_SCORE:
        raise ValueError(f"{score} is outside the scores of 1 to {MAX_SCORE}")
    return score


_UNITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("minutes", "minute", "mins", "min", "m"), 1),
    (("hours", "hour", "hrs", "hr", "h"), 60),
    (("days", "day", "d"), 24 * 60),
    (("weeks", "week", "wk", "w"), 7 * 24 * 60),
)
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]*)")


def parse_duration(text: str) -> int | None:
    """Return a duration in minutes: "4h", "4 hours", "15 min", "1d", "1:30" (hours and minutes); a bare number
    is hours. None when blank; ValueError for anything else."""
    said = str(text).strip().lower()
    if not said or said in ("-", "n/a", "na"):
        return None
    if re.search(r"-\s*\d", said):  # "-4h" or a range "2-4h": summing its parts would invent a duration
        raise ValueError(f"{str(text).strip()[:40]!r} is not one duration (say 4h, 30 min or 1 day)")
    clock = re.fullmatch(r"(\d+):(\d{2})(?::\d{2})?", said)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    total, matched = 0.0, ""
    for number, unit in _PART.findall(said):
        factor = 60 if not unit else next((f for names, f in _UNITS if unit in names), 0)
        if not factor:
            raise ValueError(f"{str(text).strip()[:40]!r} is not a duration (say 4h, 30 min or 1 day)")
        total += float(number.replace(",", ".")) * factor
        matched += number + unit
    if not matched or matched != re.sub(r"[^0-9a-z.,]", "", said.replace("and", "")):
        raise ValueError(f"{str(text).strip()[:40]!r} is not a duration (say 4h, 30 min or 1 day)")
    return round(total)


def format_duration(minutes: int | None) -> str:
    """Return a duration as the pages show it: "45 min", "4 h", "1 h 30 min", "2 d"."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes} min"
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} d"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")


def parse_from(table: Mapping[str, T], text: str, what: str) -> T | None:
    """Return the value a cell names by its words in `table` (None when blank); ValueError naming `what`."""
    said = words(text)
    if not said:
        return None
    if said in table:
        return table[said]
    for phrase, value in table.items():  # "SEV1 - outage", "Restore test (Aurora)"
        if said.startswith(phrase + " "):
            return value
    raise ValueError(f"{str(text).strip()[:40]!r} is not {what}")
