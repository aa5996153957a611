"""Controls with their criteria mappings, and tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from workbench.domain.entities import Control, ControlDraft, Task
from workbench.domain.enums import ControlStatus, Frequency, Nature, TaskStatus
from workbench.domain.errors import NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.store import audit_trail, crypto, sql, versions
from workbench.store.core_first import orm_session
from workbench.store.repositories.plain import read, table
from workbench.store.schema import ControlCriterionRow, ControlRow, EvidenceRow, RequestRow, TaskRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

BULK_COLUMNS = ("id", "ref", "title", "description", "owner", "frequency", "nature", "status", "notes",
                "implemented_since", "retired_on")
_TEXT_COLUMNS = tuple(BULK_COLUMNS.index(name) for name in ("ref", "title", "description", "owner", "notes"))


def _to_control(row: Any, criteria: tuple[str, ...]) -> Control:
    return Control(
        id=row.id, ref=row.ref, title=row.title, description=row.description, owner=row.owner,
        frequency=Frequency(row.frequency) if row.frequency else None,
        nature=Nature(row.nature) if row.nature else None,
        status=ControlStatus(row.status), notes=row.notes, criteria=criteria,
        implemented_since=row.implemented_since, retired_on=row.retired_on, version=row.version,
    )


# The stored text of each choice a control makes (Enum.value is a slow property on the hot path of an import).
_STORED: dict[Any, str | None] = {None: None}
_STORED.update((member, member.value) for kind in (Frequency, Nature, ControlStatus) for member in kind)


def _short(rows: Sequence[tuple[Any, ...]]) -> bool:
    """Return True when no text of these bulk rows is long enough for the trail to shorten (see plain_row)."""
    columns = list(zip(*rows, strict=True))  # looked at column by column, each in one pass
    try:
        return max(max(map(len, columns[index])) for index in _TEXT_COLUMNS) <= audit_trail.MAX_VALUE_CHARS
    except TypeError:  # a text left None: let plain_row look
        return False


def _iso(day: date | None) -> str | None:
    """Return a date as the ISO text both back ends store (and the audit trail records) for it."""
    return day.isoformat() if day is not None else None


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
        links: dict[int, list[str]] = defaultdict(list)
        mapping = table(ControlCriterionRow).c
        for control_id, criterion_id in read(self._session, select(mapping.control_id, mapping.criterion_id)):
            links[control_id].append(criterion_id)
        # Plain columns, not ORM objects: every page and export lists all controls.
        controls = table(ControlRow).c
        rows = read(self._session, select(*(controls[name] for name in BULK_COLUMNS), controls.version))
        return natural_sorted((_to_control(r, tuple(sorted(links.get(r.id, ())))) for r in rows), key=lambda c: c.ref)

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
        """Add several new controls at once (imports), recorded in the audit trail as one entry per call.

        The entry lists every created control with all its values and criteria, so the trail stays complete
        while a 20,000-row import writes 20 entries instead of 50,000.
        """
        if not drafts:
            return
        self._session.flush()
        connection = self._session.connection()
        sql.lock_audit_appends(connection)  # on a server: no other writer picks the same ids meanwhile
        next_id = (connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM controls").scalar() or 0) + 1
        rows = [
            (control_id, d.ref, d.title, d.description, d.owner, _STORED[d.frequency], _STORED[d.nature],
             _STORED[d.status], d.notes, _iso(d.implemented_since), _iso(d.retired_on))
            for control_id, d in enumerate(drafts, start=next_id)
        ]
        criteria = [sorted(set(d.criteria)) for d in drafts]
        links = [(row[0], criterion_id) for row, linked in zip(rows, criteria, strict=True) for criterion_id in linked]
        # Driver-level executemany: the ORM, and even Core's insertmanyvalues, cost several times the write itself.
        # It bypasses the column types, so an encrypted project's free text is sealed here (see store/crypto.py).
        cipher = crypto.cipher_of(connection)
        stored = rows if cipher is None else [
            (*row[:3], cipher.encrypt_text(row[3], "controls.description"), *row[4:8],
             cipher.encrypt_text(row[8], "controls.notes"), *row[9:])
            for row in rows
        ]
        sql.run(
            connection,
            "INSERT INTO controls (id, ref, title, description, owner, frequency, nature, status, notes, "
            "implemented_since, retired_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            stored,
        )
        sql.reset_id_sequences(connection, ["controls"])
        if links:
            sql.run(connection, "INSERT INTO control_criteria (control_id, criterion_id) VALUES (?, ?)", links)
        plain = rows if _short(rows) else [tuple(audit_trail.plain_row(row)) for row in rows]
        summary = {
            "columns": [*BULK_COLUMNS, "criteria"],
            "created": [(*row, linked) for row, linked in zip(plain, criteria, strict=True)],  # JSON lists
        }
        key = drafts[0].ref if len(drafts) == 1 else f"{drafts[0].ref} .. {drafts[-1].ref} ({len(drafts)} controls)"
        audit_trail.record(self._session, [("create", ControlRow.__tablename__, key, summary)])

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
