"""Every change of an access review's accounts, and a remembered value forgotten, reaches the audit trail as a
create, update or delete of its own row, with before and after, and the chain still verifies (issue 17, item 3)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from tests.services.test_services_registers import write_csv
from workbench.services.access_reviews import decide, start_review
from workbench.services.integrity import check_project
from workbench.services.plan import set_holidays
from workbench.services.session import OpenProject

USERS = [("login", "role"), ("ann", "Developer"), ("bob", "Owner")]


def _trail(project: OpenProject, since: int = 0) -> list[tuple[str, str, dict[str, Any]]]:
    with project.uow() as uow:
        return [(e.action, e.entity, json.loads(e.summary)) for e in uow.audit.entries() if e.seq > since]


def _head(project: OpenProject) -> int:
    with project.uow() as uow:
        return uow.audit.count()


def _problems(project: OpenProject) -> list[str]:
    return [f"{r.name}: {r.problem}" for r in check_project(project) if not r.ok]


def test_a_campaign_its_decisions_and_its_removal_are_each_recorded_row_by_row(new_project, tmp_path: Path) -> None:
    start = _head(new_project)
    start_review(new_project, "GitHub", write_csv(tmp_path / "github.csv", USERS))
    accounts = [(a, s) for a, e, s in _trail(new_project, start) if e == "access_review_entries"]
    assert [(a, s["after"]["login"], s["after"]["decision"]) for a, s in accounts] == [
        ("create", "ann", None), ("create", "bob", None)]

    mark = _head(new_project)
    decide(new_project, "AR-001", "ann", "remove", "left")
    decide(new_project, "AR-001", "bob", "keep")
    assert _trail(new_project, mark) == [
        ("update", "access_review_entries", {"before": {"decision": None, "note": ""},
                                             "after": {"decision": "remove", "note": "left"}}),
        ("update", "access_review_entries", {"before": {"decision": None}, "after": {"decision": "keep"}}),
    ]

    mark = _head(new_project)
    with new_project.uow() as uow:
        campaign = uow.access_reviews.by_ref("AR-001")
        assert campaign is not None
        uow.access_reviews.remove(campaign.id)
        uow.commit()
    gone = _trail(new_project, mark)
    assert [(a, e, s["before"].get("login"), s["before"].get("decision")) for a, e, s in gone] == [
        ("delete", "access_review_entries", "ann", "remove"), ("delete", "access_review_entries", "bob", "keep"),
        ("delete", "access_reviews", None, None)]
    assert _problems(new_project) == []


def test_forgetting_a_remembered_value_is_recorded_as_a_delete(new_project) -> None:
    set_holidays(new_project, [date(2026, 5, 1)])
    mark = _head(new_project)
    set_holidays(new_project, [])
    assert [(a, e, s) for a, e, s in _trail(new_project, mark) if e == "meta"] == [
        ("delete", "meta", {"before": {"key": "plan.holidays", "value": "2026-05-01"}})]
    assert _problems(new_project) == []
