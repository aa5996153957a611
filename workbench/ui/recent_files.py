"""The list of recently opened projects, kept in the program's settings.

A project file is remembered by its absolute path; a project on a server by its URL without password, or
as `profile:NAME` when it was opened through a saved connection.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from workbench.domain.location import ServerAddress, is_server_location, shown_location

KEY = "recentProjects"
LIMIT = 10

Recent = Path | str  # a project file, or a server location as text (never with a password)


def _text(location: Path | str | ServerAddress) -> str:
    if is_server_location(location):
        return shown_location(location)
    return str(Path(location).absolute())


class RecentFiles:
    """Most recent first, without duplicates, at most LIMIT entries."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def paths(self) -> list[Recent]:
        """Return the remembered projects, most recent first (server locations as text, files as paths)."""
        value = self._settings.value(KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(p) if is_server_location(str(p)) else Path(p) for p in value or []]

    def files(self) -> list[Path]:
        """Return the remembered project files only."""
        return [p for p in self.paths() if isinstance(p, Path)]

    def add(self, path: Path | str | ServerAddress) -> None:
        """Put a project at the top of the list."""
        text = _text(path)
        items = [text] + [str(p) for p in self.paths() if str(p) != text]
        self._settings.setValue(KEY, items[:LIMIT])
        self._settings.sync()

    def remove(self, path: Path | str | ServerAddress) -> None:
        """Forget one project (for example one that no longer exists)."""
        text = _text(path)
        self._settings.setValue(KEY, [str(p) for p in self.paths() if str(p) != text])

    def clear(self) -> None:
        """Forget every project."""
        self._settings.setValue(KEY, [])
