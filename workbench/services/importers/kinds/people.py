"""The roster as a RegisterSpec: an HR system's staff export in its own column names, each person's joiner and
leaver checks; an import reports the joiners and leavers it brings, and who a full export no longer lists."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.domain.people import Person, Removal, parse_worker_type, removal
from workbench.services.changes import Touched
from workbench.services.importers.kinds.flat import FlatRecords, Warnings, date_order
from workbench.services.importers.spec import CREATE, UPDATE, Field, FieldType, Loaded, RegisterSpec, wizard_texts

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, ENUM = FieldType.TEXT, FieldType.DATE, FieldType.ENUM

PEOPLE_FIELDS = (
    Field("ref", TEXT, "Employee ID", (
        "employee id", "employee #", "employee number", "employee no", "staff id", "staff number", "worker id",
        "person id", "personnel number", "hr id", "badge", "id", "#", "no", "ref", "key",
    ), vetoes=frozenset({"manager", "email"}), what="the employee ID", brief=True),
    Field("name", TEXT, "Name", (
        "name", "full name", "employee", "employee name", "person", "staff", "staff name", "worker", "worker name",
        "legal name", "display name", "preferred name",
    ), vetoes=frozenset({"id", "#", "manager", "email", "number", "type"}), required=True, what="the name"),
    Field("email", TEXT, "Email", (
        "email", "e mail", "work email", "email address", "work email address", "mail", "login", "username",
        "user name", "company email",
    ), vetoes=frozenset({"manager", "personal"}), what="the email", brief=True),
    Field("worker_type", ENUM, "Employee or contractor", (
        "employee or contractor", "worker type", "employment type", "type", "employee type", "contract type",
        "category", "classification", "engagement type", "worker category",
    ), parse=parse_worker_type),
    Field("role", TEXT, "Role", (
        "role", "title", "job title", "position", "job", "job role", "department", "team",
    ), vetoes=frozenset({"manager"}), brief=True),
    Field("manager", TEXT, "Manager", (
        "manager", "manager name", "reports to", "line manager", "supervisor", "direct manager", "manager email",
    ), brief=True),
    Field("start_date", DATE, "Start date", (
        "start date", "start", "hire date", "hired", "date hired", "joined", "join date", "joining date",
        "date joined", "first day", "employment start", "started", "date of hire", "onboarding date",
    ), what="the start date"),
    Field("end_date", DATE, "End date", (
        "end date", "end", "termination date", "terminated", "leave date", "left", "leaving date", "last day",
        "date left", "employment end", "exit date", "offboarding date", "separation date", "termination",
        "last working day", "last day of work", "last day worked", "end of employment",
    ), what="the end date"),
    Field("background_check_on", DATE, "Background check", (
        "background check", "background check date", "background checked", "screening", "screening date",
        "bg check", "vetting", "vetting date", "background screening",
    ), what="the background check date"),
    Field("background_check_result", TEXT, "Background check result", (
        "background check result", "screening result", "bg check result", "vetting result", "check result",
    ), brief=True),
    Field("conduct_acknowledged_on", DATE, "Code of conduct acknowledged", (
        "code of conduct acknowledged", "code of conduct", "coc acknowledged", "coc", "conduct acknowledged",
        "policies acknowledged", "policy acknowledgement", "handbook acknowledged", "handbook signed",
    ), what="the code of conduct acknowledgement date"),
    Field("training_at_hire_on", DATE, "Security training at hire", (
        "security training at hire", "security training", "onboarding training", "training at hire",
        "security awareness training", "initial training", "training date", "training completed",
    ), what="the training date"),
    Field("training_yearly_on", DATE, "Security training yearly", (
        "security training yearly", "annual training", "yearly training", "annual security training",
        "refresher training", "training refresh", "last annual training",
    ), what="the yearly training date"),
    Field("access_granted_on", DATE, "Access granted", (
        "access granted", "access granted on", "access provisioned", "provisioned", "accounts created",
        "access created", "onboarded", "access granted date",
    ), what="the date access was granted"),
    Field("access_removed_on", DATE, "Access removed", (
        "access removed", "access removed on", "access revoked", "deprovisioned", "revoked", "accounts disabled",
        "access disabled", "offboarded", "access removed date", "access revoked date",
    ), what="the date access was removed"),
    Field("equipment_returned_on", DATE, "Equipment returned", (
        "equipment returned", "laptop returned", "assets returned", "equipment returned on", "devices returned",
        "hardware returned",
    ), what="the date equipment was returned"),
    Field("notes", TEXT, "Notes", ("notes", "note", "comments", "comment", "remarks")),
)
NAMES = tuple(f.name for f in PEOPLE_FIELDS)


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """A person as the register lists them: with their access removal read against the stated time."""

    person: Person
    removal: Removal | None
    allowed_days: int

    @property
    def ref(self) -> str:
        """Return the person's reference."""
        return self.person.ref

    @property
    def id(self) -> int:
        """Return the person's id."""
        return self.person.id

    def __eq__(self, other: object) -> bool:
        """Read as equal to the person it lists (an edit that changes nothing is no edit)."""
        if isinstance(other, Person):
            return self.person == other
        if isinstance(other, ListedPerson):
            return (self.person, self.removal, self.allowed_days) == (other.person, other.removal, other.allowed_days)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.person.ref)

    @property
    def exception(self) -> bool:
        """Return True when the leaver's access was removed late (or is still not removed past the due day)."""
        return self.removal is not None and self.removal.late


def listed(uow: UnitOfWork) -> list[ListedPerson]:
    """Return the roster with each leaver's access removal read against the project's stated time."""
    days, today = uow.people.removal_days(), uow.now().date()
    return [ListedPerson(p, removal(p, days, today), days) for p in uow.people.list()]


class PeopleRecords(FlatRecords):
    """People; a listing adds each leaver's access removal against the stated time, and whether it is late."""

    def __init__(self) -> None:
        super().__init__("people", lambda key: Person(0, key, ""), {}, "person")

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded) -> tuple[Any, Warnings]:
        """Return the person a row asks for, with a warning when they leave before they start."""
        record, warnings = super().build(values, key, current, loaded)
        return record, warnings + date_order(record, ("start_date", "end_date"))

    def listing(self, uow: UnitOfWork) -> list[Any]:
        """Return the roster, each leaver's access removal read against the stated time."""
        return listed(uow)

    def values(self, record: Any) -> dict[str, Any]:
        """Return a person's fields; a listed one also its access removal ("removal") and "removal_exception"."""
        person = record.person if isinstance(record, ListedPerson) else record
        values = {name: getattr(person, name) for name in NAMES}
        if isinstance(record, ListedPerson):
            found = record.removal
            values["removal"] = None if found is None else f"{found.text} (allowed {record.allowed_days})"
            values["removal_exception"] = None if found is None else found.late
        return values


def _brief(person: Person) -> dict[str, Any]:
    return {"ref": person.ref, "name": person.name, "email": person.email,
            "start_date": person.start_date.isoformat() if person.start_date else None,
            "end_date": person.end_date.isoformat() if person.end_date else None}


def people_summary(uow: UnitOfWork, plan: Any, kept: Any) -> dict[str, Any]:
    """Return the joiners and leavers an import brings: people new to a roster that had people, people whose end
    date it sets, and people it does not list who have no end date (possible leavers, never ended silently)."""
    created = {r.key for r in plan.rows if r.action == CREATE}
    listed_keys = {r.key.casefold() for r in plan.rows if r.key}
    before = [p for p in uow.people.list() if p.ref not in created]
    joiners: list[dict[str, Any]] = []
    leavers: list[dict[str, Any]] = []
    for row in plan.rows:
        if row.record is None or row.action not in (CREATE, UPDATE):
            continue
        if row.action == CREATE and before:
            joiners.append(_brief(row.record))
        was_ended = row.action == UPDATE and row.previous is not None and row.previous.end_date is not None
        if row.record.end_date is not None and not was_ended and (before or row.action == UPDATE):
            leavers.append({**_brief(row.record), "missing": False})
    possible = [{**_brief(p), "missing": True} for p in before
                if p.ref.casefold() not in listed_keys and p.end_date is None]
    lines = [f"{what}: {', '.join(p['name'] or p['ref'] for p in found)}." for what, found in (
        ("Joiners", joiners), ("Leavers", leavers),
        ("Possible leavers, not in this file (not ended: set their end date if they left)", possible)) if found]
    return {"joiners": joiners, "leavers": leavers + possible, "possible_leavers": [p["ref"] for p in possible],
            "message": "\n".join(lines)}


PEOPLE = RegisterSpec(
    kind="people", singular="person", title="Import the staff roster", fields=PEOPLE_FIELDS, key="ref",
    label="name", natural_key=("email",), id_prefix="P-", missing_label="has no name", records=PeopleRecords(),
    sheet_hint=re.compile(r"(staff|employee|people|roster|personnel|hr|worker|team|headcount)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|vendor|incident|control|access review|user list)", re.IGNORECASE),
    sheet_weights={"name": 10, "email": 6, "start_date": 6, "end_date": 6, "manager": 5},
    distinctive=("manager", "worker_type", "background_check_on", "access_removed_on"),
    pick_order=("ref", "email", "manager", "background_check_result", "background_check_on",
                "conduct_acknowledged_on", "training_yearly_on", "training_at_hire_on", "access_granted_on",
                "access_removed_on", "equipment_returned_on", "start_date", "end_date", "worker_type", "role", "name",
                "notes"),
    generic=frozenset({"id", "#", "no", "ref", "key", "name", "type", "start", "end", "left", "title", "team",
                       "category", "classification", "mail", "login", "job", "person", "staff", "worker",
                       "coc", "revoked", "provisioned", "termination"}),
    aliases={"id": "ref", "employee_id": "ref", "type": "worker_type", "start": "start_date", "end": "end_date"},
    keyless=True, preview=("email", "start_date", "end_date"), touches=Touched.PEOPLE, summary=people_summary,
    texts=wizard_texts("staff",
                       "Your HR system's staff export in Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods), CSV "
                       "or JSON. People already recorded are updated by their employee ID, or by their email without "
                       "one; a person a full export no longer lists is reported as a possible leaver, never ended.",
                       "Choose the column that holds each person's name (an employee ID column is optional)."),
)
