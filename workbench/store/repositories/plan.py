"""Plan tasks of the timeline, their dependencies and the saved baseline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workbench.domain.entities import PlanTask
from workbench.domain.schedule import Link, TaskSpec
from workbench.store.repositories.plain import read, table
from workbench.store.schema import PlanDependencyRow, PlanTaskRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

# A stored task: what the schedule is computed from, plus the dates last computed for it.
StoredTask = tuple[TaskSpec, date, date]


def _set(row: Any, **values: Any) -> None:
    """Assign only the values that differ, so the audit trail records real changes only."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


class PlanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _rows(self) -> list[PlanTaskRow]:
        return list(self._session.scalars(select(PlanTaskRow).order_by(PlanTaskRow.position, PlanTaskRow.id)))

    def _read(self) -> list[Any]:
        """Return the tasks as plain rows, for reading only."""
        tasks = table(PlanTaskRow)
        return read(self._session, select(tasks).order_by(tasks.c.position, tasks.c.id)).all()

    def _links(self, rows: Iterable[Any]) -> dict[int, list[tuple[str, int]]]:
        keys = {r.id: r.key for r in rows}
        links: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for dep in read(self._session, select(table(PlanDependencyRow))):
            links[dep.task_id].append((keys[dep.depends_on_id], dep.lag_days))
        return links

    def list(self) -> list[PlanTask]:
        """Return the plan's tasks in plan order with the keys each depends on."""
        rows = self._read()
        links = self._links(rows)
        return [
            PlanTask(r.id, r.key, r.name, r.step, r.start, r.end, r.milestone,
                     tuple(sorted(key for key, _ in links.get(r.id, ()))))
            for r in rows
        ]

    def specs(self) -> list[StoredTask]:
        """Return every task as the schedule's input, with its stored start and end, in plan order."""
        rows = self._read()
        links = self._links(rows)
        order = {r.key: r.position for r in rows}
        stored = []
        for r in rows:
            depends = tuple(Link(key, lag) for key, lag in sorted(links.get(r.id, ()), key=lambda k: order[k[0]]))
            spec = TaskSpec(
                key=r.key, name=r.name, step=r.step, duration=r.duration_days, depends_on=depends,
                fixed_start=r.fixed_start, fixed_end=r.fixed_end, actual_start=r.actual_start,
                actual_finish=r.actual_finish, percent_complete=r.percent_complete, kind=r.kind,
            )
            stored.append((spec, r.start, r.end))
        return stored

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

    def replace_all(self, tasks: Sequence[StoredTask]) -> None:
        """Make the stored plan exactly these tasks (matched by key), in this order, with these dates."""
        rows = {r.key: r for r in self._rows()}
        wanted = {spec.key for spec, _, _ in tasks}
        for position, (spec, start, end) in enumerate(tasks):
            row = rows.get(spec.key)
            if row is None:
                row = PlanTaskRow(key=spec.key, name=spec.name, step=spec.step, start=start, end=end,
                                  milestone=spec.milestone, position=position)
                self._session.add(row)
                rows[spec.key] = row
            self._write(row, spec, start, end, position)
        self._session.flush()
        ids = {key: row.id for key, row in rows.items()}
        desired = {(ids[spec.key], ids[link.predecessor]): link.lag for spec, _, _ in tasks for link in spec.depends_on}
        for dep in list(self._session.scalars(select(PlanDependencyRow))):
            pair = (dep.task_id, dep.depends_on_id)
            if pair not in desired:
                self._session.delete(dep)
            else:
                _set(dep, lag_days=desired.pop(pair))
        self._session.flush()
        for (task_id, depends_on_id), lag in desired.items():
            self._session.add(PlanDependencyRow(task_id=task_id, depends_on_id=depends_on_id, lag_days=lag))
        for key, row in rows.items():
            if key not in wanted:
                self._session.delete(row)
        self._session.flush()

    @staticmethod
    def _write(row: PlanTaskRow, spec: TaskSpec, start: date, end: date, position: int) -> None:
        _set(row, name=spec.name, step=spec.step, start=start, end=end, milestone=spec.milestone, position=position,
             duration_days=spec.duration, fixed_start=spec.fixed_start, fixed_end=spec.fixed_end,
             actual_start=spec.actual_start, actual_finish=spec.actual_finish,
             percent_complete=spec.percent_complete, kind=spec.kind)

    def baseline(self) -> dict[str, tuple[date, date]]:
        """Return the saved baseline: task key -> (start, end); empty when none is saved."""
        return {r.key: (r.baseline_start, r.baseline_end) for r in self._rows()
                if r.baseline_start is not None and r.baseline_end is not None}

    def set_baseline(self, dates: Mapping[str, tuple[date, date]] | None = None) -> None:
        """Save every task's current start and end as its baseline, or exactly `dates` (tasks absent: none)."""
        for row in self._rows():
            if dates is None:
                _set(row, baseline_start=row.start, baseline_end=row.end)
            else:
                start, end = dates.get(row.key, (None, None))
                _set(row, baseline_start=start, baseline_end=end)
        self._session.flush()

    def clear_baseline(self) -> None:
        """Forget the saved baseline."""
        for row in self._rows():
            _set(row, baseline_start=None, baseline_end=None)
        self._session.flush()
