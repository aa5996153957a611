"""Every service test that touches a project runs twice: on a .soc2 file and on a PostgreSQL database.

The one parametrised fixture is `backend` ("file" or "server"). Tests and fixtures take their project's place
from `project_location(name)` (a path in project_dir, or a fresh database) or `sample_location()` (a copy of the
sample project), so the same test body runs on both. Without a test server (WORKBENCH_TEST_POSTGRES) the server
variants skip; with CI set they fail instead. A test that is about the file itself is marked
`@pytest.mark.file_only("why")` and its server variant skips with that reason.

`plain_sql` and `fingerprint` are widened here to servers: plain SQL through psycopg (the statement's `?`
placeholders become `%s`), and a fingerprint that is the digest of every row.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEFAULT_SPEC, FixedClock, _connect, _fingerprint, _plain_sql
from workbench.domain.location import ServerAddress
from workbench.services.project import NewProject, create_project
from workbench.services.session import OpenProject

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


@pytest.fixture
def make_project(clock: FixedClock, project_location: Callable[[str], Location],
                 ) -> Iterator[Callable[..., OpenProject]]:
    """Factory: make_project(location, spec=None) creates a project through the services; all closed after."""
    opened: list[OpenProject] = []

    def make(location: Location, spec: NewProject | None = None) -> OpenProject:
        project = create_project(location, spec or DEFAULT_SPEC, clock=clock)
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
