"""`register export PROJECT populations` names each item's control, and importing that file for one control takes
that control's rows only (every control's items were written without their control, then imported as one)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.services.controls import add_control
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.registers import export_register, list_register
from workbench.services.session import OpenProject


def _import(project: OpenProject, path: Path, ref: str) -> dict[str, object]:
    return import_register(project, POPULATIONS, path, details=(("control", ref),))


def test_an_export_of_every_population_imports_back_control_by_control(new_project: OpenProject,
                                                                         tmp_path: Path) -> None:
    for ref, keys in (("CHG-1", ("PR-1", "PR-2", "PR-3")), ("HIRE-1", ("EMP-1", "EMP-2"))):
        add_control(new_project, ControlDraft(ref, f"{ref} control", frequency=Frequency.EVENT_DRIVEN))
        path = tmp_path / f"{ref}.csv"
        path.write_text("Key,Date\n" + "".join(f"{k},2026-02-0{i + 1}\n" for i, k in enumerate(keys)),
                        encoding="utf-8")
        _import(new_project, path, ref)
    before = list_register(new_project, POPULATIONS)
    out = export_register(new_project, POPULATIONS, tmp_path / "populations.xlsx")
    sheet = load_workbook(out)["Populations"]
    assert [c.value for c in sheet[1]] == ["Key", "Date", "Control"]
    assert [c.value for c in sheet[4]][::2] == ["PR-3", "CHG-1"]
    result = _import(new_project, out, "HIRE-1")
    assert (result["population"], result["created"], result["skipped"], result["other_controls"]) == (2, 2, 3, 3)
    assert _import(new_project, out, "CHG-1")["population"] == 3
    assert list_register(new_project, POPULATIONS) == before


def test_a_population_without_a_control_column_is_all_the_controls(new_project: OpenProject, tmp_path: Path) -> None:
    add_control(new_project, ControlDraft("CHG-1", "Changes", frequency=Frequency.EVENT_DRIVEN))
    path = tmp_path / "changes.csv"
    path.write_text("Change ID,Merged at,Control\nPR-1,2026-02-01,\nPR-2,2026-02-02,chg-1\n", encoding="utf-8")
    assert _import(new_project, path, "CHG-1")["population"] == 2


def test_a_control_column_naming_no_control_of_the_project_keeps_every_row(new_project: OpenProject,
                                                                            tmp_path: Path) -> None:
    add_control(new_project, ControlDraft("CHG-1", "Changes", frequency=Frequency.EVENT_DRIVEN))
    add_control(new_project, ControlDraft("HIRE-1", "Hires", frequency=Frequency.EVENT_DRIVEN))
    path = tmp_path / "changes.csv"
    path.write_text("Change ID,Merged at,Control Owner,Control\nPR-1,2026-02-01,Bob,SOX-ITGC-1\n"
                    "PR-2,2026-02-02,Ann,SOX-ITGC-2\n", encoding="utf-8")
    assert _import(new_project, path, "CHG-1")["population"] == 2
    with new_project.uow() as uow:
        (population,) = uow.populations.list()
        kept = [item.data for item in uow.populations.items(population.id)]
    assert kept[0] == (("Control Owner", "Bob"), ("Control", "SOX-ITGC-1"))


def test_a_key_two_controls_share_stays_each_controls_item(new_project: OpenProject, tmp_path: Path) -> None:
    for ref in ("CHG-1", "CHG-2"):
        add_control(new_project, ControlDraft(ref, f"{ref} control", frequency=Frequency.EVENT_DRIVEN))
    path = tmp_path / "both.csv"
    path.write_text("Key,Date,Control\nPR-1,2026-02-01,CHG-1\nPR-2,2026-02-02,CHG-1\nPR-1,2026-02-01,CHG-2\n",
                    encoding="utf-8")
    first, second = _import(new_project, path, "CHG-1"), _import(new_project, path, "CHG-2")
    assert (first["population"], first["other_controls"], first["problems"]) == (2, 1, [])
    assert (second["population"], second["other_controls"], second["problems"]) == (1, 2, [])
    items = {(row["control"], row["key"]) for row in list_register(new_project, POPULATIONS)}
    assert items == {("CHG-1", "PR-1"), ("CHG-1", "PR-2"), ("CHG-2", "PR-1")}
