"""Step 3: the control library, its criteria mappings, and remediation tasks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.entities import Control, ControlDraft, Task
from workbench.domain.enums import TaskStatus
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


def _checked(uow: UnitOfWork, draft: ControlDraft) -> ControlDraft:
    ref, title = draft.ref.strip(), draft.title.strip()
    if not ref:
        raise ValidationError("control", "the reference cannot be empty")
    if not title:
        raise ValidationError(f"control {ref}", "the title cannot be empty")
    catalog = uow.criteria.catalog()
    criteria: list[str] = []
    for text in draft.criteria:
        criterion_id = normalize_criterion_id(text) or text
        if criterion_id not in catalog:
            raise ValidationError(f"control {ref}", f"{text!r} is not a Trust Services Criterion")
        if criterion_id not in criteria:
            criteria.append(criterion_id)
    return replace(draft, ref=ref, title=title, criteria=tuple(sorted(criteria)))


def list_controls(project: OpenProject) -> list[Control]:
    """Return every control with its criteria, ordered by reference."""
    with project.uow() as uow:
        return uow.controls.list()


def add_control_in(uow: UnitOfWork, draft: ControlDraft) -> Control:
    """Add a control inside an existing unit of work (for batch operations)."""
    draft = _checked(uow, draft)
    if uow.controls.get(draft.ref) is not None:
        raise DuplicateError(f"control {draft.ref}", "already exists")
    uow.controls.add(draft)
    control = uow.controls.get(draft.ref)
    assert control is not None
    return control


def add_control(project: OpenProject, draft: ControlDraft) -> Control:
    """Add a control to the library."""
    with project.uow() as uow:
        control = add_control_in(uow, draft)
        uow.commit()
        return control


def update_control(project: OpenProject, ref: str, draft: ControlDraft) -> Control:
    """Replace the fields of control `ref` (its reference may change too)."""
    with project.uow() as uow:
        draft = _checked(uow, draft)
        if draft.ref != ref and uow.controls.get(draft.ref) is not None:
            raise DuplicateError(f"control {draft.ref}", "already exists")
        uow.controls.replace(ref, draft)
        uow.commit()
        control = uow.controls.get(draft.ref)
        assert control is not None
        return control


def delete_control(project: OpenProject, ref: str) -> None:
    """Delete a control with its mappings and evidence records."""
    with project.uow() as uow:
        uow.controls.remove(ref)
        uow.commit()


def add_task(project: OpenProject, title: str, *, owner: str = "", due: date | None = None,
             status: TaskStatus = TaskStatus.OPEN, description: str = "", criterion_id: str | None = None,
             control_ref: str | None = None) -> Task:
    """Add a remediation or other task, optionally tied to a criterion or a control."""
    if not title.strip():
        raise ValidationError("task", "the title cannot be empty")
    with project.uow() as uow:
        if criterion_id is not None and criterion_id not in uow.criteria.catalog():
            raise NotFoundError(f"criterion {criterion_id}", "is not a Trust Services Criterion")
        control_id = uow.controls.id_of(control_ref) if control_ref else None
        task_id = uow.tasks.add(title.strip(), owner=owner, due=due, status=status, description=description,
                                criterion_id=criterion_id, control_id=control_id)
        uow.commit()
        return next(t for t in uow.tasks.list() if t.id == task_id)


def list_tasks(project: OpenProject) -> list[Task]:
    """Return every task, soonest due first."""
    with project.uow() as uow:
        return uow.tasks.list()
