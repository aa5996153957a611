"""Encryption at rest: making, unlocking, protecting and replacing a project's data key (see store/crypto.py).

The OS keyring holds a key-encryption key per project (service SERVICE, user name = the project's stable
id); a passphrase, stretched with scrypt, is the other way in. Keyring trouble is told as such, never as
a wrong passphrase.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.encryption import (
    EncryptionChoice,
    EncryptionSetupError,
    KeyRequiredError,
    KeyringUnavailableError,
    PassphrasePrompt,
    WrongPassphraseError,
    check_passphrase,
)
from workbench.domain.errors import ProjectFileError, WorkbenchError
from workbench.store import ProjectStore, crypto, crypto_keys

# keyring is imported in the functions that use it: importing it costs start-up about 0.1 s, and opening a
# plain project never needs it.
SERVICE = "SOC 2 Workbench"
PASSPHRASE_ENV = "WORKBENCH_PASSPHRASE"
Progress = crypto_keys.Progress


@dataclass(frozen=True, slots=True)
class KeyProtection:
    """How an open project's key is protected."""

    encrypted: bool
    keyring: bool = False
    passphrase: bool = False

    def describe(self) -> str:
        """Return one line saying how the project is protected."""
        if not self.encrypted:
            return "not encrypted"
        ways = [w for w, on in (("the OS keyring", self.keyring), ("a passphrase", self.passphrase)) if on]
        return "encrypted; the key opens with " + " or ".join(ways)


# -- the OS keyring ---------------------------------------------------------------------------------------


def keyring_usable() -> bool:
    """Return True when an OS keyring backend is available (not keyring's fail or null backend)."""
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    try:
        backend = keyring.get_keyring()
    except Exception:  # any backend failure means "no keyring"
        return False
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    return not (isinstance(backend, keyring.backends.chainer.ChainerBackend) and not backend.backends)


def _keyring_trouble(name: str, exc: BaseException, *, passphrase_helps: bool) -> KeyringUnavailableError:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        what = "the keyring is locked"
    elif isinstance(exc, keyring.errors.NoKeyringError) or not keyring_usable():
        what = "the keyring is unavailable (no keyring service on this computer)"
    else:
        detail = " ".join(str(exc).split())[:120]
        what = f"the keyring is unavailable ({type(exc).__name__}{': ' + detail if detail else ''})"
    advice = "; unlock it or enter the passphrase" if passphrase_helps else "; unlock it and try again"
    return KeyringUnavailableError(name, what + advice, passphrase_helps=passphrase_helps)


def _keyring_get(project_id: str) -> bytes | None:
    import keyring

    stored = keyring.get_password(SERVICE, project_id)
    if stored is None:
        return None
    try:
        return bytes.fromhex(stored)
    except ValueError:
        return None


def _keyring_set(name: str, project_id: str, kek: bytes) -> None:
    if not keyring_usable():
        raise KeyringUnavailableError(name, "the keyring is unavailable (no keyring service on this computer); "
                                            "protect the key with a passphrase instead")
    import keyring

    try:
        keyring.set_password(SERVICE, project_id, kek.hex())
    except Exception as exc:
        raise _keyring_trouble(name, exc, passphrase_helps=False) from None


def _keyring_forget(project_id: str) -> None:
    import keyring

    # Nothing to forget, or the keyring went away: the wrap in the file is gone either way.
    with contextlib.suppress(Exception):
        keyring.delete_password(SERVICE, project_id)


# -- passphrases ---------------------------------------------------------------------------------------------


def _passphrase_wrap(header: crypto.Header, dek: bytes, passphrase: str) -> bytes:
    """Set a passphrase wrap of `dek` on the header (fresh salt, current cost); return the derived KEK."""
    header.salt = os.urandom(16)
    header.n, header.r, header.p = crypto.SCRYPT_N, crypto.SCRYPT_R, crypto.SCRYPT_P
    kek = crypto.derive_key(passphrase, header.salt, header.n, header.r, header.p)
    header.passphrase_wrap = crypto.wrap_key(kek, dek, header.project_id)
    return kek


def _unwrap_with_passphrase(name: str, header: crypto.Header, passphrase: str) -> tuple[bytes, bytes]:
    assert header.passphrase_wrap is not None
    kek = crypto.derive_key(passphrase, header.salt, header.n, header.r, header.p)
    try:
        return crypto.unwrap_key(kek, header.passphrase_wrap, header.project_id), kek
    except crypto.DecryptionError:
        raise WrongPassphraseError(name, "the passphrase is wrong") from None


# -- making and unlocking -----------------------------------------------------------------------------------


def enable(project: ProjectStore, choice: EncryptionChoice) -> crypto.ProjectCipher:
    """Give a project being created a data key protected as chosen; everything written after is encrypted."""
    name = str(project.path)
    use_keyring = keyring_usable() if choice.use_keyring is None else choice.use_keyring
    if choice.passphrase is not None:
        check_passphrase(choice.passphrase)
    if not use_keyring and choice.passphrase is None:
        raise EncryptionSetupError(
            name, "cannot encrypt: no keyring is available on this computer and no passphrase was given "
                  "(give one with --passphrase-file or WORKBENCH_PASSPHRASE); nothing was created")
    header = crypto.Header(project_id=str(uuid.uuid4()))
    cipher = crypto.ProjectCipher(crypto.new_key(), header.project_id)
    if choice.passphrase is not None:
        cipher.keks["passphrase"] = _passphrase_wrap(header, cipher.key, choice.passphrase)
    if use_keyring:
        kek = crypto.new_key()
        header.keyring_wrap = crypto.wrap_key(kek, cipher.key, header.project_id)
        _keyring_set(name, header.project_id, kek)
        cipher.keks["keyring"] = kek
    try:
        crypto_keys.start_encrypting(project, header, cipher)
    except BaseException:
        if use_keyring:
            _keyring_forget(header.project_id)
        raise
    return cipher


def forget_new_key(cipher: crypto.ProjectCipher) -> None:
    """Remove the keyring entry of a project whose creation failed."""
    if "keyring" in cipher.keks:
        _keyring_forget(cipher.project_id)


def unlock(project: ProjectStore, passphrase: str | None = None) -> KeyProtection:
    """Attach the key of an encrypted project (from the keyring, else the passphrase); plain projects pass.

    Raises KeyRequiredError (locked: enter the passphrase), WrongPassphraseError or KeyringUnavailableError.
    """
    header = crypto_keys.header_of(project)
    if header is None:
        return KeyProtection(False)
    name, label = str(project.path), _label(project)
    if passphrase is None:
        passphrase = os.environ.get(PASSPHRASE_ENV) or None
    has_passphrase = header.passphrase_wrap is not None
    keks: dict[str, bytes] = {}
    dek: bytes | None = None
    trouble: KeyringUnavailableError | None = None
    misfit = False
    if header.keyring_wrap is not None:
        try:
            kek = _keyring_get(header.project_id)
        except Exception as exc:  # locked, missing and broken backends each raise their own errors
            trouble = _keyring_trouble(name, exc, passphrase_helps=has_passphrase)
        else:
            if kek is not None:
                try:
                    dek = crypto.unwrap_key(kek, header.keyring_wrap, header.project_id)
                    keks["keyring"] = kek
                except crypto.DecryptionError:
                    misfit = True
    if dek is None and has_passphrase and passphrase is not None:
        dek, keks["passphrase"] = _unwrap_with_passphrase(name, header, passphrase)
    if dek is None:
        if trouble is not None:
            raise trouble
        if header.keyring_wrap is not None and not has_passphrase:
            raise ProjectFileError(name, f"locked: the key for {label} is not in this computer's keyring and the "
                                         "project has no passphrase; open it where it was created")
        if header.keyring_wrap is not None:
            where = "does not fit the copy in the keyring" if misfit else "is not in the keyring"
            raise KeyRequiredError(name, f"locked: the key for {label} {where}; enter the passphrase")
        raise KeyRequiredError(name, f"locked: {label} is encrypted with a passphrase; enter the passphrase")
    cipher = crypto.ProjectCipher(dek, header.project_id)
    cipher.keks.update(keks)
    crypto_keys.use_key(project, cipher)
    return KeyProtection(True, header.keyring_wrap is not None, has_passphrase)


def unlock_or_ask(project: ProjectStore, passphrase: str | None = None,
                  prompt: PassphrasePrompt | None = None) -> str | None:
    """Unlock as `unlock` does, asking `prompt` once when a passphrase would help; return the passphrase that worked."""
    try:
        unlock(project, passphrase)
        return passphrase
    except KeyRequiredError as exc:
        path = project.path
        if passphrase is not None or prompt is None or not exc.passphrase_helps or not isinstance(path, Path):
            raise
        answer = prompt(path, exc)
        if answer is None:
            raise
        unlock(project, answer)
        return answer


def protection(project: ProjectStore) -> KeyProtection:
    """Return how the project's key is protected."""
    header = crypto_keys.header_of(project)
    if header is None:
        return KeyProtection(False)
    return KeyProtection(True, header.keyring_wrap is not None, header.passphrase_wrap is not None)


def _label(project: ProjectStore) -> str:
    path = project.path
    return path.name if isinstance(path, Path) else str(path)


def _open_cipher(project: ProjectStore) -> tuple[crypto.Header, crypto.ProjectCipher]:
    header = crypto_keys.header_of(project)
    cipher = crypto_keys.key_in_use(project)
    if header is None or cipher is None:
        raise WorkbenchError(str(project.path), "is not encrypted")
    return header, cipher


def _kek(project: ProjectStore, header: crypto.Header, cipher: crypto.ProjectCipher, kind: str,
         passphrase: str | None) -> bytes:
    """Return the KEK of an existing wrap, from memory, the keyring or the passphrase."""
    name = str(project.path)
    if kind in cipher.keks:
        return cipher.keks[kind]
    if kind == "keyring":
        try:
            kek = _keyring_get(header.project_id)
        except Exception as exc:
            raise _keyring_trouble(name, exc, passphrase_helps=False) from None
        if kek is None:
            raise KeyRequiredError(name, f"the key for {_label(project)} is not in the keyring")
    else:
        if passphrase is None:
            raise KeyRequiredError(name, "locked: enter the passphrase to re-key the project")
        _dek, kek = _unwrap_with_passphrase(name, header, passphrase)
    cipher.keks[kind] = kek
    return kek


def protect(project: ProjectStore, *, use_keyring: bool | None = None, new_passphrase: str | None = None,
            remove_passphrase: bool = False) -> KeyProtection:
    """Change how an open encrypted project's key is protected: into or out of the keyring, new passphrase."""
    name = str(project.path)
    header, cipher = _open_cipher(project)
    if new_passphrase is not None:
        check_passphrase(new_passphrase)
    wants_keyring = header.keyring_wrap is not None if use_keyring is None else use_keyring
    wants_passphrase = new_passphrase is not None or (header.passphrase_wrap is not None and not remove_passphrase)
    if not wants_keyring and not wants_passphrase:
        raise EncryptionSetupError(name, "the key must stay protected by the keyring or a passphrase; "
                                         "nothing was changed")
    had_keyring = header.keyring_wrap is not None
    added_keyring = False
    if wants_keyring and not had_keyring:
        kek = cipher.keks.get("keyring") or crypto.new_key()
        _keyring_set(name, header.project_id, kek)
        header.keyring_wrap = crypto.wrap_key(kek, cipher.key, header.project_id)
        cipher.keks["keyring"] = kek
        added_keyring = True
    elif not wants_keyring:
        header.keyring_wrap = None
    if new_passphrase is not None:
        cipher.keks["passphrase"] = _passphrase_wrap(header, cipher.key, new_passphrase)
    elif remove_passphrase:
        header.passphrase_wrap = None
        cipher.keks.pop("passphrase", None)
    result = KeyProtection(True, header.keyring_wrap is not None, header.passphrase_wrap is not None)
    try:
        crypto_keys.save_header(project, header, {"key protection": result.describe()})
    except BaseException:
        if added_keyring:
            _keyring_forget(header.project_id)
        raise
    if had_keyring and not wants_keyring:
        _keyring_forget(header.project_id)
        cipher.keks.pop("keyring", None)
    return result


def rekey(project: ProjectStore, *, passphrase: str | None = None, progress: Progress | None = None) -> int:
    """Replace the data key and re-encrypt every encrypted value in one transaction; return values rewritten."""
    header, old = _open_cipher(project)
    keks = {kind: _kek(project, header, old, kind, passphrase)
            for kind, wrap in (("keyring", header.keyring_wrap), ("passphrase", header.passphrase_wrap)) if wrap}
    new = crypto.ProjectCipher(crypto.new_key(), header.project_id)
    new.keks.update(keks)
    if "keyring" in keks:
        header.keyring_wrap = crypto.wrap_key(keks["keyring"], new.key, header.project_id)
    if "passphrase" in keks:
        header.passphrase_wrap = crypto.wrap_key(keks["passphrase"], new.key, header.project_id)
    return crypto_keys.reseal(project, header, old, new, progress)
