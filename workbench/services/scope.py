"""Step 1: the system description, components, subservice organisations and user entity controls."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.entities import DESCRIPTION_KEYS, Component, Cuec, ProjectSettings, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.domain.errors import ValidationError
from workbench.domain.scope import scope_checklist
from workbench.services.session import OpenProject


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


def set_description(project: OpenProject, sections: dict[str, str]) -> None:
    """Set the text of one or more sections of the system description."""
    unknown = set(sections) - set(DESCRIPTION_KEYS)
    if unknown:
        raise ValidationError("system description", f"unknown sections: {', '.join(sorted(unknown))}")
    with project.uow() as uow:
        for key, text in sections.items():
            uow.description.set(key, text)
        uow.commit()


def add_component(project: OpenProject, kind: ComponentKind, name: str, description: str = "") -> int:
    """Add a system component in scope; return its id."""
    if not name.strip():
        raise ValidationError("component", "the name cannot be empty")
    with project.uow() as uow:
        component_id = uow.components.add(kind, name.strip(), description)
        uow.commit()
        return component_id


def add_subservice(project: OpenProject, name: str, service: str, method: SubserviceMethod,
                   soc_report: str = "", complementary_controls: str = "") -> int:
    """Add a subservice organisation; return its id."""
    if not name.strip():
        raise ValidationError("subservice organisation", "the name cannot be empty")
    with project.uow() as uow:
        subservice_id = uow.subservices.add(name.strip(), service, method, soc_report, complementary_controls)
        uow.commit()
        return subservice_id


def add_cuec(project: OpenProject, text: str) -> int:
    """Add a complementary user entity control; return its id."""
    if not text.strip():
        raise ValidationError("complementary user entity control", "the text cannot be empty")
    with project.uow() as uow:
        cuec_id = uow.cuecs.add(text.strip())
        uow.commit()
        return cuec_id
