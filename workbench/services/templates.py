"""The control template library: read and check it, and apply templates or whole sets to a project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from workbench import paths
from workbench.domain.catalog import Catalog
from workbench.domain.control_templates import (
    ControlTemplate,
    ControlType,
    TemplateLibrary,
    TemplateNature,
    TemplateSet,
    templates_present,
)
from workbench.domain.data_file import read_json_file
from workbench.domain.entities import Control
from workbench.domain.enums import Frequency
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services.catalog import bundled_catalog
from workbench.services.changes import Change, Touched
from workbench.services.controls import add_control_in, remove_controls, unique_ref
from workbench.services.session import OpenProject

TEXT_FIELDS = ("key", "title", "description", "suggested_ref", "owner_role")


def templates_path() -> Path:
    """Return the path of the bundled control template library."""
    return paths.resources_dir() / "templates" / "controls.json"


def _fail(source: str, why: str) -> ValidationError:
    return ValidationError(f"control templates {source}", why)


def _texts(entry: Mapping[str, Any], name: str, noun: str, key: str, source: str) -> tuple[str, ...]:
    value = entry.get(name)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, f"template {key} must list at least one {noun} as text")
    return tuple(v.strip() for v in value)


def _template(entry: Any, index: int, source: str, catalog: Catalog, set_keys: Sequence[str]) -> ControlTemplate:
    where = f"template #{index + 1}"
    if not isinstance(entry, Mapping):
        raise _fail(source, f"{where} is not an object")
    for name in TEXT_FIELDS:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _fail(source, f"{where} has no {name}")
    key = entry["key"].strip()
    try:
        frequency = Frequency(entry.get("frequency"))
        nature = TemplateNature(entry.get("nature"))
        control_type = ControlType(entry.get("control_type"))
    except ValueError as exc:
        raise _fail(source, f"template {key}: {exc}") from None
    criteria = _texts(entry, "criteria", "criterion", key, source)
    for criterion_id in criteria:
        if criterion_id not in catalog:
            raise _fail(source, f"template {key} names {criterion_id!r}, which is not a Trust Services Criterion")
    if len(set(criteria)) != len(criteria):
        raise _fail(source, f"template {key} lists a criterion twice")
    population = entry.get("population") or ""
    if not isinstance(population, str):
        raise _fail(source, f"template {key}: the population must be text")
    if (frequency is Frequency.EVENT_DRIVEN) != bool(population.strip()):
        raise _fail(source, f"template {key}: an event-driven template names the population it is tested on, "
                            "and only an event-driven one does")
    sets = entry.get("sets", [])
    if not isinstance(sets, list) or any(s not in set_keys for s in sets):
        raise _fail(source, f"template {key} names a set that is not declared: use {', '.join(set_keys)}")
    return ControlTemplate(
        key=key, title=entry["title"].strip(), description=entry["description"].strip(), frequency=frequency,
        nature=nature, criteria=criteria, suggested_ref=entry["suggested_ref"].strip(), control_type=control_type,
        owner_role=entry["owner_role"].strip(), evidence=_texts(entry, "evidence", "piece of evidence", key, source),
        population=population.strip(), sets=tuple(sets),
    )


def _declared_sets(data: Mapping[str, Any], source: str) -> list[tuple[str, str, str]]:
    declared = data.get("sets", [])
    if not isinstance(declared, list):
        raise _fail(source, "'sets' must be a list")
    found: list[tuple[str, str, str]] = []
    for number, entry in enumerate(declared, start=1):
        fields = [entry.get(name) if isinstance(entry, Mapping) else None for name in ("key", "title", "description")]
        if not all(isinstance(value, str) and value.strip() for value in fields):
            raise _fail(source, f"set #{number} needs a key, a title and a description")
        found.append((fields[0].strip(), fields[1].strip(), fields[2].strip()))
    return found


def parse_library(data: Any, source: str = "library", catalog: Catalog | None = None) -> TemplateLibrary:
    """Validate library data (as loaded from JSON) against the catalog; raise ValidationError naming the fault."""
    catalog = catalog or bundled_catalog()
    entries = data.get("templates") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise _fail(source, "expected a JSON object with a non-empty 'templates' list")
    declared = _declared_sets(data, source)
    set_keys = [key for key, _, _ in declared]
    templates: list[ControlTemplate] = []
    keys: set[str] = set()
    for index, entry in enumerate(entries):
        template = _template(entry, index, source, catalog, set_keys)
        if template.key in keys:
            raise _fail(source, f"the key {template.key!r} appears twice")
        if template.key in set_keys:
            raise _fail(source, f"the key {template.key!r} is also the name of a set")
        keys.add(template.key)
        templates.append(template)
    sets = tuple(TemplateSet(key, title, description, tuple(t.key for t in templates if key in t.sets))
                 for key, title, description in declared)
    empty = [s.key for s in sets if not s.keys]
    if empty:
        raise _fail(source, f"the set {empty[0]!r} has no templates")
    return TemplateLibrary(tuple(templates), sets)


def parse_templates(data: Any, source: str = "library", catalog: Catalog | None = None) -> tuple[ControlTemplate, ...]:
    """Validate library data and return its templates."""
    return parse_library(data, source, catalog).templates


def read_library(path: Path, catalog: Catalog | None = None) -> TemplateLibrary:
    """Read and validate a template library file."""
    return parse_library(read_json_file(path, _fail), str(path), catalog)


def read_templates(path: Path, catalog: Catalog | None = None) -> tuple[ControlTemplate, ...]:
    """Read and validate a template library file; return its templates."""
    return read_library(path, catalog).templates


@cache
def bundled_library() -> TemplateLibrary:
    """Return the template library shipped with the program (read and validated once)."""
    return read_library(templates_path())


def bundled_templates() -> tuple[ControlTemplate, ...]:
    """Return the templates shipped with the program."""
    return bundled_library().templates


def templates_for(criterion_id: str, templates: Sequence[ControlTemplate] | None = None) -> list[ControlTemplate]:
    """Return the templates mapped to one criterion."""
    return [t for t in (templates if templates is not None else bundled_templates()) if criterion_id in t.criteria]


# -- applying templates --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateApplication:
    """What applying templates did: controls made, templates skipped and why, and what is still uncovered."""

    created: tuple[Control, ...]
    present: tuple[tuple[str, str], ...]  # (template key, reference of the control already made from it)
    out_of_scope: tuple[str, ...]  # templates none of whose criteria is in the project's categories
    left_out: tuple[tuple[str, tuple[str, ...]], ...]  # (control ref, criteria not linked: outside the categories)
    uncovered: tuple[str, ...]  # in-scope criteria still without a control afterwards

    def summary(self) -> str:
        """Return what happened in one line."""
        made = len(self.created)
        parts = [f"created {made} control{'' if made == 1 else 's'}"]
        if self.present:
            parts.append(f"{len(self.present)} already in the project")
        if self.out_of_scope:
            parts.append(f"{len(self.out_of_scope)} skipped: their criteria are outside the project's categories")
        if self.uncovered:
            parts.append(f"{len(self.uncovered)} in-scope criteria still without a control: "
                         + ", ".join(self.uncovered))
        else:
            parts.append("every in-scope criterion has a control")
        text = "; ".join(parts)
        return text[0].upper() + text[1:]


def _chosen(library: TemplateLibrary, names: Sequence[str]) -> list[ControlTemplate]:
    if not names:
        raise ValidationError("templates", "name a template set or at least one template key")
    unknown = library.unknown(names)
    if unknown:
        sets = ", ".join(s.key for s in library.sets)
        raise NotFoundError(f"template {unknown[0]}", f"is neither a template key nor a set ({sets})")
    return library.expand(names)


def apply_templates(project: OpenProject, names: Sequence[str], owner: str = "") -> Change[TemplateApplication]:
    """Add a control for each named template or set member not yet in the project, in one undoable step.

    A control links only the template's criteria in the project's categories; a template with none is skipped.
    A template counts as applied when a control names it in its notes or has its title, so applying the same
    names again creates nothing. The owner defaults to the template's suggested role.
    """
    chosen = _chosen(bundled_library(), names)
    with project.uow() as uow:
        catalog = uow.criteria.catalog()
        categories = set(uow.settings.get().categories)
        existing = uow.controls.list()
        present = templates_present(existing, chosen)
        taken = [c.ref for c in existing]
        created: list[Control] = []
        skipped: list[str] = []
        left_out: list[tuple[str, tuple[str, ...]]] = []
        for template in chosen:
            if template.key in present:
                continue
            in_scope = [cid for cid in template.criteria
                        if (criterion := catalog.get(cid)) is not None and criterion.category in categories]
            if not in_scope:
                skipped.append(template.key)
                continue
            ref = unique_ref(template.suggested_ref, taken)
            taken.append(ref)
            created.append(add_control_in(uow, template.draft(ref, owner or template.owner_role, in_scope)))
            if len(in_scope) < len(template.criteria):
                left_out.append((ref, tuple(c for c in template.criteria if c not in in_scope)))
        mapped = {cid for control in (*existing, *created) for cid in control.criteria}
        uncovered = tuple(c.id for c in catalog.in_scope(categories) if c.id not in mapped)
        uow.commit()
    result = TemplateApplication(tuple(created), tuple(present.items()), tuple(skipped), tuple(left_out), uncovered)
    if not created:
        return Change(Touched.NOTHING, None, result)
    return Change(Touched.CONTROLS, partial(remove_controls, refs=tuple(c.ref for c in created)), result)
