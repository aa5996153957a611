"""What the registers' kinds share: records kept by a repository with an id and a unique reference, and links by
control reference read from a cell."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.spec import Loaded

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

_SPLIT = re.compile(r"[,;|\n]+")
Warnings = list[tuple[str, str]]


def control_index(uow: UnitOfWork) -> dict[str, str]:
    """Return the project's control refs by themselves and folded (a cell may write them in another case)."""
    index: dict[str, str] = {}
    for control in uow.controls.list():
        index.setdefault(control.ref.casefold(), control.ref)
        index[control.ref] = control.ref
    return index


def controls_named(field: str, text: str, controls: Mapping[str, str]) -> tuple[tuple[str, ...], Warnings]:
    """Return the project's controls a cell names (comma, semicolon or line separated) and warnings for others."""
    found: list[str] = []
    warnings: Warnings = []
    for part in (p.strip() for p in _SPLIT.split(text) if p.strip()):
        ref = controls.get(part) or controls.get(part.casefold())
        if ref is None:
            warnings.append((field, f"{field}: {part[:40]!r} is not a control of this project; not linked"))
        elif ref not in found:
            found.append(ref)
    return tuple(found), warnings


def control_named(field: str, text: str, controls: Mapping[str, str]) -> tuple[str | None, Warnings]:
    """Return the one project control a cell names (the first of several, with a warning), or None."""
    found, warnings = controls_named(field, text, controls)
    if len(found) > 1:
        warnings.append((field, f"{field}: one control is linked; {found[0]} is, {', '.join(found[1:])} not"))
    return (found[0] if found else None), warnings


def link_controls(changes: dict[str, Any], field: str, controls: Mapping[str, str], *, many: bool = False
                  ) -> Warnings:
    """Replace a row's cell in `field` (when the file maps it) by the project control it names, or with `many` all
    those it names; return the warnings for what it names that is not a control."""
    if field not in changes:
        return []
    find = controls_named if many else control_named
    changes[field], warnings = find(field, changes[field] or "", controls)
    return warnings


def date_order(record: Any, order: Sequence[str]) -> Warnings:
    """Return a warning for each date of a record (attribute names in `order`, earliest first) that falls before one
    that should precede it: the file says so, and it is kept, but a leaver who leaves before joining is a typo."""
    warnings: Warnings = []
    seen: list[tuple[str, date]] = []
    for name in order:
        value = getattr(record, name, None)
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            continue
        earlier = next(((n, d) for n, d in seen if value < d), None)
        if earlier is not None:
            warnings.append((name, f"{name}: {value.isoformat()} is before {earlier[0]} {earlier[1].isoformat()}; "
                                   f"kept as the file says, check it"))
        seen.append((name, value))
    return warnings


class FlatRecords:
    """Records of one repository (uow attribute `repository`), keyed by ref; `attributes` maps fields to their
    attribute where the names differ. Kinds refine build() and values() for what a cell means beyond its value."""

    def __init__(self, repository: str, blank: Callable[[str], Any], attributes: Mapping[str, str] | None = None,
                 noun: str = "record") -> None:
        self.repository, self.blank, self.noun = repository, blank, noun
        self.attributes = dict(attributes or {})

    def store(self, uow: UnitOfWork) -> Any:
        """Return the kind's repository on a unit of work."""
        return getattr(uow, self.repository)

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return the records by ref, and the project's controls (rows name them)."""
        return Loaded({r.ref: r for r in self.store(uow).list()}, control_index(uow))

    def changes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Return a row's values as the record's attributes."""
        return {self.attributes.get(name, name): value for name, value in values.items()}

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded) -> tuple[Any, Warnings]:
        """Return the record a row asks for; fields the file does not map keep the existing record's values."""
        base = self.blank(key) if current is None else current
        return replace(base, **self.changes(values), ref=key), []

    def same(self, current: Any, record: Any) -> bool:
        """Return True when the record already reads as the row."""
        return bool(current == record)

    def snapshot(self, current: Any) -> Any:
        """Return the record as it was, for undo."""
        return current

    def values(self, record: Any) -> dict[str, Any]:
        """Return the record's fields (subclasses name them)."""
        raise TypeError(f"{type(self).__name__} must define values()")

    def write(self, uow: UnitOfWork, creates: Sequence[Any], updates: Sequence[tuple[Any, Any]]) -> None:
        """Add the new records and replace the changed ones (keeping their ids)."""
        store = self.store(uow)
        store.add_many([replace(record, id=0) for record in creates])
        store.update_many([(current.id, record) for current, record in updates])

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Any]) -> None:
        """Remove the records created and put back those updated."""
        store = self.store(uow)
        for ref in created:
            found = store.by_ref(ref)
            if found is not None:
                self.refuse_removal(uow, source, found)
                store.remove(found.id)
        for previous in restored:
            store.update(previous.id, previous)

    def refuse_removal(self, uow: UnitOfWork, source: str, record: Any) -> None:
        """Refuse to undo the import when a record it created has gained something since (subclasses)."""

    def listing(self, uow: UnitOfWork) -> list[Any]:
        """Return the records in the natural order of their references."""
        return list(self.store(uow).list())

    def remember(self, uow: UnitOfWork, plan: Any) -> Any:
        """Keep nothing beyond the column layout."""

    def forget(self, uow: UnitOfWork, kept: Any) -> None:
        """Nothing to put back."""


def refuse(source: str, why: str) -> WorkbenchError:
    """Return the refusal of an undo, naming the file imported."""
    return WorkbenchError(source, f"cannot undo the import: {why}")
