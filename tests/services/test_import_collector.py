"""A streamed import pauses the interpreter's automatic garbage collection while it runs and gives it back as it was.

The command line runs with collection on (an import must leave it on, also when it fails); the GUI turns it off
and collects on its own terms (ui/operations.py), so an import there must leave it off.
"""

from __future__ import annotations

import csv
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.controls import list_controls
from workbench.services.importers import stream
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTROLS
from workbench.services.session import OpenProject


def _register(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Control ID", "Title", "TSC"])
        for i in range(rows):
            writer.writerow([f"GC-{i:04d}", f"Control {i}", "CC6.1"])
    return path


@pytest.fixture
def collecting() -> Iterator[None]:
    """Automatic collection on, as in the command line; put back as found after the test."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_collection_is_paused_during_the_import_and_on_again_after(new_project: OpenProject, tmp_path: Path,
                                                                   collecting: None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    take = stream.Writer.take

    def watching(self: stream.Writer, rows: list) -> None:  # type: ignore[type-arg]
        seen.append(gc.isenabled())
        take(self, rows)

    monkeypatch.setattr(stream.Writer, "take", watching)
    result = import_register(new_project, CONTROLS, _register(tmp_path / "controls.csv", 300))
    assert result["created"] == 300
    assert seen and not any(seen)
    assert gc.isenabled()
    assert len(list_controls(new_project)) == 300


def test_a_failing_import_gives_collection_back(new_project: OpenProject, tmp_path: Path, collecting: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(self: stream.Writer, rows: list) -> None:  # type: ignore[type-arg]
        raise WorkbenchError("controls.csv", "refused on purpose")

    monkeypatch.setattr(stream.Writer, "take", failing)
    with pytest.raises(WorkbenchError):
        import_register(new_project, CONTROLS, _register(tmp_path / "controls.csv", 30))
    assert gc.isenabled()
    assert list_controls(new_project) == []


def test_collection_left_off_stays_off(new_project: OpenProject, tmp_path: Path) -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        result = import_register(new_project, CONTROLS, _register(tmp_path / "controls.csv", 30))
        assert result["created"] == 30
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
