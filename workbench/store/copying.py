"""Copy every row of one project database into another (file or server), verbatim and in bounded memory."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, Table, func, select

from workbench.domain.errors import ProjectFileError
from workbench.store import crypto, migrate, sql
from workbench.store.digest import content_digest
from workbench.store.project_store import ProjectStore
from workbench.store.schema import Base, EvidenceChunkRow

ROW_BATCH = 2000
BYTE_BATCH = 8 << 20  # evidence chunks are written at most about this many bytes at a time
CHUNK_FETCH = 8
STREAMING = {"stream_results": True, "max_row_buffer": 16}  # for whole-table reads such as the content digest
Progress = Callable[[str, int], None]


@dataclass
class CopyCount:
    """How much a copy moved."""

    rows: int = 0
    evidence_bytes: int = 0


class Snapshot:
    """One read transaction on a project, so that every table is read as of the same moment."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def is_encrypted(self) -> bool:
        """Return True when the project keeps its data encrypted (a file-only feature)."""
        return is_encrypted(self._connection)

    def digest(self) -> str:
        """Return the content digest of the project as this snapshot sees it (see store/digest.py)."""
        return content_digest(streaming(self._connection))

    def copy_into(self, target: ProjectStore, progress: Progress | None = None) -> CopyCount:
        """Copy every row into `target`, a new project of the same schema revision holding no rows; commit."""
        session = target.session()
        try:
            connection = session.connection()
            filled = tables_with_rows(connection)
            if filled:
                raise ProjectFileError(str(target.path), f"is not empty ({', '.join(filled)} hold rows)")
            if revision(connection) != revision(self._connection):
                raise ProjectFileError(str(target.path), "has another schema version than the source")
            count = copy_rows(self._connection, connection, progress)
            session.commit()
            return count
        finally:
            session.close()


@contextlib.contextmanager
def snapshot(project: ProjectStore) -> Iterator[Snapshot]:
    """Read the project in one transaction (repeatable read on a server) for as long as the block lasts."""
    with project.engine.connect() as connection:
        if project.is_server:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield Snapshot(connection)


def is_encrypted(connection: Connection) -> bool:
    """Return True when the project in this database keeps its data encrypted (file-only feature)."""
    return crypto.read_header(connection) is not None


def revision(connection: Connection) -> str | None:
    """Return the schema revision recorded in this database."""
    return migrate.current_revision(connection)


def _has_integer_id(table: Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and isinstance(keys[0].type, Integer)


def _batches(source: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """Yield the table's rows in key order, a bounded batch at a time (streamed from the server or file)."""
    order = list(table.primary_key.columns) or list(table.columns)
    chunks = table.name == EvidenceChunkRow.__tablename__
    fetch = CHUNK_FETCH if chunks else ROW_BATCH  # an evidence chunk holds up to a megabyte
    result = source.execution_options(stream_results=True, yield_per=fetch).execute(select(table).order_by(*order))
    batch: list[dict[str, Any]] = []
    size = 0
    for row in result.mappings():
        batch.append(dict(row))
        if chunks:
            size += len(row["data"] or b"")
        if len(batch) >= ROW_BATCH or size >= BYTE_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def streaming(connection: Connection) -> Connection:
    """Return the connection set to fetch rows a few at a time (a server sends the rest as they are read)."""
    return connection.execution_options(**STREAMING)


def tables_with_rows(connection: Connection) -> list[str]:
    """Return the project tables of this database that hold rows (an empty schema has none)."""
    return [t.name for t in Base.metadata.sorted_tables
            if connection.execute(select(func.count()).select_from(t)).scalar()]


def copy_rows(source: Connection, destination: Connection, progress: Progress | None = None) -> CopyCount:
    """Insert every row of every project table of `source` into `destination` (same schema revision, empty).

    Rows go in dependency order with their keys as they are; text and bytes pass through unchanged (no key is
    attached to either connection, so encrypted values stay sealed). The caller owns both transactions.
    """
    count = CopyCount()
    for table in Base.metadata.sorted_tables:
        for batch in _batches(source, table):
            destination.execute(table.insert(), batch)
            count.rows += len(batch)
            if table.name == EvidenceChunkRow.__tablename__:
                count.evidence_bytes += sum(len(row["data"] or b"") for row in batch)
            if progress is not None:
                progress(table.name, count.rows)
    sql.reset_id_sequences(destination, [t.name for t in Base.metadata.sorted_tables if _has_integer_id(t)])
    return count
