"""A really full disk (a small tmpfs): an import that fills it leaves one file at rest, whose copy alone is sound.

Mounting needs root (CI runs as root); elsewhere these tests skip, saying why. tests/safety/test_full_disk.py covers
the same refusals where SQLite is only made to believe the disk is full.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"
REGISTER_ROWS = 6000

# Opens the project as an earlier version did (write-ahead log, held exclusively), imports the register and dies:
# the import is left, committed, in the -wal file beside the project.
CRASH_IN_WAL = """\
import os, sys
from workbench.services.importers.engine import import_controls
from workbench.services.session import open_project

project = open_project(sys.argv[1], backup_on_open=False)
raw = project.file.engine.raw_connection()
raw.driver_connection.execute("PRAGMA journal_mode=WAL")
raw.close()
print(import_controls(project, sys.argv[2])["created"], flush=True)
os._exit(0)
"""


def _mount(mount_point: Path, size: str) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root (CI runs as root); test_full_disk.py covers the refusals")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs ({mounted.stderr.strip()})")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs with about 1 MB free once the sample is on it, mounted for the test."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    _mount(mount_point, f"{SAMPLE.stat().st_size // 1024 + 1024}k")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True, timeout=30, check=True)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A control register of a few thousand rows (about 2 MB of CSV): far more than the small disk holds."""
    path = tmp_path_factory.mktemp("full-disk-inputs") / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Control ID", "Control Title", "Control Description", "Owner", "Frequency", "TSC Ref"])
        for index in range(REGISTER_ROWS):
            writer.writerow([f"FD-{index:05d}", f"Control {index} on a full disk",
                             f"What control {index} does, at some length. " * 8, "Ops", "Monthly", "CC6.1"])
    return path


def _run(cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=os.environ.copy())


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "lost+found")


def _controls(cwd: Path, path: Path) -> set[str]:
    import json

    listed = _run(cwd, "controls", path, "--json")
    assert listed.returncode == 0, listed.stderr
    return {c["ref"] for c in json.loads(listed.stdout)}


def _copy_passes_check(path: Path, tmp_path: Path) -> None:
    """Copy the project file alone (no side file) elsewhere: the copy must be the whole, sound project."""
    copy = tmp_path / "copied-alone" / "copy.soc2"
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, copy)
    checked = _run(tmp_path, "check", copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "FAILED" not in checked.stdout
    copy.unlink()


def _fill(folder: Path, leave: int) -> Path:
    """Fill the file system up to `leave` bytes free."""
    filler = folder / "filler.bin"
    with filler.open("wb") as handle:
        info = os.statvfs(folder)
        handle.write(b"\0" * max(info.f_bavail * info.f_frsize - leave, 0))
    return filler


def test_an_import_that_fills_the_disk_leaves_one_sound_file(small_disk: Path, register: Path, tmp_path: Path) -> None:
    path = small_disk / "sample.soc2"
    shutil.copyfile(SAMPLE, path)  # as an earlier version left it: the import's open converts it
    before = _controls(tmp_path, path)

    result = _run(tmp_path, "import-controls", path, register)

    assert "Traceback" not in result.stderr
    imported = {f"FD-{index:05d}" for index in range(REGISTER_ROWS)}
    if result.returncode == 0:  # it truly fitted: then all of it is there
        assert _controls(tmp_path, path) == before | imported
    else:
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [f"error: {path} : the disk is full; nothing was saved"]
        assert result.stdout == ""
    assert _listing(small_disk) == ["sample.soc2"]  # one file at rest: no -journal or -wal beside it
    _copy_passes_check(path, tmp_path)
    if result.returncode == 2:
        assert _controls(tmp_path, path) == before  # the next open: nothing half-imported
    assert _listing(small_disk) == ["sample.soc2"]


def test_a_log_left_on_a_full_disk_is_folded_in_once_there_is_room(small_disk: Path, register: Path,
                                                                   tmp_path: Path) -> None:
    small = tmp_path / "small-register.csv"
    with register.open(encoding="utf-8") as source:
        small.write_text("".join(line for _, line in zip(range(301), source, strict=False)), encoding="utf-8")
    path = small_disk / "sample.soc2"
    shutil.copyfile(SAMPLE, path)
    crashed = subprocess.run([sys.executable, "-c", CRASH_IN_WAL, str(path), str(small)], capture_output=True,
                             text=True, timeout=300, env=os.environ.copy())
    assert crashed.returncode == 0 and crashed.stdout.strip() == "300", crashed.stderr
    assert _listing(small_disk) == ["sample.soc2", "sample.soc2-wal"]
    filler = _fill(small_disk, 16 << 10)  # too little room to fold the log into the file

    refused = _run(tmp_path, "check", path)

    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"error: {path} : the disk is full: its last changes are kept safe in sample.soc2-wal beside it and are "
        "folded in when it is next opened with enough free space; free some space, and keep the two files together"]
    assert _listing(small_disk) == ["filler.bin", "sample.soc2", "sample.soc2-wal"]
    filler.unlink()
    checked = _run(tmp_path, "check", path)  # with room again, the next open folds the log in
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert _listing(small_disk) == ["sample.soc2"]
    _copy_passes_check(path, tmp_path)
    assert {f"FD-{index:05d}" for index in range(300)} <= _controls(tmp_path, path)
    assert _listing(small_disk) == ["sample.soc2"]
