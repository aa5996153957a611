"""Live updates: hear about changes other people commit to a project shared on a PostgreSQL server.

A project file is never shared while open, so watching one does nothing. On a server, the store's
ChangeListener (store/notify.py) hears every committed change; this program's own changes are left out.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.domain.errors import ProjectFileError
from workbench.domain.location import ServerAddress
from workbench.services.session import OpenProject
from workbench.store.notify import Change, ChangeListener, own_origin

__all__ = ["Change", "Watch", "watch_changes"]


class Watch:
    """Listening for other people's changes to one open project; stop() when the project closes."""

    def __init__(self, listener: ChangeListener, own_origin: str) -> None:
        self._listener = listener
        self.own_origin = own_origin

    @property
    def listening(self) -> bool:
        """Return True while connected to the server and listening."""
        return self._listener.listening

    def wait_listening(self, timeout: float = 10.0) -> bool:
        """Block until listening (for tests and scripts); return False on timeout."""
        return self._listener.wait_listening(timeout)

    def stop(self, wait: bool = False) -> None:
        """Stop listening (the connection closes in the background unless `wait`)."""
        self._listener.stop(wait)


def watch_changes(project: OpenProject, on_change: Callable[[Change], None], *,
                  on_error: Callable[[ProjectFileError], None] | None = None) -> Watch | None:
    """Call `on_change(change)` (from a background thread) for each change others commit; None for a file.

    A change with seq None means the connection was lost and made again: reload everything.
    """
    if not project.on_server or not isinstance(project.path, ServerAddress):
        return None
    own = own_origin(project.file)

    def heard(change: Change) -> None:
        if change.origin != own:
            on_change(change)

    listener = ChangeListener(project.path, heard, on_error=on_error)
    return Watch(listener.start(), own)
