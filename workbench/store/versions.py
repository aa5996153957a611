"""Optimistic concurrency: an edit carries the row version it was made against; a newer row refuses it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.domain.errors import ConflictError
from workbench.store.schema import AuditEntryRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


def last_change(session: Session, entity: str, key: str) -> tuple[str, str] | None:
    """Return (who, when) of the newest audit entry about this record, or None when the trail has none."""
    row = session.execute(
        select(AuditEntryRow.actor, AuditEntryRow.at)
        .where(AuditEntryRow.entity == entity, AuditEntryRow.entity_key == key)
        .order_by(AuditEntryRow.seq.desc()).limit(1)
    ).first()
    return (row.actor, row.at) if row else None


def _when(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return stamp


def check_version(session: Session, current: int, expected: int | None, *, what: str, entity: str, key: str,
                  fresh: Callable[[], object]) -> None:
    """Refuse an edit made against version `expected` of a record now at `current` (None or 0: no check)."""
    if not expected or expected == current:
        return
    change = last_change(session, entity, key)
    who = f"changed by {change[0]} at {_when(change[1])}" if change else "changed by someone else"
    raise ConflictError(what, f"{who} since you opened it; your edit was not saved (the current values are shown)",
                        fresh())
