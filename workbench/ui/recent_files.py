"""The list of recently opened projects, kept in the program's settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recentProjects"
LIMIT = 10


class RecentFiles:
    """Most recent first, without duplicates, at most LIMIT entries."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def paths(self) -> list[Path]:
        """Return the remembered projects, most recent first."""
        value = self._settings.value(KEY, [])
        if isinstance(value, str):
            value = [value]
        return [Path(p) for p in value or []]

    def add(self, path: Path) -> None:
        """Put a project at the top of the list."""
        text = str(Path(path).absolute())
        items = [text] + [str(p) for p in self.paths() if str(p) != text]
        self._settings.setValue(KEY, items[:LIMIT])
        self._settings.sync()

    def remove(self, path: Path) -> None:
        """Forget one project (for example one that no longer exists)."""
        self._settings.setValue(KEY, [str(p) for p in self.paths() if p != Path(path)])

    def clear(self) -> None:
        """Forget every project."""
        self._settings.setValue(KEY, [])
