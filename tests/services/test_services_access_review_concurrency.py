"""Two people deciding one access review at once (issue 17, items 2 and 3): decisions on different accounts are
both kept, a decision made from a stale read of the same account is refused with who and when and loses nothing,
each decision reaches the audit trail as an update of its account, and the chain still verifies.

The bodies run on a project file and on the test server (WORKBENCH_TEST_POSTGRES); the last test holds two
transactions open at once, which only a server allows (a project file takes one transaction at a time).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.services.test_services_registers import write_csv
from workbench.domain.access_reviews import Campaign, Decision
from workbench.domain.errors import ConflictError
from workbench.services.access_reviews import EntryDecision, access_review_register, decide, decide_entry, start_review
from workbench.services.integrity import check_project
from workbench.services.session import OpenProject

USERS = [("login", "email", "role"), ("ann", "ann@acme.test", "Developer"), ("bob", "bob@acme.test", "Owner"),
         ("cy", "cy@acme.test", "Viewer")]
STALE = ("access review AR-001 account ann : changed by tester at 2026-03-02 09:30 UTC since you opened it; your "
         "edit was not saved (the current values are shown)")


@pytest.fixture
def review(new_project: OpenProject, tmp_path: Path) -> OpenProject:
    """A project with campaign AR-001 over ann, bob and cy, all undecided."""
    start_review(new_project, "GitHub", write_csv(tmp_path / "github.csv", USERS))
    return new_project


def _page(project: OpenProject) -> Campaign:
    """The campaign as the access-review page reads it."""
    (found,) = access_review_register(project).reviews
    return found.campaign


def _decisions(project: OpenProject) -> dict[str, tuple[str | None, str]]:
    return {e.login: (e.decision.value if e.decision else None, e.note) for e in _page(project).entries}


def _trail(project: OpenProject, entity: str = "access_review_entries") -> list[tuple[str, dict]]:
    with project.uow() as uow:
        return [(e.action, json.loads(e.summary)) for e in uow.audit.entries() if e.entity == entity]


def _asked(campaign: Campaign, login: str, decision: Decision, note: str = "") -> EntryDecision:
    """The decision a user makes on the page showing `campaign`."""
    entry = campaign.entry(login)
    assert entry is not None
    return EntryDecision(campaign.ref, login, decision, note, entry.version)


def test_two_people_deciding_different_accounts_from_the_same_read_both_keep_their_decision(review):
    mine, theirs = _page(review), _page(review)
    decide_entry(review, _asked(theirs, "ann", Decision.REMOVE, "left in February"))
    decide_entry(review, _asked(mine, "bob", Decision.KEEP, "owner of the org"))
    assert _decisions(review) == {"ann": ("remove", "left in February"), "bob": ("keep", "owner of the org"),
                                  "cy": (None, "")}
    assert all(r.ok for r in check_project(review))


def test_deciding_the_same_account_from_a_stale_read_is_refused_and_loses_nothing(review):
    mine, theirs = _page(review), _page(review)
    decide_entry(review, _asked(theirs, "ann", Decision.REMOVE, "left in February"))
    with review.uow() as uow:
        entries_before = uow.audit.count()
    with pytest.raises(ConflictError) as refused:
        decide_entry(review, _asked(mine, "ann", Decision.KEEP, "still needed"))
    assert str(refused.value) == STALE
    assert refused.value.fresh.entry("ann").decision is Decision.REMOVE  # the page shows the current values
    assert _decisions(review)["ann"] == ("remove", "left in February")
    with review.uow() as uow:
        assert uow.audit.count() == entries_before
    # Decided again from the fresh read, it goes through.
    decide_entry(review, _asked(_page(review), "ann", Decision.KEEP, "still needed"))
    assert _decisions(review)["ann"] == ("keep", "still needed")


def test_a_campaign_written_whole_from_a_stale_read_is_refused_instead_of_erasing_a_decision(review):
    """What the review reproduced: a write from an earlier read erased the decision committed in between."""
    stale = _page(review)
    decide(review, "AR-001", "ann", "remove", "left in February")
    bob = stale.entry("bob")
    assert bob is not None
    with pytest.raises(ConflictError, match=r"^access review AR-001 account ann : changed by tester"), \
            review.uow() as uow:
        uow.access_reviews.update(stale.id, replace(stale, entries=tuple(
            replace(e, decision=Decision.KEEP) if e is bob else e for e in stale.entries)))
        uow.commit()
    assert _decisions(review) == {"ann": ("remove", "left in February"), "bob": (None, ""), "cy": (None, "")}


def test_a_decision_is_one_update_of_its_account_in_the_audit_trail_and_the_chain_verifies(review):
    before = len(_trail(review))
    decide(review, "AR-001", "bob", "remove", "not an owner any more")
    trail = _trail(review)[before:]
    assert trail == [("update", {"before": {"decision": None, "note": ""},
                                 "after": {"decision": "remove", "note": "not an owner any more"}})]
    with review.uow() as uow:
        campaigns = [e for e in uow.audit.entries() if e.entity == "access_reviews"]
    assert [e.action for e in campaigns] == ["create"]  # a decision is not an edit of the campaign itself
    assert [r.problem for r in check_project(review) if not r.ok] == []


def test_undo_and_redo_of_a_decision_still_work_and_are_refused_once_someone_changed_the_account(review):
    change = decide_entry(review, _asked(_page(review), "cy", Decision.CHANGE, "viewer is enough"))
    undone = change.inverse(review)
    assert _decisions(review)["cy"] == (None, "")
    undone.inverse(review)
    assert _decisions(review)["cy"] == ("change", "viewer is enough")
    decide(review, "AR-001", "cy", "keep", "someone else's call")
    with pytest.raises(ConflictError, match="was changed after this edit"):
        change.inverse(review)
    assert _decisions(review)["cy"] == ("keep", "someone else's call")
    assert [a for a, _ in _trail(review)] == ["create"] * 3 + ["update"] * 4


def test_two_transactions_open_at_once_on_a_server_keep_both_accounts_and_refuse_the_same_one(review, backend):
    if backend == "file":
        pytest.skip("a project file takes one transaction at a time: two cannot be open at once")
    with review.uow() as first, review.uow() as second:
        campaign = first.access_reviews.by_ref("AR-001")
        seen = second.access_reviews.by_ref("AR-001")
        assert campaign is not None and seen is not None
        first.access_reviews.decide(campaign.id, replace(campaign.entries[0], decision=Decision.REMOVE),
                                    campaign.entries[0].version)
        first.commit()
        second.access_reviews.decide(seen.id, replace(seen.entries[1], decision=Decision.KEEP),
                                     seen.entries[1].version)
        second.commit()
    assert _decisions(review) == {"ann": ("remove", ""), "bob": ("keep", ""), "cy": (None, "")}

    # The second transaction read cy before the first changed it: its write is refused, naming who and when.
    with pytest.raises(ConflictError) as refused, review.uow() as first, review.uow() as second:
        campaign = first.access_reviews.by_ref("AR-001")
        seen = second.access_reviews.by_ref("AR-001")
        assert campaign is not None and seen is not None
        first.access_reviews.decide(campaign.id, replace(campaign.entries[2], decision=Decision.CHANGE),
                                    campaign.entries[2].version)
        first.commit()
        second.access_reviews.decide(seen.id, replace(seen.entries[2], decision=Decision.KEEP),
                                     seen.entries[2].version)
        second.commit()
    assert str(refused.value) == STALE.replace("account ann", "account cy")
    assert _decisions(review)["cy"] == ("change", "")
    assert [r.problem for r in check_project(review) if not r.ok] == []
