"""Step 4: evidence files, streamed into the project, content-addressed and de-duplicated."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.domain.entities import Evidence
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.media import sniff_media_type
from workbench.services.session import OpenProject
from workbench.store.projectfile import is_open_here

CHUNK_SIZE = 1 << 20
Progress = Callable[[int, int], bool]  # (bytes done, bytes total) -> keep going?


class Cancelled(Exception):
    """The user cancelled a long operation; nothing was saved."""


@dataclass(frozen=True, slots=True)
class EvidenceMeta:
    """What the user tells about an evidence file."""

    control_ref: str
    title: str = ""
    collected_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    source: str = ""
    notes: str = ""


class _Progress:
    """Progress over several files, each read twice (hash, then store); a file already stored counts twice."""

    def __init__(self, callback: Progress | None, total: int) -> None:
        self._callback, self.total, self.done = callback, total, 0

    def advance(self, amount: int) -> None:
        self.done += amount
        if self._callback is not None and not self._callback(min(self.done, self.total), self.total):
            raise Cancelled()


def _read_chunks(path: Path, progress: _Progress) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            progress.advance(len(chunk))
            yield chunk


def _hash_file(path: Path, progress: _Progress) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    head = b""
    for chunk in _read_chunks(path, progress):
        if not head:
            head = chunk[:8192]
        digest.update(chunk)
    return digest.hexdigest(), head


def _check_readable(path: Path) -> int:
    """Return the size of a file the user wants to add, or raise a WorkbenchError naming it."""
    if not path.exists():
        raise WorkbenchError(str(path), "no such file")
    if not path.is_file():
        raise WorkbenchError(str(path), "is not a file")
    if is_open_here(path):
        raise WorkbenchError(str(path), "is a project open in this program; add a copy made with Save As instead")
    return path.stat().st_size


def add_evidence_files(project: OpenProject, files: Sequence[Path | str], meta: EvidenceMeta,
                       progress: Progress | None = None) -> list[Evidence]:
    """Add files as evidence of one control in a single transaction: all of them, or none.

    Files are streamed in chunks and never held whole in memory; bytes already in the project are not
    stored twice.
    """
    paths = [Path(f) for f in files]
    if meta.period_start and meta.period_end and meta.period_end < meta.period_start:
        raise ValidationError("evidence period", "ends before it starts")
    current = paths[0] if paths else Path()
    try:
        sizes = [_check_readable(path) for path in paths]
        tracker = _Progress(progress, 2 * sum(sizes))
        with project.uow() as uow:
            control_ref = meta.control_ref.strip()
            control_id = uow.controls.id_of(control_ref)
            added: list[int] = []
            for path, size in zip(paths, sizes, strict=True):
                current = path
                sha256, head = _hash_file(path, tracker)
                if uow.evidence.has_blob(sha256):
                    tracker.advance(size)
                else:
                    try:
                        uow.evidence.store_blob(sha256, sniff_media_type(head, path.name),
                                                _read_chunks(path, tracker))
                    except ValueError:
                        why = "the file changed while it was being added; try again"
                        raise WorkbenchError(str(path), why) from None
                    uow.flush()
                added.append(uow.evidence.add(
                    control_id, sha256, title=meta.title.strip() or path.stem, filename=path.name,
                    added_at=uow.now(), collected_on=meta.collected_on, period_start=meta.period_start,
                    period_end=meta.period_end, source=meta.source, notes=meta.notes,
                ))
            uow.commit()
            by_id = {e.id: e for e in uow.evidence.list(control_ref)}
            return [by_id[evidence_id] for evidence_id in added]
    except OSError as exc:
        raise WorkbenchError(str(current), f"cannot be read ({exc.strerror or exc})") from None


def add_evidence(project: OpenProject, path: Path | str, meta: EvidenceMeta,
                 progress: Progress | None = None) -> Evidence:
    """Add one file as evidence of a control (see add_evidence_files)."""
    return add_evidence_files(project, [path], meta, progress)[0]


def add_evidence_bytes(project: OpenProject, filename: str, data: bytes, meta: EvidenceMeta) -> Evidence:
    """Add evidence from bytes already in memory (small generated files)."""
    sha256 = hashlib.sha256(data).hexdigest()
    with project.uow() as uow:
        control_id = uow.controls.id_of(meta.control_ref.strip())
        if not uow.evidence.has_blob(sha256):
            chunks = [data[i:i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)] or [b""]
            uow.evidence.store_blob(sha256, sniff_media_type(data[:8192], filename), chunks)
        evidence_id = uow.evidence.add(
            control_id, sha256, title=meta.title.strip() or Path(filename).stem, filename=filename,
            added_at=uow.now(), collected_on=meta.collected_on, period_start=meta.period_start,
            period_end=meta.period_end, source=meta.source, notes=meta.notes,
        )
        uow.commit()
        return next(e for e in uow.evidence.list(meta.control_ref.strip()) if e.id == evidence_id)


def list_evidence(project: OpenProject, control_ref: str | None = None) -> list[Evidence]:
    """Return evidence records, of one control or of all."""
    with project.uow() as uow:
        return uow.evidence.list(control_ref)


def read_evidence(project: OpenProject, sha256: str) -> Iterator[bytes]:
    """Yield the stored bytes of one evidence file, chunk by chunk."""
    with project.uow() as uow:
        yield from uow.evidence.read(sha256)
