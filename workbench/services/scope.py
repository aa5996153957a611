"""Step 1: the system description, components, subservice organisations and user entity controls."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from workbench.domain.entities import DESCRIPTION_KEYS, Component, Cuec, ProjectSettings, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import ValidationError
from workbench.domain.scope import scope_checklist
from workbench.services.changes import Change, Touched
from workbench.services.session import OpenProject

COMPONENT = "component"
SUBSERVICE = "subservice organisation"
CUEC = "complementary user entity control"

EnumT = TypeVar("EnumT", ComponentKind, SubserviceMethod)


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
    """Set the text of one or more sections of the system description; undone by putting the old texts back."""
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
        _text(SUBSERVICE, "complementary controls", subservice.complementary_controls),
    )


def _clean_cuec(cuec: Cuec) -> Cuec:
    return Cuec(cuec.id, _required(CUEC, "text", cuec.text))


# -- components --------------------------------------------------------------------------------------------


def add_component(project: OpenProject, kind: ComponentKind, name: str, description: str = "",
                  in_scope: bool = True) -> Change[int]:
    """Add a system component (the change carries its id)."""
    return restore_component(project, Component(0, kind, name, description, in_scope))


def update_component(project: OpenProject, component: Component) -> Change[Component]:
    """Replace the fields of the component with component.id; undone by putting the old ones back."""
    component = _clean_component(component)
    with project.uow() as uow:
        before = uow.components.get(component.id)
        uow.components.update(component)
        uow.commit()
    return Change(Touched.SCOPE, partial(update_component, component=before), component)


def remove_component(project: OpenProject, component_id: int) -> Change[Component]:
    """Remove a component; undone by restore_component."""
    with project.uow() as uow:
        removed = uow.components.get(component_id)
        uow.components.remove(component_id)
        uow.commit()
    return Change(Touched.SCOPE, partial(restore_component, component=removed), removed)


def restore_component(project: OpenProject, component: Component) -> Change[int]:
    """Put a removed component back with its id and values (id 0: a new one)."""
    component = _clean_component(component)
    with project.uow() as uow:
        component_id = uow.components.add(component.kind, component.name, component.description,
                                           component.in_scope, component_id=component.id or None)
        uow.commit()
    return Change(Touched.SCOPE, partial(remove_component, component_id=component_id), component_id)


# -- subservice organisations ------------------------------------------------------------------------------


def add_subservice(project: OpenProject, name: str, service: str, method: SubserviceMethod,
                   soc_report: str = "", complementary_controls: str = "") -> Change[int]:
    """Add a subservice organisation (the change carries its id)."""
    return restore_subservice(project, Subservice(0, name, service, method, soc_report, complementary_controls))


def update_subservice(project: OpenProject, subservice: Subservice) -> Change[Subservice]:
    """Replace the fields of the subservice organisation with subservice.id; undone by putting the old ones back."""
    subservice = _clean_subservice(subservice)
    with project.uow() as uow:
        before = uow.subservices.get(subservice.id)
        uow.subservices.update(subservice)
        uow.commit()
    return Change(Touched.SCOPE, partial(update_subservice, subservice=before), subservice)


def remove_subservice(project: OpenProject, subservice_id: int) -> Change[Subservice]:
    """Remove a subservice organisation; undone by restore_subservice."""
    with project.uow() as uow:
        removed = uow.subservices.get(subservice_id)
        uow.subservices.remove(subservice_id)
        uow.commit()
    return Change(Touched.SCOPE, partial(restore_subservice, subservice=removed), removed)


def restore_subservice(project: OpenProject, subservice: Subservice) -> Change[int]:
    """Put a removed subservice organisation back with its id and values (id 0: a new one)."""
    subservice = _clean_subservice(subservice)
    with project.uow() as uow:
        subservice_id = uow.subservices.add(subservice.name, subservice.service, subservice.method,
                                            subservice.soc_report, subservice.complementary_controls,
                                            subservice_id=subservice.id or None)
        uow.commit()
    return Change(Touched.SCOPE, partial(remove_subservice, subservice_id=subservice_id), subservice_id)


# -- complementary user entity controls ----------------------------------------------------------------


def add_cuec(project: OpenProject, text: str) -> Change[int]:
    """Add a complementary user entity control (the change carries its id)."""
    return restore_cuec(project, Cuec(0, text))


def update_cuec(project: OpenProject, cuec: Cuec) -> Change[Cuec]:
    """Replace the text of the complementary user entity control with cuec.id; undone by putting the old text back."""
    cuec = _clean_cuec(cuec)
    with project.uow() as uow:
        before = uow.cuecs.get(cuec.id)
        uow.cuecs.update(cuec)
        uow.commit()
    return Change(Touched.SCOPE, partial(update_cuec, cuec=before), cuec)


def remove_cuec(project: OpenProject, cuec_id: int) -> Change[Cuec]:
    """Remove a complementary user entity control; undone by restore_cuec."""
    with project.uow() as uow:
        removed = uow.cuecs.get(cuec_id)
        uow.cuecs.remove(cuec_id)
        uow.commit()
    return Change(Touched.SCOPE, partial(restore_cuec, cuec=removed), removed)


def restore_cuec(project: OpenProject, cuec: Cuec) -> Change[int]:
    """Put a removed complementary user entity control back with its id and text (id 0: a new one)."""
    cuec = _clean_cuec(cuec)
    with project.uow() as uow:
        cuec_id = uow.cuecs.add(cuec.text, cuec_id=cuec.id or None)
        uow.commit()
    return Change(Touched.SCOPE, partial(remove_cuec, cuec_id=cuec_id), cuec_id)

