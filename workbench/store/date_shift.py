"""Move every date a project holds, row by row through the ORM, so that the audit trail records the change.

The audit trail itself keeps its times (its entries are hash-chained); free text and stored files keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.store.schema import (
    AcknowledgementRow,
    AssessmentRow,
    Base,
    ContinuityTestRow,
    ControlRow,
    DistributionRow,
    EngagementCheckRow,
    EvidenceRow,
    IncidentRow,
    MilestoneRow,
    PersonRow,
    PlanTaskRow,
    PolicyVersionRow,
    PopulationItemRow,
    PopulationRow,
    ProjectRow,
    ReportRow,
    RequestRow,
    RiskAssessmentRow,
    RiskRow,
    SampleItemRow,
    SampleRow,
    TaskRow,
    ToolRunRow,
    VendorReportRow,
    VendorRow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

# move(day, bound): bound is True for a range's first or last day (and record times), False for a single day.
DateMove = Callable[[date, bool], date]

# (row class, range-bound date columns, single-day date columns, ISO timestamp text columns)
DATE_COLUMNS: tuple[tuple[type[Base], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (ProjectRow, ("period_start", "period_end"), (), ("created_at",)),
    (AssessmentRow, (), (), ("updated_at",)),
    (ControlRow, ("implemented_since", "retired_on"), (), ()),
    (TaskRow, (), ("due",), ()),
    (EvidenceRow, ("period_start", "period_end"), ("collected_on",), ("added_at",)),
    (MilestoneRow, (), ("due", "done_on"), ()),
    (EngagementCheckRow, (), ("done_on",), ()),
    (RequestRow, (), ("due",), ()),
    (ReportRow, ("period_start", "period_end", "next_cycle_start"), ("issued_on", "bridge_letter_on"), ()),
    (DistributionRow, (), ("sent_on",), ()),
    (PlanTaskRow, ("fixed_start", "fixed_end"),
     ("start", "end", "actual_start", "actual_finish", "baseline_start", "baseline_end"), ()),
    (PopulationRow, (), ("generated_at",), ("imported_at",)),
    (PopulationItemRow, (), ("day",), ()),
    (SampleRow, (), (), ("created_at",)),
    (SampleItemRow, (), ("day",), ()),
    (RiskAssessmentRow, (), ("started_on", "signed_on"), ("created_at",)),
    (RiskRow, (), ("review_on",), ()),
    (VendorRow, (), ("next_review",), ()),
    (VendorReportRow, ("period_start", "period_end"), ("issued_on", "reviewed_on"), ()),
    (IncidentRow, (), ("detected_on", "contained_on", "resolved_on"), ()),
    (ContinuityTestRow, (), ("performed_on",), ()),
    (PersonRow, (), ("start_date", "end_date", "background_check_on", "conduct_acknowledged_on",
                     "training_at_hire_on", "training_yearly_on", "access_granted_on", "access_removed_on",
                     "equipment_returned_on"), ()),
    (PolicyVersionRow, (), ("approved_on", "effective_on"), ("published_at",)),  # its text and hash never move
    (AcknowledgementRow, (), ("acknowledged_on",), ()),
    (ToolRunRow, (), (), ("reflects_at", "imported_at")),  # its findings and report bytes never move
)


def _moved_time(text: str, move: DateMove) -> str:
    try:
        day = datetime.fromisoformat(text).date()
    except ValueError:
        return text
    return move(day, True).isoformat() + text[10:]  # the date part only: the time and its format are kept


def shift_dates(session: Session, move: DateMove) -> int:
    """Move every date column (and record time) of the project by move; return how many rows changed."""
    changed = 0
    for row_class, bounds, days, times in DATE_COLUMNS:
        for row in session.scalars(select(row_class)):
            before = changed
            for name in (*bounds, *days):
                value = getattr(row, name)
                if value is not None:
                    moved = move(value, name in bounds)
                    if moved != value:
                        setattr(row, name, moved)
                        changed += before == changed
            for name in times:
                value = getattr(row, name)
                if value:
                    moved_text = _moved_time(value, move)
                    if moved_text != value:
                        setattr(row, name, moved_text)
                        changed += before == changed
    session.flush()
    return changed
