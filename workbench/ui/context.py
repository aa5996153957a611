"""What every page shares: the open project, the background worker, the undo stack, and change notices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.domain.errors import ConflictError, WorkbenchError
from workbench.services.session import OpenProject
from workbench.ui.operations import OperationContext, Operations

Work = Callable[[OpenProject], Any]


class PageContext(QObject):
    """The open project as the pages see it. Pages never touch the project on the GUI thread."""

    project_changed = Signal()  # a different project (or none) is open
    data_changed = Signal()  # the open project's data changed: pages reload what they show
    failed = Signal(str)  # an operation failed; the message is also shown unless not interactive

    def __init__(self, operations: Operations, undo_stack: QUndoStack, *, interactive: bool = True,
                 window: QWidget | None = None) -> None:
        super().__init__(window)
        self.operations = operations
        self.undo_stack = undo_stack
        self.interactive = interactive
        self.window = window
        self._project: OpenProject | None = None

    @property
    def project(self) -> OpenProject | None:
        """Return the open project, or None."""
        return self._project

    def set_project(self, project: OpenProject | None) -> None:
        """Switch to another project (or none); forgets the undo history of the previous one."""
        self._project = project
        self.undo_stack.clear()
        self.project_changed.emit()

    def today(self) -> date:
        """Return today's date (pages use it for overdue and upcoming items)."""
        return date.today()

    def load(self, work: Work, on_success: Callable[[Any], None], *, label: str | None = None) -> None:
        """Read from the project on the worker; hand the result to on_success on the GUI thread."""
        project = self._project
        if project is None:
            return

        def run(_context: OperationContext) -> Any:
            return work(project)

        def done(result: Any) -> None:
            if self._project is project:  # ignore answers about a project that was closed meanwhile
                on_success(result)

        self.operations.run(run, done, lambda exc, trace: self.fail("Could not load", exc, trace),
                            label=label, parent=self.window)

    def change(self, label: str, do: Work, undo: Work, on_success: Callable[[Any], None] | None = None, *,
               on_failure: Callable[[str], None] | None = None,
               first_run: Callable[[OpenProject, OperationContext], Any] | None = None) -> None:
        """Make an undoable change: run `do` on the worker; once it succeeded, put it on the undo stack.

        A long change passes `first_run(project, operation)` for its first execution, which reports progress
        (a dialog with Cancel appears after a moment); redo runs `do` again.
        """
        from workbench.ui.undo import ServiceCommand

        project = self._project
        if project is None:
            return

        def done(result: Any) -> None:
            self.undo_stack.push(ServiceCommand(self, label, do, undo, already_done=True))
            self.data_changed.emit()
            if on_success is not None:
                on_success(result)

        def failed(exc: BaseException, trace: str) -> None:
            self.fail(label, exc, trace)
            if isinstance(exc, ConflictError):
                self.data_changed.emit()  # someone else's edit won: show what is there now
            if on_failure is not None:
                on_failure(str(exc))

        if first_run is None:
            self.operations.run(lambda _c: do(project), done, failed)
        else:
            self.operations.run(lambda operation: first_run(project, operation), done, failed, label=label,
                                parent=self.window)

    def run_long(self, label: str, work: Callable[[OpenProject, OperationContext], Any],
                 on_success: Callable[[Any], None] | None = None) -> None:
        """Run long work that changes data and is not undoable (adding evidence files, say), with progress.

        `work(project, context)` should call context.progress(done, total) and stop when it returns False.
        """
        project = self._project
        if project is None:
            return

        def done(result: Any) -> None:
            self.data_changed.emit()
            if on_success is not None:
                on_success(result)

        self.operations.run(lambda context: work(project, context), done,
                            lambda exc, trace: self.fail(label, exc, trace), label=label, parent=self.window)

    def fail(self, title: str, exc: BaseException, trace: str = "") -> None:
        """Tell the user an operation failed: one clear message; the trace only for a bug."""
        message = str(exc) if isinstance(exc, WorkbenchError) else f"Unexpected error: {exc!r}"
        self.failed.emit(message)
        if not self.interactive:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning if isinstance(exc, WorkbenchError) else QMessageBox.Icon.Critical,
            title, message, QMessageBox.StandardButton.Ok, self.window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        if not isinstance(exc, WorkbenchError) and trace:
            box.setDetailedText(trace)
        box.exec()
