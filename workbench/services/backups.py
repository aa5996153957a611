"""The automatic backups of a project: list them, and restore one (keeping the current file as a backup first)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.domain.backup_policy import BEFORE_RESTORE
from workbench.domain.clock import Clock, utc_now
from workbench.domain.encryption import PassphrasePrompt
from workbench.domain.errors import NotFoundError, ProjectFileError, ProjectLockedError, WorkbenchError
from workbench.services.integrity import check_project
from workbench.services.session import open_project
from workbench.store import backups as store

REASON_LABELS = {"on-open": "opened", "before-upgrade": "before upgrade", "before-restore": "before restore"}


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One automatic backup of a project, as listed to the user (number 1 is the newest)."""

    number: int
    path: Path
    taken_at: datetime
    reason: str
    size: int
    entries: int | None  # audit-trail entries in the backup; None when it cannot be read
    head: str | None  # audit-trail head hash in the backup
    problem: str | None  # why the backup cannot be read, if it cannot

    @property
    def reason_label(self) -> str:
        """Return the reason in words ("opened", "before upgrade", "before restore")."""
        return REASON_LABELS.get(self.reason, self.reason)


def backups_folder(project_path: Path | str) -> Path:
    """Return the folder where the project's automatic backups are kept."""
    return store.backup_folder(project_path)


def list_backups(project_path: Path | str) -> list[BackupInfo]:
    """Return the project's automatic backups, newest first, with size and audit-trail head read cheaply."""
    found = []
    for number, backup in enumerate(store.backup_files(store.backup_folder(project_path)), start=1):
        try:
            size = backup.path.stat().st_size
        except OSError:
            continue  # thinned away meanwhile
        try:
            state = store.state_of_file(backup.path)
            entries, head, problem = state.entries, state.head, None
        except WorkbenchError as exc:
            entries, head, problem = None, None, exc.why
        found.append(BackupInfo(number, backup.path, backup.taken_at, backup.reason, size, entries, head, problem))
    return found


def resolve_backup(project_path: Path | str, choice: str | Path) -> Path:
    """Return the backup meant by `choice`: a file path, or the number `list_backups` shows."""
    text = str(choice).strip()
    if text.isdigit() and not Path(text).exists():
        listed = list_backups(project_path)
        number = int(text)
        if not 1 <= number <= len(listed):
            why = f"there is no backup number {number}" + (f" (1 to {len(listed)})" if listed else " (none yet)")
            raise NotFoundError(str(project_path), why)
        return listed[number - 1].path
    path = Path(choice).absolute()
    if not path.is_file():
        raise NotFoundError(str(path), "no such backup file")
    return path


def _keep_current(project_path: Path, clock: Clock, prompt: PassphrasePrompt | None) -> Path | None:
    """Back up the current project file before it is replaced; refuse while it is open anywhere."""
    if not project_path.exists():
        return None
    try:
        project = open_project(project_path, clock=clock, backup_on_open=False, prompt=prompt)
    except ProjectLockedError:
        raise
    except ProjectFileError:
        # The current file cannot be opened (damaged, not ours, newer): keep its bytes as they are.
        return store.keep_copy_of_closed(project_path, BEFORE_RESTORE, clock())
    if project.read_only:  # replacing the file is a change like any other
        project.close()
        raise ProjectFileError(str(project_path), f"cannot be replaced by a backup: it is open read-only because "
                                                  f"{project.read_only_reason}; nothing was changed")
    try:
        return store.take_backup(project.file, BEFORE_RESTORE)
    finally:
        project.close()


def _check_restored(project_path: Path, clock: Clock, prompt: PassphrasePrompt | None) -> str | None:
    """Open the restored project and run every check; return the first problem or None."""
    try:
        with open_project(project_path, clock=clock, backup_on_open=False, prompt=prompt) as project:
            failed = next((r for r in check_project(project) if not r.ok), None)
    except WorkbenchError as exc:
        return exc.why
    return None if failed is None else f"{failed.name}: {failed.problem}"


def restore_backup(project_path: Path | str, backup_path: Path | str, *, clock: Clock = utc_now,
                   prompt: PassphrasePrompt | None = None) -> Path:
    """Put a backup in place of the project, keeping the current file as a "before-restore" backup first.

    Refuses a damaged backup (naming it) and a project open in another window or process. The restored file
    is opened and checked; should that fail, the file that was there is put back. Returns the project's path.
    An encrypted project whose key is not at hand asks `prompt` for its passphrase.
    """
    project_path = Path(project_path).absolute()
    backup = Path(backup_path).absolute()
    if backup == project_path:
        raise ProjectFileError(str(backup), "is the project itself, not a backup of it")
    store.verify_backup(backup)
    # Copied aside first: keeping the current file thins the backups, which may let the chosen one go.
    staged = store.stage_copy(backup, project_path)
    try:
        kept = _keep_current(project_path, clock, prompt)
    except BaseException:
        store.discard_staged(staged)
        raise
    store.move_into_place(staged, project_path)
    problem = _check_restored(project_path, clock, prompt)
    if problem is not None:
        if kept is not None:
            with contextlib.suppress(WorkbenchError):
                store.copy_into_place(kept, project_path)
        elif project_path.exists():
            with contextlib.suppress(OSError):
                project_path.unlink()
        raise ProjectFileError(str(backup), f"is damaged and was not restored ({problem}); the project is unchanged")
    return project_path
