"""The controls page's search and filters over the control table, and the count of rows shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout

from workbench.domain.entities import Control
from workbench.domain.enums import ControlStatus, Frequency
from workbench.ui.fields import search_box
from workbench.ui.labels import plain_label
from workbench.ui.pages.controls_model import ControlsFilter, ControlsModel


class FilterBar(QHBoxLayout):
    """Search, status, frequency and owner filters feeding the table's filter model."""

    def __init__(self, model: ControlsModel, proxy: ControlsFilter, changed: Callable[[], None]) -> None:
        super().__init__()
        self.model, self.proxy, self.changed = model, proxy, changed
        self.search = search_box("Search controls (Ctrl+F)", "Search controls")
        self.search.setMinimumWidth(200)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("All statuses", None)
        for status in ControlStatus:
            self.status_filter.addItem(status.label, status.value)
        self.frequency_filter = QComboBox()
        self.frequency_filter.setAccessibleName("Filter by frequency")
        self.frequency_filter.addItem("All frequencies", None)
        for frequency in Frequency:
            self.frequency_filter.addItem(frequency.label, frequency.value)
        self.frequency_filter.addItem("Frequency not set", "")
        self.owner_filter = QComboBox()
        self.owner_filter.setAccessibleName("Filter by owner")
        self.owner_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.owner_filter.setMinimumContentsLength(12)
        self.owner_filter.addItem("All owners", None)
        self.shown = plain_label()
        self.shown.setWordWrap(False)
        for widget, stretch in ((self.search, 3), (self.status_filter, 0), (self.frequency_filter, 0),
                                (self.owner_filter, 1), (self.shown, 0)):
            self.addWidget(widget, stretch)
        self.search.textChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.frequency_filter.currentIndexChanged.connect(self._filters_changed)
        self.owner_filter.currentIndexChanged.connect(self._filters_changed)

    def fill_owners(self, controls: tuple[Control, ...]) -> None:
        """Offer the controls' owners in the owner filter, keeping the chosen one."""
        chosen = self.owner_filter.currentData()
        owners = sorted({c.owner.strip() for c in controls if c.owner.strip()}, key=str.casefold)
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        self.owner_filter.addItem("All owners", None)
        for owner in owners:
            self.owner_filter.addItem(owner, owner)
        self.owner_filter.addItem("No owner", "")
        index = self.owner_filter.findData(chosen) if chosen is not None else 0
        self.owner_filter.setCurrentIndex(max(index, 0))
        self.owner_filter.blockSignals(False)
        self.proxy.set_owner(self.owner_filter.currentData())

    def show_count(self) -> None:
        """Say how many of the controls the filters let through."""
        self.shown.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} shown")

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected."""
        self.search.setFocus()
        self.search.selectAll()

    def _filters_changed(self) -> None:
        self.proxy.set_search(self.search.text())
        status = self.status_filter.currentData()
        self.proxy.set_status(ControlStatus(status) if status is not None else None)
        self.proxy.set_frequency(self.frequency_filter.currentData())
        self.proxy.set_owner(self.owner_filter.currentData())
        self.show_count()
        self.changed()
