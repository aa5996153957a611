"""The main window: File menu, navigation for the dashboard, the six steps and the timeline, and the pages."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME, __version__
from workbench.domain.location import (
    ServerAddress,
    is_profile_location,
    profile_name,
    shown_location,
)
from workbench.ui.dashboard import DashboardPage
from workbench.ui.lazy_pages import LazyPages
from workbench.ui.read_only_banner import ReadOnlyBanner

# Start-up draws the window's frame first (see MainWindow.complete): what works on projects loads after it, and
# what only an open project needs loads with the project. The types below are for annotations; the classes and
# functions are imported where they are used; so are the Qt classes the frame does not show (a Qt class costs its
# enums the first time Python sees it: QKeySequence's alone are some seventy).
if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QMenu

    from workbench.services.exports.run import ExportOutcome
    from workbench.services.project import ProjectStatus
    from workbench.services.session import OpenProject
    from workbench.ui.export_dialog import ExportRequest
    from workbench.ui.operations import OperationContext
    from workbench.ui.pages.base import ProjectPage
    from workbench.ui.project_session import ProjectSession
    from workbench.ui.welcome import WelcomePage

# The step pages by page name (module, class).
# Each module is imported when its page is first shown, which keeps start-up to what the dashboard needs.
PAGE_CLASSES: dict[str, tuple[str, str]] = {
    "scope": ("workbench.ui.pages.scope", "ScopePage"),
    "assessment": ("workbench.ui.pages.assessment", "AssessmentPage"),
    "controls": ("workbench.ui.pages.controls", "ControlsPage"),
    "evidence": ("workbench.ui.pages.evidence", "EvidencePage"),
    "audit": ("workbench.ui.pages.audit", "AuditPage"),
    "report": ("workbench.ui.pages.report", "ReportPage"),
    "registers": ("workbench.ui.pages.registers", "RegistersPage"),
    "policies": ("workbench.ui.pages.policies", "PoliciesPage"),
    "findings": ("workbench.ui.pages.findings", "FindingsPage"),
    "timeline": ("workbench.ui.pages.timeline", "TimelinePage"),
}
IMPORT_WIZARD = "workbench.ui.import_wizard"  # shown from the controls, audit and evidence pages


@dataclass(frozen=True)
class PageInfo:
    name: str
    title: str
    step: int | None


PAGES: tuple[PageInfo, ...] = (
    PageInfo("dashboard", "Dashboard", None),
    PageInfo("scope", "1  Define scope", 1),
    PageInfo("assessment", "2  Readiness assessment", 2),
    PageInfo("controls", "3  Implement controls", 3),
    PageInfo("evidence", "4  Collect evidence", 4),
    PageInfo("audit", "5  Engage a CPA firm", 5),
    PageInfo("report", "6  Receive and share", 6),
    PageInfo("registers", "Registers", None),
    PageInfo("policies", "Policies", None),
    PageInfo("findings", "Findings", None),
    PageInfo("timeline", "Timeline", None),
)
# On the navigation list alone: a style sheet set on the application would slow every widget's creation and paint.
NAVIGATION_STYLE = """
QListWidget#navigation { font-size: 11pt; }
QListWidget#navigation::item { padding: 7px 10px; }
"""
MENUS = ("&File", "&Edit", "&View", "&Help")
GEOMETRY_KEY = "window/geometry"
LAST_PAGE_KEY = "window/lastPage"
NOT_FOR_SERVER = {
    "save_as": "A project on a server is saved as you work; to copy it into a file, use `workbench copy`.",
    "backups": "A project on a server is backed up by the server, not by this program.",
}


def _samples_shipped() -> bool:
    from workbench.services import files  # loaded after the first paint, with what works on projects

    return bool(files.bundled_samples())


def _ask_user_name(window: QWidget) -> None:
    from workbench.ui.user_name import ask_user_name  # its dialog loads when first asked for

    ask_user_name(window)


def page_info(name: str) -> PageInfo:
    """Return the page called `name`."""
    return next(p for p in PAGES if p.name == name)


def show_part(window: MainWindow, page: str, tab: str) -> None:
    """Show a page and, on it, the tab of this key ("" for none): where a next action of the dashboard is done."""
    if window.show_page(page) and tab:
        window.step_pages[page].show_tab(tab)  # type: ignore[attr-defined]


class MainWindow(QMainWindow):
    """Holds at most one open project; every file or database operation runs on the background worker."""

    project_loaded = Signal(object)  # ProjectStatus: a project was opened (only then; not when it changes)
    project_closed = Signal()
    operation_failed = Signal(str)
    exported = Signal(str)  # path of the file an export wrote
    place_warned = Signal(str)  # the warning about where the opened project lives (synced folder, conflicted copy)
    live_updated = Signal(list)  # other people changed the open project on the server (their names); pages reload

    def __init__(self, settings: QSettings, *, interactive: bool = True, parent: QWidget | None = None,
                 session: Callable[[MainWindow], ProjectSession] | None = None,
                 opening: Path | str | ServerAddress | None = None) -> None:
        """Build the window. With `opening`, the project named at start-up, only the window's frame is built,
        showing the dashboard's frame: call complete() once it has been painted, before anything else (app.py).
        """
        super().__init__(parent)
        self.settings = settings
        self.interactive = interactive  # False for screenshots and tests: failures are signalled, not shown
        self.project: OpenProject | None = None
        self.status: ProjectStatus | None = None
        self.opened_as: Path | str | None = None  # how the open project was named (`profile:NAME`, URL or path)
        self.name_dialog: Any = None  # Edit > Your Name's dialog, while it is open (ui/user_name.py)
        self._welcome: WelcomePage | None = None  # built when first shown: a start on a project draws without it
        self._session_type = session  # default: ProjectSession (opens, replaces and closes the project)
        self._opening = opening
        self.completed = False
        self.dashboard = DashboardPage()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.dashboard)
        self.step_pages = LazyPages(PAGE_CLASSES, self._build_page)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setStyleSheet(NAVIGATION_STYLE)
        self.navigation.setMinimumWidth(250)  # room for the page icons beside the longest title
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setIconSize(QSize(20, 20))
        # The icons are drawn from SVG, whose plugin takes milliseconds to load: complete() puts them on, after
        # the first paint, which shows blank icons of the same size (so the titles do not move when they come).
        blank = QPixmap(self.navigation.iconSize())
        blank.fill(Qt.GlobalColor.transparent)
        for page in PAGES:
            item = QListWidgetItem(QIcon(blank), page.title)
            item.setData(Qt.ItemDataRole.UserRole, page.name)
            self.navigation.addItem(item)
        self.navigation.currentItemChanged.connect(self._navigate)
        self.navigation.setEnabled(False)
        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([250, 1000])
        self.read_only_banner = ReadOnlyBanner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.file_label = QLabel()
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.file_label)
        self.menus = {title: self.menuBar().addMenu(title) for title in MENUS}  # filled by complete()
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 820)
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        if opening is None:
            self.complete()
        else:
            self._show_no_project(opening)

    def complete(self) -> None:
        """Build what works on projects: the worker, the undo history, the menus' actions, live updates, the session."""
        if self.completed:
            return
        from PySide6.QtGui import QUndoStack

        from workbench.ui.context import PageContext
        from workbench.ui.icons import PageIcons
        from workbench.ui.live_updates import LiveUpdates
        from workbench.ui.operations import Operations
        from workbench.ui.project_session import ProjectSession
        from workbench.ui.recent_files import RecentFiles

        self.completed = True
        self.page_icons = PageIcons(self)  # light or dark icons, following the palette
        for row, page in enumerate(PAGES):
            self.page_icons.bind_item(self.navigation.item(row), page.name)
        self.operations = Operations(self)
        self.undo_stack = QUndoStack(self)
        self.context = PageContext(self.operations, self.undo_stack, interactive=self.interactive, window=self)
        self.recent = RecentFiles(self.settings)
        self.session = (self._session_type or ProjectSession)(self)
        self.live = LiveUpdates(self)
        self.live.changed.connect(self._others_changed)
        self.live.trouble.connect(lambda text: self.statusBar().showMessage(f"Live updates paused: {text}", 8000))
        self.context.refreshed.connect(self.refresh)
        # A project is saved as the user works, so "modified" cannot mean "not saved". It means changed in this
        # window since it was opened: the undo stack is clean at the opening, and undoing back to it makes the
        # window unmodified again; a change that cannot be undone leaves it modified for good (resetClean).
        self.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        self._build_menus()
        self.dashboard.step_requested.connect(self._open_step)
        self.dashboard.page_requested.connect(lambda page, tab: show_part(self, page, tab))
        self.dashboard.export_requested.connect(self.export_dialog)
        self.context.export_requested.connect(self.export_dialog)
        self.context.page_requested.connect(self.show_page)
        self.operations.idle_changed.connect(self._idle_changed)
        self.context.failed.connect(self.operation_failed)
        self._show_no_project(self._opening)

    @property
    def welcome(self) -> WelcomePage:
        """Return the page shown without a project, building it the first time."""
        if self._welcome is None:
            from workbench.ui.welcome import WelcomePage

            welcome = self._welcome = WelcomePage()
            self.pages.addWidget(welcome)
            welcome.new_requested.connect(self.session.new_project)
            welcome.open_requested.connect(self.session.open_dialog)
            welcome.server_requested.connect(self.session.open_server_dialog)
            welcome.sample_requested.connect(self.session.open_sample)
            welcome.recent_requested.connect(self.session.open_path)
            welcome.recent_removed.connect(self.recent.remove)
            welcome.tour_requested.connect(self.help.show_tour)
            welcome.guide_requested.connect(self.help.show_guide)
        return self._welcome

    # -- menus -------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence
        from PySide6.QtWidgets import QMenu

        from workbench.ui.help_menu import HelpActions
        from workbench.ui.history import REDO, UNDO

        file_menu, edit_menu, view_menu, help_menu = (self.menus[title] for title in MENUS)
        self.new_action = self._action(file_menu, "&New Project…", self.session.new_project,
                                       QKeySequence.StandardKey.New)
        self.open_action = self._action(file_menu, "&Open…", self.session.open_dialog, QKeySequence.StandardKey.Open)
        self.server_action = self._action(file_menu, "Open from &Server…", self.session.open_server_dialog)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        self.sample_action = self._action(file_menu, "Open the &Sample Project", self.session.open_sample)
        self.sample_action.setEnabled(_samples_shipped())
        file_menu.addSeparator()
        self.save_as_action = self._action(file_menu, "Save &As…", self.session.save_as,
                                           QKeySequence.StandardKey.SaveAs)
        self.backups_action = self._action(file_menu, "&Backups…", self.session.backups_dialog)
        file_menu.addSeparator()
        self.import_controls_action = self._action(file_menu, "&Import Controls…",
                                                   lambda: self._open_import("controls"))
        self.import_requests_action = self._action(file_menu, "Import the Auditor's Re&quest List…",
                                                   lambda: self._open_import("audit"))
        self.export_action = self._action(file_menu, "&Export for the Auditor…", self.export_dialog,
                                          QKeySequence("Ctrl+E"))
        self.close_action = self._action(file_menu, "&Close Project", self.session.close,
                                         QKeySequence.StandardKey.Close)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        # Undo and Redo go through the history: the stack moves only once the data did (ui/history.py).
        self.undo_action = self.context.history.action(UNDO, self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.context.history.action(REDO, self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.name_action = self._action(edit_menu, "Your &Name in the Audit Trail…", lambda: _ask_user_name(self))

        self.page_actions: dict[str, QAction] = {}
        for index, page in enumerate(PAGES, start=1):
            label = page.title.replace("  ", " ")
            action = self._action(view_menu, label, lambda _=False, n=page.name: self.show_page(n),
                                  QKeySequence(f"Ctrl+{index}"))
            self.page_icons.bind_action(action, page.name)
            self.page_actions[page.name] = action
        view_menu.addSeparator()
        self.refresh_action = self._action(view_menu, "&Refresh", lambda: self.context.refresh(),
                                           QKeySequence.StandardKey.Refresh)

        self.help = HelpActions(self, help_menu, self.settings, self.current_page, self.show_page)
        if self.interactive:  # never during screenshots and tests
            self.help.offer_tour_once()
        help_menu.addSeparator()
        about = self._action(help_menu, f"&About {APP_NAME}", self._about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None) -> QAction:
        from PySide6.QtGui import QAction

        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for path in paths:
            action = self.recent_menu.addAction(str(path).replace("&", "&&"))
            action.triggered.connect(lambda _=False, p=path: self.session.open_path(p))
        if not paths:
            self.recent_menu.addAction("No recent projects").setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("Clear the list")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.recent.clear()
        self.welcome.set_recent([])

    # -- state -------------------------------------------------------------------------------------

    def _show_no_project(self, opening: Path | str | ServerAddress | None = None, *, closing: bool = False) -> None:
        """Show the welcome page; or, while `opening` (named at start-up) opens, the dashboard's frame, empty.

        `closing`: the window is going away, so the page on show stays (the welcome page is not built for it).
        """
        self.project, self.status, self.opened_as = None, None, None
        if self.completed:
            self.live.stop()
            if self.context.project is not None:
                self.context.set_project(None)
        self.read_only_banner.show_for(None)
        self.navigation.setEnabled(False)
        self.navigation.setVisible(opening is not None)  # the welcome page has no pages to list; the opening frame does
        self.navigation.clearSelection()
        if opening is not None:
            self.pages.setCurrentWidget(self.dashboard)
            self.navigation.blockSignals(True)  # only marks where the project will show: nothing to navigate yet
            self.navigation.setCurrentRow(PAGES.index(page_info("dashboard")))
            self.navigation.blockSignals(False)
        elif not closing:
            self.welcome.set_recent(self.recent.paths())
            self.welcome.set_sample_available(_samples_shipped())
            self.pages.setCurrentWidget(self.welcome)
        if self.completed:  # the menus have their actions
            for action in (self.save_as_action, self.backups_action, self.export_action,
                           self.import_controls_action, self.import_requests_action, self.close_action,
                           self.refresh_action, *self.page_actions.values()):
                action.setEnabled(False)
        self.setWindowTitle(APP_NAME)
        self.setWindowFilePath("")
        if opening is None:
            self.file_label.setText("No project open")
        else:
            name = opening.name if isinstance(opening, Path) else shown_location(opening)
            self.file_label.setText(f"Opening {name}…")

    def _show_project(self, project: OpenProject, status: ProjectStatus, *, opened: bool = False) -> None:
        first = self.project is None  # welcome (or the opening frame) was on show: go to the last page used
        self.project, self.status = project, status
        if self.context.project is not project:
            self.context.set_project(project)
        self.dashboard.setUpdatesEnabled(False)  # drawn once when filled, not once per progress bar it sets
        try:
            self.dashboard.show_status(status)
        finally:
            self.dashboard.setUpdatesEnabled(True)
        self.navigation.setEnabled(True)
        self.navigation.setVisible(True)
        for action in (self.export_action, self.import_controls_action, self.import_requests_action,
                       self.close_action, self.refresh_action, *self.page_actions.values()):
            action.setEnabled(True)
        for key, action in (("save_as", self.save_as_action), ("backups", self.backups_action)):
            action.setEnabled(not project.on_server)  # file-only: disabled, and the tooltip says why
            action.setToolTip(NOT_FOR_SERVER[key] if project.on_server else "")
        if isinstance(project.path, ServerAddress):
            address = project.path
            self.setWindowTitle(f"{status.settings.organization} — {address.database} on {address.host}:"
                                f"{address.port}[*] — {APP_NAME}")
            self.setWindowFilePath("")
            shown = str(address)
            if isinstance(self.opened_as, str) and is_profile_location(self.opened_as):
                shown = f"{profile_name(self.opened_as)}: {shown}"
            self.file_label.setText(f"{shown} (shared on a server)")
        else:
            self.setWindowTitle(f"{status.settings.organization} — {project.path.name}[*] — {APP_NAME}")
            self.setWindowFilePath(str(project.path))
            self.file_label.setText(str(project.path) + (" (read-only)" if project.read_only else ""))
        self.read_only_banner.show_for(project)
        self.live.follow(project)  # others' changes reload the pages; a project file needs no watching
        if first:
            last = str(self.settings.value(LAST_PAGE_KEY, "dashboard"))
            if not self.show_page(last if last in {p.name for p in PAGES} else "dashboard"):
                self.show_page("dashboard")
        if opened:
            from workbench.ui.page_preload import preload_later

            # The pages' modules load on the worker in a moment, so that a page's first showing only builds it.
            preload_later(self.operations, [module for module, _ in PAGE_CLASSES.values()] + [IMPORT_WIZARD],
                          lambda: self.project is project)
            self.project_loaded.emit(status)

    def _idle_changed(self, idle: bool) -> None:
        for action in (self.new_action, self.open_action, self.server_action, self.sample_action):
            action.setEnabled(idle and (action is not self.sample_action or _samples_shipped()))
        self.recent_menu.setEnabled(idle)
        if idle:
            self.unsetCursor()
        else:
            self.setCursor(Qt.CursorShape.BusyCursor)

    def show_page(self, name: str) -> bool:
        """Show a page by name; return False when no project is open."""
        info = page_info(name)
        if self.project is None:
            return False
        self.pages.setCurrentWidget(self.step_pages.get(name, self.dashboard))
        if self.interactive:
            self.settings.setValue(LAST_PAGE_KEY, name)
        index = PAGES.index(info)
        if self.navigation.currentRow() != index or not self.navigation.item(index).isSelected():
            self.navigation.setCurrentRow(index)
        return True

    def current_page(self) -> str:
        """Return the name of the page on show ("welcome" when no project is open)."""
        shown = self.pages.currentWidget()
        if self.project is None:
            return "welcome"  # the welcome page, or the dashboard's frame while the first project opens
        if shown is self.dashboard:
            return "dashboard"
        return next((name for name, page in self.step_pages.built().items() if page is shown), "welcome")

    def _build_page(self, name: str) -> ProjectPage:
        module, class_name = PAGE_CLASSES[name]
        page: ProjectPage = getattr(importlib.import_module(module), class_name)(self.context)
        self.pages.addWidget(page)
        return page

    def _navigate(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.show_page(str(current.data(Qt.ItemDataRole.UserRole)))

    def _open_step(self, step: int) -> None:
        self.show_page(next(p for p in PAGES if p.step == step).name)

    def _others_changed(self, actors: list[str]) -> None:
        """Someone else committed changes to the open project: reload what is shown, and say who."""
        if self.project is None:
            return
        who = ", ".join(actors)
        self.statusBar().showMessage(f"Updated by {who}" if who else "Reconnected to the server; reloaded", 8000)
        self.context.refresh()
        self.live_updated.emit(actors)

    def open_path(self, path: Path | str | ServerAddress, passphrase: str | None = None) -> None:
        """Open a project file or one on a server (see ProjectSession.open_path)."""
        self.session.open_path(path, passphrase)

    def close_project(self) -> None:
        """Close the open project once what is typed is saved (see ProjectSession.close)."""
        self.session.close()

    def _open_import(self, page_name: str) -> None:
        """Show the page that owns an import (controls, or the audit page for requests) and start its wizard."""
        if self.show_page(page_name):
            self.step_pages[page_name].open_import()  # type: ignore[attr-defined]

    def export_dialog(self) -> None:
        """Ask what to export for the auditor and where, then write it in the background."""
        from workbench.domain.period import project_period
        from workbench.ui.export_dialog import ExportDialog

        project = self.project
        if project is None:
            return
        folder = project.path.parent if isinstance(project.path, Path) else self.documents_folder()
        period = project_period(self.status.settings) if self.status is not None else None
        dialog = ExportDialog(folder, project.path.stem, self, period)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        self.export(dialog.request())

    def export(self, request: ExportRequest) -> None:
        """Write one export in the background with progress and cancel; say where it went."""
        project = self.project
        if project is None:
            return

        def work(context: OperationContext) -> ExportOutcome:
            from workbench.services.exports.run import run_export

            return run_export(project, request.kind.key, request.destination, request.options, context.progress,
                              request.on)

        def done(outcome: ExportOutcome) -> None:
            from workbench.ui.export_outcome import show_outcome, status_text

            self.statusBar().showMessage(status_text(request.kind.label, outcome), 10000)
            self.exported.emit(str(outcome.path))
            if self.context.interactive:
                show_outcome(self, outcome)

        self.operations.run(work, done, lambda exc, trace: self.context.fail("Export", exc, trace),
                            label=f"Exporting the {request.kind.label}", parent=self)

    def refresh(self, _touched: object = None) -> None:
        """Reload the open project's status (the dashboard shows every part of it, so after any change)."""
        project = self.project
        if project is None:
            return

        def work(_context: OperationContext) -> ProjectStatus:
            from workbench.services.project import project_status

            return project_status(project)

        self.operations.run(work, lambda status: self._show_project(project, status),
                            lambda exc, trace: self.context.fail("Refresh", exc, trace))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.completed:  # closed while its frame was being drawn: nothing was opened or changed yet
            event.accept()
            return
        if self.project is not None and not self.context.edits.settle(self.operations.settle):
            event.ignore()  # the user keeps editing
            return
        if self.interactive:
            self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
            self.settings.sync()
        project = self.project
        if project is not None:
            # The close is queued first, so the full garbage collection the reset asks for (ui/context.py) waits
            # for an idle worker: for a window that is going away, after it has gone (or never, at the end).
            self.operations.run(lambda _c: project.close())
            self._show_no_project(closing=True)
        self.operations.wait()
        event.accept()

    # -- helpers -----------------------------------------------------------------------------------

    def documents_folder(self) -> Path:
        """Return the folder file dialogs start in: the open project's, the last one's, or Documents."""
        if self.project is not None and isinstance(self.project.path, Path):
            return self.project.path.parent
        recent = self.recent.files()
        if recent:
            return recent[0].parent
        from PySide6.QtCore import QStandardPaths

        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(location) if location and Path(location).is_dir() else Path.home()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self, f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nAn offline workbench for the road to a SOC 2 report: scope, readiness, "
            "controls, evidence, the audit and the report, kept in one project file.",
        )
