"""One background worker runs project operations in order; results return to the GUI thread by signal."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 400


class OperationContext:
    """Handed to an operation: report progress, and learn whether the user cancelled."""

    def __init__(self, progress_signal: Signal) -> None:
        self._signal = progress_signal
        self._cancelled = threading.Event()

    def progress(self, done: int, total: int) -> bool:
        """Report progress; return False once the user has asked to cancel."""
        self._signal.emit(done, total)
        return not self._cancelled.is_set()

    def cancel(self) -> None:
        """Ask the operation to stop at its next progress report."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """Return True once cancel() was called."""
        return self._cancelled.is_set()


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, work: Callable[[OperationContext], Any], signals: _Signals, context: OperationContext) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._signals, self._context = work, signals, context

    def run(self) -> None:
        try:
            result = self._work(self._context)
        except BaseException as exc:  # every failure must reach the GUI thread, never vanish in the worker
            self._signals.failed.emit(exc, traceback.format_exc())
        else:
            self._signals.succeeded.emit(result)


class Operations(QObject):
    """Runs callables on a single worker thread, in submission order."""

    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._live: set[_Signals] = set()

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
        signals = _Signals()
        context = OperationContext(signals.progress)
        dialog = self._progress_dialog(label, parent, context, signals) if label else None

        def finish() -> None:
            self._live.discard(signals)
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            self._pending -= 1
            if self._pending == 0:
                self.idle_changed.emit(True)

        @Slot(object)
        def succeeded(result: Any) -> None:
            finish()
            if on_success is not None:
                on_success(result)

        @Slot(object, str)
        def failed(exc: BaseException, trace: str) -> None:
            finish()
            if on_failure is not None:
                on_failure(exc, trace)

        signals.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._live.add(signals)
        if self._pending == 0:
            self.idle_changed.emit(False)
        self._pending += 1
        self._pool.start(_Job(work, signals, context))
        return context

    def _progress_dialog(self, label: str, parent: QWidget | None, context: OperationContext,
                         signals: _Signals) -> QProgressDialog:
        dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        dialog.setWindowTitle(label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.canceled.connect(context.cancel)

        def show_progress(done: int, total: int) -> None:
            if total > 0:
                scale = max(1, total // 1_000_000)  # QProgressDialog takes ints; keep large byte counts in range
                dialog.setMaximum(total // scale)
                dialog.setValue(min(done // scale, total // scale))

        signals.progress.connect(show_progress, Qt.ConnectionType.QueuedConnection)
        return dialog

    def wait(self, msecs: int = -1) -> bool:
        """Block until every queued operation has finished (used when quitting)."""
        return self._pool.waitForDone(msecs)
