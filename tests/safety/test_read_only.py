"""A project that can only be read opens read-only: reading, checking, exporting and dry runs work; every change
is refused in one line; nothing is written beside it, and its folder need not be writable.

The command-line tests run real children without root's power to ignore file permissions (through setpriv when
the tests run as root, as on CI); the in-process tests ask for a read-only open, which behaves the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import ProjectFileError, ProjectLockedError
from workbench.services.assessment import assess
from workbench.services.backups import list_backups
from workbench.services.exports.run import run_export
from workbench.services.importers.engine import import_controls
from workbench.services.integrity import check_project, project_digest
from workbench.services.session import OpenProject, open_project
from workbench.store import ProjectFile
from workbench.store.file_access import READ_ONLY_ASKED, READ_ONLY_FILE, READ_ONLY_FOLDER, is_hot_journal

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"
FIXTURES = REPO / "tests" / "migrations" / "fixtures"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
PROBE = "import sys\ntry:\n    open(sys.argv[1], 'ab').close()\nexcept PermissionError:\n    sys.exit(3)\n"

# Opens the project as an earlier version did (write-ahead log, held exclusively), makes one change and dies:
# the change is left in the -wal file beside the project.
CRASH_IN_WAL = """\
import os, sys
from workbench.domain.enums import AssessmentStatus
from workbench.services.assessment import assess
from workbench.services.session import open_project

project = open_project(sys.argv[1], backup_on_open=False)
raw = project.file.engine.raw_connection()
raw.driver_connection.execute("PRAGMA journal_mode=WAL")
raw.close()
assess(project, "CC1.1", AssessmentStatus.GAP, sys.argv[2])
os._exit(0)
"""

# Dies in the middle of a change big enough to spill into the file: a hot journal is left beside it.
CRASH_MID_CHANGE = """\
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA cache_size=2")
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE controls SET description = description || printf('%.2000c', 'x')")
os._exit(0)
"""

HOLD = """\
import sys
from workbench.store import ProjectFile
project = ProjectFile.open(sys.argv[1], read_only=sys.argv[2] == "read-only")
print("holding", project.read_only, flush=True)
sys.stdin.readline()
project.close()
"""

TRY_OPEN = """\
import sys
from workbench.domain.errors import ProjectFileError
from workbench.store import ProjectFile
try:
    ProjectFile.open(sys.argv[1], read_only=sys.argv[2] == "read-only").close()
except ProjectFileError as exc:
    print(exc.why)
else:
    print("opened")
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _python(*args: object, prefix: list[str] = (), cwd: Path | None = None,  # type: ignore[assignment]
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, *(str(a) for a in args)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=os.environ.copy(), input=stdin)


def _cli(prefix: list[str], cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return _python("-m", "workbench", *args, prefix=prefix, cwd=cwd)


def _current(folder: Path, name: str = "sample.soc2") -> Path:
    """A copy of the sample as this version leaves a project at rest (opened and closed once)."""
    path = folder / name
    shutil.copyfile(SAMPLE, path)
    open_project(path, backup_on_open=False).close()
    return path


def _earlier(folder: Path, name: str = "sample.soc2") -> Path:
    """A copy of the sample, of the current schema, in the write-ahead-log form earlier versions left at rest."""
    path = _current(folder, name)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()  # the last connection's close folds the log in and removes it; the form stays
    assert path.read_bytes()[18:20] == b"\x02\x02" and _listing(folder) == [name]
    return path


@pytest.fixture
def unprivileged(tmp_path: Path) -> list[str]:
    """The prefix that runs a child without root's power to ignore permissions; skip where that cannot be had."""
    if not hasattr(os, "geteuid"):
        pytest.skip("file permissions are not POSIX here")
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be made to apply to a child")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    probe.chmod(0o444)
    result = _python("-c", PROBE, probe, prefix=prefix)
    probe.chmod(0o644)
    probe.unlink()
    if result.returncode != 3:
        pytest.skip("this machine lets the test's child write read-only files, so read-only cannot be shown")
    return prefix


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A small control register and an evidence file, outside the project's folder."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    register = folder / "register.csv"
    register.write_text("Control ID,Control Title,Owner,Frequency,TSC Ref\n"
                        "RO-1,Read-only control one,Ops,Monthly,CC6.1\nRO-2,Read-only control two,IT,Annual,CC7.2\n",
                        encoding="utf-8")
    evidence = folder / "evidence.txt"
    evidence.write_text("a screenshot, in words\n", encoding="utf-8")
    return {"register": register, "evidence": evidence}


@pytest.fixture(params=[READ_ONLY_FILE, READ_ONLY_FOLDER])
def read_only(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A current-format project made read-only (the file, or its folder), with the reason the program gives."""
    folder = tmp_path / "projects"
    folder.mkdir()
    path = _current(folder)
    target = path if request.param == READ_ONLY_FILE else folder
    target.chmod(0o444 if target == path else 0o555)
    try:
        yield path, request.param
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


# -- the command line ----------------------------------------------------------------------------------------


def test_reading_checking_exporting_and_dry_runs_work_on_a_read_only_project(
    read_only: tuple[Path, str], unprivileged: list[str], inputs: dict[str, Path], tmp_path: Path
) -> None:
    path, reason = read_only
    before, listing = _sha(path), _listing(path.parent)
    out = tmp_path / "out"
    out.mkdir()

    status = _cli(unprivileged, tmp_path, "status", path, "--json")
    assert status.returncode == 0, status.stderr
    document = json.loads(status.stdout)
    assert document["read_only"] == reason and document["project"]["organization"]
    checked = _cli(unprivileged, tmp_path, "check", path)
    assert checked.returncode == 0 and "FAILED" not in checked.stdout, checked.stdout + checked.stderr
    controls = _cli(unprivileged, tmp_path, "controls", path, "--json")
    assert controls.returncode == 0 and len(json.loads(controls.stdout)) > 0, controls.stderr
    evidence = _cli(unprivileged, tmp_path, "evidence", "list", path, "--json")
    assert evidence.returncode == 0 and len(json.loads(evidence.stdout)) > 0, evidence.stderr
    exported = _cli(unprivileged, tmp_path, "export", "xlsx", path, out / "package.xlsx")
    assert exported.returncode == 0 and (out / "package.xlsx").stat().st_size > 0, exported.stderr
    dry = _cli(unprivileged, tmp_path, "import-controls", path, inputs["register"], "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["created"] == 2

    assert _sha(path) == before and _listing(path.parent) == listing


def test_every_change_to_a_read_only_project_is_refused_in_one_line(
    read_only: tuple[Path, str], unprivileged: list[str], inputs: dict[str, Path], tmp_path: Path
) -> None:
    path, reason = read_only
    before, listing = _sha(path), _listing(path.parent)
    refusal = f"error: {path} : cannot be changed: it is open read-only because {reason}; nothing was saved"
    for args in (["assess", path, "CC1.1", "--status", "gap"],
                 ["import-controls", path, inputs["register"]],
                 ["evidence", "add", path, inputs["evidence"], "--control", "AC-01"]):
        result = _cli(unprivileged, tmp_path, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [refusal], args
        assert result.stdout == ""
    assert _sha(path) == before and _listing(path.parent) == listing


def test_a_read_only_project_of_an_older_schema_is_refused_as_needing_an_upgrade(
    unprivileged: list[str], tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "old.soc2"
    shutil.copyfile(FIXTURES / "project-0001.soc2", path)
    path.chmod(0o444)
    before = _sha(path)
    result = _cli(unprivileged, tmp_path, "status", path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {path} : was made by an older version of SOC 2 Workbench and must be writable to be upgraded, but "
        "the file is read-only; make it writable (or copy it somewhere writable) and open it again"]
    assert _sha(path) == before and _listing(folder) == ["old.soc2"]
    assert not (data_dir / "backups").exists()
    path.chmod(0o644)
    upgraded = _cli([], tmp_path, "check", path)  # made writable, it upgrades (after a backup) and is sound
    assert upgraded.returncode == 0, upgraded.stderr
    assert _listing(folder) == ["old.soc2"]


def test_a_read_only_file_an_earlier_version_left_is_read_without_side_files(
    unprivileged: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = _earlier(folder, "earlier.soc2")
    path.chmod(0o444)
    before = _sha(path)
    for args in (["status", path, "--json"], ["check", path], ["controls", path, "--json"]):
        result = _cli(unprivileged, tmp_path, *args)
        assert result.returncode == 0, result.stderr
    assert _sha(path) == before and _listing(folder) == ["earlier.soc2"]


def test_changes_an_earlier_version_left_in_its_log_are_not_skipped_when_read_only(
    unprivileged: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = _current(folder)
    crashed = _python("-c", CRASH_IN_WAL, path, "kept in the log")
    assert crashed.returncode == 0, crashed.stderr
    assert Path(f"{path}-wal").stat().st_size > 0
    folder.chmod(0o555)
    try:
        result = _cli(unprivileged, tmp_path, "status", path)
        listing = _listing(folder)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {path} : its last changes are still in sample.soc2-wal beside it and only a writable open can fold "
        "them in, but its folder is read-only; make it writable and open it once"]
    assert listing == ["sample.soc2", "sample.soc2-wal"]
    with open_project(path) as project:  # writable again: the log is folded in, the change kept
        with project.uow() as uow:
            found = uow.assessments.all()["CC1.1"]
        assert (found.status, found.note) == (AssessmentStatus.GAP, "kept in the log")
        assert all(r.ok for r in check_project(project))
    assert _listing(folder) == ["sample.soc2"]


def test_a_cut_off_change_is_not_read_half_done_from_a_read_only_project(
    unprivileged: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = _current(folder)
    with open_project(path, backup_on_open=False) as project:
        digest = project_digest(project)
    crashed = _python("-c", CRASH_MID_CHANGE, path)
    assert crashed.returncode == 0, crashed.stderr
    journal = Path(f"{path}-journal")
    assert is_hot_journal(journal), "the child should have died with its change spilled into the file"
    path.chmod(0o444)
    try:
        result = _cli(unprivileged, tmp_path, "status", path)
    finally:
        path.chmod(0o644)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {path} : a change that was cut off must be undone first (sample.soc2-journal beside it), which "
        "needs write access, but the file is read-only; make it writable and open it once"]
    with open_project(path) as project:
        assert project_digest(project) == digest  # the cut-off change was undone
        assert all(r.ok for r in check_project(project))
    assert _listing(folder) == ["sample.soc2"]


# -- one program at a time, readers included -----------------------------------------------------------------


@pytest.mark.parametrize("form", ["current", "earlier"])
def test_a_reader_and_a_writer_never_hold_the_project_at_once(form: str, tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = _current(folder) if form == "current" else _earlier(folder)
    for holder, other in (("read-only", "writable"), ("writable", "read-only"), ("read-only", "read-only")):
        held = subprocess.Popen([sys.executable, "-c", HOLD, str(path), holder], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        try:
            assert held.stdout is not None and held.stdout.readline().startswith("holding")
            verdict = _python("-c", TRY_OPEN, path, other).stdout.strip()
        finally:
            assert held.stdin is not None
            held.stdin.write("\n")
            held.stdin.close()
            held.wait(60)
        expected = "opened" if holder == other == "read-only" else "already open in another window or process"
        assert verdict == expected, (holder, other)
        if form == "earlier" and (holder, other) == ("read-only", "writable"):
            assert path.read_bytes()[18:20] == b"\x02\x02"  # only read so far, still in the earlier form
    assert _listing(folder) == ["sample.soc2"]


# -- the services, on a project opened read-only on request -----------------------------------------------------


@pytest.fixture
def opened_read_only(tmp_path: Path) -> Iterator[OpenProject]:
    folder = tmp_path / "projects"
    folder.mkdir()
    project = open_project(_current(folder), read_only=True)
    yield project
    project.close()


def test_services_read_check_and_export_a_read_only_project_and_refuse_changes(
    opened_read_only: OpenProject, inputs: dict[str, Path], tmp_path: Path, data_dir: Path
) -> None:
    project = opened_read_only
    path = project.path
    assert project.read_only and project.read_only_reason == READ_ONLY_ASKED
    before, listing, backups = _sha(path), _listing(path.parent), list_backups(path)
    assert all(r.ok for r in check_project(project))
    outcome = run_export(project, "xlsx", tmp_path / "package.xlsx")
    assert outcome.path.stat().st_size > 0
    assert import_controls(project, inputs["register"], dry_run=True)["created"] == 2
    with pytest.raises(ProjectFileError) as caught:
        assess(project, "CC1.1", AssessmentStatus.GAP, "refused")
    assert caught.value.why == f"cannot be changed: it is open read-only because {READ_ONLY_ASKED}; nothing was saved"
    with pytest.raises(ProjectFileError):
        import_controls(project, inputs["register"])
    assert all(r.ok for r in check_project(project))  # the refused changes left the connection usable
    assert _sha(path) == before and _listing(path.parent) == listing
    assert list_backups(path) == backups  # nothing can change, so no open-time backup


def test_a_read_only_project_is_not_replaced_by_a_backup(tmp_path: Path, unprivileged: list[str]) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = _current(folder)
    with open_project(path) as project:  # writable: takes the open-time backup
        assess(project, "CC1.1", AssessmentStatus.GAP, "after the backup")
    backups = list_backups(path)
    path.chmod(0o444)
    try:
        result = _cli(unprivileged, tmp_path, "backups", "restore", path, "1")
    finally:
        path.chmod(0o644)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {path} : cannot be replaced by a backup: it is open read-only because the file is read-only; "
        "nothing was changed"]
    assert list_backups(path) == backups
    with open_project(path, backup_on_open=False) as project:
        assert project.read_only_reason is None
        assert uow_note(project) == "after the backup"  # not replaced


def uow_note(project: OpenProject) -> str:
    with project.uow() as uow:
        return uow.assessments.all()["CC1.1"].note


def test_a_project_open_here_read_only_is_not_opened_twice(opened_read_only: OpenProject) -> None:
    with pytest.raises(ProjectLockedError):
        ProjectFile.open(opened_read_only.path)
    with pytest.raises(ProjectLockedError):
        ProjectFile.open(opened_read_only.path, read_only=True)
