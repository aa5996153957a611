"""Stored text made safe to print on a terminal: a control character (an ESC sequence would colour the terminal or
move its cursor) is shown as its escape, `\\x1b`, so the reader sees it and the terminal does nothing."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # every C0 and C1 control but tab and line feed


def terminal_safe(text: str) -> str:
    """Return text with each control character except tab and line feed written as its escape (`\\x1b`)."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text.replace("\r\n", "\n"))
