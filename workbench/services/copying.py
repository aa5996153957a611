"""`workbench copy`: move a project between a file and a server database (either way), losslessly.

Every row of every table is copied as it is - keys, bytes, the audit trail and its recorded head - inside one
transaction on the destination, which is made through the normal creation path (so a failed copy leaves no
file, and an empty database). The copy is then checked and its content digest compared with the source's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.clock import Clock, utc_now
from workbench.domain.encryption import PassphrasePrompt
from workbench.domain.errors import ProjectFileError, ValidationError, WorkbenchError
from workbench.services import encryption
from workbench.services.integrity import CheckResult, check_project
from workbench.services.session import Location, OpenProject, default_actor, server_address
from workbench.store import ProjectStore, create_store, crypto_keys, open_store
from workbench.store import copying as store_copying

Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    """What a copy did: where to, how much, the digest both sides share, and the checks run on the copy."""

    source: str
    destination: str
    rows: int
    evidence_bytes: int
    digest: str
    checks: list[CheckResult]

    def describe(self) -> str:
        """Return the one-line summary the command prints."""
        return (f"copied {self.rows} rows, {self.evidence_bytes} evidence bytes; "
                f"content digest {self.digest} matches")


def _open_store(location: Location, clock: Clock) -> ProjectStore:
    """Open the project without attaching any key: the copy moves stored values, sealed ones included."""
    address = server_address(location)
    return open_store(address if address is not None else location, clock=clock, actor=default_actor())


def _refuse_existing(destination: Location) -> None:
    if server_address(destination) is None:
        path = Path(destination).absolute()
        if path.exists():
            raise ProjectFileError(str(path), "already exists; a copy never replaces anything (choose a new name)")
        if not path.parent.is_dir():
            raise ProjectFileError(str(path), "its folder does not exist")


def copy_project(source: Location, destination: Location, *, clock: Clock = utc_now,
                 passphrase: str | None = None, prompt: PassphrasePrompt | None = None,
                 progress: Progress | None = None) -> CopyOutcome:
    """Copy the project at `source` to `destination` (a new file, or an empty or new server database).

    An encrypted file's key must be at hand (keyring, `passphrase`, or what `prompt` answers when asked once).
    """
    _refuse_existing(destination)
    src_address, dest_address = server_address(source), server_address(destination)
    if src_address is not None and dest_address is not None and src_address.database == dest_address.database \
            and (src_address.host, src_address.port) == (dest_address.host, dest_address.port):
        raise ValidationError(str(dest_address), "is the source itself; name another database")
    project = _open_store(source, clock)
    try:
        with store_copying.snapshot(project) as snapshot:
            encrypted = snapshot.is_encrypted()
        if encrypted and dest_address is not None:
            raise ValidationError(str(project.path), "is encrypted, and encryption at rest is for project files "
                                                     "only; on a server the server's own access rights and disk "
                                                     "encryption protect the data (decrypt a copy first)")
        if encrypted and not project.is_server:
            # Prove the key is at hand before anything is written, then copy the sealed values exactly as stored.
            passphrase = encryption.unlock_or_ask(project, passphrase, prompt)
            crypto_keys.use_key(project, None)
        with store_copying.snapshot(project) as snapshot:
            copied: list[store_copying.CopyCount] = []
            source_digest = snapshot.digest()

            def fill(target: ProjectStore) -> None:
                copied.append(snapshot.copy_into(target, progress))

            where = dest_address if dest_address is not None else destination
            copy = create_store(where, fill, clock=clock, actor=default_actor())
    finally:
        project.close()
    opened = OpenProject(copy)
    try:
        copy_digest = copy.content_digest()
        if copy_digest != source_digest:
            raise WorkbenchError(str(copy.path), f"the copy's content differs from the source's (digest "
                                                 f"{copy_digest[:16]}... against {source_digest[:16]}...); "
                                                 "do not use it")
        if encrypted and not copy.is_server:
            encryption.unlock_or_ask(copy, passphrase)
        checks = check_project(opened)
    finally:
        opened.close()
    failed = next((c for c in checks if not c.ok), None)
    if failed is not None:
        raise WorkbenchError(str(copy.path), f"the copy fails its check ({failed.name}: {failed.problem})")
    total = copied[0] if copied else store_copying.CopyCount()
    return CopyOutcome(str(project.path), str(copy.path), total.rows, total.evidence_bytes, source_digest, checks)
