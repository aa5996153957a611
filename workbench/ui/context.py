"""What every page shares: the open project, the background worker, the undo history, its forms and change notices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.services.changes import EVERYTHING, Touched
from workbench.ui.history import History
from workbench.ui.operations import OperationContext, Operations
from workbench.ui.pending_edits import PendingEdits
from workbench.ui.undo import ChangeCommand

if TYPE_CHECKING:  # the services' store loads with the project, after the window is drawn
    from workbench.services.session import OpenProject

Work = Callable[["OpenProject"], Any]


class PageContext(QObject):
    """The open project as the pages see it. Pages never touch the project on the GUI thread."""

    project_loaded = Signal()  # a project was opened: pages forget what they showed and read it afresh
    refreshed = Signal(object)  # Touched: these parts of the open project changed; pages showing them reload
    failed = Signal(str)  # an operation failed; the message is also shown unless not interactive
    page_requested = Signal(str)  # a page asks the window to show another page, by name ("controls")
    export_requested = Signal()  # a page asks the window for its Export for the Auditor dialog

    def __init__(self, operations: Operations, undo_stack: QUndoStack, *, interactive: bool = True,
                 window: QWidget | None = None) -> None:
        super().__init__(window)
        self.operations = operations
        self.undo_stack = undo_stack
        self.interactive = interactive
        self.window = window
        self._project: OpenProject | None = None
        self.history = History(operations, undo_stack, lambda: self._project, self.fail, self, window)
        self.history.changed.connect(self.refreshed)
        self.edits = PendingEdits(self, interactive=interactive, window=window)

    @property
    def project(self) -> OpenProject | None:
        """Return the open project, or None."""
        return self._project

    def set_project(self, project: OpenProject | None) -> None:
        """Switch to another project (or none); forgets the undo history of the previous one."""
        if self._project is not None and project is not self._project:
            self.operations.collect_all_soon()  # what the closed project left behind, once the worker is idle
        self._project = project
        self.history.clear()
        if project is not None:
            self.project_loaded.emit()

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

    def apply(self, command: ChangeCommand, on_success: Callable[[Any], None] | None = None,
              on_failure: Callable[[str], None] | None = None) -> None:
        """Make an undoable edit on the worker; once it succeeded it goes on the undo stack and pages refresh.

        on_success gets what the service returned (the Change's value); on_failure the message shown.
        """
        self.history.run(command, on_success, on_failure)

    def refresh(self, touched: Touched = EVERYTHING) -> None:
        """Tell the pages that these parts of the project changed (by someone else, say): those showing them reload."""
        self.refreshed.emit(touched)

    def fail(self, title: str, exc: BaseException, trace: str = "", note: str = "") -> None:
        """Tell the user an operation failed: one clear message (and what it means, in `note`); a trace for a bug."""
        message = str(exc) if isinstance(exc, WorkbenchError) else f"Unexpected error: {exc!r}"
        if note:
            message = f"{message}\n\n{note}"
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
