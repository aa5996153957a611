"""Access reviews (CC6.2, CC6.3): a campaign per system over the user list taken at review time, each account
matched to the roster and flagged, a reviewer's decision per account, and what changed since the last campaign."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.domain.enums import LabelledEnum
from workbench.domain.people import Person
from workbench.domain.register_record import RegisterRecord
from workbench.domain.register_values import parse_from

DORMANT_DAYS = 90  # an account unused this long before the review is dormant


class Decision(LabelledEnum):
    KEEP = "keep"
    CHANGE = "change"
    REMOVE = "remove"


_DECISIONS = {**dict.fromkeys(("keep", "kept", "retain", "ok", "approve", "approved", "no change"), Decision.KEEP),
              **dict.fromkeys(("change", "modify", "reduce", "downgrade", "amend"), Decision.CHANGE),
              **dict.fromkeys(("remove", "revoke", "delete", "disable", "deactivate", "removed"), Decision.REMOVE)}


def parse_decision(text: str) -> Decision | None:
    """Return the decision a cell or an option names (keep, change, remove); None when blank."""
    return parse_from(_DECISIONS, text, "keep, change or remove")


class Flag(LabelledEnum):
    LEFT = "left the company"
    NOT_ON_ROSTER = "not on the roster"
    DORMANT = "dormant"
    PRIVILEGED = "privileged"
    NEW = "new since the last review"


@dataclass(frozen=True, slots=True)
class Entry:
    """One account of the user list, with the reviewer's decision."""

    login: str
    email: str = ""
    name: str = ""
    role: str = ""
    admin: bool | None = None
    status: str = ""
    last_login: date | None = None
    decision: Decision | None = None
    note: str = ""
    task_id: int | None = None  # the task tracking a removal to done
    version: int = 0  # the stored row's version when read (0: not read from a project)


@dataclass(frozen=True, slots=True)
class Campaign(RegisterRecord):
    system: str
    started_on: date | None = None
    source: str = ""  # the user list's file name
    sha256: str = ""  # of the user list, its completeness evidence
    reviewer: str = ""
    closed_on: date | None = None
    control_ref: str | None = None
    evidence_id: int | None = None
    entries: tuple[Entry, ...] = ()

    @property
    def closed(self) -> bool:
        """Return True once the campaign is signed and closed."""
        return self.closed_on is not None

    def entry(self, login: str) -> Entry | None:
        """Return the entry of this login (case-insensitive), or None."""
        wanted = login.strip().casefold()
        return next((e for e in self.entries if e.login.casefold() == wanted), None)

    @property
    def undecided(self) -> tuple[str, ...]:
        """Return the logins still without a decision."""
        return tuple(e.login for e in self.entries if e.decision is None)


def _keys(text: str) -> set[str]:
    text = text.strip().casefold()
    return {text, text.split("@")[0]} if text else set()


def roster_index(people: Iterable[Person]) -> dict[str, Person]:
    """Return the roster by email, by the email's local part and by name (folded)."""
    index: dict[str, Person] = {}
    for person in people:
        for key in (*_keys(person.email), person.name.strip().casefold()):
            if key:
                index.setdefault(key, person)
    return index


def person_of(entry: Entry, roster: Mapping[str, Person]) -> Person | None:
    """Return the person an account belongs to: by its email, its login, or its name."""
    for text in (entry.email, entry.login, entry.name):
        for key in _keys(text):
            if key in roster:
                return roster[key]
    return None


def flags(entry: Entry, roster: Mapping[str, Person], previous: set[str] | None, on: date | None) -> tuple[Flag, ...]:
    """Return what the reviewer should look at for an account: left, not on the roster, dormant, privileged, new."""
    found: list[Flag] = []
    person = person_of(entry, roster)
    if person is None:
        found.append(Flag.NOT_ON_ROSTER)
    elif person.end_date is not None and (on is None or person.end_date <= on):
        found.append(Flag.LEFT)
    if on is not None and entry.last_login is not None and entry.last_login < on - timedelta(days=DORMANT_DAYS):
        found.append(Flag.DORMANT)
    role = entry.role.casefold()
    if entry.admin or any(word in role for word in ("admin", "owner", "root", "superuser")):
        found.append(Flag.PRIVILEGED)
    if previous is not None and entry.login.casefold() not in previous:
        found.append(Flag.NEW)
    return tuple(found)


def reviews_own_access(reviewer: str, entries: Iterable[Entry], roster: Mapping[str, Person]) -> str | None:
    """Return the login among the entries that is the reviewer's own account, or None."""
    wanted = reviewer.strip().casefold()
    person = roster.get(wanted)
    for entry in entries:
        if wanted in _keys(entry.login) | _keys(entry.email) | {entry.name.strip().casefold()}:
            return entry.login
        if person is not None and person_of(entry, roster) == person:
            return entry.login
    return None


@dataclass(frozen=True, slots=True)
class Difference:
    """What changed since the system's last campaign: accounts added, accounts gone, roles or admin changed."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Return it as one line."""
        parts = [f"{what}: {', '.join(logins)}" for what, logins in (
            ("new", self.added), ("gone", self.removed), ("role changed", self.changed)) if logins]
        return "; ".join(parts) if parts else "no change"


def difference(before: Campaign | None, after: Campaign) -> Difference | None:
    """Return what changed from the earlier campaign of the same system (None when there is none)."""
    if before is None:
        return None
    old = {e.login.casefold(): e for e in before.entries}
    new = {e.login.casefold(): e for e in after.entries}
    return Difference(
        tuple(e.login for k, e in new.items() if k not in old),
        tuple(e.login for k, e in old.items() if k not in new),
        tuple(e.login for k, e in new.items() if k in old and (e.role, e.admin) != (old[k].role, old[k].admin)))
