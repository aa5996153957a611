"""The .soc2 project file: create, open, lock, check, back up and close. All SQLite specifics live here."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from workbench.domain.backup_policy import BEFORE_UPGRADE
from workbench.domain.errors import ProjectFileError, ProjectLockedError
from workbench.store import migrate

APPLICATION_ID = 0x534F4332  # "SOC2"
SUFFIX = ".soc2"
SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
Clock = Callable[[], datetime]

# Files this process holds open, by (device, inode). POSIX drops every lock a process holds on a file as soon
# as the process closes *any* descriptor of it, so we must never open such a file again ourselves.
_held: set[tuple[int, int]] = set()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def is_open_here(path: Path | str) -> bool:
    """Return True when this process has the project at `path` open (reading it again would drop its lock)."""
    identity = _identity(Path(path))
    return identity is not None and identity in _held


def utc_now() -> datetime:
    """Return the current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def read_header(path: Path) -> None:
    """Refuse, without writing, a path that is missing or is not a SOC 2 Workbench project."""
    name = str(path)
    if not path.exists():
        raise ProjectFileError(name, "no such file")
    if path.is_dir():
        raise ProjectFileError(name, "is a folder, not a project file")
    if is_open_here(path):
        raise ProjectLockedError(name, "already open in another window or process")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise ProjectFileError(name, f"cannot be read ({exc.strerror or exc})") from None
    if not header:
        raise ProjectFileError(name, "is empty, not a SOC 2 Workbench project")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ProjectFileError(name, "is not a SOC 2 Workbench project (not an SQLite database)")
    (application_id,) = struct.unpack(">i", header[68:72])
    if application_id != APPLICATION_ID:
        raise ProjectFileError(name, "is an SQLite database but not a SOC 2 Workbench project")


def _check_writable(path: Path) -> None:
    """Refuse, before SQLite tries, a project we could not save to: changes are saved as the user works."""
    if not os.access(path, os.W_OK):
        raise ProjectFileError(str(path), "cannot be written (read-only file); copy it somewhere writable or make "
                                          "it writable")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ProjectFileError(str(path), "cannot be written (read-only folder); move it to a folder you can write to")


def _translate(path: Path, exc: BaseException) -> ProjectFileError:
    """Turn a database error met while opening into one clear message about the file."""
    message = str(getattr(exc, "orig", exc)).lower()
    if "locked" in message or "busy" in message:
        return ProjectLockedError(str(path), "already open in another window or process")
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return ProjectFileError(str(path), "is damaged (the database structure is corrupt)")
    if "readonly" in message or "read-only" in message:
        return ProjectFileError(str(path), "cannot be written (read-only file or folder)")
    if "disk" in message and "full" in message:
        return ProjectFileError(str(path), "cannot be written: the disk is full")
    return ProjectFileError(str(path), f"cannot be opened ({message})")


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=StaticPool,
        # The worker thread and the GUI thread share this one connection (never at once). pysqlite's cache of
        # prepared statements is not safe for that: a cursor left unfinished on one thread and collected on the
        # other resets a cached statement the first may be stepping through. So no statement is shared.
        connect_args={"check_same_thread": False, "timeout": 0.25, "cached_statements": 0},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy own transactions (pysqlite's implicit BEGIN is unreliable) and hold the file
        # exclusively for as long as the project is open. Exclusive mode set before the first WAL access
        # also keeps the WAL index in process memory, so no -shm file appears; the -wal goes away on close.
        # WAL itself is switched on only once the file is known to be ours (see ProjectFile.open).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA locking_mode=EXCLUSIVE")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _raw_pragma(engine: Engine, statement: str) -> None:
    """Run a pragma outside any transaction (journal_mode and foreign_keys are refused or ignored inside one)."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute(statement)  # type: ignore[union-attr]
    finally:
        raw.close()


class ProjectFile:
    """An open project file, held exclusively until close(); hands out ORM sessions."""

    is_server = False

    def __init__(self, path: Path, engine: Engine, clock: Clock, actor: str) -> None:
        self.path = path
        self.engine = engine
        self.clock = clock
        self.actor = actor
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.backup_made: Path | None = None
        self._identity = _identity(path)
        if self._identity is not None:
            _held.add(self._identity)

    # -- opening and creating ------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, clock: Clock = utc_now, actor: str = "") -> ProjectFile:
        """Open an existing project for exclusive use, upgrading its schema after a backup if needed."""
        path = Path(path).absolute()
        read_header(path)
        _check_writable(path)
        engine = _make_engine(path)
        project: ProjectFile | None = None
        try:
            with engine.connect() as connection:
                # The first statement begins an IMMEDIATE transaction, which takes the write lock; in
                # exclusive locking mode it is kept until close, so a second program stops right here.
                row = connection.exec_driver_sql("PRAGMA quick_check").first()
                if row is None or row[0] != "ok":
                    detail = " ".join(str(row[0]).split()) if row else "no answer"
                    raise ProjectFileError(str(path), f"is damaged ({detail[:200]})")
                revision = migrate.current_revision(connection)
            project = cls(path, engine, clock, actor)
            if revision is None:
                raise ProjectFileError(str(path), "is damaged (it has no schema version)")
            if revision not in migrate.known_revisions():
                raise ProjectFileError(
                    str(path), "was made by a newer version of SOC 2 Workbench; update the program to open it"
                )
            project._pragma("PRAGMA journal_mode=WAL")
            if revision != migrate.head_revision():
                from workbench.store.backups import take_backup  # backups builds on this module

                backup = take_backup(project, BEFORE_UPGRADE)
                project.backup_made = backup
                try:
                    project._upgrade()
                except Exception as exc:
                    why = f"the schema upgrade failed ({exc}); the file is unchanged and a backup is at {backup}"
                    raise ProjectFileError(str(path), why) from None
            return project
        except (ProjectFileError, DBAPIError, sqlite3.Error) as exc:
            if project is not None:
                project.close()
            engine.dispose()
            if isinstance(exc, ProjectFileError):
                raise
            raise _translate(path, exc) from None

    @classmethod
    def create(
        cls,
        path: Path | str,
        populate: Callable[[ProjectFile], None],
        *,
        clock: Clock = utc_now,
        actor: str = "",
    ) -> ProjectFile:
        """Create a new project: build it beside the target, fill it with `populate`, then move it in place.

        The target never exists half-made: it appears only when complete, and an existing file is never
        overwritten, even one that appears while the project is being built.
        """
        path = Path(path).absolute()
        if path.exists():
            raise ProjectFileError(str(path), "already exists; choose another name or open it instead")
        if not path.parent.is_dir():
            raise ProjectFileError(str(path), "its folder does not exist")
        try:
            handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".creating", dir=path.parent)
            os.close(handle)
            os.chmod(temp_name, 0o666 & ~_umask())  # mkstemp makes 0600; a project file is an ordinary document
        except OSError as exc:
            raise ProjectFileError(str(path), f"cannot be created ({exc.strerror or exc})") from None
        temp = Path(temp_name)
        engine = _make_engine(temp)
        try:
            _raw_pragma(engine, "PRAGMA journal_mode=WAL")
            with engine.begin() as connection:
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            with engine.begin() as connection:
                migrate.upgrade_to_head(connection)
            building = cls(temp, engine, clock, actor)
            try:
                populate(building)
            finally:
                building.close()
            try:
                os.link(temp, path)  # fails if the target appeared meanwhile: never overwrite
            except FileExistsError:
                raise ProjectFileError(str(path), "already exists; choose another name or open it instead") from None
            except OSError:
                if path.exists():
                    raise ProjectFileError(str(path), "already exists") from None
                os.replace(temp, path)  # file systems without hard links
        except (DBAPIError, sqlite3.Error, OSError) as exc:
            raise _translate(path, exc) from None
        finally:
            engine.dispose()
            for leftover in (temp, *(Path(f"{temp}{side}") for side in SIDE_FILES)):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        return cls.open(path, clock=clock, actor=actor)

    # -- working with an open file ---------------------------------------------------------------

    def session(self) -> Session:
        """Return a new ORM session on this file, with the audit trail recording its changes."""
        from workbench.store import audit_trail

        session = self._sessions()
        session.info["clock"] = self.clock
        session.info["actor"] = self.actor
        audit_trail.install(session)
        return session

    def _pragma(self, statement: str) -> None:
        _raw_pragma(self.engine, statement)

    def _upgrade(self) -> None:
        # Batch migrations rebuild tables; foreign keys are checked once at the end instead.
        self._pragma("PRAGMA foreign_keys=OFF")
        try:
            with self.engine.begin() as connection:
                migrate.upgrade_to_head(connection)
                if connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise ProjectFileError(str(self.path), "the schema upgrade broke foreign keys; nothing changed")
        finally:
            self._pragma("PRAGMA foreign_keys=ON")

    def integrity_problem(self) -> str | None:
        """Run SQLite's full integrity and foreign-key checks; return the first problem or None."""
        with self.engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
            if rows and rows[0][0] != "ok":
                return f"database integrity: {rows[0][0]}"
            bad = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
            if bad is not None:
                return f"database integrity: a row of {bad[0]} points to a missing row of {bad[2]}"
        return None

    def content_digest(self) -> str:
        """Return a digest of every row in the project (see store.digest)."""
        from workbench.store.digest import content_digest

        with self.engine.connect() as connection:
            return content_digest(connection)

    def backup_name(self, reason: str) -> str:
        """Return a file name for a backup of this project taken now."""
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        return f"{self.path.stem}-{stamp}-{reason}{SUFFIX}"

    def backup_to(self, destination: Path) -> Path:
        """Copy the whole project, consistently, to a new single file through SQLite's backup API."""
        destination = Path(destination).absolute()
        if destination.exists():
            raise ProjectFileError(str(destination), "already exists; choose another name")
        if destination == self.path:
            raise ProjectFileError(str(destination), "is the open project itself")
        destination.parent.mkdir(parents=True, exist_ok=True)
        temp = destination.with_name(f".{destination.name}.partial")
        try:
            raw = self.engine.raw_connection()
            try:
                target = sqlite3.connect(temp)
                try:
                    raw.driver_connection.backup(target)  # type: ignore[union-attr]
                    target.execute("PRAGMA journal_mode=DELETE")
                finally:
                    target.close()
            finally:
                raw.close()
            os.replace(temp, destination)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise ProjectFileError(str(destination), f"the backup could not be written ({exc})") from None
        return destination

    def close(self) -> None:
        """Release the file: the last connection's close folds the WAL back in, leaving one file."""
        self.engine.dispose()
        if self._identity is not None:
            _held.discard(self._identity)
            self._identity = None

    def __enter__(self) -> ProjectFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def side_files(path: Path) -> list[Path]:
    """Return the SQLite side files lying next to a project (none should exist at rest)."""
    return [Path(f"{path}{side}") for side in SIDE_FILES if Path(f"{path}{side}").exists()]
