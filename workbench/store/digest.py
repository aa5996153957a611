"""A digest of a project's whole content, independent of how SQLite laid out the pages."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, String, Text, select

from workbench.store.audit_trail import HEAD_KEY
from workbench.store.schema import AuditEntryRow, Base, MetaRow


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": hashlib.sha256(value).hexdigest()}
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def content_digest(connection: Connection, *, history: bool = True) -> str:
    """Return a SHA-256 over every row of every table, in key order: equal content gives equal digests.

    With history=False the record of edits is left out: the audit trail, its head and the row versions. Two
    projects holding the same data then digest alike however they got there (an import and its undo, say).
    """
    digest = hashlib.sha256()
    on_server = connection.dialect.name == "postgresql"
    for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name):
        if not history and table.name == AuditEntryRow.__tablename__:
            continue
        digest.update(f"\x00table {table.name}\n".encode())
        order = list(table.primary_key.columns) or list(table.columns)
        if on_server:  # byte order for text keys, as SQLite sorts them, whatever the server's collation
            order = [c.collate("C") if isinstance(c.type, String | Text) else c for c in order]
        columns = [c for c in table.columns if history or c.name != "version"]
        query = select(*columns).order_by(*order)
        if not history and table.name == MetaRow.__tablename__:
            query = query.where(table.c.key != HEAD_KEY)
        rows = connection.execution_options(stream_results=True, yield_per=500).execute(query)
        for row in rows:
            digest.update(json.dumps([_plain(v) for v in row], ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
    return digest.hexdigest()
