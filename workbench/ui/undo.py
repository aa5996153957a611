"""Undoable edits: each is a labelled QUndoCommand holding the services' Change that takes it back or forward.

A command never touches the project itself. The History (ui/history.py) runs the command's pending operation
on the worker and, only once it succeeded, hands over the Change it made and moves the QUndoStack; the
command's undo() and redo(), which the stack calls then, merely record that Change. So the stack's index and
the data move together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from workbench.services.changes import Change, Operation, Touched
from workbench.ui.operations import OperationContext

if TYPE_CHECKING:  # the services' store loads with the project, after the window is drawn
    from workbench.services.session import OpenProject

FirstRun = Callable[["OpenProject", OperationContext], Change[Any]]


class ChangeCommand(QUndoCommand):
    """What every edit shares: its label, how it runs the first time, and the Change it made last."""

    long = False  # True: undo and redo may take a while, so they run under a progress dialog

    def __init__(self, label: str, first_run: FirstRun) -> None:
        super().__init__(label)
        self._first_run = first_run
        self._change: Change[Any] | None = None  # the last Change made: its inverse is the next step
        self._arrived: Change[Any] | None = None  # handed over by the History just before the stack moves

    def first_run(self, project: OpenProject, context: OperationContext) -> Change[Any]:
        """Make the edit for the first time (on the worker)."""
        return self._first_run(project, context)

    @property
    def touched(self) -> Touched:
        """Return what the edit touches (known once it has run)."""
        return self._change.touched if self._change is not None else Touched.NOTHING

    def next_step(self) -> Operation | None:
        """Return the operation the next undo or redo runs (None: the edit cannot be taken back)."""
        return self._change.inverse if self._change is not None else None

    def arrive(self, change: Change[Any]) -> None:
        """Take the Change that the first run, an undo or a redo just made; the stack moves next."""
        self._arrived = change

    def redo(self) -> None:
        self._settle()

    def undo(self) -> None:
        self._settle()

    def _settle(self) -> None:
        if self._arrived is None:
            raise RuntimeError(f"{self.text()!r} moved on the undo stack without its change having run")
        self._change, self._arrived = self._arrived, None


class EditCommand(ChangeCommand):
    """One quick edit of the project (a record added, changed or removed): undo and redo run quietly."""

    def __init__(self, label: str, operation: Operation) -> None:
        super().__init__(label, lambda project, _context: operation(project))


class LongEditCommand(ChangeCommand):
    """An edit of many records at once (an import, files added): every run shows progress after a moment.

    The first run gets the operation context, to report progress and learn of a cancel; undo and redo run
    the Change's inverse under a progress dialog named after the edit.
    """

    long = True

    def __init__(self, label: str, first_run: FirstRun, *, cancelled: tuple[type[BaseException], ...] = ()) -> None:
        super().__init__(label, first_run)
        self._cancelled = cancelled  # what the first run raises when the user cancelled it: nothing was changed

    def first_run(self, project: OpenProject, context: OperationContext) -> Change[Any]:
        """Make the edit for the first time with progress; a cancel makes an empty Change (nothing to undo)."""
        try:
            return super().first_run(project, context)
        except self._cancelled:
            return Change(Touched.NOTHING)

