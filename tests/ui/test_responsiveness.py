"""On a 2,000-control project, opening it and visiting every page never freezes the window."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from tests.fixtures.large_project import make_large_project
from tests.ui.conftest import open_in

# Generous on purpose: this catches work done on the GUI thread (seconds), not slow machines.
LONGEST_ACCEPTABLE_STALL_S = 1.0


@pytest.fixture(scope="module")
def large_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_large_project(tmp_path_factory.mktemp("large") / "large.soc2", controls=2000)


class StallMeter:
    """Ticks every 10 ms on the GUI thread and remembers the longest gap between ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


def test_pages_load_in_the_background_on_a_large_project(qtbot, window, large_project):
    window.show()
    meter = StallMeter()
    open_in(qtbot, window, large_project)
    assert window.status.facts.controls_total == 2000
    for name, page in window.step_pages.items():
        if page.loaded_once:
            continue
        with qtbot.waitSignal(page.loaded, timeout=60_000):
            assert window.show_page(name)
    qtbot.wait(50)
    meter.stop()
    assert meter.longest < LONGEST_ACCEPTABLE_STALL_S, f"the GUI thread stalled for {meter.longest:.2f} s"
