"""Step 3: the control library, its criteria mappings, and remediation tasks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from workbench.domain.catalog import Criterion, normalize_criterion_id
from workbench.domain.entities import Control, ControlDraft, Task
from workbench.domain.enums import TaskStatus
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services.changes import Change, Touched, moved_on
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

# A control's reference shows beside everything tied to it: renaming or removing one touches those too.
_CONTROL_LINKS = (Touched.CONTROLS | Touched.TASKS | Touched.REQUESTS | Touched.EVIDENCE | Touched.POPULATIONS
                  | Touched.SAMPLES)
REF_MAX_LENGTH = 128  # characters in a control's or a request's reference (the stored column; a server enforces it)


def ref_too_long(noun: str, ref: str) -> ValidationError | None:
    """Return the refusal of a reference longer than REF_MAX_LENGTH characters, or None when it fits."""
    if len(ref) <= REF_MAX_LENGTH:
        return None
    return ValidationError(f"{noun} {ref[:40]}...", f"the reference has {len(ref)} characters; "
                                                    f"at most {REF_MAX_LENGTH} are allowed")


def _checked(uow: UnitOfWork, draft: ControlDraft) -> ControlDraft:
    ref, title = draft.ref.strip(), draft.title.strip()
    if not ref:
        raise ValidationError("control", "the reference cannot be empty")
    if (too_long := ref_too_long("control", ref)) is not None:
        raise too_long
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


@dataclass(frozen=True, slots=True)
class ControlLibrary:
    """Everything the controls step shows, read in one unit of work."""

    controls: tuple[Control, ...]
    evidence_counts: dict[str, int]  # by control reference; controls without evidence are left out
    tasks: tuple[Task, ...]
    criteria: tuple[Criterion, ...]  # in-scope criteria (and any other mapped one), in catalog order
    uncovered: tuple[Criterion, ...]  # in-scope criteria that no control is mapped to


@dataclass(frozen=True, slots=True)
class RemovedControl:
    """What it takes to put a deleted control back: its fields and the tasks and requests that pointed at it."""

    draft: ControlDraft
    task_ids: tuple[int, ...] = ()
    request_ids: tuple[int, ...] = ()


_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def draft_of(control: Control) -> ControlDraft:
    """Return the editable fields of a control as a draft."""
    return ControlDraft(
        ref=control.ref, title=control.title, description=control.description, owner=control.owner,
        frequency=control.frequency, nature=control.nature, status=control.status, notes=control.notes,
        criteria=control.criteria, implemented_since=control.implemented_since, retired_on=control.retired_on,
    )


def unique_ref(wanted: str, taken: Iterable[str]) -> str:
    """Return `wanted`, or the next free reference like it ("AC-01" -> "AC-02", "OPS" -> "OPS-2")."""
    used = {ref.casefold() for ref in taken}
    wanted = wanted.strip()
    if wanted.casefold() not in used:
        return wanted
    match = _TRAILING_NUMBER.match(wanted)
    stem, number, width = (match.group(1), int(match.group(2)), len(match.group(2))) if match else (wanted + "-", 1, 1)
    while True:
        number += 1
        candidate = f"{stem}{number:0{width}d}"
        if candidate.casefold() not in used:
            return candidate


def deletion_refusal(ref: str, evidence_count: int) -> ValidationError:
    """Return the error that explains why a control with evidence cannot be deleted."""
    files = "1 evidence file" if evidence_count == 1 else f"{evidence_count} evidence files"
    return ValidationError(
        f"control {ref}",
        f"has {files}; deleting it would delete them too, so remove them or move them to another control first",
    )


def control_library(project: OpenProject) -> ControlLibrary:
    """Return the controls, their evidence counts, the tasks and the criteria coverage, in one read."""
    with project.uow() as uow:
        catalog = uow.criteria.catalog()
        categories = set(uow.settings.get().categories)
        controls = uow.controls.list()
        mapped = {criterion_id for control in controls for criterion_id in control.criteria}
        in_scope = [c for c in catalog.criteria if c.category in categories]
        return ControlLibrary(
            controls=tuple(controls),
            evidence_counts=uow.controls.evidence_counts(),
            tasks=tuple(uow.tasks.list()),
            criteria=tuple(c for c in catalog.criteria if c.category in categories or c.id in mapped),
            uncovered=tuple(c for c in in_scope if c.id not in mapped),
        )


def list_controls(project: OpenProject) -> list[Control]:
    """Return every control with its criteria, ordered by reference."""
    with project.uow() as uow:
        return uow.controls.list()


def get_control(project: OpenProject, ref: str) -> Control:
    """Return the control with this reference as it is now; raise NotFoundError when there is none."""
    with project.uow() as uow:
        control = uow.controls.get(ref)
    if control is None:
        raise NotFoundError(f"control {ref}", "does not exist")
    return control


def add_control_in(uow: UnitOfWork, draft: ControlDraft) -> Control:
    """Add a control inside an existing unit of work (for batch operations)."""
    draft = _checked(uow, draft)
    if uow.controls.get(draft.ref) is not None:
        raise DuplicateError(f"control {draft.ref}", "already exists")
    uow.controls.add(draft)
    control = uow.controls.get(draft.ref)
    assert control is not None
    return control


def add_control(project: OpenProject, draft: ControlDraft) -> Change[Control]:
    """Add a control to the library; undone by removing it."""
    with project.uow() as uow:
        control = add_control_in(uow, draft)
        uow.commit()
    return Change(Touched.CONTROLS, partial(remove_control, ref=control.ref), control)


def _comparable(draft: ControlDraft) -> ControlDraft:
    # A control read back in the transaction that mapped it lists its criteria in the order they were linked.
    return replace(draft, criteria=tuple(sorted(draft.criteria)))


def update_control(project: OpenProject, ref: str, draft: ControlDraft, expected_version: int | None = None, *,
                   expected: ControlDraft | None = None) -> Change[Control]:
    """Replace the fields of control `ref` (its reference may change too); undone by putting the old ones back.

    With `expected_version` (the Control.version the edit was made from), an edit made meanwhile by someone else
    refuses this one with a ConflictError that names who and when and carries the current control. With
    `expected` (what the control held when the undo was made), a control changed since refuses it the same way.
    """
    with project.uow() as uow:
        before = uow.controls.get(ref)
        if before is None:
            raise NotFoundError(f"control {ref}", "does not exist")
        if expected is not None and _comparable(draft_of(before)) != _comparable(expected):
            raise moved_on(f"control {ref}", before)
        draft = _checked(uow, draft)
        if draft.ref != ref and uow.controls.get(draft.ref) is not None:
            raise DuplicateError(f"control {draft.ref}", "already exists")
        uow.controls.replace(ref, draft, expected_version)
        uow.commit()
        control = uow.controls.get(draft.ref)
        assert control is not None
    undo = partial(update_control, ref=control.ref, draft=draft_of(before), expected=draft_of(control))
    return Change(_CONTROL_LINKS, undo, control)


def add_controls(project: OpenProject, drafts: Sequence[ControlDraft]) -> Change[list[Control]]:
    """Add several controls in one transaction: all of them, or none."""
    with project.uow() as uow:
        added = [add_control_in(uow, draft) for draft in drafts]
        uow.commit()
    return Change(Touched.CONTROLS, partial(remove_controls, refs=tuple(c.ref for c in added)), added)


def _remove_in(uow: UnitOfWork, ref: str) -> RemovedControl:
    control = uow.controls.get(ref)
    if control is None:
        raise NotFoundError(f"control {ref}", "does not exist")
    evidence = uow.controls.evidence_counts().get(ref, 0)
    if evidence:
        raise deletion_refusal(ref, evidence)
    task_ids, request_ids = uow.controls.links(ref)
    uow.controls.remove(ref)
    return RemovedControl(draft_of(control), task_ids, request_ids)


def remove_control(project: OpenProject, ref: str) -> Change[RemovedControl]:
    """Delete a control that has no evidence; undone by restore_control."""
    removed = project.committed(lambda uow: _remove_in(uow, ref))
    return Change(_CONTROL_LINKS, partial(restore_control, removed=removed), removed)


def remove_controls(project: OpenProject, refs: Sequence[str]) -> Change[list[RemovedControl]]:
    """Delete several controls without evidence in one transaction: all of them, or none."""
    removed = project.committed(lambda uow: [_remove_in(uow, ref) for ref in refs])
    return Change(_CONTROL_LINKS, partial(restore_controls, removed=tuple(removed)), removed)


def _restore_in(uow: UnitOfWork, removed: RemovedControl) -> Control:
    control = add_control_in(uow, removed.draft)
    uow.controls.relink(control.ref, removed.task_ids, removed.request_ids)
    return control


def restore_control(project: OpenProject, removed: RemovedControl) -> Change[Control]:
    """Put a deleted control back with its criteria, and point its tasks and requests at it again."""
    control = project.committed(lambda uow: _restore_in(uow, removed))
    return Change(_CONTROL_LINKS, partial(remove_control, ref=control.ref), control)


def restore_controls(project: OpenProject, removed: Sequence[RemovedControl]) -> Change[list[Control]]:
    """Put several deleted controls back in one transaction (the undo of remove_controls)."""
    controls = project.committed(lambda uow: [_restore_in(uow, item) for item in removed])
    return Change(_CONTROL_LINKS, partial(remove_controls, refs=tuple(c.ref for c in controls)), controls)


def add_task(project: OpenProject, title: str, *, owner: str = "", due: date | None = None,
             status: TaskStatus = TaskStatus.OPEN, description: str = "", criterion_id: str | None = None,
             control_ref: str | None = None) -> Change[Task]:
    """Add a remediation or other task, optionally tied to a criterion or a control; undone by deleting it."""
    if not title.strip():
        raise ValidationError("task", "the title cannot be empty")
    with project.uow() as uow:
        if criterion_id is not None and criterion_id not in uow.criteria.catalog():
            raise NotFoundError(f"criterion {criterion_id}", "is not a Trust Services Criterion")
        control_id = uow.controls.id_of(control_ref) if control_ref else None
        task_id = uow.tasks.add(title.strip(), owner=owner, due=due, status=status, description=description,
                                criterion_id=criterion_id, control_id=control_id)
        uow.commit()
        task = _task(uow, task_id)
    return Change(Touched.TASKS, partial(delete_task, task_id=task.id), task)


def list_tasks(project: OpenProject) -> list[Task]:
    """Return every task, soonest due first."""
    with project.uow() as uow:
        return uow.tasks.list()


def _task(uow: UnitOfWork, task_id: int) -> Task:
    task = next((t for t in uow.tasks.list() if t.id == task_id), None)
    if task is None:
        raise NotFoundError(f"task {task_id}", "does not exist")
    return task


def update_task(project: OpenProject, task_id: int, *, title: str, owner: str = "", due: date | None = None,
                status: TaskStatus = TaskStatus.OPEN, description: str = "") -> Change[Task]:
    """Replace the title, owner, due date, status and description of a task; undone by putting them back."""
    if not title.strip():
        raise ValidationError("task", "the title cannot be empty")
    with project.uow() as uow:
        before = _task(uow, task_id)
        uow.tasks.update(task_id, title=title.strip(), owner=owner.strip(), due=due, status=status,
                         description=description)
        uow.commit()
        task = _task(uow, task_id)
    undo = partial(update_task, task_id=task_id, title=before.title, owner=before.owner, due=before.due,
                   status=before.status, description=before.description)
    return Change(Touched.TASKS, undo, task)


def delete_task(project: OpenProject, task_id: int) -> Change[Task]:
    """Delete a task; undone by restore_task."""
    with project.uow() as uow:
        task = _task(uow, task_id)
        uow.tasks.remove(task_id)
        uow.commit()
    return Change(Touched.TASKS, partial(restore_task, task=task), task)


def restore_task(project: OpenProject, task: Task) -> Change[Task]:
    """Put a deleted task back under its id, tied to its control again if that control still exists."""
    with project.uow() as uow:
        control_id = uow.controls.id_of(task.control_ref) if task.control_ref and uow.controls.get(
            task.control_ref) is not None else None
        uow.tasks.add(task.title, owner=task.owner, due=task.due, status=task.status, description=task.description,
                      criterion_id=task.criterion_id, control_id=control_id, task_id=task.id)
        uow.commit()
        restored = _task(uow, task.id)
    return Change(Touched.TASKS, partial(delete_task, task_id=task.id), restored)
