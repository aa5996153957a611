"""`workbench check` catches an edited, reordered or deleted audit-trail entry and an altered evidence blob.

Each tampering is done the way someone with the file would do it: straight in SQLite, with the program closed.
The file records its chain head, so deleting the newest entries or rewriting every hash after an edit is caught
too. What the file alone cannot see is asserted as well, so the limit stays documented: a tamperer who rewrites
the chain AND the recorded head leaves a file sound in itself; that is noticed by comparing the chain head with
the one printed in an earlier export (every export prints it), which the last test shows.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import FixedClock
from workbench.cli import main
from workbench.domain.audit_chain import entry_hash
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import AssessmentStatus, Category, ReportType
from workbench.services.assessment import assess
from workbench.services.controls import add_control, update_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.exports.workbook import export_xlsx
from workbench.services.integrity import check_project
from workbench.services.project import NewProject, create_project, project_status
from workbench.services.session import open_project

EVIDENCE = b"user,decision\nana,keep\nbo,remove\n" * 50
MIDDLE = 3


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project with a trail of several entries, made once; each test tampers with its own copy."""
    path = tmp_path_factory.mktemp("tamper") / "base.soc2"
    spec = NewProject("Tamper Co", "Platform", ReportType.TYPE2, (Category.SECURITY,), date(2026, 1, 1),
                      date(2026, 6, 30))
    clock = FixedClock()
    with create_project(path, spec, actor="ana", clock=clock) as project:
        for ref in ("AC-1", "AC-2", "AC-3"):
            clock.advance(minutes=1)
            add_control(project, ControlDraft(ref, f"Control {ref}", criteria=("CC6.1",)))
        clock.advance(minutes=1)
        add_evidence_bytes(project, "review.csv", EVIDENCE, EvidenceMeta("AC-1", "Access review"))
        clock.advance(minutes=1)
        assess(project, "CC6.1", AssessmentStatus.MET, "reviewed")
        clock.advance(minutes=1)
        update_control(project, "AC-2", ControlDraft("AC-2", "Control AC-2, renamed", criteria=("CC6.1",)))
    return path


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "project.soc2"
    shutil.copyfile(base, path)
    return path


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """The file opened as a tamperer would: plain SQLite, committed and closed at the end."""
    with closing(sqlite3.connect(path)) as connection:
        yield connection
        connection.commit()


def entries(path: Path) -> list[tuple]:
    with raw(path) as connection:
        return connection.execute(
            "SELECT seq, at, actor, action, entity, entity_key, summary, prev_hash, hash FROM audit_entries "
            "ORDER BY seq").fetchall()


def chain_problem(path: Path) -> str | None:
    """Return what check_project says about the audit trail (None when it finds the chain sound)."""
    with open_project(path, backup_on_open=False) as project:
        results = {r.name: r for r in check_project(project)}
    return results["audit trail chain"].problem


def run_check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], list[str]]:
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def assert_cli_names(path: Path, capsys: pytest.CaptureFixture[str], check: str, phrase: str) -> None:
    """`workbench check` exits 2 with one clear error line naming the file, the failed check and the phrase."""
    code, out, err = run_check(path, capsys)
    assert code == 2
    assert len(err) == 1, err
    assert err[0].startswith("error: ") and str(path) in err[0] and check in err[0] and phrase in err[0]
    assert f"{check}: FAILED - " in "\n".join(out)


def test_the_untouched_trail_is_sound(copy, capsys):
    assert len(entries(copy)) >= 6
    assert chain_problem(copy) is None
    code, out, err = run_check(copy, capsys)
    assert code == 0 and err == []
    assert "audit trail chain: ok" in out


@pytest.mark.parametrize("column, value", [
    ("summary", '{"after": {"title": "something else"}}'),
    ("action", "delete"),
    ("at", "2020-01-01T00:00:00+00:00"),
    ("actor", "mallory"),
    ("entity_key", "AC-9"),
    ("hash", "f" * 64),
])
def test_an_edited_entry_is_named_as_the_first_broken_one(copy, capsys, column, value):
    with raw(copy) as connection:
        connection.execute(f"UPDATE audit_entries SET {column} = ? WHERE seq = ?", (value, MIDDLE))
    problem = chain_problem(copy)
    assert problem is not None and f"entry {MIDDLE} " in problem and "was altered" in problem
    assert_cli_names(copy, capsys, "audit trail chain", f"entry {MIDDLE} ")


def test_a_relinked_entry_is_named(copy, capsys):
    with raw(copy) as connection:
        connection.execute("UPDATE audit_entries SET prev_hash = ? WHERE seq = ?", ("0" * 64, MIDDLE))
    assert chain_problem(copy) == f"audit trail entry {MIDDLE} does not link to entry {MIDDLE - 1}"
    assert_cli_names(copy, capsys, "audit trail chain", f"entry {MIDDLE} does not link")


def test_the_first_of_several_edits_is_the_one_reported(copy):
    with raw(copy) as connection:
        connection.execute("UPDATE audit_entries SET summary = '{}' WHERE seq IN (?, ?)", (MIDDLE + 2, MIDDLE))
    assert f"entry {MIDDLE} " in (chain_problem(copy) or "")


def test_a_swapped_pair_is_reported_at_the_first_moved_entry(copy, capsys):
    with raw(copy) as connection:
        connection.execute("UPDATE audit_entries SET seq = -1 WHERE seq = ?", (MIDDLE,))
        connection.execute("UPDATE audit_entries SET seq = ? WHERE seq = ?", (MIDDLE, MIDDLE + 1))
        connection.execute("UPDATE audit_entries SET seq = ? WHERE seq = -1", (MIDDLE + 1,))
    assert chain_problem(copy) == f"audit trail entry {MIDDLE} does not link to entry {MIDDLE - 1}"
    assert_cli_names(copy, capsys, "audit trail chain", f"entry {MIDDLE} ")


@pytest.mark.parametrize("seq", [1, MIDDLE])
def test_a_deleted_entry_is_reported_as_missing(copy, capsys, seq):
    with raw(copy) as connection:
        connection.execute("DELETE FROM audit_entries WHERE seq = ?", (seq,))
    assert chain_problem(copy) == f"audit trail entry {seq} is missing (found {seq + 1} next)"
    assert_cli_names(copy, capsys, "audit trail chain", f"entry {seq} is missing")


def test_a_deleted_entry_with_the_rest_renumbered_is_still_caught(copy):
    with raw(copy) as connection:
        connection.execute("DELETE FROM audit_entries WHERE seq = ?", (MIDDLE,))
        connection.execute("UPDATE audit_entries SET seq = seq - 1 WHERE seq > ?", (MIDDLE,))
    # Renumbering breaks the seal of every later entry (seq is sealed) and the link of the first one.
    assert chain_problem(copy) == f"audit trail entry {MIDDLE} does not link to entry {MIDDLE - 1}"


def _head_printed_in_a_workbook(path: Path, folder: Path) -> str:
    with open_project(path, backup_on_open=False) as project:
        export_xlsx(project, folder / "before.xlsx")
    about = load_workbook(folder / "before.xlsx", read_only=True)["Cover"]
    return next(row[1] for row in about.iter_rows(values_only=True) if row[0] == "Audit-trail chain head")


def test_deleting_the_last_entries_is_caught_by_the_recorded_head(copy, tmp_path, capsys):
    printed = _head_printed_in_a_workbook(copy, tmp_path)
    trail = entries(copy)
    assert printed == trail[-1][-1]
    with raw(copy) as connection:
        connection.execute("DELETE FROM audit_entries WHERE seq >= ?", (len(trail) - 1,))
    last = len(trail) - 2
    assert chain_problem(copy) == (
        f"audit trail entry {last + 1} is missing (the trail ends at {last}, the file recorded {len(trail)})")
    assert_cli_names(copy, capsys, "audit trail chain", f"entry {last + 1} is missing")


def _rewrite_from(path: Path, trail: list[tuple], first: int) -> str:
    """Blank the summary of entry `first` and recompute every later hash (the chain is keyless SHA-256)."""
    prev = trail[first - 2][-1]
    with raw(path) as connection:
        for seq, at, actor, action, entity, key, summary, _, _ in trail[first - 1:]:
            summary = "{}" if seq == first else summary
            digest = entry_hash(prev, seq, at, actor, action, entity, key, summary)
            connection.execute("UPDATE audit_entries SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                               (summary, prev, digest, seq))
            prev = digest
    return prev


def test_a_trail_rewritten_with_fresh_hashes_is_caught_by_the_recorded_head(copy):
    trail = entries(copy)
    _rewrite_from(copy, trail, MIDDLE)
    assert chain_problem(copy) == (
        f"audit trail entry {len(trail)} is not the one the file recorded as the last "
        f"(head {trail[-1][-1][:16]}…)")


def test_a_rewritten_trail_and_head_are_seen_only_against_an_exported_head(copy, tmp_path):
    printed = _head_printed_in_a_workbook(copy, tmp_path)
    trail = entries(copy)
    forged = _rewrite_from(copy, trail, MIDDLE)
    with raw(copy) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{len(trail)} {forged}",))
    # The file is sound in itself: this is the documented limit of a keyless chain.
    assert chain_problem(copy) is None
    # The head now reported (status, and every new export) differs from the one the auditor was given.
    with open_project(copy, backup_on_open=False) as project:
        assert project_status(project).audit_head == forged != printed
