"""Undoable edits: each is a labelled QUndoCommand whose redo and undo run services on the worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from workbench.ui.context import PageContext, Work


class ServiceCommand(QUndoCommand):
    """One edit of the project: `do` and `undo` are service calls, run in order on the background worker."""

    def __init__(self, context: PageContext, label: str, do: Work, undo: Work, *, already_done: bool = False) -> None:
        super().__init__(label)
        self._context = context
        self._do, self._undo = do, undo
        self._skip_first_redo = already_done  # pushed after the change succeeded: nothing to redo yet

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run(self._do, "Redo " + self.text())

    def undo(self) -> None:
        self._run(self._undo, "Undo " + self.text())

    def _run(self, work: Work, title: str) -> None:
        context = self._context
        project = context.project
        if project is None:
            return

        def done(_result: Any) -> None:
            context.data_changed.emit()

        context.operations.run(lambda _c: work(project), done, lambda exc, trace: context.fail(title, exc, trace))
