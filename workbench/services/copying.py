"""`workbench copy`: move a project between a file and a server database (either way), losslessly.

Every row of every table is copied as it is - keys, bytes, the audit trail and its recorded head - inside one
transaction on the destination, which is made through the normal creation path (so a failed copy leaves no
file, and an empty database). The copy is then checked and its content digest compared with the source's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from workbench.domain.clock import Clock, utc_now
from workbench.domain.encryption import KeyRequiredError, passphrase_prompt
from workbench.domain.errors import ProjectFileError, ValidationError, WorkbenchError
from workbench.services import encryption
from workbench.services.integrity import CheckResult, check_project
from workbench.services.session import Location, OpenProject, default_actor, server_address
from workbench.store import ProjectFile, crypto
from workbench.store import copying as store_copying
from workbench.store.digest import content_digest
from workbench.store.server import ServerProject

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


def _open_store(location: Location, clock: Clock) -> ProjectFile | ServerProject:
    """Open the project without attaching any key: the copy moves stored values, sealed ones included."""
    address = server_address(location)
    if address is not None:
        return ServerProject.open(address, clock=clock, actor=default_actor())
    return ProjectFile.open(Path(location), clock=clock, actor=default_actor())


@contextlib.contextmanager
def _snapshot(project: ProjectFile | ServerProject) -> Iterator[Connection]:
    """One read transaction on the source, so every table is copied as of the same moment."""
    with project.engine.connect() as connection:
        if project.is_server:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _unlock(file: ProjectFile, passphrase: str | None) -> str | None:
    """Attach an encrypted file's key (asking the registered prompt once); return the passphrase that worked."""
    try:
        encryption.unlock(file, passphrase)
        return passphrase
    except KeyRequiredError as exc:
        prompt = passphrase_prompt()
        answer = prompt(file.path, exc) if passphrase is None and prompt and exc.passphrase_helps else None
        if answer is None:
            raise
        encryption.unlock(file, answer)
        return answer


def _refuse_existing(destination: Location) -> None:
    if server_address(destination) is None:
        path = Path(destination).absolute()
        if path.exists():
            raise ProjectFileError(str(path), "already exists; a copy never replaces anything (choose a new name)")
        if not path.parent.is_dir():
            raise ProjectFileError(str(path), "its folder does not exist")


def copy_project(source: Location, destination: Location, *, clock: Clock = utc_now,
                 passphrase: str | None = None, progress: Progress | None = None) -> CopyOutcome:
    """Copy the project at `source` to `destination` (a new file, or an empty or new server database)."""
    _refuse_existing(destination)
    src_address, dest_address = server_address(source), server_address(destination)
    if src_address is not None and dest_address is not None and src_address.database == dest_address.database \
            and (src_address.host, src_address.port) == (dest_address.host, dest_address.port):
        raise ValidationError(str(dest_address), "is the source itself; name another database")
    project = _open_store(source, clock)
    try:
        with _snapshot(project) as snapshot:
            encrypted = store_copying.is_encrypted(snapshot)
        if encrypted and dest_address is not None:
            raise ValidationError(str(project.path), "is encrypted, and encryption at rest is for project files "
                                                     "only; on a server the server's own access rights and disk "
                                                     "encryption protect the data (decrypt a copy first)")
        if encrypted and isinstance(project, ProjectFile):
            passphrase = _unlock(project, passphrase)  # proves the key is at hand before anything is written
            crypto.attach(project.engine, None)  # then copy the sealed values exactly as stored
        with _snapshot(project) as snapshot:
            copied: list[store_copying.CopyCount] = []
            source_digest = content_digest(store_copying.streaming(snapshot))

            def fill(target: ProjectFile | ServerProject) -> None:
                session = target.session()
                try:
                    connection = session.connection()
                    filled = store_copying.tables_with_rows(connection)
                    if filled:
                        raise ProjectFileError(str(target.path), f"is not empty ({', '.join(filled)} hold rows)")
                    if store_copying.revision(connection) != store_copying.revision(snapshot):
                        raise ProjectFileError(str(target.path), "has another schema version than the source")
                    copied.append(store_copying.copy_rows(snapshot, connection, progress))
                    session.commit()
                finally:
                    session.close()

            copy: ProjectFile | ServerProject
            if dest_address is not None:
                copy = ServerProject.create(dest_address, fill, clock=clock, actor=default_actor())
            else:
                copy = ProjectFile.create(Path(destination), fill, clock=clock, actor=default_actor())
    finally:
        project.close()
    opened = OpenProject(copy)
    try:
        with copy.engine.connect() as connection:
            copy_digest = content_digest(store_copying.streaming(connection))
        if copy_digest != source_digest:
            raise WorkbenchError(str(copy.path), f"the copy's content differs from the source's (digest "
                                                 f"{copy_digest[:16]}... against {source_digest[:16]}...); "
                                                 "do not use it")
        if encrypted and isinstance(copy, ProjectFile):
            _unlock(copy, passphrase)
        checks = check_project(opened)
    finally:
        opened.close()
    failed = next((c for c in checks if not c.ok), None)
    if failed is not None:
        raise WorkbenchError(str(copy.path), f"the copy fails its check ({failed.name}: {failed.problem})")
    total = copied[0] if copied else store_copying.CopyCount()
    return CopyOutcome(str(project.path), str(copy.path), total.rows, total.evidence_bytes, source_digest, checks)
