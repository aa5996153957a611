"""People (CC1, CC6.2, CC6.5): edits to the roster, the company's stated time to remove a leaver's access, and the
period's joiners or leavers as an event-driven control's population."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from functools import partial

from workbench.domain.entities import Control
from workbench.domain.errors import ValidationError
from workbench.domain.people import Person, joiners, leavers
from workbench.domain.period import Period, project_period
from workbench.domain.testing import PopulationInfo, PopulationItem
from workbench.services.changes import Change, Touched
from workbench.services.identity import current_actor
from workbench.services.importers.kinds.people import ListedPerson, listed
from workbench.services.incidents import ReplacedPopulation, _replace_population, restore_population
from workbench.services.register_records import RecordKind, required
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

PERSON = "person"
POPULATIONS = {"joiners": "every person who started in the audit period",
               "leavers": "every person who left in the audit period"}


def _clean(uow: UnitOfWork, person: Person) -> Person:
    what = f"person {person.ref.strip()}".strip()
    if person.start_date and person.end_date and person.end_date < person.start_date:
        raise ValidationError(what, f"the end date ({person.end_date.isoformat()}) is before the start date "
                                    f"({person.start_date.isoformat()})")
    return replace(person, ref=required(PERSON, "reference", person.ref), name=required(what, "name", person.name),
                   email=person.email.strip())


# The roster, edited by the record engine (services.register_records).
PEOPLE: RecordKind[Person] = RecordKind(PERSON, Touched.PEOPLE, lambda uow: uow.people, _clean)


@dataclass(frozen=True, slots=True)
class PeopleRegister:
    """The roster as the page shows it: each person with their access removal, the stated time, the period."""

    people: tuple[ListedPerson, ...]
    removal_days: int
    period: Period | None
    controls: tuple[Control, ...]


def people_register(project: OpenProject) -> PeopleRegister:
    """Return the roster with each leaver's access removal read against the stated time."""
    with project.uow() as uow:
        return PeopleRegister(tuple(listed(uow)), uow.people.removal_days(), project_period(uow.settings.get()),
                              tuple(uow.controls.list()))


def set_removal_days(project: OpenProject, days: int) -> Change[int]:
    """Record the company's stated business days to remove a leaver's access; undone by the previous number."""
    if not isinstance(days, int) or days < 0 or days > 90:
        raise ValidationError("time to remove access", f"{days!r} is not a number of business days from 0 to 90")
    with project.uow() as uow:
        before = uow.people.removal_days()
        uow.people.set_removal_days(days)
        uow.commit()
    return Change(Touched.PEOPLE, partial(set_removal_days, days=before), before)


def use_as_population(project: OpenProject, control_ref: str, which: str) -> Change[ReplacedPopulation]:
    """Make the period's joiners or leavers the population of an event-driven control (replacing its population),
    recorded like an imported one: source, query, who and when, row count and the listing's SHA-256."""
    if which not in POPULATIONS:
        raise ValidationError("population", f"{which!r} is not joiners or leavers")
    with project.uow() as uow:
        control = uow.controls.get(control_ref.strip())
        if control is None:
            raise ValidationError(f"control {control_ref.strip()}", "is not a control of this project")
        period = project_period(uow.settings.get())
        start, end = (period.start, period.end) if period else (None, None)
        chosen = (joiners if which == "joiners" else leavers)(uow.people.list(), start, end)
        if not chosen:
            raise ValidationError("staff roster", f"holds no {which} of the period to sample from")
        day_of = (lambda p: p.start_date) if which == "joiners" else (lambda p: p.end_date)
        listing = "".join(json.dumps([p.ref, day_of(p).isoformat(), p.name, p.email]) + "\n" for p in chosen)
        info = PopulationInfo("Staff roster of this project", POPULATIONS[which], uow.now().date(), current_actor(),
                              f"{which}.jsonl", hashlib.sha256(listing.encode()).hexdigest())
        items = [PopulationItem(p.ref, day_of(p), True, tuple((k, v) for k, v in (
            ("Name", p.name), ("Email", p.email), ("Role", p.role)) if v)) for p in chosen]
        replaced = _replace_population(uow, control.ref, info, items)
        uow.commit()
    return Change(Touched.POPULATIONS, partial(restore_population, replaced=replaced), replaced)
