"""Step 2: judging each in-scope criterion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

from workbench.domain.catalog import Criterion, normalize_criterion_id
from workbench.domain.entities import CriterionAssessment, Task
from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.readiness import CategoryReadiness, readiness_by_category
from workbench.services.changes import Change, Touched, moved_on
from workbench.services.controls import delete_task
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One in-scope criterion with its judgement and the controls mapped to it."""

    criterion: Criterion
    assessment: CriterionAssessment
    controls: tuple[str, ...]


def resolve_criterion(uow: UnitOfWork, text: str) -> Criterion:
    """Return the in-scope criterion the user named (loosely written ids accepted)."""
    criterion_id = normalize_criterion_id(text) or text.strip()
    catalog = uow.criteria.catalog()
    criterion = catalog.get(criterion_id)
    if criterion is None:
        raise NotFoundError(f"criterion {text}", "is not a Trust Services Criterion (see `workbench catalog`)")
    if criterion.category not in uow.settings.get().categories:
        raise ValidationError(
            f"criterion {criterion.id}", f"belongs to {criterion.category.label}, which is not in this project's scope"
        )
    return criterion


def assess(project: OpenProject, criterion: str, status: AssessmentStatus, note: str = "",
           expected_version: int | None = None, *,
           expected: tuple[AssessmentStatus, str] | None = None) -> Change[CriterionAssessment]:
    """Record the judgement of one in-scope criterion; 'not applicable' needs a justification.

    Undone by putting back the judgement it replaced. See update_control on expected_version and on
    `expected`, here the (status, note) the criterion must still hold.
    """
    note = note.strip()
    if status is AssessmentStatus.NOT_APPLICABLE and not note:
        raise ValidationError(
            f"criterion {criterion}", "'not applicable' needs a justification for the auditor (--note)"
        )
    with project.uow() as uow:
        found = resolve_criterion(uow, criterion)
        before = uow.assessments.all().get(found.id, CriterionAssessment(found.id, AssessmentStatus.NOT_ASSESSED))
        if expected is not None and (before.status, before.note) != expected:
            raise moved_on(f"criterion {found.id}", before)
        uow.assessments.set(found.id, status, note, uow.now(), expected_version)
        uow.commit()
        after = uow.assessments.all()[found.id]
    undo = partial(assess, criterion=found.id, status=before.status, note=before.note,
                   expected=(after.status, after.note))
    return Change(Touched.ASSESSMENT, undo, after)


def _rows_in(uow: UnitOfWork) -> list[CriterionRow]:
    settings = uow.settings.get()
    judged = uow.assessments.all()
    mapped: dict[str, list[str]] = {}
    for control in uow.controls.list():
        for criterion_id in control.criteria:
            mapped.setdefault(criterion_id, []).append(control.ref)
    return [
        CriterionRow(
            c, judged.get(c.id, CriterionAssessment(c.id, AssessmentStatus.NOT_ASSESSED)),
            tuple(mapped.get(c.id, ())),
        )
        for c in uow.criteria.catalog().in_scope(settings.categories)
    ]


def criteria_in_scope(project: OpenProject) -> list[CriterionRow]:
    """Return every in-scope criterion in catalog order with its judgement and mapped controls."""
    with project.uow() as uow:
        return _rows_in(uow)


@dataclass(frozen=True, slots=True)
class AssessmentOverview:
    """What the assessment page shows: the criteria, readiness per category, and tasks by criterion."""

    rows: tuple[CriterionRow, ...]
    categories: tuple[CategoryReadiness, ...]
    tasks: Mapping[str, tuple[Task, ...]]


def assessment_overview(project: OpenProject) -> AssessmentOverview:
    """Return the in-scope criteria, readiness per category and the tasks tied to each criterion."""
    with project.uow() as uow:
        rows = _rows_in(uow)
        tasks: dict[str, list[Task]] = {}
        for task in uow.tasks.list():
            if task.criterion_id is not None:
                tasks.setdefault(task.criterion_id, []).append(task)
    categories = readiness_by_category(
        ((r.criterion.id, r.criterion.category) for r in rows),
        {r.criterion.id: r.assessment.status for r in rows},
    )
    return AssessmentOverview(tuple(rows), categories, {k: tuple(v) for k, v in tasks.items()})


REMEDIABLE = frozenset({AssessmentStatus.GAP, AssessmentStatus.PARTIALLY_MET})


def create_remediation_task(project: OpenProject, criterion_id: str, title: str, owner: str = "",
                            due: date | None = None) -> Change[Task]:
    """Add a remediation task for an in-scope criterion judged a gap or partially met; undone by deleting it."""
    title = title.strip()
    if not title:
        raise ValidationError("task", "the title cannot be empty")
    with project.uow() as uow:
        found = resolve_criterion(uow, criterion_id)
        judged = uow.assessments.all().get(found.id)
        status = judged.status if judged is not None else AssessmentStatus.NOT_ASSESSED
        if status not in REMEDIABLE:
            raise ValidationError(
                f"criterion {found.id}", f"is {status.label.lower()}: only a gap or a partially met criterion "
                "needs a remediation task"
            )
        task_id = uow.tasks.add(
            title, owner=owner.strip(), due=due, criterion_id=found.id,
            description=f"Raised by the readiness assessment of {found.id} ({status.label.lower()}).",
        )
        uow.commit()
        task = next(t for t in uow.tasks.list() if t.id == task_id)
    return Change(Touched.TASKS, partial(delete_task, task_id=task.id), task)
