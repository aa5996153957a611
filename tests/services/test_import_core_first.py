"""An import runs on a core-first unit of work (store/core_first.py): new controls are written without loading
SQLAlchemy at all on a project file, an import that changes controls loads it (and the ORM) on the way, and either
way the project holds the same controls, layout and audit trail as the same imports run where the ORM was loaded from
the start."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.domain.entities import ControlDraft
from workbench.services.controls import list_controls
from workbench.services.importers.engine import import_controls
from workbench.services.integrity import check_project
from workbench.services.project import NewProject, create_project
from workbench.services.session import open_project

ROOT = Path(__file__).resolve().parents[2]

IMPORTS = """
import json, sys
from workbench.services.importers.engine import import_controls
from workbench.services.session import open_project

project_path, *registers = sys.argv[1:]
steps = []
with open_project(project_path, backup_on_open=False) as project:
    for register in registers:
        document = import_controls(project, register)
        steps.append({"orm_loaded": "sqlalchemy.orm" in sys.modules, "sqlalchemy_loaded": "sqlalchemy" in sys.modules,
                      "counts": {k: document[k] for k in ("created", "updated", "unchanged", "merged", "skipped")}})
print(json.dumps(steps))
"""


def _register(path: Path, titles: dict[str, str], extra: tuple[tuple[str, str, str], ...] = ()) -> Path:
    """Write a control register as CSV: one row per (ref, title), criteria CC6.1, then any extra rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Control ID", "Title", "Criteria", "Frequency"])
        for ref, title in titles.items():
            writer.writerow([ref, title, "CC6.1", "Quarterly"])
        writer.writerows((ref, title, criteria, "Quarterly") for ref, title, criteria in extra)
    return path


def _registers(folder: Path) -> list[Path]:
    first = {f"AC-{n}": f"Access control {n}" for n in range(1, 41)}
    changed = {**first, "AC-3": "Access control 3, reviewed", "AC-7": "Access control 7, reviewed"}
    return [_register(folder / "first.csv", first),
            _register(folder / "second.csv", changed, (("AC-3", "Access control 3, reviewed", "CC6.2"),)),
            _register(folder / "third.csv", changed, (("AC-3", "Access control 3, reviewed", "CC6.2"),))]


def _trail(path: Path) -> list[tuple[str, str, str, str]]:
    with open_project(path, backup_on_open=False) as project, project.uow() as uow:
        return [(e.action, e.entity, e.entity_key, e.summary) for e in uow.audit.entries()]


def _state(path: Path) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[tuple[str, str, dict[str, str]]]]:
    with open_project(path, backup_on_open=False) as project:
        assert all(result.ok for result in check_project(project))
        controls = [(c.ref, c.title, c.criteria) for c in list_controls(project)]
        with project.uow() as uow:
            return controls, uow.layouts.all()


def test_a_fresh_process_writes_new_controls_without_the_orm_and_the_same_as_with_it(tmp_path: Path) -> None:
    registers = _registers(tmp_path)
    fresh, mapped = tmp_path / "fresh.soc2", tmp_path / "mapped.soc2"
    create_project(fresh, NewProject("Core First Ltd")).close()
    shutil.copyfile(fresh, mapped)  # the same project, to the second it was made

    result = subprocess.run([sys.executable, "-c", IMPORTS, str(fresh), *map(str, registers)], capture_output=True,
                            text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    steps = json.loads(result.stdout)
    with open_project(mapped, backup_on_open=False) as project:
        here = [import_controls(project, register) for register in registers]

    assert [step["counts"] for step in steps] == [
        {k: document[k] for k in ("created", "updated", "unchanged", "merged", "skipped")} for document in here]
    # New controls: plain SQL on the file's own connection, SQLAlchemy not even imported (store/driver.py).
    assert steps[0]["counts"]["created"] == 40 and not steps[0]["sqlalchemy_loaded"]
    assert steps[1]["counts"]["updated"] == 2 and steps[1]["orm_loaded"]  # changed controls: the ORM's flush
    assert steps[2]["counts"]["unchanged"] == 40
    assert _state(fresh) == _state(mapped)
    controls = dict((ref, (title, criteria)) for ref, title, criteria in _state(fresh)[0])
    assert controls["AC-3"] == ("Access control 3, reviewed", ("CC6.1", "CC6.2"))
    assert controls["AC-8"] == ("Access control 8", ("CC6.1",))
    fresh_trail, mapped_trail = _trail(fresh), _trail(mapped)
    # The same entries (summaries included) in the same order of kinds; the ORM orders the updates of one flush
    # as its identity map's set of changed rows comes (not the same from one process to the next).
    assert [entry[:2] for entry in fresh_trail] == [entry[:2] for entry in mapped_trail]
    assert sorted(fresh_trail) == sorted(mapped_trail)
    layout = [entry for entry in fresh_trail if entry[1] == "import_layouts"]
    assert [entry[0] for entry in layout] == ["create"] * 4  # one per mapped column, once: the layout held after
    assert {json.loads(entry[3])["after"]["header"] for entry in layout} == {
        "Control ID", "Title", "Criteria", "Frequency"}


def test_core_and_orm_work_of_one_unit_of_work_commit_or_roll_back_together(tmp_path: Path) -> None:
    path = tmp_path / "together.soc2"
    with create_project(path, NewProject("Together Ltd")) as project:
        with project.uow(core_first=True) as uow:
            uow.controls.add_many([ControlDraft("CORE-1", "Written through the driver")])
            uow.layouts.put("controls", "sig", {"ref": "Control ID"})
            uow.controls.add(ControlDraft("ORM-1", "Written through the ORM"))
            uow.commit()
        with pytest.raises(RuntimeError), project.uow(core_first=True) as uow:
            uow.controls.add_many([ControlDraft("CORE-2", "Never kept")])
            uow.controls.add(ControlDraft("ORM-2", "Never kept either"))
            uow.layouts.put("controls", "other", {"ref": "ID"})
            raise RuntimeError("the work failed half-way")
        assert [c.ref for c in list_controls(project)] == ["CORE-1", "ORM-1"]
        with project.uow() as uow:
            assert uow.layouts.all() == [("controls", "sig", {"ref": "Control ID"})]
            keys = [(e.action, e.entity, e.entity_key) for e in uow.audit.entries() if e.entity != "project"]
        assert all(result.ok for result in check_project(project))
    assert ("create", "controls", "CORE-1") in keys and ("create", "controls", "ORM-1") in keys
    assert ("create", "import_layouts", "controls/sig/ref") in keys
    assert not any("2" in key and entity == "controls" for _, entity, key in keys)


@pytest.mark.parametrize("level", ["driver", "core"])
def test_a_locked_file_met_by_the_first_statement_is_one_worded_refusal(tmp_path: Path, level: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from workbench.domain.errors import ProjectFileError
    from workbench.store.driver import DriverConnection
    from workbench.store.unit_of_work import UnitOfWork

    locked = sqlite3.OperationalError("database is locked")

    class LockedDriver(DriverConnection):  # the file's connection as another program's lock leaves it
        def exec_driver_sql(self, statement: str, parameters: object = None) -> object:
            raise locked

    class LockedCore:  # a Core connection refused the same way (SQLAlchemy wraps the driver's error)
        def __init__(self) -> None:
            from sqlalchemy.exc import OperationalError

            self.error = OperationalError("BEGIN EXCLUSIVE", {}, locked)
            self.dialect = store.engine.dialect

        def exec_driver_sql(self, *_args: object) -> None:
            raise self.error

        def execute(self, *_args: object) -> None:
            raise self.error

        def rollback(self) -> None: ...
        def close(self) -> None: ...

    path = tmp_path / "locked.soc2"
    with create_project(path, NewProject("Locked Ltd")) as project:
        store = project._file
        refusing = LockedDriver(store._connection) if level == "driver" else LockedCore()
        monkeypatch.setattr(store, "plain", lambda: refusing)
        with pytest.raises(ProjectFileError, match="locked by another program; nothing was saved"), \
                UnitOfWork(store, core_first=True) as uow:
            uow.controls.list()
