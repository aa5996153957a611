"""Linking evidence to an item of the auditor's request list, and taking such links back; each undoable."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.services.changes import Change, Touched
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


def _wanted(evidence_ids: Iterable[int]) -> tuple[int, ...]:
    wanted = tuple(sorted(set(evidence_ids)))
    if not wanted:
        raise ValidationError("evidence", "name at least one evidence record to link")
    return wanted


def _check_evidence(uow: UnitOfWork, evidence_ids: tuple[int, ...]) -> None:
    missing = set(evidence_ids) - uow.requests.existing_evidence(evidence_ids)
    if missing:
        noun = "evidence" if len(missing) == 1 else "evidence records"
        raise NotFoundError(f"{noun} {', '.join(map(str, sorted(missing)))}",
                            "does not exist (see workbench evidence list)")


def link_request_evidence(project: OpenProject, ref: str, evidence_ids: Iterable[int]) -> Change[tuple[int, ...]]:
    """Link evidence to the request with this reference; the change carries the ids newly linked."""
    wanted = _wanted(evidence_ids)
    with project.uow() as uow:
        request_id = uow.requests.id_of(ref.strip())
        return _link(uow, request_id, wanted)


def link_evidence(project: OpenProject, request_id: int, evidence_ids: Iterable[int]) -> Change[tuple[int, ...]]:
    """Link evidence to a request by its id; the change carries the ids newly linked (none: nothing to undo)."""
    wanted = _wanted(evidence_ids)
    with project.uow() as uow:
        if request_id not in {r.id for r in uow.requests.list()}:
            raise NotFoundError(f"request {request_id}", "does not exist")
        return _link(uow, request_id, wanted)


def _link(uow: UnitOfWork, request_id: int, wanted: tuple[int, ...]) -> Change[tuple[int, ...]]:
    _check_evidence(uow, wanted)
    added = tuple(i for i in wanted if i not in uow.requests.linked_evidence(request_id))
    if not added:
        return Change(Touched.NOTHING, None, ())
    uow.requests.link_evidence(request_id, added)
    uow.commit()
    return Change(Touched.REQUESTS, partial(unlink_evidence, request_id=request_id, evidence_ids=added), added)


def unlink_evidence(project: OpenProject, request_id: int, evidence_ids: Iterable[int]) -> Change[tuple[int, ...]]:
    """Remove links between a request and evidence; undone by linking them again."""
    wanted = tuple(sorted(set(evidence_ids)))
    with project.uow() as uow:
        request = next((r for r in uow.requests.list() if r.id == request_id), None)
        if request is None:
            raise NotFoundError(f"request {request_id}", "does not exist")
        loose = [i for i in wanted if i not in request.evidence_ids]
        if loose:
            raise WorkbenchError(f"request {request.ref}", f"evidence {', '.join(map(str, loose))} is not linked to it")
        uow.requests.unlink_evidence(request_id, wanted)
        uow.commit()
    return Change(Touched.REQUESTS, partial(link_evidence, request_id=request_id, evidence_ids=wanted), wanted)


def unlink_request_evidence(project: OpenProject, ref: str, evidence_ids: Iterable[int]) -> Change[tuple[int, ...]]:
    """Remove links between the request with this reference and evidence; undone by linking them again."""
    with project.uow() as uow:
        request_id = uow.requests.id_of(ref.strip())
    return unlink_evidence(project, request_id, evidence_ids)
