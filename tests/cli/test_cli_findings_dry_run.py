"""`register import PROJECT findings FILE --dry-run --json`, as a real process: the counts and summary of the import
that follows, nothing written, and a preview of the first rows and the rows with a problem, the rest counted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli_findings import project  # noqa: F401
from tests.cli.test_cli_import import run
from tests.services.test_findings_dry_run import _report, _without
from workbench.services.importers.stream_preview import PREVIEW_ROWS


def _json(tmp_path: Path, *args: object) -> dict:
    result = run(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_dry_run_reports_the_import_to_come_with_a_bounded_preview(tmp_path: Path, project: Path) -> None:  # noqa: F811
    report = tmp_path / "scan.ocsf.json"
    broken = _report(report, 600)
    dry = _json(tmp_path, "register", "import", project.name, "findings", report, "--control", "MON-01", "--dry-run",
                "--json")
    runs = _json(tmp_path, "findings", "runs", project.name, "--json")
    assert runs == []  # nothing written
    real = _json(tmp_path, "register", "import", project.name, "findings", report, "--control", "MON-01", "--json")
    assert _without(dry, "dry_run", "preview", "preview_omitted", "run") == _without(real, "dry_run", "run")
    assert (dry["rows"], dry["skipped"], dry["control"]) == (600, len(broken), "MON-01")
    listed = [int(r["row"]) for r in dry["preview"]]
    assert listed == list(range(1, PREVIEW_ROWS + 1)) + [row for row in broken if row > PREVIEW_ROWS]
    assert dry["preview_omitted"] == 600 - len(listed) > 0
