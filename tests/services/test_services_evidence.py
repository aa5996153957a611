"""Step 4: evidence files streamed into the project, content-addressed, de-duplicated, all or nothing."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft
from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.services.controls import add_control
from workbench.services.evidence import Cancelled, EvidenceMeta, add_evidence, list_evidence, read_evidence
from workbench.services.session import OpenProject

MIB = 1 << 20


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.2",)))
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", criteria=("CC7.4",)))
    return new_project


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence-files"
    folder.mkdir()
    return folder


def _counts(path: Path, plain_sql: Callable[..., Any]) -> tuple[int, int, int]:
    return tuple(plain_sql(path, f"SELECT count(*) FROM {table}")[0][0]
                 for table in ("evidence", "evidence_blobs", "evidence_chunks"))  # type: ignore[return-value]


def test_add_from_file_stores_hash_bytes_and_details(project: OpenProject, files: Path, clock: Any,
                                                     reopen: Any) -> None:
    source = files / "Access review Q1.csv"
    content = b"user,role,reviewed\nana,admin,yes\nben,viewer,yes\n"
    source.write_bytes(content)
    meta = EvidenceMeta("AC-1", "", date(2026, 4, 2), date(2026, 1, 1), date(2026, 3, 31), "Okta export", "clean")
    evidence = add_evidence(project, source, meta).value
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    project.close()
    with reopen(project.path) as again:
        (stored,) = list_evidence(again)
        data = b"".join(read_evidence(again, stored.sha256))
    assert data == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert (stored.control_ref, stored.title, stored.filename) == ("AC-1", "Access review Q1", "Access review Q1.csv")
    assert (stored.size, stored.media_type) == (len(content), "text/csv")
    assert (stored.collected_on, stored.period_start, stored.period_end) == (
        date(2026, 4, 2), date(2026, 1, 1), date(2026, 3, 31))
    assert (stored.source, stored.notes) == ("Okta export", "clean")
    assert stored.added_at == clock()


def test_same_bytes_twice_is_one_blob_and_two_records(project: OpenProject, files: Path, reopen: Any,
                                                      plain_sql: Callable[..., Any]) -> None:
    first, second = files / "policy.pdf", files / "policy-copy.pdf"
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40
    first.write_bytes(content)
    second.write_bytes(content)
    a = add_evidence(project, first, EvidenceMeta("AC-1", "Access policy")).value
    b = add_evidence(project, second, EvidenceMeta("BK-1", "Backup policy")).value
    assert a.sha256 == b.sha256 and a.id != b.id
    project.close()
    assert _counts(project.path, plain_sql) == (2, 1, 1)
    with reopen(project.path) as again:
        records = list_evidence(again)
        assert [(e.control_ref, e.title, e.media_type) for e in records] == [
            ("AC-1", "Access policy", "application/pdf"), ("BK-1", "Backup policy", "application/pdf")]
        assert [e.filename for e in list_evidence(again, "BK-1")] == ["policy-copy.pdf"]
        assert b"".join(read_evidence(again, a.sha256)) == content


def test_a_5_mb_file_streams_in_chunks(project: OpenProject, files: Path, reopen: Any,
                                       plain_sql: Callable[..., Any]) -> None:
    content = random.Random(20260302).randbytes(5_000_000)
    source = files / "disk-image.bin"
    source.write_bytes(content)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    evidence = add_evidence(project, source, EvidenceMeta("BK-1"), progress).value
    assert evidence.size == 5_000_000
    assert evidence.media_type == "application/octet-stream"
    # progress: called per chunk on both passes (hash, then store), never going backwards, ending at the total
    assert len(calls) >= 10
    assert {total for _, total in calls} == {10_000_000}
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (10_000_000, 10_000_000)
    project.close()
    chunks = plain_sql(project.path, "SELECT seq, length(data) FROM evidence_chunks WHERE blob_sha256 = ? "
                       "ORDER BY seq", (evidence.sha256,))
    assert [seq for seq, _ in chunks] == [0, 1, 2, 3, 4]
    assert all(size <= MIB for _, size in chunks)
    assert sum(size for _, size in chunks) == 5_000_000
    with reopen(project.path) as again:
        pieces = list(read_evidence(again, evidence.sha256))
    assert len(pieces) == 5
    assert hashlib.sha256(b"".join(pieces)).hexdigest() == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("stop_after", [1, 3])  # 1: during hashing; 3: while storing (2 chunks per pass)
def test_cancelling_saves_nothing(project: OpenProject, files: Path, reopen: Any, plain_sql: Callable[..., Any],
                                  stop_after: int) -> None:
    source = files / "big.bin"
    source.write_bytes(b"\x00\x01" * (MIB + 100))  # two chunks
    calls: list[int] = []

    def progress(done: int, _total: int) -> bool:
        calls.append(done)
        return len(calls) < stop_after

    with project.uow() as uow:
        entries_before = uow.audit.count()
    with pytest.raises(Cancelled):
        add_evidence(project, source, EvidenceMeta("AC-1"), progress)
    assert len(calls) == stop_after
    with project.uow() as uow:
        assert uow.audit.count() == entries_before
    project.close()
    assert _counts(project.path, plain_sql) == (0, 0, 0)
    with reopen(project.path) as again:
        assert list_evidence(again) == []


def test_progress_false_on_the_first_call_cancels(project: OpenProject, files: Path, reopen: Any) -> None:
    source = files / "small.txt"
    source.write_text("tiny\n", encoding="utf-8")
    with pytest.raises(Cancelled):
        add_evidence(project, source, EvidenceMeta("AC-1"), lambda _done, _total: False)
    project.close()
    with reopen(project.path) as again:
        assert list_evidence(again) == []


def test_progress_reaches_the_total_for_a_file_already_stored(project: OpenProject, files: Path) -> None:
    source = files / "policy.txt"
    source.write_text("policy\n" * 100, encoding="utf-8")
    add_evidence(project, source, EvidenceMeta("AC-1"))
    calls: list[tuple[int, int]] = []
    add_evidence(project, source, EvidenceMeta("BK-1"), lambda done, total: calls.append((done, total)) or True)
    done, total = calls[-1]
    assert done == total


def test_empty_file_is_evidence_too(project: OpenProject, files: Path, reopen: Any) -> None:
    source = files / "empty.txt"
    source.write_bytes(b"")
    evidence = add_evidence(project, source, EvidenceMeta("AC-1")).value
    assert evidence.sha256 == hashlib.sha256(b"").hexdigest() and evidence.size == 0
    project.close()
    with reopen(project.path) as again:
        assert b"".join(read_evidence(again, evidence.sha256)) == b""


def test_unknown_control_is_refused_and_nothing_saved(project: OpenProject, files: Path, reopen: Any,
                                                      plain_sql: Callable[..., Any]) -> None:
    source = files / "log.txt"
    source.write_text("ok\n", encoding="utf-8")
    with pytest.raises(NotFoundError, match="does not exist") as caught:
        add_evidence(project, source, EvidenceMeta("NOPE-9"))
    assert caught.value.what == "control NOPE-9"
    project.close()
    assert _counts(project.path, plain_sql) == (0, 0, 0)


def test_missing_file_and_folder_are_refused(project: OpenProject, files: Path) -> None:
    with pytest.raises(WorkbenchError, match="no such file") as caught:
        add_evidence(project, files / "nope.pdf", EvidenceMeta("AC-1"))
    assert caught.value.what == str(files / "nope.pdf")
    with pytest.raises(WorkbenchError, match="is not a file"):
        add_evidence(project, files, EvidenceMeta("AC-1"))


def test_period_ending_before_it_starts_is_refused(project: OpenProject, files: Path) -> None:
    source = files / "log.txt"
    source.write_text("ok\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="ends before it starts"):
        add_evidence(project, source, EvidenceMeta("AC-1", period_start=date(2026, 3, 1),
                                                   period_end=date(2026, 2, 1)))
