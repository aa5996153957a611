"""A project that can only be read opens in the window with a banner saying so and why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.ui.conftest import open_in
from workbench.services.project import NewProject, create_project
from workbench.store import file_access, projectfile


@pytest.fixture
def read_only_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed project whose file is read-only (for root, who may write it anyway, the check is made to say so)."""
    path = tmp_path / "shared" / "acme.soc2"
    path.parent.mkdir()
    create_project(path, NewProject("Acme Read Only")).close()
    path.chmod(0o444)
    if not os.access(path, os.W_OK):
        return path
    real = file_access.read_only_reason
    monkeypatch.setattr(projectfile, "read_only_reason",
                        lambda p: file_access.READ_ONLY_FILE if Path(p) == path else real(p))
    return path


def test_a_read_only_project_opens_with_a_banner_saying_why(qtbot, window, read_only_project: Path) -> None:
    listing = sorted(os.listdir(read_only_project.parent))
    assert window.read_only_banner.isHidden()
    open_in(qtbot, window, read_only_project)
    assert window.project is not None and window.project.read_only
    assert window.dashboard.organization.text() == "Acme Read Only"
    banner = window.read_only_banner
    assert not banner.isHidden()
    assert "read-only" in banner.text().lower() and "the file is read-only" in banner.text()
    assert window.file_label.text().endswith("(read-only)")
    window.show_page("controls")  # the pages read it as usual
    window.operations.wait(30)
    assert sorted(os.listdir(read_only_project.parent)) == listing  # nothing written beside it
    window.close_project()
    window.operations.wait(30)
    qtbot.waitUntil(lambda: window.project is None, timeout=20_000)
    assert banner.isHidden()


def test_a_writable_project_shows_no_banner(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "acme.soc2"
    create_project(path, NewProject("Acme")).close()
    open_in(qtbot, window, path)
    assert not window.project.read_only
    assert window.read_only_banner.isHidden()
    assert not window.file_label.text().endswith("(read-only)")
