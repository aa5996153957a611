"""A streamed import: the file's rows planned and written window by window, so memory does not grow with the file.

Each window of rows is planned as a whole plan would plan it (the keys of earlier windows known through a
KeyLedger), its records go to a write buffer written WRITE_BATCH at a time (the batches a whole plan writes), and
the window is let go. A later row that merges its criteria into a record of an earlier window updates that record
where it stands: in the buffer, or written already (fetched and written again, one more audit entry), or unchanged
so far (now updated). Its conflicting values, when they may differ from the first row's, are checked once the last
window is planned, against that row read again. The result document is the one a whole plan gives.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.ledger import KeyLedger, Seen, texts_digest
from workbench.services.importers.plan import (
    Plan,
    Planner,
    check_columns,
    conflict_message,
    record_links,
    repeat_seen,
)
from workbench.services.importers.spec import (
    CREATE,
    MERGE,
    PROBLEM,
    SKIP,
    UNCHANGED,
    UPDATE,
    FieldType,
    ImportCancelled,
    ImportOptions,
    Problem,
    Progress,
    RegisterSpec,
    RowPlan,
)
from workbench.services.importers.table import Table
from workbench.services.importers.values import row_texts
from workbench.store import UnitOfWork

_WRITTEN = frozenset((CREATE, UPDATE))
WINDOW_ROWS = 4_000  # rows planned together before their records are written and let go
WRITE_BATCH = 1_000  # records written at once (one audit entry per batch of new controls)

Reread = Callable[[set[int]], Mapping[int, list[Any]]]  # rows of the file by 1-based number, read again


def windows(table: Table, size: int | None = None) -> Iterator[list[tuple[int, list[Any]]]]:
    """Yield the table's data rows, (number, cells), in windows of about `size` rows (WINDOW_ROWS)."""
    size = size or WINDOW_ROWS
    window: list[tuple[int, list[Any]]] = []
    for batch in table.stream():
        window.extend(batch)
        while len(window) >= size:
            yield window[:size]
            del window[:size]
    if window:
        yield window


class StreamedPlanner(Planner):
    """A planner over one window at a time: each build() hands its records on and keeps only their keys."""

    def __init__(self, uow: UnitOfWork, plan: Plan) -> None:
        super().__init__(uow, plan, None)
        self.ledger = KeyLedger()
        spec = self.spec
        # The texts a repeat's are compared with (for conflicting values): mapped, neither the key nor criteria.
        self.compared = tuple(name for name in spec.names if name in plan.mapping and name != spec.key
                              and spec.field(name).type is not FieldType.CRITERIA)
        self.merges: dict[str, dict[str, list[str]]] = {}  # stored key -> criteria later rows add, by field
        self.pending: list[tuple[int, int, int, str, dict[str, str]]] = []  # conflicts to check once all is read

    def build(self) -> None:
        """Decide this window's records (plan.rows), then keep just what later windows need of each."""
        groups = list(self.groups.items())
        super().build()
        rows, add, compared = self.plan.rows, self.ledger.add, self.compared
        for folded, group in groups:  # compared_texts and texts_digest inline: this runs on every row
            add(folded, group.row, group.written, rows[group.position].action,
                texts_digest(tuple(map(group.texts.get, compared))))  # type: ignore[arg-type]
        self.groups.clear()

    def compared_texts(self, texts: Mapping[str, str]) -> tuple[str, ...]:
        """Return the texts of a row that a repeat's are compared with, in the order of `compared`."""
        return tuple(map(texts.get, self.compared))  # type: ignore[arg-type]

    def earlier(self, folded: str) -> Seen | None:
        """Return what an earlier window knows of this key."""
        return self.ledger.get(folded)

    def repeat_earlier(self, number: int, row: list[Any], key: str, texts: dict[str, str], seen: Seen) -> None:
        """A key a row of an earlier window named: merge its criteria into that record, or ignore the row.

        As Planner.repeat does for a key of this window; whether its other values conflict with the first row's is
        known at once when they read alike, else once every window is planned (resolve).
        """
        spec, noun = self.spec, self.spec.singular
        said = repeat_seen(spec, key, seen.row, seen.written)
        if not spec.merge_repeats or key != seen.written:
            self.skip(number, SKIP, key, f"{said}; this later row is ignored", spec.key, "warning")
            return
        stored = self.index.find(key) or key
        values, warnings = self.read(row, stored, texts)
        added = self.merges.setdefault(stored, {})
        for f in spec.fields:
            if f.type is FieldType.CRITERIA and f.name in values:
                added.setdefault(f.name, []).extend(values[f.name])
        self.plan.rows.append(RowPlan(number, MERGE, stored, f"same {noun} as row {seen.row}: criteria merged"))
        if texts_digest(self.compared_texts(texts)) != seen.digest:
            self.pending.append((len(self.plan.problems), number, seen.row, said, texts))
            self.problem(number, "warning", "")  # a place held for the conflict, if there is one
        self.note(number, warnings)

    def take_merges(self) -> dict[str, tuple[str, dict[str, tuple[str, ...]]]]:
        """Return and forget the criteria later rows added: stored key -> (what became of it, added by field)."""
        merges = {}
        for key, added in self.merges.items():
            seen = self.ledger.get(key.casefold())
            assert seen is not None
            merges[key] = (seen.action, {name: tuple(items) for name, items in added.items()})
        self.merges = {}
        return merges

    def settle(self, key: str, action: str) -> None:
        """Record what became of a record once a later row merged into it."""
        self.ledger.settle(key.casefold(), action)

    def resolve(self, reread: Reread | None) -> None:
        """Say which repeats' other values differ from their first row's (read again), then sort the problems."""
        problems = self.plan.problems
        if self.pending:
            if reread is None:
                raise RuntimeError("a streamed import's repeats need their first rows read again")
            first = reread({row for _place, _number, row, _said, _texts in self.pending})
            for place, number, row, said, texts in self.pending:
                then = row_texts(first.get(row, []), self.texts)
                if then.get(self.spec.key, "").casefold() != texts.get(self.spec.key, "").casefold():
                    raise WorkbenchError(self.plan.source, "changed while it was being imported; nothing was "
                                                           "imported: import it again")
                conflicts = [(name, texts[name]) for name in self.compared
                             if texts[name] and then.get(name) and texts[name] != then[name]]
                problems[place] = conflict_message(self.spec, number, said, row, conflicts, then) if conflicts \
                    else None
            self.plan.problems = [p for p in problems if p is not None]
            self.pending = []
        self.plan.problems.sort(key=lambda p: p.row)


class Writer:
    """The records planned so far, written in batches, and the tally of what the import did."""

    def __init__(self, uow: UnitOfWork, plan: Plan, batch: int | None = None) -> None:
        self.uow, self.plan, self.spec, self.batch = uow, plan, plan.spec, batch or WRITE_BATCH
        # A kind whose records belong to something the import adds first (a tool run) binds its adapter to the plan:
        # the bound adapter writes the batches and remembers the import (see kinds/findings.py).
        bind = getattr(self.spec.records, "bound", None)
        self.records: Any = bind(uow, plan) if bind is not None else self.spec.records
        self.buffer: list[RowPlan] = []
        self.tally: Counter[str] = Counter()
        self.links: Counter[str] = Counter()
        self.rows = 0
        # A kind whose only links are its criteria may count them itself, without listing every field of a record.
        count = getattr(self.spec.records, "criteria_count", None)
        self.criteria_count: Callable[[Any], int] | None = None if self.spec.link_fields else count

    def take(self, rows: list[RowPlan]) -> None:
        """Count a window's planned rows and queue its records; write every full batch."""
        self.rows += len(rows)
        self.tally.update(r.action for r in rows)
        links, count, buffer = self.links, self.criteria_count, self.buffer
        for row in rows:
            if row.action in _WRITTEN and row.record is not None:
                if count is not None:
                    links["criteria_links"] += count(row.record)
                else:
                    for name, number in record_links(self.spec, row.record).items():
                        links[name] += number
                buffer.append(row)
        while len(self.buffer) >= self.batch:
            self._write(self.buffer[:self.batch])
            del self.buffer[:self.batch]

    def finish(self) -> None:
        """Write what is left."""
        if self.buffer:
            self._write(self.buffer)
            self.buffer = []

    def _write(self, rows: list[RowPlan]) -> None:
        # Not on a thread of its own: the driver takes Python's lock again for every row of a batch, and a busy
        # planning thread would hold it up each time (a batch then takes longer than planning the window).
        self.records.write(self.uow, [r.record for r in rows if r.action == CREATE],
                           [(r.previous, r.record) for r in rows if r.action == UPDATE])

    def merge(self, planner: StreamedPlanner) -> None:
        """Merge the criteria later rows added to records of earlier windows into those records, where they are."""
        merges = planner.take_merges()
        if not merges:
            return
        spec, records, loaded = self.spec, self.spec.records, planner.loaded
        queued = {r.key: index for index, r in enumerate(self.buffer)}
        written = [key for key, (action, _added) in merges.items() if key not in queued and action != UNCHANGED]
        stored = records.fetch(self.uow, written) if written else {}
        updates: list[tuple[Any, Any]] = []
        for key, (action, added) in merges.items():
            current = loaded.existing.get(key)
            index = queued.get(key)
            before = self.buffer[index].record if index is not None else current if action == UNCHANGED else \
                stored[key]
            after = merged(spec, loaded, key, before, added)
            now = CREATE if current is None else UNCHANGED if records.same(current, after) else UPDATE
            if records.values(after) == records.values(before) or action == now == UNCHANGED:
                continue
            if action != UNCHANGED:
                self.links.subtract(record_links(spec, before))
            if now != UNCHANGED:
                self.links.update(record_links(spec, after))
            self.tally[action] -= 1
            self.tally[now] += 1
            planner.settle(key, now)
            if index is not None:  # still queued: change it there
                row = self.buffer[index]
                self.buffer[index] = replace(row, action=now, record=after)
            elif action == UNCHANGED:  # never written: now an update
                self.buffer.append(RowPlan(0, UPDATE, key, "", after, records.snapshot(current)))
            else:  # written in an earlier batch: write it again
                updates.append((before, after))
        self.buffer = [r for r in self.buffer if r.action != UNCHANGED]
        if updates:
            records.write(self.uow, [], updates)

    def document(self, plan: Plan) -> dict[str, Any]:
        """Return the result document, as a whole plan's document(dry_run=False) would read."""
        doc = plan.document(dry_run=False)
        doc.update({
            "rows": self.rows,
            "created": self.tally[CREATE],
            "updated": self.tally[UPDATE],
            "unchanged": self.tally[UNCHANGED],
            "merged": self.tally[MERGE],
            "skipped": self.tally[SKIP] + self.tally[PROBLEM],
            **{name: self.links[name] for name in record_links(self.spec, None)},
        })
        return doc


def merged(spec: RegisterSpec, loaded: Any, key: str, record: Any, added: Mapping[str, tuple[str, ...]]) -> Any:
    """Return the record with criteria later rows added (as a whole plan merges them into the first row's)."""
    values = spec.records.values(record)
    lists = {name: tuple(dict.fromkeys((*(values[name] or ()), *items))) for name, items in added.items()
             if spec.field(name).type is FieldType.CRITERIA}
    return spec.records.build(lists, key, record, loaded)[0]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the interpreter's automatic garbage collection (when it is on) while a streamed import runs.

    Each window's objects live long enough to reach the oldest generation, so the collector would scan the whole
    program again every few thousand rows: a fifth of a 200,000-row import's time. An import makes next to no
    reference cycles (a few hundred objects in all), so none are left waiting long; collection resumes after.
    The GUI switches automatic collection off itself and collects when its workers are idle (ui/operations.py).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


WindowWatch = Callable[[list[RowPlan], list[Problem]], None]  # a window's planned rows and their new problems


def stream_plan(uow: UnitOfWork, spec: RegisterSpec, table: Table, mapping: dict[str, int], source: str,
                options: ImportOptions, progress: Progress | None, reread: Reread | None = None,
                window: int | None = None, watch: WindowWatch | None = None,
                cancelled: str = "the import was cancelled; nothing was changed") -> tuple[Plan, Writer]:
    """Plan and write the table window by window in the unit of work; return the plan (problems) and the writer.

    `watch` sees each window's planned rows and the problems they raised before they are written (a dry run's
    preview); `cancelled` is what a cancellation says.
    """
    check_columns(spec, table, mapping, source, options)
    plan = Plan(spec, source, table, dict(mapping), options)
    planner = StreamedPlanner(uow, plan)
    writer = Writer(uow, plan)
    done = 0

    def step(count: int, _total: int) -> bool:  # the rows of the file are not known ahead: say half of those seen
        return progress is None or progress(done + count, 2 * (done + count) + 1)

    planner.progress = step if progress is not None else None
    with collector_paused():
        for rows in windows(table, window):
            before = len(plan.problems)
            planner.walk(rows)
            planner.build()
            if watch is not None:
                watch(plan.rows, plan.problems[before:])
            writer.take(plan.rows)
            plan.rows = []
            writer.merge(planner)
            done += len(rows)
            if not step(0, 0):
                raise ImportCancelled(source, cancelled)
        writer.finish()
    planner.resolve(reread)
    return plan, writer
