"""Page modules are imported on the worker a moment after a project opens, without the window looking busy."""

from __future__ import annotations

import sys
import threading

from workbench.ui.operations import Operations
from workbench.ui.page_preload import preload_later

MODULE = "import threading\nTHREAD = threading.get_ident()\n"


def test_modules_are_imported_on_the_worker_in_the_background(qtbot, tmp_path, monkeypatch):
    for name in ("preloaded_one", "preloaded_two", "preloaded_never"):
        (tmp_path / f"{name}.py").write_text(MODULE)
    (tmp_path / "preloaded_broken.py").write_text("raise RuntimeError('broken')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    operations = Operations()
    idle: list[bool] = []
    operations.idle_changed.connect(idle.append)
    # Wanted until the second module is in (as if the project were closed then): the rest is left.
    preload_later(operations, ["preloaded_one", "preloaded_broken", "preloaded_two", "preloaded_never"],
                  lambda: "preloaded_two" not in sys.modules)
    assert "preloaded_one" not in sys.modules  # not at once: a moment after the project opened
    qtbot.waitUntil(lambda: "preloaded_two" in sys.modules, timeout=10_000)
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not operations.busy, timeout=5000)
    try:
        importers = {sys.modules[name].THREAD for name in ("preloaded_one", "preloaded_two")}
        assert threading.get_ident() not in importers  # the worker imported them, not the GUI thread
        assert "preloaded_broken" not in sys.modules  # its failure is left to whoever imports it next
        assert "preloaded_never" not in sys.modules
        assert idle == []  # the window never showed itself busy for it
    finally:
        for name in ("preloaded_one", "preloaded_two"):
            sys.modules.pop(name, None)


def test_work_the_user_asked_for_still_makes_the_window_busy(qtbot):
    operations = Operations()
    idle: list[bool] = []
    operations.idle_changed.connect(idle.append)
    done: list[object] = []
    operations.run(lambda _context: 1, done.append, background=True)
    operations.run(lambda _context: 2, done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5000)
    assert done == [1, 2] and idle == [False, True]
