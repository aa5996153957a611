"""The six steps' titles, in their own small module: the window's frame shows them before anything else loads."""

from __future__ import annotations

STEP_TITLES: tuple[str, ...] = (
    "Define scope",
    "Readiness assessment",
    "Implement controls",
    "Collect evidence",
    "Engage a CPA firm",
    "Receive and share the report",
)
