"""The CPA-firm engagement, its milestones, and the auditor's request list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from workbench.domain.engagement_checks import CheckState
from workbench.domain.entities import Engagement, Milestone, Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.store.repositories.plain import read, table
from workbench.store.schema import (
    ControlRow,
    EngagementCheckRow,
    EngagementRow,
    EvidenceRow,
    MilestoneRow,
    RequestEvidenceRow,
    RequestRow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module


class EngagementRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> Engagement:
        """Return the engagement (empty when none was recorded)."""
        engagement = table(EngagementRow)
        row = read(self._session, select(engagement).where(engagement.c.id == 1)).first()
        if row is None:
            return Engagement()
        return Engagement(row.firm, row.lead_auditor, row.email, row.phone, row.notes)

    def save(self, engagement: Engagement) -> None:
        """Create or update the engagement."""
        row = self._session.get(EngagementRow, 1)
        if row is None:
            row = EngagementRow(id=1)
            self._session.add(row)
        for name in ("firm", "lead_auditor", "email", "phone", "notes"):
            value = getattr(engagement, name)
            if getattr(row, name, None) != value:
                setattr(row, name, value)

    def checks(self) -> dict[str, CheckState]:
        """Return the representation-letter and subsequent-events items the project holds, by key."""
        checks = table(EngagementCheckRow)
        return {r.key: CheckState(r.key, r.done_on, r.done_by) for r in read(self._session, select(checks))}

    def set_check(self, state: CheckState) -> None:
        """Record an item as ticked (done_on set) or not."""
        row = self._session.get(EngagementCheckRow, state.key)
        if row is None:
            self._session.add(EngagementCheckRow(key=state.key, done_on=state.done_on, done_by=state.done_by))
            return
        if (row.done_on, row.done_by) != (state.done_on, state.done_by):
            row.done_on, row.done_by = state.done_on, state.done_by

    def milestones(self) -> list[Milestone]:
        """Return the engagement milestones in their order."""
        milestones = table(MilestoneRow)
        rows = read(self._session, select(milestones).order_by(milestones.c.position, milestones.c.id))
        return [Milestone(r.id, r.name, r.due, r.done_on) for r in rows]

    def add_milestone(self, name: str, due: date | None = None, done_on: date | None = None, *,
                      milestone_id: int | None = None, position: int | None = None) -> int:
        """Append a milestone (or put one back with its old id and position) and return its id."""
        if position is None:
            last = self._session.scalar(select(func.max(MilestoneRow.position)))
            position = 0 if last is None else last + 1
        row = MilestoneRow(id=milestone_id, name=name, due=due, done_on=done_on, position=position)
        self._session.add(row)
        self._session.flush()
        return row.id

    def _milestone_row(self, milestone_id: int) -> MilestoneRow:
        row = self._session.get(MilestoneRow, milestone_id)
        if row is None:
            raise NotFoundError(f"milestone {milestone_id}", "does not exist")
        return row

    def update_milestone(self, milestone_id: int, name: str, due: date | None, done_on: date | None) -> None:
        """Change a milestone's name and dates."""
        row = self._milestone_row(milestone_id)
        for attr, value in (("name", name), ("due", due), ("done_on", done_on)):
            if getattr(row, attr) != value:
                setattr(row, attr, value)

    def remove_milestone(self, milestone_id: int) -> int:
        """Delete a milestone; return the position it had."""
        row = self._milestone_row(milestone_id)
        position = row.position
        self._session.delete(row)
        self._session.flush()
        return position


def _apply_request(row: RequestRow, values: dict[str, object]) -> None:
    for attr, value in values.items():
        if getattr(row, attr) != value:
            setattr(row, attr, value)


class RequestRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Request]:
        """Return the auditor's requests in the natural order of their references, with linked evidence ids."""
        links: dict[int, list[int]] = defaultdict(list)
        linked, controls = table(RequestEvidenceRow).c, table(ControlRow).c
        for request_id, evidence_id in read(self._session, select(linked.request_id, linked.evidence_id)):
            links[request_id].append(evidence_id)
        refs = dict(read(self._session, select(controls.id, controls.ref)).all())
        return natural_sorted((
            Request(
                id=r.id, ref=r.ref, item=r.item, description=r.description,
                tsc_refs=tuple(part for part in r.tsc_refs.split(",") if part),
                control_ref=refs.get(r.control_id) if r.control_id else None, owner=r.owner, due=r.due,
                status=RequestStatus(r.status), auditor_status=r.auditor_status, priority=r.priority,
                evidence_ids=tuple(sorted(links.get(r.id, ()))),
            )
            for r in read(self._session, select(table(RequestRow)))
        ), key=lambda r: r.ref)

    def add(self, ref: str, item: str, *, description: str = "", tsc_refs: Iterable[str] = (),
            control_id: int | None = None, owner: str = "", due: date | None = None,
            status: RequestStatus = RequestStatus.OPEN, auditor_status: str = "", priority: str = "",
            evidence_ids: Iterable[int] = (), request_id: int | None = None) -> int:
        """Add a request (with a given id when putting one back) and return its id."""
        row = RequestRow(id=request_id, ref=ref, item=item, description=description, tsc_refs=",".join(tsc_refs),
                         control_id=control_id, owner=owner, due=due, status=status.value,
                         auditor_status=auditor_status, priority=priority)
        self._session.add(row)
        self._session.flush()
        for evidence_id in sorted(set(evidence_ids)):
            self._session.add(RequestEvidenceRow(request_id=row.id, evidence_id=evidence_id))
        self._session.flush()
        return row.id

    def _row(self, request_id: int) -> RequestRow:
        row = self._session.get(RequestRow, request_id)
        if row is None:
            raise NotFoundError(f"request {request_id}", "does not exist")
        return row

    def update(self, request_id: int, *, ref: str, item: str, description: str, tsc_refs: Iterable[str],
               control_id: int | None, owner: str, due: date | None, status: RequestStatus,
               evidence_ids: Iterable[int], auditor_status: str | None = None, priority: str | None = None) -> None:
        """Replace a request's fields and its evidence links (auditor status and priority only when given)."""
        row = self._row(request_id)
        values: dict[str, object] = {
            "ref": ref, "item": item, "description": description, "tsc_refs": ",".join(tsc_refs),
            "control_id": control_id, "owner": owner, "due": due, "status": status.value,
        }
        if auditor_status is not None:
            values["auditor_status"] = auditor_status
        if priority is not None:
            values["priority"] = priority
        _apply_request(row, values)
        wanted = set(evidence_ids)
        current = {
            link.evidence_id: link
            for link in self._session.scalars(select(RequestEvidenceRow).where(RequestEvidenceRow.request_id == row.id))
        }
        for evidence_id, link in current.items():
            if evidence_id not in wanted:
                self._session.delete(link)
        for evidence_id in sorted(wanted - set(current)):
            self._session.add(RequestEvidenceRow(request_id=row.id, evidence_id=evidence_id))
        self._session.flush()

    def remove(self, request_id: int) -> None:
        """Delete a request and its evidence links (each recorded in the audit trail)."""
        row = self._row(request_id)
        for link in self._session.scalars(select(RequestEvidenceRow).where(RequestEvidenceRow.request_id == row.id)):
            self._session.delete(link)
        self._session.flush()
        self._session.delete(row)
        self._session.flush()

    def id_of(self, ref: str) -> int:
        """Return the id of the request with this reference (written alike, else regardless of case)."""
        request_id = self._session.scalar(select(RequestRow.id).where(RequestRow.ref == ref))
        if request_id is None:
            folded = [i for i, r in self._session.execute(select(RequestRow.id, RequestRow.ref))
                      if r.casefold() == ref.casefold()]
            if len(folded) != 1:
                raise NotFoundError(f"request {ref}", "does not exist")
            request_id = folded[0]
        return request_id

    def linked_evidence(self, request_id: int) -> set[int]:
        """Return the ids of the evidence linked to a request itself."""
        return set(self._session.scalars(
            select(RequestEvidenceRow.evidence_id).where(RequestEvidenceRow.request_id == request_id)))

    def link_evidence(self, request_id: int, evidence_ids: Iterable[int]) -> None:
        """Link evidence to a request (each id not linked yet)."""
        for evidence_id in sorted(set(evidence_ids)):
            self._session.add(RequestEvidenceRow(request_id=request_id, evidence_id=evidence_id))
        self._session.flush()

    def unlink_evidence(self, request_id: int, evidence_ids: Iterable[int]) -> None:
        """Remove links between a request and evidence (each recorded in the audit trail)."""
        links = select(RequestEvidenceRow).where(RequestEvidenceRow.request_id == request_id,
                                                 RequestEvidenceRow.evidence_id.in_(set(evidence_ids)))
        for link in self._session.scalars(links):
            self._session.delete(link)
        self._session.flush()

    def existing_evidence(self, evidence_ids: Iterable[int]) -> set[int]:
        """Return those of the given evidence ids that exist."""
        wanted = set(evidence_ids)
        if not wanted:
            return set()
        return set(self._session.scalars(select(EvidenceRow.id).where(EvidenceRow.id.in_(wanted))))
