"""A project saved before access review accounts had row versions (schema 0012) keeps its campaign and decisions
through the upgrade (0013), and from then on a decision from a stale read is refused like any other stale edit."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from workbench.domain.access_reviews import Decision
from workbench.domain.errors import ConflictError
from workbench.services.access_reviews import EntryDecision, access_review_register, decide_entry
from workbench.services.integrity import check_project
from workbench.services.session import open_project
from workbench.store import migrate

FIXTURES = Path(__file__).with_name("fixtures")


def _project_at_0012(tmp_path: Path) -> Path:
    """The saved 0012 project (see make_fixtures.py) holding a campaign with one account decided."""
    path = tmp_path / "old-review.soc2"
    shutil.copyfile(FIXTURES / "project-0012.soc2", path)
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0012",)
        connection.execute("INSERT INTO access_reviews (id, ref, system, started_on, source, sha256, reviewer) "
                           "VALUES (1, 'AR-001', 'GitHub', '2026-03-01', 'github.csv', '', '')")
        connection.executemany(
            "INSERT INTO access_review_entries (review_id, position, login, email, name, role, status, decision, "
            "note) VALUES (1, ?, ?, '', '', ?, 'active', ?, ?)",
            [(0, "ann", "Developer", "remove", "left"), (1, "bob", "Owner", None, "")])
    return path


def test_an_old_campaign_upgrades_with_its_decisions_and_then_refuses_a_stale_decision(tmp_path, data_dir):
    path = _project_at_0012(tmp_path)
    with open_project(path) as project:
        assert project.backup_made is not None
        (review,) = access_review_register(project).reviews
        campaign = review.campaign
        assert [(e.login, e.decision, e.note, e.version) for e in campaign.entries] == [
            ("ann", Decision.REMOVE, "left", 1), ("bob", None, "", 1)]
        decide_entry(project, EntryDecision("AR-001", "bob", Decision.KEEP, "owner", campaign.entries[1].version))
        with pytest.raises(ConflictError, match=r"^access review AR-001 account bob : changed by"):
            decide_entry(project, EntryDecision("AR-001", "bob", Decision.REMOVE, "", campaign.entries[1].version))
        (review,) = access_review_register(project).reviews
        assert [(e.login, e.decision) for e in review.campaign.entries] == [
            ("ann", Decision.REMOVE), ("bob", Decision.KEEP)]
        assert [r.problem for r in check_project(project) if not r.ok] == []
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.head_revision(),)
