"""A streamed findings import that fails after several windows were written (a report cut off, or a bad status near
its end) leaves the project as it was: no run, no findings, no evidence, no kept report, a clean check."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.services.test_findings_readers import _bench_module
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.evidence import list_evidence
from workbench.services.findings import import_report, list_runs
from workbench.services.importers.spec import ImportCancelled
from workbench.services.integrity import check_project

FINDINGS = 12_000  # three of the engine's windows of rows


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 3 // 4]


def _bad_status(data: bytes) -> bytes:
    at = data.rfind(b'"status_code": "FAIL"')
    return data[:at] + b'"status_code": "BOGUS"' + data[at + len(b'"status_code": "FAIL"'):]


@pytest.mark.parametrize(("spoil", "said"), [(_cut, "breaks after"), (_bad_status, "status 'BOGUS'")])
def test_a_report_failing_after_windows_were_written_changes_nothing(new_project, tmp_path: Path, spoil, said):
    add_control(new_project, ControlDraft("MON-01", "Cloud scan review", frequency=Frequency.MONTHLY,
                                          nature=Nature.AUTOMATED, criteria=("CC7.1",)))
    whole = tmp_path / "whole.ocsf.json"
    _bench_module().write_ocsf(whole, FINDINGS, indent=None)
    spoiled = tmp_path / "spoiled.ocsf.json"
    spoiled.write_bytes(spoil(whole.read_bytes()))
    with pytest.raises(WorkbenchError) as caught:
        import_report(new_project, spoiled, "MON-01")
    assert str(caught.value).startswith(str(spoiled)) and said in str(caught.value)
    assert list_runs(new_project) == [] and list_evidence(new_project) == []
    assert all(result.ok for result in check_project(new_project))
    with new_project.uow() as uow:
        assert not uow.evidence.has_blob(hashlib.sha256(spoiled.read_bytes()).hexdigest())
    import_report(new_project, whole, "MON-01")
    (run,) = list_runs(new_project)
    assert run.total == FINDINGS


def test_an_import_cancelled_after_a_window_was_written_changes_nothing(new_project, tmp_path: Path):
    report = tmp_path / "large.ocsf.json"
    _bench_module().write_ocsf(report, FINDINGS, indent=None)
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < 5_000  # past the first window of rows

    with pytest.raises(ImportCancelled):
        import_report(new_project, report, progress=progress)
    assert max(seen) >= 5_000 and list_runs(new_project) == []
    with new_project.uow() as uow:
        assert not uow.evidence.has_blob(hashlib.sha256(report.read_bytes()).hexdigest())
