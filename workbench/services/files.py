"""Whole-file operations: Save As, and working copies of the bundled sample projects."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import paths
from workbench.domain.errors import ProjectFileError

if TYPE_CHECKING:  # the GUI asks for the shipped samples before it loads the database layer
    from workbench.services.session import OpenProject


def save_copy(project: OpenProject, destination: Path | str) -> Path:
    """Write a consistent copy of the open project to a new file (SQLite backup API); return its path."""
    destination = Path(destination)
    if destination.suffix.lower() != ".soc2":
        destination = destination.with_name(destination.name + ".soc2")
    return project.file.backup_to(destination)


def bundled_samples() -> list[Path]:
    """Return the sample projects shipped with the program."""
    folder = paths.sample_projects_dir()
    return sorted(folder.glob("*.soc2")) if folder.is_dir() else []


def is_bundled_sample(path: Path | str) -> bool:
    """Return True when the path is one of the shipped sample projects (which must stay pristine)."""
    try:
        return Path(path).resolve().parent == paths.sample_projects_dir().resolve()
    except OSError:
        return False


def sample_working_copy(path: Path | str, today: date | None = None) -> Path:
    """Return the user's own copy of a shipped sample, making it on first use, so the original never changes.

    A new copy's dates follow today (services/sample_copy.py): its period ended about a month before. A copy made
    from a different sample (one an earlier version of the program shipped) is kept under another name, "... (earlier
    copy).soc2", and a new one is made from the sample shipped now.
    """
    from workbench.services.sample_copy import follow_today
    from workbench.services.session import open_project

    source = Path(path)
    target = paths.user_data_dir() / "samples" / source.name
    made_from = target.with_name(f".{target.name}.made-from")
    try:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if target.exists():
            if made_from.is_file() and made_from.read_text("ascii", "replace").strip() == digest:
                return target
            _keep_earlier(target)  # made from a sample an earlier version of the program shipped
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(source, partial)
        with open_project(partial, backup_on_open=False) as project:
            follow_today(project, today)
        partial.replace(target)
        made_from.write_text(digest + "\n", "ascii")
    except OSError as exc:
        why = f"a copy of the sample could not be made ({exc.strerror or exc})"
        raise ProjectFileError(str(target), why) from None
    return target


def _keep_earlier(copy: Path) -> Path:
    """Rename a working copy out of the way, keeping whatever the user did in it; return its new name."""
    number = 1
    while True:
        kept = copy.with_name(f"{copy.stem} (earlier copy{'' if number == 1 else f' {number}'}){copy.suffix}")
        if not kept.exists():
            copy.replace(kept)
            return kept
        number += 1
