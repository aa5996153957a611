"""The window's safety paths: encrypted projects ask for their passphrase, backups open, risky places warn."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from tests.ui.conftest import open_in
from workbench.domain.encryption import EncryptionChoice
from workbench.services.controls import list_controls
from workbench.services.project import NewProject, create_project
from workbench.store import crypto
from workbench.ui import project_session


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)  # cheap key derivation for the test only
    monkeypatch.delenv("WORKBENCH_PASSPHRASE", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_an_encrypted_project_asks_for_its_passphrase_again_after_a_wrong_one(qtbot, window, tmp_path, no_keyring,
                                                                               monkeypatch):
    path = tmp_path / "secret.soc2"
    spec = replace(NewProject("Secret Co", "Vault"), encryption=EncryptionChoice(use_keyring=False,
                                                                                 passphrase="correct horse"))
    create_project(path, spec).close()
    answers = iter(["wrong guess", "correct horse"])
    asked: list[str] = []

    def ask(project: Path, error: Exception, parent: object) -> str:
        asked.append(str(error))
        return next(answers)

    monkeypatch.setattr(project_session, "ask_passphrase", ask)
    window.interactive = True  # the passphrase question is part of the interactive path
    with qtbot.waitSignal(window.project_loaded, timeout=30_000):
        window.open_path(path)
    assert len(asked) == 2 and "passphrase is wrong" in asked[1]
    assert window.dashboard.organization.text() == "Secret Co"
    window.operations.wait(30)
    assert list_controls(window.project) == []


def test_the_backups_dialog_lists_the_open_time_backup(qtbot, window, tmp_path):
    path = tmp_path / "acme.soc2"
    create_project(path, NewProject("Acme")).close()
    open_in(qtbot, window, path)
    assert window.backups_action.isEnabled()
    window.backups_action.trigger()
    dialog = window.backups
    qtbot.waitUntil(lambda: dialog.table.model().rowCount() >= 1, timeout=20_000)
    dialog.reject()


def test_a_project_in_a_synced_folder_warns_once(qtbot, window, tmp_path):
    folder = tmp_path / "Dropbox" / "clients"
    folder.mkdir(parents=True)
    path = folder / "acme.soc2"
    create_project(path, NewProject("Acme")).close()
    with qtbot.waitSignal(window.place_warned, timeout=20_000) as warned:
        window.open_path(path)
    assert "Dropbox" in warned.args[0]
    window.close_project()
    qtbot.waitUntil(lambda: window.project is None, timeout=20_000)
    with qtbot.assertNotEmitted(window.place_warned, wait=500):
        open_in(qtbot, window, path)
