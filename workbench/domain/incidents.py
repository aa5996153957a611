"""Incidents (CC7.3-7.5, DC4): detected, classified, contained, resolved, who was told, why, and what follows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workbench.domain.enums import LabelledEnum
from workbench.domain.register_record import RegisterRecord
from workbench.domain.register_values import parse_from


class Severity(LabelledEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_SEVERITIES: dict[str, Severity] = {
    **dict.fromkeys(("critical", "sev1", "sev 1", "sev0", "sev 0", "p1", "p0", "1", "s1", "severity 1", "major",
                     "very high", "urgent", "emergency"), Severity.CRITICAL),
    **dict.fromkeys(("high", "sev2", "sev 2", "p2", "2", "s2", "severity 2", "serious"), Severity.HIGH),
    **dict.fromkeys(("medium", "moderate", "sev3", "sev 3", "p3", "3", "s3", "severity 3", "med", "normal"),
                    Severity.MEDIUM),
    **dict.fromkeys(("low", "minor", "sev4", "sev 4", "sev5", "sev 5", "p4", "p5", "4", "5", "s4", "severity 4",
                     "informational", "info", "trivial"), Severity.LOW),
}
SIGNIFICANT = (Severity.CRITICAL, Severity.HIGH)


def parse_severity(text: str) -> Severity | None:
    """Return the severity a cell names ("SEV2", "P1", "High"); None when blank."""
    return parse_from(_SEVERITIES, text, "a severity (critical, high, medium, low or SEV1-SEV4)")


@dataclass(frozen=True, slots=True)
class Incident(RegisterRecord):
    title: str
    detected_on: date | None = None
    classification: str = ""
    severity: Severity | None = None
    security: bool | None = None  # a security incident (not only an availability or quality one)
    contained_on: date | None = None
    resolved_on: date | None = None
    customers_notified: bool | None = None
    regulators_notified: bool | None = None
    root_cause: str = ""
    lessons: str = ""
    follow_up: str = ""  # the follow-up tasks, one per line
    control_ref: str | None = None  # the incident-handling control it is an occurrence of
    description: str = ""

    @property
    def significant(self) -> bool:
        """Return True for an incident the system description should disclose (DC4): severe, or people told."""
        return self.severity in SIGNIFICANT or bool(self.customers_notified) or bool(self.regulators_notified)


def description_text(incidents: Iterable[Incident]) -> str:
    """Return a draft of the description's incidents section (DC4) naming the significant incidents."""
    chosen = [i for i in incidents if i.significant]
    if not chosen:
        return ("No incidents during the period caused the system to fail to meet its service commitments or "
                "system requirements.")
    lines = ["The following incidents during the period were significant:"]
    for incident in chosen:
        when = f" ({incident.detected_on.isoformat()})" if incident.detected_on else ""
        told = [who for who, flag in (("customers", incident.customers_notified),
                                      ("regulators", incident.regulators_notified)) if flag]
        parts = [f"- {incident.ref}{when}: {incident.title}"]
        if incident.severity is not None:
            parts.append(f"severity {incident.severity.label.lower()}")
        if incident.root_cause.strip():
            parts.append(f"cause: {incident.root_cause.strip()}")
        if told:
            parts.append(f"{' and '.join(told)} notified")
        if incident.resolved_on is not None:
            parts.append(f"resolved {incident.resolved_on.isoformat()}")
        lines.append("; ".join(parts) + ".")
    return "\n".join(lines)
