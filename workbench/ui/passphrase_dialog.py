"""Asks for an encrypted project's passphrase when its key is not in the keyring (or the one given was wrong)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from workbench.domain.encryption import KeyRequiredError, KeyringUnavailableError, WrongPassphraseError


def explanation(project: Path, error: KeyRequiredError) -> str:
    """Return what the dialog tells the user about why it asks."""
    if isinstance(error, WrongPassphraseError):
        return f"The passphrase is wrong. Enter the passphrase of {project.name} again."
    if isinstance(error, KeyringUnavailableError):
        return f"{error.why[0].upper()}{error.why[1:]}.\n\nEnter the passphrase of {project.name} to open it anyway."
    return f"{project.name} is encrypted and its key is not in this computer's keyring.\n\nEnter its passphrase."


class PassphraseDialog(QDialog):
    """A small modal dialog: why the passphrase is needed, one hidden field, Open and Cancel."""

    def __init__(self, project: Path, error: KeyRequiredError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Unlock {project.name}")
        self.message = QLabel(explanation(project, error))
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(self._sync)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus()
        self._sync()

    def _sync(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(self.passphrase.text()))

    def value(self) -> str | None:
        """Return the passphrase entered, or None when the dialog was cancelled."""
        if self.result() != QDialog.DialogCode.Accepted or not self.passphrase.text():
            return None
        return self.passphrase.text()


def ask_passphrase(project: Path, error: KeyRequiredError, parent: QWidget | None = None) -> str | None:
    """Ask for the passphrase of `project` (modal); return it, or None when the user cancels."""
    dialog = PassphraseDialog(project, error, parent)
    dialog.exec()
    return dialog.value()
