"""The roster: people with their joiner and leaver checks, and the company's stated time to remove access."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workbench.domain.people import DEFAULT_REMOVAL_DAYS, Person, WorkerType
from workbench.store.repositories.plain import read, table
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_member, enum_value
from workbench.store.schema import PeoplePolicyRow, PersonRow


class PersonRepository(RecordRepository[PersonRow, Person]):
    row_type = PersonRow
    noun = "person"
    same = ("ref", "name", "email", "role", "manager", "start_date", "end_date", "background_check_on",
            "background_check_result", "conduct_acknowledged_on", "training_at_hire_on", "training_yearly_on",
            "access_granted_on", "access_removed_on", "equipment_returned_on", "notes")

    def _record(self, row: PersonRow, links: ControlLinks) -> Person:
        return Person(worker_type=enum_member(WorkerType, row.worker_type), **self._stored(row))

    def _columns(self, record: Person, links: ControlLinks) -> dict[str, Any]:
        return {"worker_type": enum_value(record.worker_type), **self._same(record)}

    def removal_days(self) -> int:
        """Return the stated business days to remove a leaver's access (1 unless the project set its own)."""
        row = read(self._session, select(table(PeoplePolicyRow).c.removal_days)).first()
        return DEFAULT_REMOVAL_DAYS if row is None else row.removal_days

    def set_removal_days(self, days: int) -> None:
        """Record the stated business days to remove a leaver's access."""
        row = self._session.scalars(select(PeoplePolicyRow)).first()
        if row is None:
            self._session.add(PeoplePolicyRow(id=1, removal_days=days))
        elif row.removal_days != days:
            row.removal_days = days
        self._session.flush()
