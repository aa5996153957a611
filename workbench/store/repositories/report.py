"""The SOC 2 report received, its exceptions and who it was shared with."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.entities import Distribution, Report, ReportException
from workbench.domain.enums import Opinion, ReportType
from workbench.store.schema import DistributionRow, ReportExceptionRow, ReportRow


class ReportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Report]:
        """Return every report, newest period first, with exceptions and distribution."""
        reports = []
        for row in self._session.scalars(select(ReportRow).order_by(ReportRow.period_end.desc(), ReportRow.id)):
            exceptions = tuple(
                ReportException(e.id, e.reference, e.description, e.management_response)
                for e in self._session.scalars(
                    select(ReportExceptionRow).where(ReportExceptionRow.report_id == row.id)
                    .order_by(ReportExceptionRow.id))
            )
            shared = tuple(
                Distribution(d.id, d.recipient, d.organization, d.nda_reference, d.sent_on)
                for d in self._session.scalars(
                    select(DistributionRow).where(DistributionRow.report_id == row.id).order_by(DistributionRow.id))
            )
            reports.append(Report(
                row.id, ReportType(row.report_type), row.period_start, row.period_end,
                Opinion(row.opinion) if row.opinion else None, row.issued_on, row.auditor, row.notes,
                exceptions, shared,
            ))
        return reports

    def add(self, report_type: ReportType, period_start: date | None, period_end: date | None, *,
            opinion: Opinion | None = None, issued_on: date | None = None, auditor: str = "", notes: str = "") -> int:
        """Record a report and return its id."""
        row = ReportRow(report_type=report_type.value, period_start=period_start, period_end=period_end,
                        opinion=opinion.value if opinion else None, issued_on=issued_on, auditor=auditor, notes=notes)
        self._session.add(row)
        self._session.flush()
        return row.id
