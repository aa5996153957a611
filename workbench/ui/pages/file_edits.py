"""Reading a file into the project from a page: the file asked for unless given, the service run on it as one
undoable edit on the worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.services.session import OpenProject
from workbench.ui.pages.base import ProjectPage
from workbench.ui.undo import LongEditCommand


def file_to_open(parent: QWidget, caption: str, file_filter: str, path: Path | str | None) -> Path | None:
    """Return `path`, or when it is None the file the user picks (None when they cancel)."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, caption, "", file_filter)
        if not path:
            return None
    return Path(path)


def import_into(page: ProjectPage, path: Path | str | None, ask: tuple[str, str], label: str,
                service: Callable[[OpenProject, Path], Any], on_success: Callable[[Any], None]) -> None:
    """Run `service` on the file at `path` (asked for with `ask`, a caption and a filter, when None) as one undoable
    edit labelled `label` and the file's name; `on_success` gets what the service returned."""
    source = file_to_open(page, *ask, path)
    if source is None:
        return
    page.context.apply(LongEditCommand(f"{label} {source.name}", lambda project, _operation: service(project, source)),
                       on_success=on_success)
