"""Project settings, the system description, the project's copy of the criteria catalog, and metadata."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.domain.catalog import Catalog, Criterion
from workbench.domain.entities import DESCRIPTION_KEYS, ProjectSettings
from workbench.domain.enums import Category, ReportType
from workbench.store.repositories.plain import read, table
from workbench.store.schema import (
    CriterionRow,
    DescriptionSectionRow,
    MetaRow,
    ProjectRow,
    ScopeCategoryRow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

CATEGORY_ORDER = tuple(Category)
# Each repository here reads through Core, and each write starts with a Session call (get, add), which turns a
# core-first session into the ORM one before any row is made: they are `core_first` (store/core_first.py).


class SettingsRepository:
    """The single project row and its categories in scope."""

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> ProjectSettings:
        """Return the project settings."""
        project = table(ProjectRow)
        row = read(self._session, select(project).where(project.c.id == 1)).first()
        if row is None:
            raise LookupError("the project has no settings row")
        chosen = set(read(self._session, select(table(ScopeCategoryRow).c.category)).scalars())
        return ProjectSettings(
            organization=row.organization,
            system_name=row.system_name,
            report_type=ReportType(row.report_type),
            categories=tuple(c for c in CATEGORY_ORDER if c.value in chosen),
            period_start=row.period_start,
            period_end=row.period_end,
            catalog_name=row.catalog_name,
            catalog_version=row.catalog_version,
            created_at=datetime.fromisoformat(row.created_at) if row.created_at else None,
        )

    def save(self, settings: ProjectSettings) -> None:
        """Create or replace the project settings."""
        row = self._session.get(ProjectRow, 1) or ProjectRow(id=1)
        row.organization = settings.organization
        row.system_name = settings.system_name
        row.report_type = settings.report_type.value
        row.period_start = settings.period_start
        row.period_end = settings.period_end
        row.catalog_name = settings.catalog_name
        row.catalog_version = settings.catalog_version
        if settings.created_at is not None:
            row.created_at = settings.created_at.isoformat()
        self._session.add(row)
        wanted = {c.value for c in settings.categories}
        for existing in self._session.scalars(select(ScopeCategoryRow)):
            if existing.category not in wanted:
                self._session.delete(existing)
            wanted.discard(existing.category)
        for category in CATEGORY_ORDER:
            if category.value in wanted:
                self._session.add(ScopeCategoryRow(category=category.value))


class DescriptionRepository:
    """The sections of the system description."""

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def get_all(self) -> dict[str, str]:
        """Return every section's text, '' for sections never written."""
        stored = {row.key: row.text for row in read(self._session, select(table(DescriptionSectionRow)))}
        return {key: stored.get(key, "") for key in DESCRIPTION_KEYS}

    def set(self, key: str, text: str) -> None:
        """Set the text of one section."""
        row = self._session.get(DescriptionSectionRow, key)
        if row is None:
            self._session.add(DescriptionSectionRow(key=key, text=text))
        elif row.text != text:
            row.text = text


class CriteriaRepository:
    """The project's own copy of the criteria catalog."""

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def load(self, catalog: Catalog) -> None:
        """Copy a catalog into the project, replacing nothing (only for a new project)."""
        for criterion in catalog.criteria:
            self._session.add(CriterionRow(
                id=criterion.id, category=criterion.category.value, series=criterion.series,
                series_title=criterion.series_title, summary=criterion.summary, position=criterion.position,
            ))

    def catalog(self, name: str = "", version: str = "") -> Catalog:
        """Return the catalog stored in the project."""
        criteria = table(CriterionRow)
        rows = read(self._session, select(criteria).order_by(criteria.c.position))
        return Catalog(name, version, tuple(
            Criterion(r.id, Category(r.category), r.series, r.series_title, r.summary, r.position) for r in rows
        ))


class MetaRepository:
    """Small named values: remembered choices and program facts."""

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str, default: str | None = None) -> str | None:
        """Return the value stored under key, or default."""
        meta = table(MetaRow).c
        value = read(self._session, select(meta.value).where(meta.key == key)).scalar()
        return default if value is None else value

    def set(self, key: str, value: str) -> None:
        """Store value under key."""
        row = self._session.get(MetaRow, key)
        if row is None:
            self._session.add(MetaRow(key=key, value=value))
        elif row.value != value:
            row.value = value

    def delete(self, key: str) -> None:
        """Forget the value under key (through the ORM, so the audit trail records the delete)."""
        row = self._session.get(MetaRow, key)
        if row is not None:
            self._session.delete(row)
