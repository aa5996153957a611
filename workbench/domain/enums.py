"""Enumerations shared by every layer: stored by value, shown by label."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a human label."""

    @property
    def label(self) -> str:
        """Return the text shown to users."""
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def parse(cls, text: str) -> LabelledEnum:
        """Return the member named by value or label, tolerant of case, spaces and hyphens."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if key in (member.value, member.label.lower().replace(" ", "_")):
                return member
        raise ValueError(f"{text!r} is not one of: {', '.join(m.value for m in cls)}")


class ReportType(LabelledEnum):
    TYPE1 = "type1"
    TYPE2 = "type2"

    @property
    def label(self) -> str:
        return "Type I" if self is ReportType.TYPE1 else "Type II"


class Category(LabelledEnum):
    SECURITY = "security"
    AVAILABILITY = "availability"
    CONFIDENTIALITY = "confidentiality"
    PROCESSING_INTEGRITY = "processing_integrity"
    PRIVACY = "privacy"

    @property
    def cli_name(self) -> str:
        """Return the spelling used on the command line."""
        return self.value.replace("_", "-")


class AssessmentStatus(LabelledEnum):
    NOT_ASSESSED = "not_assessed"
    MET = "met"
    PARTIALLY_MET = "partially_met"
    GAP = "gap"
    NOT_APPLICABLE = "not_applicable"


class ControlStatus(LabelledEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"


class Frequency(LabelledEnum):
    CONTINUOUS = "continuous"
    MULTIPLE_TIMES_DAILY = "multiple_times_daily"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"
    EVENT_DRIVEN = "event_driven"


class Nature(LabelledEnum):
    MANUAL = "manual"
    AUTOMATED = "automated"


class TaskStatus(LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ComponentKind(LabelledEnum):
    INFRASTRUCTURE = "infrastructure"
    SOFTWARE = "software"
    PEOPLE = "people"
    DATA = "data"
    PROCEDURES = "procedures"


class SubserviceMethod(LabelledEnum):
    CARVE_OUT = "carve_out"
    INCLUSIVE = "inclusive"


class RequestStatus(LabelledEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    NEEDS_FOLLOW_UP = "needs_follow_up"


class Opinion(LabelledEnum):
    UNQUALIFIED = "unqualified"
    QUALIFIED = "qualified"
    ADVERSE = "adverse"
    DISCLAIMER = "disclaimer"
