"""Policies (CC1.1, CC2.2, CC5.3): a policy is edited as a draft; publishing freezes a version (its exact text,
hashed) with who approved it and when it takes effect; staff acknowledge a version. Which version was in force on a
day, when the next review is due, and who is behind are worked out here, from the records alone."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from workbench.domain.people import Person

HIRE_DAYS = 30  # a joiner acknowledges the policies in force within this many days of starting
NEAR = 0.85  # how alike a misspelt policy name must be to the one it stands for
MAX_TABLE_COLUMNS = 30  # a column of a printed page needs a few characters' width; ~38 leave none at all


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """A published version: frozen text and its SHA-256, who approved it, when approved and when it takes effect."""

    number: int
    body: str
    sha256: str
    approver: str
    approved_on: date
    effective_on: date
    published_at: str = ""  # when it was published in the program (ISO date and time)


@dataclass(frozen=True, slots=True)
class Policy:
    """A policy: its metadata, the draft being edited (None: none), and its published versions, oldest first."""

    key: str
    title: str
    owner: str = ""
    review_months: int = 12
    criteria: tuple[str, ...] = ()
    template_key: str = ""
    draft_body: str | None = None
    versions: tuple[PolicyVersion, ...] = ()
    source: str = ""  # where its first text came from (a template, an imported file and its evidence record)
    id: int = field(default=0, compare=False)
    version: int = field(default=0, compare=False)  # the row version (optimistic concurrency), not a policy version

    @property
    def ref(self) -> str:
        """Return the policy's key (the registers call their identifier a ref)."""
        return self.key

    @property
    def latest(self) -> PolicyVersion | None:
        """Return the last published version, or None."""
        return self.versions[-1] if self.versions else None

    def numbered(self, number: int) -> PolicyVersion | None:
        """Return the version with this number, or None."""
        return next((v for v in self.versions if v.number == number), None)


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A person's acknowledgement of one version of a policy, the day they signed, and where it was recorded."""

    person: str  # the person's reference in the people register (or the name written, when there is no register)
    policy_key: str
    version: int
    acknowledged_on: date
    source: str = ""
    id: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Behind:
    """A person employed on a day who has not acknowledged the version of a policy in force that day."""

    person: str  # reference
    name: str
    policy_key: str
    version: int


def body_sha256(body: str) -> str:
    """Return the SHA-256 of a text's exact UTF-8 bytes."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def in_force(policy: Policy, on: date) -> PolicyVersion | None:
    """Return the version in force on a day: the latest whose effective date is on or before it; None before any."""
    found = [v for v in policy.versions if v.effective_on <= on]
    return max(found, key=lambda v: (v.effective_on, v.number)) if found else None


def review_due(policy: Policy, on: date) -> date | None:
    """Return when the version in force on a day is due for review (its effective date + the review cycle)."""
    current = in_force(policy, on)
    return None if current is None else current.effective_on + relativedelta(months=policy.review_months)


def employed_on(person: Person, on: date) -> bool:
    """Return True when a person works for the company on a day (started on or before it, not yet left)."""
    return (person.start_date is None or person.start_date <= on) and (person.end_date is None or person.end_date >= on)


def as_signed_by(people: Sequence[Person], acks: Iterable[Acknowledgement]) -> list[Acknowledgement]:
    """Return the acknowledgements with each person as a reference of the people register: one recorded by name or
    email before the register named them counts for that person (a name nobody answers to stays as written)."""
    acks = list(acks)
    refs = {p.ref for p in people}
    if all(a.person in refs for a in acks):
        return acks
    # what person_named matches (reference, email, name), indexed once: a name answering to two people is no one's
    answers: dict[str, set[str]] = {}
    for person in people:
        for said in (person.ref, person.email.strip(), " ".join(person.name.split())):
            if said:
                answers.setdefault(said.casefold(), set()).add(person.ref)
    found: dict[str, str] = {}
    for ack in acks:
        named = answers.get(" ".join(ack.person.split()).casefold(), set()) if ack.person not in refs else set()
        if len(named) == 1:
            found[ack.person] = next(iter(named))
    return [replace(a, person=found[a.person]) if a.person in found else a for a in acks]


def _signed(acks: Iterable[Acknowledgement]) -> dict[tuple[str, str], int]:
    """Return the highest version each (person, policy) acknowledged."""
    best: dict[tuple[str, str], int] = {}
    for ack in acks:
        key = (ack.person, ack.policy_key)
        best[key] = max(best.get(key, 0), ack.version)
    return best


def who_is_behind(policies: Iterable[Policy], people: Iterable[Person], acks: Iterable[Acknowledgement],
                  on: date) -> list[Behind]:
    """Return, policy by policy, the people employed on a day who have not acknowledged the version in force then
    (an acknowledgement of that version or a later one counts)."""
    people = list(people)
    signed = _signed(as_signed_by(people, acks))
    staff = [p for p in people if employed_on(p, on)]
    behind = []
    for policy in policies:
        current = in_force(policy, on)
        if current is None:
            continue
        behind += [Behind(p.ref, p.name or p.ref, policy.key, current.number) for p in staff
                   if signed.get((p.ref, policy.key), 0) < current.number]
    return behind


def acknowledged_at_hire(person: Person, policies: Iterable[Policy], acks: Sequence[Acknowledgement]) -> bool:
    """Return True when a joiner acknowledged every policy in force on their first day within HIRE_DAYS of it
    (a person without a start date, or joining before any policy was in force, has nothing to acknowledge)."""
    if person.start_date is None:
        return True
    deadline = person.start_date + timedelta(days=HIRE_DAYS)
    for policy in policies:
        current = in_force(policy, person.start_date)
        if current is not None and not any(
                a.person == person.ref and a.policy_key == policy.key and a.version >= current.number
                and a.acknowledged_on <= deadline for a in acks):
            return False
    return True


def _names(names: Sequence[str], limit: int = 3) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def policy_actions(policies: Sequence[Policy], people: Sequence[Person], acks: Sequence[Acknowledgement],
                   today: date, period_start: date | None = None) -> list[str]:
    """Return what the policies call for: drafts never published, reviews past due, people who have not
    acknowledged the version in force, and joiners (of the period, when it has a start) who acknowledged nothing
    at hire."""
    actions = []
    unpublished = [p.title or p.key for p in policies if not p.versions]
    if unpublished:
        actions.append(f"Approve and publish {_count(len(unpublished), 'policy', 'policies')} never published "
                       f"({_names(unpublished)})")
    overdue = [p.title or p.key for p in policies if (due := review_due(p, today)) is not None and due < today]
    if overdue:
        actions.append(f"Review {_count(len(overdue), 'policy', 'policies')} past the review date "
                       f"({_names(overdue)})")
    acks = as_signed_by(people, acks)
    behind = who_is_behind(policies, people, acks, today)
    if behind:
        names = list(dict.fromkeys(b.name for b in behind))
        actions.append(f"Have {_count(len(names), 'person', 'people')} acknowledge the policies in force "
                       f"({len(behind)} acknowledgements missing: {_names(names)})")
    joiners = [p.name or p.ref for p in people if p.start_date is not None and p.start_date <= today
               and (period_start is None or p.start_date >= period_start)
               and not acknowledged_at_hire(p, policies, acks)]
    if joiners:
        actions.append(f"Acknowledgement at hire missing for {_count(len(joiners), 'joiner', 'joiners')}: the "
                       f"policies in force were not acknowledged within {HIRE_DAYS} days of starting "
                       f"({_names(joiners)})")
    return actions


_NOT_WORD = re.compile(r"[^0-9a-z]+")
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?")  # the line under a Markdown table's header
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")  # what a template leaves to fill in, as {{name}}


def folded_name(text: str) -> str:
    """Return a policy's key or title folded for matching: lower case, words only (accents taken off letters, so
    "Sécurité" folds as "securite"), without a trailing 'policy'."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", bare).split()
    if len(words) > 1 and words[-1] in ("policy", "policies"):
        words = words[:-1]
    return " ".join(words)


def policy_key_from(title: str) -> str:
    """Return a key made from a title ("Access Control Policy" -> "access-control")."""
    return folded_name(title).replace(" ", "-")[:60].strip("-") or "policy"


def policy_named(policies: Iterable[Policy], text: str) -> Policy | None:
    """Return the policy a cell names by key or title, ignoring case, punctuation and a trailing 'policy'; else the
    one policy whose key or title is a near spelling of it (a typo); None when none or several are."""
    wanted = folded_name(text)
    if not wanted:
        return None
    names = {name: policy for policy in policies for name in (folded_name(policy.key), folded_name(policy.title))}
    if wanted in names:
        return names[wanted]
    near = {id(names[n]): names[n] for n in difflib.get_close_matches(wanted, list(names), n=4, cutoff=NEAR)}
    return next(iter(near.values())) if len(near) == 1 else _named_within(names, wanted)


def _named_within(names: dict[str, Policy], wanted: str) -> Policy | None:
    """Return the one policy whose key or title stands as whole words in a longer text ("Please DocuSign: Code of
    Conduct"), a name inside a longer matched name not counting; None when none or several do."""
    found = [name for name in names if f" {name} " in f" {wanted} "]
    longest = [name for name in found if not any(name != other and name in other for other in found)]
    policies = {id(names[name]): names[name] for name in longest}
    return next(iter(policies.values())) if len(policies) == 1 else None


def named_exactly(policy: Policy, text: str) -> bool:
    """Return True when a text names the policy by its key or title (case, punctuation and 'policy' aside), not
    loosely (a misspelling, or a title inside a longer text)."""
    return folded_name(text) in (folded_name(policy.key), folded_name(policy.title))


def placeholders_left(body: str) -> tuple[str, ...]:
    """Return the names of the template {{placeholders}} a text still holds, each once, in order of first use."""
    return tuple(dict.fromkeys(_PLACEHOLDER.findall(body)))


def dated_in_future(day: date, today: date) -> str | None:
    """Return why a signature dated `day` cannot be recorded on `today` (None when it can)."""
    if day > today:
        return f"{day.isoformat()} is after today ({today.isoformat()}); a signature cannot be dated in the future"
    return None


def person_named(people: Iterable[Person], text: str) -> Person | None:
    """Return the person a cell names by reference, email or name (ignoring case and spacing); None when no one
    or more than one person answers to it."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    found = [p for p in people if wanted in (p.ref.casefold(), p.email.strip().casefold(),
                                             " ".join(p.name.split()).casefold())]
    return found[0] if len(found) == 1 else None


def version_signed(policy: Policy, on: date) -> PolicyVersion | None:
    """Return the version a signature of a day acknowledges when it names none: the one in force that day, else the
    latest approved by then (signed ahead of its effective date); None when nothing was approved yet."""
    current = in_force(policy, on)
    if current is not None:
        return current
    approved = [v for v in policy.versions if v.approved_on <= on]
    return approved[-1] if approved else None


def too_wide_table(body: str) -> str | None:
    """Return where a policy's Markdown holds a table with more columns than a page can print, else None."""
    for number, (header, rule) in enumerate(pairwise(body.splitlines()), start=1):
        stripped = rule.strip()
        if "|" in header and "|" in stripped and _TABLE_RULE.fullmatch(stripped):
            columns = len(stripped.strip("|").split("|"))
            if columns > MAX_TABLE_COLUMNS:
                return (f"line {number:,} starts a table of {columns:,} columns; at most {MAX_TABLE_COLUMNS} fit the "
                        "width of a page: split it into narrower tables")
    return None
