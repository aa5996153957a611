"""Help > User Guide: F1 opens one reused, non-modal guide window at the section about the page on show."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QKeySequence, QTextDocument

from tests.ui.conftest import SAMPLE, open_in
from workbench.ui.help_window import guide_path, section_anchors
from workbench.ui.main_window import PAGES


def _press_f1(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.pages.currentWidget(), Qt.Key.Key_F1)


def _top_line(help_window) -> str:
    return help_window.browser.cursorForPosition(QPoint(0, 0)).block().text()


def test_f1_opens_the_guide_at_the_page_and_a_second_f1_moves_it(qtbot, window):
    assert window.help.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert window.help.guide_action.text() == "&User Guide"
    open_in(qtbot, window, SAMPLE)
    window.show()
    qtbot.waitExposed(window)
    assert window.show_page("controls")
    assert window.help.help_window is None
    _press_f1(qtbot, window)
    help_window = window.help.help_window
    assert help_window is not None
    qtbot.waitUntil(help_window.isVisible, timeout=5_000)
    assert not help_window.isModal()
    qtbot.waitUntil(lambda: help_window.visible_section() == "controls", timeout=5_000)
    assert _top_line(help_window) == "Step 3: Implement controls"
    assert "library" in help_window.browser.toPlainText()

    assert window.show_page("evidence")
    _press_f1(qtbot, window)
    assert window.help.help_window is help_window, "one help window, reused"
    qtbot.waitUntil(lambda: help_window.visible_section() == "evidence", timeout=5_000)
    assert _top_line(help_window) == "Step 4: Collect evidence"


def test_without_a_project_the_guide_opens_at_getting_started(qtbot, window):
    assert window.current_page() == "welcome"
    window.help.guide_action.trigger()
    help_window = window.help.help_window
    qtbot.waitUntil(lambda: help_window.visible_section() == "welcome", timeout=5_000)
    assert _top_line(help_window) == "Getting started"
    help_window.close()


def test_every_page_has_a_marked_section_in_the_document(qtbot, window):
    window.help.show_guide()
    help_window = window.help.help_window
    document = help_window.browser.document()
    anchors = set(section_anchors(guide_path().read_text(encoding="utf-8")).values())
    for name in ["welcome", *(page.name for page in PAGES), "import", "exports", "team"]:
        assert name in anchors
        help_window.show_section(name)
        qtbot.waitUntil(lambda n=name: help_window.visible_section() == n, timeout=5_000)
    # The headings carry their names as anchors in the rendered document, as links and scrollToAnchor need.
    names = set()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            names.update(iterator.fragment().charFormat().anchorNames())
            iterator += 1
        block = block.next()
    assert anchors <= names


def test_links_between_sections_work(qtbot, window):
    window.help.show_guide()
    help_window = window.help.help_window
    browser = help_window.browser
    help_window.show_section("contents")
    qtbot.waitUntil(lambda: help_window.visible_section() == "contents", timeout=5_000)
    found = browser.document().find("Step 5: Engage a CPA firm")  # the line in the contents, a link to #audit
    assert not found.isNull() and found.charFormat().anchorHref() == "#audit"
    found.clearSelection()
    point = browser.cursorRect(found).center() + QPoint(-8, 0)
    assert browser.anchorAt(point) == "#audit"
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: help_window.visible_section() == "audit", timeout=5_000)
    assert _top_line(help_window) == "Step 5: Engage a CPA firm"
    browser.backward()
    qtbot.waitUntil(lambda: help_window.visible_section() == "contents", timeout=5_000)


def test_the_screenshots_are_shown_and_fit_the_window(qtbot, window):
    window.help.show_guide()
    help_window = window.help.help_window
    help_window.resize(700, 600)
    document = help_window.browser.document()
    # Narrower than the pictures (1280 pixels): each is scaled down to the width of the text, not cut off.
    qtbot.waitUntil(lambda: all(200 < width <= 700 for width in _image_widths(document)), timeout=5_000)
    assert len(_image_widths(document)) == 1 + len(PAGES)
    for name in _image_names(document):
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert image is not None and not image.isNull(), f"{name} did not load"


def _image_formats(document):
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment_format = iterator.fragment().charFormat()
            if fragment_format.isImageFormat():
                yield fragment_format.toImageFormat()
            iterator += 1
        block = block.next()


def _image_widths(document) -> list[float]:
    return [image.width() for image in _image_formats(document)]


def _image_names(document) -> list[str]:
    return [image.name() for image in _image_formats(document)]
