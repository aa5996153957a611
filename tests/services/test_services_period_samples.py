"""Populations and samples (issue 18's acceptance): replacing imports, reproducible selection, the auditor's own
selection, results flowing into the report's exceptions, and undo of every edit restoring the project."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.safety import hostile_corpus as hostile
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError
from workbench.domain.testing import SampleResult
from workbench.services.changes import Change
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.populations import get_population, link_population_evidence, population_items
from workbench.services.report import list_reports
from workbench.services.samples import draw_sample, import_selection, record_result
from workbench.services.session import OpenProject
from workbench.store.digest import content_digest

DETAILS = (("control", "CHG-1"), ("source", "GitHub"), ("query", "merged PRs to main"),
           ("generated_at", "2026-07-02"), ("generated_by", "Ana"))


def _changes(path: Path, count: int, *, outside: int = 0) -> Path:
    lines = ["Change ID,Merged at,Author,Approver"]
    lines += [f"PR-{i:04d},2026-{1 + i % 6:02d}-{1 + i % 28:02d},dev{i % 7},lead" for i in range(count)]
    lines += [f"OLD-{i},2025-12-{10 + i},dev,lead" for i in range(outside)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _digest(project: OpenProject) -> str:
    with project.uow() as uow:
        return content_digest(uow.session.connection(), history=False)


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    add_control(new_project, ControlDraft("REV-1", "Quarterly access review", frequency=Frequency.QUARTERLY))
    return new_project


def _import(project: OpenProject, source: Path, **options: object) -> dict[str, object]:
    return import_register(project, POPULATIONS, source, details=DETAILS, **options)


def test_a_population_records_its_file_rows_details_and_flags_items_outside_the_period(
        project: OpenProject, tmp_path: Path) -> None:
    source = _changes(tmp_path / "changes.csv", 300, outside=2)
    result = _import(project, source)
    assert result["population"] == 302 and result["previous_rows"] is None and result["out_of_period"] == 2
    assert sum(1 for p in result["problems"] if "outside the period" in p["message"]) == 2
    population = get_population(project, "CHG-1")
    assert population is not None and population.row_count == 302 and population.out_of_period == 2
    assert population.info.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (population.info.source, population.info.generated_at) == ("GitHub", date(2026, 7, 2))
    first = population_items(project, "CHG-1")[0]
    assert first.key == "PR-0000" and first.in_period is True and ("Author", "dev0") in first.data
    again = _import(project, _changes(tmp_path / "later.csv", 310))
    assert again["previous_rows"] == 302 and again["row_change"] == 8


def test_reimporting_replaces_the_population_as_one_undoable_change(project: OpenProject, tmp_path: Path) -> None:
    from workbench.services.importers.engine import apply_plan, choose_mapping
    from workbench.services.importers.plan import plan_table
    from workbench.services.importers.sources import read_table

    _import(project, _changes(tmp_path / "a.csv", 20))
    evidence = add_evidence_bytes(project, "query.png", b"png", EvidenceMeta("CHG-1")).value
    link = link_population_evidence(project, "CHG-1", evidence.id)
    before = _digest(project)
    table = read_table(tmp_path / "a.csv", POPULATIONS)
    source = _changes(tmp_path / "b.csv", 30)
    table = read_table(source, POPULATIONS)
    from workbench.services.importers.engine import checked_options
    options = checked_options(POPULATIONS, str(source), details=DETAILS)
    with project.uow() as uow:
        plan = plan_table(uow, POPULATIONS, table, choose_mapping(uow, POPULATIONS, table, (), str(source)),
                          str(source), options)
    change = apply_plan(project, plan)
    assert get_population(project, "CHG-1").row_count == 30
    assert get_population(project, "CHG-1").evidence_ids == (evidence.id,)
    assert change.inverse is not None
    change.inverse(project)
    assert _digest(project) == before
    unlinked = link.inverse(project)
    assert get_population(project, "CHG-1").evidence_ids == ()
    unlinked.inverse(project)
    assert get_population(project, "CHG-1").evidence_ids == (evidence.id,)


def _expected(keys: list[str], seed: str, size: int) -> list[str]:
    """The stated method, written out as an auditor would: SHA-256 hex of seed + key, ascending, first `size`."""
    return sorted(keys, key=lambda k: hashlib.sha256((seed + k).encode("utf-8")).hexdigest())[:size]


def test_300_changes_sampled_twice_with_one_seed_give_the_same_25_keys_the_method_predicts(
        project: OpenProject, tmp_path: Path) -> None:
    _import(project, _changes(tmp_path / "c.csv", 300))
    first = draw_sample(project, "CHG-1", seed="fieldwork-2026").value
    second = draw_sample(project, "CHG-1", seed="fieldwork-2026").value
    keys = [i.key for i in first.items]
    assert len(keys) == 25 and keys == [i.key for i in second.items]
    assert keys == _expected([f"PR-{i:04d}" for i in range(300)], "fieldwork-2026", 25)
    other = draw_sample(project, "CHG-1", seed="another").value
    assert [i.key for i in other.items] != keys and len(other.items) == 25
    assert first.seed == "fieldwork-2026" and "SHA-256" in first.method


def test_a_population_of_8_is_sampled_whole_and_a_size_override_needs_a_reason(
        project: OpenProject, tmp_path: Path) -> None:
    _import(project, _changes(tmp_path / "c.csv", 8))
    assert sorted(i.key for i in draw_sample(project, "CHG-1").value.items) == [f"PR-{i:04d}" for i in range(8)]
    with pytest.raises(WorkbenchError, match="--reason"):
        draw_sample(project, "CHG-1", size=3)
    assert draw_sample(project, "CHG-1", size=3, reason="auditor asked for 3").value.size == 3


def test_a_recurring_control_is_sampled_from_its_windows(project: OpenProject) -> None:
    sample = draw_sample(project, "REV-1", seed="s").value
    assert sample.basis.value == "windows" and {i.key for i in sample.items} == {"2026-Q1", "2026-Q2"}


def test_the_auditors_selection_imports_the_known_keys_and_reports_the_unknown_one(
        project: OpenProject, tmp_path: Path) -> None:
    _import(project, _changes(tmp_path / "c.csv", 50))
    selection = tmp_path / "selection.csv"
    selection.write_text("Sample #,Ticket ID,Comment\n1,PR-0003,\n2,PR-0010,\n3,PR-9999,typo?\n", encoding="utf-8")
    result = import_selection(project, "CHG-1", selection).value
    assert [i.key for i in result.sample.items] == ["PR-0003", "PR-0010"] and result.unmatched == ("PR-9999",)
    assert result.sample.from_file == "selection.csv"


@pytest.mark.parametrize("header", ["Key", "Ticket ID", "change id"])
def test_a_one_column_selection_of_keys_under_a_plain_header_imports(project: OpenProject, tmp_path: Path,
                                                                     header: str) -> None:
    _import(project, _changes(tmp_path / "c.csv", 50))
    selection = tmp_path / "keys.csv"
    selection.write_text(f"{header}\nPR-0007\nPR-0042\nPR-7777\n", encoding="utf-8")
    result = import_selection(project, "CHG-1", selection).value
    assert [i.key for i in result.sample.items] == ["PR-0007", "PR-0042"] and result.unmatched == ("PR-7777",)
    assert [i.day for i in result.sample.items] == [date(2026, 2, 8), date(2026, 1, 15)]


def test_a_population_dated_in_an_applied_on_or_granted_on_column_keeps_its_dates(project: OpenProject,
                                                                                   tmp_path: Path) -> None:
    source = tmp_path / "applies.csv"
    source.write_text("change_id,applied_on,summary\nTF-1,2026-03-02,Rotate keys\n"
                      "TF-2,2026-03-09,Scale workers\n", encoding="utf-8")
    _import(project, source)
    assert [(i.key, i.day) for i in population_items(project, "CHG-1")] == [
        ("TF-1", date(2026, 3, 2)), ("TF-2", date(2026, 3, 9))]


def test_an_exception_appears_among_the_reports_exceptions_and_blocks_a_new_sample(
        project: OpenProject, tmp_path: Path) -> None:
    _import(project, _changes(tmp_path / "c.csv", 30))
    sample = draw_sample(project, "CHG-1", seed="x").value
    key = sample.items[0].key
    exception_id = record_result(project, "CHG-1", key, SampleResult.EXCEPTION, note="merged without approval").value
    exceptions = [e for r in list_reports(project) for e in r.exceptions]
    assert [e.id for e in exceptions] == [exception_id] and key in exceptions[0].reference
    assert "merged without approval" in exceptions[0].description and exceptions[0].management_response == ""
    with pytest.raises(WorkbenchError, match="already has results"):
        draw_sample(project, "CHG-1")


def test_undo_of_every_new_edit_restores_the_project(project: OpenProject, tmp_path: Path) -> None:
    source = _changes(tmp_path / "c.csv", 40)
    empty = _digest(project)
    edits: list[Callable[[], Change[object]]] = [
        lambda: draw_sample(project, "REV-1", seed="a"),
        lambda: draw_sample(project, "REV-1", seed="b"),
    ]
    for edit in edits:
        before = _digest(project)
        change = edit()
        change.inverse(project)
        assert _digest(project) == before
        edit()
    _import(project, source)
    for edit in (lambda: draw_sample(project, "CHG-1", seed="a"),
                 lambda: import_selection(project, "CHG-1", _selection(tmp_path)),
                 lambda: record_result(project, "CHG-1", "PR-0001", SampleResult.EXCEPTION, note="late"),
                 lambda: record_result(project, "CHG-1", "PR-0001", SampleResult.PASS),
                 lambda: record_result(project, "CHG-1", "PR-0001", SampleResult.EXCEPTION, note="again")):
        before = _digest(project)
        change = edit()
        redo = change.inverse(project)
        assert _digest(project) == before
        redo.inverse(project)
    assert _digest(project) != empty


def _selection(folder: Path) -> Path:
    path = folder / "sel.csv"
    path.write_text("Ticket ID,Comment\nPR-0001,\nPR-0002,ok\n", encoding="utf-8")
    return path


def _text(name: str, content: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        (folder / name).write_text(content, encoding="utf-8")
        return folder / name
    return build


@pytest.mark.parametrize("build", [
    _text("empty.csv", ""),
    _text("headers.csv", "Change ID,Merged at\n"),
    _text("nokey.csv", "Colour,Size\nred,3\n"),
    hostile.zip_bomb_declared,
    hostile.laughs_in_shared_strings,
    hostile.zip_bomb_lying,
])
def test_bad_population_files_give_one_error_and_change_nothing(project: OpenProject, tmp_path: Path,
                                                                build: Callable[[Path], Path]) -> None:
    _import(project, _changes(tmp_path / "good.csv", 12))
    before = _digest(project)
    folder = tmp_path / "bad"
    folder.mkdir()
    with pytest.raises(WorkbenchError):
        _import(project, build(folder))
    assert _digest(project) == before


def test_the_sample_workbook_states_method_and_seed_and_keeps_population_text_inert(
        project: OpenProject, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from workbench.services.exports.sample_workbook import export_sample_workbook

    source = tmp_path / "c.csv"
    source.write_text("Change ID,Merged at,Title\nPR-1,2026-02-01,=HYPERLINK(\"x\")\nPR-2,2026-02-02,ok\n",
                      encoding="utf-8")
    _import(project, source)
    draw_sample(project, "CHG-1", seed="s1")
    out = tmp_path / "sample.xlsx"
    export_sample_workbook(project, "CHG-1", out)
    book = load_workbook(out)
    method = {row[0]: row[1] for row in book["Method"].iter_rows(values_only=True)}
    assert method["Seed"] == "s1" and "SHA-256" in method["Method"] and method["Population rows"] == 2
    cells = [c for row in book["Population"].iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)
    assert sorted(row[1] for row in book["Sample"].iter_rows(min_row=2, values_only=True)) == ["PR-1", "PR-2"]


def test_an_exception_without_a_note_is_refused_and_nothing_is_written(project: OpenProject, tmp_path: Path) -> None:
    _import(project, _changes(tmp_path / "c.csv", 30))
    key = draw_sample(project, "CHG-1", seed="x").value.items[0].key
    before = _digest(project)
    with pytest.raises(WorkbenchError, match="an exception needs the tester's note"):
        record_result(project, "CHG-1", key, SampleResult.EXCEPTION, note="  ")
    assert _digest(project) == before and not [e for r in list_reports(project) for e in r.exceptions]
