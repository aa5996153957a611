"""A sample is drawn from the period's events: a population item dated outside the audit period is never drawn."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.project import update_settings
from workbench.services.samples import draw_sample, import_selection, population_size
from workbench.services.session import OpenProject


def _population(project: OpenProject, tmp_path: Path, rows: str) -> None:
    add_control(project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    path = tmp_path / "changes.csv"
    path.write_text("Change ID,Merged at\n" + rows, encoding="utf-8")
    import_register(project, POPULATIONS, path, details=(("control", "CHG-1"),))


def test_items_dated_outside_the_period_are_not_drawn(new_project: OpenProject, tmp_path: Path) -> None:
    inside = [f"IN-{i}" for i in range(6)]
    _population(new_project, tmp_path, "".join(f"{k},2026-02-0{i + 1}\n" for i, k in enumerate(inside))
                + "BEFORE-1,2025-06-01\nAFTER-1,2027-01-01\nUNDATED-1,\n")
    assert population_size(new_project, "CHG-1") == 7
    sample = draw_sample(new_project, "CHG-1", seed="s").value
    kept = [*inside, "UNDATED-1"]
    assert [i.key for i in sample.items] == sorted(kept, key=lambda k: hashlib.sha256(f"s{k}".encode()).hexdigest())
    assert sample.method.endswith("; items dated outside the audit period are not drawn")


def test_a_population_wholly_outside_the_period_is_refused(new_project: OpenProject, tmp_path: Path) -> None:
    _population(new_project, tmp_path, "OLD-1,2024-03-01\nOLD-2,2024-03-02\n")
    with pytest.raises(WorkbenchError, match="every item of its population is dated outside the audit period"):
        draw_sample(new_project, "CHG-1", seed="s")


def test_a_population_inside_the_period_states_the_plain_method(new_project: OpenProject, tmp_path: Path) -> None:
    _population(new_project, tmp_path, "IN-1,2026-02-01\nIN-2,2026-02-02\n")
    assert not draw_sample(new_project, "CHG-1", seed="s").value.method.endswith("not drawn")


def test_the_auditors_selection_may_name_an_item_dated_outside_the_period(new_project: OpenProject,
                                                                           tmp_path: Path) -> None:
    _population(new_project, tmp_path, "IN-1,2026-02-01\nBEFORE-1,2025-06-01\n")
    selection = tmp_path / "selection.csv"
    selection.write_text("Key\nBEFORE-1\nIN-1\n", encoding="utf-8")
    chosen = import_selection(new_project, "CHG-1", selection).value
    assert [i.key for i in chosen.sample.items] == ["BEFORE-1", "IN-1"] and chosen.unmatched == ()


def test_a_one_column_selection_under_the_auditors_own_header_is_read(new_project: OpenProject,
                                                                       tmp_path: Path) -> None:
    _population(new_project, tmp_path, "101,2026-02-01\n102,2026-02-02\n103,2026-02-03\n")
    book = Workbook()
    book.active.append(["Selected key"])
    for key in ("101", "103", "999"):
        book.active.append([key])
    book.save(tmp_path / "selection.xlsx")
    chosen = import_selection(new_project, "CHG-1", tmp_path / "selection.xlsx").value
    assert [i.key for i in chosen.sample.items] == ["101", "103"] and chosen.unmatched == ("999",)


def test_a_type_one_project_draws_from_the_whole_population(new_project: OpenProject, tmp_path: Path) -> None:
    _population(new_project, tmp_path, "OLD-1,2025-10-01\nOLD-2,2025-11-02\n")
    update_settings(new_project, report_type="type1", period_start=date(2026, 3, 31), period_end=date(2026, 3, 31))
    assert sorted(i.key for i in draw_sample(new_project, "CHG-1", seed="s").value.items) == ["OLD-1", "OLD-2"]
