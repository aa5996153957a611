"""Remembered column layouts: for a kind of register and a header row, which header feeds which field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.store.schema import ImportLayoutRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


class LayoutRepository:
    """The column mappings a user accepted, keyed by register kind and a signature of the header row."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _rows(self, kind: str, signature: str) -> list[ImportLayoutRow]:
        return list(self._session.scalars(select(ImportLayoutRow).where(
            ImportLayoutRow.kind == kind, ImportLayoutRow.signature == signature)))

    def get(self, kind: str, signature: str) -> dict[str, str] | None:
        """Return {field: header} remembered for this kind and header signature, or None."""
        return {row.field: row.header for row in self._rows(kind, signature)} or None

    def put(self, kind: str, signature: str, mapping: Mapping[str, str]) -> None:
        """Remember {field: header} for this kind and header signature, replacing what was there."""
        if self.get(kind, signature) == dict(mapping):
            return  # nothing changed: no audit entries for a re-import with the same layout
        self.forget(kind, signature)
        self._session.add_all(ImportLayoutRow(kind=kind, signature=signature, field=field, header=header)
                              for field, header in sorted(mapping.items()))

    def forget(self, kind: str, signature: str) -> None:
        """Forget the layout remembered for this kind and header signature (through the ORM: the trail sees it)."""
        for row in self._rows(kind, signature):
            self._session.delete(row)
        self._session.flush()

    def all(self) -> list[tuple[str, str, dict[str, str]]]:
        """Return every remembered layout as (kind, signature, {field: header}), sorted."""
        grouped: dict[tuple[str, str], dict[str, str]] = {}
        for row in self._session.scalars(select(ImportLayoutRow).order_by(
                ImportLayoutRow.kind, ImportLayoutRow.signature, ImportLayoutRow.field)):
            grouped.setdefault((row.kind, row.signature), {})[row.field] = row.header
        return [(kind, signature, mapping) for (kind, signature), mapping in grouped.items()]
