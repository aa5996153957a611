"""The page icons: both variants exist and draw, dark ones are light on dark, and the palette picks the variant."""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as ElementTree
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from workbench.ui.icons import (
    DARK,
    ICON_FILE_PROPERTY,
    ICON_FILE_ROLE,
    LIGHT,
    VARIANTS,
    page_icon,
    page_icon_path,
    palette_variant,
)
from workbench.ui.main_window import PAGES

PAGE_NAMES = [page.name for page in PAGES]
SIZE = 48


def _render(path: Path) -> QImage:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), f"{path} is not an SVG Qt can draw"
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, SIZE, SIZE))
    painter.end()
    return image


def _ink(image: QImage) -> tuple[int, float]:
    """Return how many pixels are drawn, and their mean lightness (0 black .. 1 white)."""
    drawn = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    drawn = [colour for colour in drawn if colour.alpha() > 200]
    return len(drawn), sum(colour.lightnessF() for colour in drawn) / max(len(drawn), 1)


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_every_page_has_both_variants_valid_and_drawn(qapp, page):
    light, dark = page_icon_path(page, LIGHT), page_icon_path(page, DARK)
    assert light.is_file() and dark.is_file()
    assert light.read_bytes() != dark.read_bytes(), "the dark variant must be drawn for dark backgrounds"
    for path in (light, dark):
        root = ElementTree.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 24 24"
        drawn, _ = _ink(_render(path))
        assert drawn > SIZE * SIZE // 20, f"{path} draws almost nothing"
        assert not page_icon(page, path.parent.name).isNull()
    # Light icons are drawn in dark ink, dark icons in light ink, so each reads on its own background.
    assert _ink(_render(light))[1] < 0.45
    assert _ink(_render(dark))[1] > 0.6


def test_no_stray_icons():
    for variant in VARIANTS:
        folder = page_icon_path("dashboard", variant).parent
        assert sorted(path.stem for path in folder.glob("*.svg")) == sorted(PAGE_NAMES)


def test_the_window_colour_decides_the_variant():
    assert palette_variant(QPalette(QColor("#efefef"))) == LIGHT
    assert palette_variant(QPalette(QColor("#2b2b2b"))) == DARK
    assert palette_variant(QPalette(QColor("#ffffff"))) == LIGHT
    assert palette_variant(QPalette(QColor("#353535"))) == DARK


def _variants_shown(window) -> set[str]:
    files = [window.navigation.item(row).data(ICON_FILE_ROLE) for row in range(window.navigation.count())]
    files += [window.page_actions[name].property(ICON_FILE_PROPERTY) for name in PAGE_NAMES]
    assert all(files), "every navigation item and View menu page action has an icon"
    return {Path(file).parent.name for file in files}


@pytest.fixture
def restore_palette(qapp):
    before = QPalette(qapp.palette())
    yield
    QApplication.setPalette(before)


def test_navigation_and_view_menu_follow_the_application_palette(qtbot, window, restore_palette):
    window.show()
    assert _variants_shown(window) == {LIGHT}
    for row, page in enumerate(PAGES):
        item = window.navigation.item(row)
        assert item.data(ICON_FILE_ROLE) == str(page_icon_path(page.name, LIGHT))
        assert not item.icon().isNull()
    QApplication.setPalette(QPalette(QColor("#2b2b2b")))  # a dark theme
    qtbot.waitUntil(lambda: _variants_shown(window) == {DARK}, timeout=5_000)
    assert window.navigation.item(3).data(ICON_FILE_ROLE) == str(page_icon_path("controls", DARK))
    QApplication.setPalette(QPalette(QColor("#f4f4f4")))
    qtbot.waitUntil(lambda: _variants_shown(window) == {LIGHT}, timeout=5_000)


def test_a_dark_palette_on_the_window_alone_is_followed_too(qtbot, window):
    window.setPalette(QPalette(QColor("#202124")))
    assert _variants_shown(window) == {DARK}
