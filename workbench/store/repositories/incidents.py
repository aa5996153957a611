"""Incidents and continuity tests: flat registers, each record linked to the control it is an occurrence of."""

from __future__ import annotations

from typing import Any

from workbench.domain.continuity import ContinuityKind, ContinuityTest
from workbench.domain.incidents import Incident, Severity
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_value
from workbench.store.schema import ContinuityTestRow, IncidentRow


class IncidentRepository(RecordRepository[IncidentRow, Incident]):
    row_type = IncidentRow
    noun = "incident"

    def _record(self, row: IncidentRow, links: ControlLinks) -> Incident:
        return Incident(
            id=row.id, ref=row.ref, title=row.title, detected_on=row.detected_on, classification=row.classification,
            severity=Severity(row.severity) if row.severity else None, security=row.security,
            contained_on=row.contained_on, resolved_on=row.resolved_on, customers_notified=row.customers_notified,
            regulators_notified=row.regulators_notified, root_cause=row.root_cause, lessons=row.lessons,
            follow_up=row.follow_up, control_ref=links.ref(row.control_id), description=row.description,
            version=row.version,
        )

    def _columns(self, record: Incident, links: ControlLinks) -> dict[str, Any]:
        return {
            "ref": record.ref, "title": record.title, "detected_on": record.detected_on,
            "classification": record.classification, "severity": enum_value(record.severity),
            "security": record.security, "contained_on": record.contained_on, "resolved_on": record.resolved_on,
            "customers_notified": record.customers_notified, "regulators_notified": record.regulators_notified,
            "root_cause": record.root_cause, "lessons": record.lessons, "follow_up": record.follow_up,
            "control_id": links.id(record.control_ref), "description": record.description,
        }


class ContinuityTestRepository(RecordRepository[ContinuityTestRow, ContinuityTest]):
    row_type = ContinuityTestRow
    noun = "continuity test"

    def _record(self, row: ContinuityTestRow, links: ControlLinks) -> ContinuityTest:
        return ContinuityTest(
            id=row.id, ref=row.ref, scenario=row.scenario, kind=ContinuityKind(row.kind) if row.kind else None,
            performed_on=row.performed_on, participants=row.participants, rto_target=row.rto_target,
            rto_achieved=row.rto_achieved, rpo_target=row.rpo_target, rpo_achieved=row.rpo_achieved,
            issues=row.issues, follow_up=row.follow_up, control_ref=links.ref(row.control_id), version=row.version,
        )

    def _columns(self, record: ContinuityTest, links: ControlLinks) -> dict[str, Any]:
        return {
            "ref": record.ref, "scenario": record.scenario, "kind": enum_value(record.kind),
            "performed_on": record.performed_on, "participants": record.participants,
            "rto_target": record.rto_target, "rto_achieved": record.rto_achieved, "rpo_target": record.rpo_target,
            "rpo_achieved": record.rpo_achieved, "issues": record.issues, "follow_up": record.follow_up,
            "control_id": links.id(record.control_ref),
        }
