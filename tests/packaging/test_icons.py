"""The application icon: every PNG size, the Windows .ico and macOS .icns containers, and that they match the SVG."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.packaging.tools import REPO, packaging_module

build_info = packaging_module("build_info")
render_icons = packaging_module("render_icons")
ICONS = REPO / "resources" / "icons" / "app"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's header chunk."""
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_script_and_the_spec_agree_on_names_and_sizes():
    assert render_icons.ICON_NAME == build_info.ICON_NAME
    assert render_icons.PNG_SIZES == build_info.ICON_SIZES
    assert render_icons.ICONS_DIR == build_info.ICONS_DIR == ICONS


@pytest.mark.parametrize("size", build_info.ICON_SIZES)
def test_every_png_size_exists_with_its_pixel_size_and_transparency(size):
    data = (ICONS / f"{build_info.ICON_NAME}-{size}.png").read_bytes()
    assert png_size(data) == (size, size)
    assert data[25] == 6  # colour type 6: RGBA, so the corners stay transparent


def test_the_windows_icon_holds_png_images_of_the_listed_sizes():
    data = (ICONS / f"{build_info.ICON_NAME}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(render_icons.ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, _colours, _reserved, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        image = data[offset:offset + length]
        assert len(image) == length and planes == 1 and bits == 32
        assert png_size(image) == (width or 256, height or 256)
        sizes.append(width or 256)
    assert sizes == sorted(render_icons.ICO_SIZES)


def test_the_macos_icon_holds_png_elements_of_the_right_sizes():
    data = (ICONS / f"{build_info.ICON_NAME}.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found: dict[bytes, tuple[int, int]] = {}
    position = 8
    while position < len(data):
        kind, length = data[position:position + 4], struct.unpack(">I", data[position + 4:position + 8])[0]
        found[kind] = png_size(data[position + 8:position + length])
        position += length
    assert position == len(data)
    assert found == {kind: (size, size) for kind, size in render_icons.ICNS_TYPES}
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= set(found)


def test_the_containers_are_what_the_script_writes(tmp_path: Path):
    pngs = [(16, (ICONS / f"{build_info.ICON_NAME}-16.png").read_bytes())]
    assert render_icons.ico_bytes(pngs)[:6] == b"\0\0\1\0\1\0"
    assert render_icons.icns_bytes([(b"icp4", pngs[0][1])])[8:12] == b"icp4"


def test_the_committed_pngs_match_a_fresh_render_of_the_svg(qapp):
    from PySide6.QtGui import QImage

    svg = ICONS / f"{build_info.ICON_NAME}.svg"
    for size in (16, 48):
        fresh = QImage.fromData(render_icons.render_png(svg, size))
        committed = QImage(str(ICONS / f"{build_info.ICON_NAME}-{size}.png"))
        assert fresh.size() == committed.size()
        worst = max(abs(a - b) for y in range(size) for x in range(size)
                    for a, b in zip(fresh.pixelColor(x, y).getRgb(), committed.pixelColor(x, y).getRgb(), strict=True))
        assert worst <= 8, f"{size} px differs from the SVG by {worst}: run packaging/render_icons.py"


def test_the_icon_fills_its_square_at_16_pixels(qapp):
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / f"{build_info.ICON_NAME}-16.png"))
    opaque = sum(image.pixelColor(x, y).alpha() > 128 for y in range(16) for x in range(16))
    assert opaque >= 16 * 16 // 2  # a recognisable shape, not a speck
