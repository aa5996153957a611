"""Reading the audit trail."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.audit_chain import GENESIS_HASH
from workbench.domain.entities import AuditEntry
from workbench.store.schema import AuditEntryRow


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def entries(self) -> Iterator[AuditEntry]:
        """Yield every entry in chain order, streaming."""
        query = select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=2000)
        for r in self._session.scalars(query):
            yield AuditEntry(r.seq, r.at, r.actor, r.action, r.entity, r.entity_key, r.summary, r.prev_hash, r.hash)

    def head(self) -> str:
        """Return the hash at the head of the chain (the genesis hash when the trail is empty)."""
        value = self._session.scalar(select(AuditEntryRow.hash).order_by(AuditEntryRow.seq.desc()).limit(1))
        return value or GENESIS_HASH

    def count(self) -> int:
        """Return how many entries the trail holds."""
        return self._session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0
