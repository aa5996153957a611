"""A dated record of a register that shows a control operated (a restore test, a review of a vendor's report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Occurrence:
    """What a register record says of the control it serves: what it is, and the day it happened."""

    label: str
    day: date
