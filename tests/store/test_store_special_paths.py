"""Special paths given as a project: pipes, sockets, devices and link loops are refused at once, in one line; a
file name holding a line break (or ?, # and %) is just a name, and its error still prints as one line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.domain.errors import ProjectFileError, ProjectLockedError
from workbench.store import ProjectFile

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pipes, sockets and device files are POSIX")

FIFO = "is a named pipe (FIFO), not a project file"
SOCKET = "is a socket, not a project file"
DEVICE = "is a device, not a project file"
LOOP = "is a link loop (a symbolic link that leads back to itself)"
DANGLING = "is a link to a file that does not exist"


def _cli(cwd: Path, *args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *(str(a) for a in args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=os.environ.copy(), stdin=subprocess.DEVNULL)


def _escaped(path: Path) -> str:
    """The path as an error line prints it: line breaks written as \\n and \\r."""
    return str(path).replace("\n", "\\n").replace("\r", "\\r")


def _assert_one_line(result: subprocess.CompletedProcess[str], path: Path, why: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"error: {_escaped(path)} : {why}"]
    assert result.stdout == ""


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path (a Unix socket's path must fit in about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="wb-", dir="/tmp" if Path("/tmp").is_dir() else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.soc2"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock.soc2"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.close()  # the socket file stays; nobody listens on it
    return path


def _loop(folder: Path) -> Path:
    path = folder / "loop.soc2"
    path.symlink_to(path.name)
    return path


def _loop_of_two(folder: Path) -> Path:
    first, second = folder / "a.soc2", folder / "b.soc2"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first


def _dangling(folder: Path) -> Path:
    path = folder / "gone.soc2"
    path.symlink_to("nowhere.soc2")
    return path


SPECIAL: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (_fifo, FIFO),
    "socket": (_socket, SOCKET),
    "loop": (_loop, LOOP),
    "loop-of-two": (_loop_of_two, LOOP),
    "dangling-link": (_dangling, DANGLING),
}


@pytest.mark.parametrize("kind", list(SPECIAL))
@pytest.mark.parametrize("command", ["status", "check", "assess"])
def test_the_command_line_refuses_a_special_path_at_once_in_one_line(kind: str, command: str, short_dir: Path) -> None:
    maker, why = SPECIAL[kind]
    path = maker(short_dir)
    listing = sorted(os.listdir(short_dir))
    args = [path, "CC1.1", "--status", "met"] if command == "assess" else [path]
    started = time.monotonic()
    result = _cli(short_dir, command, *args, timeout=60)  # a pipe opened for reading would block: never here
    assert time.monotonic() - started < 30
    _assert_one_line(result, path, why)
    assert sorted(os.listdir(short_dir)) == listing


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_refused_at_once(device: str, tmp_path: Path) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    _assert_one_line(_cli(tmp_path, "status", device, timeout=30), Path(device), DEVICE)
    with pytest.raises(ProjectFileError) as caught:
        ProjectFile.open(device)
    assert caught.value.why == DEVICE


@pytest.mark.parametrize("kind", ["socket", "loop", "loop-of-two", "dangling-link"])
def test_opening_a_special_path_in_process_says_what_it_is_and_creates_nothing(kind: str, short_dir: Path) -> None:
    maker, why = SPECIAL[kind]
    path = maker(short_dir)
    listing = sorted(os.listdir(short_dir))
    for read_only in (False, True):
        with pytest.raises(ProjectFileError) as caught:
            ProjectFile.open(path, read_only=read_only)
        assert caught.value.what == str(path) and caught.value.why == why
        assert not isinstance(caught.value, ProjectLockedError)
    assert sorted(os.listdir(short_dir)) == listing


def test_a_link_to_a_project_opens_the_project(new_project, tmp_path: Path) -> None:
    new_project.close()
    link = tmp_path / "link.soc2"
    link.symlink_to(new_project.path)
    with ProjectFile.open(link) as project:
        assert not project.read_only
    assert sorted(p.name for p in new_project.path.parent.iterdir()) == [new_project.path.name]


# -- names with line breaks and URI characters -----------------------------------------------------------------

ODD_NAMES = ["two\nlines.soc2", "carriage\rreturn.soc2", "query?hash#percent%20.soc2", "both\r\nends\n.soc2"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_errors_about_an_odd_name_print_as_one_line(name: str, tmp_path: Path) -> None:
    missing = tmp_path / name
    _assert_one_line(_cli(tmp_path, "status", missing), missing, "no such file")
    text = tmp_path / f"notes-{name}"
    text.write_text("meeting notes, not a project\n" * 10, encoding="utf-8")
    _assert_one_line(_cli(tmp_path, "check", text), text,
                     "is not a SOC 2 Workbench project (not an SQLite database)")


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_project_with_an_odd_name_is_made_used_and_left_as_one_file(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / name
    made = _cli(tmp_path, "new", path, "--org", "Odd Names Ltd")
    assert made.returncode == 0, made.stderr
    assessed = _cli(tmp_path, "assess", path, "CC1.1", "--status", "met")
    assert assessed.returncode == 0, assessed.stderr
    checked = _cli(tmp_path, "check", path)
    assert checked.returncode == 0, checked.stderr
    assert sorted(p.name for p in folder.iterdir()) == [name]
    again = _cli(tmp_path, "new", path, "--org", "Odd Names Ltd")
    _assert_one_line(again, path, "already exists; choose another name or open it instead")
