"""Remembered column layouts: for a kind of register and a header row, which header feeds which field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select

from workbench.store import audit_trail
from workbench.store.repositories.plain import table
from workbench.store.schema import ImportLayoutRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

_LAYOUTS = table(ImportLayoutRow)
_ENTITY = ImportLayoutRow.__tablename__


class LayoutRepository:
    """The column mappings a user accepted, keyed by register kind and a signature of the header row.

    Core statements only, each change recorded in the audit trail as a flush records a row's (an entry per row,
    keyed kind/signature/field): an import remembers its layout without loading the ORM (store/core_first.py).
    """

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, kind: str, signature: str) -> dict[str, str] | None:
        """Return {field: header} remembered for this kind and header signature, or None."""
        c = _LAYOUTS.c
        rows = self._session.execute(select(c.field, c.header).where(c.kind == kind, c.signature == signature))
        return {row.field: row.header for row in rows} or None

    def put(self, kind: str, signature: str, mapping: Mapping[str, str]) -> None:
        """Remember {field: header} for this kind and header signature, replacing what was there."""
        self._session.flush()  # the ORM's pending changes first, so the trail keeps the order they were made in
        if self.get(kind, signature) == dict(mapping):
            return  # nothing changed: no audit entries for a re-import with the same layout
        self.forget(kind, signature)
        rows = [{"kind": kind, "signature": signature, "field": field, "header": header}
                for field, header in sorted(mapping.items())]
        if rows:
            self._session.execute(insert(_LAYOUTS), rows)
            _record(self._session, "create", "after", rows)

    def forget(self, kind: str, signature: str) -> None:
        """Forget the layout remembered for this kind and header signature."""
        self._session.flush()
        c = _LAYOUTS.c
        where = (c.kind == kind, c.signature == signature)
        rows = [dict(row._mapping) for row in self._session.execute(
            select(c.kind, c.signature, c.field, c.header).where(*where).order_by(c.field))]
        if rows:
            self._session.execute(delete(_LAYOUTS).where(*where))
            _record(self._session, "delete", "before", rows)

    def all(self) -> list[tuple[str, str, dict[str, str]]]:
        """Return every remembered layout as (kind, signature, {field: header}), sorted."""
        c = _LAYOUTS.c
        grouped: dict[tuple[str, str], dict[str, str]] = {}
        for row in self._session.execute(select(c.kind, c.signature, c.field, c.header)
                                         .order_by(c.kind, c.signature, c.field)):
            grouped.setdefault((row.kind, row.signature), {})[row.field] = row.header
        return [(kind, signature, mapping) for (kind, signature), mapping in grouped.items()]


def _record(session: Any, action: str, side: str, rows: list[dict[str, str]]) -> None:
    """Record an entry per layout row, as the ORM's flush recorded it (see audit_trail._describe)."""
    audit_trail.record(session, [
        (action, _ENTITY, f"{row['kind']}/{row['signature']}/{row['field']}",
         {side: dict(zip(row, audit_trail.plain_row(list(row.values())), strict=True))})
        for row in rows
    ])
