"""Change notices between programs sharing a project on a PostgreSQL server (LISTEN/NOTIFY), and a login check.

Each transaction that appends to the audit trail also sends `pg_notify(CHANNEL, '<origin>|<actor>|<seq>')`;
PostgreSQL delivers it to every listener when (and only if) the transaction commits. The origin names the
program and the engine that made the change, so a program can tell its own changes from other people's.
A project file (SQLite) sends nothing: it is never shared while open.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.domain.errors import ProjectFileError
from workbench.domain.location import ServerAddress
from workbench.store.postgres import APPLICATION_NAME, CONNECT_TIMEOUT_S, translate
from workbench.store.project_store import ProjectStore

# psycopg is imported where used: a project file never loads the PostgreSQL driver.

CHANNEL = "workbench_changes"
POLL_S = 0.25  # how often the listening thread looks whether it was asked to stop
RETRY_S = 3.0  # how long the listener waits before reconnecting after losing the server
_HOST = socket.gethostname()
_origins: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
_numbers = itertools.count(1)
_origins_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change announced by some program: who made it, from where, up to which audit entry."""

    origin: str  # '<pid>@<host>#<n>': the program and the open project (engine) that made the change
    actor: str  # the name recorded in the audit trail
    seq: int | None  # the newest audit entry it wrote; None after a reconnect (changes may have been missed)

    @classmethod
    def parse(cls, payload: str) -> Change:
        """Read a notice's payload; a foreign or damaged one still counts as a change by someone unknown."""
        origin, _, rest = payload.partition("|")
        actor, _, seq = rest.rpartition("|")
        return cls(origin, actor, int(seq) if seq.isdigit() else None)


def origin_of(engine: Any) -> str:
    """Return the origin stamped on the notices of changes made through `engine` (one per open project)."""
    with _origins_lock:
        found = _origins.get(engine)
        if found is None:
            found = _origins[engine] = f"{os.getpid()}@{_HOST}#{next(_numbers)}"
        return found


def own_origin(project: ProjectStore) -> str:
    """Return the origin stamped on the notices of the changes this program makes to `project`."""
    return origin_of(project.engine)


def notify_change(connection: Any, actor: str = "", seq: int = 0) -> None:
    """Announce a change inside the current transaction (sent at commit); nothing on a project file."""
    if connection.dialect.name != "postgresql":
        return
    payload = f"{origin_of(connection.engine)}|{actor.replace('|', '/')}|{seq}"
    connection.exec_driver_sql("SELECT pg_notify(%(channel)s, %(payload)s)",
                               {"channel": CHANNEL, "payload": payload[:7900]})


def _connect(address: ServerAddress) -> Any:
    """Open a plain autocommit psycopg connection (without a password libpq reads PGPASSWORD and ~/.pgpass)."""
    import psycopg

    params: dict[str, Any] = {"host": address.host, "port": address.port, "dbname": address.database,
                              "connect_timeout": CONNECT_TIMEOUT_S, "application_name": f"{APPLICATION_NAME} (live)"}
    if address.user:
        params["user"] = address.user
    if address.password is not None:
        params["password"] = address.password
    return psycopg.connect(autocommit=True, **params)


@dataclass(frozen=True, slots=True)
class Probe:
    """What a connection check found."""

    server_version: str
    is_project: bool
    revision: str | None


def probe(address: ServerAddress) -> Probe:
    """Log in to the database and say whether it holds a project; a refusal becomes one clear ProjectFileError."""
    import psycopg

    try:
        with _connect(address) as connection:
            version = str(connection.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
            table = connection.execute("SELECT to_regclass('alembic_version')").fetchone()
            revision = None
            if table is not None and table[0] is not None:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
    except psycopg.Error as exc:
        raise translate(address, exc) from None
    return Probe(version.split()[0], revision is not None, revision)


class ChangeListener:
    """Listens for change notices on its own connection, in a background thread; call stop() when done.

    `callback(change)` runs on the listening thread. When the connection is lost the listener reconnects
    and then reports Change(origin="", actor="", seq=None): changes may have been missed meanwhile.
    `on_error(error)` (optional) hears why it could not connect, each time it fails.
    """

    def __init__(self, address: ServerAddress, callback: Callable[[Change], None], *,
                 on_error: Callable[[ProjectFileError], None] | None = None, channel: str = CHANNEL) -> None:
        self.address = address
        self.callback = callback
        self.on_error = on_error
        self.channel = channel
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ChangeListener:
        """Start listening in a background thread (connecting there, so this never waits for the server)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="workbench-live", daemon=True)
            self._thread.start()
        return self

    def wait_listening(self, timeout: float = 10.0) -> bool:
        """Block until the listener is connected and listening (tests, and callers that must not miss one)."""
        return self._listening.wait(timeout)

    @property
    def listening(self) -> bool:
        """Return True while connected and listening."""
        return self._listening.is_set()

    def stop(self, wait: bool = False) -> None:
        """Stop listening; the thread closes its connection within POLL_S (waited for when `wait`)."""
        self._stop.set()
        if wait and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(POLL_S * 8 + 10)

    def _run(self) -> None:
        import psycopg
        from psycopg import sql

        reconnecting = False
        while not self._stop.is_set():
            try:
                connection = _connect(self.address)
            except psycopg.Error as exc:
                self._report(translate(self.address, exc))
                reconnecting = True
                self._stop.wait(RETRY_S)
                continue
            try:
                connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                self._listening.set()
                if reconnecting:
                    self._deliver(Change("", "", None))
                while not self._stop.is_set():
                    for notice in connection.notifies(timeout=POLL_S):
                        if notice.channel == self.channel:
                            self._deliver(Change.parse(notice.payload))
                        if self._stop.is_set():
                            break
            except psycopg.Error as exc:
                lost = None if self._stop.is_set() else translate(self.address, exc)
            else:
                lost = None
            finally:
                self._listening.clear()
                connection.close()
            if lost is not None:
                self._report(lost)
                reconnecting = True
                self._stop.wait(RETRY_S)

    def _deliver(self, change: Change) -> None:
        if self._stop.is_set():
            return  # stopped: the receiver may be gone already
        with contextlib.suppress(Exception):  # a failing receiver must not end the listening for good
            self.callback(change)

    def _report(self, error: ProjectFileError) -> None:
        if self.on_error is not None:
            self.on_error(error)
