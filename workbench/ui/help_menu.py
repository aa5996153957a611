"""The Help menu's user guide (F1, at the current page's section) and tour, and the tour offered on first run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from workbench.ui.tour import FirstShow, TourDialog, tour_seen

if TYPE_CHECKING:  # the guide's window loads when first asked for, not while the main window starts
    from workbench.ui.help_window import HelpWindow


class HelpActions(QObject):
    """Adds "User Guide" and "Tour of the Six Steps" to a menu; one help window and one tour, made when needed.

    `current_page()` names the page on show ("welcome" without a project); `show_page(name)` shows one.
    """

    def __init__(self, window: QWidget, menu: QMenu, settings: QSettings, current_page: Callable[[], str],
                 show_page: Callable[[str], bool]) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._current_page = current_page
        self._show_page = show_page
        self.help_window: HelpWindow | None = None
        self.tour: TourDialog | None = None
        self.first_show: FirstShow | None = None
        self.guide_action = QAction("&User Guide", window)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.setStatusTip("Open the user guide at the section about this page")
        self.guide_action.triggered.connect(self.show_guide)
        self.tour_action = QAction("&Tour of the Six Steps", window)
        self.tour_action.triggered.connect(self.show_tour)
        menu.addAction(self.guide_action)
        menu.addAction(self.tour_action)

    def show_guide(self) -> None:
        """Open the user guide (one window, reused) at the section about the page on show."""
        if self.help_window is None:
            from workbench.ui.help_window import HelpWindow

            self.help_window = HelpWindow(self._window)
        self.help_window.show_section(self._current_page())

    def show_tour(self) -> None:
        """Show the tour of the six steps from step 1."""
        if self.tour is None:
            self.tour = TourDialog(self._settings, self._show_page, self._window)
        self.tour.start()

    def offer_tour_once(self) -> None:
        """Show the tour shortly after the window first appears, unless it has been seen (or skipped) before."""
        self.first_show = FirstShow(self._window, self._tour_if_new)

    def _tour_if_new(self) -> None:
        if not tour_seen(self._settings):
            self.show_tour()
