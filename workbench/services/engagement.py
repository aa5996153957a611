"""Step 5: the CPA firm, the engagement milestones, the representation-letter and subsequent-events checklist, and
the auditor's request list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.engagement_checks import CHECK_KEYS, ENGAGEMENT_CHECKS, CheckItem, CheckState
from workbench.domain.entities import Engagement, Milestone, Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services.changes import Change, Touched
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
    "Draft report received",
    "Management assertion signed",  # the assertion and the representation letter carry the report's date
    "Representation letter signed",
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


def cleaned_engagement(engagement: Engagement) -> Engagement:
    """Return the firm and contacts as they are recorded: every field trimmed."""
    return Engagement(*(value.strip() for value in (engagement.firm, engagement.lead_auditor, engagement.email,
                                                    engagement.phone, engagement.notes)))


def email_refusal(email: str) -> str:
    """Return why an email address is refused ("" when it is empty or looks like one)."""
    email = email.strip()
    return f"{email!r} is not an email address" if email and not _EMAIL.match(email) else ""


def save_engagement(project: OpenProject, engagement: Engagement) -> Change[Engagement]:
    """Record the CPA firm and contacts (trimmed); undone by putting back what was recorded before."""
    cleaned = cleaned_engagement(engagement)
    if refusal := email_refusal(cleaned.email):
        raise ValidationError("email", refusal)
    with project.uow() as uow:
        before = uow.engagement.get()
        uow.engagement.save(cleaned)
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(save_engagement, engagement=before), cleaned)


def engagement_checks(project: OpenProject) -> list[tuple[CheckItem, CheckState]]:
    """Return the representation-letter and subsequent-events items in order, each with its state."""
    with project.uow() as uow:
        held = uow.engagement.checks()
    return [(item, held.get(item.key, CheckState(item.key))) for item in ENGAGEMENT_CHECKS]


def set_check(project: OpenProject, state: CheckState) -> Change[CheckState]:
    """Tick an item (done_on and who) or untick it (done_on None); undone by putting back its previous state."""
    if state.key not in CHECK_KEYS:
        raise ValidationError("engagement checklist", f"unknown item: {state.key}")
    if state.done_on is not None and not state.done_by.strip():
        raise ValidationError("engagement checklist", "say who ticked the item")
    cleaned = CheckState(state.key, state.done_on, state.done_by.strip() if state.done_on else "")
    with project.uow() as uow:
        before = uow.engagement.checks().get(state.key, CheckState(state.key))
        uow.engagement.set_check(cleaned)
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(set_check, state=before), cleaned)


def _milestone_name(name: str) -> str:
    if not name.strip():
        raise ValidationError("milestone", "the name cannot be empty")
    return name.strip()


def _milestone(uow: UnitOfWork, milestone_id: int) -> Milestone:
    milestone = next((m for m in uow.engagement.milestones() if m.id == milestone_id), None)
    if milestone is None:
        raise NotFoundError(f"milestone {milestone_id}", "does not exist")
    return milestone


def add_milestone(project: OpenProject, name: str, due: date | None = None, done_on: date | None = None, *,
                  milestone_id: int | None = None, position: int | None = None) -> Change[int]:
    """Append an engagement milestone (or put a removed one back by id and position); the change carries its id."""
    name = _milestone_name(name)
    with project.uow() as uow:
        milestone_id = uow.engagement.add_milestone(name, due, done_on, milestone_id=milestone_id, position=position)
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(remove_milestone, milestone_id=milestone_id), milestone_id)


def add_standard_milestones(project: OpenProject, due: date | None = None, *,
                            milestone_ids: Sequence[int] | None = None) -> Change[list[int]]:
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
    return Change(Touched.ENGAGEMENT, partial(remove_milestones, milestone_ids=tuple(ids)), ids)


def update_milestone(project: OpenProject, milestone_id: int, name: str, due: date | None,
                     done_on: date | None) -> Change[None]:
    """Change a milestone's name, due date and done date; undone by putting the old ones back."""
    name = _milestone_name(name)
    with project.uow() as uow:
        before = _milestone(uow, milestone_id)
        uow.engagement.update_milestone(milestone_id, name, due, done_on)
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(update_milestone, milestone_id=milestone_id, name=before.name,
                                              due=before.due, done_on=before.done_on))


def set_milestone_done(project: OpenProject, milestone_id: int, done_on: date | None) -> Change[None]:
    """Mark a milestone done on a date, or not done (None); undone by putting the old done date back."""
    with project.uow() as uow:
        milestone = _milestone(uow, milestone_id)
        uow.engagement.update_milestone(milestone_id, milestone.name, milestone.due, done_on)
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(set_milestone_done, milestone_id=milestone_id,
                                              done_on=milestone.done_on))


def remove_milestone(project: OpenProject, milestone_id: int) -> Change[int]:
    """Delete a milestone; the change carries the position it had, and its undo puts it back there."""
    with project.uow() as uow:
        milestone = _milestone(uow, milestone_id)
        position = uow.engagement.remove_milestone(milestone_id)
        uow.commit()
    undo = partial(add_milestone, name=milestone.name, due=milestone.due, done_on=milestone.done_on,
                   milestone_id=milestone.id, position=position)
    return Change(Touched.ENGAGEMENT, undo, position)


def remove_milestones(project: OpenProject, milestone_ids: Iterable[int]) -> Change[None]:
    """Delete several milestones together; undone by restore_milestones."""
    with project.uow() as uow:
        removed = [(_milestone(uow, milestone_id), uow.engagement.remove_milestone(milestone_id))
                   for milestone_id in milestone_ids]
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(restore_milestones, removed=tuple(removed)))


def restore_milestones(project: OpenProject, removed: Sequence[tuple[Milestone, int]]) -> Change[None]:
    """Put removed milestones back, each with its id at its position."""
    with project.uow() as uow:
        for milestone, position in removed:
            uow.engagement.add_milestone(milestone.name, milestone.due, milestone.done_on,
                                         milestone_id=milestone.id, position=position)
        uow.commit()
    return Change(Touched.ENGAGEMENT, partial(remove_milestones, milestone_ids=tuple(m.id for m, _ in removed)))


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
                description: str = "", request_id: int | None = None) -> Change[int]:
    """Add an item of the auditor's request list (with a given id when putting one back); the change carries its id."""
    draft = RequestDraft(ref, item, tuple(tsc_refs), control_ref, owner, due, status, tuple(evidence_ids),
                         description)
    with project.uow() as uow:
        draft, control_id = _checked_request(uow, draft, None)
        request_id = uow.requests.add(draft.ref, draft.item, description=draft.description, tsc_refs=draft.tsc_refs,
                                      control_id=control_id, owner=draft.owner, due=draft.due, status=draft.status,
                                      evidence_ids=draft.evidence_ids, request_id=request_id)
        uow.commit()
    return Change(Touched.REQUESTS, partial(remove_request, request_id=request_id), request_id)


def add_request_draft(project: OpenProject, draft: RequestDraft, *, request_id: int | None = None) -> Change[int]:
    """Add a request from a draft; the change carries its id."""
    return add_request(project, draft.ref, draft.item, tsc_refs=draft.tsc_refs, control_ref=draft.control_ref,
                       owner=draft.owner, due=draft.due, status=draft.status, evidence_ids=draft.evidence_ids,
                       description=draft.description, request_id=request_id)


def _request(uow: UnitOfWork, request_id: int) -> Request:
    request = next((r for r in uow.requests.list() if r.id == request_id), None)
    if request is None:
        raise NotFoundError(f"request {request_id}", "does not exist")
    return request


def update_request(project: OpenProject, request_id: int, draft: RequestDraft) -> Change[None]:
    """Replace the fields of a request and its evidence links; undone by putting the old ones back."""
    with project.uow() as uow:
        before = draft_of(_request(uow, request_id))
        draft, control_id = _checked_request(uow, draft, request_id)
        uow.requests.update(request_id, ref=draft.ref, item=draft.item, description=draft.description,
                            tsc_refs=draft.tsc_refs, control_id=control_id, owner=draft.owner, due=draft.due,
                            status=draft.status, evidence_ids=draft.evidence_ids)
        uow.commit()
    return Change(Touched.REQUESTS, partial(update_request, request_id=request_id, draft=before))


def draft_of(request: Request) -> RequestDraft:
    """Return the editable fields of a request."""
    return RequestDraft(request.ref, request.item, request.tsc_refs, request.control_ref, request.owner,
                        request.due, request.status, request.evidence_ids, request.description)


def remove_request(project: OpenProject, request_id: int) -> Change[Request]:
    """Delete a request and its evidence links; undone by restore_request."""
    with project.uow() as uow:
        request = _request(uow, request_id)
        uow.requests.remove(request_id)
        uow.commit()
    return Change(Touched.REQUESTS, partial(restore_request, request=request), request)


def restore_request(project: OpenProject, request: Request) -> Change[int]:
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
    return Change(Touched.REQUESTS, partial(remove_request, request_id=request_id), request_id)


def list_requests(project: OpenProject) -> list[Request]:
    """Return the auditor's request list."""
    with project.uow() as uow:
        return uow.requests.list()


def is_overdue(request: Request, today: date) -> bool:
    """Return True when a request still waiting on us is past its due date."""
    return request.due is not None and request.due < today and request.status in _WAITING
