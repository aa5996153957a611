"""Automatic backups of a project file: their folder, their names, taking them, reading them, thinning them.

Each project's backups live in their own folder under the per-user backups folder, named after the project
and a short hash of its resolved path, so two projects with the same name in different folders never mix.
A backup is a plain single-file copy made through SQLite's backup API, named
`<stem>-<YYYYmmdd-HHMMSS UTC>-<reason>[-<n>].soc2`; the name is all the bookkeeping there is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench import paths
from workbench.domain.backup_policy import ON_OPEN, REASONS, BackupStamp, backups_to_delete
from workbench.domain.errors import ProjectFileError
from workbench.store import migrate
from workbench.store.file_access import APPLICATION_ID, SIDE_FILES, SUFFIX, read_header
from workbench.store.project_store import ProjectStore

STAMP_FORMAT = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>" + "|".join(map(re.escape, REASONS)) + r")(?:-(?P<n>\d+))?"
    + re.escape(SUFFIX) + "$"
)
_UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup file found in a project's backups folder."""

    path: Path
    taken_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class FileState:
    """What tells two states of a project apart cheaply: schema revision and the audit trail's length and head."""

    revision: str | None
    entries: int
    head: str | None


def _resolved(project_path: Path | str) -> Path:
    path = Path(project_path).absolute()
    try:
        return path.resolve()
    except OSError:
        return path


def folder_name(project_path: Path | str) -> str:
    """Return the stable name of the folder holding a project's backups: `<stem>-<hash of its resolved path>`."""
    resolved = _resolved(project_path)
    identity = f"{APPLICATION_ID:08x}\n{os.path.normcase(str(resolved))}"
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    stem = _UNSAFE.sub("_", resolved.stem).strip(" .")[:40] or "project"
    return f"{stem}-{digest}"


def backup_folder(project_path: Path | str) -> Path:
    """Return the folder the automatic backups of the project at `project_path` go to."""
    return paths.backups_dir() / folder_name(project_path)


def parse_backup_name(name: str) -> tuple[datetime, str] | None:
    """Return (taken at, reason) read from a backup's file name, or None when it is not one of ours."""
    match = _NAME.match(name)
    if match is None:
        return None
    stamp = match["stamp"]  # STAMP_FORMAT's digits, read without strptime (its first call costs ~3 ms on opening)
    try:
        taken = datetime(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]), int(stamp[9:11]), int(stamp[11:13]),
                         int(stamp[13:15]), tzinfo=UTC)
    except ValueError:
        return None
    return taken, match["reason"]


def backup_files(folder: Path) -> list[BackupFile]:
    """Return the backups in a folder, newest first (a missing folder has none)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        parsed = parse_backup_name(entry.name)
        with contextlib.suppress(OSError):
            if parsed is not None and entry.is_file():
                # Within one second of the clock, the file written last is the newer backup.
                found.append((parsed[0], entry.stat().st_mtime_ns, BackupFile(Path(entry.path), *parsed)))
    found.sort(key=lambda item: (item[0], item[1], item[2].path.name), reverse=True)
    return [backup for _, _, backup in found]


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(STAMP_FORMAT)


def _free_name(folder: Path, stem: str, moment: datetime, reason: str) -> Path:
    base = f"{stem}-{_stamp(moment)}-{reason}"
    candidate, number = folder / f"{base}{SUFFIX}", 2
    while candidate.exists():
        candidate, number = folder / f"{base}-{number}{SUFFIX}", number + 1
    return candidate


def thin(folder: Path, now: datetime) -> list[Path]:
    """Delete the backups in `folder` that the age rule (domain.backup_policy) lets go; return what went."""
    found = {b.path.name: b for b in backup_files(folder)}
    stamps = [BackupStamp(name, b.taken_at, b.reason) for name, b in found.items()]
    deleted = []
    for name in backups_to_delete(stamps, now):
        with contextlib.suppress(OSError):
            found[name].path.unlink()
            deleted.append(found[name].path)
        for side in SIDE_FILES:  # kept beside a byte copy of a file that could not be opened
            with contextlib.suppress(OSError):
                Path(f"{found[name].path}{side}").unlink()
    return deleted


def take_backup(file: ProjectStore, reason: str) -> Path:
    """Back up an open project into its backups folder through SQLite's backup API, then thin the folder."""
    folder = backup_folder(file.path)
    now = file.clock()
    target = file.backup_to(_free_name(folder, file.path.stem, now, reason))
    thin(folder, now)
    return target


def keep_copy_of_closed(project_path: Path, reason: str, now: datetime) -> Path:
    """Copy a closed project file that cannot be opened (damaged, not ours) byte for byte into its backups."""
    folder = backup_folder(project_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, project_path.stem, now, reason)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(project_path, partial)
        os.replace(partial, target)
        for side in SIDE_FILES:
            beside = Path(f"{project_path}{side}")
            if beside.exists():
                shutil.copyfile(beside, f"{target}{side}")
    except OSError as exc:
        raise ProjectFileError(str(project_path), f"a copy could not be kept in the backups ({exc})") from None
    thin(folder, now)
    return target


def state_of_open(file: ProjectStore) -> FileState:
    """Return the state of an open project (a few index lookups)."""
    with file.plain() as connection:
        revision = migrate.current_revision(connection)
        row = connection.exec_driver_sql("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").first()
    return FileState(revision, int(row[0]) if row else 0, str(row[1]) if row else None)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Open a closed project file for reading only (no lock kept, nothing written beside it)."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0.25)
    try:
        yield connection
    finally:
        connection.close()


def _damaged(path: Path, exc: BaseException) -> ProjectFileError:
    detail = " ".join(str(exc).split())[:200]
    return ProjectFileError(str(path), f"is damaged and cannot be used ({detail})")


def state_of_file(path: Path) -> FileState:
    """Return the state of a closed project or backup file, reading it only."""
    try:
        with read_only(path) as connection:
            version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            row = connection.execute("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").fetchone()
    except sqlite3.Error as exc:
        raise _damaged(path, exc) from None
    return FileState(str(version[0]) if version else None, int(row[0]) if row else 0, str(row[1]) if row else None)


def verify_backup(path: Path) -> FileState:
    """Refuse, naming it, a backup that is not ours, is damaged or is from a newer program; return its state."""
    read_header(path)
    try:
        with read_only(path) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
            if not rows or rows[0][0] != "ok":
                problem = " ".join(str(rows[0][0]).split())[:200] if rows else "no answer"
                raise ProjectFileError(str(path), f"is damaged and cannot be restored ({problem})")
            if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise ProjectFileError(str(path), "is damaged and cannot be restored (rows point to missing rows)")
    except sqlite3.Error as exc:
        raise _damaged(path, exc) from None
    state = state_of_file(path)
    if state.revision is None:
        raise ProjectFileError(str(path), "is damaged and cannot be restored (it has no schema version)")
    if state.revision not in migrate.known_revisions():
        raise ProjectFileError(str(path), "was made by a newer version of SOC 2 Workbench; update the program first")
    return state


def backup_on_open(file: ProjectStore) -> Path | None:
    """Take the once-per-open backup, unless the newest backup already holds this very state; return it."""
    current = state_of_open(file)
    existing = backup_files(backup_folder(file.path))
    if existing:
        try:
            if state_of_file(existing[0].path) == current:
                return None
        except ProjectFileError:
            pass  # a damaged newest backup is no reason to skip a sound one
    return take_backup(file, ON_OPEN)


def stage_copy(backup: Path, project_path: Path) -> Path:
    """Copy a backup file beside the project, ready to be moved in place by `move_into_place`; return the copy."""
    temp = project_path.with_name(f".{project_path.name}.restoring")
    try:
        # A backup is one self-contained file (journal mode DELETE), so a byte copy is the exact file.
        shutil.copyfile(backup, temp)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise ProjectFileError(str(project_path), f"could not be replaced by the backup ({exc})") from None
    return temp


def discard_staged(temp: Path) -> None:
    """Remove a staged copy that will not be used."""
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()


def move_into_place(temp: Path, project_path: Path) -> None:
    """Replace the (closed) project file by a staged copy, at once."""
    try:
        # Side files left by a crash belong to the file being replaced: SQLite would apply them to the new one.
        for side in SIDE_FILES:
            with contextlib.suppress(FileNotFoundError):
                Path(f"{project_path}{side}").unlink()
        os.replace(temp, project_path)
    except OSError as exc:
        discard_staged(temp)
        raise ProjectFileError(str(project_path), f"could not be replaced by the backup ({exc})") from None


def copy_into_place(backup: Path, project_path: Path) -> None:
    """Replace the (closed) project file by a copy of a backup file: built beside it, then moved in at once."""
    move_into_place(stage_copy(backup, project_path), project_path)
