"""Open or create a project wherever it lives: a .soc2 file (projectfile.py) or a server database (server.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.domain.clock import Clock, utc_now
from workbench.domain.location import ServerAddress
from workbench.store.project_store import ProjectStore
from workbench.store.projectfile import ProjectFile

Where = Path | str | ServerAddress  # a file path, or the address of a project database


def open_store(where: Where, *, clock: Clock = utc_now, actor: str = "", read_only: bool = False) -> ProjectStore:
    """Open an existing project; a file is held for exclusive use, or for reading only (see ProjectFile.open)."""
    if isinstance(where, ServerAddress):
        from workbench.store.server import ServerProject  # with the ORM and the server's driver: loaded on use

        return ServerProject.open(where, clock=clock, actor=actor)
    return ProjectFile.open(where, clock=clock, actor=actor, read_only=read_only)


def create_store(where: Where, populate: Callable[[ProjectStore], None], *, clock: Clock = utc_now,
                 actor: str = "") -> ProjectStore:
    """Create a new project whose first contents `populate` writes; it appears whole or not at all."""
    if isinstance(where, ServerAddress):
        from workbench.store.server import ServerProject

        return ServerProject.create(where, populate, clock=clock, actor=actor)
    return ProjectFile.create(where, populate, clock=clock, actor=actor)
