"""What a path given as a project is, before SQLite touches it: its kind, its header, whether it can be written.

Nothing here blocks or writes: a named pipe, a socket or a device is refused from its `stat` (and the header is
read through a non-blocking descriptor, in case the path is swapped for one meanwhile); a read-only project is
told apart so that it can be opened for reading only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import struct
from pathlib import Path

from workbench.domain.errors import ProjectFileError, ProjectLockedError

APPLICATION_ID = 0x534F4332  # "SOC2"
SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
SUFFIX = ".soc2"  # a project file's extension
ALREADY_OPEN = "already open in another window or process"

# Why a project is opened for reading only (the end of "it is open read-only because ...").
READ_ONLY_FILE = "the file is read-only"
READ_ONLY_FOLDER = "its folder is read-only"
READ_ONLY_DISK = "it is on a read-only disk"
READ_ONLY_ASKED = "it was opened for reading only"

# SQLite's lock bytes (see its os_unix.c): a shared lock is a read lock on the SHARED range, taken while holding
# a read lock on the PENDING byte; a writer needs a write lock on the whole SHARED range.
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
SHARED_SIZE = 510

# Files this process holds open, by (device, inode). POSIX drops every lock a process holds on a file as soon
# as the process closes *any* descriptor of it, so we must never open such a file again ourselves.
_held: set[tuple[int, int]] = set()


def identity(path: Path) -> tuple[int, int] | None:
    """Return the (device, inode) of the file at `path`, or None when there is none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def hold(key: tuple[int, int] | None) -> None:
    """Note that this process has the file with this identity open."""
    if key is not None:
        _held.add(key)


def let_go(key: tuple[int, int] | None) -> None:
    """Note that this process no longer has the file with this identity open."""
    if key is not None:
        _held.discard(key)


def is_open_here(path: Path | str) -> bool:
    """Return True when this process has the project at `path` open (reading it again would drop its lock)."""
    key = identity(Path(path))
    return key is not None and key in _held


def _kind_problem(mode: int) -> str | None:
    """Return why a file of this kind cannot be a project, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a project file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a project file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a project file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a project file"
    return "is not a regular file, so it cannot be a project file"


def _reach_problem(path: Path, exc: OSError) -> ProjectFileError:
    """Turn a failure to look the path up into one clear message."""
    name = str(path)
    if exc.errno == errno.ELOOP:
        return ProjectFileError(name, "is a link loop (a symbolic link that leads back to itself)")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return ProjectFileError(name, "is a link to a file that does not exist")
        return ProjectFileError(name, "no such file")
    if exc.errno == errno.ENOTDIR:
        return ProjectFileError(name, "no such file (a part of its path is not a folder)")
    if exc.errno == errno.ENAMETOOLONG:
        return ProjectFileError(name, "the name is too long")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ProjectFileError(name, "cannot be reached (permission denied)")
    return ProjectFileError(name, f"cannot be read ({exc.strerror or exc})")


def regular_file(path: Path) -> os.stat_result:
    """Return the file's status; refuse at once a missing path, a link loop, a folder, a pipe, a socket or a device."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _reach_problem(path, exc) from None
    problem = _kind_problem(info.st_mode)
    if problem is not None:
        raise ProjectFileError(str(path), problem)
    return info


def read_header(path: Path) -> bytes:
    """Refuse, without writing or blocking, a path that is not a SOC 2 Workbench project; return its 100-byte header."""
    name = str(path)
    regular_file(path)
    if is_open_here(path):
        raise ProjectLockedError(name, ALREADY_OPEN)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise ProjectFileError(name, f"cannot be read ({exc.strerror or exc})") from None
    try:
        problem = _kind_problem(os.fstat(descriptor).st_mode)  # the path may have been swapped meanwhile
        if problem is not None:
            raise ProjectFileError(name, problem)
        header = os.read(descriptor, 100)
    except OSError as exc:
        raise ProjectFileError(name, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)
    if not header:
        raise ProjectFileError(name, "is empty, not a SOC 2 Workbench project")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ProjectFileError(name, "is not a SOC 2 Workbench project (not an SQLite database)")
    (application_id,) = struct.unpack(">i", header[68:72])
    if application_id != APPLICATION_ID:
        raise ProjectFileError(name, "is an SQLite database but not a SOC 2 Workbench project")
    return header


def in_wal_format(header: bytes) -> bool:
    """Return True when the file was left in write-ahead-log format (as earlier versions left every project)."""
    return header[18] == 2 or header[19] == 2


def read_only_reason(path: Path) -> str | None:
    """Return why the project at `path` can only be read (see READ_ONLY_*), or None when it can be changed."""
    with contextlib.suppress(OSError, AttributeError):  # no statvfs on Windows
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return READ_ONLY_DISK
    effective = os.access in os.supports_effective_ids
    if not os.access(path, os.W_OK, effective_ids=effective):
        return READ_ONLY_FILE
    # SQLite keeps its journal beside the file a link leads to, so that is the folder that must be writable.
    folder = Path(os.path.realpath(path)).parent
    if not os.access(folder, os.W_OK | os.X_OK, effective_ids=effective):
        return READ_ONLY_FOLDER
    return None


def side_file(path: Path, suffix: str) -> Path:
    """Return the path of one of SQLite's side files of the project at `path` (`-wal`, `-shm` or `-journal`)."""
    return Path(f"{path}{suffix}")


def has_content(path: Path) -> bool:
    """Return True when the file exists and is not empty."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def is_hot_journal(journal: Path) -> bool:
    """Return True when a rollback journal holds a change still to be undone (SQLite's test: a non-zero first byte)."""
    try:
        with journal.open("rb") as handle:
            first = handle.read(1)
    except OSError:
        return False
    return first not in (b"", b"\0")


class ReadLock:
    """A read lock on a project file, taken as SQLite takes its shared lock, so no SQLite writer can start meanwhile.

    Used where SQLite reads the file without locking it (opened as immutable). Released by release(), or when this
    process closes any descriptor of the file (POSIX), which only happens when the project is closed.
    """

    def __init__(self, path: Path) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no way to take SQLite's lock from outside it
            raise ProjectFileError(str(path), "was saved by an older version in a form this computer can read only "
                                              "with write access; make it writable and open it once") from None
        self._descriptor: int | None = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            fcntl.lockf(self._descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, PENDING_BYTE)
            fcntl.lockf(self._descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB, SHARED_SIZE, SHARED_FIRST)
            fcntl.lockf(self._descriptor, fcntl.LOCK_UN, 1, PENDING_BYTE)
        except OSError as exc:
            self.release()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise ProjectLockedError(str(path), ALREADY_OPEN) from None
            raise ProjectFileError(str(path), f"cannot be locked for reading ({exc.strerror or exc})") from None

    def release(self) -> None:
        """Drop the lock."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None
