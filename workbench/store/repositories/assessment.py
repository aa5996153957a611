"""Criterion assessments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.entities import CriterionAssessment
from workbench.domain.enums import AssessmentStatus
from workbench.store.schema import AssessmentRow


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> dict[str, CriterionAssessment]:
        """Return every recorded assessment keyed by criterion id."""
        return {
            r.criterion_id: CriterionAssessment(
                r.criterion_id, AssessmentStatus(r.status), r.note, datetime.fromisoformat(r.updated_at)
            )
            for r in self._session.scalars(select(AssessmentRow))
        }

    def set(self, criterion_id: str, status: AssessmentStatus, note: str, at: datetime) -> None:
        """Record a judgement of one criterion."""
        row = self._session.get(AssessmentRow, criterion_id)
        if row is None:
            self._session.add(AssessmentRow(criterion_id=criterion_id, status=status.value, note=note,
                                            updated_at=at.isoformat()))
            return
        if row.status != status.value or row.note != note:
            row.status, row.note, row.updated_at = status.value, note, at.isoformat()
