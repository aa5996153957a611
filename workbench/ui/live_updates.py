"""Brings other people's changes to a project on a server into the window, as a Qt signal on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

if TYPE_CHECKING:  # the services' store loads with the project, after the window is drawn
    from workbench.services.live import Change, Watch
    from workbench.services.session import OpenProject

SETTLE_MS = 300  # changes arriving together (an import, say) make one reload


class LiveUpdates(QObject):
    """Watches the open project; emits `changed(actors)` once a burst of other people's changes has settled."""

    changed = Signal(list)  # the names of who changed the project (empty after a reconnect: unknown)
    trouble = Signal(str)  # why listening stopped working for a while (it keeps trying)
    _heard = Signal(object)  # a Change, from the listening thread
    _failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watch: Watch | None = None
        self._project: OpenProject | None = None
        self._actors: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._settled)
        self._heard.connect(self._collect, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self.trouble, Qt.ConnectionType.QueuedConnection)

    @property
    def project(self) -> OpenProject | None:
        """Return the project being watched, or None."""
        return self._project

    @property
    def watch(self) -> Watch | None:
        """Return the running watch (None for a project file or none open)."""
        return self._watch

    def follow(self, project: OpenProject | None) -> None:
        """Watch this project (a file needs no watching), stopping any previous watch; None stops watching."""
        if project is self._project:
            return
        self.stop()
        self._project = project
        if project is not None:
            from workbench.services.live import watch_changes

            # Starts a background thread that connects by itself: nothing here waits for the server.
            self._watch = watch_changes(project, self._heard.emit, on_error=lambda exc: self._failed.emit(str(exc)))

    def stop(self) -> None:
        """Stop watching (the listening connection closes in the background)."""
        if self._watch is not None:
            self._watch.stop()
        self._watch, self._project = None, None
        self._timer.stop()
        self._actors.clear()

    def _collect(self, change: Change) -> None:
        if self._watch is None:
            return  # heard after the project was closed
        if change.actor and change.actor not in self._actors:
            self._actors.append(change.actor)
        self._timer.start()

    def _settled(self) -> None:
        actors, self._actors = self._actors, []
        self.changed.emit(actors)
