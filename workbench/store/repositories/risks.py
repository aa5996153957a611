"""Risk assessments and their risks: each risk belongs to one assessment; the latest is the register in use."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.domain.risks import Risk, RiskAssessment, Treatment
from workbench.store.repositories.plain import read, table
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_member, enum_value, set_changed
from workbench.store.schema import RiskAssessmentRow, RiskRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


class RiskRepository(RecordRepository[RiskRow, Risk]):
    """Risks; a reference is unique within its assessment."""

    row_type = RiskRow
    noun = "risk"
    same = ("assessment_id", "ref", "scenario", "asset", "category", "likelihood", "impact", "inherent_given",
            "treatment_text", "residual_likelihood", "residual_impact", "residual_given", "owner", "review_on",
            "notes")

    def _record(self, row: RiskRow, links: ControlLinks) -> Risk:
        return Risk(fraud=bool(row.fraud), treatment=enum_member(Treatment, row.treatment),
                    controls=tuple(line for line in row.control_refs.split("\n") if line), **self._stored(row))

    def _columns(self, record: Risk, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "fraud": record.fraud, "treatment": enum_value(record.treatment),
                "control_refs": "\n".join(record.controls)}

    def of_assessment(self, assessment_id: int) -> list[Risk]:
        """Return the risks of one assessment, in the natural order of their references."""
        links = ControlLinks(self._session)
        rows = self._rows(table(RiskRow).c.assessment_id == assessment_id)
        return natural_sorted((self._record(row, links) for row in rows), key=lambda r: r.ref)

    def by_ref(self, ref: str, assessment_id: int | None = None) -> Risk | None:
        """Return the risk with this reference in an assessment (default: the latest), or None."""
        if assessment_id is None:
            assessment_id = RiskAssessmentRepository(self._session).latest_id()
        row = self._session.scalars(select(RiskRow).where(RiskRow.assessment_id == assessment_id,
                                                          RiskRow.ref == ref)).first()
        return None if row is None else self._record(row, ControlLinks(self._session))

    def _refuse_duplicates(self, records: Sequence[Risk]) -> None:
        rows = self._session.execute(select(RiskRow.assessment_id, RiskRow.ref))
        taken = {(assessment, ref) for assessment, ref in rows}
        for record in records:
            if (record.assessment_id, record.ref) in taken:
                raise DuplicateError(f"risk {record.ref}", "already exists in this assessment; give it another "
                                                          "reference")
            taken.add((record.assessment_id, record.ref))

    def _refuse_duplicate(self, record: Risk, record_id: int | None) -> None:
        clash = self._session.scalars(select(RiskRow.id).where(RiskRow.assessment_id == record.assessment_id,
                                                               RiskRow.ref == record.ref)).first()
        if clash is not None and clash != record_id:
            raise DuplicateError(f"risk {record.ref}", "already exists in this assessment; give it another reference")


def _assessment(row: Any, links: ControlLinks, count: int) -> RiskAssessment:
    return RiskAssessment(row.id, row.started_on, row.signed_on, row.signed_by, links.ref(row.control_id),
                          row.evidence_id, row.notes, count)


class RiskAssessmentRepository:
    """The assessments, oldest first; the last is the register in use (a draft, or signed and read-only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[RiskAssessment]:
        """Return every assessment, oldest first, with its number of risks."""
        risks, assessments = table(RiskRow).c, table(RiskAssessmentRow)
        counts = dict(read(self._session, select(risks.assessment_id, func.count()).group_by(
            risks.assessment_id)).all())
        links = ControlLinks(self._session)
        rows = read(self._session, select(assessments).order_by(assessments.c.id))
        return [_assessment(row, links, counts.get(row.id, 0)) for row in rows]

    def latest_id(self) -> int | None:
        """Return the id of the assessment in use, or None when there is none yet."""
        return self._session.scalars(select(func.max(RiskAssessmentRow.id))).first()

    def latest(self) -> RiskAssessment | None:
        """Return the assessment in use, or None."""
        latest = self.latest_id()
        return None if latest is None else self.get(latest)

    def in_use(self, today: date, now: datetime) -> int:
        """Return the id of the assessment in use, starting a draft dated today when there is none yet."""
        latest = self.latest_id()
        return latest if latest is not None else self.add(today, now)

    def get(self, assessment_id: int) -> RiskAssessment:
        """Return one assessment."""
        row = self._row(assessment_id)
        count = self._session.scalars(select(func.count()).where(RiskRow.assessment_id == assessment_id)).one()
        return _assessment(row, ControlLinks(self._session), count)

    def add(self, started_on: date | None, created_at: datetime, assessment_id: int | None = None) -> int:
        """Start an assessment (a draft); return its id."""
        row = RiskAssessmentRow(started_on=started_on, created_at=created_at.isoformat(timespec="seconds"))
        if assessment_id is not None:
            row.id = assessment_id
        self._session.add(row)
        self._session.flush()
        return row.id

    def sign(self, assessment_id: int, signed_on: date | None, signed_by: str, control_id: int | None,
             evidence_id: int | None) -> None:
        """Record the signature (or, with signed_on None, take it back) and the evidence it produced."""
        set_changed(self._row(assessment_id), {"signed_on": signed_on, "signed_by": signed_by,
                                               "control_id": control_id, "evidence_id": evidence_id})
        self._session.flush()

    def remove(self, assessment_id: int) -> None:
        """Remove an assessment and its risks."""
        for row in self._session.scalars(select(RiskRow).where(RiskRow.assessment_id == assessment_id)):
            self._session.delete(row)
        self._session.flush()
        self._session.delete(self._row(assessment_id))
        self._session.flush()

    def _row(self, assessment_id: int) -> RiskAssessmentRow:
        row = self._session.get(RiskAssessmentRow, assessment_id)
        if row is None:
            raise NotFoundError(f"risk assessment {assessment_id}", "does not exist")
        return row
