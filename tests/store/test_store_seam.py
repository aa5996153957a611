"""The one store seam: the project file and the server database both are a ProjectStore."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from workbench.domain.errors import ProjectFileError
from workbench.domain.location import ServerAddress
from workbench.services.session import OpenProject
from workbench.store import ProjectFile, ProjectStore, UnitOfWork
from workbench.store.server import ServerProject


def _members() -> set[str]:
    """Return the names the protocol asks for (its attributes, properties and methods)."""
    declared = set(ProjectStore.__annotations__)
    declared |= {name for name, value in vars(ProjectStore).items()
                 if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, property))}
    return declared


def test_the_protocol_names_what_the_unit_of_work_and_the_services_use() -> None:
    assert {"path", "clock", "actor", "is_server", "read_only", "read_only_reason", "backup_made", "engine",
            "session", "backup_to", "integrity_problem", "content_digest", "close"} <= _members()


def test_an_open_project_file_is_a_project_store(new_project: OpenProject) -> None:
    store = new_project.file
    assert isinstance(store, ProjectFile)
    assert isinstance(store, ProjectStore)
    assert (store.is_server, store.read_only, store.read_only_reason) == (False, False, None)
    with UnitOfWork(store) as uow:
        assert uow.settings.get().organization == "Acme Ltd"


def test_a_server_project_is_a_project_store() -> None:
    # Made without connecting: an engine connects only when used.
    from workbench.store.postgres import engine_for

    address = ServerAddress.parse("postgresql://nobody@127.0.0.1:1/nothing")
    server = ServerProject(address, engine_for(address), lambda: None, "tester")  # type: ignore[arg-type]
    try:
        assert [member for member in sorted(_members()) if not hasattr(server, member)] == []
        assert isinstance(server, ProjectStore)
        assert (server.is_server, server.read_only, server.read_only_reason) == (True, False, None)
        with pytest.raises(ProjectFileError, match="workbench copy"):
            server.backup_to(Path("copy.soc2"))
    finally:
        server.close()
