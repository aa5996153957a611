"""Appends a hash-chained audit entry for every row the ORM inserts, updates or deletes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, select

from workbench.domain.audit_chain import GENESIS_HASH, entry_hash
from workbench.domain.clock import Clock
from workbench.store import crypto, notify, sql
from workbench.store.schema import UNAUDITED_TABLES, AuditEntryRow, Base

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

MAX_VALUE_CHARS = 500
HEAD_KEY = "audit_head"
_KEY_COLUMNS = {"controls": "ref", "requests": "ref", "plan_tasks": "key", "evidence_blobs": "sha256"}


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + f"... ({len(value)} characters)"
    return value


def plain_row(values: Sequence[Any]) -> list[Any]:
    """Return a row of column values as the trail records them (long texts shortened)."""
    return [v if v.__class__ is not str or len(v) <= MAX_VALUE_CHARS else _plain(v) for v in values]


# The row version only counts edits (schema.Versioned); the trail records the edits themselves.
_UNRECORDED_COLUMNS = frozenset({"version"})


def _columns(row: Base) -> dict[str, Any]:
    return {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(row).mapper.column_attrs
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
            before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = _plain(history.added[0]) if history.added else None
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


def record(session: Session, changes: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Append (action, entity, key, summary) entries to the chain: for rows written without the ORM's flush.

    Summaries hold values already made plain (see plain_row), exactly as a flush would record them.
    """
    if not changes:
        return
    connection = session.connection()
    sql.lock_audit_appends(connection)
    trail = AuditEntryRow.__table__.c  # Core columns: a core-first unit of work records before any ORM loads
    head = connection.execute(select(trail.seq, trail.hash).order_by(trail.seq.desc()).limit(1)).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    at = session.info["clock"]().isoformat(timespec="seconds")
    actor = session.info.get("actor", "")
    cipher = crypto.cipher_of(connection)
    entries = []
    for action, entity, key, summary in changes:
        seq += 1
        text = json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash(prev, seq, at, actor, action, entity, key, text)
        if cipher is not None:  # the chain seals the plain summary; the file keeps it encrypted (store/crypto.py)
            text = cipher.encrypt_text(text, crypto.summary_context(seq))
        entries.append((seq, at, actor, action, entity, key, text, prev, digest))
        prev = digest
    # One executemany on the driver: the trail of a large import is written in a blink.
    sql.run(
        connection,
        "INSERT INTO audit_entries (seq, at, actor, action, entity, entity_key, summary, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries,
    )
    # The file remembers its own head, so deleting the newest entries is seen too (store.repositories.audit).
    sql.run(connection, sql.UPSERT_META, (HEAD_KEY, f"{seq} {prev}"))
    notify.notify_change(connection, actor, seq)  # other programs on a server reload once this commits


def recording(session: Session, clock: Clock, actor: str) -> Session:
    """Return the session, recording each audited change it makes with the clock's time and the actor's name."""
    session.info["clock"] = clock
    session.info["actor"] = actor
    install(session)
    return session


def install(session: Session) -> None:
    """Record every audited change made through this session in the hash-chained trail."""
    event.listen(session, "after_flush", _after_flush)
