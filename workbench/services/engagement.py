"""Step 5: the CPA firm, the engagement milestones and the auditor's request list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workbench.domain.entities import Engagement, Milestone, Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import DuplicateError, ValidationError
from workbench.services.session import OpenProject


def get_engagement(project: OpenProject) -> tuple[Engagement, list[Milestone]]:
    """Return the engagement and its milestones."""
    with project.uow() as uow:
        return uow.engagement.get(), uow.engagement.milestones()


def save_engagement(project: OpenProject, engagement: Engagement) -> None:
    """Record the CPA firm and contacts."""
    with project.uow() as uow:
        uow.engagement.save(engagement)
        uow.commit()


def add_milestone(project: OpenProject, name: str, due: date | None = None, done_on: date | None = None) -> int:
    """Append an engagement milestone; return its id."""
    if not name.strip():
        raise ValidationError("milestone", "the name cannot be empty")
    with project.uow() as uow:
        milestone_id = uow.engagement.add_milestone(name.strip(), due, done_on)
        uow.commit()
        return milestone_id


def add_request(project: OpenProject, ref: str, item: str, *, tsc_refs: Iterable[str] = (),
                control_ref: str | None = None, owner: str = "", due: date | None = None,
                status: RequestStatus = RequestStatus.OPEN, evidence_ids: Iterable[int] = (),
                description: str = "") -> int:
    """Add an item of the auditor's request list; return its id."""
    if not ref.strip() or not item.strip():
        raise ValidationError("request", "needs a reference and the item requested")
    with project.uow() as uow:
        if any(r.ref == ref.strip() for r in uow.requests.list()):
            raise DuplicateError(f"request {ref}", "already exists")
        control_id = uow.controls.id_of(control_ref) if control_ref else None
        request_id = uow.requests.add(ref.strip(), item.strip(), description=description, tsc_refs=tsc_refs,
                                      control_id=control_id, owner=owner, due=due, status=status,
                                      evidence_ids=evidence_ids)
        uow.commit()
        return request_id


def list_requests(project: OpenProject) -> list[Request]:
    """Return the auditor's request list."""
    with project.uow() as uow:
        return uow.requests.list()
