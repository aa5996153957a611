"""An event-loop probe: how long the GUI thread was kept from its events while one action was handled.

A precise timer fires every TICK_MS on the GUI thread and notes the gap since its last firing; anything longer
than the interval is time the event loop could not answer (the GUI thread busy, or waiting for the interpreter
lock a worker holds). An action is started from the event loop, like a user's click, and the loop runs until
the worker is idle and QUIET_MS have passed with nothing queued: the worst gap in that window is its stall.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

TICK_MS = 2
QUIET_MS = 300  # an action is over once the worker has been idle this long
GIVE_UP_S = 120
KEY_MS = 110  # a quick typist: a key every 110 ms


class StallProbe(QObject):
    """Measures the longest time the event loop went unanswered since the last reset()."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.worst = 0.0
        self.worst_cpu = 0.0  # the GUI thread's own processor time during the worst gap
        self.timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        gap = now - self.last - TICK_MS / 1000
        if gap > self.worst:
            self.worst, self.worst_cpu = gap, cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu

    def reset(self) -> None:
        """Start a new window: forget the worst gap seen so far."""
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.worst = self.worst_cpu = 0.0


class Driver:
    """Runs actions through the event loop and records the worst stall of each (in seconds)."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self.busy = busy  # True while the program's worker has work queued or running
        self.probe = StallProbe()
        self.results: list[dict[str, Any]] = []

    def measure(self, group: str, label: str, steps: list[Callable[[], object]], *, every_ms: int = 0,
                until: Callable[[], bool] = lambda: True) -> float:
        """Run `steps` from the event loop (`every_ms` apart), wait until they are handled; record the worst stall.

        Handled means: every step ran, `until()` holds, the worker is idle and has been for QUIET_MS.
        """
        ran: list[bool] = []
        for number, step in enumerate(steps):
            QTimer.singleShot(number * every_ms, lambda s=step: (s(), ran.append(True)))
        loop = QEventLoop()
        start = time.perf_counter()
        quiet_since = [start]

        def check() -> None:
            now = time.perf_counter()
            if len(ran) < len(steps) or not until() or self.busy():
                quiet_since[0] = now
            elif now - quiet_since[0] >= QUIET_MS / 1000:
                loop.quit()
            if now - start > GIVE_UP_S:
                raise SystemExit(f"error: {group}: {label} : not done after {GIVE_UP_S} s")

        checker = QTimer()
        checker.setInterval(20)
        checker.timeout.connect(check)
        checker.start()
        self.probe.reset()
        loop.exec()
        checker.stop()
        stall = max(self.probe.worst, 0.0)
        self.results.append({"group": group, "label": label, "stall": stall, "cpu": self.probe.worst_cpu})
        return stall


def click(view: QWidget, point: QPoint) -> Callable[[], None]:
    """Return a step that clicks the left button at `point` of a widget."""
    return lambda: QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def click_row(view: QAbstractItemView, row: int, column: int = 0) -> Callable[[], None]:
    """Return a step that clicks a row of a view (scrolled into sight first)."""
    def step() -> None:
        index = view.model().index(row, column)
        view.scrollTo(index)
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         view.visualRect(index).center())
    return step


def key(widget: QWidget, which: Qt.Key, text: str = "") -> Callable[[], None]:
    """Return a step that presses and releases a key in a widget."""
    def step() -> None:
        widget.setFocus()
        if text:
            QTest.keyClicks(widget, text)
        else:
            QTest.keyClick(widget, which)
    return step


def typing(widget: QWidget, word: str) -> list[Callable[[], None]]:
    """Return the steps of typing `word` letter by letter and erasing it again with Backspace."""
    return [key(widget, Qt.Key.Key_unknown, letter) for letter in word] + \
        [key(widget, Qt.Key.Key_Backspace) for _ in word]


def settle(app: QApplication, seconds: float) -> None:
    """Run the event loop for a while (untimed)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    app.processEvents()
