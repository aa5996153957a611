"""What every record of a register shares: its id, its unique reference and the row version read with it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RegisterRecord:
    """A register's record: the id it is stored under (0: not stored yet) and its unique reference."""

    id: int
    ref: str
    # The row version read with it (0: not known); an edit sent with it is refused if someone changed it since.
    # Keyword-only, so that each register's own fields follow id and ref when a record is built by position.
    version: int = field(default=0, compare=False, kw_only=True)
