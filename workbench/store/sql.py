"""Plain SQL statements that run unchanged on both back ends (SQLite files and PostgreSQL servers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, CursorResult

UPSERT_META = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
# Everything that appends to the audit trail takes this lock first on a server, so the chain stays one line.
AUDIT_APPEND_LOCK = 0x534F4332


def on_server(connection: Connection) -> bool:
    """Return True when this connection goes to a PostgreSQL server rather than a project file."""
    return connection.dialect.name == "postgresql"


def run(connection: Connection, statement: str, params: Sequence[Any] | Sequence[Sequence[Any]] | None = None,
        ) -> CursorResult[Any]:
    """Run `statement`, written with ? placeholders, straight on the driver (a list of tuples: executemany)."""
    if connection.dialect.paramstyle != "qmark":
        statement = statement.replace("?", "%s")
    if params is None:
        return connection.exec_driver_sql(statement)
    return connection.exec_driver_sql(statement, params)  # type: ignore[arg-type]


def lock_audit_appends(connection: Connection) -> None:
    """On a server, wait for other writers' audit appends to commit (held to the end of this transaction)."""
    if on_server(connection):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_APPEND_LOCK})")


def reset_id_sequences(connection: Connection, tables: Sequence[str]) -> None:
    """On a server, move each table's id sequence past rows inserted with explicit ids."""
    if not on_server(connection):
        return
    for table in tables:
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}")
