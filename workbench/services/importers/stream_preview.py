"""A streamed dry run: a report planned window by window as its streamed import would be, nothing written.

The counts come from the streamed import's own Writer, whose records adapter (the kind's `unwritten()`) only
counts, so they are the import's. The per-row preview keeps the first PREVIEW_ROWS rows and, after them, the rows
with a problem (at most PROBLEM_ROWS); `preview_omitted` says how many rows it leaves out. A kind takes part when
its records adapter offers `unwritten()` and no later row merges into an earlier one (findings: every row is its
own record), since nothing written cannot be fetched back to merge into.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from workbench.services.importers.spec import (
    PROBLEM,
    SKIP,
    ImportOptions,
    Problem,
    Progress,
    RegisterSpec,
    RowPlan,
)
from workbench.services.importers.stream import Reread, stream_plan
from workbench.services.importers.table import Table
from workbench.store import UnitOfWork

PREVIEW_ROWS = 100  # the first rows a dry run lists, whatever they are
PROBLEM_ROWS = 1_000  # rows with a problem listed after those


def previews_streamed(spec: RegisterSpec) -> bool:
    """Return True for a kind whose dry run is planned window by window (its records adapter can write nothing)."""
    return callable(getattr(spec.records, "unwritten", None))


class Preview:
    """The rows a dry run lists: the first `first`, then those with a problem up to `problems`; the rest counted."""

    def __init__(self, key: str, first: int, problems: int) -> None:
        self.key, self.first, self.problems = key, first, problems
        self.rows: list[dict[str, Any]] = []
        self.seen = self.omitted = self.flagged = 0

    def take(self, rows: Sequence[RowPlan], problems: Sequence[Problem]) -> None:
        """List what a window's rows allow (a row is flagged when it is not written, or has a problem)."""
        flagged = {p.row for p in problems}
        for row in rows:
            self.seen += 1
            if self.seen > self.first:
                if not (row.action in (SKIP, PROBLEM) or row.row in flagged) or self.flagged >= self.problems:
                    self.omitted += 1
                    continue
                self.flagged += 1
            self.rows.append({"row": row.row, "action": row.action, self.key: row.key, "reason": row.reason})


def preview_streamed(uow: UnitOfWork, spec: RegisterSpec, table: Table, mapping: dict[str, int], source: str,
                     options: ImportOptions, progress: Progress | None, reread: Reread | None = None,
                     window: int | None = None) -> dict[str, Any]:
    """Plan the table window by window, writing nothing; return the dry run's document (a bounded preview)."""
    preview = Preview(spec.key, PREVIEW_ROWS, PROBLEM_ROWS)
    plan, writer = stream_plan(uow, replace(spec, records=spec.records.unwritten()), table, mapping, source, options,
                               progress, reread, window, watch=preview.take, cancelled="the dry run was cancelled")
    kept = writer.records.remember(uow, plan)
    document = writer.document(plan)
    document.update(dry_run=True, preview=preview.rows, preview_omitted=preview.omitted)
    if spec.summary is not None:
        document.update(spec.summary(uow, plan, kept))
    return document
