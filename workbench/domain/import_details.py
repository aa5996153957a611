"""Import-level details some kinds of register ask for (a population's control, source, query ...), as data.

The command line adds one option per detail named here without loading the import engine; a kind's RegisterSpec
takes the details whose `kinds` name it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DetailOption:
    """One import-level detail: its name (the option is --NAME with dashes), what it is, the kinds that take it."""

    name: str
    help: str
    kinds: tuple[str, ...]
    required: bool = False
    metavar: str = "TEXT"


DETAILS: tuple[DetailOption, ...] = (
    DetailOption("control", "the control the register evidences (populations: required; findings: the tool run's)",
                 ("populations", "findings"),
                 required=True, metavar="REF"),
    DetailOption("source", "the system of record the file was exported from (populations)", ("populations",),
                 metavar="SYSTEM"),
    DetailOption("query", "the query or filter that produced the file (populations)", ("populations",)),
    DetailOption("generated_at", "the day the file was generated, YYYY-MM-DD (populations; findings: the day the "
                 "scan ran, for a report that carries no time of its own)", ("populations", "findings"),
                 metavar="YYYY-MM-DD"),
    DetailOption("generated_by", "who generated the file (populations)", ("populations",), metavar="NAME"),
    DetailOption("emergency_labels", "labels marking an emergency change in a GitHub pull-request list, "
                 "comma-separated (populations; default: emergency, hotfix, expedite)", ("populations",),
                 metavar="WORDS"),
    DetailOption("system", "the system whose user list the file is (access-reviews: required)", ("access-reviews",),
                 required=True, metavar="NAME"),
)


def details_of(kind: str) -> tuple[DetailOption, ...]:
    """Return the details a kind of register takes."""
    return tuple(d for d in DETAILS if kind in d.kinds)
