"""Incidents (CC7.3-7.5) and continuity tests (A1.2, A1.3): edits, the incident register as a control's population,
and the significant incidents offered for the system description's incidents section (DC4)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from workbench.domain.continuity import ContinuityTest
from workbench.domain.entities import Control
from workbench.domain.errors import ValidationError
from workbench.domain.incidents import Incident, description_text
from workbench.domain.period import Period, project_period
from workbench.domain.testing import Population, PopulationInfo, PopulationItem
from workbench.services.changes import Change, Touched
from workbench.services.identity import current_actor
from workbench.services.importers.kinds.populations import put_back_population, replace_population
from workbench.services.register_records import RecordKind, known_control, required
from workbench.services.scope import set_description
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

INCIDENT, TEST = "incident", "continuity test"
POPULATION_SOURCE = "Incident register of this project"


def _dates_in_order(what: str, *pairs: tuple[str, date | None, str, date | None]) -> None:
    for first_name, first, last_name, last in pairs:
        if first is not None and last is not None and last < first:
            raise ValidationError(what, f"it was {last_name} ({last.isoformat()}) before it was {first_name} "
                                        f"({first.isoformat()})")


def _clean_incident(uow: UnitOfWork, incident: Incident) -> Incident:
    what = f"incident {incident.ref.strip()}".strip()
    _dates_in_order(what, ("detected", incident.detected_on, "contained", incident.contained_on),
                    ("detected", incident.detected_on, "resolved", incident.resolved_on))
    return replace(incident, ref=required(INCIDENT, "reference", incident.ref),
                   title=required(what, "title", incident.title), classification=incident.classification.strip(),
                   control_ref=known_control(uow, what, incident.control_ref))


def _clean_test(uow: UnitOfWork, test: ContinuityTest) -> ContinuityTest:
    what = f"continuity test {test.ref.strip()}".strip()
    for name in ("rto_target", "rto_achieved", "rpo_target", "rpo_achieved"):
        value = getattr(test, name)
        if value is not None and value < 0:
            raise ValidationError(what, f"the {name.replace('_', ' ').upper()[:3]} cannot be negative")
    return replace(test, ref=required(TEST, "reference", test.ref), scenario=required(what, "scenario", test.scenario),
                   control_ref=known_control(uow, what, test.control_ref))


# Incidents and continuity tests, edited by the record engine (services.register_records).
INCIDENTS: RecordKind[Incident] = RecordKind(INCIDENT, Touched.INCIDENTS, lambda uow: uow.incidents,
                                             _clean_incident)
TESTS: RecordKind[ContinuityTest] = RecordKind(TEST, Touched.CONTINUITY, lambda uow: uow.continuity_tests,
                                               _clean_test)


@dataclass(frozen=True, slots=True)
class IncidentRegister:
    """Incidents, continuity tests, the period and the project's controls, as the page shows them."""

    incidents: tuple[Incident, ...]
    tests: tuple[ContinuityTest, ...]
    period: Period | None
    controls: tuple[Control, ...]
    description: str  # the system description's incidents section as it stands


def incident_register(project: OpenProject) -> IncidentRegister:
    """Return incidents and continuity tests with what the page needs beside them."""
    with project.uow() as uow:
        return IncidentRegister(tuple(uow.incidents.list()), tuple(uow.continuity_tests.list()),
                                project_period(uow.settings.get()), tuple(uow.controls.list()),
                                uow.description.get_all().get("dc4", ""))


# -- the system description's incidents section (DC4) ---------------------------------------------------------


def incidents_section(project: OpenProject) -> str:
    """Return a draft of the description's incidents section: the significant incidents of the period."""
    register = incident_register(project)
    period = register.period
    chosen = [i for i in register.incidents
              if period is None or i.detected_on is None or period.start <= i.detected_on <= period.end]
    return description_text(chosen)


def offer_to_description(project: OpenProject, text: str) -> Change[None]:
    """Write the incidents section of the system description (undoable like any description edit)."""
    return set_description(project, {"dc4": text})


# -- the incident register as a control's population ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplacedPopulation:
    """The population the incident register replaced (None: the control had none), for undo."""

    control_ref: str
    previous: Population | None
    previous_items: tuple[PopulationItem, ...] = ()


def _items(incidents: list[Incident], period: Period | None) -> list[PopulationItem]:
    items = []
    for incident in incidents:
        day = incident.detected_on
        inside = None if day is None or period is None else period.holds(day)
        data = tuple((name, text) for name, text in (
            ("Title", incident.title), ("Severity", incident.severity.label if incident.severity else ""),
            ("Resolved", incident.resolved_on.isoformat() if incident.resolved_on else "")) if text)
        items.append(PopulationItem(incident.ref, day, inside, data))
    return items


def use_as_population(project: OpenProject, control_ref: str) -> Change[ReplacedPopulation]:
    """Make the incidents of the period the population of an event-driven control (replacing its population).

    Recorded like an imported one: the source, the query, who and when, the row count and the SHA-256 of the
    listing it was made from (one JSON line per incident), so the auditor can ask for the same list again.
    """
    with project.uow() as uow:
        control = uow.controls.get(control_ref.strip())
        if control is None:
            raise ValidationError(f"control {control_ref.strip()}", "is not a control of this project")
        period = project_period(uow.settings.get())
        incidents = [i for i in uow.incidents.list()
                     if period is None or i.detected_on is None or period.holds(i.detected_on)]
        if not incidents:
            raise ValidationError("incident register", "holds no incident of the period to sample from")
        listing = "".join(json.dumps([i.ref, i.detected_on.isoformat() if i.detected_on else None, i.title]) + "\n"
                          for i in incidents)
        info = PopulationInfo(POPULATION_SOURCE, "every incident detected in the audit period",
                              uow.now().date(), current_actor(),
                              "incident-register.jsonl", hashlib.sha256(listing.encode()).hexdigest())
        replaced = _replace_population(uow, control.ref, info, _items(incidents, period))
        uow.commit()
    return Change(Touched.POPULATIONS, partial(restore_population, replaced=replaced), replaced)


def _replace_population(uow: UnitOfWork, ref: str, info: PopulationInfo,
                        items: list[PopulationItem]) -> ReplacedPopulation:
    replaced = replace_population(uow, ref, info, items)
    return ReplacedPopulation(ref, replaced.previous, replaced.previous_items)


def restore_population(project: OpenProject, replaced: ReplacedPopulation) -> Change[ReplacedPopulation]:
    """Put back the population the incident register replaced (the undo of use_as_population)."""
    with project.uow() as uow:
        current = uow.populations.get(replaced.control_ref)
        now = ReplacedPopulation(replaced.control_ref, current,
                                 tuple(uow.populations.items(current.id)) if current else ())
        put_back_population(uow, replaced.control_ref, replaced.previous, replaced.previous_items)
        uow.commit()
    return Change(Touched.POPULATIONS, partial(restore_population, replaced=now), now)
