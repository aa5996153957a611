"""An open project as the services see it: the file, its identity, and units of work on it."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from workbench.store import ProjectFile, UnitOfWork
from workbench.store.projectfile import Clock, utc_now


def default_actor() -> str:
    """Return the name recorded in the audit trail: WORKBENCH_USER, else the login name."""
    configured = os.environ.get("WORKBENCH_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class OpenProject:
    """A project file held open by this program; close it when done (or use it as a context manager)."""

    def __init__(self, file: ProjectFile) -> None:
        self._file = file

    @property
    def path(self) -> Path:
        """Return the project file's path."""
        return self._file.path

    @property
    def backup_made(self) -> Path | None:
        """Return the automatic backup taken while opening (before a schema upgrade), if any."""
        return self._file.backup_made

    def uow(self) -> UnitOfWork:
        """Return a new unit of work on this project."""
        return UnitOfWork(self._file)

    def now(self) -> datetime:
        """Return the project's clock reading."""
        return self._file.clock()

    def close(self) -> None:
        """Release the project file."""
        self._file.close()

    def __enter__(self) -> OpenProject:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Used by services that work on the file as a whole (backups, integrity).
    @property
    def file(self) -> ProjectFile:
        """Return the underlying project file."""
        return self._file


def open_project(path: Path | str, *, actor: str | None = None, clock: Clock = utc_now) -> OpenProject:
    """Open an existing project file for exclusive use."""
    return OpenProject(ProjectFile.open(path, clock=clock, actor=actor or default_actor()))


def create_file(path: Path | str, populate: Callable[[UnitOfWork], None], *, actor: str | None = None,
                clock: Clock = utc_now) -> OpenProject:
    """Create a project file whose first contents come from `populate`, committed as one transaction."""

    def fill(file: ProjectFile) -> None:
        with UnitOfWork(file) as uow:
            populate(uow)
            uow.commit()

    return OpenProject(ProjectFile.create(path, fill, clock=clock, actor=actor or default_actor()))
