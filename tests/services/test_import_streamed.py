"""A streamed import (planned and written window by window) leaves what a whole plan leaves, and reports alike.

Windows of two rows and write batches of two make every record's repeats fall in later windows: merged where the
record is queued, written already, or unchanged so far; a repeat whose other values differ is quoted against its
first row read again; an ID repeated in another case is ignored naming the first spelling.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import DEFAULT_SPEC
from tests.services.test_reader_hostile import inline, xlsx
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Category
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_controls, list_controls
from workbench.services.importers import readers, stream, table_stream
from workbench.services.importers.engine import apply_plan, choose_mapping, import_register
from workbench.services.importers.kinds import CONTROLS
from workbench.services.importers.plan import plan_table
from workbench.services.importers.readers import ImportFileError
from workbench.services.importers.sources import read_table
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest

HEADER = ("Control ID", "Title", "Owner", "TSC")
CROSSWALK = [
    HEADER,
    ("AC-1", "Access reviews", "Jane", "CC6.1"),
    ("AC-2", "MFA", "Ana", "CC6.6"),
    ("AC-3", "Backups", "Ops", "A1.2"),
    ("AC-1", "Access reviews", "Jane", "CC6.2"),  # the same texts: merged, no warning
    ("AC-2", "Multi-factor sign-in", "Ana", "CC6.7"),  # another title: merged, the title named as not used
    ("ac-1", "Access reviews", "Jane", "CC6.3"),  # another case: ignored
    ("AC-4", "Logging", "", "CC7.2"),
    ("AC-1", "Access reviews", "Bob", "CC7.1; CC6.1"),  # another owner
    ("", "", "", ""),
    ("AC-5", "Change approval", "Dev", "CC8.1"),
    ("AC-4", "Logging", "", "CC7.3"),
]


def _csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _xlsx(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def _digest(project: OpenProject) -> str:
    with project.file.engine.connect() as connection:
        return content_digest(connection, history=False)


def _whole(project: OpenProject, path: Path) -> dict[str, Any]:
    """Import as a previewed plan is applied: the whole table planned, then written."""
    table = read_table(path, CONTROLS)
    with project.uow() as uow:
        mapping = choose_mapping(uow, CONTROLS, table, (), str(path))
        plan = plan_table(uow, CONTROLS, table, mapping, str(path))
    return apply_plan(project, plan).value.document


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "WINDOW_ROWS", 2)
    monkeypatch.setattr(stream, "WRITE_BATCH", 2)


@pytest.fixture
def twin(make_project: Callable[..., OpenProject], project_dir: Path) -> OpenProject:
    """A second project made like new_project (the same clock): the whole plan's side of each comparison."""
    return make_project(project_dir / "twin.soc2", DEFAULT_SPEC)


def _same(streamed: dict[str, Any], whole: dict[str, Any]) -> None:
    assert {k: v for k, v in streamed.items() if k != "dry_run"} == {k: v for k, v in whole.items() if k != "dry_run"}


@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_a_crosswalk_streamed_in_small_windows_imports_as_a_whole_plan(
        new_project: OpenProject, twin: OpenProject, tmp_path: Path, small_windows: None, write: Any) -> None:
    path = write(tmp_path / f"crosswalk{'.csv' if write is _csv else '.xlsx'}", CROSSWALK)
    streamed = import_register(new_project, CONTROLS, path)
    whole = _whole(twin, path)
    _same(streamed, whole)
    assert _digest(new_project) == _digest(twin)
    assert (streamed["created"], streamed["merged"], streamed["skipped"]) == (5, 4, 1)
    controls = {c.ref: c for c in list_controls(new_project)}
    assert controls["AC-1"].criteria == ("CC6.1", "CC6.2", "CC7.1") and controls["AC-2"].title == "MFA"
    messages = {p["row"]: p["message"] for p in streamed["problems"] if "already appears" in p["message"]}
    assert "owner 'Bob' (row 2: 'Jane')" in messages[9] and "title 'Multi-factor sign-in' (row 3: 'MFA')" in \
        messages[6]
    assert "as AC-1 (IDs that differ only in case" in messages[7] and 5 not in messages


def test_repeats_turn_an_update_unchanged_and_an_unchanged_record_updated(
        new_project: OpenProject, twin: OpenProject, tmp_path: Path, small_windows: None) -> None:
    existing = [ControlDraft("AC-1", "Access reviews", owner="Jane", criteria=("CC6.1", "CC6.2")),
                ControlDraft("AC-2", "MFA", owner="Ana", criteria=("CC6.6",))]
    for project in (new_project, twin):
        add_controls(project, existing)
    rows = [HEADER, ("AC-1", "Access reviews", "Jane", "CC6.1"), ("AC-2", "MFA", "Ana", "CC6.6"),
            ("AC-9", "New", "", ""), ("AC-1", "Access reviews", "Jane", "CC6.2"), ("AC-2", "MFA", "Ana", "CC6.7")]
    path = _csv(tmp_path / "again.csv", rows)
    streamed = import_register(new_project, CONTROLS, path)
    _same(streamed, _whole(twin, path))
    assert _digest(new_project) == _digest(twin)
    assert (streamed["created"], streamed["updated"], streamed["unchanged"]) == (1, 1, 1)
    assert {c.ref: c.criteria for c in list_controls(new_project)}["AC-2"] == ("CC6.6", "CC6.7")


def test_a_large_register_streams_in_windows_with_the_same_result(
        new_project: OpenProject, twin: OpenProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "WINDOW_ROWS", 500)
    rows = [HEADER] + [(f"C-{i:04d}", f"Control {i}", f"Owner {i % 7}", ("CC6.1", "CC7.2; CC8.1", "A1.2", "")[i % 4])
                       for i in range(2_300)] + [("C-0001", "Control 1", "Owner 1", "CC9.2")]
    path = _csv(tmp_path / "large.csv", rows)
    streamed = import_register(new_project, CONTROLS, path)
    _same(streamed, _whole(twin, path))
    assert _digest(new_project) == _digest(twin)
    assert (streamed["created"], streamed["merged"]) == (2_300, 1)


def test_a_file_that_fails_in_a_later_window_changes_nothing(new_project: OpenProject, tmp_path: Path,
                                                            small_windows: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_stream, "HEAD_ROWS", 3)
    monkeypatch.setattr(readers, "BATCH_ROWS", 2)  # the reading child sends two rows at a time
    cells = "".join(f'<row r="{n}">' + inline(f"A{n}", f"C-{n}") + inline(f"B{n}", f"Control {n}") + "</row>"
                    for n in range(3, 12))
    path = xlsx(tmp_path / "late.xlsx", cells + '<row r="12">' + inline("A12", "C-12") + inline("B12", "x" * 40_000)
                + "</row>", dimension="A1:C12")
    before = _digest(new_project)
    with pytest.raises(ImportFileError, match="too long"):
        import_register(new_project, CONTROLS, path)
    assert list_controls(new_project) == [] and _digest(new_project) == before


def test_a_file_changed_before_a_repeat_is_quoted_refuses_the_import(new_project: OpenProject, tmp_path: Path,
                                                                     small_windows: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = _csv(tmp_path / "moving.csv", CROSSWALK)
    reread = stream.StreamedPlanner.resolve

    def changed_meanwhile(self: stream.StreamedPlanner, again: Any) -> None:
        _csv(path, [HEADER, *[("ZZ-1", "Other", "", "")] * (len(CROSSWALK) - 1)])
        reread(self, again)

    monkeypatch.setattr(stream.StreamedPlanner, "resolve", changed_meanwhile)
    with pytest.raises(WorkbenchError, match="changed while it was being imported; nothing was imported"):
        import_register(new_project, CONTROLS, path)
    assert list_controls(new_project) == []


def test_out_of_scope_criteria_warn_on_every_row_in_every_window(make_project: Callable[..., OpenProject],
                                                                 project_dir: Path, tmp_path: Path,
                                                                 small_windows: None) -> None:
    project = make_project(project_dir / "available.soc2", DEFAULT_SPEC)
    assert Category.AVAILABILITY not in DEFAULT_SPEC.categories
    result = import_register(project, CONTROLS, _csv(tmp_path / "scope.csv", CROSSWALK))
    assert [p["row"] for p in result["problems"] if "outside this project's categories" in p["message"]] == [4]
    assert result["problems"] == sorted(result["problems"], key=lambda p: p["row"])


def test_a_large_text_file_is_read_again_as_imported_not_kept(new_project: OpenProject, twin: OpenProject,
                                                              tmp_path: Path, small_windows: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.csv"
    path.write_text("\n".join([",".join(HEADER), *(",".join(row) for row in CROSSWALK[1:]),
                               'AC-6,Keys "rotated" yearly,Sec,CC6.1']) + "\n", encoding="utf-8")  # quotes in a cell
    kept = import_register(twin, CONTROLS, path, dry_run=True)
    monkeypatch.setattr(readers, "CSV_KEPT_BYTES", 64)  # this file is larger: its rows are read again, not kept
    result = import_register(new_project, CONTROLS, path)
    kept.pop("preview")
    _same(result, kept)  # as planned from the rows kept
    assert {c.ref: c.title for c in list_controls(new_project)}["AC-6"] == 'Keys "rotated" yearly'
