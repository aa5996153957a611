"""Import the step pages' modules on the worker once a project is open, so a page's first showing only builds it.

A page's module, with the services and dialogs it needs, takes tens of milliseconds to import (the import wizard's
readers over a hundred); imported on the GUI thread when the page is first clicked, that is a stall the user feels.
A moment after the project has opened (a screenshot run is over by then), the worker imports them one job at a
time, in the background: work the user asks for meanwhile waits for one module at most, and the window does not
look busy for it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable

from PySide6.QtCore import QTimer

from workbench.ui.operations import Operations

DELAY_MS = 1000


def preload_later(operations: Operations, modules: Iterable[str], wanted: Callable[[], bool]) -> None:
    """After DELAY_MS, import each module not imported yet on the worker, in turn, for as long as wanted() holds.

    A module that fails to import is left to the page, which imports it again when shown and reports the failure.
    """
    waiting = list(modules)

    def next_one(_result: object = None) -> None:
        while waiting and wanted():
            name = waiting.pop(0)
            if name not in sys.modules:
                operations.run(lambda _context, module=name: importlib.import_module(module), next_one,
                               lambda _exc, _trace: next_one(), background=True)
                return

    QTimer.singleShot(DELAY_MS, operations, next_one)
