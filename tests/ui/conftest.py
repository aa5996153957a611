"""Fixtures for driving the GUI offscreen with pytest-qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"


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
