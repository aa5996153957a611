"""A project made before the plan had durations (schema 0002) keeps its plan through the upgrade to 0003."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date

import pytest

from workbench.domain.schedule import Link
from workbench.services.plan import plan_tasks, plan_view
from workbench.services.project import NewProject, create_project
from workbench.services.session import open_project
from workbench.store import migrate


@pytest.fixture(autouse=True)
def _fresh_script_cache():
    migrate._scripts.cache_clear()
    yield
    migrate._scripts.cache_clear()


def _project_at_0002(tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "0003_*"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    migrate._scripts.cache_clear()
    path = tmp_path / "old-plan.soc2"
    create_project(path, NewProject("Old Plan Co")).close()
    rows = [  # id, key, name, step, start, end, milestone, position
        (1, "scope", "Define scope", 1, "2026-01-05", "2026-01-16", 0, 0),   # two working weeks
        (2, "letter", "Engagement letter signed", 5, "2026-01-19", "2026-01-19", 1, 1),
        (3, "window", "Observation window", 4, "2026-02-02", "2026-07-31", 0, 2),
    ]
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        connection.executemany(
            'INSERT INTO plan_tasks (id, key, name, step, start, "end", milestone, position) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO plan_dependencies (task_id, depends_on_id, lag_days) VALUES (?, ?, ?)",
                               [(2, 1, 0), (3, 2, 3)])
    monkeypatch.undo()
    migrate._scripts.cache_clear()
    return path


def test_plan_tasks_survive_the_upgrade_with_their_durations_derived(tmp_path, monkeypatch):
    path = _project_at_0002(tmp_path, monkeypatch)
    with open_project(path) as project:
        assert project.backup_made is not None
        tasks = {t.key: t for t in plan_tasks(project)}
        with project.uow() as uow:
            stored = {spec.key: (start, end) for spec, start, end in uow.plan.specs()}
            listed = uow.plan.list()
        view = plan_view(project)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    assert list(tasks) == ["scope", "letter", "window"]
    assert tasks["scope"].duration == 10
    assert tasks["letter"].duration == 0 and tasks["letter"].milestone
    assert tasks["window"].duration == 130   # 2 Feb - 31 Jul 2026: 26 weeks of 5 working days
    assert tasks["window"].depends_on == (Link("letter", 3),)
    assert tasks["scope"].name == "Define scope" and tasks["window"].step == 4
    assert all(t.percent_complete == 0 and t.kind == "" and t.fixed_start is None for t in tasks.values())
    assert stored["scope"] == (date(2026, 1, 5), date(2026, 1, 16))
    assert [t.key for t in listed] == ["scope", "letter", "window"]
    # the old plan can be scheduled straight away: it starts where its first task did
    assert view.schedule is not None
    assert view.schedule.task("scope").start == date(2026, 1, 5)
    assert view.schedule.task("scope").end == date(2026, 1, 16)
    assert view.baseline == {}
