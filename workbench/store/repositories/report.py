"""The SOC 2 report received, its exceptions and who it was shared with."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.domain.entities import Distribution, Report, ReportException
from workbench.domain.enums import Opinion, ReportType
from workbench.domain.errors import NotFoundError
from workbench.store.repositories.plain import read, table
from workbench.store.schema import DistributionRow, EvidenceBlobRow, ReportExceptionRow, ReportRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


def _set(row: object, values: dict[str, object]) -> None:
    for attr, value in values.items():
        if getattr(row, attr) != value:
            setattr(row, attr, value)


class ReportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Report]:
        """Return every report, newest period first, with exceptions and distribution."""
        exceptions: dict[int, list[ReportException]] = defaultdict(list)
        found = table(ReportExceptionRow)
        for e in read(self._session, select(found).order_by(found.c.id)):
            exceptions[e.report_id].append(ReportException(e.id, e.reference, e.description, e.management_response))
        shared: dict[int, list[Distribution]] = defaultdict(list)
        sent = table(DistributionRow)
        for d in read(self._session, select(sent).order_by(sent.c.id)):
            shared[d.report_id].append(Distribution(d.id, d.recipient, d.organization, d.nda_reference, d.sent_on))
        reports = table(ReportRow)
        return [
            Report(
                ReportType(row.report_type), row.period_start, row.period_end,
                Opinion(row.opinion) if row.opinion else None, row.issued_on, row.auditor, row.notes,
                tuple(exceptions.get(row.id, ())), tuple(shared.get(row.id, ())), id=row.id,
            )
            for row in read(self._session, select(reports).order_by(reports.c.period_end.desc(), reports.c.id))
        ]

    def add(self, report_type: ReportType, period_start: date | None, period_end: date | None, *,
            opinion: Opinion | None = None, issued_on: date | None = None, auditor: str = "", notes: str = "",
            bridge_letter_on: date | None = None, next_cycle_start: date | None = None,
            blob_sha256: str | None = None, report_id: int | None = None) -> int:
        """Record a report (with a given id when putting one back) and return its id."""
        row = ReportRow(id=report_id, report_type=report_type.value, period_start=period_start,
                        period_end=period_end, opinion=opinion.value if opinion else None, issued_on=issued_on,
                        auditor=auditor, notes=notes, bridge_letter_on=bridge_letter_on,
                        next_cycle_start=next_cycle_start, blob_sha256=blob_sha256)
        self._session.add(row)
        self._session.flush()
        return row.id

    def _row(self, report_id: int) -> ReportRow:
        row = self._session.get(ReportRow, report_id)
        if row is None:
            raise NotFoundError(f"report {report_id}", "does not exist")
        return row

    def update(self, report_id: int, report_type: ReportType, period_start: date | None, period_end: date | None,
               *, opinion: Opinion | None, issued_on: date | None, auditor: str, notes: str,
               bridge_letter_on: date | None, next_cycle_start: date | None) -> None:
        """Replace the recorded details of a report (its file, exceptions and distribution stay)."""
        _set(self._row(report_id), {
            "report_type": report_type.value, "period_start": period_start, "period_end": period_end,
            "opinion": opinion.value if opinion else None, "issued_on": issued_on, "auditor": auditor,
            "notes": notes, "bridge_letter_on": bridge_letter_on, "next_cycle_start": next_cycle_start,
        })
        self._session.flush()

    def remove(self, report_id: int) -> None:
        """Delete a report with its exceptions and distribution entries, each one recorded in the trail."""
        row = self._row(report_id)
        for child_type in (ReportExceptionRow, DistributionRow):
            for child in self._session.scalars(select(child_type).where(child_type.report_id == report_id)):
                self._session.delete(child)
        self._session.flush()
        self._session.delete(row)
        self._session.flush()

    def follow_up(self, report_id: int) -> tuple[date | None, date | None, str | None]:
        """Return (bridge letter date, next cycle start, report file sha256) of a report."""
        row = self._row(report_id)
        return row.bridge_letter_on, row.next_cycle_start, row.blob_sha256

    def file_info(self, sha256: str) -> tuple[int, str]:
        """Return (size, media type) of stored bytes."""
        blob = self._session.get(EvidenceBlobRow, sha256)
        if blob is None:
            raise NotFoundError(f"stored file {sha256[:12]}", "does not exist")
        return blob.size, blob.media_type

    def set_file(self, report_id: int, sha256: str | None) -> None:
        """Point a report at stored bytes (or at none)."""
        row = self._row(report_id)
        if row.blob_sha256 != sha256:
            row.blob_sha256 = sha256
        self._session.flush()

    def add_exception(self, report_id: int, reference: str, description: str, management_response: str = "", *,
                      exception_id: int | None = None) -> int:
        """Record an exception the auditor noted; return its id."""
        self._row(report_id)
        row = ReportExceptionRow(id=exception_id, report_id=report_id, reference=reference,
                                 description=description, management_response=management_response)
        self._session.add(row)
        self._session.flush()
        return row.id

    def _exception_row(self, exception_id: int) -> ReportExceptionRow:
        row = self._session.get(ReportExceptionRow, exception_id)
        if row is None:
            raise NotFoundError(f"exception {exception_id}", "does not exist")
        return row

    def update_exception(self, exception_id: int, reference: str, description: str,
                         management_response: str) -> None:
        """Change an exception and its management response."""
        _set(self._exception_row(exception_id), {
            "reference": reference, "description": description, "management_response": management_response,
        })
        self._session.flush()

    def remove_exception(self, exception_id: int) -> None:
        """Delete an exception."""
        self._session.delete(self._exception_row(exception_id))
        self._session.flush()

    def add_distribution(self, report_id: int, recipient: str, organization: str = "", nda_reference: str = "",
                         sent_on: date | None = None, *, distribution_id: int | None = None) -> int:
        """Log that the report was sent to someone; return the entry's id."""
        self._row(report_id)
        row = DistributionRow(id=distribution_id, report_id=report_id, recipient=recipient,
                              organization=organization, nda_reference=nda_reference, sent_on=sent_on)
        self._session.add(row)
        self._session.flush()
        return row.id

    def remove_distribution(self, distribution_id: int) -> None:
        """Delete an entry of the distribution log."""
        row = self._session.get(DistributionRow, distribution_id)
        if row is None:
            raise NotFoundError(f"distribution entry {distribution_id}", "does not exist")
        self._session.delete(row)
        self._session.flush()
