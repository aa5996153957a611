"""The hash-chained audit trail the store writes for every change, and the checks that notice tampering."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.audit_chain import GENESIS_HASH, first_chain_break
from workbench.domain.entities import AuditEntry, ControlDraft
from workbench.domain.enums import AssessmentStatus, ControlStatus
from workbench.services.controls import add_control, remove_control, update_control
from workbench.services.evidence import EvidenceMeta, add_evidence
from workbench.services.integrity import check_project
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork


def _entries(project: OpenProject) -> list[AuditEntry]:
    with project.uow() as uow:
        return list(uow.audit.entries())


def _problems(project: OpenProject) -> dict[str, str | None]:
    return {result.name: result.problem for result in check_project(project)}


def test_creating_a_project_starts_a_sound_chain(new_project: OpenProject, clock: Any) -> None:
    entries = _entries(new_project)
    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert first_chain_break(entries) is None
    created = {(e.entity, e.entity_key) for e in entries if e.action == "create"}
    assert ("project", "1") in created and ("criteria", "CC1.1") in created and ("criteria", "CC9.2") in created
    assert {e.actor for e in entries} == {"tester"}
    assert {e.at for e in entries} == {clock().isoformat(timespec="seconds")}


def test_create_update_delete_are_recorded_with_before_and_after(
    new_project: OpenProject, clock: Any, reopen: Any
) -> None:
    start = len(_entries(new_project))
    add_control(new_project, ControlDraft("AC-1", "Quarterly access review", owner="Ana", criteria=("CC6.2",)))
    clock.advance(minutes=5)
    update_control(new_project, "AC-1", ControlDraft("AC-1", "Quarterly access review", owner="Ben",
                                                     status=ControlStatus.IMPLEMENTED, criteria=("CC6.2",)))
    clock.advance(minutes=5)
    remove_control(new_project, "AC-1")
    new_project.close()

    with reopen(new_project.path) as project:
        entries = _entries(project)[start:]
        assert first_chain_break(_entries(project)) is None
    summary = [(e.action, e.entity, e.entity_key) for e in entries]
    assert summary == [
        ("create", "controls", "AC-1"),
        ("create", "control_criteria", "1/CC6.2"),
        ("update", "controls", "AC-1"),
        ("delete", "controls", "AC-1"),
        ("delete", "control_criteria", "1/CC6.2"),
    ]
    created, _, updated, deleted, _ = (json.loads(e.summary) for e in entries)
    assert created["after"]["owner"] == "Ana" and created["after"]["title"] == "Quarterly access review"
    assert updated == {"before": {"owner": "Ana", "status": "not_started"},
                       "after": {"owner": "Ben", "status": "implemented"}}
    assert deleted["before"]["owner"] == "Ben"
    assert [e.at for e in entries] == [
        "2026-03-02T09:30:00+00:00", "2026-03-02T09:30:00+00:00", "2026-03-02T09:35:00+00:00",
        "2026-03-02T09:40:00+00:00", "2026-03-02T09:40:00+00:00",
    ]


def test_an_unchanged_save_adds_no_entry(new_project: OpenProject) -> None:
    draft = ControlDraft("AC-1", "Quarterly access review", criteria=("CC6.2",))
    add_control(new_project, draft)
    count = len(_entries(new_project))
    update_control(new_project, "AC-1", draft)
    assert len(_entries(new_project)) == count


def test_a_rolled_back_change_leaves_no_entry(new_project: OpenProject, clock: Any) -> None:
    count = len(_entries(new_project))
    with UnitOfWork(new_project.file) as uow:
        uow.assessments.set("CC1.1", AssessmentStatus.MET, "", clock())
        uow.flush()
        uow.rollback()
    assert len(_entries(new_project)) == count


def test_deleting_a_control_records_the_evidence_it_removes(
    new_project: OpenProject, tmp_path: Path, reopen: Any
) -> None:
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", criteria=("CC7.4",)))
    file = tmp_path / "backup-log.txt"
    file.write_text("2026-02-01 backup ok\n", encoding="utf-8")
    add_evidence(new_project, file, EvidenceMeta("BK-1"))
    start = len(_entries(new_project))
    with new_project.uow() as uow:  # the store cascades; the services refuse a control with evidence
        uow.controls.remove("BK-1")
        uow.commit()
    new_project.close()
    with reopen(new_project.path) as project:
        deleted = [(e.action, e.entity) for e in _entries(project)[start:]]
    assert ("delete", "evidence") in deleted


# -- tampering noticed by `check` ------------------------------------------------------------------------


def test_a_sound_project_passes_every_check(new_project: OpenProject, tmp_path: Path) -> None:
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", criteria=("CC7.4",)))
    file = tmp_path / "log.txt"
    file.write_text("ok\n", encoding="utf-8")
    add_evidence(new_project, file, EvidenceMeta("BK-1"))
    assert _problems(new_project) == {
        "database integrity": None, "evidence hashes": None, "audit trail chain": None,
    }


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE audit_entries SET summary = '{\"after\": {}}' WHERE seq = 3", "audit trail entry 3 ("),
        ("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2", "audit trail entry 2 ("),
        ("UPDATE audit_entries SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 5", "audit trail entry 5 ("),
        ("DELETE FROM audit_entries WHERE seq = 4", "audit trail entry 4 is missing"),
    ],
)
def test_an_edit_of_the_trail_with_plain_sqlite_is_detected(
    closed_project: Path, plain_sql: Callable[..., Any], reopen: Any, statement: str, expected: str
) -> None:
    plain_sql(closed_project, statement)
    with reopen(closed_project) as project:
        problems = _problems(project)
    assert problems["database integrity"] is None
    assert problems["evidence hashes"] is None
    assert problems["audit trail chain"] is not None
    assert problems["audit trail chain"].startswith(expected)


def test_an_edit_of_project_data_with_plain_sqlite_leaves_the_chain_sound_but_the_head_shows_it(
    closed_project: Path, plain_sql: Callable[..., Any], reopen: Any
) -> None:
    # Data edited behind the program's back adds no entry: the head printed in exports stays the same,
    # which is why the trail must be checked against the head an auditor already holds.
    with reopen(closed_project) as project, project.uow() as uow:
        head_before = uow.audit.head()
    plain_sql(closed_project, "UPDATE project SET organization = 'Evil Corp'")
    with reopen(closed_project) as project, project.uow() as uow:
        assert uow.audit.head() == head_before
        assert uow.settings.get().organization == "Evil Corp"


def test_altered_evidence_bytes_are_detected(
    new_project: OpenProject, tmp_path: Path, plain_sql: Callable[..., Any], reopen: Any
) -> None:
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", criteria=("CC7.4",)))
    file = tmp_path / "backup-log.txt"
    file.write_text("2026-02-01 backup ok\n" * 10, encoding="utf-8")
    evidence = add_evidence(new_project, file, EvidenceMeta("BK-1")).value
    new_project.close()
    (data,) = plain_sql(new_project.path, "SELECT data FROM evidence_chunks WHERE blob_sha256 = ? AND seq = 0",
                        (evidence.sha256,))[0]
    forged = data.replace(b"ok", b"KO", 1)
    assert len(forged) == len(data) and forged != data
    plain_sql(new_project.path, "UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ? AND seq = 0",
              (forged, evidence.sha256))
    with reopen(new_project.path) as project:
        problems = _problems(project)
    assert problems["audit trail chain"] is None
    assert problems["evidence hashes"] is not None
    assert "backup-log.txt" in problems["evidence hashes"]
    assert evidence.sha256[:12] in problems["evidence hashes"]


def test_missing_evidence_chunk_is_detected(
    new_project: OpenProject, tmp_path: Path, plain_sql: Callable[..., Any], reopen: Any
) -> None:
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", criteria=("CC7.4",)))
    file = tmp_path / "log.txt"
    file.write_text("ok\n", encoding="utf-8")
    evidence = add_evidence(new_project, file, EvidenceMeta("BK-1")).value
    new_project.close()
    plain_sql(new_project.path, "DELETE FROM evidence_chunks WHERE blob_sha256 = ?", (evidence.sha256,))
    with reopen(new_project.path) as project:
        problem = _problems(project)["evidence hashes"]
    assert problem is not None and "chunk 0 is missing" in problem
