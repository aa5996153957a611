"""The .soc2 project file: create, open (for exclusive use, or for reading only), check, back up and close.

All SQLite specifics live here, in file_access.py, and in driver.py and file_engine.py: the file's one connection
is made by the driver alone, and the SQLAlchemy engine over it only when something asks for it. A project is kept
in rollback-journal mode: a change is written into the file under a journal that SQLite removes once the change is
complete, so a change that fails half-way (the disk is full) is undone at once and the file stays as it was.
Closed, a project is one file, and a copy of that file alone is the whole project. A file an earlier version left
in write-ahead-log mode is folded back into one file when it is opened to be changed; one that can only be read is
read without writing anything beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.backup_policy import BEFORE_UPGRADE
from workbench.domain.clock import Clock, utc_now
from workbench.domain.errors import ProjectFileError, ProjectLockedError
from workbench.store import driver, migrate
from workbench.store.backups import take_backup
from workbench.store.driver import DriverConnection, ProjectConnection, database_errors, error_name
from workbench.store.file_access import (
    ALREADY_OPEN,
    APPLICATION_ID,
    READ_ONLY_ASKED,
    SIDE_FILES,
    SQLITE_MAGIC,
    SUFFIX,
    ReadLock,
    has_content,
    hold,
    identity,
    in_wal_format,
    is_hot_journal,
    is_open_here,
    let_go,
    read_header,
    read_only_reason,
    side_file,
)

if TYPE_CHECKING:  # SQLAlchemy loads with the engine, made when first asked for (see store/driver.py)
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["APPLICATION_ID", "SIDE_FILES", "SQLITE_MAGIC", "SUFFIX", "ProjectFile", "is_open_here", "read_header",
           "side_files"]

def _is_disk_full(exc: BaseException) -> bool:
    original = getattr(exc, "orig", exc)
    return (error_name(exc) == "SQLITE_FULL" or getattr(original, "errno", None) == errno.ENOSPC
            or "disk is full" in str(original).lower())


def _translate(path: Path, exc: BaseException, read_only: str | None = None) -> ProjectFileError:
    """Turn a database error met while opening into one clear message about the file."""
    message = str(getattr(exc, "orig", exc)).lower()
    name = str(path)
    if read_only is not None and error_name(exc) == "SQLITE_READONLY_ROLLBACK":
        journal = side_file(path, "-journal").name
        return ProjectFileError(name, f"a change that was cut off must be undone first ({journal} beside it), "
                                      f"which needs write access, but {read_only}; make it writable and open it once")
    if "locked" in message or "busy" in message:
        return ProjectLockedError(name, ALREADY_OPEN)
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return ProjectFileError(name, "is damaged (the database structure is corrupt)")
    if "readonly" in message or "read-only" in message:
        return ProjectFileError(name, "cannot be written (read-only file or folder)")
    if _is_disk_full(exc):
        return ProjectFileError(name, "cannot be written: the disk is full")
    return ProjectFileError(name, f"cannot be opened ({' '.join(message.split())[:200]})")


def read_only_refusal(path: Path, reason: str) -> ProjectFileError:
    """Return the error that refuses a change to a project open for reading only."""
    return ProjectFileError(str(path), f"cannot be changed: it is open read-only because {reason}; nothing was saved")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _raw_pragma(connection: sqlite3.Connection, statement: str) -> list[tuple[Any, ...]]:
    """Run a pragma outside any transaction (journal_mode and foreign_keys are refused or ignored inside one)."""
    return list(connection.execute(statement).fetchall())


def _first_look(connection: ProjectConnection, path: Path, begin: str) -> str | None:
    """Take the file's lock, check its structure quickly and return its schema revision."""
    with DriverConnection(connection, begin) as plain:
        # The first statement begins a transaction, which takes the lock: exclusive for a writer, shared for a
        # reader. Either is kept until close, so a second program stops right here.
        row = plain.exec_driver_sql("PRAGMA quick_check").first()
        if row is None or row[0] != "ok":
            detail = " ".join(str(row[0]).split()) if row else "no answer"
            raise ProjectFileError(str(path), f"is damaged ({detail[:200]})")
        return migrate.current_revision(plain)


def _check_revision(path: Path, revision: str | None) -> None:
    if revision is None:
        raise ProjectFileError(str(path), "is damaged (it has no schema version)")
    if revision not in migrate.known_revisions():
        raise ProjectFileError(str(path), "was made by a newer version of SOC 2 Workbench; update the program to "
                                          "open it")


class ProjectFile:
    """An open project file, held until close(): exclusively, or shared when it is open read-only."""

    is_server = False

    def __init__(self, path: Path, connection: ProjectConnection, clock: Clock, actor: str, *,
                 read_only_reason: str | None = None, lock: ReadLock | None = None) -> None:
        self.path = path
        self._connection = connection  # the file's one connection (store/driver.py); the engine's too, once made
        self._engine: Engine | None = None
        self.clock = clock
        self.actor = actor
        self.read_only_reason = read_only_reason  # why it can only be read; None when it can be changed
        self._sessions: sessionmaker[Session] | None = None  # made with the first session: the ORM loads then
        self.backup_made: Path | None = None
        self._lock = lock
        self._closed = False
        self._identity = identity(path)
        hold(self._identity)

    @property
    def engine(self) -> Engine:
        """Return the SQLAlchemy engine on the file's connection, made (and SQLAlchemy loaded) the first time."""
        if self._engine is None:
            from workbench.store.file_engine import file_engine

            reason = self.read_only_reason
            self._engine = file_engine(self._connection, "BEGIN" if reason is not None else "BEGIN EXCLUSIVE",
                                       None if reason is None else read_only_refusal(self.path, reason))
        return self._engine

    def plain(self) -> DriverConnection | Connection:
        """Return a connection for plain SQL (store/sql.py) whose transaction begins with its first statement.

        The driver's own while SQLAlchemy is not in use here (a command that only imports never loads it); a Core
        connection once the engine is made, or on a file open read-only (whose refusals the engine words).
        """
        if self._engine is None and self.read_only_reason is None:
            return DriverConnection(self._connection)
        return self.engine.connect()

    @property
    def read_only(self) -> bool:
        """Return True when the project was opened for reading only (every change is refused)."""
        return self.read_only_reason is not None

    # -- opening and creating ------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, clock: Clock = utc_now, actor: str = "", read_only: bool = False) -> ProjectFile:
        """Open an existing project for exclusive use, or for reading only when it cannot be written (or if asked).

        A project opened to be changed is left in rollback-journal mode and upgraded to the current schema after a
        backup; one opened read-only is read as it is, creating nothing beside it, and refused if it needs upgrading.
        """
        path = Path(path).absolute()
        header = read_header(path)
        reason = read_only_reason(path) or (READ_ONLY_ASKED if read_only else None)
        if reason is not None:
            return cls._open_read_only(path, header, reason, clock, actor)
        connection: ProjectConnection | None = None
        project: ProjectFile | None = None
        try:
            connection = driver.connect(path)
            revision = _first_look(connection, path, "BEGIN EXCLUSIVE")
            project = cls(path, connection, clock, actor)
            _check_revision(path, revision)
            project._settle()
            if revision != migrate.head_revision():
                backup = take_backup(project, BEFORE_UPGRADE)
                project.backup_made = backup
                try:
                    project._upgrade()
                except Exception as exc:
                    why = f"the schema upgrade failed ({exc}); the file is unchanged and a backup is at {backup}"
                    raise ProjectFileError(str(path), why) from None
            return project
        except (ProjectFileError, *database_errors()) as exc:
            if project is not None:
                project._release()
            elif connection is not None:
                connection.close()
            if isinstance(exc, ProjectFileError):
                raise
            raise _translate(path, exc) from None

    @classmethod
    def _open_read_only(cls, path: Path, header: bytes, reason: str, clock: Clock, actor: str) -> ProjectFile:
        """Open a project for reading only, writing nothing beside it and needing no write access to its folder."""
        lock: ReadLock | None = None
        wal = side_file(path, "-wal")
        # In write-ahead-log mode (an earlier version's file, or a log left beside it) SQLite makes side files even
        # to read. Such a file is read as immutable instead, under a lock of our own that keeps writers out; that
        # is sound only while no change waits in the log, as none does once the log is folded in (or empty).
        immutable = in_wal_format(header) or wal.exists()
        if immutable:
            lock = ReadLock(path)
            if has_content(wal):
                lock.release()
                raise ProjectFileError(str(path), f"its last changes are still in {wal.name} beside it and only a "
                                                  f"writable open can fold them in, but {reason}; make it writable "
                                                  "and open it once")
        connection: ProjectConnection | None = None
        try:
            connection = driver.connect(path, read_only=True, immutable=immutable)
            revision = _first_look(connection, path, "BEGIN")
            _check_revision(path, revision)
            if revision != migrate.head_revision():
                raise ProjectFileError(str(path), "was made by an older version of SOC 2 Workbench and must be "
                                                  f"writable to be upgraded, but {reason}; make it writable (or copy "
                                                  "it somewhere writable) and open it again")
            return cls(path, connection, clock, actor, read_only_reason=reason, lock=lock)
        except (ProjectFileError, *database_errors()) as exc:
            if connection is not None:
                connection.close()
            if lock is not None:
                lock.release()
            if isinstance(exc, ProjectFileError):
                raise
            raise _translate(path, exc, reason) from None

    def _settle(self) -> None:
        """Leave the file in rollback-journal mode with nothing of an earlier session beside it.

        A write-ahead log (an earlier version's, or one a crash or a full disk left) is folded into the file; a
        stale journal (a crash's, already played back when the file was opened) is taken over, so that SQLite
        removes it at close.
        """
        connection = self._connection
        if _raw_pragma(connection, "PRAGMA journal_mode")[0][0] == "wal":
            try:
                ((busy, log, done),) = _raw_pragma(connection, "PRAGMA wal_checkpoint(TRUNCATE)")
                mode = _raw_pragma(connection, "PRAGMA journal_mode=DELETE")[0][0] if not busy and log == done else ""
            except sqlite3.Error as exc:
                raise self._not_folded(exc) from None
            if mode != "delete":
                raise self._not_folded(None)
        # Stale: held exclusively in memory, a write-ahead log never had a shared-memory file of ours.
        with contextlib.suppress(OSError):
            side_file(self.path, "-shm").unlink()
        if side_file(self.path, "-journal").exists():
            with contextlib.suppress(sqlite3.Error):  # a stale journal does no harm beyond being there
                _raw_pragma(self._connection, f"PRAGMA application_id={APPLICATION_ID}")

    def _not_folded(self, exc: sqlite3.Error | None) -> ProjectFileError:
        wal = side_file(self.path, "-wal").name
        if exc is not None and _is_disk_full(exc):
            return ProjectFileError(str(self.path), f"the disk is full: its last changes are kept safe in {wal} "
                                                    "beside it and are folded in when it is next opened with enough "
                                                    "free space; free some space, and keep the two files together")
        detail = f" ({' '.join(str(exc).split())[:200]})" if exc is not None else ""
        return ProjectFileError(str(self.path), f"its last changes, kept in {wal} beside it, could not be folded "
                                                f"into it{detail}; keep the two files together")

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
        building: ProjectFile | None = None
        try:
            building = cls(temp, driver.connect(temp), clock, actor)
            with building.engine.begin() as connection:
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            with building.engine.begin() as connection:
                migrate.upgrade_to_head(connection)
            populate(building)
            building.close()
            try:
                os.link(temp, path)  # fails if the target appeared meanwhile: never overwrite
            except FileExistsError:
                raise ProjectFileError(str(path), "already exists; choose another name or open it instead") from None
            except OSError:
                if path.exists():
                    raise ProjectFileError(str(path), "already exists") from None
                os.replace(temp, path)  # file systems without hard links
        except (*database_errors(), OSError) as exc:
            raise _translate(path, exc) from None
        finally:
            if building is not None and not building._closed:
                building._release()
            for leftover in (temp, *(Path(f"{temp}{side}") for side in SIDE_FILES)):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        return cls.open(path, clock=clock, actor=actor)

    # -- working with an open file ---------------------------------------------------------------

    def session(self, bind: Connection | None = None) -> Session:
        """Return a new ORM session on this file, with the audit trail recording its changes (see ProjectStore)."""
        from workbench.store import audit_hooks

        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        session = self._sessions() if bind is None else self._sessions(bind=bind, join_transaction_mode="control_fully")
        session.info["clock"] = self.clock
        session.info["actor"] = self.actor
        audit_hooks.install(session)
        return session

    def reader(self) -> Connection:
        """Return a new Core connection on this file for reads only: plain rows, no ORM, no audit trail."""
        return self.engine.connect()

    def _pragma(self, statement: str) -> None:
        _raw_pragma(self._connection, statement)

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
            target = sqlite3.connect(temp)
            try:
                self._connection.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
            os.replace(temp, destination)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            why = "the disk is full" if _is_disk_full(exc) else str(exc)
            raise ProjectFileError(str(destination), f"the backup could not be written ({why})") from None
        return destination

    def close(self) -> None:
        """Release the file, leaving it as one file at rest; when something of ours stays beside it, say what and why.

        SQLite removes its journal as the file is closed; one left behind (say, the folder became read-only) is
        reported as a ProjectFileError describing the state the project is in.
        """
        if self._closed:
            return
        ours = {} if self.read_only else {suffix: identity(side_file(self.path, suffix)) for suffix in SIDE_FILES}
        if not self.read_only and is_hot_journal(side_file(self.path, "-journal")):
            # A write that failed half-way (the disk filled up as a change was saved) leaves the change to undo in
            # the journal; SQLite undoes it on its next read. Read once, then, while the file is still ours.
            with contextlib.suppress(sqlite3.Error):
                _raw_pragma(self._connection, "SELECT count(*) FROM sqlite_master")
        self._release()
        for suffix, key in ours.items():
            beside = side_file(self.path, suffix)
            if key is not None and identity(beside) == key:  # still the very file of ours, not another program's
                raise self._left_beside(beside)

    def _release(self) -> None:
        """Close the connection and drop every lock, without looking at what is left beside the file."""
        self._closed = True
        if self._engine is not None:
            self._engine.dispose()
        self._connection.close()  # what is not committed is rolled back
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        let_go(self._identity)
        self._identity = None

    def _left_beside(self, beside: Path) -> ProjectFileError:
        name = str(self.path)
        if beside.name.endswith("-wal") and has_content(beside):
            return ProjectFileError(name, f"its last changes are kept in {beside.name} beside it and are folded in "
                                          "when it is next opened; keep the two files together")
        if beside.name.endswith("-journal") and is_hot_journal(beside):
            return ProjectFileError(name, f"a change was cut off: it is undone from {beside.name} beside it when the "
                                          "project is next opened; keep the two files together")
        return ProjectFileError(name, f"{beside.name} could not be removed from beside it; it holds nothing, and "
                                      "the next open removes it")

    def __enter__(self) -> ProjectFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def side_files(path: Path) -> list[Path]:
    """Return the SQLite side files lying next to a project (none should exist at rest)."""
    return [Path(f"{path}{side}") for side in SIDE_FILES if Path(f"{path}{side}").exists()]
