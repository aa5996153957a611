"""The policies as the page lists them: one row per policy with its version in force, review date and how many of the
staff acknowledged it, coloured by its state (in order, needs attention, not in force or past its review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from workbench.domain.enums import AssessmentStatus
from workbench.domain.people import Person
from workbench.domain.policies import Behind, Policy, PolicyVersion, employed_on, in_force, review_due
from workbench.ui.dates import shown_date
from workbench.ui.pages.register_model import Column, RecordsModel
from workbench.ui.palette import state_text

GOOD, ATTENTION, BAD = AssessmentStatus.MET, AssessmentStatus.PARTIALLY_MET, AssessmentStatus.GAP


@dataclass(frozen=True)
class PolicyRow:
    """A policy with what the list shows about it on a day."""

    policy: Policy
    current: PolicyVersion | None  # the version in force that day
    review: date | None
    signed: int  # staff employed that day who acknowledged the version in force (or a later one)
    staff: int
    state: AssessmentStatus
    why: str

    @property
    def ref(self) -> str:
        """Return the policy's key (the tables select rows by it)."""
        return self.policy.key


def _state(policy: Policy, current: PolicyVersion | None, review: date | None, behind: int,
           today: date) -> tuple[AssessmentStatus, str]:
    """Return a policy's state on a day and why, in a few words."""
    if current is None:
        return BAD, "never published" if not policy.versions else "no version in force yet"
    if review is not None and review < today:
        return BAD, f"review was due on {shown_date(review)}"
    if behind:
        return ATTENTION, f"{behind} {'person has' if behind == 1 else 'people have'} not acknowledged it"
    if policy.draft_body is not None:
        return ATTENTION, "a new draft is not published yet"
    return GOOD, "in force and acknowledged"


def policy_rows(policies: tuple[Policy, ...], people: tuple[Person, ...], behind: tuple[Behind, ...],
                today: date) -> list[PolicyRow]:
    """Return a row per policy as things stand on `today`."""
    staff = sum(1 for p in people if employed_on(p, today))
    rows = []
    for policy in policies:
        current = in_force(policy, today)
        late = sum(1 for b in behind if b.policy_key == policy.key)
        review = review_due(policy, today)
        state, why = _state(policy, current, review, late, today)
        rows.append(PolicyRow(policy, current, review, staff - late if current else 0, staff, state, why))
    return rows


def _version(row: PolicyRow) -> str:
    if row.current is None:
        return "draft" if row.policy.draft_body is not None else "—"
    return str(row.current.number) + (" (+ draft)" if row.policy.draft_body is not None else "")


COLUMNS = (
    Column("Key", lambda r: r.policy.key),
    Column("Title", lambda r: r.policy.title, tip=lambda r: f"{r.policy.title}: {r.why}"),
    Column("Owner", lambda r: r.policy.owner),
    Column("Version", _version, sort=lambda r: r.current.number if r.current else 0),
    Column("Effective", lambda r: shown_date(r.current.effective_on) if r.current else "",
           sort=lambda r: r.current.effective_on if r.current else date.min),
    Column("Next review", lambda r: shown_date(r.review), sort=lambda r: r.review or date.max),
    Column("Acknowledged", lambda r: f"{r.signed}/{r.staff}" if r.current and r.staff else "—",
           sort=lambda r: (r.signed / r.staff) if r.staff else 0.0),
)


class PolicyRowsModel(RecordsModel):
    """The policy rows, each row's words in its state's colour."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            return state_text(self.rows[index.row()].state)
        return super().data(index, role)
