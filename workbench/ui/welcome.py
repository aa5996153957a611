"""What the window shows when no project is open: start a project, open one, try the sample, or take the tour."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QFont, QIcon, QKeyEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.domain.errors import WorkbenchError
from workbench.domain.location import ServerAddress, is_profile_location, is_server_location, profile_name
from workbench.domain.steps import STEP_TITLES
from workbench.ui.icons import app_icon_path

STEP_HINTS = (
    "say what the report covers: the system, the categories, the period.",
    "judge every criterion in scope and turn the gaps into tasks.",
    "build the control library and link each control to its criteria.",
    "attach the files that prove each control works.",
    "choose a licensed CPA firm and answer its requests.",
    "record the report, its exceptions and who received it.",
)
MISSING_ROLE = Qt.ItemDataRole.UserRole + 1  # True on a recent project file that is no longer there
APP_ICON_SIZE = 56


class _Relay(QObject):
    """Carries the result of the background look for missing files back to the GUI thread."""

    checked = Signal(int, list)  # the generation of the list that was checked, the missing files as text


def _gone(path: Path) -> bool:
    try:
        return not path.is_file()
    except OSError:  # cannot tell (no permission to look, say): not reported as gone
        return False


def _missing_files(generation: int, files: list[Path], relay: _Relay) -> None:
    # Runs on a pool thread: a file on an unreachable network share may take a long time to answer.
    missing = [str(path) for path in files if _gone(path)]
    with contextlib.suppress(RuntimeError):  # the page (and its relay) went away meanwhile
        relay.checked.emit(generation, missing)


class WelcomePage(QWidget):
    """Start here: new project, open, sample, recent files (missing ones marked, removable), tour and guide."""

    new_requested = Signal()
    open_requested = Signal()
    server_requested = Signal()  # open a project on a PostgreSQL server
    sample_requested = Signal()
    recent_requested = Signal(object)  # a Path, or a server location as text
    recent_removed = Signal(object)  # forget this recent project (a Path, or a server location as text)
    tour_requested = Signal()
    guide_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._relay = _Relay(self)
        self._relay.checked.connect(self._mark_missing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        heading = QHBoxLayout()
        self.app_icon = QLabel()
        icon_file = app_icon_path()
        if icon_file is not None:
            self.app_icon.setPixmap(QIcon(str(icon_file)).pixmap(QSize(APP_ICON_SIZE, APP_ICON_SIZE),
                                                                 self.devicePixelRatioF()))
        self.app_icon.setVisible(icon_file is not None)
        heading.addWidget(self.app_icon)
        title = QLabel(APP_NAME)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        title.setFont(font)
        heading.addWidget(title, 1)
        layout.addLayout(heading)
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
        guide_key = QKeySequence(QKeySequence.StandardKey.HelpContents).toString(
            QKeySequence.SequenceFormat.NativeText)
        self.links = QLabel(
            '<a href="tour">Take the tour of the six steps</a>'
            f'&nbsp;&nbsp;·&nbsp;&nbsp;<a href="guide">Read the user guide</a> ({guide_key or "Help menu"})'
        )
        self.links.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.links.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.links.linkActivated.connect(self._link)
        layout.addWidget(self.links)
        layout.addSpacing(8)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New project…")
        self.open_button = QPushButton("&Open…")
        self.server_button = QPushButton("Open from se&rver…")
        self.sample_button = QPushButton("Open the s&ample project")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.server_button.clicked.connect(self.server_requested)
        self.sample_button.clicked.connect(self.sample_requested)
        for button in (self.new_button, self.open_button, self.server_button, self.sample_button):
            button.setAutoDefault(True)  # Enter presses the focused button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        recent_label = QLabel("<b>Recen&t projects</b>")
        layout.addWidget(recent_label)
        self.recent = QListWidget()
        recent_label.setBuddy(self.recent)
        self.recent.itemActivated.connect(self._activated)
        self.recent.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.recent.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.recent.customContextMenuRequested.connect(self._context_menu)
        self.recent.installEventFilter(self)
        self.recent.setMaximumHeight(220)
        layout.addWidget(self.recent)
        under_list = QHBoxLayout()
        self.remove_button = QPushButton("Remove from &list")
        self.remove_button.setToolTip("Forget the selected project here (the file itself is not touched); "
                                      "or press Delete")
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(False)
        under_list.addStretch(1)
        under_list.addWidget(self.remove_button)
        layout.addLayout(under_list)
        layout.addStretch(1)
        for first, second in ((self.new_button, self.open_button), (self.open_button, self.server_button),
                              (self.server_button, self.sample_button), (self.sample_button, self.recent),
                              (self.recent, self.remove_button), (self.remove_button, self.links)):
            QWidget.setTabOrder(first, second)

    # -- recent projects ---------------------------------------------------------------------------

    def set_recent(self, paths: list[Path | str]) -> None:
        """Show the recently opened projects (files, and projects on a server); missing files get marked."""
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(recent_label(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setData(MISSING_ROLE, False)
            item.setToolTip(str(path))
            self.recent.addItem(item)
        if not paths:
            hint = QListWidgetItem("Projects you open appear here.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(hint)
        self._selection_changed()
        self._generation += 1
        files = [path for path in paths if isinstance(path, Path)]
        if files:
            generation, relay = self._generation, self._relay
            QThreadPool.globalInstance().start(lambda: _missing_files(generation, files, relay))

    def _mark_missing(self, generation: int, missing: list[str]) -> None:
        if generation != self._generation:
            return  # the list changed since the look began
        gone = set(missing)
        for item in self._items():
            text = str(item.data(Qt.ItemDataRole.UserRole))
            if text not in gone:
                continue
            item.setData(MISSING_ROLE, True)
            item.setText(f"{recent_label(Path(text))}    (not found)")
            item.setToolTip(f"{text} is no longer there. Press Delete to remove it from the list.")
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
            item.setForeground(self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))

    def _items(self) -> list[QListWidgetItem]:
        items = (self.recent.item(row) for row in range(self.recent.count()))
        return [item for item in items if item.data(Qt.ItemDataRole.UserRole) is not None]

    def missing(self) -> list[str]:
        """Return the recent project files shown as no longer there."""
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in self._items() if item.data(MISSING_ROLE)]

    def remove_selected(self) -> None:
        """Take the selected project off the list (the file itself stays where it is)."""
        item = self.recent.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return
        location = recent_location(str(item.data(Qt.ItemDataRole.UserRole)))
        self.recent.takeItem(self.recent.row(item))
        if not self._items():
            self.set_recent([])
        self.recent_removed.emit(location)
        self._selection_changed()

    def _activated(self, item: QListWidgetItem) -> None:
        text = item.data(Qt.ItemDataRole.UserRole)
        if text is not None:
            self.recent_requested.emit(recent_location(str(text)))

    def _selection_changed(self) -> None:
        item = self.recent.currentItem()
        self.remove_button.setEnabled(item is not None and item.data(Qt.ItemDataRole.UserRole) is not None)

    def _context_menu(self, position: QPoint) -> None:
        item = self.recent.itemAt(position)
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return
        self.recent.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction("Open", lambda: self._activated(item))
        menu.addAction("Remove from List", self.remove_selected)
        menu.exec(self.recent.viewport().mapToGlobal(position))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.recent and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_selected()
            return True
        return False

    # -- the rest ----------------------------------------------------------------------------------

    def set_sample_available(self, available: bool) -> None:
        """Enable the sample button only when a sample project ships with the program."""
        self.sample_button.setEnabled(available)

    def _link(self, target: str) -> None:
        (self.tour_requested if target == "tour" else self.guide_requested).emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.focusWidget() is None or not self.isAncestorOf(self.focusWidget()):
            self.new_button.setFocus(Qt.FocusReason.OtherFocusReason)


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
