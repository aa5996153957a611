"""Writing an export safely: a temporary file beside the target, renamed into place only when complete."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.domain.entities import Evidence
from workbench.domain.errors import WorkbenchError
from workbench.services.session import OpenProject

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


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


@contextmanager
def atomic_output(destination: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; move it onto the target only if the block succeeds.

    A failure or cancellation removes the temporary file, so no half-written export is ever left behind,
    and an existing file at the target stays as it was until the new one is complete.
    """
    destination = Path(destination)
    folder = destination.parent if str(destination.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbenchError(str(destination), "the folder does not exist")
    if destination.is_dir():
        raise WorkbenchError(str(destination), "is a folder; give a file name")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise WorkbenchError(str(destination), f"cannot be written ({exc.strerror or exc})") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, destination)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise WorkbenchError(str(destination), f"cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
