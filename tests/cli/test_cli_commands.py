"""The command-line contract (DESIGN.md section 6), run in-process through workbench.cli.main."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workbench import __version__
from workbench.cli import main
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.services.controls import add_control
from workbench.services.session import open_project

STATUS_CONTRACT = {
    "project": {"organization", "system", "report_type", "categories", "period"},
    "criteria": {"in_scope", "met", "partially_met", "gap", "not_applicable", "not_assessed"},
    "controls": {"total", "implemented", "unmapped"},
    "evidence": {"items", "controls_without_evidence"},
}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)

    def assert_user_error(self, *phrases: str) -> str:
        """Exit status 2, exactly one stderr line `error: ...` with the phrases in it; return that line."""
        assert self.code == 2, (self.code, self.err)
        assert len(self.err_lines) == 1, self.err
        line = self.err_lines[0]
        assert line.startswith("error: ")
        assert "Traceback" not in self.err
        for phrase in phrases:
            assert phrase in line
        return line


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: object) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's own exits (--version, bad arguments)
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def made(cli: Callable[..., Run], folder: Path) -> Path:
    """A project made with `workbench new`: Type II, security + availability, from 2026-01-01."""
    path = folder / "acme.soc2"
    run = cli("new", path, "--org", "Acme Ltd", "--system", "Acme Cloud", "--report-type", "type2",
              "--categories", "availability", "--period-start", "2026-01-01")
    assert run.code == 0, run.err
    assert run.err == ""
    return path


def _only_project_in(folder: Path, name: str = "acme.soc2") -> None:
    assert sorted(os.listdir(folder)) == [name]


def _status(cli: Callable[..., Run], path: Path) -> dict[str, Any]:
    run = cli("status", path, "--json")
    assert run.code == 0, run.err
    return run.json()


def _add_control(path: Path, ref: str = "BK-1") -> None:
    with open_project(path) as project:
        add_control(project, ControlDraft(ref, "Nightly backups", owner="Ops", frequency=Frequency.DAILY,
                                          criteria=("A1.2", "CC7.4")))


def _fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# -- basics ----------------------------------------------------------------------------------------------


def test_version(cli: Callable[..., Run]) -> None:
    run = cli("--version")
    assert run.code == 0
    assert run.out.strip() == f"SOC 2 Workbench {__version__}"


def test_catalog_json_lists_61_criteria_with_the_contract_keys(cli: Callable[..., Run]) -> None:
    run = cli("catalog", "--json")
    assert run.code == 0 and run.err == ""
    entries = run.json()
    assert len(entries) == 61
    assert all(set(e) == {"id", "category", "series", "series_title", "summary"} for e in entries)
    assert entries[0]["id"] == "CC1.1" and entries[-1]["id"] == "P8.1"
    assert {e["category"] for e in entries} == {
        "security", "availability", "confidentiality", "processing-integrity", "privacy"}
    cc6 = next(e for e in entries if e["id"] == "CC6.1")
    assert (cc6["series"], cc6["series_title"]) == ("CC6", "Logical and Physical Access Controls")


def test_catalog_text_shows_series_headings(cli: Callable[..., Run]) -> None:
    run = cli("catalog")
    assert run.code == 0
    assert "CC6 Logical and Physical Access Controls (Security)" in run.out
    assert sum(1 for line in run.out.splitlines() if line.startswith("  ")) == 61


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["frobnicate"], "frobnicate"),
        (["evidence"], "ACTION"),
        (["status"], "project"),
        (["assess", "x.soc2"], "--status"),
        (["catalog", "--yaml"], "--yaml"),
    ],
)
def test_bad_command_lines_are_one_error_line(cli: Callable[..., Run], folder: Path, args: list[str],
                                              phrase: str) -> None:
    cli(*args).assert_user_error(phrase)
    assert os.listdir(folder) == []


def test_no_command_is_one_error_line(cli: Callable[..., Run]) -> None:
    cli().assert_user_error()


# -- new and status --------------------------------------------------------------------------------------


def test_new_then_status_json(cli: Callable[..., Run], made: Path, folder: Path) -> None:
    document = _status(cli, made)
    assert set(STATUS_CONTRACT) | {"steps", "readiness"} <= set(document)
    for key, fields in STATUS_CONTRACT.items():
        assert fields <= set(document[key]), key
    assert document["project"] == {
        "organization": "Acme Ltd", "system": "Acme Cloud", "report_type": "type2",
        "categories": ["security", "availability"], "period": {"start": "2026-01-01", "end": "2026-06-30"},
    }
    assert document["criteria"]["in_scope"] == 36
    assert document["criteria"]["not_assessed"] == 36
    assert len(document["steps"]) == 6
    assert all({"number", "title", "progress"} <= set(step) for step in document["steps"])
    assert document["readiness"] == 0.0
    _only_project_in(folder)


def test_new_reports_what_it_made(cli: Callable[..., Run], folder: Path) -> None:
    run = cli("new", folder / "t1.soc2", "--org", "Acme", "--report-type", "type1", "--period-start", "2026-09-30")
    assert run.code == 0
    assert "Type I" in run.out and "33 criteria in scope" in run.out
    period = _status(cli, folder / "t1.soc2")["project"]["period"]
    assert period == {"start": "2026-09-30", "end": "2026-09-30"}


def test_new_with_period_months(cli: Callable[..., Run], folder: Path) -> None:
    path = folder / "p.soc2"
    assert cli("new", path, "--org", "Acme", "--period-start", "2026-04-01", "--period-months", "12").code == 0
    assert _status(cli, path)["project"]["period"] == {"start": "2026-04-01", "end": "2027-03-31"}


def test_status_text(cli: Callable[..., Run], made: Path) -> None:
    run = cli("status", made)
    assert run.code == 0
    assert run.out.startswith("Acme Ltd - Acme Cloud\n")
    assert "of 36 in scope" in run.out


def test_new_over_an_existing_file_is_refused(cli: Callable[..., Run], made: Path, folder: Path) -> None:
    before = _fingerprint(made)
    run = cli("new", made, "--org", "Other Co")
    run.assert_user_error(str(made), "already exists")
    assert _fingerprint(made) == before
    _only_project_in(folder)


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--period-start", "2026-13-01"], "2026-13-01"),
        (["--period-start", "yesterday"], "YYYY-MM-DD"),
        (["--period-months", "3"], "--period-months"),
        (["--period-start", "2026-01-01", "--period-months", "30"], "between 1 and 24"),
        (["--report-type", "type1", "--period-start", "2026-01-01", "--period-months", "3"], "Type I"),
        (["--report-type", "type3"], "type3"),
        (["--categories", "security,secrecy"], "secrecy"),
        (["--org", "   "], "--org"),
    ],
)
def test_new_with_bad_arguments_is_one_line_and_makes_nothing(cli: Callable[..., Run], folder: Path,
                                                              args: list[str], phrase: str) -> None:
    base = [] if "--org" in args else ["--org", "Acme"]
    run = cli("new", folder / "p.soc2", *base, *args)
    run.assert_user_error(phrase)
    assert os.listdir(folder) == []


def test_new_without_org_is_refused(cli: Callable[..., Run], folder: Path) -> None:
    cli("new", folder / "p.soc2").assert_user_error("--org")
    assert os.listdir(folder) == []


# -- assess ----------------------------------------------------------------------------------------------


def test_assess_moves_counts(cli: Callable[..., Run], made: Path, folder: Path) -> None:
    run = cli("assess", made, "cc 6.1", "--status", "met")
    assert run.code == 0 and run.out.strip() == "CC6.1: Met"
    assert cli("assess", made, "A1.2", "--status", "partially_met", "--note", "restore untested").code == 0
    assert cli("assess", made, "CC9.2", "--status", "not_applicable", "--note", "no vendors").code == 0
    criteria = _status(cli, made)["criteria"]
    assert criteria == {"in_scope": 36, "met": 1, "partially_met": 1, "gap": 0, "not_applicable": 1,
                        "not_assessed": 33}
    assert _status(cli, made)["readiness"] == pytest.approx(1.5 / 35, abs=1e-4)
    _only_project_in(folder)


def test_assess_unknown_criterion(cli: Callable[..., Run], made: Path, folder: Path) -> None:
    before = _fingerprint(made)
    line = cli("assess", made, "XX9.9", "--status", "met").assert_user_error("XX9.9")
    assert line.startswith("error: criterion XX9.9 : ")
    assert _fingerprint(made)[0] == before[0]
    _only_project_in(folder)


def test_assess_out_of_scope_criterion(cli: Callable[..., Run], made: Path) -> None:
    cli("assess", made, "PI1.1", "--status", "met").assert_user_error("PI1.1", "not in this project's scope")
    assert _status(cli, made)["criteria"]["met"] == 0


def test_assess_not_applicable_needs_a_note(cli: Callable[..., Run], made: Path) -> None:
    cli("assess", made, "CC1.1", "--status", "not_applicable").assert_user_error("--note")
    assert _status(cli, made)["criteria"]["not_applicable"] == 0


def test_assess_bad_status(cli: Callable[..., Run], made: Path) -> None:
    cli("assess", made, "CC1.1", "--status", "great").assert_user_error("great")


# -- refusing files that are not projects ------------------------------------------------------------------


def _text_file(folder: Path) -> Path:
    path = folder / "notes.soc2"
    path.write_text("not a project\n", encoding="utf-8")
    return path


def _foreign_file(folder: Path) -> Path:
    path = folder / "other.soc2"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    return path


def _missing_file(folder: Path) -> Path:
    return folder / "missing.soc2"


@pytest.mark.parametrize("maker", [_text_file, _foreign_file, _missing_file])
@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["check"], ["controls", "--json"]])
def test_commands_refuse_a_file_that_is_not_a_project(cli: Callable[..., Run], folder: Path,
                                                      maker: Callable[[Path], Path], command: list[str]) -> None:
    path = maker(folder)
    before = sorted(os.listdir(folder))
    content = path.read_bytes() if path.exists() else None
    run = cli(command[0], path, *command[1:])
    run.assert_user_error(str(path))
    assert run.out == ""
    assert sorted(os.listdir(folder)) == before
    assert (path.read_bytes() if path.exists() else None) == content


def test_status_on_a_damaged_project_is_one_line(cli: Callable[..., Run], made: Path,
                                                 damage: Callable[[Path], None]) -> None:
    damage(made)
    cli("status", made).assert_user_error(str(made), "damaged")


def test_status_on_a_damaged_project_is_refused(cli: Callable[..., Run], made: Path,
                                                damage: Callable[[Path], None]) -> None:
    damage(made)
    run = cli("status", made)
    assert run.code == 2
    assert run.err.startswith(f"error: {made} : is damaged")
    assert "Traceback" not in run.err


# -- check -----------------------------------------------------------------------------------------------


def test_check_passes_on_a_fresh_project(cli: Callable[..., Run], made: Path, folder: Path) -> None:
    run = cli("check", made)
    assert run.code == 0, run.err
    assert run.out.splitlines() == ["database integrity: ok", "evidence hashes: ok", "audit trail chain: ok"]
    assert run.err == ""
    _only_project_in(folder)


def test_check_fails_after_an_audit_entry_is_edited(cli: Callable[..., Run], made: Path, folder: Path) -> None:
    assert cli("assess", made, "CC1.1", "--status", "met").code == 0
    connection = sqlite3.connect(made)
    connection.execute("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 7")
    connection.commit()
    connection.close()
    run = cli("check", made)
    run.assert_user_error("audit trail chain", "entry 7")
    assert "audit trail chain: FAILED" in run.out
    _only_project_in(folder)


def test_check_fails_after_evidence_bytes_are_altered(cli: Callable[..., Run], made: Path, folder: Path,
                                                      tmp_path: Path) -> None:
    _add_control(made)
    source = tmp_path / "restore-test.txt"
    source.write_text("restore of 2026-02-01 verified\n", encoding="utf-8")
    run = cli("evidence", "add", made, source, "--control", "BK-1", "--json")
    assert run.code == 0, run.err
    (added,) = run.json()
    assert cli("check", made).code == 0
    connection = sqlite3.connect(made)
    connection.execute("UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ?",
                       (b"restore of 2026-02-01 FAILED!!\n", added["sha256"]))
    connection.commit()
    connection.close()
    run = cli("check", made)
    run.assert_user_error("evidence hashes", "restore-test.txt")
    _only_project_in(folder)


# -- evidence and controls -----------------------------------------------------------------------------------


def test_evidence_add_and_list_json(cli: Callable[..., Run], made: Path, folder: Path, tmp_path: Path) -> None:
    _add_control(made)
    source = tmp_path / "backup-report.csv"
    source.write_bytes(b"date,result\n2026-02-01,ok\n")
    run = cli("evidence", "add", made, source, "--control", "BK-1", "--title", "Backup report",
              "--collected", "2026-02-02", "--period-start", "2026-01-01", "--period-end", "2026-01-31", "--json")
    assert run.code == 0, run.err
    listed = cli("evidence", "list", made, "--json")
    assert listed.code == 0
    (item,) = listed.json()
    assert {"id", "control", "title", "filename", "sha256", "size"} <= set(item)
    assert (item["control"], item["title"], item["filename"], item["size"]) == (
        "BK-1", "Backup report", "backup-report.csv", 26)
    assert item["sha256"] == run.json()[0]["sha256"]
    assert (item["collected"], item["period_start"], item["period_end"]) == ("2026-02-02", "2026-01-01", "2026-01-31")
    assert _status(cli, made)["evidence"] == {"items": 1, "controls_without_evidence": 0}
    _only_project_in(folder)


def test_evidence_add_to_unknown_control(cli: Callable[..., Run], made: Path, tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_text("x", encoding="utf-8")
    cli("evidence", "add", made, source, "--control", "NOPE-1").assert_user_error("NOPE-1")
    assert cli("evidence", "list", made, "--json").json() == []


def test_evidence_add_needs_both_ends_of_the_period(cli: Callable[..., Run], made: Path, tmp_path: Path) -> None:
    _add_control(made)
    source = tmp_path / "x.txt"
    source.write_text("x", encoding="utf-8")
    cli("evidence", "add", made, source, "--control", "BK-1", "--period-start", "2026-01-01").assert_user_error(
        "--period-end")
    assert cli("evidence", "list", made, "--json").json() == []


def test_evidence_add_with_a_missing_file_adds_nothing(cli: Callable[..., Run], made: Path,
                                                       tmp_path: Path) -> None:
    _add_control(made)
    good = tmp_path / "good.txt"
    good.write_text("good\n", encoding="utf-8")
    cli("evidence", "add", made, good, tmp_path / "missing.txt", "--control", "BK-1").assert_user_error(
        "missing.txt", "no such file")
    assert cli("evidence", "list", made, "--json").json() == []


def test_controls_json(cli: Callable[..., Run], made: Path) -> None:
    _add_control(made, "BK-1")
    run = cli("controls", made, "--json")
    assert run.code == 0
    (control,) = run.json()
    assert {"ref", "title", "owner", "frequency", "status", "criteria"} <= set(control)
    assert (control["ref"], control["owner"], control["frequency"], control["status"]) == (
        "BK-1", "Ops", "daily", "not_started")
    assert control["criteria"] == ["A1.2", "CC7.4"]
    assert _status(cli, made)["controls"] == {"total": 1, "implemented": 0, "unmapped": 0}
