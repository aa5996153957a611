"""The strip above the pages that says the open project can only be read, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:  # the services' store loads with the project, after the window is drawn
    from workbench.services.session import OpenProject


class ReadOnlyBanner(QLabel):
    """Shown while a project opened read-only is open; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setContentsMargins(10, 6, 10, 6)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)  # the palette's note colours, light or dark
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.hide()

    def show_for(self, project: OpenProject | None) -> None:
        """Show the banner when `project` is open read-only, saying why; hide it otherwise."""
        reason = project.read_only_reason if project is not None else None
        if reason is None:
            self.hide()
            self.clear()
            return
        self.setText(f"Read-only: this project is open for reading only because {reason}. You can read, check and "
                     "export it; changes are refused. To change it, make the file writable and open it again, or "
                     "use File > Save As… to continue in a copy you can change.")
        self.show()
