"""The import wizard's errands to the background worker: only the newest request of a kind is answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.ui.context import PageContext
from workbench.ui.operations import OperationContext


class Errands:
    """Runs a wizard's reads on the worker, counts what is outstanding, and drops answers that came too late."""

    def __init__(self, context: PageContext, parent: QWidget, changed: Callable[[], None]) -> None:
        self.context = context
        self.parent = parent
        self.changed = changed  # told whenever the count moves, so that the page's buttons follow
        self.outstanding = 0
        self._tickets: dict[str, int] = {}

    def submit(self, kind: str, label: str, work: Callable[[OperationContext], Any],
               on_success: Callable[[Any], None], error: QLabel, status: QLabel) -> None:
        """Run work on the worker; only the newest request of a kind is answered; a failure shows on the page."""
        ticket = self._tickets.get(kind, 0) + 1
        self._tickets[kind] = ticket
        self.outstanding += 1
        error.hide()
        self.changed()

        def done(result: Any) -> None:
            self.outstanding -= 1
            if self._tickets.get(kind) == ticket:
                on_success(result)
            self.changed()

        def failed(exc: BaseException, trace: str) -> None:
            self.outstanding -= 1
            if self._tickets.get(kind) == ticket:
                status.clear()
                if isinstance(exc, WorkbenchError):
                    error.setText(str(exc))
                else:
                    error.setText(f"Unexpected error: {exc!r}")
                    self.context.fail(label, exc, trace)
                error.show()
            self.changed()

        self.context.operations.run(work, done, failed, label=label, parent=self.parent)

    def forget(self, *kinds: str) -> None:
        """Drop the answers still to come for these kinds of request."""
        for kind in kinds:
            self._tickets[kind] = self._tickets.get(kind, 0) + 1
