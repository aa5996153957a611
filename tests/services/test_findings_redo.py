"""Redo of a findings import imports the report's bytes the project kept, not the file on disk: after undo the file
may be moved or changed and redo still brings back the same run, findings and evidence; when the kept bytes cannot
be had, redo is refused with one message and nothing changes."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.services.test_findings_readers import _bench_module
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.findings import import_report, list_runs, run_findings
from workbench.services.session import OpenProject, open_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
MARCH = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)


@pytest.fixture
def monitored(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("MON-01", "Cloud scan review", frequency=Frequency.MONTHLY,
                                          nature=Nature.AUTOMATED, criteria=("CC7.1",)))
    return new_project


def _state(project: OpenProject) -> tuple[Any, ...]:
    """Return what an import left in the project: its run (less its id and import time), findings and evidence."""
    runs = list_runs(project)
    return (tuple((r.run, r.control_ref, r.passed, r.failed, r.manual, r.muted) for r in runs),
            tuple(tuple(run_findings(project, r.id)) for r in runs),
            tuple((e.control_ref, e.title, e.filename, e.sha256, e.period_start, e.source)
                  for e in list_evidence(project)))


def _undated_ocsf(path: Path) -> None:
    """Write an OCSF report without a time of its own (its run reflects the file's date), dated 1 March 2025."""
    bench = _bench_module()
    records = [bench.ocsf_finding(number) for number in range(30)]
    for record in records:
        del record["time"], record["time_dt"]
    path.write_text(json.dumps(records), encoding="utf-8")
    os.utime(path, (MARCH.timestamp(), MARCH.timestamp()))


@pytest.mark.parametrize("then", ["removed", "changed"])
@pytest.mark.parametrize("report", ["prowler_run_2025-01.csv", "undated.ocsf.json"])
def test_redo_imports_the_kept_report_whatever_became_of_the_file(monitored: OpenProject, tmp_path: Path,
                                                                 report: str, then: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where redo copies the kept report to
    path = tmp_path / report
    if report.startswith("undated"):
        _undated_ocsf(path)
    else:
        shutil.copyfile(FIXTURES / report, path)
    change = import_report(monitored, path, "MON-01")
    imported = _state(monitored)
    assert imported[1][0] and imported[2]  # findings, and the run filed as evidence
    undo = change.inverse(monitored)
    assert _state(monitored) == ((), (), ())

    if then == "removed":
        path.unlink()
    else:  # another report under the same name, dated otherwise
        shutil.copyfile(FIXTURES / "prowler_run_2025-02.csv", path)
    redo = undo.inverse(monitored)
    assert _state(monitored) == imported
    assert redo.value["run"] == list_runs(monitored)[0].id
    assert path.exists() is (then == "changed") and list(temporary.iterdir()) == []  # no copy left behind

    again = redo.inverse(monitored).inverse(monitored)  # undo and redo once more
    assert _state(monitored) == imported and again.value["sha256"] == imported[0][0][0].sha256


@pytest.mark.file_only("the kept bytes are damaged in the file itself")
@pytest.mark.parametrize("damage", ["gone", "altered"])
def test_redo_is_refused_when_the_kept_bytes_cannot_be_had(monitored: OpenProject, tmp_path: Path, damage: str,
                                                           plain_sql: Callable[..., Any]) -> None:
    path = tmp_path / "scan.csv"
    shutil.copyfile(FIXTURES / "prowler_run_2025-01.csv", path)
    change = import_report(monitored, path, "MON-01")
    sha256 = change.value["sha256"]
    undo = change.inverse(monitored)
    location = monitored.path
    monitored.close()
    if damage == "gone":
        plain_sql(location, "DELETE FROM evidence_chunks WHERE blob_sha256 = ?", (sha256,))
        plain_sql(location, "DELETE FROM evidence_blobs WHERE sha256 = ?", (sha256,))
    else:
        ((data,),) = plain_sql(location, "SELECT data FROM evidence_chunks WHERE blob_sha256 = ? AND seq = 0",
                               (sha256,))
        plain_sql(location, "UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ? AND seq = 0",
                  (bytes([data[0] ^ 1]) + data[1:], sha256))
    with open_project(location) as again:
        for _attempt in range(2):  # refused each time, the project as the undo left it
            with pytest.raises(WorkbenchError) as refused:
                undo.inverse(again)
            assert str(refused.value).startswith("report scan.csv : cannot be imported again: ")
            assert ("no longer in the project" if damage == "gone" else "no longer match") in str(refused.value)
            assert list_runs(again) == [] and list_evidence(again) == []
    assert path.exists()  # the file on disk was never the fallback

