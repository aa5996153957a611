"""Encryption at rest for one project file: the data key, how it is wrapped, and what it encrypts.

Keys
- Each encrypted project has a random 256-bit data key (DEK). Nothing outside this process ever sees it.
- The DEK is stored only wrapped (AES-256-GCM, associated data = the project's stable id) by one or both
  key-encryption keys (KEKs):
  * "keyring": a random 256-bit KEK kept in the OS keyring (service "SOC 2 Workbench", user name = the
    project's stable id), so the project opens without a question on the computer that made it;
  * "passphrase": a KEK derived from the user's passphrase with scrypt (n = 2**17 by default, r = 8, p = 1,
    a random 16-byte salt stored in the file). It is required when no keyring backend is usable and is
    the way to open the project on another computer.
  Creating an encrypted project with neither a usable keyring nor a passphrase is refused: there is never
  a silent plain-text fallback.
- The header (the stable id, the wraps, the scrypt parameters and salt) is the JSON value of the meta row
  `encryption`. It is written with plain SQL, outside the audit trail: it holds key material (wrapped),
  not project data. A project without that row is not encrypted.

What is encrypted (AES-256-GCM, a fresh random 96-bit nonce for every value written)
- Evidence bytes: every stored chunk; associated data = blob SHA-256 + chunk sequence number, so chunks
  cannot be swapped between blobs or reordered. Stored as nonce || ciphertext+tag.
- Sensitive free text (ENCRYPTED_COLUMNS): system description sections, assessment notes, control
  descriptions and notes, task descriptions, evidence titles, sources and notes, engagement contacts
  (lead auditor, e-mail, phone) and notes, request descriptions, report notes, report exceptions'
  descriptions and management responses, and the registers' prose (risk scenarios, treatments and notes,
  vendors' contract terms and notes, vendor reports' exceptions and notes, incidents' descriptions, causes,
  lessons and follow-ups, continuity tests' issues and follow-ups). Associated data = project id +
  "table.column", so a value cannot be moved to another column or another project; moving one between rows of
  the same column is not
  detected by decryption (the audit trail records every change the program makes).
  Stored as text: "wbenc1:" + base64(nonce || ciphertext+tag).
- The audit trail's summary of every entry (it holds before/after values of the fields above);
  associated data = project id + the entry's sequence number. The chain hash of each entry is computed over
  the PLAIN summary, so re-keying re-encrypts the trail without breaking the chain, and a tampered summary
  ciphertext shows up in `check` as an altered entry. Checking the chain therefore needs the key, which
  opening an encrypted project needs anyway.

What stays plain, so the file remains navigable without the key
- Control references and titles, request references and items, criterion ids, the criteria catalog,
  statuses, owners, dates, the organisation and system names, evidence file names, sizes, media types and
  SHA-256 hashes (a hash reveals whether a known file is present), plan tasks, audit entry times, actors,
  actions, entities, keys and chain hashes.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.store import sql

if TYPE_CHECKING:  # plain SQL on a project file runs before SQLAlchemy loads (store/driver.py)
    from sqlalchemy import Connection, Engine

KEY_BYTES = 32
NONCE_BYTES = 12
TEXT_PREFIX = "wbenc1:"
HEADER_KEY = "encryption"
FORMAT_VERSION = 1
# scrypt cost: n is read from here when a passphrase is set (tests lower it through this attribute only);
# opening uses the parameters stored in the file, within MIN/MAX so a hostile file cannot stall the program.
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_SCRYPT_N = 2**10
MAX_SCRYPT_N = 2**20
CIPHER_ATTRIBUTE = "workbench_cipher"

# (table, column) pairs stored encrypted; EncryptedText (store/encrypted_text.py) marks the same columns.
ENCRYPTED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("description_sections", "text"),
    ("assessments", "note"),
    ("controls", "description"),
    ("controls", "notes"),
    ("tasks", "description"),
    ("evidence", "title"),
    ("evidence", "source"),
    ("evidence", "notes"),
    ("engagement", "lead_auditor"),
    ("engagement", "email"),
    ("engagement", "phone"),
    ("engagement", "notes"),
    ("requests", "description"),
    ("reports", "notes"),
    ("report_exceptions", "description"),
    ("report_exceptions", "management_response"),
    ("population_items", "data"),
    ("sample_items", "note"),
    ("risk_assessments", "notes"),
    ("risks", "scenario"),
    ("risks", "treatment_text"),
    ("risks", "notes"),
    ("vendors", "contract_terms"),
    ("vendors", "notes"),
    ("vendor_reports", "exceptions"),
    ("vendor_reports", "notes"),
    ("incidents", "description"),
    ("incidents", "root_cause"),
    ("incidents", "lessons"),
    ("incidents", "follow_up"),
    ("continuity_tests", "issues"),
    ("continuity_tests", "follow_up"),
    ("findings", "detail"),
)


class DecryptionError(ValueError):
    """Stored ciphertext does not decrypt with this project's key (it was altered or belongs elsewhere)."""


def new_key() -> bytes:
    """Return a fresh random 256-bit key."""
    return secrets.token_bytes(KEY_BYTES)


# The cryptography package loads when a key is first used: opening a project that is not encrypted never needs it.


def _seal(key: bytes, plain: bytes, associated: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plain, associated)


def _open(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    if len(sealed) < NONCE_BYTES + 16:
        raise DecryptionError("the ciphertext is too short")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except InvalidTag:
        raise DecryptionError("the ciphertext does not decrypt") from None


class ProjectCipher:
    """Encrypts and decrypts one project's values with its data key."""

    def __init__(self, key: bytes, project_id: str) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a project data key has 32 bytes")
        self._key = key
        self.project_id = project_id
        # The key-encryption keys this process holds for the project ("keyring", "passphrase"), so changing
        # the key protection or re-keying need not ask again for what opening already obtained.
        self.keks: dict[str, bytes] = {}

    @property
    def key(self) -> bytes:
        """Return the data key (for wrapping it under a key-encryption key)."""
        return self._key

    def _text_ad(self, context: str) -> bytes:
        return f"{self.project_id}|{context}".encode()

    def encrypt_text(self, plain: str, context: str) -> str:
        """Return the stored form of a text value of `context` (e.g. "controls.notes")."""
        sealed = _seal(self._key, plain.encode(), self._text_ad(context))
        return TEXT_PREFIX + base64.b64encode(sealed).decode("ascii")

    def decrypt_text(self, stored: str, context: str) -> str:
        """Return the plain text of a stored value; values without the prefix are returned as they are."""
        if not stored.startswith(TEXT_PREFIX):
            return stored
        try:
            sealed = base64.b64decode(stored[len(TEXT_PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            raise DecryptionError("the ciphertext is not valid base64") from None
        try:
            return _open(self._key, sealed, self._text_ad(context)).decode()
        except UnicodeDecodeError:
            raise DecryptionError("the plain text is not UTF-8") from None

    def _chunk_ad(self, sha256: str, seq: int) -> bytes:
        return f"{self.project_id}|chunk|{sha256}|{seq}".encode()

    def encrypt_chunk(self, data: bytes, sha256: str, seq: int) -> bytes:
        """Return the stored form of chunk `seq` of the blob `sha256`."""
        return _seal(self._key, data, self._chunk_ad(sha256, seq))

    def decrypt_chunk(self, stored: bytes, sha256: str, seq: int) -> bytes:
        """Return the plain bytes of a stored chunk; raise DecryptionError when it was altered or moved."""
        return _open(self._key, bytes(stored), self._chunk_ad(sha256, seq))


def summary_context(seq: int) -> str:
    """Return the associated-data context of audit entry `seq`'s summary."""
    return f"audit_entries.summary|{seq}"


# -- wrapping the data key ------------------------------------------------------------------------------


def wrap_key(kek: bytes, dek: bytes, project_id: str) -> str:
    """Return the DEK sealed under a key-encryption key, as base64 text."""
    return base64.b64encode(_seal(kek, dek, f"workbench-dek|{project_id}".encode())).decode("ascii")


def unwrap_key(kek: bytes, wrapped: str, project_id: str) -> bytes:
    """Return the DEK sealed by wrap_key; raise DecryptionError when the KEK is not the right one."""
    try:
        sealed = base64.b64decode(wrapped, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("the wrapped key is not valid base64") from None
    return _open(kek, sealed, f"workbench-dek|{project_id}".encode())


def derive_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """Return the key-encryption key scrypt derives from a passphrase."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode())


@dataclass
class Header:
    """The `encryption` meta value: the project's stable id and the wrapped data key(s)."""

    project_id: str
    keyring_wrap: str | None = None
    passphrase_wrap: str | None = None
    salt: bytes = b""
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P
    version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the header as stored."""
        document: dict[str, Any] = {"version": self.version, "project_id": self.project_id, "wraps": {}}
        if self.keyring_wrap is not None:
            document["wraps"]["keyring"] = {"key": self.keyring_wrap}
        if self.passphrase_wrap is not None:
            document["wraps"]["passphrase"] = {
                "key": self.passphrase_wrap, "kdf": "scrypt", "salt": base64.b64encode(self.salt).decode("ascii"),
                "n": self.n, "r": self.r, "p": self.p,
            }
        return json.dumps(document, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Header:
        """Read a stored header; raise ValueError when it is not one this program understands."""
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
            raise ValueError("unknown encryption header version")
        wraps = document.get("wraps") or {}
        header = cls(project_id=str(document["project_id"]))
        if "keyring" in wraps:
            header.keyring_wrap = str(wraps["keyring"]["key"])
        if "passphrase" in wraps:
            phrase = wraps["passphrase"]
            if phrase.get("kdf") != "scrypt":
                raise ValueError("unknown key derivation")
            header.passphrase_wrap = str(phrase["key"])
            header.salt = base64.b64decode(phrase["salt"])
            header.n, header.r, header.p = int(phrase["n"]), int(phrase["r"]), int(phrase["p"])
            if not (MIN_SCRYPT_N <= header.n <= MAX_SCRYPT_N and 1 <= header.r <= 32 and 1 <= header.p <= 16):
                raise ValueError("key derivation parameters out of range")
        if header.keyring_wrap is None and header.passphrase_wrap is None:
            raise ValueError("no wrapped key")
        return header


def read_header(connection: Connection) -> Header | None:
    """Return the project's encryption header, or None when the project is not encrypted."""
    row = sql.run(connection, "SELECT value FROM meta WHERE key = ?", (HEADER_KEY,)).first()
    return None if row is None else Header.from_json(row[0])


def write_header(connection: Connection, header: Header) -> None:
    """Store the encryption header (plain SQL: key material stays out of the audit trail)."""
    sql.run(connection, sql.UPSERT_META, (HEADER_KEY, header.to_json()))


# -- the key in use -------------------------------------------------------------------------------------


def attach(engine: Engine, cipher: ProjectCipher | None) -> None:
    """Make `cipher` the key every session and statement on this engine encrypts and decrypts with."""
    setattr(engine.dialect, CIPHER_ATTRIBUTE, cipher)


def zero_freed_pages(engine: Engine) -> None:
    """Have SQLite zero freed pages, so values replaced by editing or re-keying leave no old ciphertext behind.

    Call it outside any transaction: handing the shared connection back to the pool rolls back.
    """
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA secure_delete=ON")  # type: ignore[union-attr]
    finally:
        raw.close()


def cipher_of(bind: Any) -> ProjectCipher | None:
    """Return the cipher attached to a session's, connection's or engine's database, if any."""
    if hasattr(bind, "get_bind"):
        bind = bind.get_bind()
    return getattr(bind.dialect, CIPHER_ATTRIBUTE, None)


def read_text(cipher: ProjectCipher | None, value: str | None, context: str) -> str | None:
    """Return a stored text as read: decrypted when sealed; altered ciphertext reads as DAMAGED_TEXT, never a crash."""
    if value is None or cipher is None or not value.startswith(TEXT_PREFIX):
        return value
    try:
        return cipher.decrypt_text(value, context)
    except DecryptionError:
        return DAMAGED_TEXT


DAMAGED_TEXT = "[damaged: this text does not decrypt; run workbench check]"


def text_problems(connection: Connection) -> Iterator[str]:
    """Yield a sentence for each encrypted text value that does not decrypt, or that was put back in plain text."""
    cipher = cipher_of(connection)
    if cipher is None:
        return
    for table, column in ENCRYPTED_COLUMNS:  # names from our own constant, never from the file
        rows = connection.exec_driver_sql(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL")
        for rowid, value in rows:
            if not value.startswith(TEXT_PREFIX):
                if value:
                    yield f"{table}.{column} of row {rowid} is stored in plain text in an encrypted project"
                continue
            try:
                cipher.decrypt_text(value, f"{table}.{column}")
            except DecryptionError:
                yield f"{table}.{column} of row {rowid} is damaged: it does not decrypt"
