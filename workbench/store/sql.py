"""Plain SQL statements that run unchanged on both back ends (SQLite files and PostgreSQL servers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from workbench.store.driver import DriverConnection

UPSERT_META = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
# Everything that appends to the audit trail takes this lock first on a server, so the chain stays one line.
AUDIT_APPEND_LOCK = 0x534F4332


def plain_connection(session: Any, *, flushed: bool = False) -> Any:
    """Return the connection a unit of work's plain SQL runs on: a core-first session's own (the driver's while
    SQLAlchemy is not in use: store/core_first.py), a reading unit of work's connection itself, else the ORM
    session's. `flushed`: send the ORM's pending changes first, as its own statements would (never from inside a
    flush: the audit trail's hook)."""
    plain = getattr(session, "plain_connection", None)  # asked first: anything else turns a core-first one ORM
    if plain is None and hasattr(session, "exec_driver_sql"):  # a Core connection (UnitOfWork(plain=True))
        return session
    if flushed:
        session.flush()
    return plain() if plain is not None else session.connection()


def day(value: date | str | None) -> date | None:
    """Return a stored date as a date: the driver reads SQLite's ISO text, PostgreSQL's driver a date already."""
    return date.fromisoformat(value) if value.__class__ is str else value  # type: ignore[return-value]


def on_server(connection: Connection | DriverConnection) -> bool:
    """Return True when this connection goes to a PostgreSQL server rather than a project file."""
    return connection.dialect.name == "postgresql"


def run(connection: Connection | DriverConnection, statement: str,
        params: Sequence[Any] | Sequence[Sequence[Any]] | None = None) -> Any:
    """Run `statement`, written with ? placeholders, straight on the driver (a list of tuples: executemany)."""
    if connection.dialect.paramstyle != "qmark":
        statement = statement.replace("?", "%s")
    if params is None:
        return connection.exec_driver_sql(statement)
    return connection.exec_driver_sql(statement, params)  # type: ignore[arg-type]


def lock_audit_appends(connection: Connection | DriverConnection) -> None:
    """On a server, wait for other writers' audit appends to commit (held to the end of this transaction)."""
    if on_server(connection):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_APPEND_LOCK})")


def reset_id_sequences(connection: Connection | DriverConnection, tables: Sequence[str]) -> None:
    """On a server, move each table's id sequence past rows inserted with explicit ids."""
    if not on_server(connection):
        return
    for table in tables:
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}")
