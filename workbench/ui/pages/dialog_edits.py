"""A page's add/edit dialog that becomes one undoable command when accepted."""

from __future__ import annotations

from collections.abc import Callable

from workbench.ui.edit_dialog import EditDialog
from workbench.ui.pages.base import ProjectPage
from workbench.ui.undo import EditCommand


def ask_then_apply(page: ProjectPage, dialog: EditDialog | None, command: Callable[..., EditCommand]) -> None:
    """Open the dialog (None: nothing selected, nothing to ask); once accepted, apply the command its values() make,
    spread as arguments (undoable)."""
    if dialog is None:
        return
    page.open_dialog(dialog, lambda: page.context.apply(command(*dialog.values())))  # type: ignore[attr-defined]
