"""Shared fixtures: an isolated per-user data folder, a fixed clock, and projects made through the services.

A PostgreSQL test server is optional: WORKBENCH_TEST_POSTGRES names an admin login on it
(postgresql://postgres@127.0.0.1:54329/postgres); `postgres_admin` skips without one (fails on CI), and
`fresh_database()` makes an empty database that is dropped after the test.

Kept free of Qt imports; the UI tests add their own bits. QT_QPA_PLATFORM is set here, at import time, so
that any Qt application created later in the session renders offscreen.

The suite runs in parallel (`-n auto`, pytest-xdist): every worker is a process of its own, with its own temporary
folders, per-test data folder, test databases (named after the process) and Qt application.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import os
import secrets
import sqlite3
import struct
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from hypothesis import settings

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Compiled bytecode is kept, whatever the environment says (some set PYTHONDONTWRITEBYTECODE=1): without it every
# pytest worker, and every `python -m workbench` or pytest child a test starts, compiles the program and the
# rewritten test modules anew (collecting the suite took 11 s of CPU instead of 4; each child ~0.2 s more).
# The empty value counts as unset for the workers and children; this process is told below.
os.environ["PYTHONDONTWRITEBYTECODE"] = ""

from tests.keyrings import MemoryKeyring
from workbench.domain.enums import Category, ReportType
from workbench.domain.location import ServerAddress
from workbench.services.connections import PASSWORD_ENV
from workbench.services.project import NewProject, create_project
from workbench.services.session import OpenProject, open_project
from workbench.store.schema import Base, map_rows

sys.dont_write_bytecode = False
# No deadline per example: property tests check results, not speed, and a busy machine (two workers, a server
# and the bundle build on two cores) could fail a slow example with DeadlineExceeded or Flaky.
settings.register_profile("workbench", deadline=None)
settings.load_profile("workbench")

FIXED_NOW = datetime(2026, 3, 2, 9, 30, 0, tzinfo=UTC)
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
POSTGRES_ENV = "WORKBENCH_TEST_POSTGRES"
NO_SERVER = f"no PostgreSQL server: set {POSTGRES_ENV}=postgresql://user@host:port/db"
# Test databases are named wbt_<pid>_<run>_<n>: unique per process and run, so parallel runs never collide.
DATABASE_PREFIX = f"wbt_{os.getpid()}_{secrets.token_hex(3)}"
_database_numbers = itertools.count(1)


class FixedClock:
    """A clock for ProjectFile/create_project: returns the same instant until told to move on."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward (e.g. advance(days=1)) and return the new reading."""
        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def garbage_collection_on() -> None:
    """Every test starts with the interpreter's automatic garbage collection on.

    The GUI switches it off for the rest of its process (workbench.ui.operations); tests/ui/conftest.py switches
    it back on after each UI test, so no test depends on whether a UI test ran before it.
    """
    assert gc.isenabled(), "automatic garbage collection was left off by an earlier test"


@pytest.fixture(autouse=True)
def forget_dead_engines() -> Iterator[None]:
    """After each test, empty SQLAlchemy's caches that outlive the engines of the test's projects.

    Every project opened has an engine, and a dialect, of its own; the ORM mappers cache compiled statements per
    dialect (up to ~750 each), and PostgreSQL's dialect caches its catalogue queries per dialect (128 each). So
    each test left 1,000-1,500 objects behind, some millions late in the session, and every full garbage
    collection of the test process (the GUI makes one per project closed, the UI tests one per test) scanned
    them all: a UI test's teardown took seconds. They are caches: emptying them changes no result.
    """
    yield
    map_rows()  # a test that started no unit of work left them unmapped (store/schema.py)
    for mapper in Base.registry.mappers:
        mapper._compiled_cache.clear()
    postgres = sys.modules.get("sqlalchemy.dialects.postgresql.base")
    if postgres is not None:
        for attribute in vars(postgres.PGDialect).values():
            if hasattr(attribute, "cache_clear"):
                attribute.cache_clear()


@pytest.fixture(autouse=True)
def workbench_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Send per-user data (automatic backups) to a temporary folder and fix the audit-trail actor."""
    data_dir = tmp_path_factory.mktemp("workbench-data")
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("WORKBENCH_USER", "tester")
    monkeypatch.delenv("WORKBENCH_RESOURCES", raising=False)
    return data_dir


@pytest.fixture
def data_dir(workbench_env: Path) -> Path:
    """The per-user data folder of this test (WORKBENCH_DATA_DIR)."""
    return workbench_env


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Send every keyring call to memory for the test (no password from the environment either)."""
    monkeypatch.delenv("WORKBENCH_PASSPHRASE", raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A computer without a keyring service (keyring's fail backend)."""
    monkeypatch.delenv("WORKBENCH_PASSPHRASE", raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> FixedClock:
    """A fixed clock reading FIXED_NOW."""
    return FixedClock()


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """An empty folder meant to hold only project files (so stray side files are noticed)."""
    folder = tmp_path / "projects"
    folder.mkdir()
    return folder


@pytest.fixture
def project_path(project_dir: Path) -> Path:
    """Where the default test project is created."""
    return project_dir / "acme.soc2"


DEFAULT_SPEC = NewProject(
    organization="Acme Ltd",
    system_name="Acme Cloud",
    report_type=ReportType.TYPE2,
    categories=(Category.SECURITY,),
    period_start=date(2026, 1, 1),
    period_end=date(2026, 6, 30),
)


@pytest.fixture
def make_project(clock: FixedClock) -> Iterator[Callable[..., OpenProject]]:
    """Factory: make_project(path, spec=None) creates a project through the services; all are closed after."""
    opened: list[OpenProject] = []

    def make(path: Path, spec: NewProject | None = None) -> OpenProject:
        project = create_project(path, spec or DEFAULT_SPEC, clock=clock)
        opened.append(project)
        return project

    yield make
    for project in opened:
        project.close()


@pytest.fixture
def new_project(make_project: Callable[..., OpenProject], project_path: Path) -> OpenProject:
    """A fresh Type II, Security-only project at project_path, open (closed after the test)."""
    return make_project(project_path)


@pytest.fixture
def closed_project(new_project: OpenProject) -> Path:
    """The path of a fresh project that has been closed again."""
    new_project.close()
    return new_project.path


@pytest.fixture
def reopen(clock: FixedClock) -> Callable[[Path], Any]:
    """reopen(path): a context manager that opens a project again through the services and closes it."""

    @contextmanager
    def _reopen(path: Path) -> Iterator[OpenProject]:
        project = open_project(path, clock=clock)
        try:
            yield project
        finally:
            project.close()

    return _reopen


def _fingerprint(path: Path) -> tuple[str, int, int] | None:
    if not path.is_file():
        return None
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns


@pytest.fixture
def fingerprint() -> Callable[[Path], tuple[str, int, int] | None]:
    """fingerprint(path) -> (sha256, size, mtime_ns), or None when it is not a file."""
    return _fingerprint


def _plain_sql(path: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(statement, params).fetchall()
        connection.commit()
    finally:
        connection.close()
    return rows


@pytest.fixture
def plain_sql() -> Callable[..., list[tuple[Any, ...]]]:
    """plain_sql(path, statement, params=()): run one statement with the plain sqlite3 module (a closed file)."""
    return _plain_sql


def _side_files(path: Path) -> list[str]:
    return [f"{path.name}{s}" for s in SIDE_SUFFIXES if Path(f"{path}{s}").exists()]


@pytest.fixture
def side_files() -> Callable[[Path], list[str]]:
    """side_files(path): names of SQLite -wal/-shm/-journal files lying beside path."""
    return _side_files


def _damage(path: Path) -> None:
    """Overwrite the body of the page holding the project settings row, keeping the header intact."""
    rows = _plain_sql(path, "SELECT rootpage FROM sqlite_master WHERE type='table' AND name='project'")
    (root,) = rows[0]
    data = bytearray(path.read_bytes())
    (page_size,) = struct.unpack(">H", data[16:18])
    start = (root - 1) * page_size
    assert start > 0, "the project table should not live on page 1"
    body = bytes((i * 37 + 11) & 0xFF for i in range(page_size - 8))
    data[start + 8:start + page_size] = body
    path.write_bytes(bytes(data))


@pytest.fixture
def damage() -> Callable[[Path], None]:
    """damage(path): corrupt a closed project so that SQLite's quick_check fails (header stays ours)."""
    return _damage


# -- a PostgreSQL test server (optional) ------------------------------------------------------------------------


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _connect(address: ServerAddress) -> Any:
    """Return an autocommit psycopg connection to `address` (CREATE and DROP DATABASE run outside transactions)."""
    import psycopg

    return psycopg.connect(host=address.host, port=address.port, user=address.user or None,
                           password=address.password, dbname=address.database, autocommit=True, connect_timeout=5,
                           application_name="workbench tests")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Test databases sort text as most production servers do (en-US), not in code-point order like a project file:
# so a listing whose order would differ between a file and such a server shows up here.
NATURAL_LANGUAGE_ORDER = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
# Emptying a used database as a new one is: only the public schema, owned by the database owner, usable by all.
_EMPTY_AGAIN = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();
DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
"""
# Anything else a test may have left (another schema, database grants or settings) sends the database to be dropped.
_LEFT_OVER = """
SELECT (SELECT count(*) FROM pg_namespace WHERE nspname <> 'public' AND nspname <> 'information_schema'
        AND nspname NOT LIKE 'pg\\_%')
     + (SELECT count(*) FROM pg_database WHERE datname = current_database() AND datacl IS NOT NULL)
     + (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database())
"""


class _Server:
    """The admin login on the test server: makes databases, and empties used ones for the next test.

    CREATE DATABASE costs 150-250 ms on a small machine, emptying a used one about 25 ms; so a database a test
    is done with is emptied (its connections ended, its public schema made anew) and handed to the next test.
    """

    def __init__(self, address: ServerAddress) -> None:
        self.address = address
        self.made: list[str] = []  # databases made and not yet dropped
        self._idle: list[str] = []  # made, emptied, and free for another test
        self._connection: Any = None
        self._inside: dict[str, Any] = {}  # an admin connection on each database that has been emptied
        self._natural_language_order = True

    def execute(self, statement: str) -> None:
        if self._connection is None or self._connection.closed or self._connection.broken:
            self._connection = _connect(self.address)
        self._connection.execute(statement)

    def take(self, template: str | None = None, *, new: bool = False) -> ServerAddress:
        """Return an empty database (a copy of `template`, if given) that no other test is using.

        With new=True it is made now, so nothing of ours is connected to it (as a template database must be).
        """
        if template is None and self._idle and not new:
            return self.address.with_database(self._idle.pop())
        name = f"{DATABASE_PREFIX}_{next(_database_numbers)}"
        self.made.append(name)
        if template:
            self.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")
        elif self._natural_language_order:
            try:
                self.execute(f"CREATE DATABASE {_quote(name)} {NATURAL_LANGUAGE_ORDER}")
            except Exception:  # a server without ICU (or before PostgreSQL 15): its own default order it is
                self._natural_language_order = False
                self.execute(f"CREATE DATABASE {_quote(name)}")
        else:
            self.execute(f"CREATE DATABASE {_quote(name)}")
        return self.address.with_database(name)

    def give_back(self, name: str) -> None:
        """Empty a database a test is done with for the next one; drop it when it cannot be made as new."""
        try:
            connection = self._inside.get(name)
            if connection is None or connection.closed or connection.broken:
                connection = self._inside[name] = _connect(self.address.with_database(name))
            connection.execute(_EMPTY_AGAIN)
            (left,) = connection.execute(_LEFT_OVER).fetchone()
            if left == 0:
                self._idle.append(name)
                return
        except Exception:  # whatever went wrong, dropping it is the way out
            pass
        self.drop(name)

    def drop(self, name: str) -> None:
        """Drop the database, ending any connection still on it."""
        inside = self._inside.pop(name, None)
        if inside is not None:
            with contextlib.suppress(Exception):
                inside.close()
        self.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
        if name in self.made:
            self.made.remove(name)
        if name in self._idle:
            self._idle.remove(name)

    def copy_into(self, name: str, template: str) -> bool:
        """Make our empty database `name` anew as a copy of `template`; False (nothing done) if it is not that."""
        if name not in self.made or name == template:
            return False
        connection = self._inside.get(name)
        if connection is None or connection.closed or connection.broken:
            connection = _connect(self.address.with_database(name))
        try:
            (tables,) = connection.execute("SELECT count(*) FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()").fetchone()
        finally:
            if self._inside.get(name) is not connection:
                connection.close()
        if tables:
            return False
        self.drop(name)
        self.made.append(name)
        self.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")
        return True

    def close(self) -> None:
        """Drop every database made in this session and hang up."""
        for name in list(self.made):
            with contextlib.suppress(Exception):  # best effort at the very end
                self.drop(name)
        if self._connection is not None:
            self._connection.close()


@pytest.fixture(scope="session")
def _postgres_server() -> Iterator[_Server | str]:
    """The reachable test server, or the reason there is none (reported by postgres_admin)."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        yield NO_SERVER
        return
    try:
        server = _Server(ServerAddress.parse(url))
        server.execute("SELECT 1")
    except Exception as exc:  # any failure to reach it means the same: no server to test against
        yield f"{NO_SERVER} (the one set cannot be reached: {' '.join(str(exc).split())[:200]})"
        return
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def postgres_admin(_postgres_server: _Server | str) -> ServerAddress:
    """The admin address of the PostgreSQL test server; skips without one (fails instead when CI is set)."""
    if isinstance(_postgres_server, str):
        if _on_ci():
            pytest.fail(_postgres_server)
        pytest.skip(_postgres_server)
    return _postgres_server.address


@pytest.fixture
def fresh_database(postgres_admin: ServerAddress, _postgres_server: _Server) -> Iterator[Callable[..., ServerAddress]]:
    """Factory: fresh_database(template=None) gives an empty (or templated) database, all this test's own.

    After the test its connections are ended and it is emptied for another test (dropped if that fails).
    """
    given: list[ServerAddress] = []

    def make(template: str | None = None) -> ServerAddress:
        address = _postgres_server.take(template)
        given.append(address)
        return address

    yield make
    for address in given:
        _postgres_server.give_back(address.database)
