"""What the window shows when no project is open: start a project, open one, or try the sample."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.domain.errors import WorkbenchError
from workbench.domain.location import ServerAddress, is_profile_location, is_server_location, profile_name
from workbench.domain.readiness import STEP_TITLES

STEP_HINTS = (
    "say what the report covers: the system, the categories, the period.",
    "judge every criterion in scope and turn the gaps into tasks.",
    "build the control library and link each control to its criteria.",
    "attach the files that prove each control works.",
    "choose a licensed CPA firm and answer its requests.",
    "record the report, its exceptions and who received it.",
)


class WelcomePage(QWidget):
    """Start here: new project, open, sample, recent files."""

    new_requested = Signal()
    open_requested = Signal()
    server_requested = Signal()  # open a project on a PostgreSQL server
    sample_requested = Signal()
    recent_requested = Signal(object)  # a Path, or a server location as text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        title = QLabel(APP_NAME)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(
            "From “a customer wants our SOC 2 report” to the report in hand. "
            "Everything stays in one project file on this computer, and works offline."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        steps = QLabel("".join(
            f"<p><b>{number}&nbsp;&nbsp;{title}</b> — {STEP_HINTS[number - 1]}</p>"
            for number, title in enumerate(STEP_TITLES, start=1)
        ))
        steps.setWordWrap(True)
        layout.addWidget(steps)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("New project…")
        self.open_button = QPushButton("Open…")
        self.server_button = QPushButton("Open from server…")
        self.sample_button = QPushButton("Open the sample project")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.server_button.clicked.connect(self.server_requested)
        self.sample_button.clicked.connect(self.sample_requested)
        for button in (self.new_button, self.open_button, self.server_button, self.sample_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        layout.addWidget(QLabel("<b>Recent projects</b>"))
        self.recent = QListWidget()
        self.recent.itemActivated.connect(
            lambda item: self.recent_requested.emit(recent_location(str(item.data(Qt.ItemDataRole.UserRole))))
        )
        self.recent.setMaximumHeight(220)
        layout.addWidget(self.recent)
        layout.addStretch(1)

    def set_recent(self, paths: list[Path | str]) -> None:
        """Show the recently opened projects (files, and projects on a server)."""
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(recent_label(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
        if not paths:
            hint = QListWidgetItem("Projects you open appear here.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(hint)

    def set_sample_available(self, available: bool) -> None:
        """Enable the sample button only when a sample project ships with the program."""
        self.sample_button.setEnabled(available)


def recent_location(text: str) -> Path | str:
    """Return a remembered project as something to open: a server location stays text, a file is a Path."""
    return text if is_server_location(text) else Path(text)


def recent_label(location: Path | str) -> str:
    """Return how a recent project is listed: file name and folder, or database and server."""
    if isinstance(location, str) and is_profile_location(location):
        return f"{profile_name(location)}    saved connection"
    if isinstance(location, str) and is_server_location(location):
        try:
            address = ServerAddress.parse(location)
        except WorkbenchError:
            return location
        return f"{address.database}    on {address.host}:{address.port}"
    path = Path(location)
    return f"{path.name}    {path.parent}"
