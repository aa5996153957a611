"""Criterion assessments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.domain.entities import CriterionAssessment
from workbench.domain.enums import AssessmentStatus
from workbench.store import versions
from workbench.store.repositories.plain import read, table
from workbench.store.schema import AssessmentRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> dict[str, CriterionAssessment]:
        """Return every recorded assessment keyed by criterion id."""
        return {
            r.criterion_id: CriterionAssessment(
                r.criterion_id, AssessmentStatus(r.status), r.note, datetime.fromisoformat(r.updated_at),
                version=r.version,
            )
            for r in read(self._session, select(table(AssessmentRow)))
        }

    def set(self, criterion_id: str, status: AssessmentStatus, note: str, at: datetime,
            expected_version: int | None = None) -> None:
        """Record a judgement of one criterion (refused if it is no longer at `expected_version`)."""
        row = self._session.get(AssessmentRow, criterion_id)
        versions.check_version(self._session, row.version if row else 0, expected_version,
                               what=f"criterion {criterion_id}", entity=AssessmentRow.__tablename__,
                               key=criterion_id, fresh=lambda: self.all().get(criterion_id))
        if row is None:
            self._session.add(AssessmentRow(criterion_id=criterion_id, status=status.value, note=note,
                                            updated_at=at.isoformat()))
            return
        if row.status != status.value or row.note != note:
            row.status, row.note, row.updated_at = status.value, note, at.isoformat()
