"""Controls with their criteria mappings, and tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from workbench.domain.entities import Control, ControlDraft, Task
from workbench.domain.enums import TaskStatus
from workbench.domain.errors import NotFoundError
from workbench.store import versions
from workbench.store.core_first import orm_session
from workbench.store.repositories.control_rows import BULK_COLUMNS, add_controls, control_of, list_controls
from workbench.store.repositories.plain import read, table
from workbench.store.schema import ControlCriterionRow, ControlRow, EvidenceRow, RequestRow, TaskRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

def _to_control(row: Any, criteria: tuple[str, ...]) -> Control:
    """Return the control a Core row or an ORM row describes."""
    return control_of([getattr(row, name) for name in (*BULK_COLUMNS, "version")], criteria)


def _row_values(draft: ControlDraft) -> dict[str, Any]:
    """Return the stored column values of a control described by a draft (criteria aside)."""
    return {
        "ref": draft.ref, "title": draft.title, "description": draft.description, "owner": draft.owner,
        "frequency": draft.frequency.value if draft.frequency else None,
        "nature": draft.nature.value if draft.nature else None,
        "status": draft.status.value, "notes": draft.notes,
        "implemented_since": draft.implemented_since, "retired_on": draft.retired_on,
    }


def _apply(row: ControlRow, draft: ControlDraft) -> None:
    """Copy the draft's fields onto the row, touching only what differs (so the trail shows real edits)."""
    for name, value in _row_values(draft).items():
        if getattr(row, name, None) != value:
            setattr(row, name, value)
    current = {link.criterion_id for link in row.criteria}
    wanted = set(draft.criteria)
    for link in list(row.criteria):
        if link.criterion_id not in wanted:
            row.criteria.remove(link)
    for criterion_id in sorted(wanted - current):
        row.criteria.append(ControlCriterionRow(criterion_id=criterion_id))


class ControlRepository:
    """Controls: Core reads and the import's driver-level writes; every other write through the ORM (`_orm`)."""

    core_first = True  # see store/core_first.py: an import of new controls writes without loading the ORM

    def __init__(self, session: Session) -> None:
        self._session = session

    @property
    def _orm(self) -> Session:
        return orm_session(self._session)

    def list(self) -> list[Control]:
        """Return every control in the natural order of its reference (A.5.2 before A.5.10), with its criteria."""
        return list_controls(self._session)

    def get_many(self, refs: Sequence[str]) -> dict[str, Control]:
        """Return the controls with these references that exist, by reference, with their criteria."""
        found: dict[str, Control] = {}
        controls, mapping = table(ControlRow).c, table(ControlCriterionRow).c
        for start in range(0, len(refs), 500):  # within every back end's limit of bound parameters
            rows = list(read(self._session, select(*(controls[name] for name in BULK_COLUMNS), controls.version)
                             .where(controls.ref.in_(refs[start:start + 500]))))
            links: dict[int, list[str]] = defaultdict(list)
            for control_id, criterion_id in read(self._session, select(mapping.control_id, mapping.criterion_id)
                                                 .where(mapping.control_id.in_([r.id for r in rows]))):
                links[control_id].append(criterion_id)
            found.update((r.ref, _to_control(r, tuple(sorted(links.get(r.id, ()))))) for r in rows)
        return found

    def _row(self, ref: str) -> ControlRow | None:
        return self._orm.scalars(select(ControlRow).where(ControlRow.ref == ref)).first()

    def get(self, ref: str) -> Control | None:
        """Return the control with this reference, or None."""
        row = self._row(ref)
        return _to_control(row, tuple(link.criterion_id for link in row.criteria)) if row else None

    def id_of(self, ref: str) -> int:
        """Return the id of the control with this reference; raise NotFoundError if none."""
        control_id = self._orm.scalar(select(ControlRow.id).where(ControlRow.ref == ref))
        if control_id is None:
            raise NotFoundError(f"control {ref}", "does not exist")
        return control_id

    def add(self, draft: ControlDraft) -> int:
        """Add a control and return its id."""
        session = self._orm  # first: a row class is mapped before a row is made
        row = ControlRow()
        _apply(row, draft)
        session.add(row)
        session.flush()
        return row.id

    def add_many(self, drafts: Sequence[ControlDraft]) -> None:
        """Add several new controls at once (imports), recorded in the audit trail as one entry per call."""
        add_controls(self._session, drafts)

    def replace_many(self, changes: Sequence[tuple[str, ControlDraft]]) -> None:
        """Replace several controls, found by reference, with one query and one flush (imports)."""
        if not changes:
            return
        from sqlalchemy import orm  # loaded by now (this is ORM work); not with the module, which Core reads load

        refs = [ref for ref, _ in changes]
        rows = {
            row.ref: row
            for row in self._orm.scalars(
                select(ControlRow).where(ControlRow.ref.in_(refs)).options(orm.selectinload(ControlRow.criteria))
            )
        }
        for ref, draft in changes:
            row = rows.get(ref)
            if row is None:
                raise NotFoundError(f"control {ref}", "does not exist")
            _apply(row, draft)
        self._orm.flush()

    def replace(self, ref: str, draft: ControlDraft, expected_version: int | None = None) -> None:
        """Replace every field of the control `ref` with the draft's (refused if it is no longer at that version)."""
        row = self._row(ref)
        if row is None:
            raise NotFoundError(f"control {ref}", "does not exist")
        versions.check_version(self._orm, row.version, expected_version, what=f"control {ref}",
                               entity=ControlRow.__tablename__, key=ref, fresh=lambda: self.get(ref))
        _apply(row, draft)
        self._orm.flush()

    def remove(self, ref: str) -> None:
        """Delete a control with its mappings and evidence links."""
        row = self._row(ref)
        if row is None:
            raise NotFoundError(f"control {ref}", "does not exist")
        self._orm.delete(row)
        self._orm.flush()

    def count(self) -> int:
        """Return how many controls there are."""
        return read(self._session, select(func.count()).select_from(table(ControlRow))).scalar() or 0

    def covered_criteria(self) -> set[str]:
        """Return the ids of criteria mapped to at least one control."""
        return set(read(self._session, select(table(ControlCriterionRow).c.criterion_id).distinct()).scalars())

    def evidence_counts(self) -> dict[str, int]:
        """Return how many evidence records each control has, by reference (controls with none are left out)."""
        session = self._orm  # first: the row classes are mapped before their attributes are read
        query = (
            select(ControlRow.ref, func.count(EvidenceRow.id))
            .join(EvidenceRow, EvidenceRow.control_id == ControlRow.id)
            .group_by(ControlRow.ref)
        )
        return {ref: count for ref, count in session.execute(query)}

    def links(self, ref: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Return the ids of the tasks and of the auditor requests that point at the control `ref`."""
        control_id = self.id_of(ref)
        tasks = self._orm.scalars(select(TaskRow.id).where(TaskRow.control_id == control_id).order_by(TaskRow.id))
        requests = self._orm.scalars(
            select(RequestRow.id).where(RequestRow.control_id == control_id).order_by(RequestRow.id)
        )
        return tuple(tasks), tuple(requests)

    def relink(self, ref: str, task_ids: tuple[int, ...], request_ids: tuple[int, ...]) -> None:
        """Point these tasks and requests (those that still exist) at the control `ref` again."""
        control_id = self.id_of(ref)
        for row_type, ids in ((TaskRow, task_ids), (RequestRow, request_ids)):
            if not ids:
                continue
            for row in self._orm.scalars(select(row_type).where(row_type.id.in_(ids))):
                if row.control_id != control_id:
                    row.control_id = control_id
        self._orm.flush()


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[Task]:
        """Return every task, soonest due first."""
        tasks, controls = table(TaskRow), table(ControlRow).c
        rows = read(self._session, select(tasks).order_by(tasks.c.due.is_(None), tasks.c.due, tasks.c.id)).all()
        refs = dict(read(self._session, select(controls.id, controls.ref)).all())
        return [
            Task(r.id, r.title, r.owner, r.due, TaskStatus(r.status), r.description, r.criterion_id,
                 refs.get(r.control_id) if r.control_id else None)
            for r in rows
        ]

    def update(self, task_id: int, *, title: str, owner: str, due: date | None, status: TaskStatus,
               description: str) -> None:
        """Replace the editable fields of a task, touching only what differs; raise NotFoundError if none."""
        row = self._session.get(TaskRow, task_id)
        if row is None:
            raise NotFoundError(f"task {task_id}", "does not exist")
        values = {"title": title, "owner": owner, "due": due, "status": status.value, "description": description}
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        self._session.flush()

    def add(self, title: str, *, owner: str = "", due: date | None = None, status: TaskStatus = TaskStatus.OPEN,
            description: str = "", criterion_id: str | None = None, control_id: int | None = None,
            task_id: int | None = None) -> int:
        """Add a task (with a given id when putting a deleted one back) and return its id."""
        row = TaskRow(id=task_id, title=title, owner=owner, due=due, status=status.value, description=description,
                      criterion_id=criterion_id, control_id=control_id)
        self._session.add(row)
        self._session.flush()
        return row.id

    def remove(self, task_id: int) -> None:
        """Delete a task; raise NotFoundError if there is none with this id."""
        row = self._session.get(TaskRow, task_id)
        if row is None:
            raise NotFoundError(f"task {task_id}", "does not exist")
        self._session.delete(row)
        self._session.flush()
