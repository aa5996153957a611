"""The Registers page's tab bar at 900 px: the seven registers fit with their counts; with more kinds than the width
holds, the bar scrolls, every tab keeps its whole title (and tooltip), and All tabs lists them all, one click each."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton, QWidget

from tests.ui.conftest import show_page
from workbench.ui.pages.registers import RegistersPage
from workbench.ui.tab_overflow import LABEL

TITLES = ["Risks (20)", "Vendors (12)", "Vendor reports (4)", "Incidents (3)", "Continuity tests (2)", "People (40)",
          "Access reviews (15)"]
MORE = ["Policies (12)", "Acknowledgements (88)", "Findings (140)", "Populations (9)"]


def _in_sight(page: RegistersPage, index: int) -> bool:
    bar = page.tabs.tabBar()
    rect = bar.tabRect(index)
    return bar.isVisible() and rect.left() >= 0 and rect.right() <= bar.width()


def _scroll_arrows(page: RegistersPage) -> list[QToolButton]:
    return [b for b in page.tabs.tabBar().findChildren(QToolButton) if b.isVisible()]


def test_the_tabs_at_900_px_fit_then_scroll_with_every_title_whole(qtbot, page_context):
    page = RegistersPage(page_context)
    show_page(qtbot, page)
    page.resize(900, 700)
    qtbot.waitUntil(lambda: page.width() == 900)
    tabs = page.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == TITLES
    assert [tabs.tabToolTip(i) for i in range(tabs.count())] == TITLES
    assert all(_in_sight(page, i) for i in range(tabs.count()))
    assert not page.overflow.isVisible() and not _scroll_arrows(page)

    for title in MORE:  # more kinds than 900 px holds
        tabs.setTabToolTip(tabs.addTab(QWidget(), title), title)
    page.overflow.refresh()
    qtbot.waitUntil(lambda: page.overflow.isVisible())
    assert page.overflow.text() == LABEL and _scroll_arrows(page)
    assert [tabs.tabText(i) for i in range(tabs.count())] == TITLES + MORE  # whole, never "Risks..."
    assert not all(_in_sight(page, i) for i in range(tabs.count()))
    page.overflow.fill()
    actions = page.overflow.menu().actions()
    assert [a.text() for a in actions] == TITLES + MORE and actions[0].isChecked()
    actions[-1].trigger()
    assert tabs.currentIndex() == tabs.count() - 1
    qtbot.waitUntil(lambda: _in_sight(page, tabs.count() - 1))  # the bar scrolled to it

    page.resize(1600, 700)  # wide enough again: the button goes
    qtbot.waitUntil(lambda: not page.overflow.isVisible())
