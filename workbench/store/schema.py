"""The project schema: typed row classes whose tables are built with SQLAlchemy Core as each class is defined.

A class body reads as SQLAlchemy 2's typed declarative models (`name: Mapped[str] = mapped_column(Text)`,
`relationship(...)`), but the mapped_column() and relationship() here only note what they are given: as each class
is defined, Base builds its Table from them with Core alone (nullable when the annotation admits None, the type
taken from the annotation when none is given, as declarative does), and map_rows() maps the classes with the ORM
later. The dashboard's status reads plain rows through Core on the tables (repositories/plain.py), so start-up
neither imports sqlalchemy.orm nor runs the declarative machinery (a third of this module's import) before the
dashboard is drawn. Dialect-neutral: the schema must also run on PostgreSQL.
"""

from __future__ import annotations

import inspect
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from workbench.store.encrypted_text import EncryptedText

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped, registry

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# The column type an annotation stands for when mapped_column() names none (declarative's default type map).
_ANNOTATED_TYPES = {"int": Integer, "str": String, "bool": Boolean, "date": Date, "bytes": LargeBinary}


@dataclass(frozen=True)
class _Noted:
    """What mapped_column() or relationship() was given, for Base (the table) and map_rows() (the mapper)."""

    relation: bool
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


def mapped_column(*args: Any, **kwargs: Any) -> Any:
    """Note a column as SQLAlchemy's mapped_column() takes it: its type, ForeignKey and Column options."""
    return _Noted(False, args, kwargs)


def relationship(*args: Any, **kwargs: Any) -> Any:
    """Note a relationship as SQLAlchemy's relationship() takes it; map_rows() makes it (its target annotated)."""
    return _Noted(True, args, kwargs)


class Versioned:
    """A row people edit: every UPDATE checks and bumps its version, so an edit made meanwhile is refused, not lost.

    SQLAlchemy adds `AND version = <the one read>` to each UPDATE and DELETE and raises StaleDataError when no row
    matched (store/unit_of_work.py turns that into a ConflictError naming who changed it). Base gives the class's
    table its `version` column, last; map_rows() makes it the mapper's version counter.
    """

    version: Mapped[int]


def _version_column() -> Column[Any]:
    return Column("version", Integer, nullable=False, default=1, server_default="1")


def _column(name: str, annotation: str, noted: _Noted) -> Column[Any]:
    """Return the Core column declarative would make of `name: <annotation> = mapped_column(...)`."""
    inner = annotation.removeprefix("Mapped[").removesuffix("]")
    args, kwargs = list(noted.args), dict(noted.kwargs)
    if not args:  # no type given: the annotation's (with a ForeignKey and no type, Core takes the target's)
        args.append(_ANNOTATED_TYPES[inner.split("|")[0].strip()]())
    kwargs.setdefault("nullable", "None" in inner and not kwargs.get("primary_key", False))
    return Column(name, *args, **kwargs)


class Base:
    """A row class: its Core table is made as the class is defined (`__table__`); map_rows() maps it.

    Declaring the mappers was a third of this module's import, on the way to the dashboard, whose status reads
    plain rows through Core on the tables alone (repositories/plain.py). A unit of work maps them as it starts
    (unit_of_work.py), unless it only reads through Core.
    """

    metadata: ClassVar[MetaData] = MetaData(naming_convention=NAMING)
    registry: ClassVar[registry]  # the ORM's registry of the row classes, once map_rows() has made it
    rows: ClassVar[list[type[Base]]] = []  # every row class, in the order defined
    __tablename__: ClassVar[str]
    __table__: ClassVar[Table]
    __table_args__: ClassVar[tuple[Any, ...]] = ()
    _relationships: ClassVar[dict[str, tuple[str, _Noted]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        items: list[Any] = []
        relations: dict[str, tuple[str, _Noted]] = {}
        for name, annotation in inspect.get_annotations(cls).items():
            noted = cls.__dict__.get(name)
            if not isinstance(noted, _Noted):
                continue
            delattr(cls, name)  # the mapper's attribute takes its place
            if noted.relation:
                relations[name] = (annotation, noted)
            else:
                items.append(_column(name, annotation, noted))
        if issubclass(cls, Versioned):
            items.append(_version_column())
        cls.__table__ = Table(cls.__tablename__, cls.metadata, *items, *cls.__dict__.get("__table_args__", ()))
        cls._relationships = relations
        Base.rows.append(cls)

    def __init__(self, **values: Any) -> None:
        """Set the given attributes, as declarative's constructor does (an unknown name is a TypeError)."""
        for name, value in values.items():
            if not hasattr(type(self), name):
                raise TypeError(f"{name!r} is an invalid keyword argument for {type(self).__name__}")
            setattr(self, name, value)


_mapping, _mapped = threading.Lock(), threading.Event()


def map_rows() -> None:
    """Map every row class to its table, once per process; the ORM needs it, Core reads on the tables do not."""
    if _mapped.is_set():
        return
    with _mapping:  # units of work start on the GUI thread and on workers
        if _mapped.is_set():
            return
        from sqlalchemy import orm

        rows = orm.registry(metadata=Base.metadata)
        for cls in Base.rows:
            properties = {name: _relationship(orm, annotation, noted)
                          for name, (annotation, noted) in cls._relationships.items()}
            options = {"version_id_col": cls.__table__.c.version} if issubclass(cls, Versioned) else {}
            rows.map_imperatively(cls, cls.__table__, properties=properties, **options)
        Base.registry = rows
        _mapped.set()


def _relationship(orm: Any, annotation: str, noted: _Noted) -> Any:
    """Return the ORM relationship a noted one stands for: to the class its annotation names, a list or one."""
    inner = annotation.removeprefix("Mapped[").removesuffix("]")
    many = inner.startswith("list[")
    target = inner.removeprefix("list[").removesuffix("]").strip("\"'")
    return orm.relationship(target, *noted.args, uselist=many, **noted.kwargs)


class ProjectRow(Versioned, Base):
    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization: Mapped[str] = mapped_column(Text)
    system_name: Mapped[str] = mapped_column(Text, default="")
    report_type: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    catalog_name: Mapped[str] = mapped_column(Text, default="")
    catalog_version: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[str] = mapped_column(String(32))


class ScopeCategoryRow(Base):
    __tablename__ = "scope_categories"
    category: Mapped[str] = mapped_column(String(32), primary_key=True)


class DescriptionSectionRow(Versioned, Base):
    __tablename__ = "description_sections"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(EncryptedText("description_sections.text"), default="")


class CriterionRow(Base):
    __tablename__ = "criteria"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    series: Mapped[str] = mapped_column(String(8))
    series_title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class ComponentRow(Versioned, Base):
    __tablename__ = "components"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)


class SubserviceRow(Versioned, Base):
    __tablename__ = "subservices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    service: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(16))
    soc_report: Mapped[str] = mapped_column(Text, default="")


class CsocRow(Versioned, Base):
    """A complementary subservice organisation control: what the report relies on a subservice organisation doing."""

    __tablename__ = "csocs"
    id: Mapped[int] = mapped_column(primary_key=True)
    subservice_id: Mapped[int] = mapped_column(ForeignKey("subservices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


# The link rows (csoc_, cuec_ and control_criteria; request_ and population_evidence) are spelled out like every
# other row rather than made by a function: two columns each, found by name; control_criteria also indexes its
# criterion and has a relationship, and the evidence links cascade from both ends, so only pairs are alike.
class CsocCriterionRow(Base):
    __tablename__ = "csoc_criteria"
    csoc_id: Mapped[int] = mapped_column(ForeignKey("csocs.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"), primary_key=True)


class CuecRow(Versioned, Base):
    __tablename__ = "cuecs"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class CuecCriterionRow(Base):
    __tablename__ = "cuec_criteria"
    cuec_id: Mapped[int] = mapped_column(ForeignKey("cuecs.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"), primary_key=True)


class EngagementCheckRow(Versioned, Base):
    """One ticked item of the representation-letter and subsequent-events checklist (domain/engagement_checks.py)."""

    __tablename__ = "engagement_checks"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str] = mapped_column(Text, default="")


class AssessmentRow(Versioned, Base):
    __tablename__ = "assessments"
    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(EncryptedText("assessments.note"), default="")
    updated_at: Mapped[str] = mapped_column(String(32))


class ControlRow(Versioned, Base):
    __tablename__ = "controls"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(EncryptedText("controls.description"), default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str | None] = mapped_column(String(32))
    nature: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    notes: Mapped[str] = mapped_column(EncryptedText("controls.notes"), default="")
    implemented_since: Mapped[date | None] = mapped_column(Date)
    retired_on: Mapped[date | None] = mapped_column(Date)
    criteria: Mapped[list[ControlCriterionRow]] = relationship(
        back_populates="control", cascade="all, delete-orphan", order_by="ControlCriterionRow.criterion_id"
    )
    # Deleting a control goes through the ORM for everything that hangs off it, so the audit trail sees
    # each evidence record removed and each task or request unlinked (the database cascades are a backstop).
    evidence: Mapped[list[EvidenceRow]] = relationship(
        back_populates="control", cascade="all, delete-orphan", order_by="EvidenceRow.id"
    )
    tasks: Mapped[list[TaskRow]] = relationship(order_by="TaskRow.id")
    requests: Mapped[list[RequestRow]] = relationship(order_by="RequestRow.id")


class ControlCriterionRow(Base):
    __tablename__ = "control_criteria"
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(ForeignKey("criteria.id"), primary_key=True, index=True)
    control: Mapped[ControlRow] = relationship(back_populates="criteria")


class TaskRow(Versioned, Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(EncryptedText("tasks.description"), default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    criterion_id: Mapped[str | None] = mapped_column(ForeignKey("criteria.id"))
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))


class EvidenceBlobRow(Base):
    __tablename__ = "evidence_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(128))
    chunk_count: Mapped[int] = mapped_column(Integer)


class EvidenceChunkRow(Base):
    __tablename__ = "evidence_chunks"
    blob_sha256: Mapped[str] = mapped_column(
        ForeignKey("evidence_blobs.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceRow(Versioned, Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id", ondelete="CASCADE"), index=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("evidence_blobs.sha256"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText("evidence.title"))
    filename: Mapped[str] = mapped_column(Text)
    collected_on: Mapped[date | None] = mapped_column(Date)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(EncryptedText("evidence.source"), default="")
    notes: Mapped[str] = mapped_column(EncryptedText("evidence.notes"), default="")
    added_at: Mapped[str] = mapped_column(String(32))
    control: Mapped[ControlRow] = relationship(back_populates="evidence")
    blob: Mapped[EvidenceBlobRow] = relationship()
    request_links: Mapped[list[RequestEvidenceRow]] = relationship(cascade="all, delete-orphan")


class EngagementRow(Versioned, Base):
    __tablename__ = "engagement"
    id: Mapped[int] = mapped_column(primary_key=True)
    firm: Mapped[str] = mapped_column(Text, default="")
    lead_auditor: Mapped[str] = mapped_column(EncryptedText("engagement.lead_auditor"), default="")
    email: Mapped[str] = mapped_column(EncryptedText("engagement.email"), default="")
    phone: Mapped[str] = mapped_column(EncryptedText("engagement.phone"), default="")
    notes: Mapped[str] = mapped_column(EncryptedText("engagement.notes"), default="")


class MilestoneRow(Versioned, Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)


class RequestRow(Versioned, Base):
    __tablename__ = "requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    item: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(EncryptedText("requests.description"), default="")
    tsc_refs: Mapped[str] = mapped_column(Text, default="")
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))
    owner: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    auditor_status: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(Text, default="")


class RequestEvidenceRow(Base):
    __tablename__ = "request_evidence"
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True)


class ReportRow(Versioned, Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_type: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    opinion: Mapped[str | None] = mapped_column(String(32))
    issued_on: Mapped[date | None] = mapped_column(Date)
    auditor: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(EncryptedText("reports.notes"), default="")
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("evidence_blobs.sha256"))
    bridge_letter_on: Mapped[date | None] = mapped_column(Date)
    next_cycle_start: Mapped[date | None] = mapped_column(Date)


class ReportExceptionRow(Versioned, Base):
    __tablename__ = "report_exceptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(EncryptedText("report_exceptions.description"))
    management_response: Mapped[str] = mapped_column(EncryptedText("report_exceptions.management_response"), default="")


class DistributionRow(Versioned, Base):
    __tablename__ = "distributions"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(Text)
    organization: Mapped[str] = mapped_column(Text, default="")
    nda_reference: Mapped[str] = mapped_column(Text, default="")
    sent_on: Mapped[date | None] = mapped_column(Date)


class PlanTaskRow(Versioned, Base):
    __tablename__ = "plan_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    step: Mapped[int] = mapped_column(Integer)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    milestone: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    duration_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fixed_start: Mapped[date | None] = mapped_column(Date)
    fixed_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_finish: Mapped[date | None] = mapped_column(Date)
    percent_complete: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    kind: Mapped[str] = mapped_column(String(32), default="", server_default="")
    baseline_start: Mapped[date | None] = mapped_column(Date)
    baseline_end: Mapped[date | None] = mapped_column(Date)


class PlanDependencyRow(Base):
    __tablename__ = "plan_dependencies"
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id", ondelete="CASCADE"), primary_key=True)
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("plan_tasks.id", ondelete="CASCADE"), primary_key=True
    )
    lag_days: Mapped[int] = mapped_column(Integer, default=0)


class PopulationRow(Versioned, Base):
    """A control's population: every event of the period, as exported from the system of record (IPE)."""

    __tablename__ = "populations"
    id: Mapped[int] = mapped_column(primary_key=True)
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id", ondelete="CASCADE"), unique=True)
    source: Mapped[str] = mapped_column(Text, default="")
    query: Mapped[str] = mapped_column(Text, default="")
    generated_at: Mapped[date | None] = mapped_column(Date)
    generated_by: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    out_of_period: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[str] = mapped_column(String(32))


class PopulationItemRow(Base):
    """One event of a population; `data` holds the row's other columns as JSON text {header: text}."""

    __tablename__ = "population_items"
    population_id: Mapped[int] = mapped_column(ForeignKey("populations.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(Text)
    day: Mapped[date | None] = mapped_column(Date)
    in_period: Mapped[bool | None] = mapped_column(Boolean)
    data: Mapped[str] = mapped_column(EncryptedText("population_items.data"), default="{}")


class PopulationEvidenceRow(Base):
    """Evidence of a population's completeness and accuracy."""

    __tablename__ = "population_evidence"
    population_id: Mapped[int] = mapped_column(ForeignKey("populations.id", ondelete="CASCADE"), primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True)


class SampleRow(Versioned, Base):
    """A control's sample: drawn from its population or its expected windows, or the auditor's own selection."""

    __tablename__ = "samples"
    # One sample per control, keyed by it: a sample put back by undo is the very row it was.
    control_id: Mapped[int] = mapped_column(ForeignKey("controls.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    basis: Mapped[str] = mapped_column(String(16))  # "population" | "windows"
    table_name: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    from_file: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(32))


class SampleItemRow(Versioned, Base):
    __tablename__ = "sample_items"
    control_id: Mapped[int] = mapped_column(ForeignKey("samples.control_id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(Text)
    day: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(16))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(EncryptedText("sample_items.note"), default="")
    exception_id: Mapped[int | None] = mapped_column(ForeignKey("report_exceptions.id", ondelete="SET NULL"))


class RiskAssessmentRow(Versioned, Base):
    """A dated snapshot of the risk register: a draft, or signed by management (then read-only)."""

    __tablename__ = "risk_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(Text, default="")
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(EncryptedText("risk_assessments.notes"), default="")
    created_at: Mapped[str] = mapped_column(String(32))


class RiskRow(Versioned, Base):
    """One risk of one assessment; `control_refs` names the treating controls, one per line."""

    __tablename__ = "risks"
    __table_args__ = (UniqueConstraint("assessment_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("risk_assessments.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(128))
    scenario: Mapped[str] = mapped_column(EncryptedText("risks.scenario"))
    asset: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    fraud: Mapped[bool] = mapped_column(Boolean, default=False)
    likelihood: Mapped[int | None] = mapped_column(Integer)
    impact: Mapped[int | None] = mapped_column(Integer)
    inherent_given: Mapped[int | None] = mapped_column(Integer)
    treatment: Mapped[str | None] = mapped_column(String(16))
    treatment_text: Mapped[str] = mapped_column(EncryptedText("risks.treatment_text"), default="")
    control_refs: Mapped[str] = mapped_column(Text, default="")
    residual_likelihood: Mapped[int | None] = mapped_column(Integer)
    residual_impact: Mapped[int | None] = mapped_column(Integer)
    residual_given: Mapped[int | None] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(EncryptedText("risks.notes"), default="")


class VendorRow(Versioned, Base):
    __tablename__ = "vendors"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(Text)
    service: Mapped[str] = mapped_column(Text, default="")
    data_access: Mapped[str | None] = mapped_column(String(16))
    stops_service: Mapped[bool | None] = mapped_column(Boolean)
    subservice: Mapped[str | None] = mapped_column(String(16))
    criticality: Mapped[str | None] = mapped_column(String(16))
    contract_terms: Mapped[str] = mapped_column(EncryptedText("vendors.contract_terms"), default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    next_review: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(EncryptedText("vendors.notes"), default="")


class VendorReportRow(Versioned, Base):
    """A vendor's own assurance report (SOC 1/2/3) as we reviewed it; its file is an evidence record."""

    __tablename__ = "vendor_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    report_type: Mapped[str | None] = mapped_column(String(16))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date)
    opinion: Mapped[str | None] = mapped_column(String(32))
    exceptions: Mapped[str] = mapped_column(EncryptedText("vendor_reports.exceptions"), default="")
    bridge_letter: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by: Mapped[str] = mapped_column(Text, default="")
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(EncryptedText("vendor_reports.notes"), default="")


class VendorUserControlRow(Base):
    """A control a vendor's report expects of us, in the report's order, and the control of ours that meets it."""

    __tablename__ = "vendor_user_controls"
    report_id: Mapped[int] = mapped_column(ForeignKey("vendor_reports.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))


class IncidentRow(Versioned, Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(EncryptedText("incidents.description"), default="")
    detected_on: Mapped[date | None] = mapped_column(Date)
    classification: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str | None] = mapped_column(String(16))
    security: Mapped[bool | None] = mapped_column(Boolean)
    contained_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    customers_notified: Mapped[bool | None] = mapped_column(Boolean)
    regulators_notified: Mapped[bool | None] = mapped_column(Boolean)
    root_cause: Mapped[str] = mapped_column(EncryptedText("incidents.root_cause"), default="")
    lessons: Mapped[str] = mapped_column(EncryptedText("incidents.lessons"), default="")
    follow_up: Mapped[str] = mapped_column(EncryptedText("incidents.follow_up"), default="")
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))


class ContinuityTestRow(Versioned, Base):
    """A restore test or DR/BCP exercise; RTO and RPO in minutes."""

    __tablename__ = "continuity_tests"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    scenario: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))
    performed_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text, default="")
    rto_target: Mapped[int | None] = mapped_column(Integer)
    rto_achieved: Mapped[int | None] = mapped_column(Integer)
    rpo_target: Mapped[int | None] = mapped_column(Integer)
    rpo_achieved: Mapped[int | None] = mapped_column(Integer)
    issues: Mapped[str] = mapped_column(EncryptedText("continuity_tests.issues"), default="")
    follow_up: Mapped[str] = mapped_column(EncryptedText("continuity_tests.follow_up"), default="")
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))


class MetaRow(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportLayoutRow(Base):
    """One field of a remembered column mapping: for this kind of register with these headers, field <- header."""

    __tablename__ = "import_layouts"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    header: Mapped[str] = mapped_column(Text)


class AuditEntryRow(Base):
    __tablename__ = "audit_entries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(64))
    entity_key: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# Tables whose rows the audit trail does not record: itself, and chunks (covered by their blob's hash).
UNAUDITED_TABLES = frozenset({AuditEntryRow.__tablename__, EvidenceChunkRow.__tablename__})


class PersonRow(Versioned, Base):
    """One person of the roster (an employee or a contractor) with their joiner and leaver checks."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    worker_type: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(Text, default="")
    manager: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    background_check_on: Mapped[date | None] = mapped_column(Date)
    background_check_result: Mapped[str] = mapped_column(Text, default="")
    conduct_acknowledged_on: Mapped[date | None] = mapped_column(Date)
    training_at_hire_on: Mapped[date | None] = mapped_column(Date)
    training_yearly_on: Mapped[date | None] = mapped_column(Date)
    access_granted_on: Mapped[date | None] = mapped_column(Date)
    access_removed_on: Mapped[date | None] = mapped_column(Date)
    equipment_returned_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class PeoplePolicyRow(Versioned, Base):
    """The company's own stated time to remove a leaver's access, in business days after the last day."""

    __tablename__ = "people_policy"
    id: Mapped[int] = mapped_column(primary_key=True)
    removal_days: Mapped[int] = mapped_column(Integer, default=1)


class AccessReviewRow(Versioned, Base):
    """An access review campaign over one system's user list; closed when signed, its PDF an evidence record."""

    __tablename__ = "access_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    system: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    reviewer: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))


class AccessReviewEntryRow(Versioned, Base):
    """One account of a campaign's user list and the reviewer's decision on it."""

    __tablename__ = "access_review_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("access_reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    login: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text, default="")
    admin: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(Text, default="")
    last_login: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))


class PolicyRow(Versioned, Base):
    """A policy: its metadata and the draft being edited (None when there is no draft)."""

    __tablename__ = "policies"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text, default="")
    review_months: Mapped[int] = mapped_column(Integer, default=12)
    criteria: Mapped[str] = mapped_column(Text, default="")  # criterion IDs, comma separated
    template_key: Mapped[str] = mapped_column(Text, default="")
    draft_body: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")


class PolicyVersionRow(Base):
    """A published version of a policy: written once, never updated (a database trigger refuses a changed text)."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("policy_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    approver: Mapped[str] = mapped_column(Text)
    approved_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[str] = mapped_column(String(32))


class AcknowledgementRow(Base):
    """A person's acknowledgement of one version of a policy."""

    __tablename__ = "acknowledgements"
    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"), index=True)
    policy_version: Mapped[int] = mapped_column(Integer)
    person: Mapped[str] = mapped_column(Text)
    acknowledged_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class ToolRunRow(Versioned, Base):
    """One run of a security tool: what it scanned, when its data reflects, its report's hash (the blob kept)."""

    __tablename__ = "tool_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    tool: Mapped[str] = mapped_column(Text)
    tool_version: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text, default="")
    reflects_at: Mapped[str] = mapped_column(String(32))  # ISO date and time, UTC
    sha256: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(Text, default="")
    control_id: Mapped[int | None] = mapped_column(ForeignKey("controls.id", ondelete="SET NULL"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    imported_at: Mapped[str] = mapped_column(String(32))


class FindingRow(Base):
    """One finding of a run: a check on a resource and its status; `criteria` comma separated."""

    __tablename__ = "findings"
    run_id: Mapped[int] = mapped_column(ForeignKey("tool_runs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    check_id: Mapped[str] = mapped_column(Text)
    check_title: Mapped[str] = mapped_column(Text, default="")
    resource: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16), default="")
    criteria: Mapped[str] = mapped_column(Text, default="")
    service: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(EncryptedText("findings.detail"), default="")
