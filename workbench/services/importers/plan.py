"""Planning an import of any kind: every row's fate (create, update, unchanged, merge, skip, problem) and why."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.import_values import identifier_problem, looks_like_formula, shown_identifier
from workbench.services.controls import REF_MAX_LENGTH
from workbench.services.importers.mapping import display_header, missing_column
from workbench.services.importers.readers import Cell
from workbench.services.importers.spec import (
    CREATE,
    MERGE,
    NO_OPTIONS,
    PROBLEM,
    SKIP,
    UNCHANGED,
    UPDATE,
    FieldType,
    ImportCancelled,
    ImportOptions,
    Loaded,
    Problem,
    Progress,
    RegisterSpec,
    RowPlan,
)
from workbench.services.importers.table import Table, column_letter, filled_count
from workbench.services.importers.values import CellReader, cell_string, row_texts, shown
from workbench.store import UnitOfWork

PROGRESS_EVERY = 500
_ID_LIKE = re.compile(r"^[^\s]{1,40}$")
_HELD = RowPlan(0, CREATE)  # what holds a record's place in plan.rows from walk() to build(): one for all of them


@dataclass
class Plan:
    """The whole preview of an import: where the table is, how columns map, the options, and every row's fate."""

    spec: RegisterSpec
    source: str
    table: Table
    mapping: dict[str, int]
    options: ImportOptions = NO_OPTIONS
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        """Return the table's header texts."""
        return self.table.headers

    @property
    def columns(self) -> dict[str, str]:
        """Return {field: header} in the kind's field order."""
        return {f: display_header(self.headers[self.mapping[f]]) for f in self.spec.names if f in self.mapping}

    def count(self, action: str) -> int:
        """Return how many rows get this action."""
        return sum(1 for r in self.rows if r.action == action)

    def written(self) -> list[Any]:
        """Return the records the import creates or updates."""
        return [r.record for r in self.rows if r.action in (CREATE, UPDATE) and r.record is not None]

    def links(self) -> dict[str, int]:
        """Return the counts of links the written records carry: criteria, and what the kind adds."""
        counts = record_links(self.spec, None)
        for record in self.written():
            for name, count in record_links(self.spec, record).items():
                counts[name] += count
        return counts

    def document(self, *, dry_run: bool) -> dict[str, Any]:
        """Return the result document of DESIGN.md section 7 (plus the per-row preview on a dry run)."""
        doc: dict[str, Any] = {
            "kind": self.spec.kind,
            "sheet": None if self.table.document else self.table.sheet,
            "header_row": None if self.table.document else self.table.header_row,
            "columns": self.columns,
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "merged": self.count(MERGE),
            "skipped": self.count(SKIP) + self.count(PROBLEM),
            **self.links(),
            "problems": [{"row": p.row, "level": p.level, "field": p.field, "message": p.message}
                         for p in self.problems],
            "dry_run": dry_run,
        }
        if dry_run:
            doc["preview"] = [{"row": r.row, "action": r.action, self.spec.key: r.key, "reason": r.reason}
                              for r in self.rows]
        return doc

    def outline(self) -> list[tuple[int, str, str, Any]]:
        """Return what applying the plan would write, row by row (to tell whether a later plan still matches)."""
        return [(r.row, r.action, r.key, r.record) for r in self.rows]


def record_links(spec: RegisterSpec, record: Any) -> dict[str, int]:
    """Return the links one record carries: its criteria, and 1 for each link field it fills (all 0 for None)."""
    if record is None:
        return {"criteria_links": 0, **{f"{name}_links": 0 for name in spec.link_fields}}
    values = spec.records.values(record)
    criteria = 0
    for name in _criteria_fields(spec):
        criteria += len(values[name] or ())
    counts = {"criteria_links": criteria}
    for name in spec.link_fields:
        counts[f"{name}_links"] = 1 if values[name] else 0
    return counts


_CRITERIA_FIELDS: dict[str, tuple[str, ...]] = {}  # kind -> its criteria fields


def _criteria_fields(spec: RegisterSpec) -> tuple[str, ...]:
    names = _CRITERIA_FIELDS.get(spec.kind)
    if names is None:
        names = _CRITERIA_FIELDS[spec.kind] = tuple(f.name for f in spec.fields if f.type is FieldType.CRITERIA)
    return names


class KeyIndex:
    """The keys a project already holds, found as written or else regardless of case (the first spelling wins)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._exact: set[str] = set()
        self._folded: dict[str, str] = {}
        for key in keys:
            self._exact.add(key)
            self._folded.setdefault(key.casefold(), key)

    def __len__(self) -> int:
        return len(self._folded)

    def find(self, key: str) -> str | None:
        """Return the stored spelling of a key, or None when the project has no such key in any case."""
        if key in self._exact:
            return key
        return self._folded.get(key.casefold())


def _natural(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class _Group:
    """The rows that name one record: the first row's values, with the criteria of repeats merged in."""

    row: int
    key: str  # as the project spells it
    written: str  # as the first row wrote it
    position: int  # where the first row's plan stands in plan.rows
    values: dict[str, Any]
    texts: dict[str, str]


class Planner:
    """Walks the rows of a table once, then builds each record from its rows (a streamed import: see stream.py)."""

    def __init__(self, uow: UnitOfWork, plan: Plan, progress: Progress | None) -> None:
        spec = self.spec = plan.spec
        self.plan, self.progress = plan, progress
        try:
            self.loaded: Loaded = spec.records.load(uow)
        except WorkbenchError as exc:  # the kind refuses any import now (a signed risk assessment): name the file
            if type(exc) is not WorkbenchError or exc.what == plan.source:
                raise
            raise WorkbenchError(plan.source, f"nothing was imported: {exc.what}: {exc.why}") from None
        self.index = KeyIndex(self.loaded.existing)
        self.reader = CellReader(spec, uow.criteria.catalog(), uow.settings.get().categories, plan.options.day_first,
                                 source=plan.source, headers=plan.table.headers)
        self.columns = tuple((name, index) for name, index in plan.mapping.items() if name != spec.key)
        self.texts = tuple(plan.mapping.items())  # the key's column too: read as text, never as a value
        # A row with one filled cell is a section heading, unless the table is its key alone (a list of logins).
        self.headings = set(plan.mapping) != {spec.key}
        # Rows the kind leaves out before their keys are read (another control's items), and why.
        leaves_out = getattr(spec.records, "leaves_out", None)
        self.left_out: Callable[[Sequence[Cell]], str | None] | None = \
            leaves_out(uow, plan) if leaves_out is not None else None
        self.groups: dict[str, _Group] = {}
        key_index = plan.mapping.get(spec.key)
        self.key_column = "" if key_index is None else column_named(plan.table, key_index)
        self.natural: dict[str, str] = {}  # a keyless kind's records by their natural key
        if spec.keyless:
            for stored, record in self.loaded.existing.items():
                values = spec.records.values(record)
                self.natural.setdefault(_natural("\x1f".join(shown(values.get(n)) for n in spec.natural_key)), stored)

    def problem(self, row: int, level: str, message: str, name: str = "") -> None:
        self.plan.problems.append(Problem(row, level, message, name))

    def skip(self, row: int, action: str, key: str, message: str, name: str = "", level: str = "error") -> None:
        if action == PROBLEM or level == "warning":
            self.problem(row, level, message, name)
        self.plan.rows.append(RowPlan(row, action, key, message))

    def walk(self, rows: Sequence[tuple[int, list[Cell]]] | None = None) -> None:
        """Plan each row (of the table, or these), holding a place for each record until build() decides."""
        spec, plan = self.spec, self.plan
        data = plan.table.data() if rows is None else rows
        # Looked up once, not on every row: this loop is most of an import's own time.
        groups, earlier, read, texts_of = self.groups, self.earlier, self.reader.read, row_texts
        existing, values_of, columns, index = self.loaded.existing, spec.records.values, self.columns, self.index
        planned, key_field, label_field, progress = plan.rows, spec.key, spec.label, self.progress
        left_out = self.left_out
        for done, (number, row) in enumerate(data, start=1):
            if progress is not None and done % PROGRESS_EVERY == 0 and not progress(done, len(data) * 2):
                raise ImportCancelled(plan.source, "the import was cancelled; nothing was changed")
            filled = filled_count(row)
            if filled == 0:
                continue
            if left_out is not None and (why := left_out(row)) is not None:
                planned.append(RowPlan(number, SKIP, "", why))
                continue
            texts = texts_of(row, self.texts)
            key, label = texts.get(key_field, ""), texts.get(label_field, "")
            if filled == 1 and self.headings and not (key and _lone_key(key)):
                lone = _lone(row)
                if not looks_like_formula(lone):
                    planned.append(RowPlan(number, SKIP, "", f"section heading {lone[:60]!r}"))
                    continue
            if not key:
                if (plan.options.generate_ids or spec.keyless) and label:
                    key = self.keyless_key(row) if spec.keyless else self.generated_key(texts)
                else:
                    message = f"no {spec.singular} ID in this row" + (
                        f" ({spec.label} {label[:40]!r})" if label else "")
                    if label and not plan.options.generate_ids:
                        message += "; import with generated IDs to give it one"
                    self.skip(number, PROBLEM, "", message, spec.key)
                    continue
            if not (key.isascii() and key.isprintable() and key[0] != "=" and len(key) <= REF_MAX_LENGTH) and \
                    self.bad_key(number, key):  # most IDs are plain ASCII, short, no formula: bad_key says no
                continue
            folded = key.casefold()
            if folded in groups:
                self.repeat(number, row, key, texts, groups[folded])
                continue
            seen = earlier(folded)
            if seen is not None:
                self.repeat_earlier(number, row, key, texts, seen)
                continue
            if not label:
                message = f"{spec.singular} {key} {spec.missing_label}"
                if filled == 1:
                    message += (" and its row holds nothing else (a formula the spreadsheet never computed reads as "
                                "empty: open and save the file in Excel or LibreOffice, then import it again)")
                self.skip(number, PROBLEM, key, message, spec.label)
                continue
            if index:  # the project holds records already: a key may be one of them, written in another case
                stored = self.stored_key(number, key)
                current = existing.get(stored)
            else:
                stored, current = key, None
            values, warnings = read(row, columns, None if current is None else values_of(current), texts)
            if warnings:
                self.note(number, warnings)
            groups[folded] = _Group(number, stored, key, len(planned), values, texts)
            planned.append(_HELD)  # a place held: build() puts the row's plan there

    def bad_key(self, number: int, key: str) -> bool:
        """Return True (and note the error) when a key cannot be stored."""
        spec = self.spec
        why = None if key.isascii() and key.isprintable() else identifier_problem(key)  # most IDs: plain ASCII
        if why is None and key.startswith("=") and looks_like_formula(key):
            why = "is a formula the spreadsheet never computed"
        if why is not None:
            self.skip(number, PROBLEM, "", f"{spec.key}: the {spec.singular} ID '{shown_identifier(key)[:60]}' in "
                                           f"{self.key_column} {why}; correct the cell", spec.key)
            return True
        if len(key) > REF_MAX_LENGTH:
            self.skip(number, PROBLEM, "", f"the {spec.singular} ID {key[:40]!r}... is longer than {REF_MAX_LENGTH} "
                                           "characters", spec.key)
            return True
        return False

    def read(self, row: Sequence[Cell], key: str, texts: dict[str, str] | None = None
             ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Return a row's values for the record of this key, and the (field, warning)s reading them gave."""
        current = self.loaded.existing.get(key)
        return self.reader.read(row, self.columns, None if current is None else self.spec.records.values(current),
                                texts)

    def earlier(self, folded: str) -> Any:
        """Return what an earlier window knows of a key (a streamed import's planner: stream.py), else None."""
        return None

    def repeat_earlier(self, number: int, row: Sequence[Cell], key: str, texts: dict[str, str], seen: Any) -> None:
        """A key a row of an earlier window named (only a streamed import's planner has earlier windows)."""
        raise TypeError("only a streamed import's planner has earlier windows; earlier() found none here")

    def note(self, number: int, warnings: Iterable[tuple[str, str]]) -> None:
        """Note (field, warning)s on a row."""
        for name, message in warnings:
            self.problem(number, "warning", message, name)

    def repeat(self, number: int, row: Sequence[Cell], key: str, texts: dict[str, str], first: _Group) -> None:
        """A key seen on an earlier row: merge its criteria into that record (a crosswalk), or ignore the row."""
        spec, noun = self.spec, self.spec.singular
        seen = repeat_seen(spec, key, first.row, first.written)
        if spec.keyless and not texts.get(spec.key):  # the ID is one the import made: say what the rows hold
            held = ", ".join(f"{spec.field(n).label} {texts[n][:40]!r}" for n in spec.natural_key if texts.get(n))
            seen = f"this row holds the same {noun} as row {first.row} ({held})"
        if not spec.merge_repeats or key != first.written:
            # Only an ID written alike is a crosswalk's repeat; one differing in case is a duplicate, as before.
            self.skip(number, SKIP, key, f"{seen}; this later row is ignored", spec.key, "warning")
            return
        values, warnings = self.read(row, first.key, texts)
        lists = [f.name for f in spec.fields if f.type is FieldType.CRITERIA and f.name in values]
        for name in lists:
            first.values[name] = tuple(dict.fromkeys((*first.values.get(name, ()), *values[name])))
        conflicts = [(name, texts[name]) for name in spec.names
                     if name in texts and name not in lists and name != spec.key and texts[name]
                     and first.texts.get(name) and texts[name] != first.texts[name]]
        self.plan.rows.append(RowPlan(number, MERGE, first.key, f"same {noun} as row {first.row}: criteria merged"))
        if conflicts:
            self.plan.problems.append(conflict_message(spec, number, seen, first.row, conflicts, first.texts))
        self.note(number, warnings)

    def stored_key(self, number: int, key: str) -> str:
        """Return the project's spelling of a row's key, warning when the row writes it in another case."""
        stored = self.index.find(key)
        if stored is None or stored == key:
            return key
        noun = self.spec.singular
        self.problem(number, "warning", f"{self.spec.key}: {key} is the project's {noun} {stored} (IDs that differ "
                                        f"only in case are one {noun}); it keeps the spelling {stored}", self.spec.key)
        return stored

    def generated_key(self, texts: dict[str, str]) -> str:
        """Return the ID a row without one gets: made from its natural key, the same on every import of it.

        A longer digest is taken when the short one is an ID the project gives a record with other content.
        """
        natural = _natural("\x1f".join(texts.get(name, "") for name in self.spec.natural_key))
        digest = hashlib.sha256(natural.encode("utf-8")).hexdigest().upper()
        for length in range(6, len(digest) + 1, 2):
            key = self.spec.id_prefix + digest[:length]
            stored = self.index.find(key)
            if stored is None:
                return key
            values = self.spec.records.values(self.loaded.existing[stored])
            if _natural("\x1f".join(shown(values[name]) for name in self.spec.natural_key)) == natural:
                return stored
        return self.spec.id_prefix + digest

    def keyless_key(self, row: Sequence[Cell]) -> str:
        """Return the ID of a keyless kind's row without one: the record whose natural key reads the same (its
        values read as the project holds them, so a date or a choice written otherwise still matches), else the
        next free number."""
        names = self.spec.natural_key
        values, _ = self.reader.read(row, [(n, self.plan.mapping[n]) for n in names if n in self.plan.mapping], None)
        natural = _natural("\x1f".join(shown(values.get(name)) for name in names))
        return self.natural.get(natural) or self.next_number(natural)

    def next_number(self, natural: str) -> str:
        """Return the next free ID of a keyless kind ("R-001"), remembering it for rows of the same natural key."""
        number = len(self.natural) + 1
        while True:
            key = f"{self.spec.id_prefix}{number:03d}"
            if self.index.find(key) is None and key.casefold() not in self.groups:
                self.natural[natural] = key
                return key
            number += 1

    def build(self) -> None:
        """Build each record from its rows and decide: create, update or unchanged."""
        records, plan, noun = self.spec.records, self.plan, self.spec.singular
        build, existing, loaded, planned = records.build, self.loaded.existing, self.loaded, plan.rows
        new, differ = f"new {noun}", f"fields differ from the project's {noun}"
        for group in self.groups.values():
            current = existing.get(group.key)
            record, warnings = build(group.values, group.key, current, loaded)
            for name, message in warnings:
                self.problem(group.row, "warning", message, name)
            if current is None:
                row = RowPlan(group.row, CREATE, group.key, new, record)
            elif records.same(current, record):
                row = RowPlan(group.row, UNCHANGED, group.key, "already up to date", record)
            else:
                row = RowPlan(group.row, UPDATE, group.key, differ, record, records.snapshot(current))
            planned[group.position] = row


def repeat_seen(spec: RegisterSpec, key: str, row: int, written: str) -> str:
    """Return how a repeated key was seen before: on which row, and as what when written in another case."""
    noun = spec.singular
    seen = f"{noun} {key} already appears on row {row}"
    if key != written:
        seen += f" as {written} (IDs that differ only in case are one {noun})"
    return seen


def conflict_message(spec: RegisterSpec, number: int, seen: str, first: int, conflicts: Sequence[tuple[str, str]],
                     then: Mapping[str, str]) -> Problem:
    """Return the warning on a repeat whose criteria are merged but whose other values differ from its first row's."""
    message = f"{seen}; its criteria are merged into it, its other values differ and are not used: " + "; ".join(
        f"{name} {text[:40]!r} (row {first}: {then[name][:40]!r})" for name, text in conflicts)
    names = [name for name, _ in conflicts]
    return Problem(number, "warning", message, spec.label if spec.label in names else names[0])


def column_named(table: Table, index: int) -> str:
    """Return how a message names a column: "column A ('Control ID')"."""
    header = display_header(table.headers[index]) if index < len(table.headers) else ""
    return f"column {column_letter(index)} ({header!r})"


def _lone_key(text: str) -> bool:
    """Return True for a lone value in the key column that is an ID (no spaces, a digit), not a heading."""
    return _ID_LIKE.match(text) is not None and any(c.isdigit() for c in text)


def _lone(row: Sequence[Cell]) -> str:
    """Return the text of the one filled cell of a row."""
    return next(text for text in (cell_string(cell) for cell in row) if text)


def plan_table(uow: UnitOfWork, spec: RegisterSpec, table: Table, mapping: dict[str, int], source: str,
               options: ImportOptions = NO_OPTIONS, progress: Progress | None = None) -> Plan:
    """Return the plan for every data row of the table under this column mapping."""
    check_columns(spec, table, mapping, source, options)
    plan = Plan(spec, source, table, dict(mapping), options)
    planner = Planner(uow, plan, progress)
    planner.walk()
    planner.build()
    plan.problems.sort(key=lambda p: p.row)
    return plan


def check_columns(spec: RegisterSpec, table: Table, mapping: Mapping[str, int], source: str,
                  options: ImportOptions) -> None:
    """Refuse a mapping without the key's column (unless IDs are made) or the label's."""
    if spec.key not in mapping and not (options.generate_ids or spec.keyless):
        raise missing_column(source, table.where, table.headers, f"the {spec.singular} ID", spec.key,
                             ", or give the rows IDs made from their text with --generate-ids"
                             if spec.label in mapping else "")
    if spec.label not in mapping:
        raise missing_column(source, table.where, table.headers, spec.field(spec.label).what, spec.label)
