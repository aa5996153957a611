"""A JSON register whose records sit under a key ({"controls": [...]}), as most tools' exports write it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.controls import list_controls
from workbench.services.engagement import list_requests
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTROLS, REQUESTS
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest

CONTROL_ROWS = [{"Control ID": "AC-1", "Title": "Access reviews", "Criteria": "CC6.1"},
                {"Control ID": "AC-2", "Title": "MFA", "Criteria": "CC6.2"}]


def _digest(project: OpenProject) -> str:
    with project.uow() as uow:
        return content_digest(uow.session.connection())


def _write(tmp_path: Path, name: str, document: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_records_under_one_key_import_and_reimport_creates_nothing(new_project: OpenProject,
                                                                    tmp_path: Path) -> None:
    path = _write(tmp_path, "controls.json", {"exported": "2026-07-01", "controls": CONTROL_ROWS})
    assert import_register(new_project, CONTROLS, path)["created"] == 2
    assert [(c.ref, c.criteria) for c in list_controls(new_project)] == [("AC-1", ("CC6.1",)), ("AC-2", ("CC6.2",))]
    assert import_register(new_project, CONTROLS, path)["created"] == 0


def test_records_nested_two_keys_deep_are_found(new_project: OpenProject, tmp_path: Path) -> None:
    rows = [{"Request ID": "RQ-1", "Item requested": "Population of changes"}]
    path = _write(tmp_path, "pbc.json", {"meta": {"count": 1}, "data": {"requests": rows}})
    assert import_register(new_project, REQUESTS, path)["created"] == 1
    assert [r.ref for r in list_requests(new_project)] == ["RQ-1"]


@pytest.mark.parametrize(("document", "phrase"), [
    ({"a": 1}, "holds no records: neither the document nor any of its keys is a list of objects"),
    ({"a": CONTROL_ROWS, "b": {"c": CONTROL_ROWS}}, r"holds 2 lists of records \(under 'a', 'b.c'\)"),
])
def test_an_object_with_no_or_several_lists_is_refused_naming_the_file(new_project: OpenProject, tmp_path: Path,
                                                                        document: object, phrase: str) -> None:
    path = _write(tmp_path, "odd.json", document)
    before = _digest(new_project)
    with pytest.raises(WorkbenchError, match=phrase) as caught:
        import_register(new_project, CONTROLS, path)
    assert str(path) in str(caught.value)
    assert _digest(new_project) == before
