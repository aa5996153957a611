"""A button at the end of a tab bar that lists every tab by its full name, shown only while the bar is too narrow
for all of them (its scroll arrows then show a few at a time): a tab out of sight is one click away, not a hunt."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton

LABEL = "All tabs"


class TabOverflowButton(QToolButton):
    """The top-right corner of a QTabWidget: a menu of its tabs, visible while they do not all fit."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.setText(LABEL)
        self.setToolTip("Every tab by its full name: more tabs than the window is wide for")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAutoRaise(True)
        self.setMenu(QMenu(self))
        self.menu().aboutToShow.connect(self.fill)
        tabs.setCornerWidget(self, Qt.Corner.TopRightCorner)
        tabs.installEventFilter(self)
        self.setVisible(False)

    def fill(self) -> None:
        """Put every tab in the menu, the one on show checked (done as the menu opens, so titles are current)."""
        menu = self.menu()
        menu.clear()
        for index in range(self.tabs.count()):
            action = menu.addAction(self.tabs.tabText(index).replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(index == self.tabs.currentIndex())
            action.triggered.connect(partial(self.tabs.setCurrentIndex, index))

    def overflowing(self) -> bool:
        """Return True when the tabs need more width than the tab widget has."""
        bar = self.tabs.tabBar()
        return sum(bar.tabSizeHint(i).width() for i in range(bar.count())) > self.tabs.width()

    def refresh(self) -> None:
        """Show the button while the tabs overflow, hide it once they fit (call after tab titles change)."""
        # measured against the whole tab widget, not the bar that the button narrows: showing it cannot undo itself
        self.setVisible(self.overflowing())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refresh as the tab widget is resized or shown."""
        if watched is self.tabs and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.refresh()
        return False
