"""Re-importing a population may not leave out the items of a sample that already has results."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError
from workbench.domain.testing import SampleResult
from workbench.services.controls import add_control
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.samples import draw_sample, get_sample, record_result
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest


def _population(tmp_path: Path, name: str, keys: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("Change ID,Merged at\n" + "".join(f"{k},2026-03-01\n" for k in keys), encoding="utf-8")
    return path


def _import(project: OpenProject, path: Path, **options: object) -> dict[str, object]:
    return import_register(project, POPULATIONS, path, details=(("control", "CHG-1"),), **options)


def _digest(project: OpenProject) -> str:
    with project.uow() as uow:
        return content_digest(uow.session.connection())


@pytest.fixture
def tested(new_project: OpenProject, tmp_path: Path) -> tuple[OpenProject, str]:
    """A project whose CHG-1 sample of 5 (from 10 changes) has one result; returns it and the tested key."""
    add_control(new_project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    _import(new_project, _population(tmp_path, "first.csv", [f"C-{i}" for i in range(10)]))
    key = draw_sample(new_project, "CHG-1", size=5, reason="test", seed="s").value.items[0].key
    record_result(new_project, "CHG-1", key, SampleResult.PASS)
    return new_project, key


def test_a_population_without_a_tested_item_is_refused_and_changes_nothing(
        tested: tuple[OpenProject, str], tmp_path: Path) -> None:
    project, key = tested
    keep = [f"C-{i}" for i in range(10) if f"C-{i}" != key]
    path = _population(tmp_path, "later.csv", keep)
    before = _digest(project)
    for dry_run in (True, False):
        try:
            result = _import(project, path, dry_run=dry_run)
        except WorkbenchError as exc:
            assert exc.what == str(path) and f"leaves out 1 sampled item of CHG-1 ({key})" in exc.why
        else:
            assert dry_run and f"({key})" in str(result["refused"])
    assert _digest(project) == before


def test_a_population_holding_every_sampled_item_replaces_the_earlier_one(
        tested: tuple[OpenProject, str], tmp_path: Path) -> None:
    project, key = tested
    result = _import(project, _population(tmp_path, "closed.csv", [f"C-{i}" for i in range(12)]))
    assert result["population"] == 12 and result["previous_rows"] == 10
    sample = get_sample(project, "CHG-1")
    assert sample is not None and sample.items[0].key == key and sample.items[0].result is SampleResult.PASS
