"""A findings import is streamed: a 200 MB OCSF report imports with peak allocation far below its size, every
finding read back from the project, and undoing the import removes the run, its findings and its evidence."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from tests.services.test_findings_readers import _bench_module
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.findings import import_report, list_runs, run_findings

pytestmark = pytest.mark.file_only("memory of one process importing into a file")


def test_a_200_mb_report_imports_streamed_and_undo_removes_the_run(new_project, tmp_path: Path) -> None:
    add_control(new_project, ControlDraft("MON-01", "Cloud scan review", frequency=Frequency.MONTHLY,
                                          nature=Nature.AUTOMATED, criteria=("CC7.1",)))
    bench = _bench_module()
    path = tmp_path / "large.ocsf.json"
    # About 25 KB a finding: some 8,000 findings, two of the engine's windows of rows.
    count = bench.write_ocsf(path, 0, until_bytes=200 * 2**20, indent=None, long_text=60)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        change = import_report(new_project, path, "MON-01")
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert count > 4_000
    assert peak < size / 8, f"peak allocation {peak / 2**20:.0f} MiB importing {size / 2**20:.0f} MiB"
    assert change.value["rows"] == change.value["created"] == count
    failed = sum(1 for n in range(count) if bench.STATUSES[n % 4] == "FAIL" and n % 50)
    assert change.value["failed"] == failed
    (run,) = list_runs(new_project)
    assert (run.total, run.failed, run.control_ref) == (count, failed, "MON-01")
    findings = run_findings(new_project, run.id)
    assert [f.row for f in findings[:3]] == [1, 2, 3] and findings[-1].row == count
    assert findings[-1].resource == f"arn:aws:{bench.SERVICES[(count - 1) % 8]}:eu-west-1:111122223333:res/{count - 1}"
    assert len(list_evidence(new_project)) == 1

    change.inverse(new_project)
    assert list_runs(new_project) == [] and list_evidence(new_project) == []
