"""Access reviews (CC6.2, CC6.3): start a campaign from a system's user list, record a decision per account, close
it signed (every account decided, the reviewer not reviewing their own access): removals become tasks, and its PDF
is filed as evidence of its control; each edit an undoable Change."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from workbench.domain.access_reviews import Campaign, Decision, parse_decision, reviews_own_access, roster_index
from workbench.domain.entities import Control
from workbench.domain.enums import TaskStatus
from workbench.domain.errors import ValidationError
from workbench.domain.natural import natural_sorted
from workbench.domain.register_controls import control_for
from workbench.services.changes import Change, Touched, moved_on
from workbench.services.evidence import CHUNK_SIZE
from workbench.services.exports.access_review_pdf import review_pdf
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.access_reviews import ACCESS_REVIEWS, Review, review_of, reviews
from workbench.services.register_records import required
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

_CLOSE_TOUCHES = Touched.ACCESS_REVIEWS | Touched.EVIDENCE | Touched.TASKS


@dataclass(frozen=True, slots=True)
class AccessReviewRegister:
    """Every campaign flagged, and the project's controls (a closed campaign evidences one)."""

    reviews: tuple[Review, ...]
    controls: tuple[Control, ...]


def access_review_register(project: OpenProject) -> AccessReviewRegister:
    """Return every campaign with its accounts flagged and the difference from the system's last one."""
    with project.uow() as uow:
        return AccessReviewRegister(tuple(reviews(uow)), tuple(uow.controls.list()))


def start_review(project: OpenProject, system: str, user_list: Path | str, **options: Any) -> dict[str, Any]:
    """Start a campaign for a system from its user list (the import engine's report, plus the campaign's)."""
    details = (("system", required("access review", "system", system)),)
    return import_register(project, ACCESS_REVIEWS, user_list, details=details, **options)


def _campaign(uow: UnitOfWork, ref: str) -> Campaign:
    campaign = uow.access_reviews.by_ref(ref.strip()) or uow.access_reviews.by_ref(ref.strip().upper())
    if campaign is None:
        raise ValidationError(f"access review {ref.strip()}", "is not a campaign of this project")
    return campaign


def decide(project: OpenProject, campaign_ref: str, login: str, decision: Decision | str | None,
           note: str | None = None, expected_version: int | None = None, *,
           expected: tuple[Decision | None, str] | None = None) -> Change[Campaign]:
    """Record the decision on one account (keep, change, remove; None clears it); undone by the earlier one.

    Only that account's row is written. With `expected_version` (the Entry.version the decision was made from), an
    account decided meanwhile by someone else refuses this one with a ConflictError naming who and when; with
    `expected` (the decision and note the undone edit left), an account changed since refuses the undo or redo.
    """
    if isinstance(decision, str):
        try:
            decision = parse_decision(decision)
        except ValueError as exc:
            raise ValidationError("--decision", str(exc)) from None
    with project.uow() as uow:
        campaign = _campaign(uow, campaign_ref)
        what = f"access review {campaign.ref}"
        if campaign.closed:
            raise ValidationError(what, f"was closed on {campaign.closed_on.isoformat()}; start the next one "
                                        "to review again")
        entry = campaign.entry(login)
        if entry is None:
            raise ValidationError(what, f"has no account {login.strip()!r}")
        if expected is not None and (entry.decision, entry.note) != expected:
            raise moved_on(f"{what} account {entry.login}", campaign)
        changed = replace(entry, decision=decision, note=entry.note if note is None else note.strip())
        uow.access_reviews.decide(campaign.id, changed, expected_version)
        uow.commit()
        after = uow.access_reviews.get(campaign.id)
    left = after.entry(entry.login)
    assert left is not None
    undo = partial(decide, campaign_ref=campaign.ref, login=entry.login, decision=entry.decision, note=entry.note,
                   expected=(left.decision, left.note))
    return Change(Touched.ACCESS_REVIEWS, undo, after)


def review_control(controls: list[Control]) -> str | None:
    """Return the control an access review evidences when none is named: the one made from the access-review
    template, else the first whose title speaks of an access review; None when there is none."""
    made = control_for(controls, "access-review")
    if made is not None:
        return made
    named = [c.ref for c in natural_sorted(controls, key=lambda c: c.ref) if "access review" in c.title.casefold()]
    return named[0] if named else None


def close_review(project: OpenProject, campaign_ref: str, reviewer: str, control_ref: str | None = None,
                 closed_on: date | None = None) -> Change[Campaign]:
    """Sign and close a campaign: every account decided, the reviewer's own account not among them; each removal
    becomes a task, and the campaign's PDF is filed as evidence of its control."""
    signer = required("access review", "reviewer's name", reviewer)
    with project.uow() as uow:
        campaign = _campaign(uow, campaign_ref)
        what = f"access review {campaign.ref}"
        if campaign.closed:
            raise ValidationError(what, f"was already closed on {campaign.closed_on.isoformat()}")
        if campaign.undecided:
            first = ", ".join(campaign.undecided[:3]) + (", ..." if len(campaign.undecided) > 3 else "")
            raise ValidationError(what, f"cannot be closed: {len(campaign.undecided)} of {len(campaign.entries)} "
                                        f"accounts have no decision ({first})")
        own = reviews_own_access(signer, campaign.entries, roster_index(uow.people.list()))
        if own is not None:
            raise ValidationError(what, f"{signer} cannot review their own access (account {own}); another "
                                        "reviewer must sign it")
        controls = uow.controls.list()
        ref = control_ref.strip() if control_ref and control_ref.strip() else review_control(controls)
        if ref is None or uow.controls.get(ref) is None:
            raise ValidationError(what, f"{ref} is not a control of this project" if ref else
                                  "no access review control to file it under; name one (--control REF)")
        day = closed_on or uow.now().date()
        control_id = uow.controls.id_of(ref)
        entries = tuple(replace(e, task_id=uow.tasks.add(
            f"Remove {e.login}'s access to {campaign.system} (access review {campaign.ref})", due=None,
            status=TaskStatus.OPEN, description=e.note, control_id=control_id))
            if e.decision is Decision.REMOVE else e for e in campaign.entries)
        closed = replace(campaign, reviewer=signer, closed_on=day, control_ref=ref, entries=entries)
        review = review_of(uow, closed)
        data = review_pdf(uow.settings.get().organization, closed, dict(review.flags), review.change)
        sha256 = hashlib.sha256(data).hexdigest()
        if not uow.evidence.has_blob(sha256):
            uow.evidence.store_blob(sha256, "application/pdf",
                                    [data[i:i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)])
        evidence_id = uow.evidence.add(
            control_id, sha256, added_at=uow.now(), collected_on=day,
            title=f"Access review {campaign.ref} of {campaign.system}, signed {day.isoformat()} by {signer}",
            filename=f"access-review-{campaign.ref}-{day.isoformat()}.pdf",
            source="Access review, signed in the program")
        uow.access_reviews.update(campaign.id, replace(closed, evidence_id=evidence_id))
        uow.commit()
        after = uow.access_reviews.get(campaign.id)
    return Change(_CLOSE_TOUCHES, partial(reopen_review, campaign_ref=campaign.ref), after)


def reopen_review(project: OpenProject, campaign_ref: str) -> Change[Campaign]:
    """Take a closing back (its undo): the PDF evidence and the removal tasks go, the campaign is open again."""
    with project.uow() as uow:
        campaign = _campaign(uow, campaign_ref)
        if not campaign.closed:
            raise ValidationError(f"access review {campaign.ref}", "is not closed")
        if campaign.evidence_id is not None:
            uow.evidence.remove(campaign.evidence_id)
        tasks = {t.id for t in uow.tasks.list()}
        for entry in campaign.entries:
            if entry.task_id in tasks:  # a task removed meanwhile is gone already
                uow.tasks.remove(entry.task_id)
        uow.access_reviews.update(campaign.id, replace(
            campaign, reviewer="", closed_on=None, control_ref=None, evidence_id=None,
            entries=tuple(replace(e, task_id=None) for e in campaign.entries)))
        uow.commit()
        after = uow.access_reviews.get(campaign.id)
    redo = partial(close_review, campaign_ref=campaign.ref, reviewer=campaign.reviewer,
                   control_ref=campaign.control_ref, closed_on=campaign.closed_on)
    return Change(_CLOSE_TOUCHES, redo, after)


@dataclass(frozen=True, slots=True)
class EntryDecision:
    """A decision on one account of a campaign, as the page asks for it."""

    campaign_ref: str
    login: str
    decision: Decision | None
    note: str = ""
    version: int = 0  # the account's Entry.version the page showed (0: no check)


def decide_entry(project: OpenProject, entry: EntryDecision) -> Change[Campaign]:
    """Record a decision the page asks for (see decide), refused when the account changed since the page read it."""
    return decide(project, entry.campaign_ref, entry.login, entry.decision, entry.note, entry.version)
