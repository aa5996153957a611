"""A project file's own SQLite connection, and plain SQL on it without SQLAlchemy.

Importing SQLAlchemy costs a command a sixth of a second before it has read a byte: more than a third of what the
raw libraries take to import a 20,000-row register. A project file therefore opens on the driver alone (this
module), and its SQLAlchemy engine is made over that same connection the first time something asks for it
(projectfile.py). Until then, work written in plain SQL (store/sql.py: an import's reads and writes, the audit
trail's appends) runs on a DriverConnection, which offers the part of a Core connection that plain SQL uses.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any


class ProjectConnection(sqlite3.Connection):
    """A project file's connection, whose transaction in progress can be kept through a rollback asked for while
    SQLAlchemy sets itself up on it (see file_engine.py)."""

    keep_transaction = False

    def rollback(self) -> None:
        """Roll back the transaction in progress, unless it is being kept."""
        if not self.keep_transaction:
            super().rollback()


def connect(path: Path, *, read_only: bool = False, immutable: bool = False) -> ProjectConnection:
    """Return a connection to a project file, configured as every connection to it is (see projectfile.py)."""
    # A URI, percent-encoded, so that any character a file name may hold (?, #, %, a line break) is just a name.
    uri = f"{path.as_uri()}?mode={'ro' if read_only else 'rw'}" + ("&immutable=1" if immutable else "")
    # The worker thread and the GUI thread share this one connection (never at once). pysqlite's cache of prepared
    # statements is not safe for that: a cursor left unfinished on one thread and collected on the other resets a
    # cached statement the first may be stepping through. So no statement is shared.
    connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=0.25, cached_statements=0,
                                 factory=ProjectConnection)
    try:
        # The program owns transactions (pysqlite's implicit BEGIN is unreliable) and keeps the file locked for as
        # long as the project is open: exclusively once the first transaction (BEGIN EXCLUSIVE) has taken the
        # lock, or shared, when only reading, from the first read on. Another program is refused in either case.
        connection.isolation_level = None
        for pragma in ("locking_mode=EXCLUSIVE", "synchronous=FULL",
                       # Held exclusively, SQLite keeps its journal between transactions; emptied, no old pages.
                       "journal_size_limit=0", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
    except BaseException:
        connection.close()
        raise
    return connection


def database_errors() -> tuple[type[BaseException], ...]:
    """Return the classes of the errors the database raises: the driver's, and SQLAlchemy's once it is loaded."""
    errors = sys.modules.get("sqlalchemy.exc")  # not loaded: SQLAlchemy raised nothing
    return (sqlite3.Error,) if errors is None else (sqlite3.Error, errors.DBAPIError)


def error_name(exc: BaseException) -> str:
    """Return SQLite's name for the error behind `exc` (SQLITE_FULL, ...), or an empty string."""
    return str(getattr(getattr(exc, "orig", exc), "sqlite_errorname", ""))


class DriverDialect:
    """What plain SQL asks of a connection's dialect (store/sql.py): the back end and its placeholders."""

    name = "sqlite"
    paramstyle = "qmark"


class DriverResult:
    """The rows of one statement, read as a Core result's are (first, scalar, all)."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    def first(self) -> tuple[Any, ...] | None:
        """Return the first row, or None."""
        return self._cursor.fetchone()

    def scalar(self) -> Any:
        """Return the first column of the first row, or None."""
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def all(self) -> list[tuple[Any, ...]]:
        """Return every row."""
        return self._cursor.fetchall()

    fetchall = all


class DriverConnection:
    """One transaction on a project file's connection, begun by the first statement as a Core connection's is.

    Closing it rolls back what was not committed. The transaction may be taken over by a Core connection on the
    same connection (core_first.py), which then commits or rolls it back.
    """

    dialect = DriverDialect()

    def __init__(self, connection: ProjectConnection, begin: str = "BEGIN EXCLUSIVE") -> None:
        self.driver_connection = connection
        self._begin = begin

    def exec_driver_sql(self, statement: str, parameters: Sequence[Any] | None = None) -> DriverResult:
        """Run a statement with ? placeholders (a list of tuples: once for each), in this transaction."""
        connection = self.driver_connection
        if not connection.in_transaction:
            connection.execute(self._begin)
        if parameters is None:
            return DriverResult(connection.execute(statement))
        if isinstance(parameters, list):
            return DriverResult(connection.executemany(statement, parameters))
        return DriverResult(connection.execute(statement, parameters))

    @property
    def in_transaction(self) -> bool:
        """Return True while a transaction is open on the connection."""
        return self.driver_connection.in_transaction

    def commit(self) -> None:
        """Make the transaction permanent."""
        if self.driver_connection.in_transaction:
            self.driver_connection.execute("COMMIT")

    def rollback(self) -> None:
        """Throw the transaction away."""
        if self.driver_connection.in_transaction:
            self.driver_connection.execute("ROLLBACK")

    def close(self) -> None:
        """Roll back what was not committed; the connection itself stays the project's."""
        self.rollback()

    def __enter__(self) -> DriverConnection:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
