"""The column type of text stored encrypted when the project has a key (see store/crypto.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from workbench.store.crypto import CIPHER_ATTRIBUTE, ProjectCipher, read_text


class EncryptedText(TypeDecorator[str]):
    """Text stored encrypted when the project has a key (see store/crypto.py); plain otherwise."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        """Encrypt a value on its way into the database."""
        cipher: ProjectCipher | None = getattr(dialect, CIPHER_ATTRIBUTE, None)
        if value is None or cipher is None:
            return value
        return cipher.encrypt_text(value, self.context)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        """Decrypt a value read from the database; altered ciphertext reads as DAMAGED_TEXT, never a crash."""
        return read_text(getattr(dialect, CIPHER_ATTRIBUTE, None), value, self.context)
