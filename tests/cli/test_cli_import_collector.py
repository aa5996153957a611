"""An import from the command line pauses the garbage collector while it runs and always turns it back on."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services.session import OpenProject

REGISTER = "Control ID,Title,TSC\nAC-1,Access reviews,CC6.1\nAC-2,Backups,A1.2\n"


@pytest.fixture
def project(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    path = tmp_path / "acme.soc2"
    make_project(path).close()
    return path


def _collector_states(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether the collector is on each time the import's engine is asked to import."""
    from workbench.services.importers import engine

    states: list[bool] = []
    original = engine.import_register

    def spy(*args: object, **kwargs: object) -> object:
        states.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "import_register", spy)
    return states


def test_the_collector_is_paused_during_an_import_and_on_after_it(project: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    states = _collector_states(monkeypatch)
    source = tmp_path / "register.csv"
    source.write_text(REGISTER, encoding="utf-8")
    assert main(["import-controls", str(project), str(source), "--json"]) == 0
    assert states == [False]
    assert gc.isenabled()


def test_the_collector_is_on_after_an_import_that_fails(project: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    states = _collector_states(monkeypatch)
    source = tmp_path / "no-ids.csv"
    source.write_text("Colour,Size\nred,2\n", encoding="utf-8")
    assert main(["import-controls", str(project), str(source)]) == 2
    assert states == [False]
    assert gc.isenabled()


def test_a_dry_run_plans_with_the_collector_on(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    states = _collector_states(monkeypatch)
    source = tmp_path / "register.csv"
    source.write_text(REGISTER, encoding="utf-8")
    assert main(["import-controls", str(project), str(source), "--dry-run"]) == 0
    assert states == [True]  # a dry run plans the whole table: cycles may pile up, the collector stays on
