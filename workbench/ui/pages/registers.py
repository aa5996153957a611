"""The Registers page: one tab per register an audit tests (risks, vendors and their reports, incidents, continuity
tests; people, access reviews, policies and findings join as tabs of their own). Each tab is a RegisterTab."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from workbench.services.changes import Touched
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.register_tab import RegisterTab
from workbench.ui.tab_overflow import TabOverflowButton

# The tabs in the order they show: (module, class). A new register adds its line here.
TABS: tuple[tuple[str, str], ...] = (
    ("workbench.ui.pages.risks_tab", "RisksTab"),
    ("workbench.ui.pages.vendors_tab", "VendorsTab"),
    ("workbench.ui.pages.vendors_tab", "VendorReportsTab"),
    ("workbench.ui.pages.incidents_tab", "IncidentsTab"),
    ("workbench.ui.pages.incidents_tab", "ContinuityTab"),
    ("workbench.ui.pages.people_tab", "PeopleTab"),
    ("workbench.ui.pages.access_reviews_tab", "AccessReviewsTab"),
)


class RegistersPage(ProjectPage):
    """Every register in one place, a tab each, with its count in the tab's title."""

    name = "registers"
    title = "Registers"
    shows = (Touched.RISKS | Touched.VENDORS | Touched.INCIDENTS | Touched.CONTINUITY | Touched.CONTROLS
             | Touched.PEOPLE | Touched.ACCESS_REVIEWS | Touched.SCOPE | Touched.EVIDENCE | Touched.POPULATIONS
             | Touched.SETTINGS)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = self.column("Registers", "The registers an audit tests, each imported from the spreadsheet you "
                                          "keep and carried on here: risks (CC3), vendors and their SOC reports "
                                          "(CC9.2), incidents (CC7) and continuity tests (A1).")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # More tabs than the width holds (a narrow window, more kinds): the bar scrolls, titles kept whole (an
        # elided "Risks..." loses its count), and the All tabs button lists every one
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.overflow = TabOverflowButton(self.tabs)
        self.registers: dict[str, RegisterTab] = {}
        for module, name in TABS:
            tab: RegisterTab = getattr(importlib.import_module(module), name)(context, self)
            self.registers[tab.key] = tab
            self.tabs.setTabToolTip(self.tabs.addTab(tab, tab.title), tab.title)
        layout.addWidget(self.tabs, 1)

    def fetch(self, project: OpenProject) -> dict[str, Any]:
        """Read every register (worker thread)."""
        return {key: tab.fetch(project) for key, tab in self.registers.items()}

    def show_data(self, data: dict[str, Any]) -> None:
        """Fill each tab and put its number of records in its title."""
        for index, (key, tab) in enumerate(self.registers.items()):
            tab.show(data[key])
            title = f"{tab.title} ({tab.model.rowCount()})"
            self.tabs.setTabText(index, title)
            self.tabs.setTabToolTip(index, title)
        self.overflow.refresh()

    def show_tab(self, key: str) -> None:
        """Bring the tab of this register kind ("risks") to the front (a next action of the dashboard asks)."""
        self.show_register(key)

    def show_register(self, key: str) -> RegisterTab:
        """Bring a register's tab to the front and return it."""
        tab = self.registers[key]
        self.tabs.setCurrentWidget(tab)
        return tab
