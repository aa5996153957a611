"""Stored text made safe to print on a terminal: a control character (an ESC sequence would colour the terminal or
move its cursor) is shown as its escape, `\\x1b`, so the reader sees it and the terminal does nothing."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # every C0 and C1 control but tab and line feed


def terminal_safe(text: str) -> str:
    """Return text with each control character except tab and line feed written as its escape (`\\x1b`)."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text.replace("\r\n", "\n"))


# Line breaks, and the invisible characters that reorder or hide text (a right-to-left override shows
# "\u202eevil\u202cfdp.exe" as "evilexe.pdf"): none belongs in a file name printed on one line.
_NOT_IN_A_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def one_line_name(text: str) -> str:
    """Return a name with every control, line-break and bidirectional or zero-width character written as its
    escape (`\\n`, `\\u202e`), so that one name prints as one line that reads as it is stored."""
    def escape(found: re.Match[str]) -> str:
        code = ord(found.group())
        return {10: "\\n", 13: "\\r", 9: "\\t"}.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return _NOT_IN_A_NAME.sub(escape, text)
