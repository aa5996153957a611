"""One writer: a project held by one program is refused to a second one, which writes nothing; a crashed
holder's lock does not shut the user out.

A file from a newer schema is refused untouched: that is tested where migrations are, in
tests/migrations/test_schema_upgrade.py::test_a_project_from_a_newer_program_is_refused_untouched (and the
"newer" case of tests/store/test_store_projectfile.py's refusals), not repeated here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import ProjectLockedError
from workbench.services.assessment import assess
from workbench.services.integrity import check_project, project_digest
from workbench.services.session import OpenProject, open_project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"

# Holds the project open; with "dirty" it also has a change sent to the file but not committed.
HOLDER = """\
import sys
from workbench.domain.enums import AssessmentStatus
from workbench.services.session import OpenProject, open_project

project = open_project(sys.argv[1])
if sys.argv[2] == "dirty":
    uow = project.uow().__enter__()
    uow.assessments.set("CC1.1", AssessmentStatus.GAP, "never committed", uow.now())
    uow.flush()
print("ready", flush=True)
sys.stdin.readline()
project.close()
print("closed", flush=True)
"""


def _fingerprint(path: Path) -> tuple[str, ...]:
    """The bytes of the project and of any side file beside it."""
    files = [path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))]
    return tuple(f"{f.name}:{hashlib.sha256(f.read_bytes()).hexdigest()}" for f in files if f.exists())


def _cli(cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def _assert_already_open(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines() == [f"error: {path} : already open in another window or process"]
    assert result.stdout == ""


def _assessment_in(project: OpenProject) -> tuple[str, str]:
    with project.uow() as uow:
        found = uow.assessments.all().get("CC1.1")
    return (found.status.value, found.note) if found is not None else ("not_assessed", "")


def _assessment(path: Path) -> tuple[str, str]:
    with open_project(path) as project:
        return _assessment_in(project)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    folder = tmp_path / "projects"
    folder.mkdir()
    return Path(shutil.copyfile(SAMPLE, folder / "sample.soc2"))


class Holder:
    """A child process holding the project open until told to let go."""

    def __init__(self, path: Path, mode: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), mode], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=os.environ.copy())
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line == "ready\n", self.process.communicate(timeout=60)

    def release(self) -> None:
        """Let the holder close the project and exit."""
        out, err = self.process.communicate("\n", timeout=60)
        assert self.process.returncode == 0 and out == "closed\n", err

    def kill(self) -> None:
        """Kill the holder outright, as a crash would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=60)
        assert self.process.returncode == -signal.SIGKILL


@pytest.fixture
def holder(project_path: Path) -> Iterator[Holder]:
    held = Holder(project_path, "clean")
    yield held
    if held.process.poll() is None:
        held.release()


def test_a_second_program_is_told_already_open_and_writes_nothing(holder: Holder, project_path: Path,
                                                                   tmp_path: Path) -> None:
    before = _fingerprint(project_path)
    _assert_already_open(_cli(tmp_path, "status", project_path, "--json"), project_path)
    _assert_already_open(_cli(tmp_path, "assess", project_path, "CC1.1", "--status", "gap", "--note", "second"),
                         project_path)
    _assert_already_open(_cli(tmp_path, "check", project_path), project_path)
    assert _fingerprint(project_path) == before
    holder.release()
    assert _assessment(project_path)[1] != "second"
    assert _cli(tmp_path, "check", project_path).returncode == 0


def test_opening_twice_in_one_program_is_refused_and_the_first_keeps_its_hold(project_path: Path,
                                                                               tmp_path: Path) -> None:
    first = open_project(project_path)
    try:
        with pytest.raises(ProjectLockedError, match="already open in another window or process") as error:
            open_project(project_path)
        assert str(project_path) in str(error.value) and "\n" not in str(error.value)
        # The refused second open must not have dropped the first one's lock (POSIX drops a process's locks
        # when it closes any handle on the file): another program is still kept out ...
        _assert_already_open(_cli(tmp_path, "status", project_path), project_path)
        # ... and the first window still works.
        assess(first, "CC1.1", AssessmentStatus.GAP, "first window")
    finally:
        first.close()
    assert _assessment(project_path) == ("gap", "first window")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="this platform has no SIGKILL")
def test_a_crashed_holder_leaves_no_lock_and_none_of_its_uncommitted_change(project_path: Path,
                                                                            tmp_path: Path) -> None:
    with open_project(project_path) as project:
        digest = project_digest(project)
        before = _assessment_in(project)
    crashed = Holder(project_path, "dirty")
    _assert_already_open(_cli(tmp_path, "status", project_path), project_path)
    crashed.kill()
    status = _cli(tmp_path, "status", project_path, "--json")
    assert status.returncode == 0 and status.stderr == "", status.stderr
    with open_project(project_path) as project:
        assert all(result.ok for result in check_project(project))
        assert project_digest(project) == digest and _assessment_in(project) == before
    written = _cli(tmp_path, "assess", project_path, "CC1.1", "--status", "met", "--note", "after the crash")
    assert written.returncode == 0, written.stderr
    assert _assessment(project_path) == ("met", "after the crash")

