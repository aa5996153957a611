"""An open project's encryption key as stored: its header, the key in use, and re-sealing every value.

Which key-encryption keys wrap the data key, and where they come from (keyring, passphrase), is decided by
services/encryption.py; this module does the database work for it (the cipher itself: crypto.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import ProjectFileError, WorkbenchError
from workbench.store import audit_trail, crypto
from workbench.store.project_store import ProjectStore
from workbench.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Connection

Progress = Callable[[int, int], bool]
PROGRESS_EVERY = 200  # values re-sealed between two progress reports


def header_of(project: ProjectStore) -> crypto.Header | None:
    """Return the project's encryption header, or None when the project is not encrypted."""
    try:
        with project.plain() as connection:
            return crypto.read_header(connection)
    except (ValueError, KeyError, TypeError):
        raise ProjectFileError(str(project.path), "is damaged (its encryption header cannot be read)") from None


def key_in_use(project: ProjectStore) -> crypto.ProjectCipher | None:
    """Return the cipher values are sealed and opened with, or None (plain, or not unlocked yet)."""
    return crypto.cipher_of(project.engine)


def use_key(project: ProjectStore, cipher: crypto.ProjectCipher | None) -> None:
    """Seal and open values with `cipher` from now on (None: pass stored values through as they are)."""
    crypto.attach(project.engine, cipher)
    if cipher is not None:
        crypto.zero_freed_pages(project.engine)


def start_encrypting(project: ProjectStore, header: crypto.Header, cipher: crypto.ProjectCipher) -> None:
    """Store the header of a project being created, then seal everything written after with `cipher`."""
    with project.engine.begin() as connection:
        crypto.write_header(connection, header)
    use_key(project, cipher)


def save_header(project: ProjectStore, header: crypto.Header, event: dict[str, Any]) -> None:
    """Store a changed header in one transaction, with an audit entry saying what changed (`event`)."""
    with UnitOfWork(project) as uow:
        crypto.write_header(uow.session.connection(), header)
        audit_trail.record(uow.session, [("update", "meta", crypto.HEADER_KEY, event)])
        uow.commit()


def reseal(project: ProjectStore, header: crypto.Header, old: crypto.ProjectCipher, new: crypto.ProjectCipher,
           progress: Progress | None = None) -> int:
    """Re-encrypt every sealed value under `new` and store `header` with it, in one transaction; return the count.

    `progress(done, total)` returning False cancels; a cancelled or failed re-seal changes nothing.
    """
    name = str(project.path)
    with UnitOfWork(project) as uow:
        connection = uow.session.connection()
        work = _sealed_values(connection)
        try:
            for done, (kind, item) in enumerate(work):
                if progress is not None and done % PROGRESS_EVERY == 0 and not progress(done, len(work)):
                    raise WorkbenchError(name, "re-keying was cancelled; nothing changed")
                _reseal_one(connection, old, new, kind, item)
            crypto.write_header(connection, header)
            crypto.attach(project.engine, new)
            audit_trail.record(uow.session, [("update", "meta", crypto.HEADER_KEY, {"data key": "replaced"})])
            uow.commit()
        except crypto.DecryptionError:
            crypto.attach(project.engine, old)
            raise WorkbenchError(name, "cannot re-key: some stored data does not decrypt (run workbench check); "
                                       "nothing changed") from None
        except BaseException:
            crypto.attach(project.engine, old)
            raise
    if progress is not None:
        progress(len(work), len(work))
    return len(work)


def _sealed_values(connection: Connection) -> list[tuple[str, Any]]:
    """Return what re-keying rewrites: encrypted text cells, evidence chunks and audit summaries."""
    work: list[tuple[str, Any]] = []
    for table, column in crypto.ENCRYPTED_COLUMNS:
        rowids = connection.exec_driver_sql(f"SELECT rowid FROM {table} WHERE {column} IS NOT NULL").all()
        work += [("text", (table, column, r[0])) for r in rowids]
    work += [("chunk", r[0]) for r in connection.exec_driver_sql("SELECT rowid FROM evidence_chunks").all()]
    work += [("audit", r[0]) for r in connection.exec_driver_sql("SELECT seq FROM audit_entries").all()]
    return work


def _reseal_one(connection: Connection, old: crypto.ProjectCipher, new: crypto.ProjectCipher, kind: str,
                item: Any) -> None:
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
