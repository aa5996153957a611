"""The sample tests read a copy of the committed sample, so that no test run can change the file in the tree (an
open upgrades an older file in place and keeps open-time backups)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

COMMITTED = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """Return a copy of the committed sample project in the test's own folder."""
    return Path(shutil.copy2(COMMITTED, tmp_path / COMMITTED.name))
