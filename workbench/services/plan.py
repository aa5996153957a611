"""The timeline plan's tasks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workbench.domain.entities import PlanTask
from workbench.domain.errors import DuplicateError, ValidationError
from workbench.services.session import OpenProject


def add_plan_task(project: OpenProject, key: str, name: str, step: int, start: date, end: date, *,
                  milestone: bool = False, depends_on: Iterable[str] = ()) -> int:
    """Append a task to the plan; its dependencies must already be in the plan."""
    if not 1 <= step <= 6:
        raise ValidationError(f"plan task {key}", "the step must be between 1 and 6")
    if end < start:
        raise ValidationError(f"plan task {key}", "ends before it starts")
    with project.uow() as uow:
        existing = {t.key for t in uow.plan.list()}
        if key in existing:
            raise DuplicateError(f"plan task {key}", "already exists")
        missing = [k for k in depends_on if k not in existing]
        if missing:
            raise ValidationError(f"plan task {key}", f"depends on unknown tasks: {', '.join(missing)}")
        task_id = uow.plan.add(key, name, step, start, end, milestone=milestone, depends_on=depends_on)
        uow.commit()
        return task_id


def list_plan(project: OpenProject) -> list[PlanTask]:
    """Return the plan's tasks in order."""
    with project.uow() as uow:
        return uow.plan.list()
