"""The one seam between the services and storage: an open project, whether a .soc2 file or a server database.

ProjectFile (projectfile.py) and ServerProject (server.py) both implement ProjectStore; the unit of work, the
services and the store's own whole-project functions (crypto_keys.py, copying.py, backups.py, notify.py) take
one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from workbench.domain.clock import Clock
from workbench.domain.location import ServerAddress

if TYPE_CHECKING:  # a project file opens without SQLAlchemy (store/driver.py); the ORM loads with the first session
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

    from workbench.store.driver import DriverConnection


@runtime_checkable
class ProjectStore(Protocol):
    """An open project: a file this program holds, or a database on a PostgreSQL server shared with others."""

    clock: Clock
    actor: str  # the name the audit trail records; may change while the project is open

    @property
    def path(self) -> Path | ServerAddress:
        """Return the file's path, or the server address (without password) of the database."""

    @property
    def is_server(self) -> bool:
        """Return True when the project lives on a PostgreSQL server."""

    @property
    def read_only(self) -> bool:
        """Return True when every change is refused (a file opened for reading only)."""

    @property
    def read_only_reason(self) -> str | None:
        """Return why the project can only be read, or None when it can be changed."""

    @property
    def backup_made(self) -> Path | None:
        """Return the backup taken while opening (before a schema upgrade), if any."""

    @property
    def engine(self) -> Engine:
        """Return the database engine: for the store's own modules only, never for a service."""

    def session(self, bind: Connection | None = None) -> Session:
        """Return a new ORM session, with the audit trail recording its changes.

        `bind`: a connection whose transaction the session takes over (commits or rolls back) instead of its own.
        """

    def plain(self) -> DriverConnection | Connection:
        """Return a connection for plain SQL (store/sql.py), its transaction begun by its first statement.

        A file's driver connection while SQLAlchemy is not in use (store/driver.py), else a Core connection.
        """

    def reader(self) -> Connection:
        """Return a new Core connection for reads only: plain rows, no ORM (the dashboard's status reads so)."""

    def backup_to(self, destination: Path) -> Path:
        """Copy the whole project, consistently, into a new single file (a file only; a server refuses)."""

    def integrity_problem(self) -> str | None:
        """Return the first problem the database's own integrity checks find, or None."""

    def content_digest(self) -> str:
        """Return a digest of every row in the project (see store/digest.py)."""

    def close(self) -> None:
        """Let go of the project."""
