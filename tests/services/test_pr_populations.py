"""A GitHub pull-request list (gh pr list --json) imported as CC8.1's change population, in any encoding a shell
writes, with each merged pull request's checks kept with its item; hostile files change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.importers.kinds.pull_requests import FLAGS_HEADER
from workbench.services.populations import get_population, population_items
from workbench.services.registers import list_register
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest

PRS = Path(__file__).parents[1] / "fixtures" / "prs"
FLAGGED = [{"key": "102", "checks": ["self_approved"]}, {"key": "103", "checks": ["merged_without_approval"]}]


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    return new_project


def _import(project: OpenProject, source: Path, *more: tuple[str, str], **options: Any) -> dict[str, Any]:
    return import_register(project, POPULATIONS, source, details=(("control", "CHG-1"), *more), **options)


def _digest(project: OpenProject) -> str:
    with project.uow() as uow:
        return content_digest(uow.session.connection(), history=False)


@pytest.mark.parametrize("name", ["prs.json", "prs-utf8-bom.json", "prs-utf16le-bom.json", "prs-utf16be-bom.json"])
def test_a_pr_list_in_any_encoding_imports_the_prs_merged_in_the_period_and_flags_two(
        project: OpenProject, name: str, reopen: Callable[[Path], Any]) -> None:
    result = _import(project, PRS / name)
    assert (result["population"], result["created"], result["out_of_period"], result["not_merged"]) == (4, 4, 1, 0)
    assert result["columns"] == {"key": "number", "date": "mergedAt"} and result["sheet"] is None
    assert result["flagged"] == FLAGGED and result["format"] == "github-pull-requests"
    project.close()
    with reopen(project.path) as again:
        items = population_items(again, "CHG-1")
        assert [(i.key, i.day.isoformat() if i.day else None, i.in_period) for i in items] == [
            ("101", "2026-02-10", True), ("102", "2026-03-05", True), ("103", "2026-04-01", True),
            ("104", "2026-05-01", True)]
        assert dict(items[1].data)[FLAGS_HEADER] == "self_approved" and dict(items[1].data)["title"].startswith(
            "Export audit logs")
        listed = list_register(again, POPULATIONS)
        assert [(r["key"], r["checks"]) for r in listed] == [
            ("101", []), ("102", ["self_approved"]), ("103", ["merged_without_approval"]), ("104", [])]
        population = get_population(again, "CHG-1")
        assert population is not None and population.row_count == 4
        assert population.info.source == "GitHub pull requests (gh pr list)"


def test_a_dry_run_reports_the_flags_and_writes_nothing(project: OpenProject) -> None:
    before = _digest(project)
    result = _import(project, PRS / "prs.json", dry_run=True)
    assert result["flagged"] == FLAGGED and result["dry_run"] is True
    assert _digest(project) == before and get_population(project, "CHG-1") is None


def test_unmerged_prs_are_counted_and_emergency_words_are_configurable(project: OpenProject, tmp_path: Path) -> None:
    records = json.loads((PRS / "prs.json").read_text(encoding="utf-8"))
    records[0]["labels"] = [{"name": "P0 outage"}]
    records.append({"number": 110, "state": "OPEN", "mergedAt": None, "author": {"login": "x"}, "reviews": []})
    source = tmp_path / "prs.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    result = _import(project, source, ("emergency_labels", "outage"), ("source", "GitHub platform repo"))
    assert result["not_merged"] == 1 and result["population"] == 4 and result["skipped"] == 2
    # 101 (now an emergency) was approved before its merge; 104's "hotfix" is no emergency word any more
    assert result["flagged"] == [*FLAGGED, {"key": "104", "checks": ["merged_without_approval"]}]
    population = get_population(project, "CHG-1")
    assert population is not None and population.info.source == "GitHub platform repo"


def test_a_csv_of_changes_gets_no_checks(project: OpenProject, tmp_path: Path) -> None:
    source = tmp_path / "changes.csv"
    source.write_text("Change ID,Merged at,Author\nPR-1,2026-03-01,dev\n", encoding="utf-8")
    result = _import(project, source)
    assert result["flagged"] == [] and "format" not in result
    assert list_register(project, POPULATIONS) == [
        {"control": "CHG-1", "key": "PR-1", "date": "2026-03-01", "in_period": True}]


HOSTILE = {
    "truncated.json": ((PRS / "prs.json").read_bytes()[:700], "is not a JSON document"),
    "bomb.json": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "object.json": (json.dumps({"number": 1, "mergedAt": "2026-03-01T00:00:00Z", "reviews": []}).encode(),
                    "holds no records"),
    "broken-utf16.json": (b"\xff\xfe[\x00{\x00\x00\xd8", "not valid UTF-16"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_pr_list_is_refused_with_one_message_and_changes_nothing(
        project: OpenProject, tmp_path: Path, name: str) -> None:
    _import(project, PRS / "prs.json")
    before = _digest(project)
    data, why = HOSTILE[name]
    source = tmp_path / name
    source.write_bytes(data)
    with pytest.raises(WorkbenchError) as caught:
        _import(project, source)
    assert name in str(caught.value) and why in str(caught.value)
    assert _digest(project) == before
