"""A dry run of a findings import is streamed: its counts and summary are the real import's, nothing is written, and
its per-row preview lists the first rows and the rows with a problem, saying how many it leaves out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.services.test_findings_readers import _bench_module
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.findings import import_report, list_runs
from workbench.services.importers import stream_preview
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import FINDINGS
from workbench.services.session import OpenProject

COUNT = 9_000  # more than two of the engine's windows of rows (stream.WINDOW_ROWS)
NO_CHECK = 7  # every 50th finding from this one on has no check: a problem row


def _report(path: Path, count: int = COUNT) -> list[int]:
    """Write an OCSF report of `count` findings, some without a check; return those rows (1-based)."""
    bench = _bench_module()
    records, broken = [], []
    for number in range(count):
        record = bench.ocsf_finding(number)
        record["finding_info"]["desc"] = ""
        if number % 50 == NO_CHECK:
            record["metadata"]["event_code"] = record["finding_info"]["uid"] = ""
            broken.append(number + 1)
        records.append(record)
    path.write_text(json.dumps(records), encoding="utf-8")
    return broken


def _without(document: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in document.items() if name not in names}


@pytest.fixture
def monitored(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("MON-01", "Cloud scan review", frequency=Frequency.MONTHLY,
                                          nature=Nature.AUTOMATED, criteria=("CC7.1",)))
    return new_project


def test_the_dry_run_reports_what_the_import_does_and_lists_a_bounded_preview(monitored: OpenProject,
                                                                              tmp_path: Path) -> None:
    path = tmp_path / "scan.ocsf.json"
    broken = _report(path)
    dry = import_register(monitored, FINDINGS, path, dry_run=True, details=(("control", "MON-01"),))
    assert list_runs(monitored) == [] and list_evidence(monitored) == []  # nothing written

    real = import_report(monitored, path, "MON-01").value
    assert dry["dry_run"] is True and real["dry_run"] is False
    assert dry["rows"] == COUNT and dry["skipped"] == len(broken) and dry["created"] == COUNT - len(broken)
    assert dry["failed"] > 0 and dry["muted"] > 0 and dry["criteria"] and dry["control"] == "MON-01"
    assert _without(dry, "dry_run", "preview", "preview_omitted", "run") == _without(real, "dry_run", "run")
    assert [p["row"] for p in dry["problems"]] == broken

    first = stream_preview.PREVIEW_ROWS
    listed = [int(r["row"]) for r in dry["preview"]]
    later_problems = [row for row in broken if row > first]
    assert listed == list(range(1, first + 1)) + later_problems
    assert dry["preview_omitted"] == COUNT - len(listed)
    assert {r["action"] for r in dry["preview"][first:]} == {"problem"}


def test_the_preview_lists_problem_rows_up_to_a_cap(new_project: OpenProject, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "scan.ocsf.json"
    broken = _report(path, 2_000)
    monkeypatch.setattr(stream_preview, "PREVIEW_ROWS", 10)
    monkeypatch.setattr(stream_preview, "PROBLEM_ROWS", 5)
    dry = import_register(new_project, FINDINGS, path, dry_run=True)
    assert [int(r["row"]) for r in dry["preview"]] == list(range(1, 11)) + [row for row in broken if row > 10][:5]
    assert dry["preview_omitted"] == 2_000 - 15
    assert len(dry["problems"]) == len(broken)  # every problem is still reported, as the import reports them


def test_a_dry_run_with_an_unknown_control_is_refused_as_the_import_is(new_project: OpenProject,
                                                                      tmp_path: Path) -> None:
    path = tmp_path / "scan.ocsf.json"
    _report(path, 20)
    with pytest.raises(WorkbenchError, match="--control 'NOPE' is not a control of this project"):
        import_register(new_project, FINDINGS, path, dry_run=True, details=(("control", "NOPE"),))
    assert list_runs(new_project) == []
