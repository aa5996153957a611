"""Reading the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from workbench.domain.audit_chain import GENESIS_HASH
from workbench.domain.entities import AuditEntry
from workbench.store import crypto
from workbench.store.audit_trail import HEAD_KEY
from workbench.store.repositories.plain import read, table
from workbench.store.schema import AuditEntryRow, MetaRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

DAMAGED_SUMMARY = "\x00 the stored summary does not decrypt"


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def entries(self) -> Iterator[AuditEntry]:
        """Yield every entry in chain order, streaming, with its summary decrypted in an encrypted project."""
        query = select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=2000)
        cipher = crypto.cipher_of(self._session)
        for r in self._session.scalars(query):
            summary = r.summary
            if cipher is not None:
                try:
                    summary = cipher.decrypt_text(summary, crypto.summary_context(r.seq))
                except crypto.DecryptionError:
                    # Cannot equal what was sealed, so the chain check names this entry as altered.
                    summary = DAMAGED_SUMMARY
            yield AuditEntry(r.seq, r.at, r.actor, r.action, r.entity, r.entity_key, summary, r.prev_hash, r.hash)

    def head(self) -> str:
        """Return the hash at the head of the chain (the genesis hash when the trail is empty)."""
        entries = table(AuditEntryRow).c
        value = read(self._session, select(entries.hash).order_by(entries.seq.desc()).limit(1)).scalar()
        return value or GENESIS_HASH

    def recorded_head(self) -> tuple[int, str] | None:
        """Return the (seq, hash) the file recorded as its chain head, or None where none was recorded."""
        value = self._session.scalar(select(MetaRow.value).where(MetaRow.key == HEAD_KEY))
        seq, _, digest = (value or "").partition(" ")
        return (int(seq), digest) if seq.isdigit() and digest else None

    def count(self) -> int:
        """Return how many entries the trail holds."""
        return read(self._session, select(func.count()).select_from(table(AuditEntryRow))).scalar() or 0
