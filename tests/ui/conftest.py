"""Fixtures for driving the GUI offscreen with pytest-qt."""

from __future__ import annotations

import gc
import os
import queue
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLocale

# Dates on screen follow the user's locale: the tests read them in one known locale, whatever the machine's.
QLocale.setDefault(QLocale("en_GB"))

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"
WORKER_GRACE_S = 30  # how long a worker may go on with a test's job after the test


@pytest.fixture(autouse=True)
def collection_as_the_program_sets_it():
    """Let a UI test run with garbage collection as the program sets it, and put it back afterwards.

    The first Operations of a process switches the interpreter's automatic collection off for good and leaves
    collecting to the GUI thread (workbench.ui.operations._Collector). In the program that is what we want; in
    the test process it would carry over into every test that follows. So once this test and its fixtures are
    done (this fixture is set up first and torn down last), and every worker the test started has finished its
    jobs, what the test left as garbage is collected here, on the GUI thread, and automatic collection is
    switched back on, ready to be taken over again by the next Operations.
    """
    from workbench.ui.operations import Operations, _Collector

    enabled = gc.isenabled()
    queues: list[queue.Queue] = []  # the job queues of the workers this test starts (not the Operations)
    setup = Operations.__init__

    def tracked(self, *args, **kwargs):
        setup(self, *args, **kwargs)
        queues.append(self._todo)

    Operations.__init__ = tracked
    try:
        yield
    finally:
        Operations.__init__ = setup
    deadline = time.monotonic() + WORKER_GRACE_S
    while any(q.unfinished_tasks for q in queues) and time.monotonic() < deadline:
        time.sleep(0.01)
    if any(q.unfinished_tasks for q in queues):
        pytest.fail(f"a job of this test was still running on a worker {WORKER_GRACE_S} s after it ended; "
                    "garbage collection stays off", pytrace=False)
    if _Collector.installed:
        gc.unfreeze()  # what the program froze (see _Collector) is garbage of this test too
        gc.collect()
        _Collector.installed = False
        if enabled:
            gc.enable()


@pytest.fixture
def settings(tmp_path: Path):
    """Program preferences in a throwaway file."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "preferences" / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """A main window that signals failures instead of showing message boxes."""
    from workbench.ui.main_window import MainWindow

    main = MainWindow(settings, interactive=False)
    qtbot.addWidget(main)
    yield main
    main.close()


def open_in(qtbot, window, path: Path) -> None:
    """Open a project in the window and wait until the dashboard shows it."""
    with qtbot.waitSignal(window.project_loaded, timeout=20_000):
        window.open_path(path)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample project, safe to change."""
    import shutil

    target = tmp_path / "sample" / SAMPLE.name
    target.parent.mkdir()
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture
def page_context(qtbot, sample_copy):
    """A PageContext on an open copy of the sample project, as the main window would set it up.

    Failures are signalled (context.failed), not shown. The project is closed after the test.
    """
    from PySide6.QtGui import QUndoStack

    from workbench.services.session import open_project
    from workbench.ui.context import PageContext
    from workbench.ui.operations import Operations

    operations = Operations()
    context = PageContext(operations, QUndoStack(), interactive=False)
    project = open_project(sample_copy)
    context.set_project(project)
    yield context
    context.set_project(None)
    operations.wait(30)
    project.close()


def show_page(qtbot, page) -> None:
    """Show a page and wait until it has loaded its data from the worker."""
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()


def wait_until_idle(qtbot, context) -> None:
    """Wait until every queued operation (edits, undo, redo, reloads) has finished."""
    qtbot.waitUntil(lambda: not context.operations.busy, timeout=20_000)
