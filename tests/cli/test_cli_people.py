"""People on the command line, as real processes: an HR export imports, a newer one reports its joiners and leavers,
a leaver whose access was removed three business days late (one allowed) is an exception in register list --json,
people removal-days changes that, the period's leavers become a population, and a bad file gets one error line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.test_cli_import import assert_one_error_line, run
from tests.services.test_services_people import FIRST, NEWER
from tests.services.test_services_registers import write_csv
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control
from workbench.services.session import OpenProject


def _json(folder: Path, *args: object) -> object:
    result = run(folder, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_people_import_exception_stated_time_population_and_bad_files(tmp_path: Path,
                                                                      make_project: Callable[..., OpenProject]
                                                                      ) -> None:
    project = make_project(tmp_path / "acme.soc2")
    add_control(project, ControlDraft("HR-05", "Leavers' access removed", frequency=Frequency.EVENT_DRIVEN,
                                      nature=Nature.MANUAL, criteria=("CC6.2",)))
    project.close()
    write_csv(tmp_path / "staff.csv", FIRST)
    write_csv(tmp_path / "newer.csv", NEWER)
    assert _json(tmp_path, "register", "import", "acme.soc2", "people", "staff.csv", "--json")["created"] == 4
    newer = _json(tmp_path, "register", "import", "acme.soc2", "people", "newer.csv", "--json")
    assert [j["ref"] for j in newer["joiners"]] == ["E5"]
    assert [x["ref"] for x in newer["leavers"]] == ["E1", "E4", "E3"] and newer["possible_leavers"] == ["E3"]

    listed = {p["ref"]: p for p in _json(tmp_path, "register", "list", "acme.soc2", "people", "--json")}
    assert listed["E1"]["removal_exception"] is True
    assert listed["E1"]["removal"] == "late: 3 business days (allowed 1)"
    assert run(tmp_path, "people", "removal-days", "acme.soc2", "3").returncode == 0
    listed = {p["ref"]: p for p in _json(tmp_path, "register", "list", "acme.soc2", "people", "--json")}
    assert listed["E1"]["removal_exception"] is False

    population = run(tmp_path, "people", "population", "acme.soc2", "leavers", "--control", "HR-05")
    assert population.returncode == 0 and "2 leavers" in population.stdout, population.stderr

    before = hashlib.sha256((tmp_path / "acme.soc2").read_bytes()).hexdigest()
    write_csv(tmp_path / "bad.csv", [("Worker ID", "Job Title"), ("E9", "Engineer")])
    assert_one_error_line(run(tmp_path, "register", "import", "acme.soc2", "people", "bad.csv"), "bad.csv")
    assert_one_error_line(run(tmp_path, "people", "population", "acme.soc2", "leavers", "--control", "NOPE"),
                          "NOPE")
    assert hashlib.sha256((tmp_path / "acme.soc2").read_bytes()).hexdigest() == before
