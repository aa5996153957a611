"""A system's user list as a RegisterSpec: importing it starts an access review campaign for that system (kind
`access-reviews`), each account matched to the roster and flagged; listing gives every campaign's accounts."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.access_reviews import (
    Campaign,
    Difference,
    Entry,
    Flag,
    difference,
    flags,
    parse_decision,
    roster_index,
)
from workbench.domain.errors import WorkbenchError
from workbench.domain.import_details import details_of
from workbench.domain.register_values import parse_yes_no
from workbench.services.changes import Touched
from workbench.services.importers.spec import CREATE, Detail, Field, FieldType, Loaded, RegisterSpec, wizard_texts

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, ENUM = FieldType.TEXT, FieldType.DATE, FieldType.ENUM

FIELDS = (
    Field("login", TEXT, "Login", (
        "login", "username", "user name", "user", "user id", "userid", "account", "account name", "principal",
        "handle", "email", "e mail", "email address", "user email", "sign in name", "upn", "member",
    ), vetoes=frozenset({"last", "date", "time", "count"}), required=True, what="the login", brief=True),
    Field("email", TEXT, "Email", ("email", "e mail", "email address", "user email", "mail", "primary email"),
          vetoes=frozenset({"manager"}), brief=True),
    Field("name", TEXT, "Name", ("name", "full name", "display name", "user full name", "person", "owner"),
          vetoes=frozenset({"user", "account", "login"}), brief=True),
    Field("role", TEXT, "Role", ("role", "roles", "group", "groups", "permission", "permissions", "access level",
                                 "profile", "privileges", "team", "access"), brief=True),
    Field("admin", ENUM, "Admin", ("admin", "is admin", "administrator", "privileged", "superuser", "admin flag",
                                   "is owner", "mfa admin", "org admin", "site admin"), parse=parse_yes_no),
    Field("status", TEXT, "Status", ("status", "state", "account status", "active", "enabled", "user status"),
          brief=True),
    Field("last_login", DATE, "Last login", (
        "last login", "last sign in", "last signin", "last seen", "last active", "last activity", "last used",
        "last login date", "last logon", "last authenticated", "last access",
    ), what="the last login"),
    Field("decision", ENUM, "Decision", ("decision", "review decision", "action", "keep remove", "outcome"),
          parse=parse_decision),
    Field("note", TEXT, "Note", ("note", "notes", "comment", "comments", "reason", "justification")),
)


def _sha256(source: str) -> str:
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError as exc:
        raise WorkbenchError(source, f"cannot be read ({exc.strerror or exc})") from None


def next_ref(uow: UnitOfWork) -> str:
    """Return the next free campaign reference ("AR-003")."""
    taken = {c.ref for c in uow.access_reviews.list()}
    return next(f"AR-{n:03d}" for n in range(1, len(taken) + 2) if f"AR-{n:03d}" not in taken)


@dataclass(frozen=True, slots=True)
class Review:
    """A campaign as the register shows it: each account's flags, and the difference from the system's last one."""

    campaign: Campaign
    flags: Mapping[str, tuple[Flag, ...]]  # by login
    previous: Campaign | None
    change: Difference | None

    def flagged(self, flag: Flag) -> list[str]:
        """Return the logins carrying a flag."""
        return [login for login, found in self.flags.items() if flag in found]


def review_of(uow: UnitOfWork, campaign: Campaign) -> Review:
    """Return a campaign with its accounts flagged against the roster and the system's campaign before it."""
    roster = roster_index(uow.people.list())
    earlier = [c for c in uow.access_reviews.of_system(campaign.system) if c.id < campaign.id]
    previous = earlier[-1] if earlier else None
    before = {e.login.casefold() for e in previous.entries} if previous else None
    found = {e.login: flags(e, roster, before, campaign.started_on) for e in campaign.entries}
    return Review(campaign, found, previous, difference(previous, campaign))


def reviews(uow: UnitOfWork) -> list[Review]:
    """Return every campaign, flagged."""
    return [review_of(uow, c) for c in uow.access_reviews.list()]


class EntryRecords:
    """A user list's accounts as the engine plans them; the campaign is written whole when the import is kept."""

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return no existing records: each user list starts a campaign of its own."""
        return Loaded({})

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded) -> tuple[Entry, list]:
        """Return the account a row holds."""
        found = {name: values[name] for name in ("email", "name", "role", "admin", "status", "last_login",
                                                  "decision", "note") if name in values}
        for name in ("email", "name", "role", "status", "note"):
            if name in found and found[name] is None:
                found[name] = ""
        return Entry(key, **found), []

    def same(self, current: Any, record: Any) -> bool:
        """Accounts are never compared: each list is a new campaign."""
        return False

    def snapshot(self, current: Any) -> Any:
        """Nothing: undo removes the campaign (see forget)."""
        return None

    def values(self, record: Any) -> dict[str, Any]:
        """Return an account's fields; a listed one also its campaign, system, flags and whether it is closed."""
        if isinstance(record, tuple):
            review, entry = record
            return {"campaign": review.campaign.ref, "system": review.campaign.system, **self.values(entry),
                    "flags": ", ".join(f.label for f in review.flags.get(entry.login, ())),
                    "closed": review.campaign.closed_on}
        return {"login": record.login, "email": record.email, "name": record.name, "role": record.role,
                "admin": record.admin, "status": record.status, "last_login": record.last_login,
                "decision": record.decision, "note": record.note}

    def write(self, uow: UnitOfWork, creates: Sequence[Any], updates: Sequence[tuple[Any, Any]]) -> None:
        """Nothing per batch: the campaign is written whole in remember()."""

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Any]) -> None:
        """Nothing per account: forget() removes the campaign."""

    def listing(self, uow: UnitOfWork) -> list[tuple[Review, Entry]]:
        """Return every campaign's accounts, campaign by campaign."""
        return [(review, entry) for review in reviews(uow) for entry in review.campaign.entries]

    def remember(self, uow: UnitOfWork, plan: Any) -> int:
        """Start the campaign: the system named, the planned accounts, the file's name and SHA-256."""
        system = (dict(plan.options.details).get("system") or "").strip()
        if not system:
            raise WorkbenchError(plan.source, "a user list needs the system it lists (--system NAME)")
        entries = tuple(r.record for r in plan.rows if r.action == CREATE and r.record is not None)
        if not entries:
            raise WorkbenchError(plan.source, "holds no accounts (no row with a login); nothing was imported")
        campaign = Campaign(0, next_ref(uow), system, uow.now().date(), Path(plan.source).name, _sha256(plan.source),
                            entries=entries)
        return uow.access_reviews.add(campaign)

    def forget(self, uow: UnitOfWork, kept: int) -> None:
        """Remove the campaign the import started; refuse once it was closed (undo the closing first)."""
        campaign = uow.access_reviews.get(kept)
        if campaign.closed:
            raise WorkbenchError(campaign.source or campaign.ref, f"cannot undo the import: access review "
                                                                  f"{campaign.ref} was closed since; reopen it first")
        uow.access_reviews.remove(kept)


def _summary(review: Review) -> dict[str, Any]:
    change = review.change
    flagged = [f"{flag.label}: {', '.join(review.flagged(flag))}" for flag in Flag if review.flagged(flag)]
    message = (f"Access review {review.campaign.ref} of {review.campaign.system} started: "
               f"{'; '.join(flagged) if flagged else 'nothing flagged'}.")
    if change is not None and review.previous is not None:
        message += f"\nSince {review.previous.ref}: {change.text}."
    return {
        "message": message,
        "campaign": review.campaign.ref, "system": review.campaign.system, "accounts": len(review.campaign.entries),
        "flags": {flag.name.lower(): review.flagged(flag) for flag in Flag},
        "previous": review.previous.ref if review.previous else None,
        "changes": None if change is None else {"added": list(change.added), "removed": list(change.removed),
                                                "changed": list(change.changed)},
    }


def campaign_summary(uow: UnitOfWork, plan: Any, kept: int | None) -> dict[str, Any]:
    """Return what starting a campaign adds to the report: its ref, the accounts flagged, the change since."""
    if kept is not None:
        return _summary(review_of(uow, uow.access_reviews.get(kept)))
    system = (dict(plan.options.details).get("system") or "").strip()
    entries = tuple(r.record for r in plan.rows if r.action == CREATE and r.record is not None)
    draft = Campaign(1 << 30, "(new)", system, uow.now().date(), entries=entries)
    return _summary(review_of(uow, draft))


ACCESS_REVIEWS = RegisterSpec(
    kind="access-reviews", singular="access-review", title="Start an access review from a user list", fields=FIELDS,
    key="login", label="login", natural_key=("login",), id_prefix="U-", missing_label="has no login",
    records=EntryRecords(),
    sheet_hint=re.compile(r"(user|account|member|access|login|review)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|vendor|incident|control|roster|staff|employee)", re.IGNORECASE),
    sheet_weights={"login": 10, "role": 5, "last_login": 6, "admin": 6},
    distinctive=("last_login", "admin", "decision"),
    pick_order=("login", "last_login", "admin", "decision", "email", "status", "role", "name", "note"),
    generic=frozenset({"user", "account", "name", "person", "owner", "access", "team", "group", "active", "enabled",
                       "state", "action", "outcome", "reason", "member", "mail", "profile"}),
    aliases={"user": "login", "username": "login", "last_seen": "last_login"},
    preview=("role", "admin", "last_login"),
    details=tuple(Detail(d.name, d.help, d.required) for d in details_of("access-reviews")),
    touches=Touched.ACCESS_REVIEWS, summary=campaign_summary,
    texts=wizard_texts("accounts",
                       "The system's list of user accounts as exported at review time (login or email, role, admin "
                       "flag, status, last login): Excel, OpenDocument, CSV or JSON. It starts a new review campaign; "
                       "its SHA-256 is kept as evidence of the listing.",
                       "Choose the column that holds each account's login or email."),
)
