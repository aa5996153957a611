"""The welcome screen: the ways to start, keyboard focus, recent projects that went missing, and removal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from workbench.ui.icons import app_icon_path
from workbench.ui.welcome import MISSING_ROLE, WelcomePage

WAIT_MS = 5_000


def test_it_offers_every_way_to_start(qtbot, window):
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.sample_button.isEnabled()
    welcome = WelcomePage()  # on its own, so that the buttons' signals open no dialogs
    qtbot.addWidget(welcome)
    texts = [button.text() for button in (welcome.new_button, welcome.open_button, welcome.server_button,
                                          welcome.sample_button)]
    assert texts == ["&New project…", "&Open…", "Open from se&rver…", "Open the s&ample project"]
    for button, signal in ((welcome.new_button, welcome.new_requested),
                           (welcome.open_button, welcome.open_requested),
                           (welcome.server_button, welcome.server_requested),
                           (welcome.sample_button, welcome.sample_requested)):
        with qtbot.waitSignal(signal, timeout=WAIT_MS):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "Take the tour" in welcome.links.text() and "user guide" in welcome.links.text()
    assert welcome.app_icon.isVisibleTo(welcome) == (app_icon_path() is not None)


def test_keyboard_focus_starts_on_new_project(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.welcome.new_button.hasFocus(), timeout=WAIT_MS)


def test_missing_projects_are_marked_and_can_be_removed(qtbot, window, tmp_path):
    here = tmp_path / "here.soc2"
    here.write_bytes(b"")
    gone = tmp_path / "gone.soc2"
    window.recent.add(gone)
    window.recent.add(here)
    window.recent.add("postgresql://alice@db.example:5432/acme")
    welcome = window.welcome
    welcome.set_recent(window.recent.paths())
    qtbot.waitUntil(lambda: welcome.missing() == [str(gone)], timeout=WAIT_MS)
    rows = {welcome.recent.item(row).data(Qt.ItemDataRole.UserRole): welcome.recent.item(row)
            for row in range(welcome.recent.count())}
    assert "(not found)" in rows[str(gone)].text() and rows[str(gone)].font().italic()
    assert rows[str(here)].data(MISSING_ROLE) is False and "(not found)" not in rows[str(here)].text()

    welcome.recent.setCurrentItem(rows[str(gone)])
    assert welcome.remove_button.isEnabled()
    with qtbot.waitSignal(welcome.recent_removed, timeout=WAIT_MS) as removed:
        qtbot.keyClick(welcome.recent, Qt.Key.Key_Delete)
    assert removed.args == [gone]
    assert [str(p) for p in window.recent.paths()] == ["postgresql://alice@db.example:5432/acme", str(here)]
    assert here.exists(), "removing from the list never touches the file"

    welcome.recent.setCurrentRow(0)
    qtbot.mouseClick(welcome.remove_button, Qt.MouseButton.LeftButton)
    assert [str(p) for p in window.recent.paths()] == [str(here)]
    welcome.recent.setCurrentRow(0)
    qtbot.mouseClick(welcome.remove_button, Qt.MouseButton.LeftButton)
    assert window.recent.paths() == []
    assert welcome.recent.count() == 1 and welcome.recent.item(0).text() == "Projects you open appear here."
    assert not welcome.remove_button.isEnabled()


def test_activating_a_recent_project_asks_to_open_it(qtbot, window, tmp_path):
    path = tmp_path / "acme.soc2"
    window.welcome.set_recent([path])
    with qtbot.waitSignal(window.welcome.recent_requested, timeout=WAIT_MS) as opened:
        window.welcome.recent.itemActivated.emit(window.welcome.recent.item(0))
    assert opened.args == [Path(path)]
