"""What the registers' repositories share: records with an id and a reference, written through the ORM.

Writing through the ORM (not bulk SQL) lets the audit trail see every change; the registers are small. Lists are
read as plain rows (repositories/plain.py), so `_record` gets a mapped row or a plain one with the same attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import select

from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.domain.register_record import RegisterRecord
from workbench.store.repositories.plain import read, table
from workbench.store.schema import Base, ControlRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

RowT = TypeVar("RowT", bound=Base)
RecordT = TypeVar("RecordT", bound=RegisterRecord)


class ControlLinks:
    """Control references and ids both ways, read once per repository call."""

    def __init__(self, session: Session) -> None:
        controls = table(ControlRow).c
        pairs = read(session, select(controls.id, controls.ref)).all()
        self.ids: dict[str, int] = {ref: control_id for control_id, ref in pairs}
        self.refs: dict[int, str] = {control_id: ref for control_id, ref in pairs}

    def ref(self, control_id: int | None) -> str | None:
        """Return the reference of a control id (None for none)."""
        return None if control_id is None else self.refs.get(control_id)

    def id(self, ref: str | None) -> int | None:
        """Return the id of a control reference; None for none, NotFoundError for one the project lacks."""
        if ref is None or not ref.strip():
            return None
        if ref not in self.ids:
            raise NotFoundError(f"control {ref}", "is not a control of this project")
        return self.ids[ref]


def set_changed(row: object, values: Mapping[str, Any]) -> None:
    """Copy values onto a row, touching only what differs (so the trail shows real edits)."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def enum_value(member: Any) -> Any:
    """Return an enum member's stored value (None stays None)."""
    return None if member is None else member.value


def enum_member(kind: Any, value: str | None) -> Any:
    """Return the member of an enum a stored value names (None or empty: None)."""
    return kind(value) if value else None


class RecordRepository(Generic[RowT, RecordT]):
    """One register's records: each has an id and a unique `ref`. Subclasses map rows to records and back."""

    row_type: type[RowT]
    noun = "record"
    same: tuple[str, ...] = ()  # the record's fields kept in columns of the same name, as they are

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- to implement ---------------------------------------------------------------------------------

    def _record(self, row: RowT, links: ControlLinks) -> RecordT:
        raise TypeError(f"{type(self).__name__} must define _record()")

    def _columns(self, record: RecordT, links: ControlLinks) -> dict[str, Any]:
        raise TypeError(f"{type(self).__name__} must define _columns()")

    # -- shared ---------------------------------------------------------------------------------------

    def _same(self, source: Any) -> dict[str, Any]:
        """Return the fields named in `same`, read from a row or a record."""
        return {name: getattr(source, name) for name in self.same}

    def _stored(self, row: Any) -> dict[str, Any]:
        """Return what every record reads back from its row as it is: id, row version and the fields in `same`."""
        return {"id": row.id, "version": row.version, **self._same(row)}

    def _rows(self, *conditions: Any) -> Iterable[Any]:
        """Return the records' rows, as plain rows, by id; `conditions` are on the columns of table(row_type)."""
        rows = table(self.row_type)
        return read(self._session, select(rows).where(*conditions).order_by(rows.c.id))

    def list(self) -> list[RecordT]:
        """Return every record in the natural order of its reference."""
        links = ControlLinks(self._session)
        return natural_sorted((self._record(row, links) for row in self._rows()), key=lambda r: r.ref)

    def get(self, record_id: int) -> RecordT:
        """Return one record by id."""
        return self._record(self._row(record_id), ControlLinks(self._session))

    def by_ref(self, ref: str) -> RecordT | None:
        """Return the record with this reference, or None."""
        row = self._session.scalars(select(self.row_type).where(self.row_type.ref == ref)).first()
        return None if row is None else self._record(row, ControlLinks(self._session))

    def add(self, record: RecordT, record_id: int | None = None) -> int:
        """Add a record (under record_id when putting a removed one back); return its id."""
        if record_id is not None and self._session.get(self.row_type, record_id) is not None:
            raise DuplicateError(f"{self.noun} {record_id}", "already exists")
        self._refuse_duplicate(record, None)
        row = self.row_type(**self._columns(record, ControlLinks(self._session)))
        if record_id is not None:
            row.id = record_id
        self._session.add(row)
        self._session.flush()
        self._after_write(row, record)
        return row.id

    def add_many(self, records: Sequence[RecordT]) -> list[int]:
        """Add many records at once (an import): one read of the links, one duplicate check, one flush."""
        links = ControlLinks(self._session)
        self._refuse_duplicates(records)
        rows = [self.row_type(**self._columns(record, links)) for record in records]
        self._session.add_all(rows)
        self._session.flush()
        for row, record in zip(rows, records, strict=True):
            self._after_write(row, record)
        return [row.id for row in rows]

    def update_many(self, changes: Sequence[tuple[int, RecordT]]) -> None:
        """Replace the fields of many records at once (an import)."""
        links = ControlLinks(self._session)
        for record_id, record in changes:
            row = self._row(record_id)
            set_changed(row, self._columns(record, links))
            self._after_write(row, record)
        self._session.flush()

    def _refuse_duplicates(self, records: Sequence[RecordT]) -> None:
        taken = set(self._session.scalars(select(self.row_type.ref)))
        for record in records:
            ref = record.ref
            if ref in taken:
                raise DuplicateError(f"{self.noun} {ref}", "already exists; give it another reference")
            taken.add(ref)

    def update(self, record_id: int, record: RecordT) -> None:
        """Replace the fields of the record with this id."""
        row = self._row(record_id)
        self._refuse_duplicate(record, record_id)
        set_changed(row, self._columns(record, ControlLinks(self._session)))
        self._session.flush()
        self._after_write(row, record)

    def remove(self, record_id: int) -> None:
        """Remove a record (and what hangs off it)."""
        self._session.delete(self._row(record_id))
        self._session.flush()

    def _after_write(self, row: RowT, record: RecordT) -> None:
        """Write what hangs off the record (subclasses with child rows)."""

    def _refuse_duplicate(self, record: RecordT, record_id: int | None) -> None:
        ref = record.ref
        clash = self._session.scalars(select(self.row_type.id).where(self.row_type.ref == ref)).first()
        if clash is not None and clash != record_id:
            raise DuplicateError(f"{self.noun} {ref}", "already exists; give it another reference")

    def _row(self, record_id: int) -> RowT:
        row = self._session.get(self.row_type, record_id)
        if row is None:
            raise NotFoundError(f"{self.noun} {record_id}", "does not exist (it was removed meanwhile)")
        return row
