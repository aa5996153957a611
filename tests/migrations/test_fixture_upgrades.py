"""Every released schema version has a saved project file here, and each one migrates to identical data."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from workbench.services.assessment import criteria_in_scope
from workbench.services.controls import list_controls, list_tasks
from workbench.services.engagement import get_engagement, list_requests
from workbench.services.evidence import list_evidence, read_evidence
from workbench.services.integrity import check_project
from workbench.services.plan import list_plan
from workbench.services.project import get_settings
from workbench.services.report import list_report_records, read_report_file
from workbench.services.scope import get_scope
from workbench.services.session import OpenProject, open_project
from workbench.store import migrate

_spec = importlib.util.spec_from_file_location("make_fixtures", Path(__file__).with_name("make_fixtures.py"))
assert _spec is not None and _spec.loader is not None
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

FIXTURES = sorted(make_fixtures.FIXTURES.glob("project-*.soc2"))


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def read_back(project: OpenProject) -> dict[str, Any]:
    """Return everything a user sees of the project, read through the services, in comparable form."""
    scope = get_scope(project)
    evidence = list_evidence(project)
    records = list_report_records(project)
    engagement, milestones = get_engagement(project)
    return {
        "settings": get_settings(project),
        "description": scope.description,
        "components": scope.components,
        "subservices": scope.subservices,
        "cuecs": scope.cuecs,
        "controls": list_controls(project),
        "assessments": [row.assessment for row in criteria_in_scope(project)],
        "tasks": list_tasks(project),
        "evidence": evidence,
        "evidence_bytes": {e.filename: b"".join(read_evidence(project, e.sha256)) for e in evidence},
        "engagement": engagement,
        "milestones": milestones,
        "requests": list_requests(project),
        "reports": records,
        "report_files": [b"".join(read_report_file(project, r.report.id)) for r in records],
        "plan": list_plan(project),
    }


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixtures' content as today's program makes it through its services."""
    path = tmp_path_factory.mktemp("expected") / "expected.soc2"
    make_fixtures.build_head(path)
    with open_project(path, backup_on_open=False) as project:
        return read_back(project)


def test_there_is_one_fixture_per_schema_revision_and_the_newest_is_the_programs_head():
    assert [_revision(path) for path in FIXTURES] == make_fixtures.revisions()
    assert [path.name for path in FIXTURES] == [make_fixtures.fixture_path(r).name for r in make_fixtures.revisions()]
    # A new migration makes this fail until `python tests/migrations/make_fixtures.py` saves its fixture.
    assert _revision(FIXTURES[-1]) == migrate.head_revision()


def test_the_expected_content_is_what_the_fixtures_were_made_with(expected):
    assert expected["evidence_bytes"] == make_fixtures.EVIDENCE
    assert expected["report_files"] == [make_fixtures.REPORT_FILE]
    assert expected["settings"].organization == make_fixtures.ORGANIZATION
    assert [c.ref for c in expected["controls"]] == ["AC-1", "AC-2", "BK-1"]
    assert expected["controls"][0].criteria == ("CC6.1", "CC6.2")
    assert [r.ref for r in expected["requests"]] == ["PBC-1", "PBC-2"]
    assert [t.key for t in expected["plan"]] == ["kickoff", "policies", "window"]
    assert expected["plan"][2].depends_on == ("policies",)
    assert expected["reports"][0].report.exceptions[0].reference == "EX-1"
    assert {a.criterion_id: a.status.value for a in expected["assessments"] if a.status.value != "not_assessed"} == {
        "CC6.1": "met", "CC6.2": "partially_met", "A1.2": "gap"}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_each_saved_version_opens_upgraded_checks_clean_and_holds_identical_data(fixture, tmp_path, expected):
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    old = _revision(path) != migrate.head_revision()
    with open_project(path) as project:
        if old:
            assert project.backup_made is not None and project.backup_made.exists()
            assert _revision(project.backup_made) == _revision(fixture)
        problems = [f"{r.name}: {r.problem}" for r in check_project(project) if not r.ok]
        assert problems == []
        found = read_back(project)
    assert _revision(path) == migrate.head_revision()
    for key in expected:
        assert found[key] == expected[key], key
    # Opened again after its upgrade, the file needs no further work and still reads the same.
    with open_project(path) as project:
        assert project.backup_made is None
        assert read_back(project) == expected


def test_the_saved_fixtures_are_left_untouched_by_the_tests():
    for path in FIXTURES:
        assert [s for s in ("-wal", "-shm", "-journal") if Path(f"{path}{s}").exists()] == []
        assert _revision(path) == path.stem.removeprefix("project-")


def test_remembered_column_layouts_move_from_meta_to_their_own_table(tmp_path):
    """A 0004 project's remembered mappings (JSON in meta) come out of the upgrade as rows of import_layouts."""
    path = tmp_path / "layouts.soc2"
    shutil.copyfile(make_fixtures.fixture_path("0004"), path)
    with closing(sqlite3.connect(path)) as connection:
        connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
            ("import.mapping.abc123", '{"ref": "Ctrl #", "title": "Control Activity"}'),
            ("import.requests.mapping.def456", '{"item": "Request", "ref": "PBC #"}'),
            ("import.mapping.broken", "{not json"),
        ])
        connection.commit()
    with open_project(path) as project, project.uow() as uow:
        assert uow.layouts.all() == [
            ("controls", "abc123", {"ref": "Ctrl #", "title": "Control Activity"}),
            ("requests", "def456", {"item": "Request", "ref": "PBC #"}),
        ]
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT count(*) FROM meta WHERE key LIKE 'import.%'").fetchone() == (0,)
