"""The user guide in a window of its own: resources/help/guide.md with its screenshots, one section per page.

A section is marked in the guide by a line `<a id="NAME"></a>` just above its heading (GitHub shows the same
anchors); the window puts those names on the headings, so `#NAME` links and show_section(NAME) find them.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QImage, QImageReader, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from workbench import APP_NAME
from workbench.paths import resources_dir

GUIDE_NAME = "guide.md"
CONTENTS = "contents"
_ANCHOR_LINE = re.compile(r'^\s*<a id="([A-Za-z0-9_-]+)"></a>\s*$')
_HEADING_LINE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
FIT_DELAY_MS = 80
IMAGE_MARGIN = 24


def help_dir() -> Path:
    """Return the folder of the user guide and its images."""
    return resources_dir() / "help"


def guide_path() -> Path:
    """Return the user guide's markdown file."""
    return help_dir() / GUIDE_NAME


def section_anchors(markdown: str) -> dict[str, str]:
    """Return {heading text: anchor name} for every heading that has an `<a id>` line just above it."""
    anchors: dict[str, str] = {}
    pending: str | None = None
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if match := _ANCHOR_LINE.match(line):
            pending = match.group(1)
        elif match := _HEADING_LINE.match(line):
            if pending is not None:
                anchors[match.group(2)] = pending
            pending = None
        elif line.strip():
            pending = None
    return anchors


def image_references(markdown: str) -> list[str]:
    """Return the image paths the guide refers to, in order."""
    return _IMAGE.findall(markdown)


class HelpWindow(QWidget):
    """A non-modal window showing the guide; show_section() scrolls to a page's section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"User Guide — {APP_NAME}")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setUndoRedoEnabled(False)
        self.browser.viewport().installEventFilter(self)
        back = QPushButton("◀ &Back")
        forward = QPushButton("&Forward ▶")
        contents = QPushButton("&Contents")
        back.setEnabled(False)
        forward.setEnabled(False)
        back.clicked.connect(self.browser.backward)
        forward.clicked.connect(self.browser.forward)
        contents.clicked.connect(lambda: self.show_section(CONTENTS))
        self.browser.backwardAvailable.connect(back.setEnabled)
        self.browser.forwardAvailable.connect(forward.setEnabled)
        bar = QHBoxLayout()
        for button in (back, forward, contents):
            button.setAutoDefault(False)
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.browser)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(FIT_DELAY_MS)
        self._fit_timer.timeout.connect(self._fit_images)
        self._image_sizes: dict[str, QSize] = {}
        self.anchors: dict[str, str] = {}  # heading text -> anchor name
        self.resize(900, 760)
        self.load()

    def load(self) -> None:
        """(Re)read the guide from resources/help, keeping the reader where they were."""
        section = self.visible_section() if self.anchors else None
        path = guide_path()
        text = path.read_text(encoding="utf-8")
        document = self.browser.document()
        document.setBaseUrl(QUrl.fromLocalFile(f"{path.parent}/"))
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setMarkdown(text)
        self.anchors = section_anchors(text)
        self._mark_headings(document)
        self._fit_images()
        if section is not None:
            self.browser.scrollToAnchor(section)

    def _mark_headings(self, document: QTextDocument) -> None:
        block = document.begin()
        while block.isValid():
            name = self.anchors.get(block.text()) if block.blockFormat().headingLevel() else None
            if name is not None:
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                mark = QTextCharFormat()
                mark.setAnchor(True)
                mark.setAnchorNames([name])
                cursor.mergeCharFormat(mark)
            block = block.next()

    def _fit_images(self) -> None:
        """Show each screenshot at its own size, or narrower to fit the window, keeping the top line in place.

        Also leaves a window's height of room after the end, so that the last sections can scroll to the top too.
        """
        document = self.browser.document()
        width = self.browser.viewport().width() - 2 * int(document.documentMargin()) - IMAGE_MARGIN
        top = self.browser.cursorForPosition(QPoint(0, 0)).position()
        changed = False
        frame = document.rootFrame().frameFormat()
        room = max(self.browser.viewport().height() - 3 * int(document.documentMargin()), 0)
        if abs(frame.bottomMargin() - room) >= 1:
            frame.setBottomMargin(room)
            document.rootFrame().setFrameFormat(frame)
            changed = True
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                fragments += 1
                if not fragment.charFormat().isImageFormat():
                    continue
                image = fragment.charFormat().toImageFormat()
                natural = self._natural_size(image.name())
                if natural.isEmpty():
                    continue
                wanted = float(min(natural.width(), max(width, 160)))
                if abs(image.width() - wanted) < 1:
                    continue
                height = wanted * natural.height() / natural.width()
                self._add_scaled(document, image.name(), QSize(round(wanted), round(height)))
                image.setWidth(wanted)
                image.setHeight(height)
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(image)
                changed = True
            block = block.next()
        if changed:
            layout = document.documentLayout()
            self.browser.verticalScrollBar().setValue(int(layout.blockBoundingRect(document.findBlock(top)).top()))

    def _add_scaled(self, document: QTextDocument, name: str, size: QSize) -> None:
        """Give the document the picture already scaled, smoothly: its own scaling of a screenshot is jagged."""
        ratio = self.devicePixelRatioF()
        original = QImage(str(help_dir() / name))
        if original.isNull():
            return
        scaled = original.scaled(size * ratio, Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        # resource() looks names up resolved against the base URL; addResource() stores them as given
        document.addResource(QTextDocument.ResourceType.ImageResource, document.baseUrl().resolved(QUrl(name)), scaled)

    def _natural_size(self, name: str) -> QSize:
        size = self._image_sizes.get(name)
        if size is None:
            size = self._image_sizes[name] = QImageReader(str(help_dir() / name)).size()
        return size

    def show_section(self, name: str) -> None:
        """Show the window (reused, never modal) scrolled to the section called `name`."""
        self.show()
        self.raise_()
        self.activateWindow()
        self._fit_images()
        self.browser.setSource(QUrl(f"#{name}"))
        self.browser.scrollToAnchor(name)  # again: setSource ignores a link to the section it already shows

    def visible_section(self) -> str | None:
        """Return the anchor name of the section at the top of the window (the last marked heading above it)."""
        top = self.browser.cursorForPosition(QPoint(0, 0)).block()
        block = top
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text() in self.anchors:
                return self.anchors[block.text()]
            block = block.previous()
        return None

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is self.browser.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_timer.start()
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.anchors:
            self.load()  # the markdown's link colour is taken from the palette when the text is read
        super().changeEvent(event)
