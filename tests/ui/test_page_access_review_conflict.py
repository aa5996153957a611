"""The Access reviews tab on a shared project (issue 17): someone else decided an account after the tab showed it.
Deciding that same account is refused with who and when, their decision stays; deciding another account goes
through and both decisions are kept."""

from __future__ import annotations

from tests.ui.test_page_access_reviews import USERS, _decide
from tests.ui.test_page_registers import _csv, _page, _shown, context  # noqa: F401
from workbench.domain.access_reviews import Decision
from workbench.services.access_reviews import access_review_register, decide, start_review


def _stored(project) -> dict[str, tuple[Decision | None, str]]:
    (review,) = access_review_register(project).reviews
    return {e.login: (e.decision, e.note) for e in review.campaign.entries}


def test_a_decision_on_an_account_someone_else_decided_meanwhile_is_refused_and_theirs_kept(qtbot, context,  # noqa: F811
                                                                                              tmp_path):
    start_review(context.project, "GitHub", _csv(tmp_path / "github.csv", USERS))
    _page_widget, tab = _page(qtbot, context, "access-reviews")
    assert _shown(tab, "Login") == ["ann", "bob", "zed"]
    decide(context.project, "AR-001", "ann", "keep", "decided by someone else")  # the tab still shows it undecided

    failures: list[str] = []
    context.failed.connect(failures.append)
    _decide(qtbot, context, tab, "AR-001/ann", Decision.REMOVE, "left in February")
    assert len(failures) == 1
    assert failures[0].startswith("access review AR-001 account ann : changed by tester at ")
    assert failures[0].endswith("your edit was not saved (the current values are shown)")
    assert _stored(context.project)["ann"] == (Decision.KEEP, "decided by someone else")

    _decide(qtbot, context, tab, "AR-001/bob", Decision.KEEP, "owner")
    assert len(failures) == 1
    assert _stored(context.project) == {"ann": (Decision.KEEP, "decided by someone else"),
                                        "bob": (Decision.KEEP, "owner"), "zed": (None, "")}
    assert _shown(tab, "Decision") == ["Keep", "Keep", ""]
