"""Column widths for a PDF table whose headers wrap only between words: each column at least as wide as the longest
word of its header (a hyphenated word may break after its hyphens), and the columns of a table too wide for the page
grouped so that every group fits."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_PIECES = re.compile(r"[^\s-]*-+|[^\s-]+")  # a word, or the part of a hyphenated word up to and with its hyphens


def longest_word(text: str, width_of: Callable[[str], float]) -> float:
    """Return the width of the widest piece a header can be wrapped into (between words, or after a hyphen)."""
    return max((width_of(piece) for piece in _PIECES.findall(text)), default=0.0)


def spread(minimums: Sequence[float], weights: Sequence[float], total: float) -> list[float] | None:
    """Return widths summing to `total` (less when every minimum is reached first) in proportion to the weights,
    none below its minimum; None when the minimums alone exceed `total`."""
    if sum(minimums) > total + 1e-6:
        return None
    weights = [max(w, 1e-6) for w in weights]
    fixed: set[int] = set()
    widths: dict[int, float] = {}
    while True:
        free = [i for i in range(len(minimums)) if i not in fixed]
        room = total - sum(minimums[i] for i in fixed)
        share = sum(weights[i] for i in free)
        widths = {i: room * weights[i] / share for i in free}
        short = [i for i in free if widths[i] < minimums[i]]
        if not short:
            return [widths.get(i, minimums[i]) for i in range(len(minimums))]
        fixed.update(short)


def column_groups(minimums: Sequence[float], total: float) -> list[list[int]]:
    """Return the indexes of the columns after the first (index 0) in groups that each fit `total` beside the first
    column: in order, as many to a group as fit (at least one, however wide)."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = minimums[0] if minimums else 0.0
    for index in range(1, len(minimums)):
        if current and used + minimums[index] > total + 1e-6:
            groups.append(current)
            current, used = [], minimums[0]
        current.append(index)
        used += minimums[index]
    if current:
        groups.append(current)
    return groups
