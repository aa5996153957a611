"""Policies with their published versions, and acknowledgements. A published version is only ever added (or taken
back whole by an undo): there is no update of a version, and the database refuses one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.natural import natural_sorted
from workbench.domain.policies import Acknowledgement, Policy, PolicyVersion
from workbench.store.repositories.plain import read, table
from workbench.store.repositories.records import set_changed
from workbench.store.schema import AcknowledgementRow, PolicyRow, PolicyVersionRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

_META = ("key", "title", "owner", "review_months", "template_key", "draft_body", "source")


class PolicyRepository:
    """The project's policies, their versions and the acknowledgements of them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- policies -------------------------------------------------------------------------------------

    def list(self) -> list[Policy]:
        """Return every policy with its versions, in the natural order of its key."""
        versions: dict[int, list[PolicyVersion]] = {}
        rows = table(PolicyVersionRow)
        for row in read(self._session, select(rows).order_by(rows.c.policy_id, rows.c.number)):
            versions.setdefault(row.policy_id, []).append(_version(row))
        policies = table(PolicyRow)
        return natural_sorted((_policy(row, versions.get(row.id, [])) for row in
                               read(self._session, select(policies))), key=lambda p: p.key)

    def get(self, key: str) -> Policy | None:
        """Return the policy with this key, or None."""
        row = self._session.scalars(select(PolicyRow).where(PolicyRow.key == key)).first()
        if row is None:
            return None
        found = self._session.scalars(select(PolicyVersionRow).where(PolicyVersionRow.policy_id == row.id)
                                      .order_by(PolicyVersionRow.number))
        return _policy(row, [_version(v) for v in found])

    def add(self, policy: Policy, policy_id: int | None = None) -> int:
        """Add a policy with its versions (under policy_id when putting a removed one back); return its id."""
        if self._session.scalars(select(PolicyRow.id).where(PolicyRow.key == policy.key)).first() is not None:
            raise DuplicateError(f"policy {policy.key}", "already exists; give it another key")
        row = PolicyRow(**_columns(policy))
        if policy_id is not None:
            row.id = policy_id
        self._session.add(row)
        self._session.flush()
        for version in policy.versions:
            self._add_version(row.id, version)
        self._session.flush()
        return row.id

    def update(self, policy: Policy) -> None:
        """Replace a policy's metadata and draft (its versions are never changed here)."""
        set_changed(self._row(policy.key), _columns(policy))
        self._session.flush()

    def remove(self, key: str) -> None:
        """Remove a policy with its versions and acknowledgements."""
        row = self._row(key)
        self._delete(select(AcknowledgementRow).where(AcknowledgementRow.policy_id == row.id))
        self._delete(select(PolicyVersionRow).where(PolicyVersionRow.policy_id == row.id))
        self._session.delete(row)
        self._session.flush()

    def _delete(self, query: Any) -> None:
        """Delete rows one by one through the ORM, so that the audit trail records each."""
        for found in self._session.scalars(query):
            self._session.delete(found)
        self._session.flush()

    def id_of(self, key: str) -> int:
        """Return a policy's row id."""
        return self._row(key).id

    # -- versions -------------------------------------------------------------------------------------

    def publish(self, key: str, version: PolicyVersion) -> None:
        """Add a published version to a policy and clear its draft."""
        row = self._row(key)
        self._add_version(row.id, version)
        row.draft_body = None
        self._session.flush()

    def withdraw(self, key: str, number: int, draft_body: str | None) -> None:
        """Take back a version just published (an undo): the version goes, the draft is what it was."""
        row = self._row(key)
        self._delete(select(PolicyVersionRow).where(PolicyVersionRow.policy_id == row.id,
                                                    PolicyVersionRow.number == number))
        set_changed(row, {"draft_body": draft_body})
        self._session.flush()

    def _add_version(self, policy_id: int, version: PolicyVersion) -> None:
        self._session.add(PolicyVersionRow(
            policy_id=policy_id, number=version.number, body=version.body, sha256=version.sha256,
            approver=version.approver, approved_on=version.approved_on, effective_on=version.effective_on,
            published_at=version.published_at))

    # -- acknowledgements -----------------------------------------------------------------------------

    def acknowledgements(self, key: str | None = None) -> list[Acknowledgement]:
        """Return the acknowledgements (of one policy, or all) by policy key, date and person."""
        acks, policies = table(AcknowledgementRow), table(PolicyRow)
        query = select(acks, policies.c.key).join(policies, policies.c.id == acks.c.policy_id)
        if key is not None:
            query = query.where(policies.c.key == key)
        found = [Acknowledgement(row.person, row.key, row.policy_version, row.acknowledged_on, row.source, row.id)
                 for row in read(self._session, query)]
        return sorted(found, key=lambda a: (a.policy_key, a.acknowledged_on, a.person, a.id))

    def acknowledge(self, acks: Sequence[Acknowledgement]) -> list[int]:
        """Record acknowledgements (an id kept when putting removed ones back); return their ids."""
        ids = {key: self.id_of(key) for key in {a.policy_key for a in acks}}
        rows = [AcknowledgementRow(**({"id": a.id} if a.id else {}), policy_id=ids[a.policy_key],
                                   policy_version=a.version, person=a.person, acknowledged_on=a.acknowledged_on,
                                   source=a.source) for a in acks]
        self._session.add_all(rows)
        self._session.flush()
        return [row.id for row in rows]

    def forget_acknowledgements(self, ack_ids: Sequence[int]) -> None:
        """Remove acknowledgements by id."""
        self._delete(select(AcknowledgementRow).where(AcknowledgementRow.id.in_(list(ack_ids))))

    def _row(self, key: str) -> PolicyRow:
        row = self._session.scalars(select(PolicyRow).where(PolicyRow.key == key)).first()
        if row is None:
            raise NotFoundError(f"policy {key}", "is not a policy of this project")
        return row


def _version(row: Any) -> PolicyVersion:
    return PolicyVersion(row.number, row.body, row.sha256, row.approver, row.approved_on, row.effective_on,
                         row.published_at)


def _policy(row: Any, versions: Sequence[PolicyVersion]) -> Policy:
    return Policy(key=row.key, title=row.title, owner=row.owner, review_months=row.review_months,
                  criteria=tuple(c for c in row.criteria.split(",") if c), template_key=row.template_key,
                  draft_body=row.draft_body, versions=tuple(versions), source=row.source, id=row.id,
                  version=row.version)


def _columns(policy: Policy) -> dict[str, Any]:
    return {**{name: getattr(policy, name) for name in _META}, "criteria": ",".join(policy.criteria)}
