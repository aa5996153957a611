"""The dashboard's first status reads through Core alone: in a fresh process it runs before the row classes are
mapped (store/schema.py map_rows) and without loading SQLAlchemy's ORM, and says exactly what it says once they
are."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_projects" / "brightpath-analytics.soc2"
FIXTURES = ROOT / "tests" / "migrations" / "fixtures"

STATUSES = """
import json, sys
from datetime import date
from workbench.services.project import project_status, status_document
from workbench.services.session import open_project
from workbench.store import schema

today = date(2026, 6, 1)
plain, mapped = [], []
for path in sys.argv[1:]:
    with open_project(path, backup_on_open=False) as project:
        plain.append(status_document(project, project_status(project, today)))
unmapped = not schema._mapped.is_set()
orm_loaded = "sqlalchemy.orm" in sys.modules
schema.map_rows()
for path in sys.argv[1:]:
    with open_project(path, backup_on_open=False) as project:
        mapped.append(status_document(project, project_status(project, today)))
print(json.dumps({"unmapped": unmapped, "orm_loaded": orm_loaded, "plain": plain, "mapped": mapped}))
"""


def _projects(folder: Path) -> list[Path]:
    """Copy the sample and the newest fixtures (every register filled) into `folder`; return the copies."""
    sources = [SAMPLE, *sorted(FIXTURES.glob("project-*.soc2"))[-3:]]
    if not all(source.exists() for source in sources):
        pytest.skip("the sample project or the migration fixtures are missing")
    return [Path(shutil.copy(source, folder / source.name)) for source in sources]


def test_first_status_needs_no_mapped_row_class(tmp_path: Path) -> None:
    projects = _projects(tmp_path)
    # Old fixtures are upgraded as they open (a unit of work each time): open them once here, in this process.
    subprocess.run([sys.executable, "-c", STATUSES, *map(str, projects)], capture_output=True, text=True,
                   timeout=300, cwd=ROOT, check=True)
    result = subprocess.run([sys.executable, "-c", STATUSES, *map(str, projects)], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert found["unmapped"]
    assert not found["orm_loaded"]
    assert found["plain"] == found["mapped"]
    sample = found["plain"][0]
    assert sample["controls"]["total"] > 0 and sample["agenda"] and sample["next_actions"]
