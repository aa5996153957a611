"""The main window on a project shared on a PostgreSQL server: open it, see others' changes live, reopen it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import DEFAULT_SPEC
from workbench.domain.entities import ControlDraft
from workbench.domain.location import ServerAddress
from workbench.services.connections import KEYRING_SERVICE, get_profile, save_profile
from workbench.services.controls import add_control
from workbench.services.project import create_project
from workbench.services.session import OpenProject, open_project
from workbench.ui.main_window import NOT_FOR_SERVER
from workbench.ui.server_dialog import ServerChoice, ServerDialog
from workbench.ui.undo import EditCommand

WAIT_MS = 20_000


@pytest.fixture
def shared_db(fresh_database: Callable[..., ServerAddress]) -> ServerAddress:
    """A fresh database holding a new project."""
    address = fresh_database()
    create_project(address, DEFAULT_SPEC).close()
    return address


@pytest.fixture
def colleague(shared_db: ServerAddress) -> Iterator[OpenProject]:
    """A second program (another person) with the same project open."""
    project = open_project(shared_db, actor="bo")
    yield project
    project.close()


def open_server(qtbot, window, location) -> None:
    with qtbot.waitSignal(window.project_loaded, timeout=WAIT_MS):
        window.open_path(location)


def shown_refs(window) -> list[str]:
    page = window.step_pages["controls"]
    return [page.model.item(row).control.ref for row in range(page.model.rowCount())]


def wait_listening(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.live.watch is not None and window.live.watch.listening, timeout=WAIT_MS)


def test_a_colleagues_change_appears_in_the_open_page_without_reopening(qtbot, window, shared_db, colleague):
    open_server(qtbot, window, shared_db)
    assert window.project.on_server
    window.show()
    with qtbot.waitSignal(window.step_pages["controls"].loaded, timeout=WAIT_MS):
        window.show_page("controls")
    assert shown_refs(window) == []
    wait_listening(qtbot, window)

    before = window.status.audit_entries

    with qtbot.waitSignal(window.live_updated, timeout=WAIT_MS) as updated:
        add_control(colleague, ControlDraft("AC-7", "Quarterly access review", criteria=("CC6.1",)))
    assert updated.args == [["bo"]]
    qtbot.waitUntil(lambda: shown_refs(window) == ["AC-7"], timeout=WAIT_MS)
    assert window.statusBar().currentMessage() == "Updated by bo"
    assert window.project.path == shared_db  # the same open project: nothing was reopened
    qtbot.waitUntil(lambda: window.status.audit_entries > before, timeout=WAIT_MS)  # the dashboard follows too


def test_the_windows_own_changes_cause_no_second_reload(qtbot, window, shared_db):
    open_server(qtbot, window, shared_db)
    wait_listening(qtbot, window)
    project = window.project
    with qtbot.assertNotEmitted(window.live_updated, wait=1500), \
            qtbot.waitSignal(window.context.refreshed, timeout=WAIT_MS):
        window.context.apply(EditCommand("Add control", partial(add_control, draft=ControlDraft("AC-1", "Mine"))))
    assert window.project is project


def test_title_recent_list_and_file_only_actions_for_a_server_project(qtbot, window, shared_db):
    typed = shared_db.with_password("not-remembered")
    open_server(qtbot, window, typed)
    title = window.windowTitle()
    assert f"{shared_db.database} on {shared_db.host}:{shared_db.port}" in title
    assert window.windowFilePath() == ""
    assert "not-remembered" not in window.file_label.text() and "shared on a server" in window.file_label.text()
    for action, key in ((window.save_as_action, "save_as"), (window.backups_action, "backups")):
        assert not action.isEnabled() and action.toolTip() == NOT_FOR_SERVER[key]
    assert window.export_action.isEnabled()
    assert window.recent.paths()[0] == str(shared_db)  # the URL, never its password

    window.close_project()
    qtbot.waitUntil(lambda: window.project is None and not window.operations.busy, timeout=WAIT_MS)
    assert window.live.watch is None
    # Open Recent (and the welcome list) reopen it.
    window._fill_recent_menu()
    entry = next(a for a in window.recent_menu.actions() if a.text() == str(shared_db))
    with qtbot.waitSignal(window.project_loaded, timeout=WAIT_MS):
        entry.trigger()
    assert window.project.on_server and window.project.path == shared_db
    assert window.welcome.recent.count() >= 1


def test_file_actions_come_back_for_a_project_file(qtbot, window, shared_db, tmp_path):
    open_server(qtbot, window, shared_db)
    path = tmp_path / "local.soc2"
    create_project(path, DEFAULT_SPEC).close()
    with qtbot.waitSignal(window.project_loaded, timeout=WAIT_MS):
        window.open_path(path)
    assert window.save_as_action.isEnabled() and window.backups_action.isEnabled()
    assert window.save_as_action.toolTip() != NOT_FOR_SERVER["save_as"]
    assert window.live.watch is None
    assert [str(p) for p in window.recent.paths()[:2]] == [str(path), str(shared_db)]


def test_the_dialog_saves_a_profile_tests_it_and_recent_keeps_the_profile(qtbot, window, shared_db,
                                                                           memory_keyring):
    dialog = ServerDialog(window.operations, window, interactive=False)
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentIndex() == 1  # no saved connections yet: the new-connection tab
    open_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
    assert not open_button.isEnabled() and not dialog.test_button.isEnabled()
    dialog.host.setText(shared_db.host)
    dialog.port.setValue(shared_db.port)
    dialog.database.setText(shared_db.database)
    dialog.user.setText(shared_db.user)
    dialog.password.setText("pw-for-keyring")
    dialog.save_profile.setChecked(True)
    assert dialog.profile_name.text() == shared_db.database
    dialog.profile_name.setText("team")
    assert dialog.keep_password.isEnabled() and dialog.keep_password.isChecked()
    assert open_button.isEnabled()

    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=WAIT_MS)
    assert dialog.last_check.ok and "holds a SOC 2 Workbench project" in dialog.message.text()

    choice = dialog.choice()
    assert choice == ServerChoice(address=shared_db, password="pw-for-keyring", save_as="team", keep_password=True)
    with qtbot.waitSignal(window.project_loaded, timeout=WAIT_MS):
        window.session.open_server_choice(choice)
    assert get_profile("team").password_saved
    assert memory_keyring.store == {(KEYRING_SERVICE, "team"): "pw-for-keyring"}
    assert window.recent.paths()[0] == "profile:team"
    assert window.file_label.text().startswith("team: ")

    # Next time, the saved connection is listed and selected.
    again = ServerDialog(window.operations, window, interactive=False)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 0 and again.selected_profile() == "team"
    assert again.choice() == ServerChoice(profile="team")
    window.close_project()
    qtbot.waitUntil(lambda: window.project is None and not window.operations.busy, timeout=WAIT_MS)
    with qtbot.waitSignal(window.project_loaded, timeout=WAIT_MS):
        window.open_path("profile:team")
    assert window.project.path.with_password(None) == shared_db
    assert window.project.path.password == "pw-for-keyring"  # read back from the keyring


def test_a_failed_test_connection_is_told_in_the_dialog(qtbot, window, postgres_admin, memory_keyring):
    dialog = ServerDialog(window.operations, window, interactive=False)
    qtbot.addWidget(dialog)
    dialog.host.setText(postgres_admin.host)
    dialog.port.setValue(postgres_admin.port)
    dialog.database.setText("wbt_surely_missing_db")
    dialog.user.setText(postgres_admin.user)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=WAIT_MS)
    assert not dialog.last_check.ok
    assert dialog.message.text().startswith("Could not connect.") and "no such database" in dialog.message.text()


def test_without_a_keyring_the_dialog_does_not_offer_to_remember_the_password(qtbot, window):
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        dialog = ServerDialog(window.operations, window, interactive=False)
        qtbot.addWidget(dialog)
        dialog.save_profile.setChecked(True)
        assert not dialog.keep_password.isEnabled() and not dialog.keep_password.isChecked()
        assert "No keyring" in dialog.keep_password.toolTip()
    finally:
        keyring.set_keyring(previous)


def test_a_saved_profile_without_keyring_password_still_lists(qtbot, window, memory_keyring):
    save_profile("later", "postgresql://ana@db.example.com:6543/acme")
    dialog = ServerDialog(window.operations, window, interactive=False)
    qtbot.addWidget(dialog)
    assert "later" in dialog.profiles.item(0).text() and "no saved password" in dialog.profiles.item(0).text()
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.profiles.count() == 0, timeout=WAIT_MS)
    assert dialog.tabs.currentIndex() == 1


def test_a_locked_keyring_is_reported_or_the_password_asked(qtbot, window, shared_db, memory_keyring, monkeypatch):
    save_profile("team", shared_db, "kept-pw")
    memory_keyring.locked = True
    with qtbot.waitSignal(window.operation_failed, timeout=WAIT_MS) as failed:
        window.open_path("profile:team")
    assert "profile:team : its saved password cannot be read: the keyring is locked" in failed.args[0]
    assert window.project is None

    asked: list[str] = []

    def ask(address, why, _parent):
        asked.append(why)
        return "typed-pw"

    monkeypatch.setattr("workbench.ui.server_dialog.ask_server_password", ask)  # the session imports it when asking
    window.interactive = True  # a person at the window is asked; the context still signals failures
    with qtbot.waitSignal(window.project_loaded, timeout=WAIT_MS):
        window.open_path("profile:team")
    assert asked and "the keyring is locked" in asked[0]
    assert window.project.path.password == "typed-pw"
    assert window.recent.paths()[0] == "profile:team"
    window.interactive = False
