"""The checks an auditor makes on each merged pull request of a gh pr list (CC8.1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.domain.pull_requests import (
    EMERGENCY_WITHOUT_LATER_REVIEW,
    MERGED_WITHOUT_APPROVAL,
    SELF_APPROVED,
    checks,
    emergency_words,
    looks_like_pr_list,
    pull_request,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "prs" / "prs.json"
MERGED = "2026-05-01T23:50:00Z"


def _pr(reviews: list[dict[str, Any]] | None = None, labels: tuple[str, ...] = (), **more: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"number": 7, "author": {"login": "alice"}, "mergedAt": MERGED,
                              "labels": [{"name": n} for n in labels], **more}
    if reviews is not None:
        record["reviews"] = reviews
    return record


def _review(login: str, state: str = "APPROVED", at: str = "2026-05-01T20:00:00Z") -> dict[str, Any]:
    return {"author": {"login": login}, "state": state, "submittedAt": at}


def test_the_fixture_flags_the_self_approved_and_the_unreviewed_pull_request() -> None:
    found = {str(r["number"]): checks(pull_request(r)) for r in json.loads(FIXTURE.read_text(encoding="utf-8"))}
    assert found == {"101": (), "102": (SELF_APPROVED,), "103": (MERGED_WITHOUT_APPROVAL,), "104": (), "95": (
        MERGED_WITHOUT_APPROVAL,)}


def test_an_approval_by_another_before_the_merge_passes_and_one_after_it_does_not() -> None:
    assert checks(pull_request(_pr([_review("bob")]))) == ()
    assert checks(pull_request(_pr([_review("bob", at="2026-05-02T08:00:00Z")]))) == (MERGED_WITHOUT_APPROVAL,)
    assert checks(pull_request(_pr([_review("bob", "CHANGES_REQUESTED"), _review("erin", "COMMENTED")]))) == (
        MERGED_WITHOUT_APPROVAL,)


def test_an_emergency_change_needs_a_later_review_by_someone_else() -> None:
    later = _review("bob", at="2026-05-02T09:00:00Z")
    assert checks(pull_request(_pr([later], ("type: Hotfix",)))) == ()
    assert checks(pull_request(_pr([], ("emergency",)))) == (EMERGENCY_WITHOUT_LATER_REVIEW,)
    assert checks(pull_request(_pr([_review("alice", at="2026-05-02T09:00:00Z")], ("expedite",)))) == (
        SELF_APPROVED, EMERGENCY_WITHOUT_LATER_REVIEW)
    assert checks(pull_request(_pr([], ("urgent",))), emergency_words("urgent, p0")) == (
        EMERGENCY_WITHOUT_LATER_REVIEW,)
    assert emergency_words(" ") == ("emergency", "hotfix", "expedite")


def test_latest_reviews_and_the_review_decision_count_when_reviews_are_not_listed() -> None:
    assert checks(pull_request(_pr(latestReviews=[_review("bob")]))) == ()
    assert checks(pull_request(_pr(reviewDecision="APPROVED"))) == ()
    assert checks(pull_request(_pr(reviewDecision="REVIEW_REQUIRED"))) == (MERGED_WITHOUT_APPROVAL,)


def test_a_pr_list_is_told_by_its_keys() -> None:
    assert looks_like_pr_list(["number", "mergedAt", "author.login", "title"])
    assert looks_like_pr_list(["number", "state", "reviews"])
    assert not looks_like_pr_list(["number", "mergedAt", "title"])
    assert not looks_like_pr_list(["Change ID", "Merged at", "Author"])
    unmerged = pull_request({"number": 3, "state": "CLOSED", "mergedAt": None, "author": {"login": "x"}})
    assert not unmerged.is_merged and pull_request(_pr()).merged is not None
