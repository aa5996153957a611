"""Access review campaigns with their accounts and decisions; each account is a row of its own with its version.

A campaign is read whole, but written row by row: only the accounts that differ from what is stored are updated
(through the ORM, so the audit trail records each insert, update and delete), and an account changed since the
caller read it refuses the write instead of being overwritten. Two people deciding different accounts of one
campaign therefore both keep their decision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workbench.domain.access_reviews import Campaign, Decision, Entry
from workbench.domain.errors import NotFoundError
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_member, enum_value, set_changed
from workbench.store.schema import AccessReviewEntryRow, AccessReviewRow
from workbench.store.versions import check_version

_ENTRY_TABLE = AccessReviewEntryRow.__tablename__


def _entry(row: AccessReviewEntryRow) -> Entry:
    return Entry(row.login, row.email, row.name, row.role, row.admin, row.status, row.last_login,
                 enum_member(Decision, row.decision), row.note, row.task_id, row.version)


def _entry_columns(entry: Entry) -> dict[str, Any]:
    return {"login": entry.login, "email": entry.email, "name": entry.name, "role": entry.role,
            "admin": entry.admin, "status": entry.status, "last_login": entry.last_login,
            "decision": enum_value(entry.decision), "note": entry.note, "task_id": entry.task_id}


def _differs(row: AccessReviewEntryRow, values: dict[str, Any]) -> bool:
    return any(getattr(row, name) != value for name, value in values.items())


class AccessReviewRepository(RecordRepository[AccessReviewRow, Campaign]):
    row_type = AccessReviewRow
    noun = "access review"
    same = ("ref", "system", "started_on", "source", "sha256", "reviewer", "closed_on", "evidence_id")

    def _entry_rows(self, review_id: int) -> list[AccessReviewEntryRow]:
        return list(self._session.scalars(select(AccessReviewEntryRow)
                                          .where(AccessReviewEntryRow.review_id == review_id)
                                          .order_by(AccessReviewEntryRow.position, AccessReviewEntryRow.id)))

    def _record(self, row: AccessReviewRow, links: ControlLinks) -> Campaign:
        return Campaign(control_ref=links.ref(row.control_id), **self._stored(row),
                        entries=tuple(_entry(e) for e in self._entry_rows(row.id)))

    def _columns(self, record: Campaign, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "control_id": links.id(record.control_ref)}

    def _after_write(self, row: AccessReviewRow, record: Campaign) -> None:
        # Matched by login: a stored account the record lacks is deleted, one it adds is inserted, and one that
        # differs is updated only when the record was read at the row's current version.
        stored: dict[str, list[AccessReviewEntryRow]] = {}
        for current in self._entry_rows(row.id):
            stored.setdefault(current.login, []).append(current)
        for position, entry in enumerate(record.entries):
            values = {**_entry_columns(entry), "position": position}
            matches = stored.get(entry.login)
            if not matches:
                self._session.add(AccessReviewEntryRow(review_id=row.id, **values))
                continue
            current = matches.pop(0)
            if _differs(current, values):
                self._refuse_stale(row, current, entry.version)
                set_changed(current, values)
        for gone in (current for rows in stored.values() for current in rows):
            self._session.delete(gone)
        self._session.flush()

    def _refuse_stale(self, row: AccessReviewRow, current: AccessReviewEntryRow, expected: int | None) -> None:
        """Refuse a write made from a read of an account older than the stored one (who and when are named)."""
        check_version(self._session, current.version, expected, what=f"access review {row.ref} account "
                      f"{current.login}", entity=_ENTRY_TABLE, key=str(current.id),
                      fresh=lambda: self.get(row.id))

    def decide(self, review_id: int, entry: Entry, expected_version: int | None = None) -> Entry:
        """Write one account's decision and note (found by login), checked against the version it was read at."""
        review = self._row(review_id)
        wanted = entry.login.strip().casefold()
        current = next((e for e in self._entry_rows(review_id) if e.login.casefold() == wanted), None)
        if current is None:
            raise NotFoundError(f"access review {review.ref}", f"has no account {entry.login.strip()!r}")
        self._refuse_stale(review, current, expected_version)
        set_changed(current, {"decision": enum_value(entry.decision), "note": entry.note})
        self._session.flush()
        return _entry(current)

    def remove(self, record_id: int) -> None:
        """Remove a campaign and its accounts, each account's row deleted on its own (so the trail shows it)."""
        row = self._row(record_id)
        for entry in self._entry_rows(record_id):
            self._session.delete(entry)
        self._session.flush()
        self._session.delete(row)
        self._session.flush()

    def of_system(self, system: str) -> list[Campaign]:
        """Return a system's campaigns, oldest first."""
        wanted = system.strip().casefold()
        return [c for c in sorted(self.list(), key=lambda c: c.id) if c.system.strip().casefold() == wanted]
