"""Remembered column layouts: for a kind of register and a header row, which header feeds which field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench.store import audit_trail, sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

_ENTITY = "import_layouts"
_COLUMNS = ("kind", "signature", "field", "header")


class LayoutRepository:
    """The column mappings a user accepted, keyed by register kind and a signature of the header row.

    Plain SQL only (store/sql.py), each change recorded in the audit trail as a flush records a row's (an entry per
    row, keyed kind/signature/field): an import remembers its layout without loading SQLAlchemy on a project file
    (store/core_first.py).
    """

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def _run(self, statement: str, params: Any = None) -> Any:
        return sql.run(sql.plain_connection(self._session, flushed=True), statement, params)

    def get(self, kind: str, signature: str) -> dict[str, str] | None:
        """Return {field: header} remembered for this kind and header signature, or None."""
        rows = self._run("SELECT field, header FROM import_layouts WHERE kind = ? AND signature = ?", (kind, signature))
        return dict(rows.fetchall()) or None

    def put(self, kind: str, signature: str, mapping: Mapping[str, str]) -> None:
        """Remember {field: header} for this kind and header signature, replacing what was there."""
        # _run sends the ORM's pending changes first, so the trail keeps the order they were made in
        if self.get(kind, signature) == dict(mapping):
            return  # nothing changed: no audit entries for a re-import with the same layout
        self.forget(kind, signature)
        rows = [(kind, signature, field, header) for field, header in sorted(mapping.items())]
        if rows:
            self._run("INSERT INTO import_layouts (kind, signature, field, header) VALUES (?, ?, ?, ?)", rows)
            _record(self._session, "create", "after", rows)

    def forget(self, kind: str, signature: str) -> None:
        """Forget the layout remembered for this kind and header signature."""
        rows = [tuple(row) for row in self._run(
            "SELECT kind, signature, field, header FROM import_layouts WHERE kind = ? AND signature = ? ORDER BY field",
            (kind, signature))]
        if rows:
            self._run("DELETE FROM import_layouts WHERE kind = ? AND signature = ?", (kind, signature))
            _record(self._session, "delete", "before", rows)

    def all(self) -> list[tuple[str, str, dict[str, str]]]:
        """Return every remembered layout as (kind, signature, {field: header}), sorted."""
        grouped: dict[tuple[str, str], dict[str, str]] = {}
        for kind, signature, field, header in self._run(
                "SELECT kind, signature, field, header FROM import_layouts ORDER BY kind, signature, field"):
            grouped.setdefault((kind, signature), {})[field] = header
        return [(kind, signature, mapping) for (kind, signature), mapping in grouped.items()]


def _record(session: Any, action: str, side: str, rows: list[tuple[str, ...]]) -> None:
    """Record an entry per layout row, as the ORM's flush recorded it (see audit_hooks._describe)."""
    audit_trail.record(session, [
        (action, _ENTITY, f"{kind}/{signature}/{field}",
         {side: dict(zip(_COLUMNS, audit_trail.plain_row([kind, signature, field, header]), strict=True))})
        for kind, signature, field, header in rows
    ])
