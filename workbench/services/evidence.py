"""Step 4: evidence files, streamed into the project, content-addressed and de-duplicated."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.domain.entities import Evidence
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.media import sniff_media_type
from workbench.services.session import OpenProject

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


def _read_chunks(path: Path, progress: Progress | None, total: int, done_before: int) -> Iterator[bytes]:
    done = done_before
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            done += len(chunk)
            if progress is not None and not progress(done, total):
                raise Cancelled()
            yield chunk


def _hash_file(path: Path, progress: Progress | None, total: int) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    head = b""
    for chunk in _read_chunks(path, progress, total, 0):
        if not head:
            head = chunk[:8192]
        digest.update(chunk)
    return digest.hexdigest(), head


def add_evidence(project: OpenProject, path: Path | str, meta: EvidenceMeta,
                 progress: Progress | None = None) -> Evidence:
    """Add one file as evidence of a control, never holding the whole file in memory; all or nothing."""
    path = Path(path)
    if meta.period_start and meta.period_end and meta.period_end < meta.period_start:
        raise ValidationError("evidence period", "ends before it starts")
    try:
        if not path.is_file():
            raise WorkbenchError(str(path), "no such file" if not path.exists() else "is not a file")
        size = path.stat().st_size
        # Hash first (one read), then store only bytes not already in the project (second read).
        total = size * 2
        sha256, head = _hash_file(path, progress, total)
        with project.uow() as uow:
            control_id = uow.controls.id_of(meta.control_ref.strip())
            if not uow.evidence.has_blob(sha256):
                media_type = sniff_media_type(head, path.name)
                try:
                    uow.evidence.store_blob(sha256, media_type, _read_chunks(path, progress, total, size))
                except ValueError:
                    raise WorkbenchError(str(path), "the file changed while it was being added; try again") from None
                uow.flush()
            evidence_id = uow.evidence.add(
                control_id, sha256, title=meta.title.strip() or path.stem, filename=path.name, added_at=uow.now(),
                collected_on=meta.collected_on, period_start=meta.period_start, period_end=meta.period_end,
                source=meta.source, notes=meta.notes,
            )
            uow.commit()
            return next(e for e in uow.evidence.list(meta.control_ref.strip()) if e.id == evidence_id)
    except OSError as exc:
        raise WorkbenchError(str(path), f"cannot be read ({exc.strerror or exc})") from None


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
