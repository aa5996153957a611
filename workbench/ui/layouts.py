"""How the pages place their parts: a row packed to one end, a pane of stacked parts, and panes split side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QSizePolicy, QSplitter, QTabWidget, QVBoxLayout, QWidget

BoxLayout = TypeVar("BoxLayout", bound=QBoxLayout)


def packed_row(*widgets: QWidget, right: bool = False) -> QHBoxLayout:
    """Return a row of widgets side by side at their natural size, packed to its left end (or its right)."""
    row = QHBoxLayout()
    if right:
        row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    if not right:
        row.addStretch(1)
    return row


def split(*panes: QWidget, stretch: Sequence[int], sizes: Sequence[int] = (), vertical: bool = False,
          collapsible: bool = True) -> QSplitter:
    """Return a splitter holding the panes (left to right, or top to bottom), sharing extra room by `stretch`,
    starting at `sizes` if given."""
    splitter = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(collapsible)
    for pane in panes:
        splitter.addWidget(pane)
    for index, factor in enumerate(stretch):
        splitter.setStretchFactor(index, factor)
    if sizes:
        splitter.setSizes(list(sizes))
    return splitter


def strip(*widgets: QWidget) -> tuple[QWidget, QHBoxLayout]:
    """Return a widget holding `widgets` side by side without margins (a group a FlowLayout keeps together),
    and its layout to add more to."""
    return _bare(QHBoxLayout, widgets)


def size_by_current_tab(tabs: QTabWidget) -> None:
    """Let only the tab on show count towards the tab widget's size (call once its tabs are added).

    A tab never shown yet works out its minimum before it was laid out (wrapped labels at some narrow width):
    counted, it could hold the window taller or wider than the tab on show needs.
    """
    policies = [tabs.widget(index).sizePolicy() for index in range(tabs.count())]
    ignored = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def follow(current: int) -> None:
        for index, policy in enumerate(policies):
            tabs.widget(index).setSizePolicy(policy if index == current else ignored)

    tabs.currentChanged.connect(follow)
    follow(tabs.currentIndex())


def pane(*widgets: QWidget) -> tuple[QWidget, QVBoxLayout]:
    """Return a widget stacking `widgets` top to bottom without margins, and its layout to add more to."""
    return _bare(QVBoxLayout, widgets)


def labelled_row(text: str, field: QWidget, *after: QWidget) -> QHBoxLayout:
    """Return a row: a label naming `field` (its buddy, so its mnemonic focuses it), the field taking the room,
    then `after` at their natural size."""
    row = QHBoxLayout()
    label = QLabel(text)
    label.setBuddy(field)
    row.addWidget(label)
    row.addWidget(field, 1)
    for widget in after:
        row.addWidget(widget)
    return row


def _bare(kind: type[BoxLayout], widgets: Sequence[QWidget]) -> tuple[QWidget, BoxLayout]:
    box = QWidget()
    layout = kind(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return box, layout
