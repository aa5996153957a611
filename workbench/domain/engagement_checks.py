"""The representation-letter and subsequent-events checklist the engagement page keeps (items in our own words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REPRESENTATION, SUBSEQUENT = "Representation letter", "Subsequent events"


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One item to tick: a stable key, the group it belongs to, and what to check."""

    key: str
    group: str
    text: str


@dataclass(frozen=True, slots=True)
class CheckState:
    """An item as the project holds it: ticked on a day by someone, or not (done_on None)."""

    key: str
    done_on: date | None = None
    done_by: str = ""

    @property
    def done(self) -> bool:
        """Return True when the item is ticked."""
        return self.done_on is not None


ENGAGEMENT_CHECKS: tuple[CheckItem, ...] = (
    CheckItem("rep-responsibility", REPRESENTATION,
              "Management confirms it is responsible for the system description and the controls in it"),
    CheckItem("rep-access", REPRESENTATION,
              "Every record, person and piece of information the auditor asked for was made available"),
    CheckItem("rep-deviations", REPRESENTATION,
              "Known control failures, deviations and relevant complaints have been told to the auditor"),
    CheckItem("rep-fraud", REPRESENTATION,
              "Any fraud or suspected fraud by people with a part in the controls has been disclosed"),
    CheckItem("rep-compliance", REPRESENTATION,
              "Known breaches of law, regulation or contract that touch the system have been disclosed"),
    CheckItem("rep-signed", REPRESENTATION,
              "The letter carries the report's date and is signed by those who sign the management assertion"),
    CheckItem("sub-asked", SUBSEQUENT,
              "Management was asked about events between the end of the period and the report date"),
    CheckItem("sub-incidents", SUBSEQUENT, "The incident register was read for incidents after the period ended"),
    CheckItem("sub-changes", SUBSEQUENT,
              "Significant changes to the system, vendors or key staff after the period ended were reviewed"),
    CheckItem("sub-vendors", SUBSEQUENT,
              "New SOC reports or findings of subservice organisations received since the period ended were read"),
    CheckItem("sub-disclosed", SUBSEQUENT,
              "Events that affect the description or the controls were disclosed to the auditor"),
)
CHECK_KEYS: tuple[str, ...] = tuple(item.key for item in ENGAGEMENT_CHECKS)
