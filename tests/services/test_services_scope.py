"""Scope services: components, subservice organisations and user entity controls edited, removed, restored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import Component, Csoc, Cuec, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services import scope
from workbench.services.integrity import check_project
from workbench.services.session import OpenProject


def _trail(project: OpenProject, entity: str) -> list[tuple[str, str, dict[str, Any]]]:
    with project.uow() as uow:
        return [(e.action, e.entity_key, json.loads(e.summary)) for e in uow.audit.entries() if e.entity == entity]


def test_component_update_remove_restore_persist_and_are_audited(new_project: OpenProject, reopen: Any) -> None:
    first = scope.add_component(new_project, ComponentKind.SOFTWARE, " API ", "The public API", in_scope=False).value
    second = scope.add_component(new_project, ComponentKind.DATA, "Customer data").value
    stored = scope.update_component(new_project, Component(first, ComponentKind.INFRASTRUCTURE, "  Gateway ",
                                                           "Edge proxy", True)).value
    assert stored == Component(first, ComponentKind.INFRASTRUCTURE, "Gateway", "Edge proxy", True)
    removed = scope.remove_component(new_project, second).value
    assert removed == Component(second, ComponentKind.DATA, "Customer data", "", True)
    assert [c.id for c in scope.get_scope(new_project).components] == [first]
    assert scope.restore_component(new_project, removed).value == second
    path = new_project.path
    trail = _trail(new_project, "components")
    new_project.close()
    with reopen(path) as again:
        assert scope.get_scope(again).components == (stored, removed)
        assert all(result.ok for result in check_project(again))
    actions = [(action, key) for action, key, _ in trail]
    assert actions == [("create", str(first)), ("create", str(second)), ("update", str(first)),
                       ("delete", str(second)), ("create", str(second))]
    assert trail[2][2]["before"]["name"] == "API" and trail[2][2]["after"]["name"] == "Gateway"


def test_component_changes_are_validated(new_project: OpenProject) -> None:
    component_id = scope.add_component(new_project, ComponentKind.PEOPLE, "SRE team").value
    with pytest.raises(ValidationError, match="name cannot be empty"):
        scope.update_component(new_project, Component(component_id, ComponentKind.PEOPLE, "   "))
    with pytest.raises(ValidationError, match="not one of"):
        scope.update_component(new_project, Component(component_id, "robots", "SRE team"))  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        scope.update_component(new_project, Component(999, ComponentKind.PEOPLE, "Ghost"))
    with pytest.raises(NotFoundError):
        scope.remove_component(new_project, 999)
    with pytest.raises(DuplicateError):
        scope.restore_component(new_project, Component(component_id, ComponentKind.DATA, "Clash"))
    assert scope.get_scope(new_project).components == (Component(component_id, ComponentKind.PEOPLE, "SRE team"),)


def test_subservice_update_remove_restore(new_project: OpenProject, reopen: Any) -> None:
    aws = scope.add_subservice(new_project, "AWS", "Hosting", SubserviceMethod.CARVE_OUT, "Type II to Mar").value
    stripe = scope.add_subservice(new_project, "Stripe", "Payments", SubserviceMethod.CARVE_OUT).value
    typed = Subservice(aws, "Amazon Web Services", "Hosting and storage", SubserviceMethod.INCLUSIVE,
                       "SOC 2 Type II, reviewed", (Csoc(0, "AWS restricts physical access", ("cc6.4",)),))
    edited = scope.update_subservice(new_project, typed).value
    assert edited.csocs == (Csoc(edited.csocs[0].id, "AWS restricts physical access", ("CC6.4",)),)
    assert edited == Subservice(aws, "Amazon Web Services", "Hosting and storage", SubserviceMethod.INCLUSIVE,
                                "SOC 2 Type II, reviewed", edited.csocs)
    removed = scope.remove_subservice(new_project, stripe).value
    assert removed.name == "Stripe" and removed.method is SubserviceMethod.CARVE_OUT
    with pytest.raises(ValidationError, match="name cannot be empty"):
        scope.update_subservice(new_project, Subservice(aws, "", "x", SubserviceMethod.INCLUSIVE))
    with pytest.raises(NotFoundError):
        scope.remove_subservice(new_project, stripe)
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        assert scope.get_scope(again).subservices == (edited,)
        assert scope.restore_subservice(again, removed).value == stripe
        assert scope.get_scope(again).subservices == (edited, removed)
        assert [a for a, key, _ in _trail(again, "subservices") if key == str(stripe)] == ["create", "delete",
                                                                                            "create"]


def test_cuec_update_remove_restore(new_project: OpenProject, reopen: Any) -> None:
    first = scope.add_cuec(new_project, "Customers manage their own users.").value
    second = scope.add_cuec(new_project, "Customers protect their API keys.").value
    assert scope.update_cuec(new_project, Cuec(first, "  Customers review their users quarterly. ")).value == Cuec(
        first, "Customers review their users quarterly.")
    with pytest.raises(ValidationError, match="text cannot be empty"):
        scope.update_cuec(new_project, Cuec(first, " \n "))
    with pytest.raises(ValidationError):
        scope.add_cuec(new_project, "")
    removed = scope.remove_cuec(new_project, second).value
    assert scope.get_scope(new_project).checklist[-1] == ("List the complementary user entity controls", True)
    scope.remove_cuec(new_project, first)
    assert scope.get_scope(new_project).checklist[-1] == ("List the complementary user entity controls", False)
    scope.restore_cuec(new_project, removed)
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        assert scope.get_scope(again).cuecs == (Cuec(second, "Customers protect their API keys."),)
        assert [a for a, _, _ in _trail(again, "cuecs")] == ["create", "create", "update", "delete", "delete",
                                                             "create"]


def test_unknown_description_sections_are_refused(new_project: OpenProject, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unknown sections: nonsense"):
        scope.set_description(new_project, {"nonsense": "x", "data": "y"})
    assert scope.get_scope(new_project).description["dc3.data"] == ""
    scope.set_description(new_project, {"data": "Customer events"})  # the key used before DC1-DC9 still works
    assert scope.get_scope(new_project).description["dc3.data"] == "Customer events"
