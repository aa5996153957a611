"""What a finished job held (the widgets its work refers to, its outcome) is freed on the GUI thread, never the worker.

The worker used to keep its last job until the next one came: a widget whose last reference was that job was then
destroyed on the worker thread, and the process died (SIGSEGV) in the middle of a later test.
"""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from workbench.ui.operations import Operations


class _Noted(QWidget):
    """A widget that notes the thread it is freed on."""

    freed_on: list[str] = []  # noqa: RUF012 (shared on purpose: the instances are gone when it is read)

    def __del__(self) -> None:
        _Noted.freed_on.append(threading.current_thread().name)


def test_a_finished_jobs_widgets_are_freed_on_the_gui_thread(qtbot):
    operations = Operations()
    _Noted.freed_on.clear()
    results: list[str] = []
    for number in range(3):
        widget = _Noted()
        widget.setObjectName(f"widget {number}")
        operations.run(lambda _context, widget=widget: widget.objectName(), results.append)
        del widget
        qtbot.waitUntil(lambda number=number: len(results) == number + 1, timeout=10_000)
    assert results == ["widget 0", "widget 1", "widget 2"]
    assert _Noted.freed_on == [threading.main_thread().name] * 3
