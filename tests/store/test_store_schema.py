"""The row classes' tables, built with Core as each class is defined (store/schema.py), are the tables the
migrations build: the same columns, types, nullability, indexes and unique constraints, as Alembic compares them."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from workbench.services.session import open_project
from workbench.store.schema import Base, ControlRow, EvidenceRow, map_rows

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"


def test_the_declared_tables_are_the_migrated_ones(tmp_path: Path) -> None:
    project = Path(shutil.copy(SAMPLE, tmp_path / SAMPLE.name))
    open_project(project, backup_on_open=False).close()  # upgraded to the newest schema if the sample is older
    engine = create_engine(f"sqlite:///{project}")
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                           Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_declared_columns_follow_their_annotations() -> None:
    controls = ControlRow.__table__.c
    assert not controls.title.nullable and controls.frequency.nullable and controls.retired_on.nullable
    assert not controls.version.nullable and controls.version.server_default.arg == "1"
    assert list(controls.keys())[-1] == "version"  # a versioned row's counter comes last, as declarative put it
    # A foreign key without a type takes the type of the column it refers to.
    assert str(EvidenceRow.__table__.c.blob_sha256.type) == "VARCHAR(64)"


def test_mapped_rows_have_their_relationships_and_version_counters() -> None:
    map_rows()
    control = ControlRow(ref="AC-01", title="SSO", status="implemented")
    assert control.criteria == [] and control.evidence == []  # relationships to lists of the annotated classes
    mapper = ControlRow.__mapper__  # type: ignore[attr-defined]
    assert mapper.version_id_col is ControlRow.__table__.c.version
    assert EvidenceRow.__mapper__.relationships["control"].mapper.class_ is ControlRow  # type: ignore[attr-defined]
