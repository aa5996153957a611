"""The undo history: edits, undos and redos run on the worker in order, and the stack moves only once the data did.

QUndoStack moves its index as soon as it calls a command's undo() or redo(). So nothing here lets the stack
call them first: an undo runs the command's pending operation (its Change's inverse) on the worker, and only
when that succeeded does the History hand the new Change to the command and call stack.undo(), which then
merely records it. A failed undo or redo leaves the stack where it was and the data as it was (the
transaction rolled back), and tells the user once. An undo asked for while edits are still on their way
waits for them, so it always takes back the edit the stack shows on top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

from workbench.domain.errors import ConflictError
from workbench.services.changes import EVERYTHING, Change
from workbench.ui.operations import Operations
from workbench.ui.undo import ChangeCommand

if TYPE_CHECKING:  # the services' store loads with the project, after the window is drawn
    from workbench.services.session import OpenProject

UNDO, REDO = -1, 1
# fail(title, exc, trace, note): tell the user once (PageContext.fail)
Fail = Callable[[str, BaseException, str, str], None]
NOT_MOVED = {
    UNDO: "Nothing was undone: the project and the undo history are as they were.",
    REDO: "Nothing was redone: the project and the undo history are as they were.",
}


class History(QObject):
    """Runs edits (pushing each once it succeeded) and moves the undo stack only after the data moved."""

    changed = Signal(object)  # Touched: the parts of the project an edit, an undo or a redo just changed

    def __init__(self, operations: Operations, stack: QUndoStack, current: Callable[[], OpenProject | None],
                 fail: Fail, parent: QObject | None = None, window: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.stack = stack
        self._current = current
        self._fail = fail
        self._window = window
        self._running = 0  # edits, undos and redos sent to the worker and not back yet
        self._waiting: list[int] = []  # undos and redos asked for while others were running

    @property
    def busy(self) -> bool:
        """Return True while an edit, undo or redo is on its way."""
        return self._running > 0

    def clear(self) -> None:
        """Forget the history (another project, or none, is open)."""
        self._waiting.clear()
        self.stack.clear()

    # -- edits ----------------------------------------------------------------------------------------

    def run(self, command: ChangeCommand, on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[str], None] | None = None) -> None:
        """Make an edit on the worker; once it succeeded put it on the stack, then call on_success(its value)."""
        project = self._current()
        if project is None:
            return

        def done(change: Change[Any]) -> None:
            try:
                if self._current() is not project:
                    return  # the project was closed meanwhile: its history went with it
                if change.undoable:
                    command.arrive(change)
                    self.stack.push(command)  # push calls redo(), which records the change
                elif change.touched:
                    self.stack.resetClean()  # changed for good: undoing can no longer reach the saved state
                if change.touched:
                    self.changed.emit(change.touched)
                if on_success is not None:
                    on_success(change.value)
            finally:
                self._finished()

        def failed(exc: BaseException, trace: str) -> None:
            try:
                if self._current() is project:
                    self._fail(command.text(), exc, trace, "")
                    if isinstance(exc, ConflictError):
                        self.changed.emit(EVERYTHING)  # someone else's edit won: show what is there now
                if on_failure is not None:
                    on_failure(str(exc))
            finally:
                self._finished()

        self._running += 1
        self.operations.run(lambda context: command.first_run(project, context), done, failed,
                            label=command.text() if command.long else None, parent=self._window)

    # -- undo and redo --------------------------------------------------------------------------------

    def undo(self) -> None:
        """Take back the edit on top of the stack (after the edits still on their way)."""
        self._ask(UNDO)

    def redo(self) -> None:
        """Make the next undone edit again (after the edits still on their way)."""
        self._ask(REDO)

    def _ask(self, direction: int) -> None:
        if self._running:
            self._waiting.append(direction)
        else:
            self._move(direction)

    def _finished(self) -> None:
        self._running -= 1
        while not self._running and self._waiting:  # a step with nothing to move starts nothing: go on
            self._move(self._waiting.pop(0))

    def _move(self, direction: int) -> None:
        index = self.stack.index()
        command = self.stack.command(index - 1 if direction == UNDO else index)
        project = self._current()
        if not isinstance(command, ChangeCommand) or project is None:
            return
        operation = command.next_step()
        if operation is None:
            return
        verb = "Undo" if direction == UNDO else "Redo"
        before = command.touched

        def done(change: Change[Any]) -> None:
            try:
                if self._current() is not project:
                    return
                command.arrive(change)
                if direction == UNDO:
                    self.stack.undo()
                else:
                    self.stack.redo()
                self.changed.emit(before | change.touched)
            finally:
                self._finished()

        def failed(exc: BaseException, trace: str) -> None:
            try:
                if self._current() is project:
                    self._fail(f"{verb} {command.text()}", exc, trace, NOT_MOVED[direction])
                    self.changed.emit(before)  # the data may have moved on: show what is there now
            finally:
                self._finished()

        self._running += 1
        self.operations.run(lambda _context: operation(project), done, failed,
                            label=f"{verb} {command.text()}" if command.long else None, parent=self._window)

    # -- the Edit menu's actions ----------------------------------------------------------------------

    def action(self, direction: int, parent: QObject) -> QAction:
        """Return an Undo (UNDO) or Redo (REDO) action that names the edit and goes through this history."""
        action = QAction(parent)
        verb = "&Undo" if direction == UNDO else "&Redo"

        def update() -> None:
            text = self.stack.undoText() if direction == UNDO else self.stack.redoText()
            action.setText(f"{verb} {text}".strip())
            action.setEnabled(self.stack.canUndo() if direction == UNDO else self.stack.canRedo())

        for signal in (self.stack.indexChanged, self.stack.canUndoChanged, self.stack.canRedoChanged,
                       self.stack.undoTextChanged, self.stack.redoTextChanged):
            signal.connect(update)
        update()
        action.triggered.connect(self.undo if direction == UNDO else self.redo)
        return action

