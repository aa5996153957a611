"""Access review campaigns with their accounts and decisions, each campaign written whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from workbench.domain.access_reviews import Campaign, Decision, Entry
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_member, enum_value
from workbench.store.schema import AccessReviewEntryRow, AccessReviewRow


class AccessReviewRepository(RecordRepository[AccessReviewRow, Campaign]):
    row_type = AccessReviewRow
    noun = "access review"
    same = ("ref", "system", "started_on", "source", "sha256", "reviewer", "closed_on", "evidence_id")

    def _record(self, row: AccessReviewRow, links: ControlLinks) -> Campaign:
        entries = self._session.scalars(select(AccessReviewEntryRow).where(AccessReviewEntryRow.review_id == row.id)
                                        .order_by(AccessReviewEntryRow.position))
        return Campaign(
            control_ref=links.ref(row.control_id), **self._stored(row),
            entries=tuple(Entry(e.login, e.email, e.name, e.role, e.admin, e.status, e.last_login,
                                enum_member(Decision, e.decision), e.note, e.task_id) for e in entries))

    def _columns(self, record: Campaign, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "control_id": links.id(record.control_ref)}

    def _after_write(self, row: AccessReviewRow, record: Campaign) -> None:
        self._session.execute(delete(AccessReviewEntryRow).where(AccessReviewEntryRow.review_id == row.id))
        for position, e in enumerate(record.entries):
            self._session.add(AccessReviewEntryRow(
                review_id=row.id, position=position, login=e.login, email=e.email, name=e.name, role=e.role,
                admin=e.admin, status=e.status, last_login=e.last_login, decision=enum_value(e.decision),
                note=e.note, task_id=e.task_id))
        self._session.flush()

    def of_system(self, system: str) -> list[Campaign]:
        """Return a system's campaigns, oldest first."""
        wanted = system.strip().casefold()
        return [c for c in sorted(self.list(), key=lambda c: c.id) if c.system.strip().casefold() == wanted]
