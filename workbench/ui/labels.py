"""The program's one label for text: shown literally (user text is never interpreted as markup)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel


def plain_tip(text: str) -> str:
    """Return `text` to show as a tooltip literally: Qt shows a tooltip that looks like markup as rich text."""
    if not GuiQt.mightBeRichText(text):
        return text
    # html.escape(text, quote=False), without importing html (and its entity table) before the first paint
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '<qt style="white-space: pre-wrap">' + escaped + "</qt>"


def plain_label(text: str = "", *, bold: bool = False, scale: float = 1.0, wrap: bool = True,
                selectable: bool = False) -> QLabel:
    """Return a label that shows text literally, optionally bold, larger, unwrapped or selectable."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
