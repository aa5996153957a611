"""A project in a PostgreSQL database: create, open, check and close (the connection itself: postgres.py).

The server does the sharing, locking and durability, so unlike a project file nothing is held exclusively:
any number of programs may have the same project open, and each change is its own short transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from workbench.domain.clock import Clock, utc_now
from workbench.domain.errors import ProjectFileError
from workbench.domain.location import ServerAddress
from workbench.store import audit_hooks, migrate
from workbench.store.digest import content_digest
from workbench.store.postgres import engine_for, translate
from workbench.store.team import role_name

# Migrations on a shared server run under this lock, so two programs opening an old project upgrade it once.
MIGRATION_LOCK = 0x534F4333


class ServerProject:
    """A project in a PostgreSQL database, shared with other programs; hands out ORM sessions."""

    is_server = True
    read_only = False  # a login whose role may only read is refused by the server itself (store/team.py)
    read_only_reason = None
    backup_made = None  # the server keeps its own backups; no file copy is taken here

    def __init__(self, address: ServerAddress, engine: Engine, clock: Clock, actor: str) -> None:
        self.path = address
        self.engine = engine
        self.clock = clock
        self.actor = actor
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, address: ServerAddress, *, clock: Clock = utc_now, actor: str = "") -> ServerProject:
        """Connect to the project's database, upgrading its schema first if it was made by an older version."""
        engine = engine_for(address)
        with _disposed_on_failure(engine, address):
            with engine.connect() as connection:
                revision = migrate.current_revision(connection)
            if revision is None:
                raise ProjectFileError(str(address), "is an empty database, not a SOC 2 Workbench project yet "
                                                     "(make one there with `workbench new`)")
            if revision not in migrate.known_revisions():
                raise ProjectFileError(str(address), "was made by a newer version of SOC 2 Workbench; "
                                                     "update the program to open it")
            if revision != migrate.head_revision():
                _upgrade(engine, address)
        return cls(address, engine, clock, actor)

    @classmethod
    def create(cls, address: ServerAddress, populate: Callable[[ServerProject], None], *,
               clock: Clock = utc_now, actor: str = "") -> ServerProject:
        """Make a new project in an empty database (made first where the login may create databases).

        The schema and the first contents are committed together: a failure leaves the database empty.
        """
        _ensure_database(address)
        engine = engine_for(address)
        with _disposed_on_failure(engine, address), engine.begin() as connection:
            if _has_tables(connection):
                raise ProjectFileError(str(address), "already holds tables; choose an empty database or open it")
            migrate.upgrade_to_head(connection)
            project = cls(address, engine, clock, actor)
            project._sessions = sessionmaker(bind=connection, expire_on_commit=False,
                                             join_transaction_mode="create_savepoint")
            populate(project)
        engine.dispose()
        return cls.open(address, clock=clock, actor=actor)

    def session(self, bind: Connection | None = None) -> Session:
        """Return a new ORM session on this database, with the audit trail recording its changes (see ProjectStore)."""
        if bind is None:
            return audit_hooks.recording(self._sessions(), self.clock, self.actor)
        joined = self._sessions(bind=bind, join_transaction_mode="control_fully")
        return audit_hooks.recording(joined, self.clock, self.actor)

    def plain(self) -> Connection:
        """Return a Core connection for plain SQL (store/sql.py), its transaction begun by its first statement."""
        return self.engine.connect()

    def reader(self) -> Connection:
        """Return a new Core connection on this database for reads only: plain rows, no ORM, no audit trail."""
        return self.engine.connect()

    def backup_to(self, destination: Path) -> Path:
        """Refuse: the server keeps its own backups, and `workbench copy` copies a project into a file."""
        raise ProjectFileError(str(self.path), "a project on a server is saved as you work; to copy it into a file, "
                                               f"use `workbench copy` (not {destination.name})")

    def integrity_problem(self) -> str | None:
        """Return the first broken reference between rows (the server itself guards its pages), or None."""
        return None

    def content_digest(self) -> str:
        """Return a digest of every row in the project (see store.digest)."""
        with self.engine.connect() as connection:
            return content_digest(connection)

    def close(self) -> None:
        """Return every connection to the server."""
        self.engine.dispose()

    def __enter__(self) -> ServerProject:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@contextmanager
def _disposed_on_failure(engine: Engine, address: ServerAddress) -> Iterator[None]:
    """Give the engine's connections back when the block fails; a database error becomes one line naming it."""
    try:
        yield
    except ProjectFileError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise translate(address, exc) from None


def _has_tables(connection: Any) -> bool:
    return connection.execute(text(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() LIMIT 1")).first() is not None


def _upgrade(engine: Engine, address: ServerAddress) -> None:
    with engine.begin() as connection:  # PostgreSQL runs DDL in the transaction: a failed upgrade changes nothing
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        _act_as_owner_group(connection, address)
        if migrate.current_revision(connection) != migrate.head_revision():
            try:
                migrate.upgrade_to_head(connection)
            except DBAPIError as exc:
                raise ProjectFileError(str(address), f"the schema upgrade failed ({exc.orig}); nothing changed") \
                    from None


def _act_as_owner_group(connection: Any, address: ServerAddress) -> None:
    """Upgrade as the project's owner group when this login is in it, so what the upgrade makes stays shared."""
    owner = role_name(address.database, "owner")
    member = connection.execute(text("SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles "
                                     "WHERE rolname = :name"), {"name": owner}).scalar()
    if member:
        connection.execute(text(f"SET LOCAL ROLE {connection.dialect.identifier_preparer.quote(owner)}"))


def _ensure_database(address: ServerAddress) -> None:
    """Create the database when it does not exist yet and the login may do so; say clearly when it may not."""
    probe = engine_for(address.with_database("postgres"), pool_size=1)
    try:
        with probe.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": address.database}).first()
            if exists is None:
                connection.commit()
                quoted = connection.dialect.identifier_preparer.quote(address.database)
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text(f"CREATE DATABASE {quoted}"))
    except DBAPIError as exc:
        raise translate(address, exc) from None
    finally:
        probe.dispose()
