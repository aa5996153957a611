"""Keyring stand-ins for tests: an inspectable in-memory keyring and the fail backend of a bare computer."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring: what the OS keyring would hold, inspectable by the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        """The stored password, or None; raises as a locked keyring does."""
        if self.locked:
            raise keyring.errors.KeyringLocked("the collection is locked")
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store a password; raises as a locked keyring does."""
        if self.locked:
            raise keyring.errors.KeyringLocked("the collection is locked")
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        """Forget a password; raises as real backends do when there is none."""
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("not there")
        self.store.pop((service, username))
