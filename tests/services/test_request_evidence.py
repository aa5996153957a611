"""Linking evidence to a request is one undoable change, read back from the reopened project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.errors import NotFoundError
from workbench.services.changes import Touched
from workbench.services.controls import add_control
from workbench.services.engagement import add_request, list_requests
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.request_evidence import link_request_evidence
from workbench.services.session import OpenProject, open_project


def _linked(location: Any, ref: str) -> tuple[int, ...]:
    with open_project(location) as project:
        return next(r.evidence_ids for r in list_requests(project) if r.ref == ref)


def test_link_undo_redo_and_refusals(make_project: Callable[..., OpenProject], project_location: Any) -> None:
    location = project_location("acme.soc2")
    project = make_project(location)
    add_control(project, ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.1",)))
    first = add_evidence_bytes(project, "q1.pdf", b"q1", EvidenceMeta("AC-1")).value.id
    second = add_evidence_bytes(project, "q2.pdf", b"q2", EvidenceMeta("AC-1")).value.id
    add_request(project, "PBC-7", "Access reviews", evidence_ids=(first,))

    change = link_request_evidence(project, "pbc-7", [second, first])  # the reference in another case
    assert change.touched == Touched.REQUESTS and change.value == (second,) and change.undoable
    assert link_request_evidence(project, "PBC-7", [second]).touched == Touched.NOTHING
    redo = change.inverse(project)
    project.close()
    assert _linked(location, "PBC-7") == (first,)
    with open_project(location) as project:
        redo.inverse(project)
        with pytest.raises(NotFoundError, match="request PBC-8 : does not exist"):
            link_request_evidence(project, "PBC-8", [first])
        with pytest.raises(NotFoundError, match="evidence 999 : does not exist"):
            link_request_evidence(project, "PBC-7", [999])
    assert _linked(location, "PBC-7") == (first, second)
