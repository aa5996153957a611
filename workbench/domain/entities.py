"""Domain entities: immutable snapshots of project records, free of any storage detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The editable texts of the system description, (key, heading) in DC1-DC9 order, live in domain/description.py.
from workbench.domain.description import DESCRIPTION_KEYS as DESCRIPTION_KEYS
from workbench.domain.description import DESCRIPTION_SECTIONS as DESCRIPTION_SECTIONS
from workbench.domain.enums import (
    AssessmentStatus,
    Category,
    ComponentKind,
    ControlStatus,
    Frequency,
    Nature,
    Opinion,
    ReportType,
    RequestStatus,
    SubserviceMethod,
    TaskStatus,
)


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """Who is being audited, for what, and over which period (Type I: start == end, the as-of date)."""

    organization: str
    system_name: str
    report_type: ReportType
    categories: tuple[Category, ...]
    period_start: date | None = None
    period_end: date | None = None
    catalog_name: str = ""
    catalog_version: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Component:
    id: int
    kind: ComponentKind
    name: str
    description: str = ""
    in_scope: bool = True


@dataclass(frozen=True, slots=True)
class Subservice:
    id: int
    name: str
    service: str
    method: SubserviceMethod
    soc_report: str = ""
    csocs: tuple[Csoc, ...] = ()

    @property
    def complementary_controls(self) -> str:
        """Return the complementary controls as text, one a line."""
        return "\n".join(csoc.text for csoc in self.csocs)


@dataclass(frozen=True, slots=True)
class ComplementaryControl:
    """A control another party is expected to run, and the criteria it supports (id 0: not stored yet)."""

    id: int
    text: str
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Csoc(ComplementaryControl):
    """A complementary subservice organisation control: one the subservice organisation runs."""


@dataclass(frozen=True, slots=True)
class Cuec(ComplementaryControl):
    """A complementary user entity control: one each customer of the system runs."""


@dataclass(frozen=True, slots=True)
class CriterionAssessment:
    criterion_id: str
    status: AssessmentStatus
    note: str = ""
    updated_at: datetime | None = None
    # The row version read with it (0: not known); an edit sent with it is refused if someone changed it since.
    version: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class ControlDraft:
    """The editable fields of a control, for creating or replacing one."""

    ref: str
    title: str
    description: str = ""
    owner: str = ""
    frequency: Frequency | None = None
    nature: Nature | None = None
    status: ControlStatus = ControlStatus.NOT_STARTED
    notes: str = ""
    criteria: tuple[str, ...] = ()
    implemented_since: date | None = None  # before it nothing is expected of the control (DESIGN.md section 6)
    retired_on: date | None = None


@dataclass(frozen=True, slots=True)
class Control(ControlDraft):
    """A stored control: its editable fields, the id it is stored under and the row version read with it."""

    # Keyword-only, as the draft's fields come first: Control("AC-1", "Access reviews", id=1).
    id: int = field(kw_only=True)
    # The row version read with it (0: not known); an edit sent with it is refused if someone changed it since.
    version: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    title: str
    owner: str = ""
    due: date | None = None
    status: TaskStatus = TaskStatus.OPEN
    description: str = ""
    criterion_id: str | None = None
    control_ref: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceDetails:
    """The descriptive fields of an evidence record: the ones the user may change."""

    title: str
    collected_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    source: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence(EvidenceDetails):
    """A stored evidence record: its details, the control it is evidence of and the file it holds."""

    id: int
    control_ref: str
    filename: str
    sha256: str
    size: int
    media_type: str
    added_at: datetime | None = None
    # The row version read with it (0: not known); an edit sent with it is refused if someone changed it since.
    version: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Engagement:
    firm: str = ""
    lead_auditor: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    name: str
    due: date | None = None
    done_on: date | None = None


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    ref: str
    item: str
    description: str = ""
    tsc_refs: tuple[str, ...] = ()
    control_ref: str | None = None
    owner: str = ""
    due: date | None = None
    status: RequestStatus = RequestStatus.OPEN
    auditor_status: str = ""
    priority: str = ""
    evidence_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportException:
    id: int
    reference: str
    description: str
    management_response: str = ""


@dataclass(frozen=True, slots=True)
class Distribution:
    id: int
    recipient: str
    organization: str = ""
    nda_reference: str = ""
    sent_on: date | None = None


@dataclass(frozen=True, slots=True)
class ReportDetails:
    """What a report states of itself: its type, period, opinion, issue date, auditor and notes."""

    report_type: ReportType
    period_start: date | None
    period_end: date | None
    opinion: Opinion | None = None
    issued_on: date | None = None
    auditor: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Report(ReportDetails):
    """A stored report: its details, the exceptions it lists and who it was shared with."""

    exceptions: tuple[ReportException, ...] = ()
    distributions: tuple[Distribution, ...] = ()
    id: int = field(kw_only=True)  # keyword-only, as the details come first


@dataclass(frozen=True, slots=True)
class PlanTask:
    id: int
    key: str
    name: str
    step: int
    start: date
    end: date
    milestone: bool = False
    depends_on: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_key: str
    summary: str
    prev_hash: str
    hash: str
