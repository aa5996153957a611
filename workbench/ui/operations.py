"""One background worker runs project operations in order; results return to the GUI thread by signal.

The worker is a plain Python thread fed by a queue. Outcomes are kept as Python attributes and only a
no-argument signal crosses threads, queued to the GUI thread, which then calls the caller's callbacks.
"""

from __future__ import annotations

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
    relay: _Relay
    outcome: tuple[bool, Any, str] = field(default=(False, None, ""))


class Operations(QObject):
    """Runs callables on a single worker thread, in submission order."""

    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._live: set[_Job] = set()
        self._thread = threading.Thread(target=self._serve, name="workbench-operations", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                job.outcome = (True, job.work(job.context), "")
            except BaseException as exc:  # every failure must reach the GUI thread, never vanish here
                job.outcome = (False, exc, traceback.format_exc())
            finally:
                self._queue.task_done()
            job.relay.finished.emit()
        self._queue.task_done()

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
    ) -> OperationContext:
        """Queue `work(context)`; call on_success(result) or on_failure(exc, trace) on the GUI thread.

        With a label, a cancellable progress dialog appears if the work lasts longer than a moment.
        """
        relay = _Relay()
        job = _Job(work, OperationContext(relay), relay)
        dialogs: list[QProgressDialog] = []

        def show_dialog() -> None:
            if job in self._live and label:
                dialogs.append(self._progress_dialog(label, parent, job.context, relay))

        def finished() -> None:
            self._live.discard(job)
            for dialog in dialogs:
                dialog.hide()
                dialog.deleteLater()
            relay.deleteLater()
            self._pending -= 1
            if self._pending == 0:
                self.idle_changed.emit(True)
            ok, value, trace = job.outcome
            if ok and on_success is not None:
                on_success(value)
            elif not ok and on_failure is not None:
                on_failure(value, trace)

        relay.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        self._live.add(job)
        if self._pending == 0:
            self.idle_changed.emit(False)
        self._pending += 1
        if label:
            QTimer.singleShot(PROGRESS_DELAY_MS, show_dialog)
        self._queue.put(job)
        return job.context

    def _progress_dialog(self, label: str, parent: QWidget | None, context: OperationContext,
                         relay: _Relay) -> QProgressDialog:
        dialog = QProgressDialog(label, "Cancel", 0, PROGRESS_STEPS, parent)
        dialog.setWindowTitle(label)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setValue(context.step)
        dialog.canceled.connect(context.cancel)
        relay.progressed.connect(lambda: dialog.setValue(context.step), Qt.ConnectionType.QueuedConnection)
        dialog.show()
        return dialog

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued operation has run (used when quitting); return False on timeout."""
        finished = threading.Event()
        self._queue.put(_Job(lambda _c: finished.set(), OperationContext(_Relay()), _Relay()))
        return finished.wait(timeout)
