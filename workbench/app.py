"""GUI composition root: the application object, settings, the main window, and screenshot mode."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QSettings, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import APP_NAME, __version__, paths
from workbench.ui.file_open import FileOpenHandler
from workbench.ui.main_window import MainWindow
from workbench.ui.project_session import ProjectSession

SCREENSHOT_TIMEOUT_MS = 60_000
Report = Callable[[str], None]  # told what went wrong, as "<what> : <why>"
# The installed .desktop file's id (packaging/linux/): Wayland shows that file's icon, not the window icon.
DESKTOP_FILE_ID = "org.soc2workbench.Workbench"
# Harmless notices of Qt's offscreen platform that would otherwise clutter the terminal.
_QUIET_MESSAGES = ("This plugin does not support",)
STYLE_SHEET = """
QListWidget#navigation { font-size: 11pt; }
QListWidget#navigation::item { padding: 7px 10px; }
QFrame#stepCard { border-radius: 6px; }
"""


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or message.startswith(_QUIET_MESSAGES):
        return
    print(f"qt: {message}", file=sys.stderr)


def xml_is_guarded() -> bool:
    """Return True when defusedxml is installed, so openpyxl refuses XML bombs wherever it reads."""
    return importlib.util.find_spec("defusedxml") is not None


def app_icon() -> QIcon:
    """Return the application icon with every size shipped in resources/icons/app."""
    icon = QIcon()
    for png in sorted((paths.resources_dir() / "icons" / "app").glob("soc2-workbench-*.png")):
        icon.addFile(str(png))
    return icon


def make_application() -> QApplication:
    """Return the QApplication, creating it with the program's identity if needed."""
    if not xml_is_guarded():
        raise SystemExit("error: defusedxml : not installed; reinstall SOC 2 Workbench with its dependencies")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("SOC 2 Workbench")
    app.setDesktopFileName(DESKTOP_FILE_ID)
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    qInstallMessageHandler(_qt_message)
    return app


def make_settings() -> QSettings:
    """Return the program's preferences, kept in the per-user data folder."""
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def run_gui(project: Path | None, page: str = "dashboard", screenshot: Path | None = None, *,
            report: Report) -> int:
    """Open the main window (on a project and page); with `screenshot`, save a picture of it and exit.

    What stops a screenshot ("<what> : <why>") goes to `report`; the command line prints it as its error line.
    """
    app = make_application()
    window = MainWindow(make_settings(), interactive=screenshot is None, session=ProjectSession)
    window.show()
    if screenshot is None:
        file_opener = FileOpenHandler(window.open_path, window)
        app.installEventFilter(file_opener)
        if project is not None:
            window.open_path(project)
        return app.exec()
    return _screenshot(app, window, project, page, screenshot, report)


def _screenshot(app: QApplication, window: MainWindow, project: Path | None, page: str, out: Path,
                report: Report) -> int:
    outcome: list[int] = []

    def capture() -> None:
        window.show_page(page)
        app.processEvents()
        if window.grab().save(str(out), "PNG"):
            print(out)
            outcome.append(0)
        else:
            report(f"{out} : the picture could not be written")
            outcome.append(2)
        app.exit(outcome[-1])

    def failed(message: str) -> None:
        report(message)
        outcome.append(2)
        app.exit(2)

    def timed_out() -> None:
        if not outcome:
            failed(f"{project} : opening took longer than {SCREENSHOT_TIMEOUT_MS // 1000} s")

    def loaded(_status: object) -> None:
        step_page = window.step_pages.get(page)
        if step_page is None or step_page.loaded_once:
            QTimer.singleShot(50, capture)
            return
        step_page.loaded.connect(lambda: QTimer.singleShot(50, capture))
        window.show_page(page)

    window.operation_failed.connect(failed)
    window.project_loaded.connect(loaded)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, timed_out)
    if project is None:
        QTimer.singleShot(50, capture)
    else:
        window.open_path(project)
    code = app.exec()
    window.close()
    return outcome[0] if outcome else code
