"""Evidence records and their content-addressed bytes, stored in chunks so large files stream."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from workbench.domain.entities import Evidence
from workbench.domain.errors import NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.domain.period import EvidenceDates
from workbench.store import crypto, versions
from workbench.store.repositories.plain import read, table
from workbench.store.schema import (
    ControlRow,
    EvidenceBlobRow,
    EvidenceChunkRow,
    EvidenceRow,
    RequestEvidenceRow,
    RequestRow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

CHUNK_SIZE = 1 << 20


class DamagedEvidenceError(ValueError):
    """Stored evidence bytes of an encrypted project do not decrypt: they were altered on disk."""

_EDITABLE = frozenset({"title", "collected_on", "period_start", "period_end", "source", "notes"})


class EvidenceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def has_blob(self, sha256: str) -> bool:
        """Return True when bytes with this hash are already stored."""
        return self._session.get(EvidenceBlobRow, sha256) is not None

    def store_blob(self, sha256: str, media_type: str, chunks: Iterable[bytes]) -> int:
        """Store bytes under their hash, chunk by chunk; verify the hash; return the size."""
        blob = EvidenceBlobRow(sha256=sha256, size=0, media_type=media_type, chunk_count=0)
        self._session.add(blob)
        self._session.flush()
        digest = hashlib.sha256()
        size = seq = 0
        cipher = crypto.cipher_of(self._session)
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            data = chunk if cipher is None else cipher.encrypt_chunk(chunk, sha256, seq)
            self._session.execute(insert(EvidenceChunkRow), [{"blob_sha256": sha256, "seq": seq, "data": data}])
            seq += 1
        if digest.hexdigest() != sha256:
            raise ValueError("the bytes changed while they were being stored")
        blob.size, blob.chunk_count = size, seq
        self._session.flush()
        return size

    def add(self, control_id: int, sha256: str, *, title: str, filename: str, added_at: datetime,
            collected_on: date | None = None, period_start: date | None = None, period_end: date | None = None,
            source: str = "", notes: str = "") -> int:
        """Attach stored bytes to a control as an evidence record; return its id."""
        row = EvidenceRow(control_id=control_id, blob_sha256=sha256, title=title, filename=filename,
                          collected_on=collected_on, period_start=period_start, period_end=period_end,
                          source=source, notes=notes, added_at=added_at.isoformat())
        self._session.add(row)
        self._session.flush()
        return row.id

    def list(self, control_ref: str | None = None) -> list[Evidence]:
        """Return evidence records (of one control, or all), by control then id."""
        return self._select(None if control_ref is None else ControlRow.ref == control_ref)

    def get(self, evidence_id: int) -> Evidence:
        """Return one evidence record; raise NotFoundError if there is none with this id."""
        found = self._select(EvidenceRow.id == evidence_id)
        if not found:
            raise NotFoundError(f"evidence {evidence_id}", "does not exist")
        return found[0]

    def _row(self, evidence_id: int) -> EvidenceRow:
        row = self._session.get(EvidenceRow, evidence_id)
        if row is None:
            raise NotFoundError(f"evidence {evidence_id}", "does not exist")
        return row

    def update(self, evidence_id: int, expected_version: int | None = None, **fields: object) -> None:
        """Change the descriptive fields of an evidence record, touching only what differs.

        Refused (ConflictError) when the record is no longer at `expected_version`.
        """
        row = self._row(evidence_id)
        versions.check_version(self._session, row.version, expected_version, what=f"evidence {row.title}",
                               entity=EvidenceRow.__tablename__, key=str(evidence_id),
                               fresh=lambda: self.get(evidence_id))
        for name, value in fields.items():
            if name not in _EDITABLE:
                raise ValueError(f"evidence field {name!r} cannot be edited")
            if getattr(row, name) != value:
                setattr(row, name, value)
        self._session.flush()

    def request_links(self, evidence_id: int) -> tuple[int, ...]:
        """Return the ids of the auditor requests this evidence answers."""
        return tuple(sorted(self._session.scalars(
            select(RequestEvidenceRow.request_id).where(RequestEvidenceRow.evidence_id == evidence_id)
        )))

    def remove(self, evidence_id: int) -> None:
        """Delete an evidence record with its request links; its stored bytes stay in the project."""
        self._session.delete(self._row(evidence_id))
        self._session.flush()

    def restore(self, evidence: Evidence, control_id: int, added_at: datetime, request_ids: Iterable[int] = ()) -> int:
        """Re-create a removed evidence record over its stored bytes, under its old id when still free."""
        free = self._session.get(EvidenceRow, evidence.id) is None
        row = EvidenceRow(control_id=control_id, blob_sha256=evidence.sha256, title=evidence.title,
                          filename=evidence.filename, collected_on=evidence.collected_on,
                          period_start=evidence.period_start, period_end=evidence.period_end,
                          source=evidence.source, notes=evidence.notes, added_at=added_at.isoformat())
        if free:
            row.id = evidence.id
        self._session.add(row)
        self._session.flush()
        existing = set(self._session.scalars(select(RequestRow.id).where(RequestRow.id.in_(list(request_ids)))))
        for request_id in sorted(existing):
            self._session.add(RequestEvidenceRow(request_id=request_id, evidence_id=row.id))
        self._session.flush()
        return row.id

    def _select(self, condition: object) -> list[Evidence]:
        # Plain columns, not ORM objects: listing thousands of records for an export stays cheap.
        query = (
            select(EvidenceRow.id, ControlRow.ref, EvidenceRow.title, EvidenceRow.filename, EvidenceBlobRow.sha256,
                   EvidenceBlobRow.size, EvidenceBlobRow.media_type, EvidenceRow.collected_on,
                   EvidenceRow.period_start, EvidenceRow.period_end, EvidenceRow.source, EvidenceRow.notes,
                   EvidenceRow.added_at, EvidenceRow.version)
            .join(ControlRow, EvidenceRow.control_id == ControlRow.id)
            .join(EvidenceBlobRow, EvidenceRow.blob_sha256 == EvidenceBlobRow.sha256)
            .order_by(EvidenceRow.id)
        )
        if condition is not None:
            query = query.where(condition)  # type: ignore[arg-type]
        return natural_sorted((  # by control, in the natural order of its reference; then as added
            Evidence(
                id=r.id, control_ref=r.ref, title=r.title, filename=r.filename, sha256=r.sha256, size=r.size,
                media_type=r.media_type, collected_on=r.collected_on, period_start=r.period_start,
                period_end=r.period_end, source=r.source, notes=r.notes, added_at=datetime.fromisoformat(r.added_at),
                version=r.version,
            )
            for r in self._session.execute(query)
        ), key=lambda e: e.control_ref)

    def count(self) -> int:
        """Return how many evidence records there are."""
        return read(self._session, select(func.count()).select_from(table(EvidenceRow))).scalar() or 0

    def dates_by_control(self) -> dict[int, list[EvidenceDates]]:
        """Return the dates of every evidence record by control id (only what the evidence calendar needs)."""
        found: dict[int, list[EvidenceDates]] = {}
        evidence = table(EvidenceRow).c
        query = select(evidence.control_id, evidence.id, evidence.collected_on, evidence.period_start,
                       evidence.period_end).order_by(evidence.id)
        for control_id, evidence_id, collected_on, period_start, period_end in read(self._session, query):
            found.setdefault(control_id, []).append(EvidenceDates(evidence_id, collected_on, period_start,
                                                                  period_end))
        return found

    def controls_with_evidence(self) -> set[int]:
        """Return the ids of controls with at least one evidence record."""
        return set(read(self._session, select(table(EvidenceRow).c.control_id).distinct()).scalars())

    def read(self, sha256: str) -> Iterator[bytes]:
        """Yield the stored bytes of one blob, chunk by chunk, in order."""
        blob = self._session.get(EvidenceBlobRow, sha256)
        if blob is None:
            return
        cipher = crypto.cipher_of(self._session)
        for seq in range(blob.chunk_count):
            data = self._session.scalar(
                select(EvidenceChunkRow.data).where(
                    EvidenceChunkRow.blob_sha256 == sha256, EvidenceChunkRow.seq == seq
                )
            )
            if data is None:
                raise ValueError(f"evidence {sha256[:12]}: chunk {seq} is missing")
            if cipher is not None:
                try:
                    data = cipher.decrypt_chunk(data, sha256, seq)
                except crypto.DecryptionError:
                    raise DamagedEvidenceError(
                        f"evidence {self._label(sha256)} (sha256 {sha256[:12]}...) is damaged: it does not decrypt"
                    ) from None
            yield data

    def _label(self, sha256: str) -> str:
        names = self._session.scalars(select(EvidenceRow.filename).where(EvidenceRow.blob_sha256 == sha256)
                                      .order_by(EvidenceRow.id)).all()
        return ", ".join(names) or "unattached bytes"

    def blob_problems(self) -> Iterator[str]:
        """Yield a sentence for each stored blob whose bytes no longer match its hash or size."""
        for blob in self._session.scalars(select(EvidenceBlobRow).order_by(EvidenceBlobRow.sha256)):
            digest = hashlib.sha256()
            size = 0
            try:
                for chunk in self.read(blob.sha256):
                    digest.update(chunk)
                    size += len(chunk)
            except ValueError as exc:
                yield str(exc)
                continue
            if digest.hexdigest() != blob.sha256 or size != blob.size:
                yield f"evidence {self._label(blob.sha256)} (sha256 {blob.sha256[:12]}...) no longer matches its hash"
