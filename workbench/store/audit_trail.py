"""The hash-chained audit trail: appending entries in plain SQL, and the values they record.

Rows the ORM writes are recorded by its flush hook (audit_hooks.py); rows written in plain SQL (an import's, a
core-first unit of work's) by their repository, through record().
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from workbench.domain.audit_chain import GENESIS_HASH, entry_hash
from workbench.store import crypto, sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_VALUE_CHARS = 500
HEAD_KEY = "audit_head"


def shortened(value: Any) -> Any:
    """Return a column value as the trail records it: dates as ISO text, bytes as their size, long text cut."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + f"... ({len(value)} characters)"
    return value


def plain_row(values: Sequence[Any]) -> list[Any]:
    """Return a row of column values as the trail records them (long texts shortened)."""
    return [v if v.__class__ is not str or len(v) <= MAX_VALUE_CHARS else shortened(v) for v in values]


def record(session: Session, changes: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Append (action, entity, key, summary) entries to the chain: for rows written without the ORM's flush.

    Summaries hold values already made plain (see plain_row), exactly as a flush would record them.
    """
    if not changes:
        return
    connection = sql.plain_connection(session)
    sql.lock_audit_appends(connection)
    head = connection.exec_driver_sql("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS_HASH)
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
    if sql.on_server(connection):
        from workbench.store import notify

        notify.notify_change(connection, actor, seq)  # other programs on the server reload once this commits


