"""The passphrase dialog and the wizard's "Encrypt this project" choice, used as a person would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from workbench.domain.encryption import KeyRequiredError, KeyringUnavailableError, WrongPassphraseError
from workbench.services.controls import list_controls
from workbench.services.encryption import KeyProtection, protection
from workbench.services.project import create_project
from workbench.services.session import open_project
from workbench.store import crypto
from workbench.ui.new_project_wizard import NewProjectWizard
from workbench.ui.passphrase_dialog import PassphraseDialog, ask_passphrase

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)
    monkeypatch.delenv("WORKBENCH_PASSPHRASE", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _encrypted_project(qtbot, tmp_path: Path) -> Path:
    wizard = NewProjectWizard(tmp_path, date(2026, 11, 26))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.organization, "Client Ltd")
    for _ in range(3):
        wizard.next()
    assert wizard.currentPage() is wizard.pages[-1]
    wizard.encrypt.setChecked(True)
    assert not wizard.keyring_radio.isEnabled()  # the fail backend: no keyring on this computer
    assert wizard.passphrase_radio.isChecked()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled() and "Enter a passphrase" in wizard.problem.text()
    qtbot.keyClicks(wizard.passphrase, PASSPHRASE)
    qtbot.keyClicks(wizard.passphrase_again, PASSPHRASE[:-1] + "X")
    assert not finish.isEnabled() and "differ" in wizard.problem.text()
    wizard.passphrase_again.clear()
    qtbot.keyClicks(wizard.passphrase_again, PASSPHRASE)
    assert finish.isEnabled()
    spec, target = wizard.project_spec(), wizard.target_path()
    create_project(target, spec).close()
    return target


def test_the_wizard_creates_an_encrypted_project(qtbot, tmp_path):
    path = _encrypted_project(qtbot, tmp_path)
    with pytest.raises(KeyRequiredError):
        open_project(path)
    with open_project(path, passphrase=PASSPHRASE) as project:
        assert protection(project.file) == KeyProtection(True, keyring=False, passphrase=True)
        assert list_controls(project) == []


def test_the_dialog_returns_the_passphrase_and_it_opens_the_project(qtbot, tmp_path):
    path = _encrypted_project(qtbot, tmp_path)
    with pytest.raises(KeyRequiredError) as locked:
        open_project(path)

    def answer() -> None:
        dialog = next(w for w in qtbot_widgets() if isinstance(w, PassphraseDialog))
        assert "not in this computer's keyring" in dialog.message.text()
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Open).click()

    QTimer.singleShot(0, answer)
    given = ask_passphrase(path, locked.value)
    assert given == PASSPHRASE
    with open_project(path, passphrase=given) as project:
        assert list_controls(project) == []


def qtbot_widgets():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()


def test_cancel_returns_nothing_and_each_reason_is_told(qtbot, tmp_path):
    path = tmp_path / "x.soc2"
    wrong = PassphraseDialog(path, WrongPassphraseError(str(path), "the passphrase is wrong"))
    qtbot.addWidget(wrong)
    unavailable = PassphraseDialog(path, KeyringUnavailableError(str(path), "the keyring is locked; unlock it"))
    qtbot.addWidget(unavailable)
    assert wrong.message.text().startswith("The passphrase is wrong.")
    assert unavailable.message.text().startswith("The keyring is locked")
    QTimer.singleShot(0, lambda: next(w for w in qtbot_widgets() if isinstance(w, PassphraseDialog)
                                      and w.isVisible()).reject())
    assert ask_passphrase(path, KeyRequiredError(str(path), "locked")) is None
