"""Live updates: every committed change on a server is announced (LISTEN/NOTIFY); a rolled-back one is not."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

import pytest

from tests.conftest import DEFAULT_SPEC
from workbench.domain.entities import ControlDraft
from workbench.domain.location import ServerAddress
from workbench.services.controls import add_control
from workbench.services.live import Change, watch_changes
from workbench.services.project import create_project
from workbench.services.session import OpenProject, open_project
from workbench.store.notify import ChangeListener, origin_of

WAIT_S = 10.0


def _next(heard: queue.Queue[Change], timeout: float = WAIT_S) -> Change:
    return heard.get(timeout=timeout)


def _nothing(heard: queue.Queue[Change], wait: float = 0.8) -> bool:
    try:
        heard.get(timeout=wait)
    except queue.Empty:
        return True
    return False


@pytest.fixture
def shared_db(fresh_database: Callable[..., ServerAddress]) -> ServerAddress:
    """A fresh database holding a new project."""
    address = fresh_database()
    create_project(address, DEFAULT_SPEC).close()
    return address


def test_the_listener_hears_a_change_committed_by_another_program(shared_db):
    heard: queue.Queue[Change] = queue.Queue()
    listener = ChangeListener(shared_db, heard.put).start()
    try:
        assert listener.wait_listening(WAIT_S)
        with open_project(shared_db, actor="bo") as other:
            add_control(other, ControlDraft("AC-1", "Access reviews", criteria=("CC6.1",)))
            change = _next(heard)
            assert change.actor == "bo" and change.seq is not None and change.seq > 0
            assert change.origin == origin_of(other.file.engine)
            with other.uow() as uow:
                assert change.seq == uow.audit.count()
    finally:
        listener.stop(wait=True)
    assert not listener.listening


def test_a_rolled_back_change_is_never_announced(shared_db):
    heard: queue.Queue[Change] = queue.Queue()
    listener = ChangeListener(shared_db, heard.put).start()
    try:
        assert listener.wait_listening(WAIT_S)
        with open_project(shared_db, actor="bo") as other:
            with other.uow() as uow:  # flushed, so the audit trail ran its pg_notify; then rolled back
                uow.controls.add(ControlDraft("AC-9", "Never saved", criteria=("CC6.1",)))
                uow.session.flush()
            assert _nothing(heard)
            add_control(other, ControlDraft("AC-2", "Saved", criteria=("CC6.1",)))
            assert _next(heard).actor == "bo"
    finally:
        listener.stop(wait=True)


def test_a_watch_leaves_out_the_programs_own_changes(shared_db):
    heard: queue.Queue[Change] = queue.Queue()
    with open_project(shared_db, actor="ana") as mine, open_project(shared_db, actor="bo") as theirs:
        watch = watch_changes(mine, heard.put)
        assert watch is not None
        try:
            assert watch.wait_listening(WAIT_S)
            add_control(mine, ControlDraft("AC-1", "Mine", criteria=("CC6.1",)))
            assert _nothing(heard)
            add_control(theirs, ControlDraft("AC-2", "Theirs", criteria=("CC6.1",)))
            assert _next(heard).actor == "bo"
        finally:
            watch.stop(wait=True)


def test_a_project_file_needs_no_watching_and_sends_nothing(new_project: OpenProject):
    assert watch_changes(new_project, lambda change: None) is None
    start = time.perf_counter()
    add_control(new_project, ControlDraft("AC-1", "Local", criteria=("CC6.1",)))
    assert time.perf_counter() - start < 5


def test_the_listener_reports_a_server_it_cannot_reach():
    errors: list[str] = []
    listener = ChangeListener(ServerAddress("nobody", "127.0.0.1", 1, "nothing"), lambda c: None,
                              on_error=lambda exc: errors.append(str(exc))).start()
    try:
        deadline = time.monotonic() + WAIT_S
        while not errors and time.monotonic() < deadline:
            time.sleep(0.05)
        assert errors and "cannot reach the server" in errors[0]
        assert not listener.listening
    finally:
        listener.stop(wait=True)


def test_payloads_are_read_even_when_foreign():
    assert Change.parse("1@h#2|ana|17") == Change("1@h#2", "ana", 17)
    assert Change.parse("1@h#2|a|b|x") == Change("1@h#2", "a|b", None)
    assert Change.parse("garbage") == Change("garbage", "", None)
