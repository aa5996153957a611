"""Every service test that touches a project runs twice: on a .soc2 file and on a PostgreSQL database.

The one parametrised fixture is `backend` ("file" or "server"). Tests and fixtures take their project's place
from `project_location(name)` (a path in project_dir, or a fresh database) or `sample_location()` (a copy of the
sample project), so the same test body runs on both. Without a test server (WORKBENCH_TEST_POSTGRES) the server
variants skip; with CI set they fail instead. A test that is about the file itself is marked
`@pytest.mark.file_only("why")` and its server variant skips with that reason.

`plain_sql` and `fingerprint` are widened here to servers: plain SQL through psycopg (the statement's `?`
placeholders become `%s`), and a fingerprint that is the digest of every row.

`make_project` makes each kind of project (settings, clock reading, actor) once per worker through the services,
and gives the next test asking for the same one a copy (see `_Originals`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEFAULT_SPEC, FixedClock, _connect, _fingerprint, _plain_sql
from workbench.domain.location import ServerAddress
from workbench.services.project import NewProject, create_project
from workbench.services.session import OpenProject, default_actor, open_project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"
Location = Path | ServerAddress


@pytest.fixture(params=["file", "server"])
def backend(request: pytest.FixtureRequest) -> str:
    """Where this test's projects live: "file" (a .soc2 file) or "server" (a PostgreSQL database)."""
    if request.param == "server":
        marker = request.node.get_closest_marker("file_only")
        if marker is not None:
            pytest.skip(f"file only: {marker.args[0] if marker.args else 'about the project file itself'}")
        request.getfixturevalue("postgres_admin")
    return request.param


@pytest.fixture
def project_location(backend: str, project_dir: Path, request: pytest.FixtureRequest) -> Callable[[str], Location]:
    """Factory: project_location(name) is project_dir/name on a file, a new empty database on a server."""
    if backend == "file":
        return lambda name: project_dir / name
    fresh: Callable[..., ServerAddress] = request.getfixturevalue("fresh_database")
    return lambda _name: fresh()


@pytest.fixture(scope="session")
def _sample_template(postgres_admin: ServerAddress, _postgres_server: Any,
                     tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding the sample project, copied once; tests get their own copy of it as a template."""
    from workbench.services.copying import copy_project

    source = tmp_path_factory.mktemp("sample") / SAMPLE.name
    shutil.copyfile(SAMPLE, source)
    address = _postgres_server.take(new=True)
    with pytest.MonkeyPatch.context() as patch:  # made before any test's own data folder: give it one
        patch.setenv("WORKBENCH_DATA_DIR", str(tmp_path_factory.mktemp("sample-data")))
        patch.setenv("WORKBENCH_USER", "tester")
        copy_project(source, address)
    return address.database


@pytest.fixture
def sample_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], Location]:
    """Factory: sample_location() is a fresh copy of the sample project (a file in tmp_path, or a database)."""
    if backend == "file":
        def copy_file() -> Path:
            target = tmp_path / "sample" / SAMPLE.name
            target.parent.mkdir()
            shutil.copyfile(SAMPLE, target)
            return target

        return copy_file
    template = request.getfixturevalue("_sample_template")
    fresh: Callable[..., ServerAddress] = request.getfixturevalue("fresh_database")
    return lambda: fresh(template)


@pytest.fixture
def project_path(project_location: Callable[[str], Location]) -> Location:
    """Where the default test project is created (a file, or a database)."""
    return project_location("acme.soc2")


class _Originals:
    """Projects made through the services once per worker; a test asking for the same project gets a copy.

    Making a project runs every schema migration: ~0.1 s on a file, ~0.5 s on a PostgreSQL database, where a copy
    takes milliseconds (a file copy, CREATE DATABASE ... TEMPLATE). The test gets what create_project would
    have given it: create_project ends by opening what it made (ProjectFile.create, ServerProject.create), and
    projects made from the same settings, clock reading and actor hold the same rows (nothing in them is random
    but an encryption key: encrypted projects are always made anew, as is any project whose place is not empty).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._files: dict[Hashable, Path] = {}
        self._databases: dict[Hashable, str] = {}

    @staticmethod
    def _kind(spec: NewProject, clock: FixedClock) -> Hashable | None:
        if spec.encryption is not None or type(clock) is not FixedClock:
            return None
        return spec, clock.now, default_actor(), os.environ.get("WORKBENCH_RESOURCES")

    def copy(self, location: Location, spec: NewProject, clock: FixedClock,
             request: pytest.FixtureRequest) -> OpenProject | None:
        """Return an open copy of the project create_project(location, spec, clock) makes, or None to make it."""
        kind = self._kind(spec, clock)
        if kind is None:
            return None
        if isinstance(location, ServerAddress):
            server = request.getfixturevalue("_postgres_server")
            if kind not in self._databases:
                original = server.take(new=True)
                create_project(original, spec, clock=clock).close()
                self._databases[kind] = original.database
            if not server.copy_into(location.database, self._databases[kind]):
                return None
            return open_project(location, clock=clock)
        if not isinstance(location, Path) or location.exists() or not location.parent.is_dir():
            return None
        if kind not in self._files:
            original = self._folder / str(len(self._files)) / "original.soc2"
            original.parent.mkdir()
            create_project(original, spec, clock=clock).close()
            self._files[kind] = original
        shutil.copyfile(self._files[kind], location)
        return open_project(location, clock=clock, backup_on_open=False)


@pytest.fixture(scope="session")
def _originals(tmp_path_factory: pytest.TempPathFactory) -> _Originals:
    """The projects made so far by this worker (see _Originals)."""
    return _Originals(tmp_path_factory.mktemp("originals"))


@pytest.fixture
def make_project(clock: FixedClock, project_location: Callable[[str], Location], _originals: _Originals,
                 request: pytest.FixtureRequest) -> Iterator[Callable[..., OpenProject]]:
    """Factory: make_project(location, spec=None) creates a project through the services; all closed after."""
    opened: list[OpenProject] = []

    def make(location: Location, spec: NewProject | None = None) -> OpenProject:
        spec = spec or DEFAULT_SPEC
        project = _originals.copy(location, spec, clock, request) or create_project(location, spec, clock=clock)
        opened.append(project)
        return project

    yield make
    for project in opened:
        project.close()


def _server_sql(address: ServerAddress, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = _connect(address)
    try:
        cursor = connection.execute(statement.replace("?", "%s"), params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    finally:
        connection.close()


@pytest.fixture
def plain_sql() -> Callable[..., list[tuple[Any, ...]]]:
    """plain_sql(location, statement, params=()): one statement (? placeholders) straight on the file or database."""

    def run(location: Location, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if isinstance(location, ServerAddress):
            return _server_sql(location, statement, params)
        return _plain_sql(location, statement, params)

    return run


@pytest.fixture
def fingerprint() -> Callable[[Location], Any]:
    """fingerprint(location): (sha256, size, mtime_ns) of a file, or the digest of every row of a database."""

    def take(location: Location) -> Any:
        if isinstance(location, ServerAddress):
            from workbench.store.server import ServerProject

            with ServerProject.open(location) as database:
                return database.content_digest()
        return _fingerprint(location)

    return take


@pytest.fixture
def holds_no_project() -> Callable[[Location], bool]:
    """holds_no_project(location): True when nothing was made there (no file or side file; no table)."""

    def check(location: Location) -> bool:
        if isinstance(location, ServerAddress):
            return _server_sql(location, "SELECT count(*) FROM information_schema.tables "
                                         "WHERE table_schema = current_schema()") == [(0,)]
        return not any(location.parent.iterdir())

    return check
