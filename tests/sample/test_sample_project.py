"""The committed sample project is exactly what its deterministic script makes, and it is well along the road."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.sample.conftest import COMMITTED
from workbench.services.integrity import check_project, project_digest
from workbench.services.project import project_status
from workbench.services.session import open_project
from workbench.store.migrate import head_revision

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "sample_projects" / "make_sample.py"


def _digest(path: Path) -> str:
    with open_project(path) as project:
        return project_digest(project)


def test_regenerating_the_sample_gives_the_committed_content(tmp_path, sample):
    rebuilt = tmp_path / "rebuilt.soc2"
    result = subprocess.run([sys.executable, str(SCRIPT), str(rebuilt)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    stale = "sample_projects/brightpath-analytics.soc2 is stale: run python sample_projects/make_sample.py"
    with sqlite3.connect(f"file:{COMMITTED}?mode=ro", uri=True) as committed:
        assert committed.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),), stale
    assert _digest(rebuilt) == _digest(sample), stale


def test_the_sample_is_sound_and_well_along_the_road(sample):
    with open_project(sample) as project:
        assert all(result.ok for result in check_project(project))
        status = project_status(project)
    settings = status.settings
    assert settings.report_type.value == "type2"
    assert [c.value for c in settings.categories] == ["security", "availability", "confidentiality"]
    assert status.criteria.in_scope == 38
    assert status.facts.controls_total >= 40
    assert status.facts.evidence_items >= 20
    assert status.criteria.met > status.criteria.in_scope // 2
    assert status.facts.firm_chosen and status.facts.milestones_total > 0
    # Two evidence records share one stored file: de-duplication is on show.
    with open_project(sample) as project, project.uow() as uow:
        items = uow.evidence.list()
        assert len({e.sha256 for e in items}) < len(items)
        assert len(uow.plan.list()) > 10
        assert len(uow.requests.list()) >= 10


def test_the_sample_holds_type2_testing_and_consistent_criteria(sample):
    with open_project(sample) as project, project.uow() as uow:
        populations = {p.control_ref: p for p in uow.populations.list()}
        assert populations["CM-02"].row_count >= 100 and 20 <= populations["AC-02"].row_count <= 40
        assert all(p.evidence_ids and p.out_of_period == 0 for p in populations.values())
        tested = {s.control_ref: s for s in uow.samples.list()}
        results = [i.result.value for s in tested.values() for i in s.items if i.result is not None]
        assert set(tested) == {"CM-02", "AC-02"} and all(s.seed for s in tested.values())
        assert results.count("exception") == 1 and len(results) == sum(s.size for s in tested.values())
        current = max(uow.reports.list(), key=lambda r: r.id)
        assert [bool(x.management_response) for x in current.exceptions] == [True]
        vendors = [c for c in uow.controls.list() if c.ref.startswith("VN-")]
        assert vendors and all("CC9.2" in c.criteria for c in vendors)
        assert uow.assessments.all()["CC9.2"].status.value != "gap"
        assert all(c.implemented_since for c in uow.controls.list() if c.status.value == "implemented")
