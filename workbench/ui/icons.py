"""The pages' icons, drawn for light and for dark palettes: pick the variant a palette needs and keep it current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QIcon, QPalette
from PySide6.QtWidgets import QListWidgetItem, QWidget

from workbench.paths import resources_dir

LIGHT = "light"  # dark strokes, for light window backgrounds
DARK = "dark"  # light strokes, for dark window backgrounds
VARIANTS = (LIGHT, DARK)
# The icon file an item or action shows, so that anyone (a test, say) can tell which variant is in use.
ICON_FILE_ROLE = Qt.ItemDataRole.UserRole + 40
ICON_FILE_PROPERTY = "iconFile"
APP_ICON_NAME = "soc2-workbench"

_cache: dict[Path, QIcon] = {}


def palette_variant(palette: QPalette) -> str:
    """Return DARK when the palette's window colour is dark (icons need light strokes), else LIGHT."""
    return DARK if palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5 else LIGHT


def page_icon_path(page: str, variant: str) -> Path:
    """Return the SVG file of a page's icon in a variant."""
    return resources_dir() / "icons" / "pages" / variant / f"{page}.svg"


def page_icon(page: str, variant: str) -> QIcon:
    """Return a page's icon in a variant, read from disk once."""
    path = page_icon_path(page, variant)
    icon = _cache.get(path)
    if icon is None:
        icon = _cache[path] = QIcon(str(path))
    return icon


def app_icon_path() -> Path | None:
    """Return the program's own icon file, when this build has one."""
    folder = resources_dir() / "icons" / "app"
    for name in (f"{APP_ICON_NAME}.svg", f"{APP_ICON_NAME}-128.png", f"{APP_ICON_NAME}-256.png"):
        if (folder / name).is_file():
            return folder / name
    return None


class PageIcons(QObject):
    """Puts page icons on list items, actions and labels, and swaps their variant when the palette changes.

    Watches one widget (a window): its palette decides the variant.
    """

    def __init__(self, watched: QWidget) -> None:
        super().__init__(watched)
        self._watched = watched
        self._targets: list[tuple[str, Callable[[QIcon, Path], None]]] = []
        self.variant = palette_variant(watched.palette())
        watched.installEventFilter(self)

    def bind(self, page: str, apply: Callable[[QIcon, Path], None]) -> None:
        """Call apply(icon, file) now with the page's icon, and again whenever the variant changes."""
        self._targets.append((page, apply))
        apply(page_icon(page, self.variant), page_icon_path(page, self.variant))

    def bind_item(self, item: QListWidgetItem, page: str) -> None:
        """Keep a page's icon on a list item (the file it came from in ICON_FILE_ROLE)."""

        def apply(icon: QIcon, path: Path) -> None:
            item.setIcon(icon)
            item.setData(ICON_FILE_ROLE, str(path))

        self.bind(page, apply)

    def bind_action(self, action: QAction, page: str) -> None:
        """Keep a page's icon on an action (the file it came from in its ICON_FILE_PROPERTY)."""

        def apply(icon: QIcon, path: Path) -> None:
            action.setIcon(icon)
            action.setProperty(ICON_FILE_PROPERTY, str(path))

        self.bind(page, apply)

    def icon(self, page: str) -> QIcon:
        """Return a page's icon in the variant the watched widget's palette needs now."""
        return page_icon(page, self.variant)

    def refresh(self) -> None:
        """Re-apply every icon if the watched widget's palette now needs the other variant."""
        variant = palette_variant(self._watched.palette())
        if variant == self.variant:
            return
        self.variant = variant
        for page, apply in self._targets:
            apply(page_icon(page, variant), page_icon_path(page, variant))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() in (QEvent.Type.PaletteChange,
                                                         QEvent.Type.ApplicationPaletteChange):
            self.refresh()
        return False
