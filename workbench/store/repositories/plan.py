"""Plan tasks of the timeline and their dependencies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.entities import PlanTask
from workbench.store.schema import PlanDependencyRow, PlanTaskRow


class PlanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[PlanTask]:
        """Return the plan's tasks in plan order with the keys each depends on."""
        rows = list(self._session.scalars(select(PlanTaskRow).order_by(PlanTaskRow.position, PlanTaskRow.id)))
        keys = {r.id: r.key for r in rows}
        depends: dict[int, list[str]] = defaultdict(list)
        for dep in self._session.scalars(select(PlanDependencyRow)):
            depends[dep.task_id].append(keys[dep.depends_on_id])
        return [
            PlanTask(r.id, r.key, r.name, r.step, r.start, r.end, r.milestone, tuple(sorted(depends.get(r.id, ()))))
            for r in rows
        ]

    def add(self, key: str, name: str, step: int, start: date, end: date, *, milestone: bool = False,
            depends_on: Iterable[str] = ()) -> int:
        """Append a task (its dependencies must already exist) and return its id."""
        ids = dict(self._session.execute(select(PlanTaskRow.key, PlanTaskRow.id)).all())
        row = PlanTaskRow(key=key, name=name, step=step, start=start, end=end, milestone=milestone,
                          position=len(ids))
        self._session.add(row)
        self._session.flush()
        for other in depends_on:
            if other not in ids:
                raise KeyError(other)
            self._session.add(PlanDependencyRow(task_id=row.id, depends_on_id=ids[other], lag_days=0))
        self._session.flush()
        return row.id
