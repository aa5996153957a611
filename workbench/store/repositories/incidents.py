"""Incidents and continuity tests: flat registers, each record linked to the control it is an occurrence of."""

from __future__ import annotations

from typing import Any

from workbench.domain.continuity import ContinuityKind, ContinuityTest
from workbench.domain.incidents import Incident, Severity
from workbench.store.repositories.records import ControlLinks, RecordRepository, enum_member, enum_value
from workbench.store.schema import ContinuityTestRow, IncidentRow


class IncidentRepository(RecordRepository[IncidentRow, Incident]):
    row_type = IncidentRow
    noun = "incident"
    same = ("ref", "title", "detected_on", "classification", "security", "contained_on", "resolved_on",
            "customers_notified", "regulators_notified", "root_cause", "lessons", "follow_up", "description")

    def _record(self, row: IncidentRow, links: ControlLinks) -> Incident:
        return Incident(severity=enum_member(Severity, row.severity),
                        control_ref=links.ref(row.control_id), **self._stored(row))

    def _columns(self, record: Incident, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "severity": enum_value(record.severity),
                "control_id": links.id(record.control_ref)}


class ContinuityTestRepository(RecordRepository[ContinuityTestRow, ContinuityTest]):
    row_type = ContinuityTestRow
    noun = "continuity test"
    same = ("ref", "scenario", "performed_on", "participants", "rto_target", "rto_achieved", "rpo_target",
            "rpo_achieved", "issues", "follow_up")

    def _record(self, row: ContinuityTestRow, links: ControlLinks) -> ContinuityTest:
        return ContinuityTest(kind=enum_member(ContinuityKind, row.kind),
                              control_ref=links.ref(row.control_id), **self._stored(row))

    def _columns(self, record: ContinuityTest, links: ControlLinks) -> dict[str, Any]:
        return {**self._same(record), "kind": enum_value(record.kind), "control_id": links.id(record.control_ref)}
