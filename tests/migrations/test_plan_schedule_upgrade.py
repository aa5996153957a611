"""A project made before the plan had durations (schema 0002) keeps its plan through the upgrade to 0003 and on."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from workbench.domain.schedule import Link
from workbench.services.plan import plan_tasks, plan_view
from workbench.services.session import open_project
from workbench.store import migrate

FIXTURES = Path(__file__).with_name("fixtures")


def _project_at_0002(tmp_path):
    """The saved 0002 project file (see make_fixtures.py) with its plan replaced by an old-style one."""
    path = tmp_path / "old-plan.soc2"
    shutil.copyfile(FIXTURES / "project-0002.soc2", path)
    rows = [  # id, key, name, step, start, end, milestone, position
        (1, "scope", "Define scope", 1, "2026-01-05", "2026-01-16", 0, 0),   # two working weeks
        (2, "letter", "Engagement letter signed", 5, "2026-01-19", "2026-01-19", 1, 1),
        (3, "window", "Observation window", 4, "2026-02-02", "2026-07-31", 0, 2),
    ]
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        connection.execute("DELETE FROM plan_dependencies")
        connection.execute("DELETE FROM plan_tasks")
        connection.executemany(
            'INSERT INTO plan_tasks (id, key, name, step, start, "end", milestone, position) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO plan_dependencies (task_id, depends_on_id, lag_days) VALUES (?, ?, ?)",
                               [(2, 1, 0), (3, 2, 3)])
    return path


def test_plan_tasks_survive_the_upgrade_with_their_durations_derived(tmp_path):
    path = _project_at_0002(tmp_path)
    with open_project(path) as project:
        assert project.backup_made is not None
        tasks = {t.key: t for t in plan_tasks(project)}
        with project.uow() as uow:
            stored = {spec.key: (start, end) for spec, start, end in uow.plan.specs()}
            listed = uow.plan.list()
        view = plan_view(project)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.head_revision(),)
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
