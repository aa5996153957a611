"""Step 1: the system description, components, subservice organisations and user entity controls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Generic, Protocol, TypeVar

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.description import LEGACY_KEYS
from workbench.domain.entities import DESCRIPTION_KEYS, Component, Csoc, Cuec, ProjectSettings, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import ValidationError
from workbench.domain.scope import scope_checklist
from workbench.services.changes import Change, Touched
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

COMPONENT = "component"
SUBSERVICE = "subservice organisation"
CUEC = "complementary user entity control"
CSOC = "complementary subservice organisation control"

EnumT = TypeVar("EnumT", ComponentKind, SubserviceMethod)
R = TypeVar("R", Component, Subservice, Cuec)


@dataclass(frozen=True, slots=True)
class Scope:
    """Everything step 1 defines, with its checklist."""

    settings: ProjectSettings
    description: dict[str, str]
    components: tuple[Component, ...]
    subservices: tuple[Subservice, ...]
    cuecs: tuple[Cuec, ...]
    checklist: tuple[tuple[str, bool], ...]


def get_scope(project: OpenProject) -> Scope:
    """Return the project's scope."""
    with project.uow() as uow:
        settings, description = uow.settings.get(), uow.description.get_all()
        components, subservices, cuecs = uow.components.list(), uow.subservices.list(), uow.cuecs.list()
        return Scope(settings, description, tuple(components), tuple(subservices), tuple(cuecs),
                     scope_checklist(settings, description, components, subservices, cuecs))


def set_description(project: OpenProject, sections: dict[str, str]) -> Change[None]:
    """Set the text of one or more sections of the system description (DC keys, or the nine keys used before
    DC1-DC9); undone by putting the old texts back."""
    sections = {LEGACY_KEYS.get(key, key): text for key, text in sections.items()}
    unknown = set(sections) - set(DESCRIPTION_KEYS)
    if unknown:
        raise ValidationError("system description", f"unknown sections: {', '.join(sorted(unknown))}")
    with project.uow() as uow:
        stored = uow.description.get_all()
        before = {key: stored.get(key, "") for key in sections}
        for key, text in sections.items():
            uow.description.set(key, text)
        uow.commit()
    return Change(Touched.SCOPE, partial(set_description, sections=before))


# -- validation -------------------------------------------------------------------------------------------


def _required(what: str, field: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(what, f"the {field} cannot be empty")
    return value.strip()


def _text(what: str, field: str, value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(what, f"the {field} must be text")
    return value.strip()


def _member(what: str, kind: type[EnumT], value: object) -> EnumT:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise ValidationError(what, f"{value!r} is not one of: {choices}") from None


def _clean_component(component: Component) -> Component:
    return Component(
        component.id,
        _member(COMPONENT, ComponentKind, component.kind),
        _required(COMPONENT, "name", component.name),
        _text(COMPONENT, "description", component.description),
        bool(component.in_scope),
    )


def _clean_subservice(subservice: Subservice) -> Subservice:
    return Subservice(
        subservice.id,
        _required(SUBSERVICE, "name", subservice.name),
        _text(SUBSERVICE, "service", subservice.service),
        _member(SUBSERVICE, SubserviceMethod, subservice.method),
        _text(SUBSERVICE, "SOC report status", subservice.soc_report),
        tuple(Csoc(c.id, _required(CSOC, "text", c.text), tuple(c.criteria)) for c in subservice.csocs),
    )


def _clean_cuec(cuec: Cuec) -> Cuec:
    return Cuec(cuec.id, _required(CUEC, "text", cuec.text), tuple(cuec.criteria))


def known_criteria(uow: UnitOfWork, what: str, criteria: Sequence[str]) -> tuple[str, ...]:
    """Return the criterion ids written loosely ("cc 6.1") in canonical form and catalog order; refuse unknown ones."""
    catalog = uow.criteria.catalog()
    found: set[str] = set()
    for text in criteria:
        criterion_id = normalize_criterion_id(text) or text
        if criterion_id not in catalog:
            raise ValidationError(what, f"{text!r} is not a Trust Services Criterion")
        found.add(criterion_id)
    return tuple(c.id for c in catalog.criteria if c.id in found)


def _checked_subservice(uow: UnitOfWork, subservice: Subservice) -> Subservice:
    return replace(subservice, csocs=tuple(replace(c, criteria=known_criteria(uow, CSOC, c.criteria))
                                           for c in subservice.csocs))


def _checked_cuec(uow: UnitOfWork, cuec: Cuec) -> Cuec:
    return replace(cuec, criteria=known_criteria(uow, CUEC, cuec.criteria))


# -- one engine for the three lists of records: edit, remove, and put back (the undo of remove) --------------


class _Records(Protocol[R]):
    def get(self, record_id: int, /) -> R: ...
    def update(self, record: R, /) -> None: ...
    def remove(self, record_id: int, /) -> None: ...


@dataclass(frozen=True, slots=True)
class _Kind(Generic[R]):
    """One list of scope records: its name in the services, its repository, its checks, and how one is stored."""

    name: str  # the undo calls its service with name=record, or name_id=id
    records: Callable[[UnitOfWork], _Records[R]]
    clean: Callable[[R], R]
    add: Callable[[UnitOfWork, R], int]
    check: Callable[[UnitOfWork, R], R] = lambda _uow, record: record  # checks that need the project


_COMPONENTS: _Kind[Component] = _Kind(
    "component", lambda uow: uow.components, _clean_component,
    lambda uow, c: uow.components.add(c.kind, c.name, c.description, c.in_scope, component_id=c.id or None))
_SUBSERVICES: _Kind[Subservice] = _Kind(
    "subservice", lambda uow: uow.subservices, _clean_subservice,
    lambda uow, s: uow.subservices.add(s.name, s.service, s.method, s.soc_report, s.csocs,
                                       subservice_id=s.id or None), _checked_subservice)
_CUECS: _Kind[Cuec] = _Kind(
    "cuec", lambda uow: uow.cuecs, _clean_cuec,
    lambda uow, c: uow.cuecs.add(c.text, cuec_id=c.id or None, criteria=c.criteria), _checked_cuec)


def _update(project: OpenProject, kind: _Kind[R], record: R, service: Callable[..., Change[R]]) -> Change[R]:
    record = kind.clean(record)
    with project.uow() as uow:
        record = kind.check(uow, record)
        before = kind.records(uow).get(record.id)
        kind.records(uow).update(record)
        record = kind.records(uow).get(record.id)  # new CSOCs get their ids
        uow.commit()
    return Change(Touched.SCOPE, partial(service, **{kind.name: before}), record)


def _remove(project: OpenProject, kind: _Kind[R], record_id: int,
            restore: Callable[..., Change[int]]) -> Change[R]:
    with project.uow() as uow:
        removed = kind.records(uow).get(record_id)
        kind.records(uow).remove(record_id)
        uow.commit()
    return Change(Touched.SCOPE, partial(restore, **{kind.name: removed}), removed)


def _restore(project: OpenProject, kind: _Kind[R], record: R, remove: Callable[..., Change[R]]) -> Change[int]:
    record = kind.clean(record)
    with project.uow() as uow:
        record_id = kind.add(uow, kind.check(uow, record))
        uow.commit()
    return Change(Touched.SCOPE, partial(remove, **{f"{kind.name}_id": record_id}), record_id)


# -- components --------------------------------------------------------------------------------------------


def add_component(project: OpenProject, kind: ComponentKind, name: str, description: str = "",
                  in_scope: bool = True) -> Change[int]:
    """Add a system component (the change carries its id)."""
    return restore_component(project, Component(0, kind, name, description, in_scope))


def update_component(project: OpenProject, component: Component) -> Change[Component]:
    """Replace the fields of the component with component.id; undone by putting the old ones back."""
    return _update(project, _COMPONENTS, component, update_component)


def remove_component(project: OpenProject, component_id: int) -> Change[Component]:
    """Remove a component; undone by restore_component."""
    return _remove(project, _COMPONENTS, component_id, restore_component)


def restore_component(project: OpenProject, component: Component) -> Change[int]:
    """Put a removed component back with its id and values (id 0: a new one)."""
    return _restore(project, _COMPONENTS, component, remove_component)


# -- subservice organisations ------------------------------------------------------------------------------


def add_subservice(project: OpenProject, name: str, service: str, method: SubserviceMethod,
                   soc_report: str = "", complementary_controls: str | Sequence[Csoc] = ()) -> Change[int]:
    """Add a subservice organisation (the change carries its id); its controls as CSOCs, or as one text (one CSOC)."""
    if isinstance(complementary_controls, str):
        complementary_controls = [Csoc(0, complementary_controls)] if complementary_controls.strip() else []
    return restore_subservice(project, Subservice(0, name, service, method, soc_report, tuple(complementary_controls)))


def update_subservice(project: OpenProject, subservice: Subservice) -> Change[Subservice]:
    """Replace the fields of the subservice organisation with subservice.id; undone by putting the old ones back."""
    return _update(project, _SUBSERVICES, subservice, update_subservice)


def remove_subservice(project: OpenProject, subservice_id: int) -> Change[Subservice]:
    """Remove a subservice organisation; undone by restore_subservice."""
    return _remove(project, _SUBSERVICES, subservice_id, restore_subservice)


def restore_subservice(project: OpenProject, subservice: Subservice) -> Change[int]:
    """Put a removed subservice organisation back with its id and values (id 0: a new one)."""
    return _restore(project, _SUBSERVICES, subservice, remove_subservice)


# -- complementary user entity controls ----------------------------------------------------------------


def add_cuec(project: OpenProject, text: str, criteria: Sequence[str] = ()) -> Change[int]:
    """Add a complementary user entity control and the criteria it supports (the change carries its id)."""
    return restore_cuec(project, Cuec(0, text, tuple(criteria)))


def update_cuec(project: OpenProject, cuec: Cuec) -> Change[Cuec]:
    """Replace the text of the complementary user entity control with cuec.id; undone by putting the old text back."""
    return _update(project, _CUECS, cuec, update_cuec)


def remove_cuec(project: OpenProject, cuec_id: int) -> Change[Cuec]:
    """Remove a complementary user entity control; undone by restore_cuec."""
    return _remove(project, _CUECS, cuec_id, restore_cuec)


def restore_cuec(project: OpenProject, cuec: Cuec) -> Change[int]:
    """Put a removed complementary user entity control back with its id and text (id 0: a new one)."""
    return _restore(project, _CUECS, cuec, remove_cuec)
