"""Non-working days (holidays) of a plan, read from text: a date per line or a list separated by commas.

Each entry begins with an ISO date (YYYY-MM-DD); what follows it on the entry is its name and is ignored, as is
anything after a '#'. So "2026-12-25 Christmas Day" and "2026-12-25, 2027-01-01" both read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workbench.domain.errors import ValidationError


def parse_holidays(text: str, source: str = "holidays") -> frozenset[date]:
    """Return the dates listed in text; a bad entry is refused naming `source`, its line and the entry."""
    days: set[date] = set()
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        for entry in line.split("#", 1)[0].split(","):
            words = entry.split()
            if not words:
                continue
            try:
                days.add(date.fromisoformat(words[0]))
            except ValueError:
                where = f"{source} line {number}" if len(lines) > 1 else source
                raise ValidationError(where, f"{words[0]!r} is not a date (YYYY-MM-DD)") from None
    return frozenset(days)


def format_holidays(days: Iterable[date]) -> str:
    """Return the dates one per line, in order (what parse_holidays reads back)."""
    return "\n".join(day.isoformat() for day in sorted(set(days)))
