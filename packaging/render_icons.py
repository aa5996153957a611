"""Render the application icon's PNG sizes, Windows .ico and macOS .icns from its SVG, deterministically.

    python packaging/render_icons.py [--check]

Writes resources/icons/app/soc2-workbench-<size>.png, soc2-workbench.ico and soc2-workbench.icns (all committed,
so a build never needs this step). With --check it writes nothing and exits 1 when a committed file differs.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app"
ICON_NAME = "soc2-workbench"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an ICO entry can describe
# ICNS element types that hold PNG data, and the pixel size of each (the @2x types are twice their point size).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"ic12", 64), (b"ic07", 128),
    (b"ic13", 256), (b"ic08", 256), (b"ic14", 512), (b"ic09", 512), (b"ic10", 1024),
)
_keep: list[object] = []  # the QGuiApplication, alive for as long as the module


def render_png(svg: Path, size: int) -> bytes:
    """Return the SVG drawn on a transparent square of `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _keep.append(QGuiApplication([]))
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} : not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: Iterable[tuple[int, bytes]]) -> bytes:
    """Return a Windows icon file whose images are the given (size, PNG bytes), stored as PNG (Vista and later)."""
    images = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    directory = b""
    for size, png in images:
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + directory + b"".join(png for _, png in images)


def icns_bytes(elements: Iterable[tuple[bytes, bytes]]) -> bytes:
    """Return a macOS icon file from (four-letter type, PNG bytes) elements."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def outputs(svg: Path) -> dict[Path, bytes]:
    """Return every file this script makes from the SVG, by path."""
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(svg, size) for size in sizes}
    files = {ICONS_DIR / f"{ICON_NAME}-{size}.png": pngs[size] for size in PNG_SIZES}
    files[ICONS_DIR / f"{ICON_NAME}.ico"] = ico_bytes((size, pngs[size]) for size in ICO_SIZES)
    files[ICONS_DIR / f"{ICON_NAME}.icns"] = icns_bytes((kind, pngs[size]) for kind, size in ICNS_TYPES)
    return files


def main(argv: list[str]) -> int:
    """Write the icon files (or, with --check, report the ones that differ from a fresh render)."""
    check = "--check" in argv
    stale = []
    for path, data in outputs(ICONS_DIR / f"{ICON_NAME}.svg").items():
        if check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
        else:
            path.write_bytes(data)
            print(f"{path.relative_to(ICONS_DIR.parents[2])}  {len(data):>7} bytes")
    for path in stale:
        print(f"differs: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
