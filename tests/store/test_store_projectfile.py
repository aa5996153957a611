"""The .soc2 project file: create, open, lock, refuse what is not a sound project of ours, back up, close."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.enums import AssessmentStatus, Category
from workbench.domain.errors import ProjectFileError, ProjectLockedError, WorkbenchError
from workbench.services.assessment import assess
from workbench.services.project import NewProject, get_settings
from workbench.services.session import OpenProject, open_project
from workbench.store import ProjectFile, UnitOfWork
from workbench.store import migrate as migrate_module
from workbench.store.projectfile import APPLICATION_ID

TRY_OPEN = """
import sys
from workbench.domain.errors import ProjectFileError, ProjectLockedError
from workbench.store import ProjectFile
try:
    ProjectFile.open(sys.argv[1]).close()
except ProjectLockedError as exc:
    print("LOCKED", exc)
except ProjectFileError as exc:
    print("REFUSED", exc)
else:
    print("OPENED")
"""


def open_in_other_process(path: Path) -> str:
    """Try to open the project from a separate Python process; return its one-word verdict and message."""
    result = subprocess.run([sys.executable, "-c", TRY_OPEN, str(path)], capture_output=True, text=True,
                            timeout=60, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# -- create, open, close ---------------------------------------------------------------------------------


def test_created_project_reopens_with_its_settings(new_project: OpenProject, reopen: Any) -> None:
    new_project.close()
    with reopen(new_project.path) as project:
        settings = get_settings(project)
    assert settings.organization == "Acme Ltd"
    assert settings.system_name == "Acme Cloud"
    assert (settings.period_start, settings.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert settings.categories == (Category.SECURITY,)


def test_after_close_only_the_one_file_remains(new_project: OpenProject, project_dir: Path) -> None:
    assess(new_project, "CC1.1", AssessmentStatus.MET)
    new_project.close()
    assert sorted(os.listdir(project_dir)) == ["acme.soc2"]


def test_reopen_and_close_again_leaves_one_file(closed_project: Path, project_dir: Path, reopen: Any) -> None:
    with reopen(closed_project) as project:
        assess(project, "CC2.1", AssessmentStatus.GAP)
    assert sorted(os.listdir(project_dir)) == ["acme.soc2"]


def test_application_id_marks_the_file(closed_project: Path, plain_sql: Callable[..., Any]) -> None:
    assert plain_sql(closed_project, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert APPLICATION_ID == 0x534F4332


def test_foreign_keys_are_enforced(new_project: OpenProject, clock: Any, reopen: Any) -> None:
    with new_project.uow() as uow:
        assert uow.session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        uow.assessments.set("ZZ9.9", AssessmentStatus.MET, "", clock())
        with pytest.raises(WorkbenchError, match="conflicts with existing data"):
            uow.commit()
    new_project.close()
    with reopen(new_project.path) as project, project.uow() as uow:
        assert uow.assessments.all() == {}


def test_uncommitted_changes_are_thrown_away(new_project: OpenProject, clock: Any, reopen: Any) -> None:
    with new_project.uow() as uow:
        entries_before = uow.audit.count()
        uow.assessments.set("CC1.1", AssessmentStatus.MET, "", clock())
        uow.flush()
    new_project.close()
    with reopen(new_project.path) as project, project.uow() as uow:
        assert uow.assessments.all() == {}
        assert uow.audit.count() == entries_before


def test_create_refuses_an_existing_path_and_leaves_it_untouched(
    project_dir: Path, fingerprint: Callable[[Path], Any], clock: Any
) -> None:
    target = project_dir / "taken.soc2"
    target.write_bytes(b"someone else's document")
    before = fingerprint(target)
    populated: list[ProjectFile] = []
    with pytest.raises(ProjectFileError, match="already exists") as caught:
        ProjectFile.create(target, populated.append, clock=clock)
    assert caught.value.what == str(target)
    assert populated == []
    assert fingerprint(target) == before
    assert sorted(os.listdir(project_dir)) == ["taken.soc2"]


def test_create_refuses_a_missing_folder(tmp_path: Path, clock: Any) -> None:
    target = tmp_path / "no-such-folder" / "x.soc2"
    with pytest.raises(ProjectFileError, match="folder does not exist"):
        ProjectFile.create(target, lambda _file: None, clock=clock)
    assert not target.parent.exists()


def test_create_leaves_no_temporary_files(new_project: OpenProject, project_dir: Path) -> None:
    new_project.close()
    assert sorted(os.listdir(project_dir)) == ["acme.soc2"]


# -- one writer ------------------------------------------------------------------------------------------


def test_second_open_in_the_same_process_is_refused(new_project: OpenProject) -> None:
    with pytest.raises(ProjectLockedError, match="already open") as caught:
        ProjectFile.open(new_project.path)
    assert caught.value.what == str(new_project.path)


def test_second_open_from_another_process_is_refused(new_project: OpenProject) -> None:
    assess(new_project, "CC1.1", AssessmentStatus.MET)  # the lock must hold after writes too
    verdict = open_in_other_process(new_project.path)
    assert verdict.startswith("LOCKED") and "already open" in verdict


def test_after_the_first_closes_the_file_opens_again(new_project: OpenProject, reopen: Any) -> None:
    with pytest.raises(ProjectLockedError):
        ProjectFile.open(new_project.path)
    new_project.close()
    assert open_in_other_process(new_project.path) == "OPENED"
    with reopen(new_project.path) as project:
        assert get_settings(project).organization == "Acme Ltd"


def test_a_refused_second_open_does_not_release_the_lock(new_project: OpenProject) -> None:
    with pytest.raises(ProjectLockedError):
        ProjectFile.open(new_project.path)
    verdict = open_in_other_process(new_project.path)
    assert verdict.startswith("LOCKED"), verdict


# -- refusing what is not a sound project of ours ----------------------------------------------------------


def _make_missing(folder: Path, _base: Path) -> Path:
    return folder / "missing.soc2"


def _make_folder(folder: Path, _base: Path) -> Path:
    path = folder / "folder.soc2"
    path.mkdir()
    return path


def _make_empty(folder: Path, _base: Path) -> Path:
    path = folder / "empty.soc2"
    path.write_bytes(b"")
    return path


def _make_text(folder: Path, _base: Path) -> Path:
    path = folder / "notes.soc2"
    path.write_text("These are meeting notes, not a project.\n" * 20, encoding="utf-8")
    return path


def _make_foreign(folder: Path, _base: Path) -> Path:
    path = folder / "foreign.soc2"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO customers (name) VALUES ('Globex')")
    connection.commit()
    connection.close()
    return path


def _make_damaged(folder: Path, base: Path, damage: Callable[[Path], None]) -> Path:
    path = folder / "damaged.soc2"
    path.write_bytes(base.read_bytes())
    damage(path)
    return path


def _make_newer(folder: Path, base: Path) -> Path:
    path = folder / "newer.soc2"
    path.write_bytes(base.read_bytes())
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    return path


def _make_ours_but_empty(folder: Path, _base: Path) -> Path:
    path = folder / "hollow.soc2"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.commit()
    connection.close()
    return path


REFUSALS = {
    "missing": (_make_missing, "no such file"),
    "folder": (_make_folder, "is a folder"),
    "empty": (_make_empty, "is empty"),
    "text": (_make_text, "not a SOC 2 Workbench project"),
    "foreign": (_make_foreign, "is an SQLite database but not a SOC 2 Workbench project"),
    "damaged": (_make_damaged, "is damaged"),
    "newer": (_make_newer, "newer version of SOC 2 Workbench"),
    "ours-but-empty": (_make_ours_but_empty, "no schema version"),
}


@pytest.fixture
def refused_file(request: pytest.FixtureRequest, closed_project: Path, tmp_path: Path,
                 damage: Callable[[Path], None]) -> tuple[Path, str]:
    maker, phrase = REFUSALS[request.param]
    folder = tmp_path / "refused"
    folder.mkdir()
    path = maker(folder, closed_project, damage) if maker is _make_damaged else maker(folder, closed_project)
    return path, phrase


@pytest.mark.parametrize("refused_file", list(REFUSALS), indirect=True)
def test_open_refuses_with_a_message_naming_the_file(refused_file: tuple[Path, str], data_dir: Path) -> None:
    path, phrase = refused_file
    with pytest.raises(ProjectFileError) as caught:
        ProjectFile.open(path)
    assert caught.value.what == str(path)
    assert str(path) in str(caught.value)
    assert phrase in caught.value.why
    assert not isinstance(caught.value, ProjectLockedError)
    assert not (data_dir / "backups").exists(), "a refused file must not be backed up or upgraded"


@pytest.mark.parametrize(
    "refused_file", [k for k in REFUSALS if k not in ("folder", "ours-but-empty")], indirect=True
)
def test_open_leaves_a_refused_file_exactly_as_it_was(
    refused_file: tuple[Path, str], fingerprint: Callable[[Path], Any]
) -> None:
    path, _ = refused_file
    before = fingerprint(path)
    listing = sorted(os.listdir(path.parent))
    with pytest.raises(ProjectFileError):
        ProjectFile.open(path)
    assert fingerprint(path) == before
    assert sorted(os.listdir(path.parent)) == listing
    assert path.exists() == (before is not None), "opening a missing file must not create it"


def test_open_leaves_a_refused_folder_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "folder.soc2"
    folder.mkdir()
    with pytest.raises(ProjectFileError, match="folder"):
        ProjectFile.open(folder)
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert sorted(os.listdir(tmp_path)) == ["folder.soc2"]


@pytest.mark.parametrize("refused_file", ["ours-but-empty"], indirect=True)
def test_refusing_an_ours_but_empty_file_leaves_its_bytes(
    refused_file: tuple[Path, str], fingerprint: Callable[[Path], Any]
) -> None:
    path, _ = refused_file
    before = fingerprint(path)
    with pytest.raises(ProjectFileError, match="no schema version"):
        ProjectFile.open(path)
    assert fingerprint(path) == before


def test_a_damaged_project_fails_quick_check_not_the_header(closed_project: Path, tmp_path: Path,
                                                            damage: Callable[[Path], None]) -> None:
    # Guard for the fixture itself: the header is still ours, so the refusal comes from the integrity check.
    path = tmp_path / "copy.soc2"
    path.write_bytes(closed_project.read_bytes())
    damage(path)
    header = path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    with pytest.raises(ProjectFileError, match="is damaged"):
        ProjectFile.open(path)


# -- backups ---------------------------------------------------------------------------------------------


def test_backup_to_makes_one_file_with_the_same_data(new_project: OpenProject, tmp_path: Path,
                                                     reopen: Any) -> None:
    assess(new_project, "CC6.1", AssessmentStatus.PARTIALLY_MET, "MFA on the console only")
    target_dir = tmp_path / "copies"
    copy = new_project.file.backup_to(target_dir / "acme-copy.soc2")
    assert copy == target_dir / "acme-copy.soc2"
    assert sorted(os.listdir(target_dir)) == ["acme-copy.soc2"]
    assess(new_project, "CC6.2", AssessmentStatus.MET)  # the original stays open and usable
    with reopen(copy) as project:
        assert get_settings(project).organization == "Acme Ltd"
        with project.uow() as uow:
            judged = uow.assessments.all()
            catalog_size = len(uow.criteria.catalog())
        assert list(judged) == ["CC6.1"]
        assert judged["CC6.1"].status is AssessmentStatus.PARTIALLY_MET
        assert judged["CC6.1"].note == "MFA on the console only"
        assert catalog_size == 61
    assert sorted(os.listdir(target_dir)) == ["acme-copy.soc2"]


def test_backup_to_refuses_an_existing_file(new_project: OpenProject, tmp_path: Path,
                                            fingerprint: Callable[[Path], Any]) -> None:
    existing = tmp_path / "existing.soc2"
    existing.write_bytes(b"keep me")
    before = fingerprint(existing)
    with pytest.raises(ProjectFileError, match="already exists") as caught:
        new_project.file.backup_to(existing)
    assert caught.value.what == str(existing)
    assert fingerprint(existing) == before


def test_backup_to_refuses_the_open_project_itself(new_project: OpenProject) -> None:
    with pytest.raises(ProjectFileError):
        new_project.file.backup_to(new_project.path)


def test_schema_upgrade_on_open_takes_a_backup_first(
    closed_project: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    # Pretend this program knows a newer schema revision, so the file on disk looks one version old.
    current = migrate_module.head_revision()
    monkeypatch.setattr(migrate_module, "head_revision", lambda: "9000")
    monkeypatch.setattr(migrate_module, "known_revisions", lambda: {current, "9000"})
    project = open_project(closed_project, clock=clock)
    try:
        backup = project.backup_made
    finally:
        project.close()
    assert backup is not None
    assert backup.parent.parent == data_dir / "backups"
    assert backup.parent.name.startswith("acme-")
    assert backup.name == "acme-20260302-093000-before-upgrade.soc2"
    assert sorted(os.listdir(backup.parent)) == [backup.name]  # one backup per open: no open-time one as well
    monkeypatch.undo()
    with open_project(backup, clock=clock) as copy:
        assert get_settings(copy).organization == "Acme Ltd"


def test_open_without_upgrade_makes_no_before_upgrade_backup(closed_project: Path, data_dir: Path,
                                                             reopen: Any) -> None:
    with reopen(closed_project) as project:
        assert project.backup_made is None
    # Only the open-time backup (tests/safety/test_backups.py) is taken.
    assert [p.name for p in (data_dir / "backups").glob("*/*")] == ["acme-20260302-093000-on-open.soc2"]


def test_a_project_created_by_file_level_api_is_usable(project_dir: Path, clock: Any, reopen: Any) -> None:
    def populate(file: ProjectFile) -> None:
        with UnitOfWork(file) as uow:
            uow.meta.set("greeting", "hello")
            uow.commit()

    path = project_dir / "raw.soc2"
    ProjectFile.create(path, populate, clock=clock, actor="builder").close()
    assert sorted(os.listdir(project_dir)) == ["raw.soc2"]
    with ProjectFile.open(path, clock=clock) as file, UnitOfWork(file) as uow:
        assert uow.meta.get("greeting") == "hello"
        entries = list(uow.audit.entries())
    assert [(e.action, e.entity, e.entity_key, e.actor) for e in entries] == [
        ("create", "meta", "greeting", "builder")
    ]


def test_new_project_spec_with_other_categories_round_trips(make_project: Callable[..., OpenProject],
                                                            project_dir: Path, reopen: Any) -> None:
    spec = NewProject("Globex", categories=(Category.PRIVACY, Category.CONFIDENTIALITY))
    path = project_dir / "globex.soc2"
    make_project(path, spec).close()
    with reopen(path) as project:
        assert get_settings(project).categories == (Category.SECURITY, Category.CONFIDENTIALITY, Category.PRIVACY)
