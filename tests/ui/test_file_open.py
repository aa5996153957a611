"""A document handed over by the desktop while the program runs (a macOS Finder double-click) opens in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from workbench.ui.file_open import FileOpenHandler


def test_a_file_open_event_opens_the_project(qtbot, window, sample_copy):
    handler = FileOpenHandler(window.open_path, window)
    app = QApplication.instance()
    app.installEventFilter(handler)
    try:
        with qtbot.waitSignal(window.project_loaded, timeout=20_000) as loaded:
            QApplication.sendEvent(app, QFileOpenEvent(QUrl.fromLocalFile(str(sample_copy))))
    finally:
        app.removeEventFilter(handler)
    assert loaded.args[0].settings.organization == "Brightpath Analytics, Inc."
    assert window.windowFilePath() == str(sample_copy)


def test_other_events_and_empty_requests_pass_through(qtbot, window):
    opened: list[object] = []
    handler = FileOpenHandler(opened.append, window)
    assert handler.eventFilter(window, QEvent(QEvent.Type.User)) is False
    assert handler.eventFilter(window, QFileOpenEvent(QUrl())) is False
    assert handler.eventFilter(window, QFileOpenEvent(QUrl.fromLocalFile("/tmp/x.soc2"))) is True
    assert opened == [Path("/tmp/x.soc2")]
