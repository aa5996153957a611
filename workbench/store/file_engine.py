"""The SQLAlchemy engine of an open project file, made over the file's own connection when first asked for."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import StaticPool

from workbench.store.driver import ProjectConnection, error_name


def file_engine(connection: ProjectConnection, begin: str, refuse_writes: Exception | None = None) -> Engine:
    """Return an engine whose one connection is `connection` (store/driver.py made and configured it).

    Its transactions begin with `begin` (BEGIN EXCLUSIVE for a writer, BEGIN for a reader), unless the connection is
    in one already: a transaction plain SQL began (store/core_first.py) is taken over, not begun twice.
    `refuse_writes`: what a write refused by SQLite (a file opened read-only) raises instead, in our words.
    """
    engine = create_engine("sqlite+pysqlite://", creator=lambda: connection, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(core: Connection) -> None:
        driver = core.connection.driver_connection
        if driver is not None and not driver.in_transaction:  # type: ignore[attr-defined]
            core.exec_driver_sql(begin)

    if refuse_writes is not None:
        refusal = refuse_writes

        @event.listens_for(engine, "handle_error")
        def _refuse_changes(context: ExceptionContext) -> None:
            # SQLite itself refuses every write to a file opened read-only; say why, in the program's words.
            if error_name(context.original_exception) == "SQLITE_READONLY":
                raise refusal from None

    # SQLAlchemy sets a dialect up on its first connection and rolls that connection back after, which would throw
    # away what plain SQL has written in a transaction still in progress (core_first.py): the first connection is
    # made now, with that transaction kept.
    connection.keep_transaction = True
    try:
        engine.connect().close()
    finally:
        connection.keep_transaction = False
    return engine
