"""Opening a project made with an older schema: backup first, upgrade in one transaction, or nothing at all."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.errors import ProjectFileError
from workbench.services.controls import add_control, list_controls
from workbench.services.project import NewProject, create_project
from workbench.services.session import open_project
from workbench.store import migrate

UPGRADE = '''
"""test upgrade"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("controls") as batch:
        batch.add_column(sa.Column("test_extra", sa.Text(), nullable=True))
    op.execute("UPDATE controls SET test_extra = 'upgraded'")
    {failure}


def downgrade() -> None:
    pass
'''


def _newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str = "") -> None:
    """Point the program at a copy of its migrations plus one more revision."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    upgrade = UPGRADE.format(failure=failure, head=migrate.head_revision())
    (folder / "versions" / "9999_test_upgrade.py").write_text(upgrade)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    migrate._scripts.cache_clear()
    monkeypatch.setattr(migrate, "_scripts", migrate._scripts)


@pytest.fixture(autouse=True)
def _fresh_script_cache():
    migrate._scripts.cache_clear()
    yield
    migrate._scripts.cache_clear()


def _old_project(tmp_path: Path) -> Path:
    path = tmp_path / "old.soc2"
    with create_project(path, NewProject("Old Co")) as project:
        add_control(project, ControlDraft("AC-1", "Access reviews", criteria=("CC6.1",)))
    return path


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_upgrade_backs_up_first_then_migrates_keeping_the_data(tmp_path, monkeypatch, data_dir):
    path = _old_project(tmp_path)
    head = migrate.head_revision()
    _newer_migrations(tmp_path, monkeypatch)
    with open_project(path) as project:
        backup = project.backup_made
        assert [c.ref for c in list_controls(project)] == ["AC-1"]
    assert _revision(path) == "9999"
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT test_extra FROM controls").fetchone() == ("upgraded",)
    assert backup is not None and backup.exists()
    assert backup.parent.parent == data_dir / "backups"
    assert "before-upgrade" in backup.name
    assert _revision(backup) == head


def test_a_failing_upgrade_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = _old_project(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    head = migrate.head_revision()
    _newer_migrations(tmp_path, monkeypatch, failure="raise RuntimeError('disk went away')")
    with pytest.raises(ProjectFileError) as error:
        open_project(path)
    message = str(error.value)
    assert str(path) in message and "upgrade failed" in message and "backup" in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert _revision(path) == head
    assert not Path(f"{path}-wal").exists()


def test_a_project_from_a_newer_program_is_refused_untouched(tmp_path, monkeypatch):
    _newer_migrations(tmp_path, monkeypatch)
    path = tmp_path / "new.soc2"
    create_project(path, NewProject("Future Co")).close()
    assert _revision(path) == "9999"
    monkeypatch.undo()
    migrate._scripts.cache_clear()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ProjectFileError, match="newer version"):
        open_project(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_the_revisions_read_without_alembic_are_alembics_own():
    scripts = migrate._scripts()
    assert migrate.head_revision() == scripts.get_current_head()
    assert migrate.known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_a_newer_revision_added_to_the_folder_becomes_the_head(tmp_path, monkeypatch):
    _newer_migrations(tmp_path, monkeypatch)
    assert migrate.head_revision() == "9999"
    assert "9999" in migrate.known_revisions()
