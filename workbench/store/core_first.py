"""A unit of work's transaction that starts on plain SQL and becomes an ORM session when ORM work needs one.

Importing sqlalchemy.orm, mapping the row classes and configuring their mappers cost a command-line import of a
20,000-row register a tenth of a second, a sixth of all it does, while a fresh import of controls writes through the
driver (repositories/controls.py add_many) and reads through Core. A unit of work made with `core_first` runs on this
session instead of an ORM one: Core statements go to its connection, in one transaction; the first ORM work (an ORM
statement, or any Session method other than the few below) maps the row classes and makes the ORM session, bound to
the same connection and owning its transaction, and everything runs on that session from then on, so the ORM's
pending changes are always flushed before a read. The audit trail records in both states: rows written through
the driver are recorded by the repository (audit_trail.record), ORM flushes by the session's hook.

On a project file the transaction starts a level lower still, on the file's own driver connection, before
SQLAlchemy is even imported (store/driver.py): plain SQL (store/sql.py, through plain_connection) runs there, and
the first Core statement makes the engine over the same connection and carries on in the same transaction.

Repositories mark themselves `core_first = True` when every method either runs Core statements or plain SQL only,
or asks for the ORM session first (orm_session); the unit of work makes any other repository on the ORM session.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench.store.driver import DriverConnection
from workbench.store.project_store import ProjectStore

if TYPE_CHECKING:
    from sqlalchemy import Connection, Executable, Result
    from sqlalchemy.orm import Session


class CoreFirstSession:
    """Core statements on one connection in one transaction, until ORM work turns it into an ORM session on it."""

    def __init__(self, store: ProjectStore) -> None:
        # As an ORM session does, it connects on first use and its transaction begins with the first statement, so
        # a refusal (a locked file, a server gone) comes from inside the unit of work, which words it in one line.
        self._store = store
        self._plain: DriverConnection | None = None  # the driver's, until Core work takes the transaction over
        self._connection: Connection | None = None
        self._orm: Session | None = None
        self._info: dict[str, Any] = {"clock": store.clock, "actor": store.actor}

    @property
    def is_orm(self) -> bool:
        """Return True once ORM work has made the ORM session."""
        return self._orm is not None

    def orm(self) -> Session:
        """Return the ORM session on this transaction, mapping the row classes and making it the first time."""
        if self._orm is None:
            from workbench.store.schema import map_rows

            map_rows()
            self._orm = self._store.session(bind=self.connection())
        return self._orm

    @property
    def info(self) -> dict[str, Any]:
        """Return the session's info (the audit trail's clock and actor)."""
        return self._orm.info if self._orm is not None else self._info

    def execute(self, statement: Executable, parameters: Mapping[str, Any] | None = None, **kw: Any) -> Result[Any]:
        """Run a statement: on the connection while no ORM work was done, else on the ORM session."""
        return self._runner(statement).execute(statement, parameters, **kw)

    def scalar(self, statement: Executable, parameters: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        """Run a statement and return the first column of its first row."""
        return self._runner(statement).scalar(statement, parameters, **kw)

    def scalars(self, statement: Executable, parameters: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        """Run a statement and return its first column's values."""
        return self._runner(statement).scalars(statement, parameters, **kw)

    def _runner(self, statement: Executable) -> Any:
        if self._orm is None and getattr(statement, "_propagate_attrs", {}).get("compile_state_plugin") != "orm":
            return self.connection()
        return self.orm()  # an ORM statement (its classes were mapped already): the ORM session runs it

    def plain_connection(self) -> DriverConnection | Connection:
        """Return the connection plain SQL runs on: the driver's until Core work took the transaction over."""
        if self._connection is not None:
            return self._connection
        if self._plain is None:
            plain = self._store.plain()
            if not isinstance(plain, DriverConnection):  # SQLAlchemy is in use already: a Core connection
                self._connection = plain
                return plain
            self._plain = plain
        return self._plain

    def connection(self) -> Connection:
        """Return the Core connection the transaction runs on (made on first use, taking over the driver's)."""
        if self._connection is None:
            # Over the same driver connection (projectfile.py): a transaction plain SQL began carries on in it.
            self._connection = self._store.engine.connect()
        return self._connection

    def get_bind(self) -> DriverConnection | Connection:
        """Return the connection (crypto.cipher_of finds the project's cipher on it)."""
        return self.plain_connection()

    def flush(self) -> None:
        """Send the ORM's pending changes, if ORM work was done (Core statements are sent as they run)."""
        if self._orm is not None:
            self._orm.flush()

    def commit(self) -> None:
        """Make the transaction permanent."""
        if self._orm is not None:
            self._orm.commit()  # flushes, then commits the connection's transaction, which it owns
        elif self._connection is not None:
            self._connection.commit()
        if self._plain is not None:
            self._plain.commit()  # a transaction the driver began that Core took over without a statement of its own

    def rollback(self) -> None:
        """Throw the transaction away."""
        if self._orm is not None:
            self._orm.rollback()
        elif self._connection is not None:
            self._connection.rollback()
        if self._plain is not None:
            self._plain.rollback()

    def close(self) -> None:
        """Let go of the session and its connection."""
        if self._orm is not None:
            self._orm.close()
        if self._connection is not None:
            self._connection.close()
        if self._plain is not None:
            self._plain.close()

    def __getattr__(self, name: str) -> Any:
        # Any other Session attribute (add, delete, get, new, dirty, no_autoflush ...) is ORM work.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.orm(), name)


def orm_session(session: Session | CoreFirstSession) -> Session:
    """Return the ORM session for ORM work: a core-first session's own, made now if need be."""
    return session.orm() if isinstance(session, CoreFirstSession) else session
