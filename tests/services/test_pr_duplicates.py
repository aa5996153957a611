"""A pull-request number listed twice: the same entry twice imports once; two different entries (the second an
unreviewed merge, say) refuse the file naming both rows, so that a population never hides a change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.populations import get_population
from workbench.services.session import OpenProject

PRS = Path(__file__).parents[1] / "fixtures" / "prs"


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    return new_project


def _write(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    source = tmp_path / "prs.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    return source


def _import(project: OpenProject, source: Path, **options: Any) -> dict[str, Any]:
    return import_register(project, POPULATIONS, source, details=(("control", "CHG-1"),), **options)


def _records() -> list[dict[str, Any]]:
    return json.loads((PRS / "prs.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_number_listed_twice_with_different_contents_is_refused_naming_both_rows(
        project: OpenProject, tmp_path: Path, dry_run: bool) -> None:
    records = _records()
    hidden = {**records[2], "number": records[0]["number"], "title": "Unreviewed hot change"}  # merged, no approval
    source = _write(tmp_path, [*records, hidden])
    with pytest.raises(WorkbenchError) as raised:
        _import(project, source, dry_run=dry_run)
    assert raised.value.what == str(source)
    assert (f"pull request #{records[0]['number']} is listed twice with different contents (rows 1 and "
            f"{len(records) + 1})") in raised.value.why and raised.value.why.endswith("nothing was imported")
    assert get_population(project, "CHG-1") is None


def test_the_same_entry_twice_imports_once(project: OpenProject, tmp_path: Path) -> None:
    records = _records()
    result = _import(project, _write(tmp_path, [*records, records[1]]))
    assert result["population"] == 4
    assert [p["row"] for p in result["problems"] if "already appears" in p["message"]] == [len(records) + 1]
