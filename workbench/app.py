"""GUI composition root: the application object, settings, the main window, and screenshot mode.

Start-up draws the window first (with the dashboard's frame when a project is named) and opens the project once
it has been painted: the database layer loads on the worker then, never before the first paint.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from workbench import APP_NAME, __version__, paths
from workbench.domain.location import ServerAddress
from workbench.ui.first_paint import FirstPaint, mark
from workbench.ui.main_window import MainWindow
from workbench.ui.qt_messages import QtMessages

SCREENSHOT_TIMEOUT_MS = 60_000
PNG_QUALITY = 80  # zlib's quick level: a window's flat colours compress as well, about a third sooner
Report = Callable[[str], None]  # told what went wrong, as "<what> : <why>"
Location = Path | str | ServerAddress  # a project file, a server's address or URL, or `profile:NAME`
# The installed .desktop file's id (packaging/linux/): Wayland shows that file's icon, not the window icon.
DESKTOP_FILE_ID = "org.soc2workbench.Workbench"
STYLE = "Fusion"  # the same look everywhere; no application-wide style sheet: it would slow every widget's paint


def _print_error(text: str) -> None:
    print(f"error: {text}", file=sys.stderr)


def _print_place_warnings(text: str) -> None:
    for warning in text.split("\n\n"):  # the window joins its warnings with a blank line
        print(f"warning: {warning}", file=sys.stderr)


def xml_is_guarded() -> bool:
    """Return True when defusedxml is installed, so openpyxl refuses XML bombs wherever it reads."""
    return importlib.util.find_spec("defusedxml") is not None


def app_icon() -> QIcon:
    """Return the application icon with every size shipped in resources/icons/app."""
    icon = QIcon()
    for png in sorted((paths.resources_dir() / "icons" / "app").glob("soc2-workbench-*.png")):
        icon.addFile(str(png))
    return icon


def make_application(report: Report = _print_error) -> QApplication:
    """Return the QApplication, creating it with the program's identity if needed.

    A platform plugin that cannot be loaded is reported as "<what> : <why>" and ends the process with status 2.
    """
    if not xml_is_guarded():
        raise SystemExit("error: defusedxml : not installed; reinstall SOC 2 Workbench with its dependencies")
    messages = QtMessages(report)
    messages.install()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # The style named to Qt as it starts, not set from Python: a QStyle reaching Python costs its ~570 enum
        # members (about 5 ms) before the first paint.
        app = QApplication([*sys.argv[:1], "-style", STYLE])
    elif app.style().name().lower() != STYLE.lower():
        app.setStyle(STYLE)
    messages.started()
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("SOC 2 Workbench")
    app.setDesktopFileName(DESKTOP_FILE_ID)
    app.setWindowIcon(app_icon())
    return app


def load_database_layer(_context: object = None) -> None:
    """Load the services and the database layer: the worker's first job once the window is drawn.

    The project named at start-up opens next; without one, the first project the user opens need not wait for it.
    What the import makes is left out of later collections by the worker's collector (ui/operations.py).
    """
    from workbench.services import project, session  # noqa: F401  (with them the store and SQLAlchemy)


def load_orm(_context: object = None) -> None:
    """Load the ORM and map the row classes: the worker's job once the dashboard is drawn with its data.

    Opening the project and the dashboard's status read through SQLAlchemy Core alone; the pages' edits use the ORM.
    """
    from workbench.services.session import load_orm as load

    load()


def make_settings() -> QSettings:
    """Return the program's preferences, kept in the per-user data folder."""
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def run_gui(project: Location | None, page: str = "dashboard", screenshot: Path | None = None, *,
            size: tuple[int, int] | None = None, tab: str | None = None, report: Report) -> int:
    """Open the main window (on a project and page); with `screenshot`, save a picture of it and exit.

    `size` (width, height) is the window's size instead of the one it had last; `tab` picks a tab of the page
    shown in the picture by the start of its title. What stops the program or a
    screenshot ("<what> : <why>") goes to `report`; the command line prints it as its error line.
    """
    app = make_application(report)
    settings = make_settings()
    # With a project named, the window draws its frame (the dashboard's) first; complete() follows the first paint.
    window = MainWindow(settings, interactive=screenshot is None, opening=project)
    window.place_warned.connect(_print_place_warnings)  # the command line's warnings, given once the window is up
    if size is not None:
        window.resize(*size)
    if screenshot is None:
        window.project_loaded.connect(lambda _status: mark("data"))
        window.project_loaded.connect(lambda _status: window.operations.run(load_orm, background=True))

        def start() -> None:
            from workbench.ui.file_open import FileOpenHandler

            window.complete()
            app.installEventFilter(FileOpenHandler(window.open_path, window))  # what the desktop asks to open
            # The worker's first job, ready for the first open; in the background: New and Open stay available.
            window.operations.run(load_database_layer, background=True)
            if project is not None:
                window.open_path(project)

        FirstPaint(window, start)
        window.show()
        code = app.exec()
    else:
        code = _screenshot(app, window, project, (page, tab), screenshot, report, size)
    settings.sync()  # written now: the process may end without tearing its objects down (end_process)
    return code


def end_process(code: int) -> NoReturn:
    """End the program once its window is closed: exit handlers run and output is flushed, then the process ends.

    Python's teardown of every loaded module and Qt object (about 0.1 s with the database layer loaded) is
    skipped: the project is closed and the settings are written by then, and nothing else is left to keep.
    """
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def select_tab(page: QWidget, wanted: str) -> str:
    """Show the tab of the page whose title starts with `wanted` (any case, without "&"); return "" or why not."""
    from PySide6.QtWidgets import QTabWidget

    tabs = page.findChild(QTabWidget)
    names = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())] if tabs is not None else []
    for index, name in enumerate(names):
        if name.lower().startswith(wanted.strip().lower()):
            tabs.setCurrentIndex(index)
            return ""
    return f"the page's tabs are {', '.join(names)}" if names else "the page has no tabs"


def _screenshot(app: QApplication, window: MainWindow, project: Location | None, view: tuple[str, str | None],
                out: Path, report: Report, size: tuple[int, int] | None) -> int:
    outcome: list[int] = []
    page, tab = view

    def capture() -> None:
        window.show_page(page)
        refusal = select_tab(window.pages.currentWidget(), tab) if tab else ""
        if refusal:
            failed(f"--tab {tab} : {refusal}")
            return
        # The dashboard is filled at once from the status, so its layouts settle without painting the window
        # (grab() paints it once; a picture the same to the pixel, ~12 ms sooner). Other pages fill parts in the
        # background (the evidence preview, a run's findings), which these passes give the time to land.
        painted_passes = page != "dashboard"
        window.setUpdatesEnabled(painted_passes)
        for _ in range(3):  # layouts settle in passes (wrapped labels learn their width, then their height)
            app.processEvents()
        window.setUpdatesEnabled(True)
        mark("data")
        shown = (window.width(), window.height())
        if size is not None and shown != size:
            print(f"warning: --size {size[0]}x{size[1]} : the window needs at least {shown[0]}x{shown[1]} for what "
                  f"it shows; the picture is {shown[0]}x{shown[1]}", file=sys.stderr)
        if window.grab().save(str(out), "PNG", PNG_QUALITY):
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
            QTimer.singleShot(0, capture)
            return
        step_page.loaded.connect(lambda: QTimer.singleShot(0, capture))
        window.show_page(page)

    window.operation_failed.connect(failed)
    window.project_loaded.connect(loaded)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, timed_out)

    def start() -> None:
        window.complete()
        if project is None:
            capture()
        else:
            window.operations.run(load_database_layer, background=True)
            window.open_path(project)

    FirstPaint(window, start)
    window.show()
    code = app.exec()
    window.close()
    return outcome[0] if outcome else code
