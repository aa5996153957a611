"""Control templates and template sets: ready-made controls as a practitioner would suggest them, pure data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import Frequency, LabelledEnum, Nature

# The first line of a control made from a template names it, so applying the template again finds the control.
_MARKER = re.compile(r"^Template: ([a-z0-9][a-z0-9-]*)\b", re.MULTILINE)


class TemplateNature(LabelledEnum):
    """How a template's control runs: by hand, by hand on system output, or by the system itself."""

    MANUAL = "manual"
    IT_DEPENDENT_MANUAL = "it_dependent_manual"
    AUTOMATED = "automated"

    @property
    def label(self) -> str:
        """Return the text shown to users."""
        return "IT-dependent manual" if self is TemplateNature.IT_DEPENDENT_MANUAL else super().label

    @property
    def control_nature(self) -> Nature:
        """Return the nature a control records (an IT-dependent manual control is tested as a manual one)."""
        return Nature.AUTOMATED if self is TemplateNature.AUTOMATED else Nature.MANUAL


class ControlType(LabelledEnum):
    """What a control does about a problem: stops it, finds it, or puts it right."""

    PREVENTIVE = "preventive"
    DETECTIVE = "detective"
    CORRECTIVE = "corrective"


@dataclass(frozen=True, slots=True)
class ControlTemplate:
    """One template: a control as we suggest it, mapped to the criteria it helps meet."""

    key: str
    title: str
    description: str
    frequency: Frequency
    nature: TemplateNature
    criteria: tuple[str, ...]
    suggested_ref: str
    control_type: ControlType = ControlType.PREVENTIVE
    owner_role: str = ""
    evidence: tuple[str, ...] = ()
    population: str = ""  # event-driven controls: the events in the period the auditor samples from
    sets: tuple[str, ...] = ()

    @property
    def notes(self) -> str:
        """Return the notes a control made from this template starts with: its origin, evidence and population."""
        lines = [f"Template: {self.key}. {self.nature.label}, {self.control_type.value} control; suggested owner: "
                 f"{self.owner_role}."]
        if self.evidence:
            lines.append("Evidence an auditor usually asks for: " + "; ".join(self.evidence) + ".")
        if self.population:
            lines.append(f"Population tested: {self.population}.")
        return "\n".join(lines)

    def draft(self, ref: str | None = None, owner: str = "", criteria: Iterable[str] | None = None) -> ControlDraft:
        """Return a control draft made from this template (its suggested reference and all its criteria unless told)."""
        return ControlDraft(
            ref=ref or self.suggested_ref, title=self.title, description=self.description, owner=owner,
            frequency=self.frequency, nature=self.nature.control_nature, notes=self.notes,
            criteria=self.criteria if criteria is None else tuple(criteria),
        )

    def matches(self, text: str) -> bool:
        """Return True when every word of `text` appears in the template's key, texts, criteria or reference."""
        haystack = " ".join((self.key, self.title, self.description, self.suggested_ref, self.owner_role,
                             self.population, *self.evidence, *self.criteria, *self.sets)).casefold()
        return all(word in haystack for word in text.casefold().split())


@dataclass(frozen=True, slots=True)
class TemplateSet:
    """A named selection of templates applied together (`first-year-saas`, `privacy` ...)."""

    key: str
    title: str
    description: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class TemplateLibrary:
    """The templates and the sets drawn from them, in library order."""

    templates: tuple[ControlTemplate, ...]
    sets: tuple[TemplateSet, ...]
    _by_key: dict[str, ControlTemplate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {t.key: t for t in self.templates})

    def get(self, key: str) -> ControlTemplate | None:
        """Return the template with this key, or None."""
        return self._by_key.get(key)

    def template_set(self, key: str) -> TemplateSet | None:
        """Return the set with this key, or None."""
        return next((s for s in self.sets if s.key == key), None)

    def unknown(self, names: Iterable[str]) -> list[str]:
        """Return the names that are neither a set nor a template key."""
        return [n for n in names if self.template_set(n) is None and n not in self._by_key]

    def expand(self, names: Iterable[str]) -> list[ControlTemplate]:
        """Return the templates named (a set stands for its templates), each once, in the order first named."""
        keys: dict[str, None] = {}
        for name in names:
            chosen = self.template_set(name)
            keys.update(dict.fromkeys(chosen.keys if chosen else (name,)))
        return [self._by_key[k] for k in keys if k in self._by_key]


def template_key_of(control: Control) -> str | None:
    """Return the key of the template a control was made from (read from its notes), or None."""
    match = _MARKER.search(control.notes)
    return match.group(1) if match else None


def templates_present(controls: Iterable[Control], templates: Iterable[ControlTemplate]) -> dict[str, str]:
    """Return template key -> reference of a control already made from it (named in its notes, or same title)."""
    by_marker: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for control in controls:
        key = template_key_of(control)
        if key is not None:
            by_marker.setdefault(key, control.ref)
        by_title.setdefault(control.title.strip().casefold(), control.ref)
    found: dict[str, str] = {}
    for template in templates:
        ref = by_marker.get(template.key) or by_title.get(template.title.casefold())
        if ref is not None:
            found[template.key] = ref
    return found

