"""One background worker runs project operations in order; results return to the GUI thread by signal.

The worker is a plain Python thread fed by a queue. Finished jobs go back through a second queue, and one
long-lived relay object tells the GUI thread, by an argument-free queued signal, to collect them. No Qt
object is made per operation, and garbage is collected on the GUI thread only, between jobs (see _Collector).
"""

from __future__ import annotations

import gc
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 400
PROGRESS_STEPS = 1000
COLLECT_INTERVAL_MS = 2000  # how often an idle GUI looks whether a garbage collection is due
SCAN_LIMIT = 20_000  # new objects a collection between jobs looks at, at most (see _Collector)
FULL_FLOOR = 1_000_000  # frozen objects below which no full collection is made unless asked for


class _Collector:
    """Runs Python's cycle collector on the GUI thread only, and only while no worker has work.

    Automatic collection can start on any thread that allocates. Started on a worker, it destroyed Qt
    objects off their thread (abort); started on the GUI thread while a worker was inside SQLAlchemy, it
    crashed the worker (SIGSEGV). Both were seen in the test suite. So automatic collection is switched
    off once a worker exists, and the GUI thread collects when every worker is idle.

    A collection stalls the GUI for as long as it takes to scan the objects it looks at (about a millisecond
    per thousand): a project's data is hundreds of thousands of them (every evidence record, expected window,
    gap...), so the old objects are never scanned while the project is worked on. When every worker is idle,
    what the work made since the last time is collected (young objects), unless it is a big read's result (more
    than SCAN_LIMIT objects: live data, not garbage, and a long scan), and then everything still alive is
    frozen (gc.freeze, instant), out of every later collection. The cycles that die after being frozen wait for
    a full collection: when the project is closed, or once the frozen objects have doubled (FULL_FLOOR at least).
    """

    installed = False
    busy = 0
    full_due = False  # a full collection is wanted at the next idle moment
    frozen = 0  # objects frozen so far, counted after a full collection, then added up (some have died since)
    frozen_after_full = 0  # how many objects were frozen right after the last full collection

    @classmethod
    def install(cls) -> None:
        """Take over collection from the interpreter (once per process)."""
        if not cls.installed:
            gc.disable()
            cls.installed = True

    @classmethod
    def work_started(cls) -> None:
        """Note that a worker has work."""
        cls.busy += 1

    @classmethod
    def work_ended(cls) -> None:
        """Note that a worker's job is over; collect if none has work left and a collection is due."""
        cls.busy -= 1
        cls.collect_if_due()

    @classmethod
    def collect_all_soon(cls) -> None:
        """Ask for a full collection, frozen objects included, at the next moment no worker has work."""
        cls.full_due = True
        cls.collect_if_due()

    @classmethod
    def collect_if_due(cls) -> None:
        """Collect, on the calling (GUI) thread, when no worker has work and enough objects were made."""
        if cls.busy:
            return
        if cls.full_due:
            cls._collect_all()
            return
        young = gc.get_count()[0]
        if young < gc.get_threshold()[0]:
            return
        if young <= SCAN_LIMIT:
            gc.collect(0)
        gc.freeze()
        cls.frozen += young
        if cls.frozen > cls._full_limit():
            cls.frozen = gc.get_freeze_count()  # counting walks every frozen object: only now and then
            if cls.frozen > cls._full_limit():
                cls._collect_all()

    @classmethod
    def _full_limit(cls) -> int:
        return max(FULL_FLOOR, 2 * cls.frozen_after_full)

    @classmethod
    def _collect_all(cls) -> None:
        cls.full_due = False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        cls.frozen = cls.frozen_after_full = gc.get_freeze_count()


class _Relay(QObject):
    """Carries 'something happened' from the worker to the GUI thread (queued, no arguments)."""

    finished = Signal()
    progressed = Signal()


class OperationContext:
    """Handed to an operation: report progress, and learn whether the user cancelled."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancelled = threading.Event()
        self.step = 0

    def progress(self, done: int, total: int) -> bool:
        """Report progress; return False once the user has asked to cancel."""
        step = PROGRESS_STEPS * min(done, total) // total if total > 0 else 0
        if step != self.step:
            self.step = step
            self._relay.progressed.emit()
        return not self._cancelled.is_set()

    def cancel(self) -> None:
        """Ask the operation to stop at its next progress report."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """Return True once cancel() was called."""
        return self._cancelled.is_set()


@dataclass(eq=False)
class _Job:
    work: Callable[[OperationContext], Any]
    context: OperationContext
    on_success: Callable[[Any], None] | None = None
    on_failure: Callable[[BaseException, str], None] | None = None
    label: str | None = None
    parent: QWidget | None = None
    dialog: QProgressDialog | None = None
    background: bool = False  # work the user did not ask for: the window does not show itself busy for it
    outcome: tuple[bool, Any, str] = field(default=(False, None, ""))
    settled: threading.Event = field(default_factory=threading.Event)  # set once the worker is done with it


class Operations(QObject):
    """Runs callables on a single worker thread, in submission order."""

    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._todo: queue.Queue[_Job] = queue.Queue()
        self._done: queue.Queue[_Job] = queue.Queue()
        self._pending = 0
        self._shown = 0  # pending jobs the user asked for (not background ones): the window is busy while any is
        self._live: list[_Job] = []
        self._relay = _Relay(self)
        self._relay.finished.connect(self._collect, Qt.ConnectionType.QueuedConnection)
        self._relay.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        _Collector.install()
        self._collect_timer = QTimer(self)
        self._collect_timer.setInterval(COLLECT_INTERVAL_MS)
        self._collect_timer.timeout.connect(_Collector.collect_if_due)
        self._collect_timer.start()
        self._thread = threading.Thread(target=self._serve, name="workbench-operations", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            job = self._todo.get()
            try:
                job.outcome = (True, job.work(job.context), "")
            except BaseException as exc:  # every failure must reach the GUI thread, never vanish here
                job.outcome = (False, exc, traceback.format_exc())
            settled = job.settled
            self._done.put(job)
            # The GUI thread lets go of the job last (_collect waits for `settled`), so what the job holds (its
            # work's widgets, its outcome) is freed there: held here until the next job came, it was freed on
            # this thread, and a widget destroyed off the GUI thread crashed the process (SIGSEGV).
            del job
            self._relay.finished.emit()
            self._todo.task_done()
            settled.set()

    @property
    def busy(self) -> bool:
        """Return True while an operation is queued or running."""
        return self._pending > 0

    def run(
        self,
        work: Callable[[OperationContext], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException, str], None] | None = None,
        *,
        label: str | None = None,
        parent: QWidget | None = None,
        background: bool = False,
    ) -> OperationContext:
        """Queue `work(context)`; call on_success(result) or on_failure(exc, trace) on the GUI thread.

        With a label, a cancellable progress dialog appears if the work lasts longer than a moment. Background work
        (preparing what the user may ask for next) does not make the window look busy (idle_changed).
        """
        job = _Job(work, OperationContext(self._relay), on_success, on_failure, label, parent, background=background)
        self._live.append(job)
        if not background:
            if self._shown == 0:
                self.idle_changed.emit(False)
            self._shown += 1
        self._pending += 1
        _Collector.work_started()
        if label:
            QTimer.singleShot(PROGRESS_DELAY_MS, self._show_dialogs)
        self._todo.put(job)
        return job.context

    def collect_all_soon(self) -> None:
        """Collect every garbage object, long-lived ones included, as soon as no operation is running."""
        _Collector.collect_all_soon()

    def _collect(self) -> None:
        """Hand every finished job's outcome to its callbacks, in order, on the GUI thread."""
        while True:
            try:
                job = self._done.get_nowait()
            except queue.Empty:
                return
            job.settled.wait()  # the worker has let go of it (a moment at most)
            self._live.remove(job)
            if job.dialog is not None:
                job.dialog.hide()
                job.dialog.deleteLater()
                job.dialog = None
            self._pending -= 1
            _Collector.work_ended()
            if not job.background:
                self._shown -= 1
                if self._shown == 0:
                    self.idle_changed.emit(True)
            ok, value, trace = job.outcome
            if ok and job.on_success is not None:
                job.on_success(value)
            elif not ok and job.on_failure is not None:
                job.on_failure(value, trace)

    def _show_dialogs(self) -> None:
        """Give each labelled job still running after the delay its progress dialog."""
        for job in self._live:
            if job.label and job.dialog is None and job.outcome == (False, None, ""):
                job.dialog = self._progress_dialog(job)

    def _progress_dialog(self, job: _Job) -> QProgressDialog:
        assert job.label is not None
        dialog = QProgressDialog(job.label, "Cancel", 0, PROGRESS_STEPS, job.parent)
        dialog.setWindowTitle(job.label)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setValue(job.context.step)
        dialog.canceled.connect(job.context.cancel)
        dialog.show()
        return dialog

    def _show_progress(self) -> None:
        for job in self._live:
            if job.dialog is not None:
                job.dialog.setValue(job.context.step)

    def settle(self, timeout: float | None = None) -> bool:
        """Block until every queued operation has run, then hand their outcomes to their callbacks right away.

        For the moment before a project closes: the edits still on their way are saved, and what their
        callbacks do (put them on the undo stack, report a failure) happens before the caller goes on.
        """
        ran = self.wait(timeout)
        self._collect()
        return ran

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued operation has run (used when quitting); return False on timeout."""
        # Waiting for the job to settle, not merely to run, means the worker has also finished signalling: the
        # caller may then tear Qt down without the worker touching a deleted object.
        self.run(lambda _context: None)
        return self._live[-1].settled.wait(timeout)
