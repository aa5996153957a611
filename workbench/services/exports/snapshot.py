"""Everything an export shows, read from the project once, before any output is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workbench.domain.catalog import Criterion
from workbench.domain.entities import Control, CriterionAssessment, Evidence, ProjectSettings, Request
from workbench.domain.enums import AssessmentStatus, ReportType
from workbench.domain.errors import ValidationError
from workbench.domain.natural import natural_sorted
from workbench.domain.period import Period, in_period, project_period, reflected_days
from workbench.domain.testing import Sample
from workbench.services.exports.register_snapshot import RegisterSnapshot, take_registers
from workbench.services.scope import Scope, get_scope
from workbench.services.session import OpenProject


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What part of the project an export covers: every control unless narrowed by refs, criteria or dates."""

    controls: frozenset[str] | None = None
    criteria: frozenset[str] | None = None
    collected_from: date | None = None
    collected_to: date | None = None
    # Management's own met/gap judgements are for management; the auditor's exports leave them out unless asked.
    include_readiness: bool = False

    def keeps_control(self, control: Control) -> bool:
        """Return True when the control belongs in the export."""
        if self.controls is not None and control.ref not in self.controls:
            return False
        return self.criteria is None or bool(self.criteria.intersection(control.criteria))

    def keeps_evidence(self, evidence: Evidence) -> bool:
        """Return True when the days the evidence reflects touch the date range (undated evidence always counts).

        The days are its period covered, else the day it was received (DESIGN.md section 6): evidence of the
        period received after it ends still belongs to it.
        """
        days = reflected_days(evidence.period_start, evidence.period_end, evidence.collected_on)
        if days is None:
            return True
        if self.collected_from is not None and days[1] < self.collected_from:
            return False
        return self.collected_to is None or days[0] <= self.collected_to

    def covers(self, open_end: str) -> str:
        """Return what the export covers, in words; `open_end` stands for a collection date range's missing end."""
        parts = []
        if self.controls is not None:
            parts.append("controls " + ", ".join(natural_sorted(self.controls)))
        if self.criteria is not None:
            parts.append("criteria " + ", ".join(natural_sorted(self.criteria)))
        if self.collected_from or self.collected_to:
            first, last = _day(self.collected_from, open_end), _day(self.collected_to, open_end)
            parts.append(f"evidence reflecting {first} to {last}")
        return "; ".join(parts) or "the whole project"


def period_words(settings: ProjectSettings, open_end: str) -> str:
    """Return the audit period in words: "as of DAY", "START to END" or "not set" (`open_end`: a missing end)."""
    start, end = settings.period_start, settings.period_end
    if start is None and end is None:
        return "not set"
    if settings.report_type is ReportType.TYPE1 or start == end:
        return f"as of {_day(end or start, open_end)}"
    return f"{_day(start, open_end)} to {_day(end, open_end)}"


def _day(value: date | None, missing: str) -> str:
    return value.isoformat() if value else missing


@dataclass(frozen=True)
class ExportSnapshot:
    """The project as one export sees it; every list is in the order the export prints it."""

    settings: ProjectSettings
    scope: Scope
    generated_on: date
    chain_head: str
    audit_entries: int
    criteria: tuple[Criterion, ...]  # in scope, catalog order
    assessments: dict[str, CriterionAssessment]
    controls: tuple[Control, ...]  # by ref
    evidence: tuple[Evidence, ...]  # of the exported controls, by control then id
    requests: tuple[Request, ...]
    options: ExportOptions = field(default_factory=ExportOptions)
    period: Period | None = None  # the audit period (Type II) or the as-of day (Type I)
    samples: tuple[Sample, ...] = ()  # of the exported controls, by control ref
    registers: RegisterSnapshot = field(default_factory=RegisterSnapshot)  # risks, vendors, incidents, tests

    def in_period(self, evidence: Evidence) -> bool | None:
        """Return whether what the evidence reflects lies in the period (None: undated, or no period set)."""
        if self.period is None:
            return None
        return in_period(self.period, evidence.period_start, evidence.period_end, evidence.collected_on)

    def assessment(self, criterion_id: str) -> CriterionAssessment:
        """Return the judgement of a criterion (not assessed when none was recorded)."""
        return self.assessments.get(criterion_id, CriterionAssessment(criterion_id, AssessmentStatus.NOT_ASSESSED))


def take_snapshot(project: OpenProject, options: ExportOptions | None = None,
                  today: date | None = None) -> ExportSnapshot:
    """Read everything an export needs; refuse options that name something the project does not have."""
    options = options or ExportOptions()
    scope = get_scope(project)
    with project.uow() as uow:
        settings = uow.settings.get()
        catalog = uow.criteria.catalog()
        all_controls = uow.controls.list()
        known_refs = {c.ref for c in all_controls}
        if options.controls is not None:
            unknown = natural_sorted(options.controls - known_refs)
            if unknown:
                raise ValidationError("export", f"no control {', '.join(unknown[:5])} in this project")
        if options.criteria is not None:
            unknown = natural_sorted(c for c in options.criteria if catalog.get(c) is None)
            if unknown:
                raise ValidationError("export", f"{', '.join(unknown[:5])} is not a Trust Services Criterion")
        if options.collected_from and options.collected_to and options.collected_from > options.collected_to:
            raise ValidationError("export", "the date range ends before it starts")
        controls = tuple(c for c in all_controls if options.keeps_control(c))
        kept = {c.ref for c in controls}
        evidence = tuple(natural_sorted(  # by control in natural order, then as added
            sorted((e for e in uow.evidence.list() if e.control_ref in kept and options.keeps_evidence(e)),
                   key=lambda e: e.id),
            key=lambda e: e.control_ref,
        ))
        return ExportSnapshot(
            settings=settings, scope=scope, generated_on=today or uow.now().date(),
            chain_head=uow.audit.head(), audit_entries=uow.audit.count(),
            criteria=tuple(catalog.in_scope(settings.categories)), assessments=dict(uow.assessments.all()),
            controls=controls, evidence=evidence, requests=tuple(uow.requests.list()), options=options,
            period=project_period(settings),
            samples=tuple(s for s in uow.samples.list() if s.control_ref in kept),
            # An export narrowed to some controls or criteria is about them: the registers go with the whole project.
            registers=take_registers(uow) if options.controls is None and options.criteria is None
            else RegisterSnapshot(),
        )
