"""Automatic backups: taken on open (not when nothing changed), thinned by age, listed and restored safely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from workbench.cli import main
from workbench.domain.entities import ControlDraft
from workbench.domain.errors import ProjectFileError, ProjectLockedError
from workbench.services.backups import backups_folder, list_backups, resolve_backup, restore_backup
from workbench.services.controls import add_control, list_controls
from workbench.services.integrity import check_project
from workbench.services.session import open_project
from workbench.store.backups import folder_name

REPO = Path(__file__).resolve().parents[2]


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.soc2"))


def _refs(path: Path, clock: Any) -> list[str]:
    with open_project(path, clock=clock, backup_on_open=False) as project:
        return [c.ref for c in list_controls(project)]


def _add(path: Path, clock: Any, ref: str) -> None:
    with open_project(path, clock=clock) as project:
        add_control(project, ControlDraft(ref, f"Control {ref}", criteria=("CC6.1",)))


def test_opening_takes_a_backup_once_and_skips_it_while_nothing_changed(closed_project, clock, data_dir):
    folder = backups_folder(closed_project)
    assert folder.parent == data_dir / "backups"
    with open_project(closed_project, clock=clock) as project:
        first = project.open_backup
    assert first is not None and first.parent == folder
    for _ in range(10):  # opening ten times a day does not make ten copies
        clock.advance(minutes=5)
        with open_project(closed_project, clock=clock) as project:
            assert project.open_backup is None and project.backup_problem is None
    assert _names(folder) == [first.name]
    # The backup holds the project as it was when opened.
    with open_project(first, clock=clock, backup_on_open=False) as copy:
        assert all(result.ok for result in check_project(copy))


def test_a_change_since_the_newest_backup_gives_a_new_one_at_the_next_open(closed_project, clock):
    _add(closed_project, clock, "AC-1")  # the first open backs up the empty project, then AC-1 is added
    clock.advance(minutes=1)
    with open_project(closed_project, clock=clock) as project:
        second = project.open_backup
    assert second is not None
    assert _refs(second, clock) == ["AC-1"]
    assert len(list_backups(closed_project)) == 2


def test_backups_in_the_same_second_get_distinct_names(closed_project, clock):
    for ref in ("A-1", "A-2", "A-3"):
        _add(closed_project, clock, ref)  # the clock never moves
    names = _names(backups_folder(closed_project))
    assert names == ["acme-20260302-093000-on-open-2.soc2", "acme-20260302-093000-on-open-3.soc2",
                     "acme-20260302-093000-on-open.soc2"]
    assert [b.number for b in list_backups(closed_project)] == [1, 2, 3]
    assert _refs(list_backups(closed_project)[0].path, clock) == ["A-1", "A-2"]  # newest first


def test_old_backups_are_thinned_after_each_new_one_fixed_clock(closed_project, clock):
    # One changed open a day for three weeks, then one more: only today's, one a day for the last week and
    # one a week before that remain.
    for day in range(22):
        _add(closed_project, clock, f"D-{day}")
        clock.advance(days=1)
    with open_project(closed_project, clock=clock) as project:
        assert project.open_backup is not None
    taken = [b.taken_at.date() for b in list_backups(closed_project)]
    today = clock.now.date()
    ages = sorted((today - d).days for d in taken)
    assert ages[:7] == [0, 1, 2, 3, 4, 5, 6]
    assert len(ages) == len(set(ages))
    weekly = [a for a in ages if a >= 7]
    assert 2 <= len(weekly) <= 3 and len(ages) < 22
    weeks = {(today - timedelta(days=a)).isocalendar()[:2] for a in weekly}
    assert len(weeks) == len(weekly)  # one a week


def test_same_name_in_two_folders_keeps_separate_backups(make_project, tmp_path, clock):
    first, second = tmp_path / "one" / "acme.soc2", tmp_path / "two" / "acme.soc2"
    for path in (first, second):
        path.parent.mkdir()
        make_project(path).close()
        open_project(path, clock=clock).close()
    assert backups_folder(first) != backups_folder(second)
    assert folder_name(first).startswith("acme-")
    assert folder_name(first) == folder_name(first.parent / "." / "acme.soc2")
    assert len(list_backups(first)) == len(list_backups(second)) == 1


def test_a_backup_that_cannot_be_written_does_not_block_opening(closed_project, clock, data_dir):
    (data_dir / "backups").write_text("a file where the folder should be")
    with open_project(closed_project, clock=clock) as project:
        assert project.open_backup is None
        assert "automatic backup could not be taken" in (project.backup_problem or "")
        assert get_ok(project)


def get_ok(project: Any) -> bool:
    return all(result.ok for result in check_project(project))


def test_restore_keeps_the_current_file_and_gives_a_checked_project(closed_project, clock):
    _add(closed_project, clock, "AC-1")  # backup 1: the empty project
    clock.advance(minutes=1)
    _add(closed_project, clock, "AC-2")  # backup 2: AC-1
    clock.advance(minutes=1)
    with_one = next(b.path for b in list_backups(closed_project) if b.entries and _refs(b.path, clock) == ["AC-1"])
    clock.advance(minutes=1)
    assert restore_backup(closed_project, with_one, clock=clock) == closed_project
    assert _refs(closed_project, clock) == ["AC-1"]
    newest = list_backups(closed_project)[0]
    assert newest.reason == "before-restore" and newest.reason_label == "before restore"
    assert _refs(newest.path, clock) == ["AC-1", "AC-2"]  # the replaced file was kept
    with open_project(closed_project, clock=clock, backup_on_open=False) as project:
        assert get_ok(project)
    # ... and the restore itself can be undone by restoring that backup.
    restore_backup(closed_project, newest.path, clock=clock)
    assert _refs(closed_project, clock) == ["AC-1", "AC-2"]


def test_restore_is_refused_while_the_project_is_open(closed_project, clock, fingerprint):
    open_project(closed_project, clock=clock).close()
    backup = list_backups(closed_project)[0].path
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom workbench.services.session import open_project\n"
         "p = open_project(sys.argv[1], backup_on_open=False)\nprint('open', flush=True)\ntime.sleep(60)",
         str(closed_project)],
        stdout=subprocess.PIPE, text=True, env={**os.environ},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = fingerprint(closed_project)
        with pytest.raises(ProjectLockedError, match="already open"):
            restore_backup(closed_project, backup, clock=clock)
        assert fingerprint(closed_project) == before
        assert not [p for p in closed_project.parent.iterdir() if "restoring" in p.name]  # no staged copy left
    finally:
        holder.kill()
        holder.wait(30)
    # In this very process too.
    with open_project(closed_project, clock=clock, backup_on_open=False), pytest.raises(ProjectLockedError):
        restore_backup(closed_project, backup, clock=clock)
    assert len(list_backups(closed_project)) == 1


def test_a_damaged_backup_is_refused_by_name_and_nothing_changes(closed_project, clock, damage, fingerprint):
    open_project(closed_project, clock=clock).close()
    backup = list_backups(closed_project)[0].path
    damage(backup)
    before = fingerprint(closed_project)
    with pytest.raises(ProjectFileError) as caught:
        restore_backup(closed_project, backup, clock=clock)
    assert caught.value.what == str(backup) and "damaged" in caught.value.why
    assert fingerprint(closed_project) == before
    assert len(list_backups(closed_project)) == 1  # no "before-restore" copy was needed
    listed = list_backups(closed_project)[0]
    assert listed.entries is None or listed.problem is None  # listing never fails on a damaged backup


def test_a_not_a_project_backup_is_refused(closed_project, tmp_path, clock):
    stray = tmp_path / "notes.soc2"
    stray.write_text("hello")
    with pytest.raises(ProjectFileError, match="not a SOC 2 Workbench project"):
        restore_backup(closed_project, stray, clock=clock)


def test_a_damaged_project_can_be_restored_and_its_bytes_are_kept(closed_project, clock, damage):
    open_project(closed_project, clock=clock).close()
    good = list_backups(closed_project)[0].path
    damage(closed_project)
    damaged_bytes = closed_project.read_bytes()
    with pytest.raises(ProjectFileError, match="damaged"):
        open_project(closed_project, clock=clock)
    restore_backup(closed_project, good, clock=clock)
    with open_project(closed_project, clock=clock, backup_on_open=False) as project:
        assert get_ok(project)
    kept = list_backups(closed_project)[0]
    assert kept.reason == "before-restore" and kept.path.read_bytes() == damaged_bytes


def test_resolve_backup_by_number_or_path(closed_project, clock, tmp_path):
    open_project(closed_project, clock=clock).close()
    only = list_backups(closed_project)[0].path
    assert resolve_backup(closed_project, "1") == only
    assert resolve_backup(closed_project, str(only)) == only
    with pytest.raises(Exception, match="no backup number 2"):
        resolve_backup(closed_project, "2")
    with pytest.raises(Exception, match="no such backup file"):
        resolve_backup(closed_project, tmp_path / "missing.soc2")


def test_cli_lists_and_restores(closed_project, clock, capsys: pytest.CaptureFixture[str]):
    _add(closed_project, clock, "AC-1")
    clock.advance(minutes=1)
    open_project(closed_project, clock=clock).close()
    assert main(["backups", "list", str(closed_project), "--json"]) == 0  # listing reads, never opens
    document = json.loads(capsys.readouterr().out)
    assert [b["number"] for b in document["backups"]] == [1, 2]
    assert document["backups"][1]["audit_entries"] < document["backups"][0]["audit_entries"]
    assert main(["backups", "list", str(closed_project)]) == 0
    text = capsys.readouterr().out
    assert "  1  " in text and "opened" in text and "audit entries" in text
    assert main(["backups", "restore", str(closed_project), "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"restored {closed_project}") and "before-restore" in out
    assert _refs(closed_project, clock) == []
    assert main(["backups", "restore", str(closed_project), "99"]) == 2
    assert "no backup number 99" in capsys.readouterr().err


def test_cli_in_a_child_process(closed_project: Path, tmp_path: Path) -> None:
    env = {**os.environ}
    run: Callable[..., subprocess.CompletedProcess[str]] = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert run("status", str(closed_project)).returncode == 0
    listed = run("backups", "list", str(closed_project))
    assert listed.returncode == 0 and "opened" in listed.stdout, listed.stderr
