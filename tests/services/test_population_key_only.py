"""A population that is its keys alone (a list of logins, one per row) imports every key: a lone cell is a section
heading only in a table that has more than its key's column."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.services.controls import add_control, list_controls
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTROLS
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.samples import population_size
from workbench.services.session import OpenProject


def test_a_list_of_logins_imports_every_login(new_project: OpenProject, tmp_path: Path) -> None:
    add_control(new_project, ControlDraft("AC-1", "Access is reviewed", frequency=Frequency.EVENT_DRIVEN))
    path = tmp_path / "users.csv"
    path.write_text("Login\nalice\nbob\nA\nsvc-deploy\n", encoding="utf-8")
    result = import_register(new_project, POPULATIONS, path, details=(("control", "AC-1"),))
    assert (result["created"], result["skipped"]) == (4, 0)
    assert population_size(new_project, "AC-1") == 4


def test_a_lone_cell_in_a_wider_table_is_still_a_section_heading(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "controls.csv"
    path.write_text("Control ID,Title\nAccess control\nAC-1,Access is reviewed\nAC-2,Access is removed\n"
                    "AC-3,Passwords are strong\n", encoding="utf-8")
    result = import_register(new_project, CONTROLS, path)
    assert (result["created"], result["skipped"]) == (3, 1)
    assert [c.ref for c in list_controls(new_project)] == ["AC-1", "AC-2", "AC-3"]
