"""The backend fixture itself: each variant really is on its own kind of store, and file_only keeps to the file."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.domain.location import ServerAddress
from workbench.services.controls import list_controls
from workbench.services.session import OpenProject


def test_each_variant_holds_its_project_where_it_says(backend: str, new_project: OpenProject, reopen: Any) -> None:
    assert new_project.on_server == (backend == "server")
    assert isinstance(new_project.path, ServerAddress) == (backend == "server")
    new_project.close()
    with reopen(new_project.path) as again:
        assert again.on_server == (backend == "server") and list_controls(again) == []


@pytest.mark.file_only("checks the marker itself")
def test_file_only_runs_on_the_file_alone(backend: str) -> None:
    assert backend == "file"
