"""Writing an export safely: a temporary file beside the target, renamed into place only when complete."""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.domain.entities import Evidence
from workbench.domain.errors import WorkbenchError
from workbench.services.session import OpenProject

try:
    import fcntl
except ImportError:  # Windows: a file another process has open cannot be deleted there, which is claim enough
    fcntl = None  # type: ignore[assignment]

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?
TEMP_SUFFIX = ".part"
# Temporary files of an export to a target are named after it; those older than this process and claimed by no
# live process were left by an export that was killed (or lost power) and are removed by the next one.
_STARTED = time.time()


class ExportCancelled(WorkbenchError):
    """The user stopped an export; no file was left behind."""


class Steps:
    """Counts work done against a total and asks the progress callback whether to go on."""

    def __init__(self, destination: Path, total: int, callback: Progress | None) -> None:
        self.destination, self.total, self.done, self._callback = destination, max(total, 1), 0, callback

    def advance(self, amount: int = 1) -> None:
        """Count `amount` more units of work; raise ExportCancelled when the user has asked to stop."""
        self.done = min(self.done + amount, self.total)
        if self._callback is not None and not self._callback(self.done, self.total):
            raise ExportCancelled(str(self.destination), "the export was cancelled; no file was written")


class _Claim:
    """An open handle on a temporary file marking it as in use by this process until released."""

    def __init__(self, handle: int) -> None:
        self._handle: int | None = handle
        if fcntl is not None:
            # Where the file system has no locks the claim is missing, and others then never remove the file.
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        """Close the handle (once)."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            os.close(handle)


def _unclaimed(path: Path) -> bool:
    """Return True when no live process holds the claim on a temporary file."""
    if fcntl is None:
        return True
    handle = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(handle)
    return True


def remove_stale_temporaries(destination: Path | str) -> list[Path]:
    """Remove temporary files that a killed earlier export to `destination` left beside it; return them."""
    destination = Path(destination)
    folder = destination.parent if str(destination.parent) else Path(".")
    removed = []
    for leftover in folder.glob(f".{glob.escape(destination.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < _STARTED and _unclaimed(leftover):
                leftover.unlink()
                removed.append(leftover)
    return removed


def _why(exc: OSError, written: Path | None = None) -> str:
    """Say in words why a file could not be written (or which other file failed while writing it)."""
    other = exc.filename if isinstance(exc.filename, str) else None
    if other and written is not None and Path(other) != written:
        return f"was not written: {other} failed ({exc.strerror or exc}); nothing was written"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "cannot be written: the disk is full; nothing was written"
    if exc.errno == errno.EFBIG:
        return "cannot be written: the file is too large for this disk or file system; nothing was written"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot be written: the disk, folder or file is read-only ({exc.strerror or exc})"
    return f"cannot be written ({exc.strerror or exc})"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _temporary(destination: Path, folder: Path) -> Iterator[tuple[Path, _Claim]]:
    """Yield a new claimed temporary file named after `destination`; remove it on failure, release it always."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise WorkbenchError(str(destination), _why(exc)) from None
    temporary = Path(name)
    claim = _Claim(handle)
    try:
        yield temporary, claim
    except BaseException:
        claim.release()
        temporary.unlink(missing_ok=True)
        raise
    claim.release()


@contextmanager
def scratch_file(destination: Path | str) -> Iterator[Path]:
    """Yield a temporary file beside an export's target for intermediate output; it is removed afterwards."""
    destination = Path(destination)
    folder = destination.parent if str(destination.parent) else Path(".")
    with _temporary(destination, folder) as (temporary, _claim):
        try:
            yield temporary
        except OSError as exc:
            raise WorkbenchError(str(destination), _why(exc)) from None
        finally:
            temporary.unlink(missing_ok=True)


@contextmanager
def atomic_output(destination: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; move it onto the target only if the block succeeds.

    A failure or cancellation removes the temporary file, so no half-written export is ever left behind,
    and an existing file at the target stays as it was until the new one is complete. A process killed
    outright cannot clean up: the next export to the same target removes what it left.
    """
    destination = Path(destination)
    folder = destination.parent if str(destination.parent) else Path(".")
    if not folder.is_dir():
        blocking = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if blocking is not None and not blocking.is_dir():
            raise WorkbenchError(str(destination), f"{blocking} is a file, not a folder")
        raise WorkbenchError(str(destination), "the folder does not exist")
    if destination.is_dir():
        raise WorkbenchError(str(destination), "is a folder; give a file name")
    remove_stale_temporaries(destination)
    with _temporary(destination, folder) as (temporary, claim):
        try:
            yield temporary
            with temporary.open("rb+") as written:
                os.fsync(written.fileno())
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; an export is an ordinary document
            if fcntl is None:
                claim.release()  # Windows renames no file that is open
            os.replace(temporary, destination)
        except OSError as exc:
            raise WorkbenchError(str(destination), _why(exc, temporary)) from None


def _changed(evidence: Evidence) -> WorkbenchError:
    return WorkbenchError(
        f"evidence {evidence.filename} of control {evidence.control_ref}",
        "the stored bytes no longer match their SHA-256; the export was stopped (run `workbench check`)",
    )


def verified_chunks(project: OpenProject, evidence: Evidence) -> Iterator[bytes]:
    """Yield an evidence file's stored bytes; raise, naming the item, if they do not match its SHA-256 and size.

    The check happens after the last chunk, so a caller writing the chunks out must discard what it wrote
    when this raises (atomic_output does).
    """
    digest = hashlib.sha256()
    size = 0
    with project.uow() as uow:
        try:
            for chunk in uow.evidence.read(evidence.sha256):
                digest.update(chunk)
                size += len(chunk)
                yield chunk
        except ValueError:
            raise _changed(evidence) from None
    if size != evidence.size or digest.hexdigest() != evidence.sha256:
        raise _changed(evidence)


def verified_bytes(project: OpenProject, evidence: Evidence) -> bytes:
    """Return an evidence file's stored bytes whole, checked against its SHA-256 (for embedding small files)."""
    return b"".join(verified_chunks(project, evidence))
