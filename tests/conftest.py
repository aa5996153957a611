"""Shared fixtures: an isolated per-user data folder, a fixed clock, and projects made through the services.

Kept free of Qt imports; the UI tests add their own bits. QT_QPA_PLATFORM is set here, at import time, so
that any Qt application created later in the session renders offscreen.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from workbench.domain.enums import Category, ReportType
from workbench.services.project import NewProject, create_project
from workbench.services.session import OpenProject, open_project

FIXED_NOW = datetime(2026, 3, 2, 9, 30, 0, tzinfo=UTC)
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


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
