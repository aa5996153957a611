"""Encryption at rest as the user sees it: the choice made for a new project and the ways opening can fail.

How the data key is made, wrapped and used is described in workbench/store/crypto.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import ProjectFileError, ValidationError

MIN_PASSPHRASE_CHARS = 8


@dataclass(frozen=True, slots=True)
class EncryptionChoice:
    """How a new project's key is protected: in the OS keyring, by a passphrase, or both.

    use_keyring None means "the keyring when one is usable"; a passphrase given with a keyring is a second
    way in (for another computer, or when the keyring is lost).
    """

    use_keyring: bool | None = None
    passphrase: str | None = None


class KeyRequiredError(ProjectFileError):
    """The project is encrypted and its key could not be obtained without a passphrase; ask for one."""

    def __init__(self, what: str, why: str, *, passphrase_helps: bool = True) -> None:
        super().__init__(what, why)
        self.passphrase_helps = passphrase_helps  # False: the project has no passphrase, so asking is pointless


class WrongPassphraseError(KeyRequiredError):
    """The passphrase given does not unlock the project."""


class KeyringUnavailableError(KeyRequiredError):
    """The OS keyring is locked or cannot be used, so the key kept there could not be read."""


class EncryptionSetupError(ProjectFileError):
    """An encryption choice cannot be carried out (no keyring and no passphrase, or a passphrase too short)."""


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to resist guessing."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise ValidationError("passphrase", f"must have at least {MIN_PASSPHRASE_CHARS} characters")


# What opening calls, when an encrypted file's key is not at hand, to ask for its passphrase (None: not given).
# The command line passes a terminal prompt to the functions that open projects; the GUI asks with a dialog.
PassphrasePrompt = Callable[[Path, KeyRequiredError], "str | None"]
