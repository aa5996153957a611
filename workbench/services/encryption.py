"""Encryption at rest: making, unlocking, protecting and replacing a project's data key (see store/crypto.py).

The OS keyring holds a key-encryption key per project (service SERVICE, user name = the project's stable
id); a passphrase, stretched with scrypt, is the other way in. Keyring trouble is told as such, never as
a wrong passphrase.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.domain.encryption import (
    EncryptionChoice,
    EncryptionSetupError,
    KeyRequiredError,
    KeyringUnavailableError,
    WrongPassphraseError,
    check_passphrase,
)
from workbench.domain.errors import ProjectFileError, WorkbenchError
from workbench.store import ProjectFile, UnitOfWork, audit_trail, crypto

# keyring is imported in the functions that use it: importing it costs start-up about 0.1 s, and opening a
# plain project never needs it.
SERVICE = "SOC 2 Workbench"
PASSPHRASE_ENV = "WORKBENCH_PASSPHRASE"
Progress = Callable[[int, int], bool]


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


def enable(file: ProjectFile, choice: EncryptionChoice) -> crypto.ProjectCipher:
    """Give a project being created a data key protected as chosen; everything written after is encrypted."""
    name = str(file.path)
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
        with file.engine.begin() as connection:
            crypto.write_header(connection, header)
    except BaseException:
        if use_keyring:
            _keyring_forget(header.project_id)
        raise
    crypto.attach(file.engine, cipher)
    crypto.zero_freed_pages(file.engine)
    return cipher


def forget_new_key(cipher: crypto.ProjectCipher) -> None:
    """Remove the keyring entry of a project whose creation failed."""
    if "keyring" in cipher.keks:
        _keyring_forget(cipher.project_id)


def _header(file: ProjectFile) -> crypto.Header | None:
    try:
        with file.engine.connect() as connection:
            return crypto.read_header(connection)
    except (ValueError, KeyError, TypeError):
        raise ProjectFileError(str(file.path), "is damaged (its encryption header cannot be read)") from None


def unlock(file: ProjectFile, passphrase: str | None = None) -> KeyProtection:
    """Attach the key of an encrypted project (from the keyring, else the passphrase); plain projects pass.

    Raises KeyRequiredError (locked: enter the passphrase), WrongPassphraseError or KeyringUnavailableError.
    """
    header = _header(file)
    if header is None:
        return KeyProtection(False)
    name, label = str(file.path), file.path.name
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
    crypto.attach(file.engine, cipher)
    crypto.zero_freed_pages(file.engine)
    return KeyProtection(True, header.keyring_wrap is not None, has_passphrase)


def protection(file: ProjectFile) -> KeyProtection:
    """Return how the project's key is protected."""
    header = _header(file)
    if header is None:
        return KeyProtection(False)
    return KeyProtection(True, header.keyring_wrap is not None, header.passphrase_wrap is not None)


def _open_cipher(file: ProjectFile) -> tuple[crypto.Header, crypto.ProjectCipher]:
    header = _header(file)
    cipher = crypto.cipher_of(file.engine)
    if header is None or cipher is None:
        raise WorkbenchError(str(file.path), "is not encrypted")
    return header, cipher


def _kek(file: ProjectFile, header: crypto.Header, cipher: crypto.ProjectCipher, kind: str,
         passphrase: str | None) -> bytes:
    """Return the KEK of an existing wrap, from memory, the keyring or the passphrase."""
    name = str(file.path)
    if kind in cipher.keks:
        return cipher.keks[kind]
    if kind == "keyring":
        try:
            kek = _keyring_get(header.project_id)
        except Exception as exc:
            raise _keyring_trouble(name, exc, passphrase_helps=False) from None
        if kek is None:
            raise KeyRequiredError(name, f"the key for {file.path.name} is not in the keyring")
    else:
        if passphrase is None:
            raise KeyRequiredError(name, "locked: enter the passphrase to re-key the project")
        _dek, kek = _unwrap_with_passphrase(name, header, passphrase)
    cipher.keks[kind] = kek
    return kek


def _save_header(file: ProjectFile, header: crypto.Header, event: dict[str, Any]) -> None:
    with UnitOfWork(file) as uow:
        crypto.write_header(uow.session.connection(), header)
        audit_trail.record(uow.session, [("update", "meta", crypto.HEADER_KEY, event)])
        uow.commit()


def protect(file: ProjectFile, *, use_keyring: bool | None = None, new_passphrase: str | None = None,
            remove_passphrase: bool = False) -> KeyProtection:
    """Change how an open encrypted project's key is protected: into or out of the keyring, new passphrase."""
    name = str(file.path)
    header, cipher = _open_cipher(file)
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
        _save_header(file, header, {"key protection": result.describe()})
    except BaseException:
        if added_keyring:
            _keyring_forget(header.project_id)
        raise
    if had_keyring and not wants_keyring:
        _keyring_forget(header.project_id)
        cipher.keks.pop("keyring", None)
    return result


def rekey(file: ProjectFile, *, passphrase: str | None = None, progress: Progress | None = None) -> int:
    """Replace the data key and re-encrypt every encrypted value in one transaction; return values rewritten."""
    name = str(file.path)
    header, old = _open_cipher(file)
    keks = {kind: _kek(file, header, old, kind, passphrase)
            for kind, wrap in (("keyring", header.keyring_wrap), ("passphrase", header.passphrase_wrap)) if wrap}
    new = crypto.ProjectCipher(crypto.new_key(), header.project_id)
    new.keks.update(keks)
    if "keyring" in keks:
        header.keyring_wrap = crypto.wrap_key(keks["keyring"], new.key, header.project_id)
    if "passphrase" in keks:
        header.passphrase_wrap = crypto.wrap_key(keks["passphrase"], new.key, header.project_id)
    rewritten = 0
    with UnitOfWork(file) as uow:
        connection = uow.session.connection()
        work: list[tuple[str, Any]] = []
        for table, column in crypto.ENCRYPTED_COLUMNS:
            rowids = connection.exec_driver_sql(f"SELECT rowid FROM {table} WHERE {column} IS NOT NULL").all()
            work += [("text", (table, column, r[0])) for r in rowids]
        work += [("chunk", r[0]) for r in connection.exec_driver_sql("SELECT rowid FROM evidence_chunks").all()]
        work += [("audit", r[0]) for r in connection.exec_driver_sql("SELECT seq FROM audit_entries").all()]
        try:
            for done, (kind, item) in enumerate(work):
                if progress is not None and done % 200 == 0 and not progress(done, len(work)):
                    raise WorkbenchError(name, "re-keying was cancelled; nothing changed")
                _rekey_one(connection, old, new, kind, item)
                rewritten += 1
            crypto.write_header(connection, header)
            crypto.attach(file.engine, new)
            audit_trail.record(uow.session, [("update", "meta", crypto.HEADER_KEY, {"data key": "replaced"})])
            uow.commit()
        except crypto.DecryptionError:
            crypto.attach(file.engine, old)
            raise WorkbenchError(name, "cannot re-key: some stored data does not decrypt (run workbench check); "
                                       "nothing changed") from None
        except BaseException:
            crypto.attach(file.engine, old)
            raise
    if progress is not None:
        progress(len(work), len(work))
    return rewritten


def _rekey_one(connection: Any, old: crypto.ProjectCipher, new: crypto.ProjectCipher, kind: str, item: Any) -> None:
    if kind == "text":
        table, column, rowid = item
        (value,) = connection.exec_driver_sql(f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)).one()
        context = f"{table}.{column}"
        sealed = new.encrypt_text(old.decrypt_text(value, context), context)
        connection.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (sealed, rowid))
    elif kind == "chunk":
        sha, seq, data = connection.exec_driver_sql(
            "SELECT blob_sha256, seq, data FROM evidence_chunks WHERE rowid = ?", (item,)).one()
        sealed_chunk = new.encrypt_chunk(old.decrypt_chunk(data, sha, seq), sha, seq)
        connection.exec_driver_sql("UPDATE evidence_chunks SET data = ? WHERE rowid = ?", (sealed_chunk, item))
    else:
        (summary,) = connection.exec_driver_sql("SELECT summary FROM audit_entries WHERE seq = ?", (item,)).one()
        context = crypto.summary_context(item)
        sealed = new.encrypt_text(old.decrypt_text(summary, context), context)
        connection.exec_driver_sql("UPDATE audit_entries SET summary = ? WHERE seq = ?", (sealed, item))
