"""Project settings, the system description, the project's copy of the criteria catalog, and metadata."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from workbench.domain.catalog import Catalog, Criterion
from workbench.domain.entities import DESCRIPTION_KEYS, ProjectSettings
from workbench.domain.enums import Category, ReportType
from workbench.store import sql

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the ORM loads with the first session, not with this module

CATEGORY_ORDER = tuple(Category)
# Each repository here reads in plain SQL (or Core), and each write starts with a Session call (get, add), which
# turns a core-first session into the ORM one before any row is made: they are `core_first` (store/core_first.py).
# The row classes are imported by the writes: an import reads settings and criteria before SQLAlchemy is loaded.


def _read(session: Any, statement: str, params: Any = None) -> Any:
    """Run a plain SQL read in the session's transaction, after its pending ORM changes."""
    return sql.run(sql.plain_connection(session, flushed=True), statement, params)


class SettingsRepository:
    """The single project row and its categories in scope."""

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> ProjectSettings:
        """Return the project settings."""
        row = _read(self._session, "SELECT organization, system_name, report_type, period_start, period_end, "
                                   "catalog_name, catalog_version, created_at FROM project WHERE id = 1").first()
        if row is None:
            raise LookupError("the project has no settings row")
        organization, system_name, report_type, period_start, period_end, catalog_name, catalog_version, created = row
        chosen = {category for (category,) in _read(self._session, "SELECT category FROM scope_categories")}
        return ProjectSettings(
            organization=organization,
            system_name=system_name,
            report_type=ReportType(report_type),
            categories=tuple(c for c in CATEGORY_ORDER if c.value in chosen),
            period_start=sql.day(period_start),
            period_end=sql.day(period_end),
            catalog_name=catalog_name,
            catalog_version=catalog_version,
            created_at=datetime.fromisoformat(created) if created else None,
        )

    def save(self, settings: ProjectSettings) -> None:
        """Create or replace the project settings."""
        from sqlalchemy import select

        from workbench.store.schema import ProjectRow, ScopeCategoryRow

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
        from sqlalchemy import select

        from workbench.store.repositories.plain import read, table
        from workbench.store.schema import DescriptionSectionRow

        stored = {row.key: row.text for row in read(self._session, select(table(DescriptionSectionRow)))}
        return {key: stored.get(key, "") for key in DESCRIPTION_KEYS}

    def set(self, key: str, text: str) -> None:
        """Set the text of one section."""
        from workbench.store.schema import DescriptionSectionRow

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
        from workbench.store.schema import CriterionRow

        for criterion in catalog.criteria:
            self._session.add(CriterionRow(
                id=criterion.id, category=criterion.category.value, series=criterion.series,
                series_title=criterion.series_title, summary=criterion.summary, position=criterion.position,
            ))

    def catalog(self, name: str = "", version: str = "") -> Catalog:
        """Return the catalog stored in the project."""
        rows = _read(self._session, "SELECT id, category, series, series_title, summary, position FROM criteria "
                                    "ORDER BY position")
        return Catalog(name, version, tuple(
            Criterion(id_, Category(category), series, series_title, summary, position)
            for id_, category, series, series_title, summary, position in rows
        ))


class MetaRepository:
    """Small named values: remembered choices and program facts."""

    core_first = True

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str, default: str | None = None) -> str | None:
        """Return the value stored under key, or default."""
        value = _read(self._session, "SELECT value FROM meta WHERE key = ?", (key,)).scalar()
        return default if value is None else value

    def set(self, key: str, value: str) -> None:
        """Store value under key."""
        from workbench.store.schema import MetaRow

        row = self._session.get(MetaRow, key)
        if row is None:
            self._session.add(MetaRow(key=key, value=value))
        elif row.value != value:
            row.value = value

    def delete(self, key: str) -> None:
        """Forget the value under key (through the ORM, so the audit trail records the delete)."""
        from workbench.store.schema import MetaRow

        row = self._session.get(MetaRow, key)
        if row is not None:
            self._session.delete(row)
