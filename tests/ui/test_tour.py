"""The tour of the six steps: once on first run, remembered when done or skipped, reopened from Help."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.conftest import SAMPLE, open_in
from workbench.ui.icons import page_icon_path
from workbench.ui.main_window import PAGES, MainWindow
from workbench.ui.tour import FIRST_RUN_DELAY_MS, TOUR, TOUR_SEEN_KEY, tour_seen

WAIT_MS = 5_000


@pytest.fixture
def first_run_window(qtbot, settings):
    """A window as the program opens it for a person (interactive), on fresh preferences."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(settings, interactive=True)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        return window

    yield make
    for window in windows:
        window.close()


def _tour_visible(window: MainWindow) -> bool:
    return window.help.tour is not None and window.help.tour.isVisible()


def test_the_tour_opens_once_on_first_run_and_skip_remembers_it(qtbot, settings, first_run_window):
    assert not tour_seen(settings)
    window = first_run_window()
    qtbot.waitUntil(lambda: _tour_visible(window), timeout=WAIT_MS)
    tour = window.help.tour
    assert tour.current_stop().step == 1
    assert tour.position.text() == "Step 1 of 6"
    qtbot.mouseClick(tour.skip_button, Qt.MouseButton.LeftButton)
    assert not tour.isVisible()
    assert tour_seen(settings)
    window.close()

    again = first_run_window()
    qtbot.wait(FIRST_RUN_DELAY_MS + 300)
    assert again.help.tour is None, "the tour was seen: it must not come back by itself"


def test_escape_skips_the_tour_and_remembers_it(qtbot, settings, first_run_window):
    window = first_run_window()
    qtbot.waitUntil(lambda: _tour_visible(window), timeout=WAIT_MS)
    qtbot.keyClick(window.help.tour, Qt.Key.Key_Escape)
    assert not window.help.tour.isVisible()
    assert settings.value(TOUR_SEEN_KEY, type=bool) is True


def test_screenshots_and_tests_never_get_the_tour(qtbot, window, settings):
    window.show()  # the `window` fixture is not interactive, as in --screenshot runs
    qtbot.wait(FIRST_RUN_DELAY_MS + 300)
    assert window.help.tour is None and window.help.first_show is None
    assert not tour_seen(settings)


def test_next_back_and_done_walk_the_six_steps(qtbot, window, settings):
    window.help.show_tour()
    tour = window.help.tour
    assert tour.isVisible() and not tour.isModal()
    assert not tour.back_button.isEnabled() and not tour.done_button.isVisible()
    seen: list[int] = []
    for _ in TOUR:
        seen.append(tour.current_stop().step)
        page = tour.stack.currentWidget()
        text = " ".join(label.text() for label in page.findChildren(type(tour.position)))
        assert f"Step {tour.current_stop().step}: {tour.current_stop().title}" in text
        assert "What it is for" in text and "What to do here" in text
        if tour.next_button.isVisible():
            qtbot.mouseClick(tour.next_button, Qt.MouseButton.LeftButton)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert tour.done_button.isVisible() and not tour.next_button.isVisible()
    qtbot.mouseClick(tour.back_button, Qt.MouseButton.LeftButton)
    assert tour.current_stop().step == 5
    tour.go(5)
    assert not tour_seen(settings)
    qtbot.mouseClick(tour.done_button, Qt.MouseButton.LeftButton)
    assert not tour.isVisible() and tour_seen(settings)


def test_the_stops_match_the_steps_of_the_window(qtbot):
    steps = {page.step: page.name for page in PAGES if page.step is not None}
    assert [stop.step for stop in TOUR] == [1, 2, 3, 4, 5, 6]
    assert all(steps[stop.step] == stop.page for stop in TOUR)
    for stop in TOUR:
        assert len(stop.purpose) > 80 and len(stop.in_the_app) > 80


def test_help_menu_reopens_the_tour_from_step_one(qtbot, window, settings):
    help_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Help")
    tour_action = next(action for action in help_menu.actions() if action.text() == "&Tour of the Six Steps")
    guide_action = next(action for action in help_menu.actions() if action.text() == "&User Guide")
    assert guide_action is window.help.guide_action
    settings.setValue(TOUR_SEEN_KEY, True)
    tour_action.trigger()
    tour = window.help.tour
    assert tour.isVisible()
    tour.go(3)
    tour.reject()
    tour_action.trigger()
    assert window.help.tour is tour and tour.isVisible() and tour.current_stop().step == 1


def test_welcome_link_takes_the_tour(qtbot, window):
    window.welcome.links.linkActivated.emit("tour")
    assert _tour_visible(window)


def test_show_me_goes_to_the_page_and_keeps_the_tour_open(qtbot, window):
    window.help.show_tour()
    tour = window.help.tour
    tour.go(2)
    show_me = tour.stack.currentWidget().findChild(QPushButton, "showMe")
    qtbot.mouseClick(show_me, Qt.MouseButton.LeftButton)  # no project yet: it says what to do instead
    assert window.current_page() == "welcome"
    assert "Open a project first" in tour.hints[2].text()

    open_in(qtbot, window, SAMPLE)
    qtbot.mouseClick(show_me, Qt.MouseButton.LeftButton)
    assert window.current_page() == "controls"
    assert tour.isVisible() and tour.hints[2].text() == ""


def test_tour_pages_show_the_step_icons(qtbot, window):
    window.help.show_tour()
    tour = window.help.tour
    shown: dict[str, str] = {}
    tour.icons.bind("evidence", lambda _icon, path: shown.update(evidence=str(path)))
    assert shown["evidence"] == str(page_icon_path("evidence", tour.icons.variant))
    for index in range(len(TOUR)):
        label = tour.stack.widget(index).findChild(type(tour.position), "tourIcon")
        assert label.pixmap() is not None and not label.pixmap().isNull()
