"""Qt's own messages on the terminal: notices left out, warnings as `qt:` lines, an unusable platform as one error.

Qt ends the process (abort, a core dump) when no platform plugin can be loaded: a missing plugin, or the X11
one without the system libraries it needs. Its handler is called first, so the program says what went wrong
in one error line and exits with status 2 instead.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

Report = Callable[[str], None]  # told what went wrong, as "<what> : <why>"
EXIT_USER_ERROR = 2
# Harmless notices of Qt's offscreen platform that would otherwise clutter the terminal.
QUIET_MESSAGES = ("This plugin does not support",)
PLUGIN_CATEGORY = "qt.qpa.plugin"  # why a platform plugin did not load (before Qt gives up)


def platform_failure(notes: list[str], fatal: str) -> str:
    """Return "<what> : <why>" for a platform plugin that could not be loaded, from Qt's notes and last word."""
    named = re.search(r'platform plugin "([^"]*)"', " ".join(notes))
    plugin = named.group(1) if named else os.environ.get("QT_QPA_PLATFORM", "")
    what = f'Qt platform plugin "{plugin}"' if plugin else "Qt platform plugin"
    available = re.search(r"Available platform plugins are: ([^\n]*?)\.?\s*$", fatal)
    why = "cannot be loaded"
    if notes:
        why += f" ({'; '.join(note.strip() for note in notes)})"
    if available:
        why += f"; available: {available.group(1).strip()}"
    why += ("; install the system libraries the README lists for Qt, or set QT_QPA_PLATFORM to one that is "
            "available")
    return f"{what} : {why}"


class QtMessages:
    """Qt's message handler for the program: installed before the application object is made."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._plugin_notes: list[str] = []  # held until Qt either gives up or starts
        self._starting = True

    def install(self) -> None:
        """Route Qt's messages through this handler."""
        qInstallMessageHandler(self._handle)

    def started(self) -> None:
        """The application object exists: print what Qt said about plugins on the way, as any warning."""
        notes, self._plugin_notes, self._starting = self._plugin_notes, [], False
        for note in notes:
            print(f"qt: {note}", file=sys.stderr)

    def _handle(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg and "platform plugin" in message:
            self._report(platform_failure(self._plugin_notes, message))
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(EXIT_USER_ERROR)  # Qt aborts the process as soon as this handler returns
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or message.startswith(QUIET_MESSAGES):
            return
        if self._starting and context.category == PLUGIN_CATEGORY:
            self._plugin_notes.append(message)
            return
        print(f"qt: {message}", file=sys.stderr)
