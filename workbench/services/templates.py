"""The control template library: ready-made controls, written in our own words, to add to a project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from workbench import paths
from workbench.domain.catalog import Catalog
from workbench.domain.data_file import read_json_file
from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services.catalog import bundled_catalog
from workbench.services.changes import Change, Touched
from workbench.services.controls import add_control_in, remove_controls, unique_ref
from workbench.services.session import OpenProject

TEXT_FIELDS = ("key", "title", "description", "suggested_ref")


@dataclass(frozen=True, slots=True)
class ControlTemplate:
    """One template: a control as we suggest it, mapped to the criteria it helps meet."""

    key: str
    title: str
    description: str
    frequency: Frequency
    nature: Nature
    criteria: tuple[str, ...]
    suggested_ref: str

    def draft(self, ref: str | None = None, owner: str = "") -> ControlDraft:
        """Return a control draft made from this template (with the suggested reference unless told)."""
        return ControlDraft(
            ref=ref or self.suggested_ref, title=self.title, description=self.description, owner=owner,
            frequency=self.frequency, nature=self.nature, criteria=self.criteria,
        )

    def matches(self, text: str) -> bool:
        """Return True when every word of `text` appears in the title, description, criteria or reference."""
        haystack = " ".join((self.title, self.description, self.suggested_ref, *self.criteria)).casefold()
        return all(word in haystack for word in text.casefold().split())


def templates_path() -> Path:
    """Return the path of the bundled control template library."""
    return paths.resources_dir() / "templates" / "controls.json"


def _fail(source: str, why: str) -> ValidationError:
    return ValidationError(f"control templates {source}", why)


def _template(entry: Any, index: int, source: str, catalog: Catalog) -> ControlTemplate:
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
        nature = Nature(entry.get("nature"))
    except ValueError as exc:
        raise _fail(source, f"template {key}: {exc}") from None
    criteria = entry.get("criteria")
    if not isinstance(criteria, list) or not criteria or not all(isinstance(c, str) for c in criteria):
        raise _fail(source, f"template {key} must list at least one criterion")
    for criterion_id in criteria:
        if criterion_id not in catalog:
            raise _fail(source, f"template {key} names {criterion_id!r}, which is not a Trust Services Criterion")
    if len(set(criteria)) != len(criteria):
        raise _fail(source, f"template {key} lists a criterion twice")
    return ControlTemplate(
        key=key, title=entry["title"].strip(), description=entry["description"].strip(), frequency=frequency,
        nature=nature, criteria=tuple(criteria), suggested_ref=entry["suggested_ref"].strip(),
    )


def parse_templates(data: Any, source: str = "library", catalog: Catalog | None = None) -> tuple[ControlTemplate, ...]:
    """Validate template data (as loaded from JSON) against the catalog; raise ValidationError naming the fault."""
    catalog = catalog or bundled_catalog()
    entries = data.get("templates") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise _fail(source, "expected a JSON object with a non-empty 'templates' list")
    templates: list[ControlTemplate] = []
    keys: set[str] = set()
    for index, entry in enumerate(entries):
        template = _template(entry, index, source, catalog)
        if template.key in keys:
            raise _fail(source, f"the key {template.key!r} appears twice")
        keys.add(template.key)
        templates.append(template)
    return tuple(templates)


def read_templates(path: Path, catalog: Catalog | None = None) -> tuple[ControlTemplate, ...]:
    """Read and validate a template library file."""
    return parse_templates(read_json_file(path, _fail), str(path), catalog)


@cache
def bundled_templates() -> tuple[ControlTemplate, ...]:
    """Return the template library shipped with the program (read and validated once)."""
    return read_templates(templates_path())


def templates_for(criterion_id: str, templates: Sequence[ControlTemplate] | None = None) -> list[ControlTemplate]:
    """Return the templates mapped to one criterion."""
    return [t for t in (templates if templates is not None else bundled_templates()) if criterion_id in t.criteria]


def add_controls_from_templates(project: OpenProject, keys: Sequence[str], owner: str = "") -> Change[list[Control]]:
    """Add one control per template key in one transaction, each with a reference not used yet."""
    by_key = {t.key: t for t in bundled_templates()}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        raise NotFoundError(f"control template {unknown[0]}", "is not in the template library")
    with project.uow() as uow:
        taken = [c.ref for c in uow.controls.list()]
        added: list[Control] = []
        for key in keys:
            template = by_key[key]
            ref = unique_ref(template.suggested_ref, taken)
            taken.append(ref)
            added.append(add_control_in(uow, template.draft(ref, owner)))
        uow.commit()
    return Change(Touched.CONTROLS, partial(remove_controls, refs=tuple(c.ref for c in added)), added)
