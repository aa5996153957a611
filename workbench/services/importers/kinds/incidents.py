"""The incident list and the list of restore tests and DR/BCP exercises as RegisterSpecs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from workbench.domain.continuity import ContinuityTest, parse_continuity_kind
from workbench.domain.incidents import Incident, parse_severity
from workbench.domain.register_values import format_duration, parse_duration, parse_yes_no
from workbench.services.changes import Touched
from workbench.services.importers.kinds.flat import FlatRecords, Warnings, date_order, link_controls
from workbench.services.importers.spec import Field, FieldType, Loaded, RegisterSpec, wizard_texts

TEXT, DATE, ENUM = FieldType.TEXT, FieldType.DATE, FieldType.ENUM
_FOLLOW_UP = ("follow up", "follow up tasks", "follow ups", "actions", "action items", "corrective actions",
              "remediation", "next steps", "tasks", "remediation actions", "improvements")

INCIDENT_FIELDS = (
    Field("ref", TEXT, "Incident ID", (
        "incident id", "incident #", "incident number", "incident no", "incident ref", "ticket", "ticket id",
        "ticket #", "ticket number", "case id", "case #", "id", "#", "no", "ref", "reference", "key", "issue key",
    ), vetoes=frozenset({"control", "owner"}), what="the incident ID", brief=True),
    Field("title", TEXT, "Title", (
        "title", "incident", "summary", "incident title", "incident summary", "short description", "subject",
        "name", "issue", "incident name", "headline",
    ), vetoes=frozenset({"id", "#", "type", "date", "severity", "number", "no"}), required=True,
        what="the incident title"),
    Field("description", TEXT, "Description", (
        "description", "details", "what happened", "incident description", "narrative", "impact description",
    )),
    Field("detected_on", DATE, "Detected on", (
        "detected on", "detected", "detected at", "date detected", "detection date", "reported", "reported on",
        "reported at", "date reported", "date", "opened", "opened on", "opened at", "created", "created at",
        "start", "started", "start time", "occurred", "occurred on", "discovered", "identified", "date identified",
        "incident date", "date opened",
    ), what="the detection date"),
    Field("classification", TEXT, "Classification", (
        "classification", "category", "type", "incident type", "class", "kind", "incident category",
    ), brief=True),
    Field("severity", ENUM, "Severity", (
        "severity", "priority", "sev", "severity level", "incident severity", "level", "impact level",
    ), parse=parse_severity),
    Field("security", ENUM, "Security incident", (
        "security incident", "security", "is security incident", "security related", "security event",
        "security y n", "breach", "data breach",
    ), parse=parse_yes_no),
    Field("contained_on", DATE, "Contained on", (
        "contained on", "contained", "contained at", "containment", "containment date", "date contained",
        "mitigated", "mitigated on", "mitigated at",
    ), what="the containment date"),
    Field("resolved_on", DATE, "Resolved on", (
        "resolved on", "resolved", "resolved at", "resolution date", "date resolved", "closed", "closed on",
        "closed at", "closure date", "recovered", "recovered on", "end", "end time", "date closed",
    ), what="the resolution date"),
    Field("customers_notified", ENUM, "Customers notified", (
        "customers notified", "customer notified", "customer notification", "notified customers",
        "clients notified", "customer communication", "customers informed",
    ), parse=parse_yes_no),
    Field("regulators_notified", ENUM, "Regulators notified", (
        "regulators notified", "regulator notified", "regulatory notification", "authority notified",
        "authorities notified", "reported to regulator", "dpa notified", "regulator notification",
    ), parse=parse_yes_no),
    Field("root_cause", TEXT, "Root cause", ("root cause", "cause", "root cause analysis", "rca", "reason")),
    Field("lessons", TEXT, "Lessons learned", (
        "lessons learned", "lessons", "lessons learnt", "learnings", "post mortem", "postmortem", "retrospective",
        "takeaways", "post incident review",
    )),
    Field("follow_up", TEXT, "Follow-up tasks", _FOLLOW_UP),
    Field("control", TEXT, "Control", ("control", "control id", "related control", "our control"), brief=True),
)

TEST_FIELDS = (
    Field("ref", TEXT, "Test ID", (
        "test id", "test #", "test no", "exercise id", "exercise #", "id", "#", "no", "ref", "reference", "key",
    ), vetoes=frozenset({"control", "owner"}), what="the test ID", brief=True),
    Field("scenario", TEXT, "Scenario", (
        "scenario", "test", "exercise", "test scenario", "test name", "name", "title", "exercise name",
        "test description", "description", "exercise scenario", "what was tested",
    ), vetoes=frozenset({"id", "#", "date", "type", "kind"}), required=True, what="the scenario"),
    Field("kind", ENUM, "Kind", (
        "kind", "type", "test type", "exercise type", "category", "kind of test",
    ), parse=parse_continuity_kind),
    Field("performed_on", DATE, "Date", (
        "date", "performed", "performed on", "test date", "exercise date", "date performed", "conducted",
        "conducted on", "executed", "executed on", "when", "date of test", "held on",
    ), what="the test date"),
    Field("participants", TEXT, "Participants", (
        "participants", "attendees", "team", "people", "performed by", "who", "participants and roles",
        "conducted by",
    )),
    Field("rto_target", ENUM, "RTO target", (
        "rto target", "rto", "target rto", "recovery time objective", "rto goal", "rto objective",
    ), parse=parse_duration),
    Field("rto_achieved", ENUM, "RTO achieved", (
        "rto achieved", "achieved rto", "actual rto", "rto actual", "recovery time", "time to recover",
        "rto result", "actual recovery time", "time to restore", "restore time", "duration",
    ), parse=parse_duration),
    Field("rpo_target", ENUM, "RPO target", (
        "rpo target", "rpo", "target rpo", "recovery point objective", "rpo goal", "rpo objective",
    ), parse=parse_duration),
    Field("rpo_achieved", ENUM, "RPO achieved", (
        "rpo achieved", "achieved rpo", "actual rpo", "rpo actual", "data loss", "rpo result",
        "actual data loss",
    ), parse=parse_duration),
    Field("issues", TEXT, "Issues", (
        "issues", "issues found", "findings", "problems", "observations", "gaps", "exceptions", "results",
    )),
    Field("follow_up", TEXT, "Follow-up tasks", _FOLLOW_UP),
    Field("control", TEXT, "Control", ("control", "control id", "related control", "our control"), brief=True),
)


class ControlledRecords(FlatRecords):
    """Records naming the one control they are an occurrence of ("control" field, control_ref attribute)."""

    def __init__(self, repository: str, blank: Any, fields: tuple[Field, ...], noun: str,
                 shown: Mapping[str, Callable[[Any], Any]] | None = None,
                 extra: Callable[[Any], dict[str, Any]] | None = None, dates: tuple[str, ...] = ()) -> None:
        super().__init__(repository, blank, {"control": "control_ref"}, noun)
        self.dates = dates  # the record's dates in the order they happen
        self.names = tuple(f.name for f in fields)
        self.shown = dict(shown or {})  # fields listed as text their cells read back as (durations)
        self.extra = extra  # what a listing adds beyond the fields

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded) -> tuple[Any, Warnings]:
        """Return the record a row asks for, its control found among the project's."""
        changes = dict(values)
        warnings = link_controls(changes, "control", loaded.context)
        record, _ = super().build(changes, key, current, loaded)
        return record, warnings + date_order(record, self.dates)

    def values(self, record: Any) -> dict[str, Any]:
        """Return the record's fields (and what the kind lists beside them)."""
        values = {name: getattr(record, self.attributes.get(name, name)) for name in self.names}
        for name, show in self.shown.items():
            values[name] = show(values[name])
        return {**values, **(self.extra(record) if self.extra else {})}


def _test_result(test: ContinuityTest) -> dict[str, Any]:
    return {"result": test.result()}


_DURATIONS = {name: lambda minutes: format_duration(minutes) or None
              for name in ("rto_target", "rto_achieved", "rpo_target", "rpo_achieved")}


INCIDENTS = RegisterSpec(
    kind="incidents", singular="incident", title="Import an incident list", fields=INCIDENT_FIELDS, key="ref",
    label="title", natural_key=("title", "detected_on"), id_prefix="INC-", missing_label="has no title",
    records=ControlledRecords("incidents", lambda key: Incident(0, key, ""), INCIDENT_FIELDS, "incident",
                              dates=("detected_on", "contained_on", "resolved_on")),
    sheet_hint=re.compile(r"(incident|event|outage|breach|log|register)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|vendor|restore|dr |bcp)", re.IGNORECASE),
    sheet_weights={"title": 10, "detected_on": 6, "severity": 6, "resolved_on": 6, "root_cause": 5},
    distinctive=("severity", "root_cause", "customers_notified", "contained_on"),
    pick_order=("ref", "detected_on", "contained_on", "resolved_on", "customers_notified", "regulators_notified",
                "security", "severity", "classification", "root_cause", "lessons", "follow_up", "control", "title",
                "description"),
    generic=frozenset({"id", "#", "no", "ref", "key", "name", "issue", "date", "start", "end", "type", "class",
                       "kind", "level", "priority", "security", "cause", "reason", "closed", "created", "reported",
                       "tasks", "actions", "control", "incident", "category"}),
    aliases={"id": "ref", "incident": "title", "detected": "detected_on", "contained": "contained_on",
             "resolved": "resolved_on"},
    keyless=True, preview=("detected_on", "severity"), link_fields=("control",), touches=Touched.INCIDENTS,
    texts=wizard_texts("incidents",
                       "Your incident log in Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods), CSV or JSON. "
                       "Incidents already recorded are updated by their ID, or by their title and detection date "
                       "without one.",
                       "Choose the column that holds each incident's title (an ID column is optional)."),
)

CONTINUITY_TESTS = RegisterSpec(
    kind="continuity-tests", singular="continuity-test", title="Import restore tests and DR exercises",
    fields=TEST_FIELDS, key="ref", label="scenario", natural_key=("scenario", "performed_on"), id_prefix="CT-",
    missing_label="has no scenario",
    records=ControlledRecords("continuity_tests", lambda key: ContinuityTest(0, key, ""), TEST_FIELDS,
                              "continuity test", _DURATIONS, _test_result),
    sheet_hint=re.compile(r"(restore|recovery|dr|bcp|continuity|exercise|test)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(risk|vendor|incident)", re.IGNORECASE),
    sheet_weights={"scenario": 10, "rto_target": 6, "rpo_target": 6, "performed_on": 6},
    distinctive=("rto_target", "rpo_target", "rto_achieved", "rpo_achieved"),
    pick_order=("ref", "rto_achieved", "rpo_achieved", "rto_target", "rpo_target", "performed_on", "kind",
                "participants", "issues", "follow_up", "control", "scenario"),
    generic=frozenset({"id", "#", "no", "ref", "key", "name", "test", "date", "type", "kind", "category", "who",
                       "team", "people", "when", "duration", "results", "tasks", "actions", "control",
                       "description", "title", "rto", "rpo"}),
    aliases={"id": "ref", "test": "scenario", "date": "performed_on", "rto": "rto_target", "rpo": "rpo_target"},
    keyless=True, preview=("performed_on", "kind"), link_fields=("control",), touches=Touched.CONTINUITY,
    texts=wizard_texts("tests",
                       "Your list of restore tests and DR or BCP exercises: Excel, OpenDocument, CSV or JSON. RTO and "
                       "RPO read as 4h, 30 min, 1 day or 1:30; a bare number is hours.",
                       "Choose the column that holds each test's scenario (an ID column is optional)."),
)
