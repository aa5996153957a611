"""The background worker: results and failures come back on the GUI thread, in order; cancel stops work."""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QThread

from workbench.ui.operations import Operations


def test_results_arrive_on_the_gui_thread_in_submission_order(qtbot):
    operations = Operations()
    seen: list[tuple[int, bool]] = []
    worker_threads: set[int] = set()
    gui_thread = QThread.currentThread()

    def job(n: int):
        def work(_context):
            worker_threads.add(threading.get_ident())
            return n
        return work

    for n in range(5):
        operations.run(job(n), lambda result: seen.append((result, QThread.currentThread() is gui_thread)))
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=5000)
    assert seen == [(n, True) for n in range(5)]
    assert threading.get_ident() not in worker_threads
    assert not operations.busy


def test_a_failure_is_reported_with_its_exception(qtbot):
    operations = Operations()
    failures: list[BaseException] = []

    def work(_context):
        raise ValueError("broken input")

    operations.run(work, lambda _r: None, lambda exc, trace: failures.append(exc))
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], ValueError) and str(failures[0]) == "broken input"


def test_cancel_makes_progress_report_false(qtbot):
    operations = Operations()
    started = threading.Event()
    release = threading.Event()
    outcome: list[object] = []

    def work(context):
        started.set()
        release.wait(5)
        return context.progress(1, 2)

    context = operations.run(work, outcome.append)
    assert started.wait(5)
    context.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == [False]


def test_garbage_is_collected_on_the_gui_thread_between_jobs(qtbot):
    import gc

    operations = Operations()
    assert not gc.isenabled()  # the interpreter no longer starts collections on whichever thread allocates
    collected: list[int] = []
    gc.callbacks.append(lambda phase, info: collected.append(threading.get_ident()) if phase == "start" else None)
    try:
        done: list[object] = []
        for round_number in range(1, 4):
            operations.run(lambda _context: [[] for _ in range(5000)], done.append)
            qtbot.waitUntil(lambda expected=round_number: len(done) == expected, timeout=5000)
    finally:
        gc.callbacks.pop()
    assert collected, "no collection ran between jobs"
    assert set(collected) == {threading.get_ident()}


class _Node:
    """An object that can point at itself (a reference cycle only the cycle collector frees)."""

    me: object = None


def _cycle(_context: object) -> tuple[list[list[int]], weakref.ref]:
    """Make a cycle that is garbage once the job ends, and enough live objects for a collection to be due."""
    node = _Node()
    node.me = node
    return [[] for _ in range(1000)], weakref.ref(node)


def test_a_big_result_is_frozen_unscanned_and_old_cycles_wait_for_a_full_collection(qtbot):
    import gc

    from workbench.ui.operations import SCAN_LIMIT

    operations = Operations()
    done: list[object] = []
    operations.run(_cycle, done.append)
    qtbot.waitUntil(lambda: len(done) == 1, timeout=5000)
    assert done[0][1]() is None  # a job's garbage cycle is collected between jobs
    scans: list[dict] = []
    gc.callbacks.append(lambda phase, info: scans.append(info) if phase == "start" else None)
    try:
        operations.run(lambda _context: [_Node() for _ in range(SCAN_LIMIT + 1000)], done.append)
        qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    finally:
        gc.callbacks.pop()
    assert not scans  # hundreds of thousands of records read are live data: frozen, not scanned
    assert gc.get_freeze_count() >= SCAN_LIMIT + 1000
    kept = done[1]
    kept[0].me = kept[0]
    dead = weakref.ref(kept[0])
    del kept[:], done[:]
    operations.run(lambda _context: [[] for _ in range(1000)], done.append)
    qtbot.waitUntil(lambda: len(done) == 1, timeout=5000)
    assert dead() is not None  # frozen: young collections leave it
    operations.collect_all_soon()  # as when the project closes
    assert dead() is None
