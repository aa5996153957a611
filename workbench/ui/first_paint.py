"""What waits for the window's first paint (opening the project given at start-up), and the start-up marks.

The window is drawn before the database layer is imported: the project opens once the window has been painted.
With WORKBENCH_STARTUP_MARKS naming a file, start-up appends a line `<mark> <seconds since the epoch>` to it for
each mark (first_paint, data), and `cpu_<mark> <CPU seconds of the process so far>`; bench/startup_bench.py reads
them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

MARKS_VARIABLE = "WORKBENCH_STARTUP_MARKS"
# A window that is never exposed (shown minimised, say) gets no paint: the project opens anyway after this.
FALLBACK_MS = 1000


def mark(name: str) -> None:
    """Append `name` and the time now to the marks file, when WORKBENCH_STARTUP_MARKS names one."""
    target = os.environ.get(MARKS_VARIABLE)
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as marks:
            marks.write(f"{name} {time.time():.6f}\ncpu_{name} {time.process_time():.6f}\n")
    except OSError:
        pass  # a mark the bench cannot have is no reason to stop the program


class FirstPaint(QObject):
    """Runs `then` once, just after the window's first paint has finished (or after FALLBACK_MS without one)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the window's first paint, run the callback once that paint is over (its children drawn too)."""
        if watched is self._window and event.type() == QEvent.Type.Paint and self._then is not None:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._painted)
        return False

    def _painted(self) -> None:
        if self._then is not None:
            mark("first_paint")
        self._run()

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._window.removeEventFilter(self)
            then()
