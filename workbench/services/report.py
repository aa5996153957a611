"""Step 6: the report received, its exceptions, and who it was shared with."""

from __future__ import annotations

from datetime import date

from workbench.domain.entities import Report
from workbench.domain.enums import Opinion, ReportType
from workbench.services.session import OpenProject


def add_report(project: OpenProject, report_type: ReportType, period_start: date | None, period_end: date | None,
               *, opinion: Opinion | None = None, issued_on: date | None = None, auditor: str = "",
               notes: str = "") -> int:
    """Record a SOC 2 report; return its id."""
    with project.uow() as uow:
        report_id = uow.reports.add(report_type, period_start, period_end, opinion=opinion, issued_on=issued_on,
                                    auditor=auditor, notes=notes)
        uow.commit()
        return report_id


def list_reports(project: OpenProject) -> list[Report]:
    """Return every recorded report, newest first."""
    with project.uow() as uow:
        return uow.reports.list()
