"""One engine for editing a register's records: add, update, remove and put back, each an undoable Change.

A register declares a RecordKind: its noun, what it touches, its repository on the unit of work, how a record is
checked before it is written, and what refuses an edit (a signed risk assessment). Every operation runs in one
transaction; its inverse is another operation of this module bound to what the edit saw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from workbench.domain.errors import ValidationError
from workbench.services.changes import Change, Touched, moved_on
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


class Identified(Protocol):
    """A register record: an id, and a reference people know it by."""

    @property
    def id(self) -> int: ...
    @property
    def ref(self) -> str: ...


R = TypeVar("R", bound=Identified)


class Repository(Protocol[R]):
    def get(self, record_id: int, /) -> R: ...
    def add(self, record: R, record_id: int | None = None, /) -> int: ...
    def update(self, record_id: int, record: R, /) -> None: ...
    def remove(self, record_id: int, /) -> None: ...


def _no_guard(uow: UnitOfWork, record: Any) -> None:
    """Refuse nothing."""


def _unnumbered(record: R) -> R:
    """Return the record with id 0, so that the repository gives it a new one."""
    return replace(record, id=0)  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class RecordKind(Generic[R]):
    """One register as the edit engine sees it."""

    noun: str  # "risk": what a message calls a record
    touched: Touched
    records: Callable[[UnitOfWork], Repository[R]]
    clean: Callable[[UnitOfWork, R], R]  # the record as it may be written; ValidationError naming the problem
    guard: Callable[[UnitOfWork, R], None] = _no_guard  # raises when the record may not change (read-only)
    new: Callable[[R], R] = _unnumbered  # what add_record writes of a record: a new id (a risk: the assessment in use)


def required(what: str, name: str, value: str) -> str:
    """Return a text field trimmed; refuse it when empty."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(what, f"the {name} cannot be empty")
    return value.strip()


def known_control(uow: UnitOfWork, what: str, ref: str | None) -> str | None:
    """Return a control reference the project has (None for none); refuse one it does not."""
    if ref is None or not ref.strip():
        return None
    control = uow.controls.get(ref.strip())
    if control is None:
        raise ValidationError(what, f"{ref.strip()} is not a control of this project")
    return control.ref


def _ref(record: Identified) -> str:
    return record.ref or str(record.id)


def add_record(project: OpenProject, kind: RecordKind[R], record: R) -> Change[int]:
    """Add a record (its id is ignored); the change carries the new id. Undone by remove_record."""
    return restore_record(project, kind, kind.new(record))


def restore_record(project: OpenProject, kind: RecordKind[R], record: R) -> Change[int]:
    """Put a removed record back under its id (id 0: a new one)."""
    with project.uow() as uow:
        cleaned = kind.clean(uow, record)
        kind.guard(uow, cleaned)
        record_id = kind.records(uow).add(cleaned, cleaned.id or None)
        uow.commit()
    return Change(kind.touched, partial(remove_record, kind=kind, record_id=record_id), record_id)


def update_record(project: OpenProject, kind: RecordKind[R], record: R, expected: R | None = None) -> Change[R]:
    """Replace the fields of the record with record.id; undone by putting the old fields back.

    With `expected` (what an undo or redo finds there), an edit made meanwhile by someone else is refused.
    """
    with project.uow() as uow:
        repository = kind.records(uow)
        before = repository.get(record.id)
        if expected is not None and before != expected:
            raise moved_on(f"{kind.noun} {_ref(before)}", before)
        kind.guard(uow, before)
        cleaned = kind.clean(uow, record)
        kind.guard(uow, cleaned)
        repository.update(record.id, cleaned)
        uow.commit()
        after = repository.get(record.id)
    return Change(kind.touched, partial(update_record, kind=kind, record=before, expected=after), after)


def remove_record(project: OpenProject, kind: RecordKind[R], record_id: int) -> Change[R]:
    """Remove a record; undone by restore_record."""
    with project.uow() as uow:
        repository = kind.records(uow)
        removed = repository.get(record_id)
        kind.guard(uow, removed)
        repository.remove(record_id)
        uow.commit()
    return Change(kind.touched, partial(restore_record, kind=kind, record=removed), removed)
