"""Step 5: the CPA firm, the engagement milestones and the auditor's request list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.entities import Engagement, Milestone, Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services.controls import ref_too_long
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

# The milestones almost every SOC 2 engagement goes through, in order.
STANDARD_MILESTONES: tuple[str, ...] = (
    "Engagement letter signed",
    "Kickoff meeting",
    "Control design questionnaire returned",
    "Fieldwork start",
    "Fieldwork end",
    "Management assertion signed",
    "Representation letter signed",
    "Draft report received",
    "Final report issued",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A request still waiting on us: overdue once its due date has passed.
_WAITING = (RequestStatus.OPEN, RequestStatus.NEEDS_FOLLOW_UP)


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """The editable fields of an item of the auditor's request list."""

    ref: str
    item: str
    tsc_refs: tuple[str, ...] = ()
    control_ref: str | None = None
    owner: str = ""
    due: date | None = None
    status: RequestStatus = RequestStatus.OPEN
    evidence_ids: tuple[int, ...] = ()
    description: str = ""


def get_engagement(project: OpenProject) -> tuple[Engagement, list[Milestone]]:
    """Return the engagement and its milestones."""
    with project.uow() as uow:
        return uow.engagement.get(), uow.engagement.milestones()


def save_engagement(project: OpenProject, engagement: Engagement) -> Engagement:
    """Record the CPA firm and contacts (trimmed); return what was stored."""
    cleaned = Engagement(*(value.strip() for value in (engagement.firm, engagement.lead_auditor,
                                                      engagement.email, engagement.phone)), engagement.notes.strip())
    if cleaned.email and not _EMAIL.match(cleaned.email):
        raise ValidationError("email", f"{cleaned.email!r} is not an email address")
    with project.uow() as uow:
        uow.engagement.save(cleaned)
        uow.commit()
    return cleaned


def _milestone_name(name: str) -> str:
    if not name.strip():
        raise ValidationError("milestone", "the name cannot be empty")
    return name.strip()


def add_milestone(project: OpenProject, name: str, due: date | None = None, done_on: date | None = None, *,
                  milestone_id: int | None = None, position: int | None = None) -> int:
    """Append an engagement milestone (or put a removed one back by id and position); return its id."""
    name = _milestone_name(name)
    with project.uow() as uow:
        milestone_id = uow.engagement.add_milestone(name, due, done_on, milestone_id=milestone_id, position=position)
        uow.commit()
        return milestone_id


def add_standard_milestones(project: OpenProject, due: date | None = None, *,
                            milestone_ids: Sequence[int] | None = None) -> list[int]:
    """Add the standard milestones to an engagement that has none yet (with given ids when putting them back)."""
    if milestone_ids is not None and len(milestone_ids) != len(STANDARD_MILESTONES):
        raise ValidationError("milestones", f"expected {len(STANDARD_MILESTONES)} ids")
    with project.uow() as uow:
        if uow.engagement.milestones():
            raise ValidationError("milestones", "the engagement already has milestones")
        ids = [
            uow.engagement.add_milestone(name, due, milestone_id=milestone_ids[i] if milestone_ids else None)
            for i, name in enumerate(STANDARD_MILESTONES)
        ]
        uow.commit()
        return ids


def update_milestone(project: OpenProject, milestone_id: int, name: str, due: date | None,
                     done_on: date | None) -> None:
    """Change a milestone's name, due date and done date."""
    name = _milestone_name(name)
    with project.uow() as uow:
        uow.engagement.update_milestone(milestone_id, name, due, done_on)
        uow.commit()


def set_milestone_done(project: OpenProject, milestone_id: int, done_on: date | None) -> None:
    """Mark a milestone done on a date, or not done (None)."""
    with project.uow() as uow:
        milestone = next((m for m in uow.engagement.milestones() if m.id == milestone_id), None)
        if milestone is None:
            raise NotFoundError(f"milestone {milestone_id}", "does not exist")
        uow.engagement.update_milestone(milestone_id, milestone.name, milestone.due, done_on)
        uow.commit()


def remove_milestone(project: OpenProject, milestone_id: int) -> int:
    """Delete a milestone; return its position (to put it back in the same place)."""
    with project.uow() as uow:
        position = uow.engagement.remove_milestone(milestone_id)
        uow.commit()
        return position


def remove_milestones(project: OpenProject, milestone_ids: Iterable[int]) -> None:
    """Delete several milestones together."""
    with project.uow() as uow:
        for milestone_id in milestone_ids:
            uow.engagement.remove_milestone(milestone_id)
        uow.commit()


def _checked_request(uow: UnitOfWork, draft: RequestDraft, request_id: int | None) -> tuple[RequestDraft, int | None]:
    """Validate a request draft; return it cleaned, with its control's id."""
    ref, item = draft.ref.strip(), draft.item.strip()
    if not ref or not item:
        raise ValidationError("request", "needs a reference and the item requested")
    if (too_long := ref_too_long("request", ref)) is not None:
        raise too_long
    if any(r.ref == ref and r.id != request_id for r in uow.requests.list()):
        raise DuplicateError(f"request {ref}", "already exists")
    catalog = uow.criteria.catalog()
    criteria: list[str] = []
    for text in draft.tsc_refs:
        if not text.strip():
            continue
        criterion = normalize_criterion_id(text)
        if criterion is None or criterion not in catalog:
            raise ValidationError("criteria", f"{text.strip()!r} is not a criterion of the catalog")
        if criterion not in criteria:
            criteria.append(criterion)
    control_ref = (draft.control_ref or "").strip() or None
    control_id = uow.controls.id_of(control_ref) if control_ref else None
    missing = set(draft.evidence_ids) - uow.requests.existing_evidence(draft.evidence_ids)
    if missing:
        raise NotFoundError(f"evidence {', '.join(str(i) for i in sorted(missing))}", "does not exist")
    cleaned = RequestDraft(ref, item, tuple(criteria), control_ref, draft.owner.strip(), draft.due,
                           RequestStatus(draft.status), tuple(sorted(set(draft.evidence_ids))),
                           draft.description.strip())
    return cleaned, control_id


def add_request(project: OpenProject, ref: str, item: str, *, tsc_refs: Iterable[str] = (),
                control_ref: str | None = None, owner: str = "", due: date | None = None,
                status: RequestStatus = RequestStatus.OPEN, evidence_ids: Iterable[int] = (),
                description: str = "", request_id: int | None = None) -> int:
    """Add an item of the auditor's request list (with a given id when putting one back); return its id."""
    draft = RequestDraft(ref, item, tuple(tsc_refs), control_ref, owner, due, status, tuple(evidence_ids),
                         description)
    with project.uow() as uow:
        draft, control_id = _checked_request(uow, draft, None)
        request_id = uow.requests.add(draft.ref, draft.item, description=draft.description, tsc_refs=draft.tsc_refs,
                                      control_id=control_id, owner=draft.owner, due=draft.due, status=draft.status,
                                      evidence_ids=draft.evidence_ids, request_id=request_id)
        uow.commit()
        return request_id


def add_request_draft(project: OpenProject, draft: RequestDraft, *, request_id: int | None = None) -> int:
    """Add a request from a draft; return its id."""
    return add_request(project, draft.ref, draft.item, tsc_refs=draft.tsc_refs, control_ref=draft.control_ref,
                       owner=draft.owner, due=draft.due, status=draft.status, evidence_ids=draft.evidence_ids,
                       description=draft.description, request_id=request_id)


def update_request(project: OpenProject, request_id: int, draft: RequestDraft) -> None:
    """Replace the fields of a request and its evidence links."""
    with project.uow() as uow:
        draft, control_id = _checked_request(uow, draft, request_id)
        uow.requests.update(request_id, ref=draft.ref, item=draft.item, description=draft.description,
                            tsc_refs=draft.tsc_refs, control_id=control_id, owner=draft.owner, due=draft.due,
                            status=draft.status, evidence_ids=draft.evidence_ids)
        uow.commit()


def draft_of(request: Request) -> RequestDraft:
    """Return the editable fields of a request."""
    return RequestDraft(request.ref, request.item, request.tsc_refs, request.control_ref, request.owner,
                        request.due, request.status, request.evidence_ids, request.description)


def remove_request(project: OpenProject, request_id: int) -> None:
    """Delete a request and its evidence links."""
    with project.uow() as uow:
        uow.requests.remove(request_id)
        uow.commit()


def restore_request(project: OpenProject, request: Request) -> int:
    """Put a removed request back with its id, fields and the evidence links that still exist."""
    with project.uow() as uow:
        control_id = None
        if request.control_ref:
            try:
                control_id = uow.controls.id_of(request.control_ref)
            except NotFoundError:
                control_id = None
        request_id = uow.requests.add(
            request.ref, request.item, description=request.description, tsc_refs=request.tsc_refs,
            control_id=control_id, owner=request.owner, due=request.due, status=request.status,
            auditor_status=request.auditor_status, priority=request.priority,
            evidence_ids=uow.requests.existing_evidence(request.evidence_ids), request_id=request.id,
        )
        uow.commit()
        return request_id


def list_requests(project: OpenProject) -> list[Request]:
    """Return the auditor's request list."""
    with project.uow() as uow:
        return uow.requests.list()


def is_overdue(request: Request, today: date) -> bool:
    """Return True when a request still waiting on us is past its due date."""
    return request.due is not None and request.due < today and request.status in _WAITING
