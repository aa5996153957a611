"""Signatures of policies as a RegisterSpec (kind `acknowledgements`): a CSV or sheet from an e-signature tool or a
form, one row a person and a policy. Each row is matched to the people register (employee ID, email or name) and
to a policy (key or title, ignoring case and punctuation); the version is the one in force on the signing day unless
the row names one. A row that cannot be matched refuses the whole file; the report lists who is still behind."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.people import Person
from workbench.domain.policies import (
    Acknowledgement,
    Policy,
    dated_in_future,
    named_exactly,
    person_named,
    policy_named,
    version_signed,
    who_is_behind,
)
from workbench.services.changes import Touched
from workbench.services.importers.kinds.flat import Warnings
from workbench.services.importers.mapping import missing_column
from workbench.services.importers.spec import Field, FieldType, Loaded, RegisterSpec, wizard_texts

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE = FieldType.TEXT, FieldType.DATE
SOURCE = "imported from {}"
_LEFT_UNSET = re.compile(r"; [^;]* left unset$")
_VERSION = re.compile(r"^(?:v|ver|version)?\s*\.?\s*(\d+)(?:\.0+)?$", re.IGNORECASE)

FIELDS = (
    Field("ref", TEXT, "Signature ID", ("signature id", "acknowledgement id", "ack id", "envelope id", "record id",
                                        "submission id", "response id"), brief=True),
    Field("person", TEXT, "Person", (
        "person", "name", "employee", "employee name", "full name", "signer", "signer name", "signed by", "signatory",
        "recipient", "recipient name", "email", "signer email", "recipient email", "employee email", "user",
        "staff", "respondent", "employee id",
    ), vetoes=frozenset({"policy", "document", "date", "version"}), required=True, what="the person"),
    Field("policy", TEXT, "Policy", (
        "policy", "policy name", "policy title", "policy key", "document", "document name", "document title",
        "title", "subject", "envelope subject", "form", "acknowledged policy",
    ), vetoes=frozenset({"date", "version", "id"}), required=True, what="the policy"),
    Field("version", TEXT, "Version", ("version", "policy version", "ver", "document version", "revision"),
          brief=True),
    Field("acknowledged_on", DATE, "Date signed", (
        "date signed", "signed on", "signed", "signature date", "acknowledged on", "acknowledged", "date",
        "completed", "completed on", "completed at", "signed at", "timestamp", "acknowledgement date", "date completed",
    ), required=True, what="the date signed"),
)


@dataclass(frozen=True, slots=True)
class PlannedAck:
    """A row as planned: what it says, what it matched, and the fault that refuses the file (None: none)."""

    person: str
    policy: str
    version: str
    acknowledged_on: date | None
    ack: Acknowledgement | None = None
    fault: tuple[str, str] | None = None  # (field, why)
    loose: str = ""  # the policy's key when the row named it loosely (misspelt, or inside a longer text)


@dataclass(frozen=True, slots=True)
class ListedAck:
    """An acknowledgement as the register lists it, with the person's name."""

    ack: Acknowledgement
    name: str


@dataclass(frozen=True, slots=True)
class _Context:
    policies: tuple[Policy, ...]
    people: tuple[Person, ...]
    today: date
    signed: dict[tuple[str, str, int], PlannedAck] = field(default_factory=dict)  # the file's first row of each


def _held(row: PlannedAck) -> str:
    """Return what a matched row holds, as the user wrote it: person, policy, version and date signed."""
    ack = row.ack
    assert ack is not None
    return (f"{row.person.strip()[:60]!r}, {row.policy.strip()[:60]!r} (version {ack.version}), signed "
            f"{ack.acknowledged_on.isoformat()}")


def _version(text: str, policy: Policy, day: date | None) -> tuple[int | None, str | None]:
    """Return the version a row acknowledges, or why it cannot be told."""
    if not text.strip():
        if day is None:
            return None, None
        found = version_signed(policy, day)
        return (found.number, None) if found else (None, f"{policy.key} had no version approved by {day.isoformat()}")
    match = _VERSION.match(text.strip())
    if match is None:
        return None, f"{text.strip()[:40]!r} is not a version number"
    number = int(match.group(1))
    if policy.numbered(number) is None:
        return None, f"{policy.key} has no version {number}"
    return number, None


class AcknowledgementRecords:
    """Signatures as the engine plans them; written all together when the file has no fault (see remember)."""

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return no records to update (each row adds one) and what rows are matched against."""
        return Loaded({}, _Context(tuple(uow.policies.list()), tuple(uow.people.list()), uow.now().date()))

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded) -> tuple[PlannedAck, Warnings]:
        """Return a row's acknowledgement matched to its person, policy and version, or its fault."""
        context: _Context = loaded.context
        row = PlannedAck(values.get("person") or "", values.get("policy") or "", values.get("version") or "",
                         values.get("acknowledged_on"))
        person = person_named(context.people, row.person)
        if person is None and context.people:
            return replace(row, fault=("person", f"{row.person[:60]!r} is not one person of the people register")), []
        policy = policy_named(context.policies, row.policy)
        if policy is None:
            return replace(row, fault=("policy", f"{row.policy[:60]!r} is not a policy of this project")), []
        if row.acknowledged_on is None:
            return replace(row, fault=("acknowledged_on", "no date signed")), []
        number, why = _version(row.version, policy, row.acknowledged_on)
        if number is None:  # without a version written, the date signed is what no version matches
            field = "version" if row.version.strip() else "acknowledged_on"
            return replace(row, fault=(field, why or "no version")), []
        ack = Acknowledgement(person.ref if person else row.person.strip(), policy.key, number, row.acknowledged_on)
        # a day after today is recorded as written, but said (a day and month read the wrong way round shows so);
        # noted on the key, as a cell's own problems on the date column refuse the file
        future = dated_in_future(row.acknowledged_on, context.today)
        row = replace(row, ack=ack, loose="" if named_exactly(policy, row.policy) else policy.key)
        warnings = [("ref", f"date signed: {future}; recorded as written, check it")] if future else []
        first = context.signed.setdefault((ack.person, ack.policy_key, ack.version), row)
        if first is not row:
            warnings.append(("ref", f"{_held(row)} is the same person and policy version as an earlier row: "
                                    f"{_held(first)}; recorded once"))
        return row, warnings

    def same(self, current: Any, record: Any) -> bool:
        """Rows are never compared with stored records: each adds one."""
        return False

    def snapshot(self, current: Any) -> Any:
        """Nothing: undo removes what the import added (see forget)."""
        return None

    def values(self, record: PlannedAck | ListedAck) -> dict[str, Any]:
        """Return a signature's fields; a listed one as recorded (the person's name, the policy's key)."""
        if isinstance(record, ListedAck):
            ack = record.ack
            return {"ref": f"ACK-{ack.id}", "person": record.name, "policy": ack.policy_key,
                    "version": str(ack.version), "acknowledged_on": ack.acknowledged_on, "person_ref": ack.person,
                    "source": ack.source}
        return {"ref": "", "person": record.person, "policy": record.policy, "version": record.version,
                "acknowledged_on": record.acknowledged_on}

    def write(self, uow: UnitOfWork, creates: Sequence[Any], updates: Sequence[tuple[Any, Any]]) -> None:
        """Nothing per batch: the file is written whole in remember(), once it is known to have no fault."""

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Any]) -> None:
        """Nothing per row: forget() removes what the import added."""

    def listing(self, uow: UnitOfWork) -> list[ListedAck]:
        """Return every acknowledgement by policy, date and person, with the person's name."""
        names = {p.ref: p.name or p.ref for p in uow.people.list()}
        return [ListedAck(a, names.get(a.person, a.person)) for a in uow.policies.acknowledgements()]

    def remember(self, uow: UnitOfWork, plan: Any) -> tuple[int, ...]:
        """Record the file's acknowledgements (those already recorded are not repeated); refuse the whole file when
        a row has a fault."""
        faults = plan_faults(plan)
        if faults:
            from workbench.services.importers.plan import column_named  # the planner loads the storage layer

            row, field, why = faults[0]
            where = column_named(plan.table, plan.mapping[field]) if field in plan.mapping else "the row"
            more = f" ({len(faults) - 1} more rows have faults)" if len(faults) > 1 else ""
            raise WorkbenchError(plan.source, f"row {row}, {where}: {why}; nothing was imported{more}")
        return tuple(uow.policies.acknowledge(new_acks(uow, plan)))

    def forget(self, uow: UnitOfWork, kept: Sequence[int]) -> None:
        """Remove the acknowledgements the import added."""
        uow.policies.forget_acknowledgements(kept)


def _refusal(field: str, message: str) -> str:
    """Return a cell's problem as the reason the file is refused: without the field's name before it, nor the
    engine's 'left unset' after it (nothing is imported at all)."""
    return _LEFT_UNSET.sub("", message.removeprefix(f"{field}: "))


def plan_faults(plan: Any) -> list[tuple[int, str, str]]:
    """Return (row, field, why) of every row that refuses the file: errors the engine found, rows not matched, and
    rows whose cells could not be read (a bad date), first row first."""
    for name in ("policy", "acknowledged_on"):
        if name not in plan.mapping:
            raise missing_column(plan.source, plan.table.where, plan.table.headers,
                                 plan.spec.field(name).what, name)
    faults = [(p.row, p.field, _refusal(p.field, p.message)) for p in plan.problems
              if p.level == "error" or (p.field in ("person", "policy", "acknowledged_on", "version")
                                        and p.field in plan.mapping)]
    for row in plan.rows:
        record = row.record
        if isinstance(record, PlannedAck) and record.fault is not None and not any(f[0] == row.row for f in faults):
            faults.append((row.row, *record.fault))
    return sorted(faults)


def new_acks(uow: UnitOfWork, plan: Any) -> list[Acknowledgement]:
    """Return the plan's acknowledgements the project does not hold yet (same person, policy and version)."""
    source = SOURCE.format(plan.source.replace("\\", "/").rsplit("/", 1)[-1])
    held = {(a.person, a.policy_key, a.version) for a in uow.policies.acknowledgements()}
    found = []
    for row in plan.rows:
        ack = row.record.ack if isinstance(row.record, PlannedAck) else None
        if ack is not None and (ack.person, ack.policy_key, ack.version) not in held:
            held.add((ack.person, ack.policy_key, ack.version))
            found.append(replace(ack, source=source))
    return found


def acknowledgement_summary(uow: UnitOfWork, plan: Any, kept: Sequence[int] | None) -> dict[str, Any]:
    """Return what an import of signatures adds to the report: how many were recorded, and who is behind after it
    (on a dry run: as if it were applied, with the faults that would refuse it as errors)."""
    extra: dict[str, Any] = {}
    planned: list[Acknowledgement] = []
    faults: list[tuple[int, str, str]] = []
    if kept is None:
        faults = plan_faults(plan)
        extra["problems"] = sorted([*({"row": r, "level": "error", "field": f, "message": f"{f}: {why}"}
                                      for r, f, why in faults),
                                    *(p for p in plan.document(dry_run=True)["problems"]
                                      if (p["row"], p["field"]) not in {(r, f) for r, f, _ in faults})],
                                   key=lambda p: p["row"])
        planned = [] if faults else new_acks(uow, plan)
    acks = [*uow.policies.acknowledgements(), *planned]
    people = uow.people.list()
    names = {p.ref: p.name or p.ref for p in people}
    behind = who_is_behind(uow.policies.list(), people, acks, uow.now().date())
    recorded = len(kept) if kept is not None else len(planned)
    matched = sum(1 for r in plan.rows if isinstance(r.record, PlannedAck) and r.record.ack is not None)
    # a signature already held is not added again; a file refused holds nothing unchanged either
    extra.update(created=recorded, unchanged=0 if faults else matched - recorded)
    listed = [{"person": b.person, "name": names.get(b.person, b.name), "policy": b.policy_key,
               "version": b.version} for b in behind]
    people_behind = list(dict.fromkeys(b["name"] for b in listed))
    loose = _loose_names(plan)
    message = (f"{recorded} acknowledgement{'s' * (recorded != 1)} recorded. " +
               (f"Behind: {', '.join(people_behind)}." if people_behind else "Nobody is behind.") +
               (f" Policies named loosely: {loose}." if loose else ""))
    return {**extra, "acknowledged": recorded, "behind": listed, "message": message}


def _loose_names(plan: Any, shown: int = 5) -> str:
    """Return how the rows that named a policy loosely were read, each text once with its rows ("" when none)."""
    rows: dict[tuple[str, str], list[int]] = {}
    for row in plan.rows:
        record = row.record
        if isinstance(record, PlannedAck) and record.ack is not None and record.loose:
            rows.setdefault((record.policy.strip()[:60], record.loose), []).append(row.row)
    said = [f"{text!r} as {key} (row{'s' * (len(found) > 1)} {', '.join(map(str, found[:5]))}"
            f"{', ...' if len(found) > 5 else ''})" for (text, key), found in list(rows.items())[:shown]]
    more = f"; {len(rows) - shown} more" if len(rows) > shown else ""
    return "; ".join(said) + more


ACKNOWLEDGEMENTS = RegisterSpec(
    kind="acknowledgements", singular="acknowledgement", title="Import policy signatures", fields=FIELDS, key="ref",
    label="person", natural_key=("person", "policy", "version", "acknowledged_on"), id_prefix="ACK-",
    missing_label="names no person", records=AcknowledgementRecords(),
    sheet_hint=re.compile(r"(acknowledg|signature|signed|attest|sign off|signoff)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|vendor|incident|control|roster)", re.IGNORECASE),
    sheet_weights={"person": 8, "policy": 10, "acknowledged_on": 8},
    distinctive=("acknowledged_on",),
    pick_order=("ref", "acknowledged_on", "version", "policy", "person"),
    generic=frozenset({"name", "email", "user", "staff", "title", "subject", "document", "form", "date", "signed",
                       "completed", "timestamp", "version", "ver", "revision", "employee"}),
    aliases={"name": "person", "date": "acknowledged_on", "signed_on": "acknowledged_on", "document": "policy"},
    keyless=True, preview=("policy", "version", "acknowledged_on"), touches=Touched.POLICIES,
    summary=acknowledgement_summary,
    texts=wizard_texts("signatures",
                       "Who acknowledged which policy and when, as your e-signature tool or form exports it (person "
                       "by name, email or employee ID; policy by title or key; the date signed; the version if "
                       "known). Any row that cannot be matched refuses the whole file, naming the row.",
                       "Choose the columns that hold the person, the policy and the date signed."),
)
