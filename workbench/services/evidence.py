"""Step 4: evidence files, streamed into the project, content-addressed and de-duplicated."""

from __future__ import annotations

import codecs
import hashlib
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import partial
from pathlib import Path, PurePath

from workbench.domain.entities import Control, Evidence, EvidenceDetails, ProjectSettings
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.media import shown_as, sniff_media_type
from workbench.services.changes import Change, Touched, moved_on
from workbench.services.pdf_pages import RenderedPage, render_first_page
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork
from workbench.store.projectfile import is_open_here

CHUNK_SIZE = 1 << 20
_EVIDENCE_LINKS = Touched.EVIDENCE | Touched.REQUESTS  # a record's links to the auditor's requests go with it
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
                       progress: Progress | None = None) -> Change[list[Evidence]]:
    """Add files as evidence of one control in a single transaction: all of them, or none.

    Files are streamed in chunks and never held whole in memory; bytes already in the project are not
    stored twice. Undone by removing the records (the bytes stay, as they do when evidence is removed).
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
    except OSError as exc:
        raise WorkbenchError(str(current), f"cannot be read ({exc.strerror or exc})") from None
    return Change(_EVIDENCE_LINKS, partial(remove_evidence_items, evidence_ids=tuple(added)),
                  [by_id[evidence_id] for evidence_id in added])


def add_evidence(project: OpenProject, path: Path | str, meta: EvidenceMeta,
                 progress: Progress | None = None) -> Change[Evidence]:
    """Add one file as evidence of a control (see add_evidence_files)."""
    change = add_evidence_files(project, [path], meta, progress)
    return Change(change.touched, change.inverse, change.value[0])


def add_evidence_bytes(project: OpenProject, filename: str, data: bytes, meta: EvidenceMeta) -> Change[Evidence]:
    """Add evidence from bytes already in memory (small generated files).

    No file name may hold a NUL character (nor may a PostgreSQL text), so one in `filename` is recorded as "_",
    as every export would write it anyway.
    """
    filename = filename.replace("\x00", "_")
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
        added = uow.evidence.get(evidence_id)
    return Change(_EVIDENCE_LINKS, partial(remove_evidence_items, evidence_ids=(evidence_id,)), added)


def list_evidence(project: OpenProject, control_ref: str | None = None) -> list[Evidence]:
    """Return evidence records, of one control or of all."""
    with project.uow() as uow:
        return uow.evidence.list(control_ref)


def read_evidence(project: OpenProject, sha256: str) -> Iterator[bytes]:
    """Yield the stored bytes of one evidence file, chunk by chunk."""
    with project.uow() as uow:
        yield from uow.evidence.read(sha256)


# -- one evidence record: details, edits, removal and its undo ------------------------------------------


_DETAILS = tuple(f.name for f in fields(EvidenceDetails))


@dataclass(frozen=True, slots=True)
class EvidenceEdit(EvidenceDetails):
    """The descriptive fields of an evidence record the user may change, as an edit sends them."""

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceEdit:
        """Return the current fields of an evidence record (to restore them on undo)."""
        return cls(**{name: getattr(evidence, name) for name in _DETAILS})


@dataclass(frozen=True, slots=True)
class RemovedEvidence:
    """What is needed to put a removed evidence record back: the record and the requests it answered."""

    evidence: Evidence
    request_ids: tuple[int, ...] = ()


def get_evidence(project: OpenProject, evidence_id: int) -> Evidence:
    """Return one evidence record."""
    with project.uow() as uow:
        return uow.evidence.get(evidence_id)


def update_evidence(project: OpenProject, evidence_id: int, edit: EvidenceEdit, expected_version: int | None = None,
                    *, expected: EvidenceEdit | None = None) -> Change[Evidence]:
    """Change the title, dates, source and notes of an evidence record (see update_control on the expectations)."""
    title = edit.title.strip()
    if not title:
        raise ValidationError(f"evidence {evidence_id}", "the title cannot be empty")
    if edit.period_start and edit.period_end and edit.period_end < edit.period_start:
        raise ValidationError(f"evidence {title}", "the period covered ends before it starts")
    with project.uow() as uow:
        current = uow.evidence.get(evidence_id)
        before = EvidenceEdit.of(current)
        if expected is not None and before != expected:
            raise moved_on(f"evidence {current.title}", current)
        uow.evidence.update(evidence_id, expected_version, title=title, collected_on=edit.collected_on,
                            period_start=edit.period_start, period_end=edit.period_end,
                            source=edit.source.strip(), notes=edit.notes)
        uow.commit()
        after = uow.evidence.get(evidence_id)
    undo = partial(update_evidence, evidence_id=evidence_id, edit=before, expected=EvidenceEdit.of(after))
    return Change(Touched.EVIDENCE, undo, after)


def _remove_in(uow: UnitOfWork, evidence_id: int) -> RemovedEvidence:
    removed = RemovedEvidence(uow.evidence.get(evidence_id), uow.evidence.request_links(evidence_id))
    uow.evidence.remove(evidence_id)
    return removed


def _restore_in(uow: UnitOfWork, removed: RemovedEvidence) -> int:
    evidence = removed.evidence
    if not uow.evidence.has_blob(evidence.sha256):
        raise WorkbenchError(f"evidence {evidence.filename}", "its bytes are no longer in the project")
    control_id = uow.controls.id_of(evidence.control_ref)
    return uow.evidence.restore(evidence, control_id, evidence.added_at or uow.now(), removed.request_ids)


def remove_evidence(project: OpenProject, evidence_id: int) -> Change[RemovedEvidence]:
    """Remove an evidence record (and its links to auditor requests); the bytes stay in the project."""
    removed = project.committed(lambda uow: _remove_in(uow, evidence_id))
    return Change(_EVIDENCE_LINKS, partial(restore_evidence, removed=removed), removed)


def restore_evidence(project: OpenProject, removed: RemovedEvidence) -> Change[Evidence]:
    """Put a removed evidence record back over the same stored bytes, with the same details and request links."""
    with project.uow() as uow:
        evidence_id = _restore_in(uow, removed)
        uow.commit()
        evidence = uow.evidence.get(evidence_id)
    return Change(_EVIDENCE_LINKS, partial(remove_evidence, evidence_id=evidence_id), evidence)


def remove_evidence_items(project: OpenProject, evidence_ids: Sequence[int]) -> Change[list[RemovedEvidence]]:
    """Remove several evidence records in one transaction (the undo of adding them); see remove_evidence."""
    removed = project.committed(lambda uow: [_remove_in(uow, evidence_id) for evidence_id in evidence_ids])
    return Change(_EVIDENCE_LINKS, partial(restore_evidence_items, removed=tuple(removed)), removed)


def restore_evidence_items(project: OpenProject, removed: Sequence[RemovedEvidence]) -> Change[list[Evidence]]:
    """Put several removed evidence records back in one transaction; see restore_evidence."""
    with project.uow() as uow:
        ids = [_restore_in(uow, item) for item in removed]
        uow.commit()
        restored = [uow.evidence.get(evidence_id) for evidence_id in ids]
    return Change(_EVIDENCE_LINKS, partial(remove_evidence_items, evidence_ids=tuple(ids)), restored)


# -- getting the bytes out: a checked copy, and a temporary one to open -----------------------------------


def export_evidence(project: OpenProject, evidence_id: int, destination: Path | str,
                    progress: Progress | None = None) -> Path:
    """Write the stored bytes to a new file, checking the SHA-256 as they are written; never overwrite.

    When the bytes do not match their hash, or the user cancels, the new file is deleted again.
    """
    destination = Path(destination)
    with project.uow() as uow:
        evidence = uow.evidence.get(evidence_id)
        tracker = _Progress(progress, evidence.size)
        try:
            handle = destination.open("xb")
        except FileExistsError:
            raise WorkbenchError(str(destination), "already exists; choose another name") from None
        except OSError as exc:
            raise WorkbenchError(str(destination), f"cannot be written ({exc.strerror or exc})") from None
        digest = hashlib.sha256()
        size = 0
        try:
            with handle:
                for chunk in uow.evidence.read(evidence.sha256):
                    digest.update(chunk)
                    handle.write(chunk)
                    size += len(chunk)
                    tracker.advance(len(chunk))
            if digest.hexdigest() != evidence.sha256 or size != evidence.size:
                raise WorkbenchError(f"evidence {evidence.filename}",
                                     "the stored bytes no longer match their SHA-256; nothing was saved")
        except OSError as exc:
            destination.unlink(missing_ok=True)
            raise WorkbenchError(str(destination), f"cannot be written ({exc.strerror or exc})") from None
        except ValueError as exc:  # a missing chunk
            destination.unlink(missing_ok=True)
            raise WorkbenchError(f"evidence {evidence.filename}", f"{exc}; nothing was saved") from None
        except BaseException:
            destination.unlink(missing_ok=True)
            raise
    return destination


def safe_filename(evidence: Evidence) -> str:
    """Return the evidence's file name, reduced to a plain name that is safe to create in any folder."""
    name = PurePath(evidence.filename.replace("\\", "/")).name.strip(". ")
    return name or f"evidence-{evidence.id}"


def export_to_temporary(project: OpenProject, evidence_id: int) -> Path:
    """Write a checked copy of the evidence into a new private temporary folder (for opening it); return it."""
    evidence = get_evidence(project, evidence_id)
    folder = Path(tempfile.mkdtemp(prefix="soc2-evidence-"))
    return export_evidence(project, evidence_id, folder / safe_filename(evidence))


# -- previews -----------------------------------------------------------------------------------------------

PREVIEW_LINES = 200
PREVIEW_TEXT_BYTES = 512 * 1024
PREVIEW_IMAGE_BYTES = 32 << 20
PREVIEW_PDF_BYTES = 64 << 20


@dataclass(frozen=True, slots=True)
class PdfSummary:
    """What pypdf reads from a PDF without rendering it: its metadata and page count."""

    pages: int
    title: str = ""
    author: str = ""
    subject: str = ""
    producer: str = ""
    creator: str = ""
    created: datetime | None = None
    modified: datetime | None = None
    encrypted: bool = False


@dataclass(frozen=True, slots=True)
class EvidencePreview:
    """A preview: kind "image" (data holds the file), "text", "pdf" (pdf holds the summary) or "none"."""

    kind: str
    text: str = ""
    data: bytes = b""
    truncated: bool = False
    pdf: PdfSummary | None = None
    page: RenderedPage | None = None  # for a PDF: its first page, when it can be rendered


def _preview_kind(evidence: Evidence) -> str:
    return shown_as(evidence.media_type, evidence.filename) or "none"


def _text_head(chunks: Iterator[bytes], max_lines: int) -> tuple[str, bool]:
    """Decode the first lines of a text file (BOM-aware, bad bytes replaced); return (text, truncated)."""
    decoder: codecs.IncrementalDecoder | None = None
    parts: list[str] = []
    lines = read = 0
    for chunk in chunks:
        if decoder is None:
            encoding = "utf-16" if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        chunk = chunk[:PREVIEW_TEXT_BYTES - read]
        read += len(chunk)
        text = decoder.decode(chunk, final=read >= PREVIEW_TEXT_BYTES)
        parts.append(text)
        lines += text.count("\n")
        if lines >= max_lines or read >= PREVIEW_TEXT_BYTES:
            whole = "".join(parts).splitlines()
            return "\n".join(whole[:max_lines]), True
    if decoder is not None:
        parts.append(decoder.decode(b"", final=True))
    return "".join(parts), False


def _pdf_summary(data: bytes) -> PdfSummary:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted:
            reader.decrypt("")
        info = reader.metadata
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise WorkbenchError("PDF", f"cannot be read ({exc})") from None

    def text(value: object) -> str:
        return str(value).strip() if value else ""

    if info is None:
        return PdfSummary(pages, encrypted=encrypted)
    return PdfSummary(pages, text(info.title), text(info.author), text(info.subject), text(info.producer),
                      text(info.creator), info.creation_date, info.modification_date, encrypted)


def preview_evidence(project: OpenProject, evidence_id: int, max_lines: int = PREVIEW_LINES) -> EvidencePreview:
    """Return what to preview of an evidence file: an image's bytes, a text's first lines, a PDF's summary."""
    evidence = get_evidence(project, evidence_id)
    kind = _preview_kind(evidence)
    limits = {"image": PREVIEW_IMAGE_BYTES, "pdf": PREVIEW_PDF_BYTES}
    if kind in limits and evidence.size > limits[kind]:
        return EvidencePreview("none", f"No preview: the file is larger than {limits[kind] >> 20} MiB.")
    if kind == "none":
        return EvidencePreview("none", f"No preview for this kind of file ({evidence.media_type}).")
    with project.uow() as uow:
        chunks = uow.evidence.read(evidence.sha256)
        if kind == "text":
            text, truncated = _text_head(chunks, max_lines)
            return EvidencePreview("text", text, truncated=truncated)
        data = b"".join(chunks)
    if kind == "image":
        return EvidencePreview("image", data=data)
    try:
        return EvidencePreview("pdf", pdf=_pdf_summary(data), page=render_first_page(data))
    except WorkbenchError as exc:
        return EvidencePreview("none", f"No preview: the PDF {exc.why}.")


# -- the page's view of step 4 --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceOverview:
    """Everything the evidence page's first tab shows: the controls, their evidence and how many each has."""

    settings: ProjectSettings
    controls: tuple[Control, ...]
    evidence: tuple[Evidence, ...]
    counts: dict[str, int] = field(default_factory=dict)


def evidence_overview(project: OpenProject) -> EvidenceOverview:
    """Return the controls, every evidence record and each control's count of them."""
    with project.uow() as uow:
        settings = uow.settings.get()
        controls = tuple(uow.controls.list())
        evidence = tuple(uow.evidence.list())
    counts: dict[str, int] = {}
    for item in evidence:
        counts[item.control_ref] = counts.get(item.control_ref, 0) + 1
    return EvidenceOverview(settings, controls, evidence, counts)
