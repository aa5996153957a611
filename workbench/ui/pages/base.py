"""The base of every step page: reload when a project opens or a part of it the page shows changes, while visible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.services.changes import EVERYTHING, Touched
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.labels import plain_label


class ProjectPage(QWidget):
    """Subclasses implement fetch() (worker thread, services only) and show_data() (GUI thread, widgets only)."""

    name = ""
    title = ""
    shows: Touched = EVERYTHING  # the parts of a project the page shows: a change to any of them reloads it
    loaded = Signal()  # emitted each time show_data() has filled the page

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True
        self.loaded_once = False
        context.project_loaded.connect(self._mark_stale)
        context.refreshed.connect(self._refreshed)

    # -- to implement ---------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> Any:
        """Read what the page shows (runs on the worker thread; no widgets here)."""
        raise TypeError(f"{type(self).__name__} must define fetch()")

    def show_data(self, data: Any) -> None:
        """Fill the widgets from what fetch() returned (GUI thread)."""
        raise TypeError(f"{type(self).__name__} must define show_data()")

    # -- loading --------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch on the worker and show the result; pages call it after their own edits too."""
        self._stale = False
        if self.context.project is None:
            return
        self.context.load(self.fetch, self._show)

    def _show(self, data: Any) -> None:
        self.show_data(data)
        self.loaded_once = True
        self.loaded.emit()

    def _refreshed(self, touched: Touched) -> None:
        if touched & self.shows:
            self._mark_stale()

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    # -- building and dialogs ----------------------------------------------------------------------------------------

    def column(self, heading: str, intro: str = "") -> QVBoxLayout:
        """Lay the page out as one column with the pages' margins: its heading, then the intro if there is one."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(plain_label(heading, bold=True, scale=1.5))
        if intro:
            layout.addWidget(plain_label(intro))
        return layout

    def open_dialog(self, dialog: EditDialog, on_accept: Callable[[], None]) -> None:
        """Open an add/edit dialog as `self.dialog`: on_accept runs when it is accepted; closing with changes asks."""
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(dialog.deleteLater)
        dialog.guard(self.context.edits)
        dialog.open()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()
