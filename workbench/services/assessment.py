"""Step 2: judging each in-scope criterion."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.catalog import Criterion, normalize_criterion_id
from workbench.domain.entities import CriterionAssessment
from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import NotFoundError, ValidationError
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


def assess(project: OpenProject, criterion: str, status: AssessmentStatus, note: str = "") -> CriterionAssessment:
    """Record the judgement of one in-scope criterion; 'not applicable' needs a justification."""
    note = note.strip()
    if status is AssessmentStatus.NOT_APPLICABLE and not note:
        raise ValidationError(
            f"criterion {criterion}", "'not applicable' needs a justification for the auditor (--note)"
        )
    with project.uow() as uow:
        found = resolve_criterion(uow, criterion)
        uow.assessments.set(found.id, status, note, uow.now())
        uow.commit()
        return uow.assessments.all()[found.id]


def criteria_in_scope(project: OpenProject) -> list[CriterionRow]:
    """Return every in-scope criterion in catalog order with its judgement and mapped controls."""
    with project.uow() as uow:
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
