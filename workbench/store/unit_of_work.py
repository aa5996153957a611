"""The unit of work: one transaction over an open project, with every repository on the same session."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from workbench.domain.errors import ConflictError, ProjectFileError, WorkbenchError
from workbench.store import crypto
from workbench.store.core_first import CoreFirstSession, orm_session
from workbench.store.driver import database_errors
from workbench.store.project_store import ProjectStore

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from workbench.store import date_shift
    from workbench.store.repositories.access_reviews import AccessReviewRepository
    from workbench.store.repositories.assessment import AssessmentRepository
    from workbench.store.repositories.audit import AuditRepository
    from workbench.store.repositories.controls import ControlRepository, TaskRepository
    from workbench.store.repositories.engagement import EngagementRepository, RequestRepository
    from workbench.store.repositories.evidence import EvidenceRepository
    from workbench.store.repositories.findings import FindingRepository
    from workbench.store.repositories.incidents import ContinuityTestRepository, IncidentRepository
    from workbench.store.repositories.layouts import LayoutRepository
    from workbench.store.repositories.people import PersonRepository
    from workbench.store.repositories.plan import PlanRepository
    from workbench.store.repositories.policies import PolicyRepository
    from workbench.store.repositories.populations import PopulationRepository
    from workbench.store.repositories.project import (
        CriteriaRepository,
        DescriptionRepository,
        MetaRepository,
        SettingsRepository,
    )
    from workbench.store.repositories.report import ReportRepository
    from workbench.store.repositories.risks import RiskAssessmentRepository, RiskRepository
    from workbench.store.repositories.samples import SampleRepository
    from workbench.store.repositories.scope import ComponentRepository, CuecRepository, SubserviceRepository
    from workbench.store.repositories.vendors import VendorReportRepository, VendorRepository

# Each repository by its attribute on the unit of work: (its module under store/repositories, its class). One is
# imported and made on first use, so a unit of work that reads two tables (the dashboard's) loads two repositories
# and their domain records, not all of them.
REPOSITORIES: dict[str, tuple[str, str]] = {
    "settings": ("project", "SettingsRepository"),
    "description": ("project", "DescriptionRepository"),
    "criteria": ("project", "CriteriaRepository"),
    "meta": ("project", "MetaRepository"),
    "layouts": ("layouts", "LayoutRepository"),
    "components": ("scope", "ComponentRepository"),
    "subservices": ("scope", "SubserviceRepository"),
    "cuecs": ("scope", "CuecRepository"),
    "assessments": ("assessment", "AssessmentRepository"),
    "controls": ("controls", "ControlRepository"),
    "tasks": ("controls", "TaskRepository"),
    "evidence": ("evidence", "EvidenceRepository"),
    "engagement": ("engagement", "EngagementRepository"),
    "requests": ("engagement", "RequestRepository"),
    "reports": ("report", "ReportRepository"),
    "plan": ("plan", "PlanRepository"),
    "audit": ("audit", "AuditRepository"),
    "populations": ("populations", "PopulationRepository"),
    "samples": ("samples", "SampleRepository"),
    "risk_assessments": ("risks", "RiskAssessmentRepository"),
    "risks": ("risks", "RiskRepository"),
    "vendors": ("vendors", "VendorRepository"),
    "vendor_reports": ("vendors", "VendorReportRepository"),
    "incidents": ("incidents", "IncidentRepository"),
    "continuity_tests": ("incidents", "ContinuityTestRepository"),
    "people": ("people", "PersonRepository"),
    "access_reviews": ("access_reviews", "AccessReviewRepository"),
    "policies": ("policies", "PolicyRepository"),
    "findings": ("findings", "FindingRepository"),
}
# A core-first unit of work's repositories where one in plain SQL does an import's work without loading SQLAlchemy
# (store/core_first.py); it hands anything else to the full repository.
CORE_FIRST_REPOSITORIES: dict[str, tuple[str, str]] = {
    "controls": ("control_rows", "ControlRows"),
}


class UnitOfWork:
    """`with UnitOfWork(project) as uow: ...; uow.commit()` - anything not committed is rolled back.

    `project` is any ProjectStore: a project file or a server database.
    """

    def __init__(self, project: ProjectStore, *, plain: bool = False, core_first: bool = False) -> None:
        # plain: the work only reads plain rows through Core (the dashboard's status, right after opening), on a
        # Core connection: neither the ORM nor the row classes' mappers (schema.map_rows) are needed, and an ORM
        # read in it fails loudly.
        # core_first: the work may write, and starts on Core; the ORM loads when work needs it (core_first.py).
        self.project = project
        self.plain = plain
        self.core_first = core_first

    settings: SettingsRepository
    description: DescriptionRepository
    criteria: CriteriaRepository
    meta: MetaRepository
    layouts: LayoutRepository
    components: ComponentRepository
    subservices: SubserviceRepository
    cuecs: CuecRepository
    assessments: AssessmentRepository
    controls: ControlRepository
    tasks: TaskRepository
    evidence: EvidenceRepository
    engagement: EngagementRepository
    requests: RequestRepository
    reports: ReportRepository
    plan: PlanRepository
    audit: AuditRepository
    populations: PopulationRepository
    samples: SampleRepository
    risk_assessments: RiskAssessmentRepository
    risks: RiskRepository
    vendors: VendorRepository
    vendor_reports: VendorReportRepository
    incidents: IncidentRepository
    continuity_tests: ContinuityTestRepository
    people: PersonRepository
    access_reviews: AccessReviewRepository
    policies: PolicyRepository
    findings: FindingRepository

    def __enter__(self) -> UnitOfWork:
        for name in REPOSITORIES.keys() & vars(self).keys():  # a unit of work entered again: new session, new ones
            delattr(self, name)
        if self.plain:
            # The repositories' Core reads run on a connection as on a session (execute, scalar, scalars).
            self.session = cast("Session", self.project.reader())
        elif self.core_first:
            self.session = cast("Session", CoreFirstSession(self.project))
        else:
            from workbench.store.schema import map_rows

            map_rows()
            self.session = self.project.session()
        return self

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set yet: make the repository on the session, and keep it.
        if name not in REPOSITORIES or "session" not in vars(self):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        plain = CORE_FIRST_REPOSITORIES.get(name) if self.core_first else None
        if plain is not None:  # plain SQL for an import's work, the full repository made for anything else
            repository = _class(*plain)(self.session, lambda: self._repository(name))
        else:
            repository = self._repository(name)
        setattr(self, name, repository)
        return repository

    def _repository(self, name: str) -> Any:
        """Return a new repository of this name on the session."""
        kind = _class(*REPOSITORIES[name])
        # A repository not written for a core-first session (see core_first.py) gets the ORM session.
        return kind(self.session if getattr(kind, "core_first", False) else orm_session(self.session))

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.session.rollback()
        self.session.close()
        if _is_stale(exc):
            raise self._conflict(exc) from None  # type: ignore[arg-type]
        if isinstance(exc, database_errors()):
            # A statement a repository ran inside the block failed (a full disk, a read-only file): say so in
            # one line naming the project, as commit() does, instead of letting a database error escape.
            raise self._translate(exc) from None  # type: ignore[arg-type]

    def now(self) -> datetime:
        """Return the project's clock reading (UTC)."""
        return self.project.clock()

    @property
    def encrypted(self) -> bool:
        """Return True when the project's free text and evidence bytes are stored encrypted."""
        return crypto.cipher_of(self.session) is not None

    def damaged_text(self) -> Iterator[str]:
        """Yield a sentence for each encrypted text value that no longer decrypts (see crypto.text_problems)."""
        return crypto.text_problems(self.session.connection())

    def shift_dates(self, move: date_shift.DateMove) -> int:
        """Move every date the project holds by move(day, is_range_bound); return how many rows changed."""
        from workbench.store import date_shift

        return date_shift.shift_dates(self.session, move)

    def flush(self) -> None:
        """Send pending changes to the database inside the transaction (for ids and checks)."""
        self._write(self.session.flush)

    def commit(self) -> None:
        """Make every change of this unit of work permanent, all together."""
        self._write(self.session.commit)

    def _write(self, send: Callable[[], None]) -> None:
        # A refused write leaves nothing half-done: roll back, then say why in one line naming the project.
        try:
            send()
        except Exception as exc:
            if isinstance(exc, database_errors()):
                self.session.rollback()
                raise self._translate(exc) from None  # type: ignore[arg-type]
            if not _is_stale(exc):
                raise
            self.session.rollback()
            raise self._conflict(exc) from None  # type: ignore[arg-type]

    def rollback(self) -> None:
        """Throw away every uncommitted change."""
        self.session.rollback()

    def _conflict(self, exc: StaleDataError) -> ConflictError:
        # Another program changed or removed the row between this transaction's read and its write.
        table = str(exc).split("table '", 1)[-1].split("'", 1)[0] if "table '" in str(exc) else "a record"
        return ConflictError(str(self.project.path), f"{table.replace('_', ' ')} changed by someone else meanwhile; "
                                                     "nothing was saved (reload and try again)")

    def _translate(self, exc: DBAPIError | sqlite3.Error) -> WorkbenchError:
        original = getattr(exc, "orig", exc)  # SQLAlchemy's wraps the driver's; plain SQL on a file raises it bare
        message = str(original).lower()
        name = str(self.project.path)
        errors = sys.modules.get("sqlalchemy.exc")
        integrity = errors is not None and isinstance(exc, errors.IntegrityError)
        if integrity or isinstance(original, sqlite3.IntegrityError):
            return WorkbenchError(name, f"the change conflicts with existing data ({original}); nothing was saved")
        if getattr(original, "sqlstate", None) == "42501":
            # A server login whose team role may not write this (store/team.py): the server refused the change.
            return ProjectFileError(name, "your login may only read this project (the server refused the change); "
                                          "nothing was saved")
        if "deadlock detected" in message or "could not serialize" in message:
            return ConflictError(name, "another user's change got in the way; nothing was saved (try again)")
        if "full" in message:
            return ProjectFileError(name, "the disk is full; nothing was saved")
        if "readonly" in message or "read-only" in message:
            return ProjectFileError(name, "the file cannot be written; nothing was saved")
        if "locked" in message or "busy" in message:
            return ProjectFileError(name, "the file is locked by another program; nothing was saved")
        return ProjectFileError(name, f"the change could not be saved ({original})")


def _class(module: str, name: str) -> Any:
    """Return a repository class by its module under store/repositories and its name (imported on first use)."""
    return getattr(importlib.import_module(f"workbench.store.repositories.{module}"), name)


def _is_stale(exc: BaseException | None) -> bool:
    """Return True for the ORM's StaleDataError: a versioned row changed or removed by someone else meanwhile."""
    orm_errors = sys.modules.get("sqlalchemy.orm.exc")  # not loaded: no ORM work was done, so none went stale
    return orm_errors is not None and isinstance(exc, orm_errors.StaleDataError)
