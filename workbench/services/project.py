"""Creating a project, its settings, and its status: counts, step progress, readiness, next actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from workbench.domain.clock import Clock, utc_now
from workbench.domain.encryption import EncryptionChoice
from workbench.domain.entities import ProjectSettings, Report
from workbench.domain.enums import Category, ControlStatus, ReportType, TaskStatus
from workbench.domain.errors import ValidationError
from workbench.domain.readiness import (
    CriteriaCounts,
    ProjectFacts,
    StepProgress,
    count_criteria,
    next_actions,
    readiness,
    step_progress,
)
from workbench.domain.scope import scope_checklist
from workbench.services.action_targets import ActionTarget
from workbench.services.catalog import bundled_catalog
from workbench.services.changes import Change, Touched
from workbench.services.guards import AuditorWarning, project_warnings
from workbench.services.linked_records import occurrences, register_actions
from workbench.services.period import past_missing
from workbench.services.plan import plan_agenda
from workbench.services.session import OpenProject, create_file
from workbench.store import UnitOfWork

DEFAULT_PERIOD_MONTHS = 6


def audit_period(report_type: ReportType, start: date | None, months: int | None) -> tuple[date | None, date | None]:
    """Return (start, end): Type I is a single as-of date; Type II runs `months` from start, inclusive."""
    if start is None:
        if months is not None:
            raise ValidationError("--period-months", "needs a period start (--period-start)")
        return None, None
    if report_type is ReportType.TYPE1:
        if months is not None:
            raise ValidationError("--period-months", "a Type I report is as of one date and has no period length")
        return start, start
    months = DEFAULT_PERIOD_MONTHS if months is None else months
    if not 1 <= months <= 24:
        raise ValidationError("--period-months", f"must be between 1 and 24 months, not {months}")
    # The day before the same day N months on: Apr 1 + 6 months ends Sep 30 (Jan 31 + 1 month: Feb 27).
    return start, start + relativedelta(months=months) - relativedelta(days=1)


def normalize_categories(categories: tuple[Category, ...] | list[Category]) -> tuple[Category, ...]:
    """Return the categories in catalog order, with Security always included."""
    chosen = set(categories) | {Category.SECURITY}
    return tuple(c for c in Category if c in chosen)


@dataclass(frozen=True, slots=True)
class NewProject:
    """What the user says about a project when creating it."""

    organization: str
    system_name: str = ""
    report_type: ReportType = ReportType.TYPE2
    categories: tuple[Category, ...] = (Category.SECURITY,)
    period_start: date | None = None
    period_end: date | None = None
    encryption: EncryptionChoice | None = None  # None: a plain project; see services/encryption.py


def create_project(path: Path | str, spec: NewProject, *, actor: str | None = None,
                   clock: Clock = utc_now) -> OpenProject:
    """Create a project file with its settings and its own copy of the criteria catalog."""
    organization = spec.organization.strip()
    if not organization:
        raise ValidationError("--org", "the organisation name cannot be empty")
    if spec.period_start and spec.period_end and spec.period_end < spec.period_start:
        raise ValidationError("audit period", "ends before it starts")
    catalog = bundled_catalog()

    def populate(uow: UnitOfWork) -> None:
        uow.settings.save(ProjectSettings(
            organization=organization,
            system_name=spec.system_name.strip(),
            report_type=spec.report_type,
            categories=normalize_categories(spec.categories),
            period_start=spec.period_start,
            period_end=spec.period_end,
            catalog_name=catalog.name,
            catalog_version=catalog.version,
            created_at=uow.now(),
        ))
        uow.criteria.load(catalog)

    return create_file(path, populate, actor=actor, clock=clock, encryption_choice=spec.encryption)


def get_settings(project: OpenProject) -> ProjectSettings:
    """Return the project's settings."""
    with project.uow() as uow:
        return uow.settings.get()


def update_settings(project: OpenProject, **changes: Any) -> Change[ProjectSettings]:
    """Change some settings (organization, system_name, report_type, categories, period_start, period_end).

    Undone by putting back the values of the settings it changed.
    """
    allowed = {"organization", "system_name", "report_type", "categories", "period_start", "period_end"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError("settings", f"cannot change {', '.join(sorted(unknown))}")
    try:
        if "report_type" in changes:
            changes["report_type"] = ReportType(changes["report_type"])
        if "categories" in changes:
            changes["categories"] = tuple(Category(c) for c in changes["categories"])
    except ValueError as exc:
        raise ValidationError("settings", str(exc)) from None
    with project.uow() as uow:
        before = uow.settings.get()
        settings = replace(before, **changes)
        settings = replace(settings, categories=normalize_categories(settings.categories))
        if not settings.organization.strip():
            raise ValidationError("organisation", "cannot be empty")
        if settings.period_start and settings.period_end and settings.period_end < settings.period_start:
            raise ValidationError("audit period", "ends before it starts")
        uow.settings.save(settings)
        uow.commit()
    undo = partial(update_settings, **{name: getattr(before, name) for name in changes})
    return Change(Touched.SETTINGS, undo, settings)


UPCOMING_DAYS = 30
AGENDA_LIMIT = 8


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """Something with a due date: overdue, or due within the next UPCOMING_DAYS days."""

    due: date
    text: str
    step: int
    overdue: bool


@dataclass(frozen=True, slots=True)
class CategoryReadiness:
    category: Category
    counts: CriteriaCounts
    readiness: float


@dataclass(frozen=True, slots=True)
class ProjectStatus:
    """Everything the dashboard and `workbench status` show about a project."""

    settings: ProjectSettings
    facts: ProjectFacts
    steps: tuple[StepProgress, ...]
    readiness: float
    next_actions: tuple[tuple[int, str], ...]
    audit_entries: int
    audit_head: str
    categories: tuple[CategoryReadiness, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    warnings: tuple[AuditorWarning, ...] = ()  # what an auditor would question (the dashboard shows them)
    # Where a next action is done when that is not its step's page (a register's), by the action's sentence.
    targets: Mapping[str, ActionTarget] = field(default_factory=dict)

    @property
    def criteria(self) -> CriteriaCounts:
        """Return the criteria counts."""
        return self.facts.criteria


class _Read:
    """What several parts of the status need, read once per status."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.settings = uow.settings.get()
        self.catalog = uow.criteria.catalog()
        self.statuses = {cid: a.status for cid, a in uow.assessments.all().items()}
        self.covered = uow.controls.covered_criteria()
        self.controls = uow.controls.list()
        self.tasks = uow.tasks.list()
        self.milestones = uow.engagement.milestones()
        self.requests = uow.requests.list()
        self.vendor_reports = uow.vendor_reports.list()  # for the registers' next actions and the evidence gap


def _facts(uow: UnitOfWork, today: date, read: _Read, registers: tuple[tuple[int, str], ...]) -> ProjectFacts:
    settings, controls, covered = read.settings, read.controls, read.covered
    in_scope = [c.id for c in read.catalog.in_scope(settings.categories)]
    with_evidence = uow.evidence.controls_with_evidence()
    reports = uow.reports.list()
    open_tasks = [t for t in read.tasks if t.status is not TaskStatus.DONE]
    current = [r for r in reports if _covers_this_cycle(r, settings)]
    return ProjectFacts(
        scope_checklist=scope_checklist(
            settings, uow.description.get_all(), uow.components.list(), uow.subservices.list(), uow.cuecs.list()
        ),
        criteria=count_criteria(in_scope, read.statuses),
        criteria_without_controls=sum(1 for cid in in_scope if cid not in covered),
        controls_total=len(controls),
        controls_implemented=sum(1 for c in controls if c.status is ControlStatus.IMPLEMENTED),
        controls_unmapped=sum(1 for c in controls if not c.criteria),
        evidence_items=uow.evidence.count(),
        controls_without_evidence=sum(1 for c in controls if c.id not in with_evidence),
        firm_chosen=bool(uow.engagement.get().firm.strip()),
        milestones_total=len(read.milestones),
        milestones_done=sum(1 for m in read.milestones if m.done_on is not None),
        report_received=any(r.issued_on is not None for r in current),
        report_shared=any(r.issued_on is not None and r.distributions for r in current),
        open_tasks=len(open_tasks),
        overdue_tasks=sum(1 for t in open_tasks if t.due is not None and t.due < today),
        open_requests=sum(1 for r in read.requests if r.status.value in ("open", "needs_follow_up")),
        exceptions_without_response=sum(1 for r in current for e in r.exceptions if not e.management_response.strip()),
        register_actions=registers,
    )


def _covers_this_cycle(report: Report, settings: ProjectSettings) -> bool:
    """Return True when a report is this cycle's: same type, its period reaching the project's period end.

    Last year's report (a Type I before this Type II, say) does not complete step 6 of this cycle.
    """
    if report.report_type is not settings.report_type:
        return False
    if settings.period_end is None or report.period_end is None:
        return True
    return report.period_end >= settings.period_end


def project_status(project: OpenProject, today: date | None = None) -> ProjectStatus:
    """Return the project's status as of `today` (default: the project clock's date)."""
    today = today or project.now().date()
    # Plain: every read of the status is a Core read, so the first status after opening need not wait for the row
    # classes' mappers (store/schema.py).
    with UnitOfWork(project.file, plain=True) as uow:
        read = _Read(uow)
        registers = register_actions(uow, today, control_refs=[c.ref for c in read.controls],
                                     reports=read.vendor_reports)
        facts = _facts(uow, today, read, tuple((step, text) for step, text, _ in registers))
        return ProjectStatus(
            settings=read.settings,
            facts=facts,
            steps=step_progress(facts),
            readiness=readiness(facts.criteria),
            next_actions=tuple(next_actions(facts)),
            audit_entries=uow.audit.count(),
            audit_head=uow.audit.head(),
            categories=_category_readiness(read),
            agenda=_agenda(uow, today, read),
            warnings=tuple(project_warnings(read.settings, read.statuses, read.covered)),
            targets={text: target for _, text, target in registers},
        )


def _category_readiness(read: _Read) -> tuple[CategoryReadiness, ...]:
    result = []
    for category in read.settings.categories:
        counts = count_criteria((c.id for c in read.catalog.in_scope([category])), read.statuses)
        result.append(CategoryReadiness(category, counts, readiness(counts)))
    return tuple(result)


def _agenda(uow: UnitOfWork, today: date, read: _Read) -> tuple[AgendaItem, ...]:
    """Return what is overdue or due soon: tasks, engagement milestones, auditor requests and plan tasks."""
    horizon = today + relativedelta(days=UPCOMING_DAYS)
    items: list[AgendaItem] = []
    for task in read.tasks:
        if task.due is not None and task.status is not TaskStatus.DONE and task.due <= horizon:
            items.append(AgendaItem(task.due, f"Task: {task.title}", 3, task.due < today))
    for milestone in read.milestones:
        if milestone.due is not None and milestone.done_on is None and milestone.due <= horizon:
            items.append(AgendaItem(milestone.due, f"Milestone: {milestone.name}", 5, milestone.due < today))
    for request in read.requests:
        if request.due is not None and request.status.value in ("open", "needs_follow_up") and request.due <= horizon:
            items.append(AgendaItem(request.due, f"Request {request.ref}: {request.item}", 5, request.due < today))
    items += [AgendaItem(*line) for line in plan_agenda(uow, today, horizon)]
    evidence_gap = _evidence_gap(uow, today, read)
    items.sort(key=lambda item: (item.due, item.step, item.text))
    items = items[:AGENDA_LIMIT - 1] if evidence_gap else items[:AGENDA_LIMIT]
    return tuple(([evidence_gap] if evidence_gap else []) + items)


def _evidence_gap(uow: UnitOfWork, today: date, read: _Read) -> AgendaItem | None:
    """Return one item summing up the windows of a Type II period that are over and have no evidence."""
    settings, controls = read.settings, read.controls
    if not controls:
        return None
    # Only the evidence dates: listing whole records cost most of the status of a project with much evidence.
    populations = {p.control_ref for p in uow.populations.list()}
    missing = past_missing(settings, controls, uow.evidence.dates_by_control(), populations, today,
                           occurrences(uow, read.vendor_reports))
    if not missing:
        return None
    refs = sorted({ref for _, ref in missing})
    named = ", ".join(refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
    noun = "window" if len(missing) == 1 else "windows"
    return AgendaItem(min(end for end, _ in missing),
                      f"Evidence missing for {len(missing)} past {noun} of the audit period ({named})", 4, True)


def status_document(project: OpenProject, status: ProjectStatus) -> dict[str, Any]:
    """Return the status as the JSON document of the command-line contract."""
    settings, facts, counts = status.settings, status.facts, status.criteria
    return {
        "file": str(project.path),
        "read_only": project.read_only_reason,  # why changes are refused, or null when the project can be changed
        "project": {
            "organization": settings.organization,
            "system": settings.system_name,
            "report_type": settings.report_type.value,
            "categories": [c.cli_name for c in settings.categories],
            "period": {
                "start": settings.period_start.isoformat() if settings.period_start else None,
                "end": settings.period_end.isoformat() if settings.period_end else None,
            },
        },
        "criteria": {
            "in_scope": counts.in_scope, "met": counts.met, "partially_met": counts.partially_met,
            "gap": counts.gap, "not_applicable": counts.not_applicable, "not_assessed": counts.not_assessed,
        },
        "controls": {
            "total": facts.controls_total, "implemented": facts.controls_implemented,
            "unmapped": facts.controls_unmapped,
        },
        "evidence": {"items": facts.evidence_items, "controls_without_evidence": facts.controls_without_evidence},
        "steps": [
            {"number": s.number, "title": s.title, "progress": s.progress, "summary": s.summary}
            for s in status.steps
        ],
        "readiness": status.readiness,
        "tasks": {"open": facts.open_tasks, "overdue": facts.overdue_tasks},
        "next_actions": [{"step": step, "action": text} for step, text in status.next_actions],
        "warnings": [warning.text for warning in status.warnings],
        "audit_trail": {"entries": status.audit_entries, "head": status.audit_head},
        "categories": [
            {"category": c.category.cli_name, "in_scope": c.counts.in_scope, "met": c.counts.met,
             "readiness": c.readiness}
            for c in status.categories
        ],
        "agenda": [
            {"due": item.due.isoformat(), "item": item.text, "step": item.step, "overdue": item.overdue}
            for item in status.agenda
        ],
    }
