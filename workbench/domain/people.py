"""People (CC1.1, CC1.4, CC2.2, CC6.2, CC6.5): the roster, each person's joiner and leaver checks, and whether a
leaver's access was removed within the company's own stated time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.domain.enums import LabelledEnum
from workbench.domain.register_record import RegisterRecord
from workbench.domain.register_values import parse_from
from workbench.domain.schedule import add_working_days, working_days_between

DEFAULT_REMOVAL_DAYS = 1  # business days after the last day, unless the project states its own


class WorkerType(LabelledEnum):
    EMPLOYEE = "employee"
    CONTRACTOR = "contractor"


_WORKER_TYPES: dict[str, WorkerType] = {
    **dict.fromkeys(("employee", "emp", "staff", "full time", "part time", "ft", "pt", "permanent", "fte",
                     "w2", "salaried", "hourly", "intern"), WorkerType.EMPLOYEE),
    **dict.fromkeys(("contractor", "contract", "consultant", "freelance", "freelancer", "temp", "temporary",
                     "1099", "agency", "external", "vendor", "contingent"), WorkerType.CONTRACTOR),
}


def parse_worker_type(text: str) -> WorkerType | None:
    """Return employee or contractor as a cell names it ("Full-time", "Contract"); None when blank."""
    return parse_from(_WORKER_TYPES, text, "employee or contractor")


@dataclass(frozen=True, slots=True)
class Person(RegisterRecord):
    name: str
    email: str = ""
    worker_type: WorkerType | None = None
    role: str = ""
    manager: str = ""
    start_date: date | None = None
    end_date: date | None = None
    background_check_on: date | None = None
    background_check_result: str = ""
    conduct_acknowledged_on: date | None = None
    training_at_hire_on: date | None = None
    training_yearly_on: date | None = None
    access_granted_on: date | None = None
    access_removed_on: date | None = None
    equipment_returned_on: date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Removal:
    """How a leaver's access removal reads against the stated time: due by, how many business days it took."""

    due: date
    days_taken: int | None  # business days after the last day; None when not removed yet
    late: bool

    @property
    def text(self) -> str:
        """Return it as the register shows it ("late: 3 business days against 1")."""
        if self.days_taken is None:
            return "not removed" + (": overdue" if self.late else "")
        return f"{'late' if self.late else 'on time'}: {self.days_taken} business day{'s' * (self.days_taken != 1)}"


def removal(person: Person, allowed_days: int, today: date, holidays: frozenset[date] = frozenset()
            ) -> Removal | None:
    """Return a leaver's access removal against the allowed business days after the last day; None for no leaver.

    Removal on the last day or before takes 0 days; a removal not recorded is late once the due day has passed.
    """
    if person.end_date is None:
        return None
    due = add_working_days(person.end_date, allowed_days, holidays)
    removed = person.access_removed_on
    if removed is None:
        return Removal(due, None, today > due)
    taken = 0 if removed <= person.end_date else working_days_between(person.end_date + timedelta(days=1), removed,
                                                                       holidays)
    return Removal(due, taken, removed > due)


def in_period(day: date | None, start: date | None, end: date | None) -> bool:
    """Return True when a day lies in the period (any day counts when the project has no period)."""
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def joiners(people: Iterable[Person], start: date | None, end: date | None) -> list[Person]:
    """Return the people who started in the period."""
    return [p for p in people if in_period(p.start_date, start, end)]


def leavers(people: Iterable[Person], start: date | None, end: date | None) -> list[Person]:
    """Return the people who left in the period."""
    return [p for p in people if in_period(p.end_date, start, end)]


def removal_actions(people: Iterable[Person], allowed_days: int, today: date) -> list[str]:
    """Return what the roster calls for: leavers whose access is still not removed past the due day, and late
    removals the auditor will count as exceptions (each with its management response to write)."""
    found = [(p, removal(p, allowed_days, today)) for p in people]
    overdue = [p.name or p.ref for p, r in found if r is not None and r.late and r.days_taken is None]
    late = [p.name or p.ref for p, r in found if r is not None and r.late and r.days_taken is not None]
    actions = []
    days = f"{allowed_days} business day{'s' * (allowed_days != 1)}"
    if overdue:
        actions.append(f"Remove the access of {len(overdue)} leaver{'s' * (len(overdue) != 1)} past the stated "
                       f"{days} ({', '.join(overdue[:3])}{', ...' if len(overdue) > 3 else ''})")
    if late:
        actions.append(f"Explain {len(late)} late access removal{'s' * (len(late) != 1)} (over {days}): an "
                       f"exception to the access-removal control ({', '.join(late[:3])}"
                       f"{', ...' if len(late) > 3 else ''})")
    return actions
