"""The keys a streamed import planned in earlier windows, kept in little memory so that repeats are still found.

A window's rows are planned, written and let go; what a later row naming the same record needs of it is kept here:
the row it was first seen on, the ID as that row wrote it, what became of it (created, updated or unchanged), and a
digest of that row's other texts (whether a repeat's differ from them). About 100 bytes a key: one dict entry whose
value is one packed int; an ID is kept a second time only when it is written in mixed case.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.services.importers.spec import CREATE, UNCHANGED, UPDATE

_ACTIONS = (CREATE, UPDATE, UNCHANGED)
_CODE = {action: code for code, action in enumerate(_ACTIONS)}
_AS_FOLDED, _AS_UPPER, _AS_WRITTEN = 0, 1, 2  # how the ID was written: as its folded form, upper case, or else
_MASK = (1 << 64) - 1


class Seen(NamedTuple):
    """A key planned in an earlier window."""

    row: int  # the 1-based row it was first seen on
    written: str  # the ID as that row wrote it
    action: str  # CREATE, UPDATE or UNCHANGED
    digest: int  # of the first row's texts a repeat compares its own with (see texts_digest)


def texts_digest(texts: tuple[str, ...]) -> int:
    """Return a 64-bit digest of a row's texts (equal texts give equal digests within one process)."""
    return hash(texts) & _MASK


class KeyLedger:
    """Folded key -> Seen, packed: (digest << 32) | (row << 4) | (action << 2) | spelling."""

    def __init__(self) -> None:
        self._packed: dict[str, int] = {}
        self._written: dict[str, str] = {}  # the IDs written neither folded nor in upper case

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, folded: object) -> bool:
        return folded in self._packed

    def add(self, folded: str, row: int, written: str, action: str, digest: int = 0) -> None:
        """Remember a key planned in this window."""
        if written == folded:
            spelling = _AS_FOLDED
        elif written == folded.upper():
            spelling = _AS_UPPER
        else:
            spelling = _AS_WRITTEN
            self._written[folded] = written
        self._packed[folded] = (digest << 32) | (row << 4) | (_CODE[action] << 2) | spelling

    def get(self, folded: str) -> Seen | None:
        """Return what is known of a key from an earlier window, or None."""
        packed = self._packed.get(folded)
        if packed is None:
            return None
        spelling = packed & 3
        written = folded if spelling == _AS_FOLDED else folded.upper() if spelling == _AS_UPPER else \
            self._written[folded]
        return Seen((packed >> 4) & 0xFFFFFFF, written, _ACTIONS[(packed >> 2) & 3], packed >> 32)

    def settle(self, folded: str, action: str) -> None:
        """Record what became of a key once a later repeat merged into it (an update may turn unchanged, or back)."""
        packed = self._packed[folded]
        self._packed[folded] = (packed & ~(3 << 2)) | (_CODE[action] << 2)
