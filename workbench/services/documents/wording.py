"""Wording shared by the management documents: dates written out, the period, the categories, the signature."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workbench.domain.documents import SignatureBlock, isolated
from workbench.domain.entities import ProjectSettings
from workbench.domain.enums import ReportType
from workbench.domain.errors import ValidationError

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(day: date) -> str:
    """Return a date as a letter writes it: "30 September 2026" (the same in every locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def as_of(settings: ProjectSettings) -> date | None:
    """Return a Type I report's as-of date (the period end, else its start)."""
    return settings.period_end or settings.period_start


def checked_period(settings: ProjectSettings, what: str) -> tuple[date, date]:
    """Return the report's period (start == end for Type I); refuse, naming the document, when it is not set."""
    if settings.report_type is ReportType.TYPE1:
        day = as_of(settings)
        if day is None:
            raise ValidationError(what, "the project has no as-of date; set the report date on the scope page first")
        return day, day
    if settings.period_start is None or settings.period_end is None:
        raise ValidationError(what, "the project has no audit period; set its start and end on the scope page "
                                    "first")
    return settings.period_start, settings.period_end


def checked_system(settings: ProjectSettings, what: str) -> str:
    """Return the system's name, which a signed document must state; refuse, naming the document, when it is unset."""
    name = settings.system_name.strip()
    if not name:
        raise ValidationError(what, "the project does not name its system; give the system's name on the scope page "
                                    "first")
    return name


def period_words(report_type: ReportType, start: date, end: date) -> str:
    """Return "as of 31 December 2025" (Type I) or "for the period 1 April 2026 to 30 September 2026" (Type II)."""
    if report_type is ReportType.TYPE1:
        return f"as of {long_date(end)}"
    return f"for the period {long_date(start)} to {long_date(end)}"


def joined(words: list[str] | tuple[str, ...]) -> str:
    """Return words as prose: "A", "A and B", "A, B and C"."""
    words = [w for w in words if w]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + (f" and {words[-1]}" if words else "")


def categories_words(settings: ProjectSettings) -> str:
    """Return the trust services categories in scope as prose ("Security, Availability and Confidentiality")."""
    return joined([category.label for category in settings.categories]) or "Security"


def signature(organization: str, on: date) -> SignatureBlock:
    """Return the place for a member of management to sign, with name, title, organisation and date."""
    return SignatureBlock(("Name:", "Title:", f"For and on behalf of {organization}", f"Date: {long_date(on)}"))


def isolated_settings(settings: ProjectSettings) -> ProjectSettings:
    """Return the settings with the organisation's and the system's names isolated for setting into sentences."""
    return replace(settings, organization=isolated(settings.organization), system_name=isolated(settings.system_name))
