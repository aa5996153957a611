"""A full disk and read-only media: writes that fail roll back and say so, the file stays as it was, no leftovers.

The main tests make SQLite itself report a full disk (a connection allowed no more pages than the file has, via
`PRAGMA max_page_count`) and make an export's write fail with ENOSPC; where this machine lets us mount a small
tmpfs, the same is shown on a really full file system.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from workbench.domain.errors import ProjectFileError, WorkbenchError
from workbench.services.evidence import EvidenceMeta, add_evidence
from workbench.services.exports.run import run_export
from workbench.services.importers.engine import import_controls
from workbench.services.integrity import check_project, project_digest
from workbench.services.session import OpenProject, open_project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"

# A child that runs the command line with every database connection unable to grow its file.
FULL_DISK_CHILD = """\
import sys
from workbench.store import driver

_connect = driver.connect

def _no_room(*args, **kwargs):  # every connection to a project file is made here, the engine's included
    connection = _connect(*args, **kwargs)
    connection.execute("PRAGMA max_page_count=1")  # clamped to the file's current size
    return connection

driver.connect = _no_room

from workbench.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "projects"
    path.mkdir()
    shutil.copyfile(SAMPLE, path / "sample.soc2")
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A register of a few hundred controls and a 3 MB evidence file, outside the project's folder."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    register = folder / "register.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Controls")
    sheet.append(["Control ID", "Control Title", "Owner", "Frequency", "TSC Ref"])
    for index in range(400):
        sheet.append([f"FD-{index:04d}", f"Control {index} on a full disk", "Ops", "Monthly", "CC6.1"])
    workbook.save(register)
    evidence = folder / "export-of-logs.bin"
    evidence.write_bytes(random.Random(5).randbytes(3 << 20))
    return {"register": register, "evidence": evidence}


@pytest.fixture
def no_room(folder: Path) -> Iterator[OpenProject]:
    """The sample, open, on a connection that cannot make the file any larger (SQLite: database or disk is full)."""
    project = open_project(folder / "sample.soc2")
    raw = project.file.engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA max_page_count=1")  # type: ignore[union-attr]
    finally:
        raw.close()
    yield project
    project.close()


def _assert_full_disk_error(error: WorkbenchError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    assert str(path) in message and "disk is full" in message and "nothing was saved" in message


def _assert_unchanged_and_sound(folder: Path, path: Path, digest: str, listing: list[str]) -> None:
    assert _listing(folder) == listing  # no -wal, -journal or other leftover beside it
    with open_project(path) as again:
        assert project_digest(again) == digest
        assert all(result.ok for result in check_project(again))


def test_an_import_on_a_full_disk_says_so_and_saves_nothing(no_room: OpenProject, folder: Path,
                                                              inputs: dict[str, Path]) -> None:
    listing, digest = ["sample.soc2"], project_digest(no_room)
    with pytest.raises(ProjectFileError) as error:
        import_controls(no_room, inputs["register"])
    _assert_full_disk_error(error.value, no_room.path)
    assert project_digest(no_room) == digest
    no_room.close()
    _assert_unchanged_and_sound(folder, no_room.path, digest, listing)


def test_an_evidence_ingest_on_a_full_disk_says_so_and_saves_nothing(no_room: OpenProject, folder: Path,
                                                                      inputs: dict[str, Path]) -> None:
    listing, digest = ["sample.soc2"], project_digest(no_room)
    with pytest.raises(ProjectFileError) as error:
        add_evidence(no_room, inputs["evidence"], EvidenceMeta("AC-01"))
    _assert_full_disk_error(error.value, no_room.path)
    assert project_digest(no_room) == digest
    no_room.close()
    _assert_unchanged_and_sound(folder, no_room.path, digest, listing)


@pytest.mark.parametrize("command", ["import-controls", "evidence"])
def test_the_command_line_says_the_disk_is_full_in_one_line(command: str, folder: Path, inputs: dict[str, Path],
                                                            tmp_path: Path) -> None:
    path = folder / "sample.soc2"
    with open_project(path) as project:
        digest = project_digest(project)
    before, listing = _sha(path), _listing(folder)
    args = (["import-controls", str(path), str(inputs["register"])] if command == "import-controls"
            else ["evidence", "add", str(path), str(inputs["evidence"]), "--control", "AC-01"])
    result = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, *args], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env=os.environ.copy())
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"error: {path} : the disk is full; nothing was saved"]
    assert _sha(path) == before
    _assert_unchanged_and_sound(folder, path, digest, listing)


@pytest.mark.parametrize("kind", ["xlsx", "pdf", "zip"])
def test_an_export_whose_write_fails_for_lack_of_space_leaves_the_old_file(
    kind: str, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"package.{kind}"
    target.write_bytes(b"last week's export")

    def full(_handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with open_project(folder / "sample.soc2") as project:
        digest = project_digest(project)
        monkeypatch.setattr(os, "fsync", full)  # where a full disk shows once the file system must place the data
        with pytest.raises(WorkbenchError) as error:
            run_export(project, kind, target)
        monkeypatch.undo()
        assert project_digest(project) == digest
    assert str(error.value) == f"{target} : cannot be written: the disk is full; nothing was written"
    assert _listing(out) == [target.name] and target.read_bytes() == b"last week's export"


# -- a really full file system (a small tmpfs), where mounting is allowed -------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, mounted for the test; skipped where this process may not mount file systems."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root; the patched-write tests above cover the same code")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs ({mounted.stderr.strip()})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True, timeout=30, check=True)


def _run(tmp_path: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def test_a_really_full_disk_refuses_evidence_and_exports_cleanly(small_disk: Path, tmp_path: Path,
                                                                 inputs: dict[str, Path]) -> None:
    path = small_disk / "sample.soc2"
    shutil.copyfile(SAMPLE, path)
    open_project(path).close()  # as this version leaves a project at rest (an older one's format is converted)
    before = _sha(path)
    added = _run(tmp_path, "evidence", "add", path, inputs["evidence"], "--control", "AC-01")
    assert added.returncode == 2 and added.stderr.splitlines() == [
        f"error: {path} : the disk is full; nothing was saved"], added.stderr
    assert _sha(path) == before and _listing(small_disk) == ["sample.soc2"]

    filler = small_disk / "filler.bin"
    with filler.open("wb") as handle:  # leave about 16 KB free
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        handle.write(b"\0" * max(free - (16 << 10), 0))
    source = tmp_path / "for-export.soc2"  # the project elsewhere; only the export goes to the full disk
    shutil.copyfile(SAMPLE, source)
    target = small_disk / "package.pdf"
    exported = _run(tmp_path, "export", "pdf", source, target)
    assert exported.returncode == 2 and exported.stderr.splitlines() == [
        f"error: {target} : cannot be written: the disk is full; nothing was written"], exported.stderr
    assert _listing(small_disk) == ["filler.bin", "sample.soc2"]
    filler.unlink()
    with open_project(path) as project:
        assert all(result.ok for result in check_project(project))
    assert _listing(small_disk) == ["sample.soc2"]



# -- read-only media ----------------------------------------------------------------------------------------

PROBE = "import sys\ntry:\n    open(sys.argv[1], 'ab').close()\nexcept PermissionError:\n    sys.exit(3)\n"


def _without_override(probe: Path) -> list[str]:
    """Return the prefix that runs a command without root's power to ignore permissions, or skip."""
    if not hasattr(os, "geteuid"):
        pytest.skip("file permissions are not POSIX here")
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be made to apply to a child")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    probe.write_bytes(b"")
    probe.chmod(0o444)
    result = subprocess.run([*prefix, sys.executable, "-c", PROBE, str(probe)], capture_output=True, timeout=60)
    probe.chmod(0o644)
    probe.unlink()
    if result.returncode != 3:
        pytest.skip("this machine lets the test's child write read-only files, so read-only cannot be shown")
    return prefix


READ_ONLY_FILE = "the file is read-only"
READ_ONLY_FOLDER = "its folder is read-only"


@pytest.fixture(params=[READ_ONLY_FILE, READ_ONLY_FOLDER])
def read_only(request: pytest.FixtureRequest, folder: Path, tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """The sample made read-only (the file itself, or the folder it is in), with the prefix to run children."""
    prefix = _without_override(tmp_path / "probe")
    path = folder / "sample.soc2"
    target = path if request.param == READ_ONLY_FILE else folder
    mode = target.stat().st_mode & 0o777
    target.chmod(0o444 if target == path else 0o555)
    try:
        yield path, prefix
    finally:
        target.chmod(mode)


def _run_as(prefix: list[str], cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def test_a_read_only_project_is_refused_or_only_read_and_never_changed(read_only: tuple[Path, list[str]],
                                                                        tmp_path: Path) -> None:
    path, prefix = read_only
    before, listing = _sha(path), _listing(path.parent)
    status = _run_as(prefix, tmp_path, "status", path, "--json")
    assess = _run_as(prefix, tmp_path, "assess", path, "CC1.1", "--status", "met")
    for result in (status, assess) if status.returncode != 0 else (assess,):
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {path} : ")
    assert _sha(path) == before and _listing(path.parent) == listing
    path.parent.chmod(0o755)
    path.chmod(0o644)
    with open_project(path) as project:
        assert all(result.ok for result in check_project(project))


@pytest.mark.parametrize("case", [
    READ_ONLY_FILE,
    READ_ONLY_FOLDER,
])
def test_the_refusal_of_a_read_only_project_says_read_only(case: str, folder: Path, tmp_path: Path) -> None:
    prefix = _without_override(tmp_path / "probe")
    path = folder / "sample.soc2"
    target = path if case == READ_ONLY_FILE else folder
    target.chmod(0o444 if target == path else 0o555)
    try:
        result = _run_as(prefix, tmp_path, "assess", path, "CC1.1", "--status", "met")
    finally:
        target.chmod(0o644 if target == path else 0o755)
    assert result.returncode == 2 and "read-only" in result.stderr, result.stderr
