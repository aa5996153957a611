"""A pull-request list as the GitHub CLI writes it (`gh pr list --json ...`) and the checks an auditor makes on
each merged change (CC8.1): merged without an approving review, approved only by its author, an emergency change
merged without review and not reviewed afterwards.

Pure: the records are the JSON objects gh writes (author.login, mergedAt, reviews[].author.login/state/
submittedAt, latestReviews, reviewDecision, labels[].name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

EMERGENCY_WORDS = ("emergency", "hotfix", "expedite")
MERGED_WITHOUT_APPROVAL = "merged_without_approval"
SELF_APPROVED = "self_approved"
EMERGENCY_WITHOUT_LATER_REVIEW = "emergency_without_later_review"
CHECK_TEXT = {
    MERGED_WITHOUT_APPROVAL: "merged without an approving review",
    SELF_APPROVED: "approved only by its author",
    EMERGENCY_WITHOUT_LATER_REVIEW: "emergency change merged without review and not reviewed after",
}
_REVIEW_FIELDS = ("reviews", "latestReviews", "reviewDecision")


@dataclass(frozen=True, slots=True)
class Review:
    """One review of a pull request: who, its state (APPROVED, CHANGES_REQUESTED, COMMENTED ...), and when."""

    login: str
    state: str
    submitted: datetime | None


@dataclass(frozen=True, slots=True)
class PullRequest:
    """What the checks need of one pull request."""

    number: str
    author: str
    state: str
    merged: datetime | None
    reviews: tuple[Review, ...]
    labels: tuple[str, ...]
    decision: str = ""  # reviewDecision: APPROVED, CHANGES_REQUESTED, REVIEW_REQUIRED or empty
    reviews_listed: bool = False  # the file lists reviews (else only the decision, if any, tells)

    @property
    def is_merged(self) -> bool:
        """Return True for a merged pull request (a merge time, or the state MERGED)."""
        return self.merged is not None or self.state.upper() == "MERGED"


def looks_like_pr_list(keys: Iterable[str]) -> bool:
    """Return True for the keys of a pull-request list: number, mergedAt or state, and reviews or author."""
    names = {k.split(".", 1)[0] for k in keys}
    return "number" in names and bool({"mergedAt", "state"} & names) and bool(
        {"author", *_REVIEW_FIELDS} & names)


def timestamp(value: Any) -> datetime | None:
    """Return gh's ISO 8601 time ("2026-03-02T10:00:00Z") as an aware datetime in UTC, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _login(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("login") or value.get("name") or "")
    return "" if value is None else str(value)


def _reviews(values: Any) -> list[Review]:
    found = []
    for value in values if isinstance(values, list) else ():
        if isinstance(value, Mapping):
            found.append(Review(_login(value.get("author")), str(value.get("state") or "").upper(),
                                timestamp(value.get("submittedAt"))))
    return found


def _labels(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if not isinstance(value, list):
        return ()
    return tuple(str(v.get("name") or "") if isinstance(v, Mapping) else str(v) for v in value if v)


def pull_request(record: Mapping[str, Any]) -> PullRequest:
    """Return the pull request a gh JSON object describes (missing fields read as empty)."""
    reviews = _reviews(record.get("reviews")) + _reviews(record.get("latestReviews"))
    unique = tuple(dict.fromkeys(reviews))
    return PullRequest(
        str(record.get("number") if record.get("number") is not None else "").strip(),
        _login(record.get("author")), str(record.get("state") or ""), timestamp(record.get("mergedAt")), unique,
        _labels(record.get("labels")), str(record.get("reviewDecision") or "").upper(),
        "reviews" in record or "latestReviews" in record)


def is_emergency(pr: PullRequest, words: Sequence[str] = EMERGENCY_WORDS) -> bool:
    """Return True when a label holds one of the emergency words (any case: "type: hotfix")."""
    wanted = [w.casefold() for w in words if w.strip()]
    return any(w in label.casefold() for label in pr.labels for w in wanted)


def checks(pr: PullRequest, words: Sequence[str] = EMERGENCY_WORDS) -> tuple[str, ...]:
    """Return the checks a merged pull request fails (none when its change was approved as it should be)."""
    approvals = [r for r in pr.reviews if r.state == "APPROVED"]
    author = pr.author.casefold()
    others = [r for r in approvals if not author or r.login.casefold() != author]
    before = [r for r in others if r.submitted is None or pr.merged is None or r.submitted <= pr.merged]
    approved = bool(before) or (not pr.reviews_listed and pr.decision == "APPROVED")
    failed = []
    if approvals and not others:
        failed.append(SELF_APPROVED)
    if not approved:
        if is_emergency(pr, words):
            if len(others) == len(before):  # no approval by another after the merge either
                failed.append(EMERGENCY_WITHOUT_LATER_REVIEW)
        elif SELF_APPROVED not in failed:
            failed.append(MERGED_WITHOUT_APPROVAL)
    return tuple(failed)


def emergency_words(text: str | None) -> tuple[str, ...]:
    """Return the emergency words a user gave ("emergency, hotfix"), or the default ones."""
    words = tuple(w.strip() for w in (text or "").split(",") if w.strip())
    return words or EMERGENCY_WORDS
