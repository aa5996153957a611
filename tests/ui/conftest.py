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
