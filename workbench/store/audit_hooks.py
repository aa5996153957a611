"""The ORM's part of the audit trail: every row a flush inserts, updates or deletes is recorded (audit_trail.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from workbench.domain.clock import Clock
from workbench.store.audit_trail import record, shortened
from workbench.store.schema import UNAUDITED_TABLES, Base

_KEY_COLUMNS = {"controls": "ref", "requests": "ref", "plan_tasks": "key", "evidence_blobs": "sha256"}

# The row version only counts edits (schema.Versioned); the trail records the edits themselves.
_UNRECORDED_COLUMNS = frozenset({"version"})


def _columns(row: Base) -> dict[str, Any]:
    return {attr.key: shortened(getattr(row, attr.key)) for attr in inspect(row).mapper.column_attrs
            if attr.key not in _UNRECORDED_COLUMNS}


def _entity_key(row: Base) -> str:
    table = row.__tablename__
    if table in _KEY_COLUMNS:
        return str(getattr(row, _KEY_COLUMNS[table]))
    identity = inspect(row).mapper.primary_key_from_instance(row)
    return "/".join(str(part) for part in identity)


def _changes(row: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    state = inspect(row)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes() and attr.key not in _UNRECORDED_COLUMNS:
            before[attr.key] = shortened(history.deleted[0]) if history.deleted else None
            after[attr.key] = shortened(history.added[0]) if history.added else None
    return before, after


def _describe(session: Session) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Return (action, entity, key, summary) for every audited change the flush is writing."""
    found: list[tuple[str, str, str, dict[str, Any]]] = []
    for row in session.new:
        if isinstance(row, Base) and row.__tablename__ not in UNAUDITED_TABLES:
            found.append(("create", row.__tablename__, _entity_key(row), {"after": _columns(row)}))
    for row in session.dirty:
        if isinstance(row, Base) and row.__tablename__ not in UNAUDITED_TABLES and session.is_modified(row):
            before, after = _changes(row)
            if after:
                found.append(("update", row.__tablename__, _entity_key(row), {"before": before, "after": after}))
    for row in session.deleted:
        if isinstance(row, Base) and row.__tablename__ not in UNAUDITED_TABLES:
            found.append(("delete", row.__tablename__, _entity_key(row), {"before": _columns(row)}))
    return found


def _after_flush(session: Session, _context: Any) -> None:
    record(session, _describe(session))


def recording(session: Session, clock: Clock, actor: str) -> Session:
    """Return the session, recording each audited change it makes with the clock's time and the actor's name."""
    session.info["clock"] = clock
    session.info["actor"] = actor
    install(session)
    return session


def install(session: Session) -> None:
    """Record every audited change made through this session in the hash-chained trail."""
    event.listen(session, "after_flush", _after_flush)
